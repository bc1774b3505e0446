"""Contract v2's fields reach the facts: two real template examples read by the reader, loaded by
the raw load and built by the real `dbt build`, with the values they print."""

from decimal import Decimal

import pytest
from conftest import ROOT, build_from_records, query

SICHUAN = ROOT / "samples/templates/sichuan_selfeval/qingshen_2023_fgj_gongzixing.pdf"
HUBEI = ROOT / "samples/templates/hubei_target/wuhan_qingshan_2020_jyj_jichusheshi.pdf"


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    from extract.load import connect, load_document
    from extract.pipeline import extract_file

    folder = tmp_path_factory.mktemp("contract_v2")
    path = folder / "jixiao.duckdb"
    with connect(path) as con:
        for pdf in (SICHUAN, HUBEI):
            load_document(con, extract_file(pdf), "test")
    build_from_records({}, path, folder / "dbt_target")  # nothing more to load: the real dbt build
    return path


def test_self_evaluation_fields(warehouse):
    assert query(warehouse, """
        SELECT template, contract_version, form_code, project_code FROM marts.fct_score""") == [
        ("sichuan_selfeval", "2", "510000_0013zp", "51000021R000000019951")]
    assert query(warehouse, "SELECT template FROM marts.mart_project_scorecard") == [("sichuan_selfeval",)]
    # 指标性质 "=", 指标值 "100" and 度量单位 "%" in three columns: kept as printed, normalised as one
    assert query(warehouse, """
        SELECT comparator, target, unit, target_comparator, target_value, target_unit FROM marts.fct_indicator
        WHERE level3 = '发放(缴纳)覆盖率'""") == [("=", "100", "%", "=", Decimal("100"), "%")]


def test_funding_labels_and_note(warehouse):
    rows = query(warehouse, """
        SELECT funding_source, funding_label, funding_note FROM marts.fct_funding ORDER BY funding_label""")
    assert [(s, label) for s, label, _ in rows] == [
        ("current_year", "其中:财政资金"), ("other", "其他资金"), ("unit_funds", "单位资金"),
        ("total", "总额"), ("fiscal_special_account", "财政专户管理资金")]
    # the 原因 cell merged over the block (here the template's instructions) belongs to its first row
    notes = {s: note for s, _, note in rows}
    assert notes.pop("total").startswith("1.预算执行率=预算执行数/调整后预算数")
    assert set(notes.values()) == {None}


def test_target_table_fields(warehouse):
    assert query(warehouse, """
        SELECT template, department_as_printed, project_attribute, implementation_period, goals_whole_period,
               budget_total, budget_period_total, budget_period_total_yuan, budget_period_fiscal, budget_period_other
        FROM marts.fct_project_budget""") == [
        ("hubei_target", "[015001]武汉市青山区教育局", "基础建设、修缮类", "202001-202012",
         "优化教育布局,推进教育领域综合改革全面提升育人质量实现基础教育持续发展",
         Decimal("10000"), Decimal("10000"), Decimal("100000000.00"), Decimal("10000"), None)]
    # the long-term (长期) columns beside the annual ones
    assert query(warehouse, """
        SELECT level2, long_term_level2 FROM marts.fct_target_indicator WHERE level3 = '重点建设工程安排数量'""") == [
        ("数量指标", "数量指标")]


def test_department_printed_in_the_table_with_its_code(warehouse):
    """A target table without a 预算单位 line is filed under the 主管部门 it prints, its unit code
    ([015001]) not part of the name."""
    assert query(warehouse, """
        SELECT d.department_name FROM marts.fct_project_budget AS b
        JOIN marts.dim_department AS d USING (department_key)""") == [("武汉市青山区教育局",)]
