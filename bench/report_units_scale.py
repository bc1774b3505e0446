"""Time int_report_units (one spelling per department and office) on a built warehouse, and check
that other versions of the model give the same rows.

    .venv/bin/python bench/report_units_scale.py --warehouse W.duckdb [--project DIR ...] [--timeout S]

Each ``--project`` (default: this checkout's dbt_project; a copy with another int_report_units.sql
compares versions) is compiled with ``dbt compile -s int_report_units`` into a temporary target;
the compiled query then runs in DuckDB on a copy of the warehouse (``CREATE TABLE … AS``, timed).
The first project's rows are the reference: every other must give the same multiset of rows.
The warehouse is one ``jixiao run`` built (bench/replay_scale.py --keep DIR: DIR/r<N>/w.duckdb).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
DBT = Path(sys.executable).parent / "dbt"


def compiled(project: Path, warehouse: Path, target: Path) -> str:
    env = {**os.environ, "JIXIAO_WAREHOUSE": str(warehouse), "DBT_LOG_PATH": str(target / "logs")}
    subprocess.run([str(DBT), "compile", "-q", "-s", "int_report_units", "--project-dir", str(project),
                    "--profiles-dir", str(project), "--target-path", str(target)], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    return next(target.rglob("int_report_units.sql")).read_text()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", type=Path, required=True)
    parser.add_argument("--project", type=Path, action="append")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds a version may take")
    args = parser.parse_args(argv)
    projects = args.project or [ROOT / "dbt_project"]
    with tempfile.TemporaryDirectory(prefix="jixiao-units-") as temp:
        copy = Path(temp) / "w.duckdb"
        shutil.copyfile(args.warehouse, copy)
        queries = [compiled(p, copy, Path(temp) / f"target{i}") for i, p in enumerate(projects)]
        con = duckdb.connect(str(copy))
        reports = con.execute("SELECT count(*) FROM raw.reports").fetchone()[0]
        print(f"{args.warehouse}: {reports} reports")
        failed = False
        for i, (project, sql) in enumerate(zip(projects, queries)):
            timer = threading.Timer(args.timeout, con.interrupt)
            timer.start()
            start = time.perf_counter()
            try:
                con.execute(f"CREATE TABLE units_{i} AS {sql}")
            except duckdb.InterruptException:
                print(f"  {project}: stopped after {args.timeout:.0f} s")
                continue
            finally:
                timer.cancel()
            seconds = time.perf_counter() - start
            rows = con.execute(f"SELECT count(*) FROM units_{i}").fetchone()[0]
            same = ""
            if i:
                differ = con.execute(f"SELECT count(*) FROM ((SELECT * FROM units_0 EXCEPT ALL SELECT * FROM units_{i}) "
                                     f"UNION ALL (SELECT * FROM units_{i} EXCEPT ALL SELECT * FROM units_0))").fetchone()[0]
                same = "; same rows as the first" if differ == 0 else f"; {differ} rows differ from the first"
                failed |= differ != 0
            print(f"  {project}: {seconds:.2f} s, {rows} rows{same}", flush=True)
        con.close()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
