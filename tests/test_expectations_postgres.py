"""The data-quality checks on a PostgreSQL warehouse: the same findings as on DuckDB from the same
data, written to marts_build.dq_findings with the same lifecycle, carried on from the published
marts.dq_findings."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from conftest import webhook
from test_expectations import FACTS

from expectations.run import FINDING_COLUMNS, _as_it_stands, run_checks, write_findings
from expectations.suites import SUITES
from orchestration.alerts import send_alerts
from orchestration.assets.quality import dq_checks
from orchestration.postgres import connect, dbt_env, mirror_raw
from orchestration.resources import Warehouse

ROOT = Path(__file__).resolve().parent.parent
LIFECYCLE = ["first_seen", "last_seen", "status"]


def url_of(pg_database) -> str:
    host, port, dbname = pg_database
    return f"postgresql://jixiao@/{dbname}?host={host}&port={port}"


def findings_of(results) -> list[tuple]:
    return sorted(tuple(str(f[c]) for c in FINDING_COLUMNS) for r in results for f in r.findings)


def table_rows(rows) -> list[tuple]:
    return sorted(rows, key=repr)


def duckdb_findings(path: Path) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return table_rows(con.execute("SELECT * EXCLUDE (first_seen, last_seen) FROM marts.dq_findings").fetchall())


def pg_findings(url: str, schema: str = "marts_build") -> list[tuple]:
    with connect(url) as con, con, con.cursor() as cur:
        cur.execute(f"SELECT * FROM {schema}.dq_findings")
        columns = [c.name for c in cur.description]
        return table_rows(tuple(v for c, v in zip(columns, row) if c not in ("first_seen", "last_seen"))
                          for row in cur.fetchall())


def lifecycle(url: str, schema: str = "marts_build") -> dict[str, tuple]:
    with connect(url) as con, con, con.cursor() as cur:
        cur.execute(f"SELECT finding_id, {', '.join(LIFECYCLE)} FROM {schema}.dq_findings")
        return {row[0]: row[1:] for row in cur.fetchall()}


def execute(url: str, sql: str) -> None:
    with connect(url) as con, con, con.cursor() as cur:
        cur.execute(sql)


def build_on_postgres(warehouse: Path, url: str, target: Path) -> None:
    """The raw tables mirrored into raw_build as the pipeline does, then `dbt build --target postgres`
    (into staging_build and marts_build)."""
    with duckdb.connect(str(warehouse), read_only=True) as ledger, connect(url) as pg:
        mirror_raw(ledger, pg)
    project = ROOT / "dbt_project"
    result = subprocess.run(
        [str(Path(sys.executable).parent / "dbt"), "build", "--quiet", "--project-dir", str(project),
         "--profiles-dir", str(project), "--target-path", str(target), "--log-path", str(target)],
        env={**os.environ, **dbt_env(url)}, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def publish_findings(url: str) -> None:
    """What publication does to the findings (orchestration/postgres.py renames marts_build to marts):
    here only dq_findings is copied, so that the facts in marts_build can be changed and checked again."""
    execute(url, "DROP SCHEMA IF EXISTS marts CASCADE; CREATE SCHEMA marts; "
                 "CREATE TABLE marts.dq_findings AS SELECT * FROM marts_build.dq_findings")


def test_findings_on_postgres_equal_findings_on_duckdb_and_live_alike(seed_warehouse, pg_database, tmp_path):
    url = url_of(pg_database)
    build_on_postgres(seed_warehouse, url, tmp_path / "dbt")
    duck = tmp_path / "jixiao.duckdb"  # a copy: the seed warehouse is shared by other tests
    shutil.copy(seed_warehouse, duck)

    on_duckdb, on_postgres = run_checks(duck), run_checks(url, tmp_path / "dq_docs")
    assert not [f for r in on_postgres for f in r.findings if f["rule_id"] == "DQ-RUN"]
    assert findings_of(on_postgres) == findings_of(on_duckdb)
    rules = {f[0] for f in findings_of(on_postgres)}
    assert {"SE-22", "SE-07"} <= rules  # GE's SQL route (SE-22) and the pandas route (SE-07)
    assert [r.evaluated_rows for r in on_postgres] == [r.evaluated_rows for r in on_duckdb]
    # the Data Docs of the PostgreSQL run, one validation page per suite
    assert {p.parent.parent.parent.name for p in (tmp_path / "dq_docs" / "validations").rglob("*.html")} == {
        s.label for s in SUITES}

    # first run: no published findings yet
    count = write_findings(duck, on_duckdb)
    assert write_findings(url, on_postgres) == count > 0
    assert pg_findings(url) == duckdb_findings(duck)
    first = lifecycle(url)
    assert {status for _, _, status in first.values()} == {"open"}
    # checked again before publication: the same rows (derived from the published findings, not merged twice)
    assert write_findings(url, run_checks(url)) == count
    published = lifecycle(url)
    assert published.keys() == first.keys()
    publish_findings(url)

    # the publisher corrects one report's score: its SE-07 finding is resolved, the others stay open
    with duckdb.connect(str(duck), read_only=True) as con:
        report_id, = con.execute("SELECT report_id FROM marts.dq_findings WHERE rule_id = 'SE-07' "
                                 "ORDER BY report_id LIMIT 1").fetchone()
    fix = ("UPDATE {schema}.fct_score SET total_score = coalesce(funding_score, 0) + coalesce(indicator_score_sum, 0) "
           f"WHERE report_id = '{report_id}'")
    with duckdb.connect(str(duck)) as con:
        con.execute(fix.format(schema="marts"))
    execute(url, fix.format(schema="marts_build"))
    assert write_findings(url, run_checks(url)) == write_findings(duck, run_checks(duck)) == count - 1
    assert pg_findings(url) == duckdb_findings(duck)
    second = lifecycle(url)
    resolved = [fid for fid, (_, _, status) in second.items() if status == "resolved"]
    assert len(resolved) == 1
    [fid] = resolved
    assert second[fid][:2] == published[fid][:2]  # first_seen kept; last seen before the correction
    assert all(second[f][0] == published[f][0] and second[f][1] > published[f][1] for f in first if f != fid)
    # readers still see the published findings, unchanged until the next publication
    assert lifecycle(url, "marts")[fid][2] == "open"


def copy_into_postgres(path: Path, url: str) -> None:
    """Every table of the DuckDB file's marts and staging schemas into marts_build and staging_build."""
    with duckdb.connect(str(path), read_only=True) as source, connect(url) as pg, pg, pg.cursor() as cur:
        for schema in ("marts", "staging"):
            cur.execute(f"CREATE SCHEMA {schema}_build")
            for (table,) in source.execute("SELECT table_name FROM information_schema.tables "
                                           "WHERE table_schema = ? AND table_type = 'BASE TABLE'", [schema]).fetchall():
                columns = source.execute("SELECT column_name, data_type FROM information_schema.columns "
                                         "WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position",
                                         [schema, table]).fetchall()
                cur.execute(f"CREATE TABLE {schema}_build.{table} (" + ", ".join(
                    f'"{name}" {"DOUBLE PRECISION" if kind == "DOUBLE" else kind}' for name, kind in columns) + ")")
                rows = source.execute(f"SELECT * FROM {schema}.{table}").fetchall()
                if rows:
                    cur.executemany(f"INSERT INTO {schema}_build.{table} VALUES ({', '.join(['%s'] * len(columns))})",
                                    rows)


