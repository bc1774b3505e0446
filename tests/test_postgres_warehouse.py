"""`jixiao run --warehouse postgresql://…`: the warehouse built on a throwaway PostgreSQL server,
published by swapping schemas, equal to the DuckDB one, a no-op when nothing changed, and never
half-built under a reader."""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import psycopg2
import pytest

from test_postgres import normalised

ROOT = Path(__file__).resolve().parent.parent
JIXIAO = str(Path(sys.executable).parent / "jixiao")
READER = "jixiao_reader"  # a role that owns nothing: it reads what the publication grants it


def jixiao_run(tmp: Path, inbox: Path, url: str, via_env: bool = False, wait: bool = True):
    """`jixiao run` in a child process, from ``tmp``, the warehouse given as ``--warehouse`` or as
    JIXIAO_WAREHOUSE; the ledger and the extraction results under ``tmp``."""
    env = {**os.environ, "JIXIAO_LEDGER": str(tmp / "ledger.duckdb"), "JIXIAO_RESULTS": str(tmp / "results"),
           "JIXIAO_PG_READERS": READER}
    env.pop("DAGSTER_HOME", None)
    args = [JIXIAO, "run", "--inbox", str(inbox)]
    if via_env:
        env["JIXIAO_WAREHOUSE"] = url
    else:
        args += ["--warehouse", url]
    # to files, not pipes: a run's log fills a pipe nobody reads while the test waits on the run
    with open(tmp / "run.out", "w") as out, open(tmp / "run.err", "w") as err:
        process = subprocess.Popen(args, cwd=tmp, env=env, stdout=out, stderr=err)
    if not wait:
        return process
    process.wait()
    return process.returncode, *output(tmp)


def output(tmp: Path) -> tuple[str, str]:
    return (tmp / "run.out").read_text(), (tmp / "run.err").read_text()


def no_url_folder(tmp: Path) -> None:
    """The bug this replaces: a DuckDB file written under a folder named `postgresql:` (beside the
    run's working folder, or the checkout's warehouse/)."""
    assert not [*tmp.rglob("postgres*:"), *ROOT.glob("postgres*:"), *ROOT.glob("warehouse/postgres*:")]


def schemas(cur) -> set[str]:
    cur.execute("SELECT nspname FROM pg_namespace WHERE nspname IN "
                "('raw', 'staging', 'marts', 'raw_build', 'staging_build', 'marts_build')")
    return {s for (s,) in cur.fetchall()}


def compared_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    # when a finding or document was seen differs between two runs; everything else must not
    return [c for (c,) in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = 'marts' AND table_name = ? "
        "AND column_name NOT IN ('first_seen', 'last_seen', 'loaded_at') ORDER BY ordinal_position",
        [table]).fetchall()]


def inbox_named(rows: list[tuple], inbox: Path) -> list[tuple]:
    """Rows with the inbox folder (in a finding's source path) written as <inbox>: two inboxes of the
    same files compare equal."""
    return [tuple(v.replace(str(inbox), "<inbox>") if isinstance(v, str) else v for v in row) for row in rows]


@pytest.fixture
def pg_url(pg_database) -> str:
    host, port, dbname = pg_database
    url = f"postgresql://jixiao@/{dbname}?host={host}&port={port}"
    with psycopg2.connect(url) as pg, pg.cursor() as cur:
        cur.execute(f"SELECT count(*) FROM pg_roles WHERE rolname = '{READER}'")
        if not cur.fetchone()[0]:
            cur.execute(f"CREATE ROLE {READER} LOGIN")
    return url


