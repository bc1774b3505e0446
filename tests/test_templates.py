"""Template families are data (extract/templates/*.yaml), and a table the reader does not fully
know is never read in silence: an unknown column or row is a warning naming the cell.

The documents are real Word files: the first report of each Word evaluation set (samples/eval),
changed with python-docx the way another template would print it.
"""

from pathlib import Path

import docx
import pytest

from extract import labels as L
from extract.pipeline import extract_file

ROOT = Path(__file__).resolve().parent.parent
SELFEVAL = ROOT / "samples" / "eval" / "selfeval_word.docx"
TARGETS = ROOT / "samples" / "eval" / "targets_word.docx"


def first_report(path: Path):
    """The Word file cut before the second report's title (the first text after a table)."""
    word = docx.Document(path)
    body = word.element.body
    elements, cut, tables = list(body), None, 0
    for i, element in enumerate(elements):
        tables += element.tag.endswith("}tbl")
        if tables and element.tag.endswith("}p") and "".join(element.itertext()).strip():
            cut = i
            break
    for element in elements[cut:]:
        if not element.tag.endswith("sectPr"):
            body.remove(element)
    return word


def row_index(table, text: str) -> int:
    return next(i for i, row in enumerate(table.rows) if any(cell.text == text for cell in row.cells))


def table_with(word, text: str):
    return next(t for t in word.tables if any(c.text == text for row in t.rows for c in row.cells))


def read(word, path: Path) -> dict:
    word.save(path)
    doc = extract_file(path)
    assert doc.error is None, doc.error
    [record] = doc.records
    return record


def test_every_family_is_a_file_with_its_report_type():
    names = {family.name: family.report_type for family in L.FAMILIES}
    assert names == {path.stem: names[path.stem] for path in L.TEMPLATES.glob("*.yaml")}
    assert {"national_selfeval", "sichuan_selfeval", "hebei_target", "target_application"} <= names.keys()
    assert set(names.values()) == {"self_evaluation", "performance_target", "department_goals",
                                   "department_self_evaluation"}


def test_a_family_reads_a_label_one_way_and_the_family_being_read_decides(tmp_path, monkeypatch):
    # 资金总额 is the year's money in a 申报表 and the whole period's in Hubei's table
    for family, field in (("target_application", "budget_total"), ("hubei_target", "budget_period_total")):
        token = L.FAMILY.set(family)
        try:
            assert L.match("资金总额", L.TT_HEADER) == field
            assert L.match("其中：财政拨款", L.TT_HEADER) == field.replace("total", "fiscal")
        finally:
            L.FAMILY.reset(token)

    (tmp_path / "clash.yaml").write_text(
        "family: clash\nreport_type: self_evaluation\nindicator_columns:\n  target: [年度指标值]\n"
        "  actual: [年度指标值]\n", encoding="utf-8")
    monkeypatch.setattr(L, "TEMPLATES", tmp_path)
    with pytest.raises(ValueError, match="clash.yaml: indicator_columns: '年度指标值' names 'actual' and 'target'"):
        L._load()


@pytest.mark.parametrize("source", [SELFEVAL, TARGETS], ids=["national_selfeval", "hebei_target"])
def test_an_unknown_column_and_an_unknown_row_are_warnings(tmp_path, source):
    header = "一级指标"
    plain = read(first_report(source), tmp_path / "plain.docx")
    assert "extraction_warnings" not in plain and "unplaced_cells" not in plain

    word = first_report(source)
    table = table_with(word, header)
    table.add_column(docx.shared.Cm(1.5))
    head = row_index(table, header)
    table.rows[head].cells[-1].text = "考核方式"
    table.rows[head + 1].cells[-1].text = "抽查"
    last = word.tables[-1].add_row()
    last.cells[0].text = "审计意见"
    last.cells[-1].text = "无异议"
    record = read(word, tmp_path / "changed.docx")

    warnings = record["extraction_warnings"]
    assert any(w.startswith("unknown column header") and "'考核方式'" in w for w in warnings), warnings
    assert any(w.startswith("unplaced cell") and "'抽查'" in w for w in warnings), warnings
    assert any("'审计意见'" in w for w in warnings) and any("'无异议'" in w for w in warnings), warnings
    assert {c["text"] for c in record["unplaced_cells"]} == {"考核方式", "抽查", "审计意见", "无异议"}
    # what the reader knows is read as before
    assert record["indicators"] == plain["indicators"]


