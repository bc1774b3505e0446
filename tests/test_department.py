"""Department-level reports: 部门整体绩效目标 (seed 004's prose, rendered as Word and as a LibreOffice
PDF with the target tables after it) and 部门整体支出绩效自评表 (a real Hunan table, partial), read by
the reader, loaded into their own raw tables, built by the real `dbt build` into their facts and
mart_department_year, and checked by their contracts."""

from decimal import Decimal

import docx
import pytest
from conftest import ROOT, build_from_records, query

from expectations.run import run_suite
from extract.pipeline import extract_file
from extract.values import sentence_measure, sentence_measures

GOALS = ROOT / "samples/eval/department/yanshanlu_2024_department_goals"
HUNAN = ROOT / "samples/templates/hunan_department_selfeval/hengshan_guantang_2023_partial.pdf"
NAMES = ["基层党建", "干部队伍管理和干部教育培训", "宣传思想工作", "案件查办", "社会管理与服务", "卫计政务管理", "应急管理"]


def measures(text):
    return [(v.comparator, v.value_num, v.unit) for v in sentence_measures(text)]


def test_an_indicator_sentence_states_its_value():
    assert measures("开展党员远程教育工作，发挥先进社区示范带动作用，创建我街道“一街一品”特色占工作任务的比例大于等于95%。") == [
        (">=", Decimal("95"), "%")]
    assert measures("化解信访事项全年不少于10件") == [(">=", Decimal("10"), "件")]
    assert measures("办结时限不超过3天") == [("<=", Decimal("3"), "天")]
    assert measures("差错率小于等于2%，满意度不低于90%") == [("<=", Decimal("2"), "%"), (">=", Decimal("90"), "%")]
    assert measures("开展活动5次以上") == [(">=", Decimal("5"), "次")]
    # two values: the sentence's last is the indicator's (…全年不少于5件，…比例大于等于100%)
    value = sentence_measure("街道党政领导包联化解信访事项全年不少于5件，认真落实初信初访首接首办责任，"
                             "力争初信初访化解占工作任务的比例大于等于100%。")
    assert (value.comparator, value.value_num, value.unit, value.raw) == (">=", Decimal("100"), "%", "大于等于100%")


def test_a_sentence_without_a_value_states_none():
    assert measures("加强基层领导班子建设") == []
    assert sentence_measure("监督政策落实，落实政务公开和业务宣传工作。") is None
    assert sentence_measure(None) is None
    # a year and a date are no values
    assert measures("2024年办事处完成各项工作，6月底前细化代编预算") == []


@pytest.mark.parametrize("suffix", [".docx", ".pdf"])
def test_department_goals_are_read_from_prose(suffix):
    doc = extract_file(GOALS.with_suffix(suffix))
    assert doc.error is None
    goals, *targets = doc.records
    assert goals["report_type"] == "department_goals" and goals["template"] == "hebei_department_goals"
    assert (goals["fiscal_year"], goals["unit_name"]) == (2024, "唐山市丰润区燕山路街道办事处")
    assert "extraction_warnings" not in goals
    assert [s["name"] for s in goals["subgoals"]] == NAMES  # 三、工作保障措施 ends the block
    assert goals["subgoals"][0] == {
        "name": "基层党建", "goal": "加强基层领导班子建设",
        "indicator": "开展党员远程教育工作，发挥先进社区示范带动作用，创建我街道“一街一品”特色占工作任务的比例大于等于95%。"}
    assert goals["overall_goal"].startswith("唐山市丰润区燕山路街道办事处是丰润区人民政府的派出机关")
    assert goals["overall_goal"].endswith("承办上级党委、人大、政府交办的其它工作任务。")
    # the target tables after the prose are read as before
    assert [t["project_name"] for t in targets] == ["2022年非税收入奖励", "2023年街道体制经费"]
    if suffix == ".pdf":  # the prose runs over a page break; wrapped lines are joined back
        assert goals["source"]["pages"] == [1, 2]


