"""Great Expectations contracts: each violation becomes a finding row, clean rows none, never a crash."""

from pathlib import Path

import duckdb
import pytest

from expectations.run import run_checks, run_suite, write_findings

FACTS = """
CREATE SCHEMA staging;
CREATE TABLE staging.int_reports (report_id VARCHAR, fiscal_year INTEGER, office_key VARCHAR,
    department VARCHAR, office_name VARCHAR, source_file VARCHAR, page_first INTEGER, page_last INTEGER,
    project_name VARCHAR);
INSERT INTO staging.int_reports VALUES ('over', 2023, 'o1', '某部门', '某办公室', '/inbox/a.pdf', 3, 4, '某项目'),
    ('negative', 2023, 'o1', '某部门', '某办公室', '/inbox/a.pdf', 5, 5, '另一项目');
-- SE-22's clone partners (the dbt model staging.int_clone_pairs), none here: tests/test_clones.py
CREATE TABLE staging.int_clone_pairs (report_id VARCHAR, partner_report_id VARCHAR, evidence VARCHAR);
CREATE SCHEMA marts;
-- X-03's years side by side (the dbt model marts.mart_project_years), none here: tests/test_years.py
CREATE TABLE marts.mart_project_years (report_id VARCHAR, indicator_index INTEGER, level3 VARCHAR,
    target VARCHAR, previous_fiscal_year INTEGER, previous_report_id VARCHAR, previous_project_name VARCHAR,
    budget DECIMAL(20,6), previous_budget DECIMAL(20,6), is_copied_target BOOLEAN);
CREATE TABLE marts.fct_indicator (report_id VARCHAR, indicator_index INTEGER,
    weight DECIMAL(20,6), score DECIMAL(20,6), deviation VARCHAR, actual_status VARCHAR,
    score_basis VARCHAR, score_recomputed DECIMAL(20,6), is_not_applicable BOOLEAN, is_not_done BOOLEAN,
    is_satisfaction BOOLEAN DEFAULT false, is_ex_post_cost_target BOOLEAN DEFAULT false);
CREATE TABLE marts.fct_funding (report_id VARCHAR, funding_source VARCHAR, initial_budget DECIMAL(20,6),
    annual_budget DECIMAL(20,6), executed DECIMAL(20,6), weight DECIMAL(20,6), execution_rate DECIMAL(20,6),
    adjustment_ratio DECIMAL(20,6), score DECIMAL(20,6));
-- the department-level facts, empty here (tests/test_department.py plants their defects)
CREATE TABLE marts.fct_department_goal (report_id VARCHAR, subgoal_index INTEGER, subgoal_name VARCHAR,
    subgoal_goal VARCHAR, indicator_comparator VARCHAR, indicator_value DECIMAL(20,6),
    indicator_unit_family VARCHAR, is_quantified BOOLEAN);
CREATE TABLE marts.fct_department_self_evaluation (report_id VARCHAR, funding_score DECIMAL(20,6),
    funding_weight DECIMAL(20,6), total_score DECIMAL(20,6), indicator_score_sum DECIMAL(20,6),
    indicator_count INTEGER, income_items_sum DECIMAL(20,6), income_total DECIMAL(20,6),
    expense_items_sum DECIMAL(20,6), expense_total DECIMAL(20,6), extraction_warnings VARCHAR);
CREATE TABLE marts.fct_department_indicator (report_id VARCHAR, indicator_index INTEGER,
    weight DECIMAL(20,6), score DECIMAL(20,6));
CREATE TABLE marts.fct_score (report_id VARCHAR, total_weight DECIMAL(20,6), total_score DECIMAL(20,6),
    funding_weight DECIMAL(20,6), funding_score DECIMAL(20,6), indicator_count INTEGER,
    indicator_weight_sum DECIMAL(20,6), indicator_score_sum DECIMAL(20,6), output_weight DECIMAL(20,6),
    benefit_weight DECIMAL(20,6), satisfaction_weight DECIMAL(20,6), has_satisfaction_indicator BOOLEAN);
INSERT INTO marts.fct_indicator VALUES
    ('clean', 1, 20, 20, NULL, 'met', 'met', 20, false, false, false, false),
    -- 民生保障经费 献血: 19 of 20 with the reason written
    ('clean', 2, 10, 9.5, '区献血办下达指标未完成', 'not_met', 'printed', 9.5, false, false, false, false),
    ('clean', 3, NULL, NULL, NULL, 'not_applicable', 'not_assessed', NULL, true, false, false, false),
    -- 城市居民最低生活保障: satisfaction 未做 (SE-10); a cost target ≤1168.685052 万元 = the budget (SE-18)
    ('clean', 4, 5, 0, '未做', 'blank', 'not_done', 0, false, true, true, false),
    ('clean', 5, 10, 10, NULL, 'met', 'met', 10, false, false, false, true),
    ('over', 1, 10, 12, NULL, 'met', 'met', 10, false, false, false, false),
    ('negative', 1, 5, -1, NULL, 'met', 'met', 5, false, false, false, false),
    -- 城乡基层党组织服务群众经费: 113 → 110, 9 of 10, no reason (SE-11, SE-13: 9.73)
    ('missed', 1, 10, 9, NULL, 'not_met', 'proportional', 9.734513, false, false, false, false),
    -- 老旧小区完善类改造项目: 达到目标 but 8 of 10 (SE-11, SE-12)
    ('claims', 1, 10, 8, NULL, 'met', 'met', 10, false, false, false, false),
    ('unscored', 1, 10, NULL, NULL, 'not_applicable', 'not_assessed', NULL, true, false, false, false);
INSERT INTO marts.fct_funding VALUES
    ('clean', 'total', 10.15, 10.15, 10.15, 10, 1.0, 1.0, 10),
    ('clean', 'current_year', 10.15, 10.15, 10.15, NULL, 1.0, 1.0, NULL),
    -- 2023 年乡村医生基本待遇经费: 80.5% printed, executed / annual budget is 100%
    ('rate', 'total', 12.6, 10.15, 10.15, 10, 0.805, 0.805556, 10),
    ('overspent', 'total', 5, 5, 6, 10, 1.2, 1.0, 12),  -- rate consistent; over budget, score over weight
    -- 2023 年城镇登记失业人员送温暖: 7.875 → 1.925, all spent, 100%
    ('cut', 'total', 7.875, 1.925, 1.925, 10, 1.0, 0.244444, 10),
    ('weight5', 'total', 1, 1, 1, 5, 1.0, 1.0, 5);
INSERT INTO marts.fct_score VALUES
    ('clean', 100, 98, 10, 10, 8, 90, 88, 50, 30, 10, true),
    -- 城市居民最低生活保障: indicator weights sum to 100 under 总分 100, funding 10 dropped;
    -- split 70 / 25 / 5 like 重阳节走访慰问经费 (SE-20)
    ('sum100', 100, 95, 10, 10, 8, 100, 95, 70, 25, 5, true),
    ('no_total', NULL, NULL, 10, 10, 0, NULL, NULL, NULL, NULL, NULL, false),  -- the 总分 row not read
    -- 第五次全国经济普查: no satisfaction indicator at all (SE-09)
    ('nosurvey', 100, 100, 10, 10, 6, 90, 90, 55, 35, 0, false);
CREATE TABLE marts.fct_spend_plan (report_id VARCHAR, month INTEGER, cumulative_amount DECIMAL(20,6),
    budget_total DECIMAL(20,6));
INSERT INTO marts.fct_spend_plan VALUES
    -- 2023年街道体制经费: irregular but consistent, 14 / 28 / 32 / 56.5
    ('plan', 3, 14, 56.5), ('plan', 6, 28, 56.5), ('plan', 10, 32, 56.5), ('plan', 12, 56.5, 56.5),
    ('down', 3, 10, 20), ('down', 6, 8, 20), ('down', 12, 19, 20);
CREATE TABLE marts.fct_project_budget (report_id VARCHAR, budget_total DECIMAL(20,6),
    budget_fiscal DECIMAL(20,6), budget_other DECIMAL(20,6));
INSERT INTO marts.fct_project_budget VALUES ('plan', 56.5, 56.5, NULL), ('down', 20, 15, 4);
CREATE TABLE marts.fct_target_indicator (report_id VARCHAR, indicator_index INTEGER, fiscal_year INTEGER,
    is_cost BOOLEAN, target_comparator VARCHAR, target_value DECIMAL(20,6), target_unit_family VARCHAR,
    target_annual_yuan DECIMAL(20,2), target_deadline DATE, budget_total_yuan DECIMAL(20,2),
    level1_code VARCHAR, basis VARCHAR);
INSERT INTO marts.fct_target_indicator VALUES
    -- 编外大学生工资: 12976.25元/月 × 12 = 155 715 元 against 155 700: rounding, no finding
    ('plan', 1, 2024, true, '<=', 12976.25, 'money_yuan', 155715, NULL, 155700, 'OUT', '计划标准'),
    ('plan', 2, 2024, false, '>=', 95, 'percent', NULL, NULL, 155700, 'SAT', '历史标准'),
    ('plan', 3, 2024, false, 'before', NULL, 'date', NULL, '2024-12-31', 155700, 'OUT', '文件要求'),
    ('plan', 4, 2024, false, '>=', 30, 'households', NULL, NULL, 155700, 'BEN', '计划标准'),
    -- no 效益 row (TT-08); a satisfaction target based on 调查问卷, a method (TT-07)
    -- 财政所经费: ≤1万元/季度 → 40 000 元 a year against a 20 000 元 budget
    ('down', 1, 2024, true, '<=', 1, 'money_yuan', 40000, NULL, 200000 / 10, 'OUT', '经验标准'),
    -- 社区保洁费: ≥54545元/月, a cost target written as a lower bound
    ('down', 2, 2024, true, '>=', 54545, 'money_yuan', 654540, NULL, 654500 * 2, 'OUT', '年初计划'),
    ('down', 3, 2024, false, '>=', 105, 'percent', NULL, NULL, 20000, 'SAT', '调查问卷'),
    ('down', 4, 2024, false, 'before', NULL, 'date', NULL, '2025-06-30', 20000, 'OUT', '行业标准');
-- One project with a target table ('plan', budget 56.5) and a self-evaluation ('cut', 年初 7.875).
ALTER TABLE marts.fct_funding ADD COLUMN project_key VARCHAR;
ALTER TABLE marts.fct_funding ADD COLUMN fiscal_year INTEGER;
UPDATE marts.fct_funding SET project_key = 'p1', fiscal_year = 2024 WHERE report_id = 'cut';
ALTER TABLE marts.fct_project_budget ADD COLUMN project_key VARCHAR;
ALTER TABLE marts.fct_project_budget ADD COLUMN fiscal_year INTEGER;
UPDATE marts.fct_project_budget SET project_key = 'p1', fiscal_year = 2024 WHERE report_id = 'plan';
-- what the reader warned about (EX-01), on either report type
ALTER TABLE marts.fct_score ADD COLUMN extraction_warnings VARCHAR;
UPDATE marts.fct_score SET extraction_warnings = '总分 row not found: the table may be cut off' WHERE report_id = 'no_total';
ALTER TABLE marts.fct_project_budget ADD COLUMN extraction_warnings VARCHAR;
UPDATE marts.fct_project_budget SET extraction_warnings = 'number out of range, stored as NULL: spend_plan[3].value = 1E+15'
    || chr(10) || 'fiscal year not found' WHERE report_id = 'plan';
CREATE TABLE marts.mart_target_vs_actual (target_report_id VARCHAR, target_indicator_index INTEGER,
    self_evaluation_report_id VARCHAR, self_evaluation_indicator_index INTEGER, match_status VARCHAR,
    is_target_changed BOOLEAN);
INSERT INTO marts.mart_target_vs_actual VALUES
    ('plan', 1, 'cut', 1, 'matched', false),
    ('plan', 2, 'cut', 2, 'matched', true),      -- ≥90% approved, ≥95% self-evaluated
    ('plan', 3, NULL, NULL, 'target_only', NULL); -- approved, never evaluated
"""


