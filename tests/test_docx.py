"""DOCX input: a Word table (merged cells by gridSpan and vMerge) reads like its PDF rendering."""

import docx
import pytest

from extract.pipeline import extract_file


@pytest.fixture
def target_docx(tmp_path):
    d = docx.Document()
    d.add_paragraph("唐山市丰润区燕山路街道办事处2024年部门预算")
    d.add_paragraph("1.2022年非税收入奖励绩效目标表")
    d.add_paragraph("435001丰润区燕山路办事处本级\t\t单位：万元")
    t = d.add_table(rows=9, cols=6)

    def put(row, col, text, to_col=None, to_row=None):
        cell = t.cell(row, col)
        if to_col is not None or to_row is not None:
            cell = cell.merge(t.cell(to_row if to_row is not None else row,
                                     to_col if to_col is not None else col))
        cell.text = text

    put(0, 0, "项目编码"), put(0, 1, "13020824P00021910001J"), put(0, 2, "项目名称")
    put(0, 3, "2022年非税收入奖励", to_col=5)
    put(1, 0, "预算规模及资金用途", to_row=2), put(1, 1, "预算数"), put(1, 2, "64.40")
    put(1, 3, "其中：财政    资金"), put(1, 4, "64.40"), put(2, 1, "2024年办事处完成各项工作费用", to_col=5)
    put(3, 0, "资金支出计划（%）", to_row=4)
    for i, month in enumerate(["3月底", "6月底", "10月底", "12月底"]):
        put(3, i + 1, month), put(4, i + 1, ["16.10", "32.20", "48.30", "64.40"][i])
    put(5, 0, "绩效目标"), put(5, 1, "1.完成上级交办的各项工作任务\n2.保障街道日常正常运行", to_col=5)
    header = ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"]
    for i, label in enumerate(header):
        put(6, i, label)
    put(7, 0, "产出指标", to_row=8)
    for i, text in enumerate(["数量指标", "社区数量", "辖区社区数量", "≥14个", "年初计划"]):
        put(7, i + 1, text)
    for i, text in enumerate(["质量指标", "社区工作开展效果", "社区工作开展效果", "优", "历史标准"]):
        put(8, i + 1, text)
    path = tmp_path / "targets.docx"
    d.save(path)
    return path


def test_docx_target_table(target_docx):
    doc = extract_file(target_docx)
    assert doc.error is None
    [record] = doc.records
    assert {k: record[k] for k in ("fiscal_year", "unit_code", "unit_name", "project_code", "project_name",
                                   "budget_total", "budget_fiscal", "budget_other", "purpose")} == {
        "fiscal_year": 2024, "unit_code": "435001", "unit_name": "丰润区燕山路办事处本级",
        "project_code": "13020824P00021910001J", "project_name": "2022年非税收入奖励",
        "budget_total": 64.4, "budget_fiscal": 64.4, "budget_other": None,
        "purpose": "2024年办事处完成各项工作费用"}
    assert record["spend_plan"] == [{"month": m, "value": v} for m, v in
                                    [(3, 16.1), (6, 32.2), (10, 48.3), (12, 64.4)]]
    assert record["goals"] == ["完成上级交办的各项工作任务", "保障街道日常正常运行"]
    assert [(i["level1"], i["level2"], i["target"], i["basis"]) for i in record["indicators"]] == [
        ("产出指标", "数量指标", "≥14个", "年初计划"), ("产出指标", "质量指标", "优", "历史标准")]


def test_broken_docx_is_named(tmp_path):
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    assert "not a Word document" in extract_file(bad).error