def test_warehouse_on_postgres(built, pg_url, tmp_path):
    built_inbox, duckdb_warehouse, _ = built
    inbox = tmp_path / "inbox"
    shutil.copytree(built_inbox, inbox)

    code, out, err = jixiao_run(tmp_path, inbox, pg_url)
    assert code == 0, err[-5000:]
    assert "Published warehouse (open this one): postgresql://jixiao@/" in out
    no_url_folder(tmp_path)
    pg = psycopg2.connect(pg_url)
    pg.autocommit = True
    cur = pg.cursor()
    assert schemas(cur) == {"raw", "staging", "marts"}  # nothing left half-way, nothing of the build
    cur.execute("SELECT outcome FROM raw.ingestion_runs")
    assert cur.fetchall() == [("published",)]
    with psycopg2.connect(pg_url.replace("jixiao@", f"{READER}@")) as analyst, analyst.cursor() as acur:
        acur.execute("SELECT count(*) FROM marts.mart_office_year JOIN marts.dim_office USING (office_key)")
        assert acur.fetchone()[0] > 0

    # every mart equal to the DuckDB warehouse's, row for row; and so in the DuckDB copy of the
    # published schemas that the workbook and the report are written from
    copy = Path(next(line for line in out.splitlines() if line.startswith("Its copy for the files")).split(": ")[1])
    assert copy.with_suffix(".xlsx").stat().st_size > 0 and (copy.parent / "report" / "index.html").exists()
    with duckdb.connect(str(duckdb_warehouse), read_only=True) as source, \
            duckdb.connect(str(copy), read_only=True) as files:
        marts = [t for (t,) in source.execute("SELECT table_name FROM information_schema.tables "
                                              "WHERE table_schema = 'marts' ORDER BY 1").fetchall()]
        assert {"mart_office_year", "dq_findings", "mart_dq_office_year", "quarantined_documents"} <= set(marts)
        for table in marts:
            select = f"SELECT {', '.join(compared_columns(source, table))} FROM marts.{table}"
            cur.execute(select)
            on_postgres = normalised(inbox_named(cur.fetchall(), inbox))
            assert on_postgres == normalised(inbox_named(source.execute(select).fetchall(), built_inbox)), table
            assert on_postgres or table not in ("mart_office_year", "fct_indicator", "dq_findings"), table
            assert normalised(inbox_named(files.execute(select).fetchall(), inbox)) == on_postgres, table

    # the same inbox again, the warehouse named by JIXIAO_WAREHOUSE: nothing to do, nothing touched
    cur.execute("SELECT oid FROM pg_class WHERE relname = 'mart_office_year'")
    published = cur.fetchall()
    code, out, err = jixiao_run(tmp_path, inbox, pg_url, via_env=True)
    assert code == 0, err[-5000:]
    assert "nothing changed, the published warehouse stands" in out
    cur.execute("SELECT oid FROM pg_class WHERE relname = 'mart_office_year'")
    assert cur.fetchall() == published
    assert schemas(cur) == {"raw", "staging", "marts"}
    no_url_folder(tmp_path)

    # a reader in the middle of a transaction while the next build is published: it reads the build
    # it started with, whole, and the swap waits for it rather than changing anything under it
    reader = psycopg2.connect(pg_url)
    reader.set_session(isolation_level="REPEATABLE READ")
    rcur = reader.cursor()
    read = "SELECT (SELECT count(*) FROM marts.fct_funding), (SELECT count(*) FROM marts.mart_office_year), " \
           "(SELECT count(*) FROM raw.documents WHERE in_inbox)"
    rcur.execute(read)
    before = rcur.fetchone()
    removed = next(p for p in sorted(inbox.glob("*.pdf")) if p.name != "broken.pdf")
    removed.unlink()
    process = jixiao_run(tmp_path, inbox, pg_url, wait=False)
    try:
        while not _swap_waits(cur):  # the swap itself, waiting for this reader's locks
            assert process.poll() is None, "published without waiting for the reader: " + output(tmp_path)[1][-5000:]
            time.sleep(0.2)
        rcur.execute(read)
        assert rcur.fetchone() == before
        reader.commit()  # the reader lets go: the swap goes through
        process.wait(timeout=900)
    finally:
        if process.poll() is None:
            process.kill()
        reader.close()
    assert process.returncode == 0, output(tmp_path)[1][-5000:]
    # incremental: nothing new was read, so no report crossed over; the rest was copied in PostgreSQL
    assert "reports 0, spend_plan 0" in output(tmp_path)[1]
    rcur = psycopg2.connect(pg_url).cursor()
    rcur.execute(read)
    after = rcur.fetchone()
    assert after[2] == before[2] - 1
    assert schemas(cur) == {"raw", "staging", "marts"}
    cur.execute("SELECT outcome, count(*) FROM raw.ingestion_runs GROUP BY 1 ORDER BY 1")
    assert cur.fetchall() == [("no change", 1), ("published", 2)]  # the ledger's runs, as published
    pg.close()


def _swap_waits(cur) -> bool:
    cur.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                "AND query LIKE 'DROP SCHEMA IF EXISTS raw, staging, marts%'")
    return cur.fetchone()[0] > 0


def test_unreachable_postgres_is_named_and_nothing_written(pg_database, tmp_path):
    host, port, dbname = pg_database
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(next(iter(sorted((ROOT / "samples").glob("*.pdf")))), inbox)
    url = f"postgresql://jixiao:secret@/{dbname}_missing?host={host}&port={port}"
    code, out, err = jixiao_run(tmp_path, inbox, url)
    assert code == 1
    assert f"ERROR postgresql://jixiao@/{dbname}_missing?host=" in err and "does not exist" in err
    assert "secret" not in out + err
    assert not (tmp_path / "ledger.duckdb").exists()
    no_url_folder(tmp_path)