def test_a_line_the_reader_cannot_place_is_named(tmp_path):
    word = docx.Document()
    for text in ["某某县民政局2025年部门预算", "部门整体绩效目标", "一、总体绩效目标", "保障困难群众基本生活。",
                 "二、分项绩效目标", "说明：以下为分项目标", "（一）社会救助", "绩效目标：及时救助",
                 "绩效指标：救助及时率不低于95%", "三、保障措施", "（一）加强管理"]:
        word.add_paragraph(text)
    word.save(tmp_path / "goals.docx")
    [record] = extract_file(tmp_path / "goals.docx").records
    assert (record["fiscal_year"], record["unit_name"]) == (2025, "某某县民政局")
    assert record["subgoals"] == [{"name": "社会救助", "goal": "及时救助", "indicator": "救助及时率不低于95%"}]
    assert record["unplaced_cells"] == [{"page": 1, "row_label": "分项绩效目标", "text": "说明：以下为分项目标"}]
    assert record["extraction_warnings"] == ["unplaced line on page 1, row '分项绩效目标': '说明：以下为分项目标'"]


def test_department_self_evaluation_funding_and_breakdowns():
    [record] = extract_file(HUNAN).records
    assert record["report_type"] == "department_self_evaluation"
    assert (record["fiscal_year"], record["unit_name"]) == (2023, "衡山县贯塘乡人民政府")
    assert record["funding"][0]["annual_budget"] == 2030.12 and record["funding"][0]["score"] == 10
    assert [(i["label"], i["amount"]) for i in record["funding_by_income"]] == [
        ("按收入性质分", 2030.12), ("其中: 一般公共预算", 1325.68), ("政府性基金拨款", 118.82),
        ("纳入专户管理的非税收入拨款", None), ("其他资金", 585.62)]
    assert [(i["label"], i["amount"]) for i in record["funding_by_expense"]] == [
        ("按支出性质分", 1925.67), ("其中:基本支出", 900.47), ("项目支出", 1025.2)]
    # the page stops before the indicator table: said, and the document is quarantined
    assert record["extraction_warnings"] == ["indicator table (绩效指标) not found"]


# Records made for the purpose (as in test_models): a project self-evaluation and a department
# self-evaluation of the department whose goals seed 004 states, and defects planted for the checks.
PROJECT = {
    "report_type": "self_evaluation", "fiscal_year": 2024, "project_name": "2024年街道体制经费",
    "department": "丰润区燕山路办事处", "implementing_unit": "丰润区燕山路办事处", "project_lead": None, "phone": None,
    "funding": [{"source": "total", "initial_budget": 10, "annual_budget": 10, "executed": 10, "weight": 10,
                 "execution_rate": 1, "score": 10}],
    "goal_planned": "目标", "goal_actual": "完成",
    "indicators": [{"level1": "产出指标", "level2": "数量指标", "level3": "工作任务", "target": "≥95%",
                    "actual": "100%", "weight": 90, "score": 80, "deviation": "部分未完成"}],
    "total_weight": 100, "total_score": 90}
SELF_EVALUATION = {
    "report_type": "department_self_evaluation", "contract_version": "2", "template": "hunan_department_selfeval",
    "fiscal_year": 2024, "unit_name": "唐山市丰润区燕山路街道办事处",
    "funding": [{"source": "total", "label": "年度资金总额", "initial_budget": 100, "annual_budget": 120,
                 "executed": 114, "weight": 10, "execution_rate": 0.95, "score": 9.5, "note": None}],
    "funding_by_income": [{"label": "按收入性质分", "amount": 120}, {"label": "其中: 一般公共预算", "amount": 100},
                          {"label": "其他资金", "amount": 20}],
    # planted: 80 + 30 is not 120 (DS-04)
    "funding_by_expense": [{"label": "按支出性质分", "amount": 120}, {"label": "其中:基本支出", "amount": 80},
                           {"label": "项目支出", "amount": 30}],
    "goal_planned": "完成年度工作", "goal_actual": "已完成",
    # planted: 55 of 50 points (DS-06), and a 总分 of 104.5 (DS-01)
    "indicators": [{"level1": "产出指标", "level2": "数量指标", "level3": "信访化解", "target": "≥10件",
                    "actual": "12件", "weight": 50, "score": 55, "deviation": None},
                   {"level1": "效益指标", "level2": "社会效益指标", "level3": "群众满意度", "target": "≥90%",
                    "actual": "95%", "weight": 40, "score": 40, "deviation": None}],
    "total_weight": 100, "total_score": 104.5}
