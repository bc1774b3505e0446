"""Across years and documents (issue 15, part 3) on the two-year set: the 109 seed self-evaluations of
2023, the 2022 of seven of them and a 2023 target table of one, constructed in samples/years/."""

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import ROOT, build_from_records, query, run_pipeline, transcribed
from test_queries import queries

from expectations.run import run_suite

YEARS = ROOT / "samples" / "years"


def constructed(name: str) -> list[dict]:
    with open(YEARS / f"{name}.jsonl", encoding="utf-8") as fh:
        return [{k: v for k, v in json.loads(line).items() if k != "seed_report"} for line in fh]


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    folder = tmp_path_factory.mktemp("years")
    build_from_records({"selfeval_dahongmen_2023": transcribed("selfeval_dahongmen_2023.jsonl"),
                        "selfeval_dahongmen_2022": constructed("selfeval_dahongmen_2022"),
                        "targets_dahongmen_2023": constructed("targets_dahongmen_2023")},
                       folder / "jixiao.duckdb", folder / "dbt_target")
    return folder / "jixiao.duckdb"


def report_ids(warehouse) -> dict[tuple[str, int], str]:
    return {(name, year): rid for rid, name, year in query(
        warehouse, "SELECT report_id, project_name, fiscal_year FROM staging.int_reports "
                   "WHERE report_type = 'self_evaluation'")}