@pytest.fixture
def hand_made(pg_database, tmp_path) -> tuple[Path, str]:
    """(DuckDB file, PostgreSQL URL) of the facts of tests/test_expectations.py and one report that
    prints no 主管部门, the same in both."""
    duck = tmp_path / "facts.duckdb"
    with duckdb.connect(str(duck)) as con:
        con.execute(FACTS)
        con.execute("INSERT INTO staging.int_reports (report_id, department) VALUES ('nodept', NULL)")
        con.execute("INSERT INTO marts.fct_score (report_id, total_weight, total_score, funding_weight, funding_score, "
                    "indicator_count, indicator_weight_sum, indicator_score_sum, output_weight, benefit_weight, "
                    "satisfaction_weight, has_satisfaction_indicator) VALUES "
                    "('nodept', 100, 100, 10, 10, 8, 90, 90, 50, 30, 10, true)")
    url = url_of(pg_database)
    copy_into_postgres(duck, url)
    return duck, url


def test_hand_made_defects_are_found_alike_on_postgres(hand_made):
    """The defects planted in tests/test_expectations.py (missing values, NULL booleans, a cross-document
    rule and a missing department on GE's SQL route) give the same findings on PostgreSQL."""
    duck, url = hand_made
    # X-02 and SE-25 go by GE's SQL route (their query computes what they check), SE-06 by pandas
    in_database = {s.label for s in SUITES if _as_it_stands(s, [])}
    assert {"initial_vs_approved", "department_printed"} <= in_database and "fct_indicator" not in in_database

    on_duckdb, on_postgres = run_checks(duck), run_checks(url)
    assert not [f for r in on_postgres for f in r.findings if f["rule_id"] == "DQ-RUN"]
    assert findings_of(on_postgres) == findings_of(on_duckdb)
    assert {("X-02", "cut"), ("SE-25", "nodept")} <= {(f[0], f[5]) for f in findings_of(on_postgres)}
    write_findings(duck, on_duckdb)
    write_findings(url, on_postgres)
    assert pg_findings(url) == duckdb_findings(duck)

    # the fact's asset check reads the build's findings (the ledger, a DuckDB file, is not opened)
    check = next(c for c in dq_checks if c.check_key.asset_key.path == ["marts", "fct_indicator"])
    result = check(warehouse=Warehouse(path=str(duck.parent / "no-ledger.duckdb"), inbox=str(duck.parent), postgres=url))
    assert not result.passed and result.metadata["findings"].value == sum(
        1 for f in findings_of(on_postgres) if f[3] == "fct_indicator")