UNSTATED = {  # planted: a sub-goal without its 绩效目标 text (DG-02) and a 绩效指标 with no value (DG-05)
    "report_type": "department_goals", "contract_version": "2", "template": "hebei_department_goals",
    "fiscal_year": 2024, "unit_name": "某某县民政局", "overall_goal": "保障困难群众基本生活",
    "subgoals": [{"name": "社会救助", "goal": None, "indicator": "做好社会救助工作"}]}


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    from extract.load import connect, load_document

    folder = tmp_path_factory.mktemp("department")
    path = folder / "jixiao.duckdb"
    with connect(path) as con:
        for document in (GOALS.with_suffix(".pdf"), HUNAN):
            load_document(con, extract_file(document), "test")
    build_from_records({"project": [PROJECT], "department": [SELF_EVALUATION], "unstated": [UNSTATED]},
                       path, folder / "dbt_target")
    return path


def test_department_goal_facts(warehouse):
    rows = query(warehouse, """
        SELECT subgoal_name, indicator_comparator, indicator_value, indicator_unit, indicator_values, department
        FROM marts.fct_department_goal WHERE unit_name = '唐山市丰润区燕山路街道办事处' ORDER BY subgoal_index""")
    assert [r[0] for r in rows] == NAMES
    assert rows[0][1:] == (">=", Decimal("95"), "%", 1, "丰润区燕山路办事处")
    assert rows[3][1:5] == (">=", Decimal("100"), "%", 2)  # 不少于5件 and 大于等于100%: the last
    assert query(warehouse, """
        SELECT is_quantified, indicator_comparator FROM marts.fct_department_goal WHERE unit_name = '某某县民政局'""") == [
        (False, None)]


def test_department_self_evaluation_facts(warehouse):
    assert query(warehouse, """
        SELECT department, annual_budget, execution_rate_recomputed, income_total, income_items_sum, expense_total,
               expense_items_sum, indicator_count, indicator_score_sum, total_score
        FROM marts.fct_department_self_evaluation""") == [
        ("丰润区燕山路办事处", Decimal("120"), Decimal("0.95"), Decimal("120"), Decimal("120"), Decimal("120"),
         Decimal("110"), 2, Decimal("95"), Decimal("104.5"))]
    # the partial Hunan table was quarantined: kept in raw, in no fact
    assert query(warehouse, "SELECT count(*) FROM raw.department_reports WHERE unit_name = '衡山县贯塘乡人民政府'") == [(1,)]
    assert query(warehouse, """SELECT count(*) FROM marts.quarantined_documents
        WHERE source_file LIKE '%hengshan_guantang%'""") == [(1,)]


def test_project_facts_do_not_count_department_rows(warehouse):
    assert query(warehouse, "SELECT count(*) FROM marts.fct_score") == [(1,)]
    assert query(warehouse, "SELECT count(*) FROM marts.fct_indicator") == [(1,)]
    assert query(warehouse, "SELECT count(*) FROM marts.fct_funding") == [(1,)]
    assert query(warehouse, "SELECT count(*) FROM marts.fct_project_budget") == [(2,)]  # the two target tables
    assert query(warehouse, "SELECT count(*) FROM staging.int_reports") == [(3,)]


def test_mart_department_year_sets_the_department_beside_its_projects(warehouse):
    assert query(warehouse, """
        SELECT department_name, projects, avg_total_score, department_subgoals, department_subgoals_quantified,
               left(department_overall_goal, 14), department_self_evaluation_score, department_execution_rate
        FROM marts.mart_department_year WHERE fiscal_year = 2024 ORDER BY department_name""") == [
        ("丰润区燕山路办事处", 1, Decimal("90.00"), 7, 7, "唐山市丰润区燕山路街道办事处", Decimal("104.5"), Decimal("0.95")),
        ("某某县民政局", 0, None, 1, 0, "保障困难群众基本生活", None, None)]


def test_contracts_find_the_planted_defects(warehouse):
    found = sorted((f["rule_id"], f["table_name"], f["field"], f["observed"])
                   for suite in ("fct_department_goal", "fct_department_self_evaluation", "fct_department_indicator")
                   for f in run_suite(warehouse, suite).findings)
    assert found == [
        ("DG-02", "fct_department_goal", "subgoal_goal", "null"),
        ("DG-05", "fct_department_goal", "unquantified", "1"),
        ("DS-01", "fct_department_self_evaluation", "total_score", "104.5"),
        ("DS-04", "fct_department_self_evaluation", "expense_items_minus_total", "-10"),
        ("DS-06", "fct_department_indicator", "score_minus_weight", "5"),
    ]