def script():
    """samples/years/build.py, the set's maker."""
    spec = importlib.util.spec_from_file_location("build_years", YEARS / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def copied(ids) -> list[tuple[str, str]]:
    """The two X-03 findings of the set: (report_id, evidence)."""
    return [
        (ids["2023 年机构运转经费", 2023], f"与 2022 年「2022 年机构运转经费」（{ids['2022 年机构运转经费', 2022]}）相同："
                                           "涉及科室数量 6个科室；预算 70 → 77.76 万元"),
        (ids["2023 年走访慰问经费", 2023], f"与 2022 年「2022 年走访慰问经费」（{ids['2022 年走访慰问经费', 2022]}）相同："
                                           "发放人数 9名老积极分子；预算 0.6 → 0.45 万元"),
    ]


def test_the_set_is_what_its_script_makes():
    for name, records in script().build().items():
        with open(YEARS / f"{name}.jsonl", encoding="utf-8") as fh:
            assert [json.loads(line) for line in fh] == records, name


def test_copied_targets_are_x03_findings(warehouse):
    # Two quantities repeated while the budget moved by more than 10%: 6个科室 (70 → 77.76 万元) and
    # 9名老积极分子 (0.6 → 0.45). Not findings: 12 个月 / 100% / ≤1年 / 95% of 城市居民最低生活保障
    # (standards; budget 1180 → 1320), 74 名社区工作者 (budget +6.2%), 21 and 113 of 城乡基层党组织服务
    # 群众经费 (the same 年初预算数), 帮扶数量 of 临时救助资金 (updated, 120 → 145 人次).
    result = run_suite(warehouse, "copied_targets")
    assert result.evaluated_rows == 41
    assert sorted((f["rule_id"], f["severity"], f["row_key"], f["observed"]) for f in result.findings) == sorted(
        ("X-03", "INFO", report_id + "/1", evidence) for report_id, evidence in copied(report_ids(warehouse)))


def test_no_x03_when_the_budget_stayed_or_the_target_moved(warehouse):
    rows = query(warehouse, """
        SELECT project_name, level3, is_target_repeated, is_budget_changed, is_quantity_target, is_copied_target
        FROM marts.mart_project_years
        WHERE fiscal_year = 2023 AND level3 IN ('发放人数', '社区村数量', '项目数量', '帮扶数量', '发放补贴月份')
          AND previous_report_id IS NOT NULL
        ORDER BY project_name, indicator_index""")
    assert rows == [
        ("2023 年临时救助资金", "帮扶数量", False, True, True, False),
        ("2023 年城市居民最低生活保障", "发放补贴月份", True, True, False, False),  # 12 个月: a duration
        ("2023 年社区工作者继续教育经费", "发放人数", True, False, True, False),  # 4.2 → 4.46: +6.2%
        ("2023 年走访慰问经费", "发放人数", True, True, True, True),
        ("城乡基层党组织服务群众经费", "社区村数量", True, False, True, False),  # 408.93 both years
        ("城乡基层党组织服务群众经费", "项目数量", True, False, True, False),
    ]


def test_targets_actuals_and_scores_year_by_year(warehouse):
    rows = query(warehouse, """
        SELECT fiscal_year, project_name, level3, target, actual, score, total_score, budget,
               previous_fiscal_year, previous_target, previous_actual, previous_score, previous_budget
        FROM marts.mart_project_years
        WHERE series_key IN (SELECT series_key FROM marts.mart_project_years
                             WHERE project_name IN ('2023 年临时救助资金', '城乡基层党组织服务群众经费'))
          AND level3 IN ('帮扶数量', '项目数量')
        ORDER BY project_name, fiscal_year""")
    assert rows == [
        (2022, "2022 年临时救助资金", "帮扶数量", "发放 120 人次", "发放 128 人次", Decimal("10"), Decimal("95"),
         Decimal("12"), None, None, None, None, None),
        (2023, "2023 年临时救助资金", "帮扶数量", "发放 145 人次", "发放 145 人次", Decimal("10"), Decimal("95"),
         Decimal("15"), 2022, "发放 120 人次", "发放 128 人次", Decimal("10"), Decimal("12")),
        (2022, "城乡基层党组织服务群众经费", "项目数量", "113", "108", Decimal("9"), Decimal("99"),
         Decimal("408.93"), None, None, None, None, None),
        (2023, "城乡基层党组织服务群众经费", "项目数量", "113", "110", Decimal("9"), Decimal("99"),
         Decimal("408.93"), 2022, "113", "108", Decimal("9"), Decimal("408.93")),
    ]
    # the dropped batch has no 2023; the 2023 projects without a 2022 have no previous year
    assert query(warehouse, """
        SELECT count(DISTINCT series_key) FILTER (WHERE previous_fiscal_year IS NOT NULL),
               count(DISTINCT series_key) FILTER (WHERE project_name = '丰台区 2022 年第三批控违拆违专项资金'),
               count(*) FILTER (WHERE fiscal_year = 2023 AND series_key IN (
                   SELECT series_key FROM marts.mart_project_years
                   WHERE project_name = '丰台区 2022 年第三批控违拆违专项资金'))
        FROM marts.mart_project_years""") == [(6, 1, 0)]


def test_the_query_names_what_was_copied_from_last_year(warehouse):
    answer = query(warehouse, queries()["targets_copied_from_last_year"])
    assert {r[3] for r in answer} == {"2023 年机构运转经费", "2023 年走访慰问经费", "2023 年城市居民最低生活保障",
                                      "2023 年临时救助资金", "2023 年社区工作者继续教育经费", "城乡基层党组织服务群众经费"}
    assert sorted((r[3], r[4], r[5]) for r in answer if r[13]) == [
        ("2023 年机构运转经费", "涉及科室数量", "6个科室"), ("2023 年走访慰问经费", "发放人数", "9名老积极分子")]
    # an updated target is not in the answer; 21 社区村 is last year's target and last year's actual
    assert not [r for r in answer if r[4] == "帮扶数量"]
    [villages] = [r for r in answer if r[4] == "社区村数量"]
    assert villages[10:] == ("last year's target", Decimal("408.93"), Decimal("408.93"), False)


def test_the_target_table_against_the_self_evaluation_of_its_year(warehouse):
    # X-01: the 2023 target table approved 8个科室, the 2023 self-evaluation printed 2022's 6个科室 (its
    # other rows as approved). X-02: both print 77.76 万元; the 2022 self-evaluation (70) is not compared.
    ids = report_ids(warehouse)
    [changed] = run_suite(warehouse, "mart_target_vs_actual").findings
    assert (changed["rule_id"], changed["row_key"]) == ("X-01", ids["2023 年机构运转经费", 2023] + "/1~1")
    budgets = run_suite(warehouse, "initial_vs_approved")
    assert (budgets.evaluated_rows, budgets.findings) == (1, [])


def test_jixiao_run_on_the_set_as_pdfs_writes_the_findings(tmp_path):
    """The same set as documents: all 109 seed self-evaluations (samples/eval/selfeval_all.pdf) and the
    constructed 2022 and target table drawn by the sample renderer, through `jixiao run`."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(ROOT / "samples" / "eval" / "selfeval_all.pdf", inbox)
    script().render_pdfs(inbox)
    warehouse = tmp_path / "jixiao.duckdb"
    run_pipeline(inbox, warehouse)
    ids = report_ids(warehouse)
    assert query(warehouse, """
        SELECT rule_id, severity, report_id, observed FROM marts.dq_findings
        WHERE rule_id IN ('X-01', 'X-02', 'X-03') AND status = 'open' ORDER BY ALL""") == sorted(
        [("X-01", "WARN", ids["2023 年机构运转经费", 2023], "0")]
        + [("X-03", "INFO", report_id, evidence) for report_id, evidence in copied(ids)])


def test_the_years_on_postgres_equal_duckdb(warehouse, pg_database, tmp_path):
    """mart_project_years and mart_target_vs_actual of the set, built by dbt on PostgreSQL from the same
    raw tables, equal the DuckDB ones (tests/test_postgres.py builds and tests every mart of the seeds)."""
    import duckdb
    import psycopg2
    from test_postgres import normalised

    from orchestration.postgres import mirror_raw

    host, port, dbname = pg_database
    source = duckdb.connect(str(warehouse), read_only=True)
    target = psycopg2.connect(host=host, port=port, user="jixiao", dbname=dbname)
    mirror_raw(source, target)
    project = ROOT / "dbt_project"
    result = subprocess.run(
        [str(Path(sys.executable).parent / "dbt"), "build", "--quiet", "--exclude-resource-type", "test",
         "--select", "+mart_project_years", "+mart_target_vs_actual", "--project-dir", str(project),
         "--profiles-dir", str(project), "--target-path", str(tmp_path), "--log-path", str(tmp_path)],
        env={**os.environ, "JIXIAO_DBT_TARGET": "postgres", "JIXIAO_PG_HOST": host,
             "JIXIAO_PG_PORT": str(port), "JIXIAO_PG_DBNAME": dbname}, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    with target.cursor() as cur:
        for table in ("mart_project_years", "mart_target_vs_actual"):
            rows = source.execute(f"SELECT * FROM marts.{table}")
            columns = ", ".join(c for c, *_ in rows.description)
            cur.execute(f"SELECT {columns} FROM marts_build.{table}")
            assert normalised(cur.fetchall()) == normalised(rows.fetchall()), table
        cur.execute("SELECT count(*) FROM marts_build.mart_project_years WHERE is_copied_target")
        assert cur.fetchone() == (2,)
    source.close()
    target.close()
