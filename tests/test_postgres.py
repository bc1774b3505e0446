"""The same dbt project on PostgreSQL: a throwaway server, the raw tables of the seed warehouse
mirrored into it (raw_build, as the pipeline does), `dbt build --target postgres` (into staging_build
and marts_build), and every mart equal to the DuckDB one."""

import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from orchestration.postgres import mirror_raw

ROOT = Path(__file__).resolve().parent.parent


def normalised(rows) -> list[tuple]:
    """Rows comparable across the two databases: 1.500000 and 1.5 are one number."""
    return sorted((tuple(v.normalize() if isinstance(v, Decimal) else v for v in row) for row in rows),
                  key=repr)


def test_marts_on_postgres_equal_marts_on_duckdb(seed_warehouse, pg_database, tmp_path):
    import psycopg2

    host, port, dbname = pg_database
    source = duckdb.connect(str(seed_warehouse), read_only=True)
    target = psycopg2.connect(host=host, port=port, user="jixiao", dbname=dbname)
    copied = mirror_raw(source, target)
    assert copied["reports"] == source.execute("SELECT count(*) FROM raw.reports").fetchone()[0] > 100

    project = ROOT / "dbt_project"
    result = subprocess.run(
        [str(Path(sys.executable).parent / "dbt"), "build", "--quiet", "--project-dir", str(project),
         "--profiles-dir", str(project), "--target-path", str(tmp_path), "--log-path", str(tmp_path)],
        env={**os.environ, "JIXIAO_DBT_TARGET": "postgres", "JIXIAO_PG_HOST": host,
             "JIXIAO_PG_PORT": str(port), "JIXIAO_PG_DBNAME": dbname}, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr

    marts = [t for (t,) in source.execute("SELECT table_name FROM information_schema.tables "
                                          "WHERE table_schema = 'marts' ORDER BY 1").fetchall()]
    assert "mart_office_year" in marts
    with target.cursor() as cur:
        for table in marts:
            columns = [c for (c,) in source.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = 'marts' "
                "AND table_name = ? ORDER BY ordinal_position", [table]).fetchall()]
            select = f"SELECT {', '.join(columns)} FROM marts.{table}"
            cur.execute(select.replace("marts.", "marts_build."))
            assert normalised(cur.fetchall()) == normalised(source.execute(select).fetchall()), table
    target.close()