def test_a_label_with_a_trailing_colon_is_the_label(tmp_path):
    """Regression: "年度资金总额：" silently dropped the total funding row."""
    word = first_report(SELFEVAL)
    for cell in word.tables[0].rows[row_index(word.tables[0], "年度资金总额")].cells:
        if cell.text == "年度资金总额":
            cell.text = "年度资金总额："
    record = read(word, tmp_path / "colon.docx")
    assert [row["source"] for row in record["funding"]] == ["total", "current_year", "carryover", "other"]
    assert record["funding"][0]["label"] == "年度资金总额："
    assert "extraction_warnings" not in record


def test_the_table_decides_the_report_type_not_the_title(tmp_path):
    """A target table under a self-evaluation's title is still a target table, and the reverse."""
    word = first_report(TARGETS)
    for paragraph in word.paragraphs:
        if "绩效目标表" in paragraph.text:
            paragraph.text = "项目支出绩效自评表"
    record = read(word, tmp_path / "retitled_targets.docx")
    assert (record["report_type"], record["template"]) == ("performance_target", "hebei_target")
    assert len(record["indicators"]) > 0 and "extraction_warnings" not in record

    word = first_report(SELFEVAL)
    for paragraph in word.paragraphs:
        if "自评表" in paragraph.text:
            paragraph.text = "项目支出绩效目标申报表"
    record = read(word, tmp_path / "retitled_selfeval.docx")
    assert (record["report_type"], record["template"]) == ("self_evaluation", "national_selfeval")
    assert record["total_score"] == 100 and "extraction_warnings" not in record


def sichuan_with_goals(goal_rows: list[list]) -> dict:
    """The real Sichuan example with its goal block (the first three rows of 项目基本情况) laid out
    another way."""
    import json

    spec = json.loads((ROOT / "samples/templates/sichuan_selfeval/qingshen_2023_fgj_gongzixing.json").read_text())
    rows = spec["rows"]
    start = next(i for i, row in enumerate(rows) if isinstance(row[0], dict) and row[0]["text"] == "项目基本情况")
    spec["rows"] = rows[:start] + goal_rows + rows[start + 3:]
    return spec


@pytest.mark.parametrize("layout", ["columns", "one_row", "a_row_each"])
def test_goal_blocks_in_every_layout_read_the_same(tmp_path, layout):
    """Regression: goal blocks laid out otherwise gave the label as the value, lost the goals, or
    appended the header words of the next row to them."""
    import sys

    sys.path.insert(0, str(ROOT / "samples" / "build"))
    import render_templates

    planned, actual = "严格执行相关政策,保障工资及时、足额发放。", "已完成。"
    summary = [{"text": "2.项目实施内容及过程概述", "colspan": 2}, {"text": "按月发放", "colspan": 8}]
    goal_rows = {
        "columns": [[{"text": "项目基本情况", "rowspan": 3}, {"text": "1.项目年度目标完成情况", "colspan": 2, "rowspan": 2},
                     {"text": "项目年度目标", "colspan": 4}, {"text": "年度目标完成情况", "colspan": 4}],
                    [{"text": planned, "colspan": 4}, {"text": actual, "colspan": 4}], summary],
        "one_row": [[{"text": "项目基本情况", "rowspan": 2}, {"text": "项目年度目标", "colspan": 2},
                     {"text": planned, "colspan": 3}, {"text": "年度目标完成情况", "colspan": 2},
                     {"text": actual, "colspan": 3}], summary],
        "a_row_each": [[{"text": "项目基本情况", "rowspan": 3}, {"text": "项目年度目标", "colspan": 2},
                        {"text": planned, "colspan": 8}],
                       [{"text": "年度目标完成情况", "colspan": 2}, {"text": actual, "colspan": 8}], summary],
    }[layout]
    path = render_templates.render(sichuan_with_goals(goal_rows), tmp_path / f"{layout}.docx")
    doc = extract_file(path)
    assert doc.error is None, doc.error
    [record] = doc.records
    assert (record["goal_planned"], record["goal_actual"], record["implementation_summary"]) == (
        planned, actual, "按月发放")
    assert "extraction_warnings" not in record
    assert [i["level3"] for i in record["indicators"]] == ["发放(缴纳)覆盖率", "足额保障率(参保率)"]