@pytest.fixture
def warehouse(tmp_path) -> Path:
    path = tmp_path / "facts.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute(FACTS)
    return path


def findings_of(results):
    return sorted((f["rule_id"], f["table_name"], f["row_key"]) for r in results for f in r.findings)


def test_each_violation_is_one_finding(warehouse):
    results = run_checks(warehouse)
    assert findings_of(results) == [
        ("EX-01", "fct_project_budget", "plan"),
        ("EX-01", "fct_score", "no_total"),
        ("SE-01", "fct_funding", "rate/total"),
        ("SE-02", "fct_funding", "overspent/total"),
        ("SE-03", "fct_funding", "weight5/total"),
        ("SE-04", "fct_funding", "overspent/total"),
        ("SE-04", "fct_funding", "overspent/total"),
        ("SE-04", "fct_funding", "rate/total"),
        ("SE-05", "fct_score", "sum100"),
        ("SE-06", "fct_indicator", "negative/1"),
        ("SE-06", "fct_indicator", "over/1"),
        ("SE-07", "fct_score", "sum100"),
        ("SE-09", "fct_score", "nosurvey"),
        ("SE-10", "fct_indicator", "clean/4"),
        ("SE-11", "fct_indicator", "claims/1"),
        ("SE-11", "fct_indicator", "missed/1"),
        ("SE-11", "fct_indicator", "negative/1"),
        ("SE-12", "fct_indicator", "claims/1"),
        ("SE-12", "fct_indicator", "negative/1"),
        ("SE-14", "fct_indicator", "unscored/1"),
        ("SE-16", "fct_funding", "cut/total"),
        ("SE-17", "fct_funding", "cut/total"),
        ("SE-18", "fct_indicator", "clean/5"),
        ("SE-20", "fct_score", "sum100"),
        ("SE-24", "fct_score", "no_total"),
        ("SE-24", "fct_score", "no_total"),
        ("TT-01", "fct_spend_plan", "down/12"),
        ("TT-01", "fct_spend_plan", "down/6"),
        ("TT-03", "fct_project_budget", "down"),
        ("TT-04", "fct_target_indicator", "down/1"),
        ("TT-05", "fct_target_indicator", "down/2"),
        ("TT-07", "fct_target_indicator", "down/3"),
        ("TT-08", "fct_target_indicator", "down/1"),
        ("TT-09", "fct_target_indicator", "down/3"),
        ("TT-10", "fct_target_indicator", "down/4"),
        ("X-01", "mart_target_vs_actual", "cut/2~2"),
        ("X-01", "mart_target_vs_actual", "plan/3~-"),
        ("X-02", "fct_funding", "cut"),
    ]
    success = {}  # a table several suites check succeeds when all of them do
    for r in results:
        success[r.table] = success.get(r.table, True) and r.success
    assert success == {
        "fct_indicator": False, "fct_funding": False, "fct_score": False, "fct_spend_plan": False,
        "fct_project_budget": False, "fct_target_indicator": False, "mart_target_vs_actual": False,
        "mart_project_years": True, "fct_department_goal": True, "fct_department_self_evaluation": True, "fct_department_indicator": True}