def test_alerts_read_the_published_postgresql_warehouse(hand_made, tmp_path):
    """Findings and documents from the published marts and raw schemas; what was sent is kept in the
    writer's ledger, so that an item goes out once."""
    _, url = hand_made
    count = write_findings(url, run_checks(url))
    publish_findings(url)
    execute(url, "CREATE SCHEMA raw; CREATE TABLE raw.documents (source_sha256 VARCHAR, source_file VARCHAR, "
                 "status VARCHAR, error VARCHAR, quarantine_reason VARCHAR); "
                 "INSERT INTO raw.documents VALUES ('abc', '/inbox/broken.pdf', 'error', 'corrupt or truncated PDF', NULL), "
                 "('def', '/inbox/cut.pdf', 'ok', NULL, 'report 1 (pages 1-1): 总分 row not found')")
    ledger = tmp_path / "ledger.duckdb"
    with webhook("/hook") as (hook, received):
        assert list(send_alerts(ledger, [hook], postgres=url).values()) == ["sent"]
        assert list(send_alerts(ledger, [hook], postgres=url).values()) == ["nothing new"]
    [alert] = received
    assert alert["title"] == f"绩效数据质量：新发现 {count} 条问题，1 个文件无法读取，1 个文件读取不完整（已隔离）"
    assert "SE-06 指标得分超过分值（共 1 条）：某项目（a.pdf 第 3 页）" in alert["message"]  # where, from staging_build
    assert f"psql '{url}'" in alert["message"]


def test_a_suite_that_cannot_run_on_postgres_is_a_finding(pg_database):
    """Nothing built yet: every suite is a DQ-RUN finding naming the missing relation, no exception."""
    results = run_checks(url_of(pg_database))
    assert {f["rule_id"] for r in results for f in r.findings} == {"DQ-RUN"}
    assert "marts_build.fct_score" in next(f["observed"] for r in results for f in r.findings
                                           if f["table_name"] == "fct_score")