def test_review_rows_are_the_review_not_indicators(tmp_path):
    """Regression: the 审核意见 rows under a target table were read as indicators."""
    import json
    import sys

    sys.path.insert(0, str(ROOT / "samples" / "build"))
    import render_templates

    spec = json.loads((ROOT / "samples/templates/target_application/xiangtan_2023_hwc_wupaoche.json").read_text())
    spec["rows"][-1] = ["财政部门审核意见", {"text": "同意申报，按程序拨付。", "colspan": 5}]
    spec["rows"].append(["主管部门审核意见", {"text": "同意", "colspan": 5}])
    record = extract_file(render_templates.render(spec, tmp_path / "reviewed.docx")).records[0]
    assert record["review_opinion"] == "同意申报，按程序拨付。\n同意"
    assert len(record["indicators"]) == len(spec["expected"]["indicators"])
    assert "extraction_warnings" not in record


def real_examples() -> list[Path]:
    """One real example per known family (samples/templates/<family>/, docs/templates.md)."""
    import json

    examples = {}
    for path in sorted((ROOT / "samples" / "templates").glob("*/*.json"),
                       key=lambda p: (not json.loads(p.read_text(encoding="utf-8")).get("complete", True), p)):
        if (L.TEMPLATES / f"{path.parent.name}.yaml").exists():
            examples.setdefault(path.parent.name, path)  # a complete table where the family has one
    return list(examples.values())


@pytest.mark.parametrize("example", real_examples(), ids=lambda p: p.parent.name)
def test_an_unknown_column_and_row_in_every_family_are_warnings(tmp_path, example):
    """Every family's real table with a column and a row that no template prints: both are named."""
    import json
    import sys

    sys.path.insert(0, str(ROOT / "samples" / "build"))
    import render_templates

    spec = json.loads(example.read_text(encoding="utf-8"))
    width, _ = render_templates.layout(spec["rows"])
    header = next((i for i, row in enumerate(spec["rows"])
                   if any((c if isinstance(c, str) else c["text"]) == "一级指标" for c in row)), None)
    if header is None:
        pytest.skip("the family's only real example is partial: it stops before the indicator table")
    for i, row in enumerate(spec["rows"]):
        row.append({header: "考核方式", header + 1: "抽查"}.get(i, ""))
    spec["rows"].append(["审计意见", {"text": "无异议", "colspan": width}])
    record = extract_file(render_templates.render(spec, tmp_path / "changed.docx")).records[0]

    warnings = record.get("extraction_warnings", [])
    assert any(w.startswith("unknown column header") and "'考核方式'" in w for w in warnings), warnings
    assert any(w.startswith("unplaced cell") and "'抽查'" in w for w in warnings), warnings
    assert {"审计意见", "无异议"} <= {c["text"] for c in record["unplaced_cells"]}, warnings
    assert [i["level3"] for i in record["indicators"]] == [i["level3"] for i in spec["expected"]["indicators"]]


def test_a_goal_text_beside_a_label_over_an_empty_cell_is_not_lost(tmp_path):
    """Regression: with one goal label beside its text and the other beside an empty cell, the row
    was taken for column headers and the text marked as read: lost without a word."""
    import sys

    sys.path.insert(0, str(ROOT / "samples" / "build"))
    import render_templates

    planned = "严格执行相关政策,保障工资及时、足额发放。"
    spec = sichuan_with_goals([
        [{"text": "项目基本情况", "rowspan": 2}, {"text": "项目年度目标", "colspan": 2}, {"text": planned, "colspan": 3},
         {"text": "年度目标完成情况", "colspan": 2}, {"text": "", "colspan": 3}],
        [{"text": "2.项目实施内容及过程概述", "colspan": 2}, {"text": "按月发放", "colspan": 8}]])
    record = extract_file(render_templates.render(spec, tmp_path / "half.docx")).records[0]
    assert record["goal_planned"] is None  # the row reads as column headers over an empty row: the text is named
    assert any(w.startswith("unknown column header") and planned in w for w in record["extraction_warnings"])