def test_finding_rows_carry_severity_kind_and_values(warehouse):
    result = run_suite(warehouse, "fct_funding")
    rate = next(f for f in result.findings if f["rule_id"] == "SE-01" and f["report_id"] == "rate")
    assert rate["severity"] == "HARD" and rate["kind"] == "document"
    assert rate["observed"] == "-0.195"
    assert "±0.5 percentage points" in rate["expected"]
    no_total = [f for f in run_suite(warehouse, "fct_score").findings if f["report_id"] == "no_total"]
    # Our reading failed, not the document: no document finding may come from it.
    assert {f["kind"] for f in no_total} == {"extraction"}


def build_dq_office_year(warehouse: Path) -> None:
    """`dbt run` of marts.mart_dq_office_year alone, on the hand-made facts (a child process: dbt-duckdb
    keeps its connection open in the process that ran it)."""
    import os
    import subprocess
    import sys

    project = Path(__file__).resolve().parent.parent / "dbt_project"
    target = warehouse.parent / "dbt_target"
    result = subprocess.run(
        [str(Path(sys.executable).parent / "dbt"), "run", "--quiet", "--select", "mart_dq_office_year",
         "--project-dir", str(project), "--profiles-dir", str(project), "--target-path", str(target),
         "--log-path", str(target)],
        env={**os.environ, "JIXIAO_WAREHOUSE": str(warehouse)}, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_finding_lives_across_runs_open_resolved_reopened(warehouse):
    def state():
        with duckdb.connect(str(warehouse), read_only=True) as con:
            return {(rule, key, expected): (status, first) for rule, key, expected, status, first in con.execute(
                "SELECT rule_id, row_key, expected, status, first_seen FROM marts.dq_findings").fetchall()}

    def office_year():
        with duckdb.connect(str(warehouse), read_only=True) as con:
            return con.execute("SELECT office_name, rule_id, open_findings, resolved_findings "
                               "FROM marts.mart_dq_office_year WHERE office_name IS NOT NULL").fetchall()

    assert write_findings(warehouse, run_checks(warehouse)) == 38
    build_dq_office_year(warehouse)  # the dbt model, a view: it follows every merge below
    first = state()
    assert write_findings(warehouse, run_checks(warehouse)) == 38
    assert state() == first and len(first) == 38  # seen twice: still one row each, first_seen kept
    assert sorted(office_year()) == [("某办公室", "SE-06", 2, 0), ("某办公室", "SE-11", 1, 0),
                                     ("某办公室", "SE-12", 1, 0)]

    with duckdb.connect(str(warehouse)) as con:  # the publisher corrects the score
        con.execute("UPDATE marts.fct_indicator SET score = 10 WHERE report_id = 'over'")
    assert write_findings(warehouse, run_checks(warehouse)) == 37
    over = next(k for k in first if k[:2] == ("SE-06", "over/1"))
    assert state()[over] == ("resolved", first[over][1])
    assert sorted(office_year()) == [("某办公室", "SE-06", 1, 1), ("某办公室", "SE-11", 1, 0),
                                     ("某办公室", "SE-12", 1, 0)]

    with duckdb.connect(str(warehouse)) as con:
        con.execute("UPDATE marts.fct_indicator SET score = 12 WHERE report_id = 'over'")
    write_findings(warehouse, run_checks(warehouse))
    assert state() == first


def test_a_suite_that_cannot_run_is_a_finding_not_a_crash(tmp_path):
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    result = run_suite(empty, "fct_score")
    assert not result.success
    assert [f["rule_id"] for f in result.findings] == ["DQ-RUN"]


def test_data_docs_are_built_into_the_folder(warehouse, tmp_path):
    docs = tmp_path / "dq_docs"
    run_checks(warehouse, docs)
    assert (docs / "index.html").is_file()
    assert {p.parent.parent.parent.name for p in (docs / "validations").rglob("*.html")} == {
        "fct_indicator", "fct_funding", "fct_score", "fct_spend_plan", "fct_project_budget",
        "fct_target_indicator", "mart_target_vs_actual", "initial_vs_approved", "department_printed",
        "fct_department_goal", "fct_department_self_evaluation", "fct_department_indicator",
        "budget_unit_printed", "cloned_projects", "copied_targets"}


def test_an_unscored_report_is_a_state_and_a_missing_department_a_finding(warehouse):
    """Every 得分 cell left empty (总分 printed with its 分值 only) is no SE-24 (the row was read) and
    no SE-07, nor is a template without 分值 and 总分 (no SE-24, SE-05, SE-20); a report that prints
    no 主管部门 is the document's finding SE-25, not a failure."""
    with duckdb.connect(str(warehouse)) as con:
        con.execute("INSERT INTO staging.int_reports (report_id, department) VALUES ('unscored', '某部门'), "
                    "('nodept', NULL)")
        con.execute("INSERT INTO marts.fct_score (report_id, total_weight, total_score, funding_weight, funding_score, "
                    "indicator_count, indicator_weight_sum, indicator_score_sum, output_weight, benefit_weight, "
                    "satisfaction_weight, has_satisfaction_indicator) VALUES "
                    "('unscored', 100, NULL, 10, NULL, 8, 90, NULL, 50, 30, 10, true), "
                    "('nodept', 100, 100, 10, 10, 8, 90, 90, 50, 30, 10, true), "
                    # 专项资金绩效目标自评表: no 分值, 得分 or 总分 in the template at all
                    "('unweighted', NULL, NULL, NULL, NULL, 6, NULL, NULL, 0, 0, 0, true)")
        con.execute("INSERT INTO staging.int_reports (report_id, department) VALUES ('unweighted', '某部门')")
    findings = [(f["rule_id"], f["kind"], f["report_id"]) for suite in ("fct_score", "department_printed")
                for f in run_suite(warehouse, suite).findings if f["report_id"] in ("unscored", "nodept", "unweighted")]
    assert findings == [("SE-25", "document", "nodept")]
