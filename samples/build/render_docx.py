"""Render contract records as Word documents, the way most units publish them, and optionally as PDF
through LibreOffice (the second rendering route: Word layout, LibreOffice's PDF writer).

    python samples/build/render_docx.py RECORDS.jsonl OUT.docx [--pdf] [--variant beijing|sichuan]

Self-evaluations follow the national template 附件2 (one table per report, one Word grid: merged
项目资金/年度总体目标/绩效指标 label cells, vertically merged 一级/二级 cells); ``--variant sichuan``
uses other provinces' labels (调整后预算数, 预算执行数, 年度目标值, 全年实际值, 权重, 未完成原因分析及
改进措施, 本年财政拨款), puts 单位名称/填报日期 lines above the table and starts every report on a
new page. Target tables follow the Hebei layout of the Yanshan Road seed (budget table, indicator
table). Fixed column widths, rows kept whole (tables break between rows). With ``--pdf``
LibreOffice (``soffice``, Debian package libreoffice-writer-nogui) converts the file; its page
breaks are its own, so sets made this way are compared without ``source`` (extract/evaluation.py).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tempfile
import zipfile
from datetime import datetime
from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

FIXED_TIME = datetime(2024, 3, 31)
LABELS = {
    "beijing": {"annual_budget": "全年预算数", "executed": "全年执行数", "weight": "分值",
                "current_year": "其中：当年财政拨款", "target": "年度指标值", "actual": "实际完成值",
                "deviation": "偏差原因分析及改进措施"},
    "sichuan": {"annual_budget": "调整后预算数", "executed": "预算执行数", "weight": "权重",
                "current_year": "其中：本年财政拨款", "target": "年度目标值", "actual": "全年实际值",
                "deviation": "未完成原因分析及改进措施"},
}


def show(value, dash: bool = False) -> str:
    if value is None:
        return "—" if dash else ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def pct(value) -> str:
    if value is None:
        return "—"
    text = f"{value * 100:.6f}".rstrip("0").rstrip(".")
    return f"{text}%"


def grid_of(table) -> list[list]:
    """The table's cells by (row, column), read once: python-docx's table.cell() rescans the table."""
    return [list(row.cells) for row in table.rows]


def put(grid, row: int, col: int, text: str, to_col: int | None = None, to_row: int | None = None):
    cell = grid[row][col]
    if to_col is not None or to_row is not None:
        cell = cell.merge(grid[to_row if to_row is not None else row][to_col if to_col is not None else col])
    lines = text.split("\n")
    cell.paragraphs[0].text = lines[0]
    for line in lines[1:]:
        cell.add_paragraph(line)
    for p in cell.paragraphs:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return cell


def set_widths(table, widths_cm: list[float]) -> None:
    """Fixed column widths (as publications have), written to the grid and to every cell."""
    table.autofit = False
    grid = table._tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths_cm):
        col.set(qn("w:w"), str(int(width * 567)))  # twentieths of a point per cm
    for tr in table._tbl.tr_lst:
        column = 0
        for tc in tr.tc_lst:
            span = tc.grid_span
            tc.width = Cm(sum(widths_cm[column:column + span]))
            column += span


SPLIT_ROWS = False  # --split-rows: Word's default, a row may break across pages mid-row
GOAL_FONT_PT: float | None = None  # --goal-font-pt: the 绩效目标 lines in another size (taller goal rows)
SPACE_BEFORE: dict[int, float] = {}  # --space-before N:PT: report N starts PT points lower (its page breaks move)
STAGGER_PT: float | None = None  # --stagger PT: report N starts (N × PT mod 300) points lower
NARROW_LEVELS = False  # --narrow-levels: 一级/二级 columns so narrow that their labels wrap


def keep_rows_whole(table) -> None:
    """Rows never break across pages (Word's "allow row to break across pages" off): tables still
    break between rows, also inside merged 一级/二级 cells."""
    if SPLIT_ROWS:
        return
    for tr in table._tbl.tr_lst:
        tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def heading(document, text: str, size: float = 16) -> None:
    p = document.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run(text).font.size = Pt(size)


def runs(values: list) -> list[tuple[int, int]]:
    """(first, last) row index of each run of equal consecutive values: one merged cell each."""
    out: list[tuple[int, int]] = []
    for i, v in enumerate(values):
        if out and values[out[-1][0]] == v and v is not None:
            out[-1] = (out[-1][0], i)
        else:
            out.append((i, i))
    return out


def self_evaluation(document, rec: dict, variant: str) -> None:
    labels = LABELS[variant]
    heading(document, "项目支出绩效自评表")
    heading(document, f"（{rec['fiscal_year']} 年度）", 11)
    if variant == "sichuan":
        document.add_paragraph(f"单位名称：{rec['department'] or ''}")
        document.add_paragraph("填报日期：2024年3月31日")
    indicators = rec["indicators"]
    n = 11 + len(indicators) + 1
    t = document.add_table(rows=n, cols=9)
    t.style = "Table Grid"
    g = grid_of(t)
    put(g, 0, 0, "项目名称"), put(g, 0, 1, rec["project_name"], to_col=8)
    put(g, 1, 0, "主管部门"), put(g, 1, 1, show(rec["department"]), to_col=3)
    put(g, 1, 4, "实施单位"), put(g, 1, 5, show(rec["implementing_unit"]), to_col=8)
    put(g, 2, 0, "项目负责人"), put(g, 2, 1, show(rec["project_lead"]), to_col=3)
    put(g, 2, 4, "联系电话"), put(g, 2, 5, show(rec["phone"]), to_col=8)
    put(g, 3, 0, "项目资金\n（万元）", to_row=7)
    put(g, 3, 1, "", to_col=2)
    for col, label in zip(range(3, 9), ["年初预算数", labels["annual_budget"], labels["executed"],
                                        labels["weight"], "执行率", "得分"]):
        put(g, 3, col, label)
    names = ["年度资金总额", labels["current_year"], "上年结转资金", "其他资金"]
    for r, (name, row) in enumerate(zip(names, rec["funding"]), 4):
        put(g, r, 1, name, to_col=2)
        values = [show(row["initial_budget"], True), show(row["annual_budget"], True), show(row["executed"], True),
                  show(row["weight"], True), pct(row["execution_rate"]), show(row["score"], True)]
        for col, v in zip(range(3, 9), values):
            put(g, r, col, v)
    put(g, 8, 0, "年度总\n体目标", to_row=9)
    put(g, 8, 1, "预期目标", to_col=4), put(g, 8, 5, "实际完成情况", to_col=8)
    put(g, 9, 1, show(rec["goal_planned"]), to_col=4), put(g, 9, 5, show(rec["goal_actual"]), to_col=8)
    put(g, 10, 0, "绩\n效\n指\n标", to_row=10 + len(indicators))
    for col, key in zip(range(1, 9), ["一级指标", "二级指标", "三级指标", labels["target"], labels["actual"],
                                      labels["weight"], "得分", labels["deviation"]]):
        put(g, 10, col, key)
    first = 11
    for a, b in runs([i["level1"] for i in indicators]):
        put(g, first + a, 1, show(indicators[a]["level1"]), to_row=first + b)
    for a, b in runs([(i["level1"], i["level2"]) for i in indicators]):
        put(g, first + a, 2, show(indicators[a]["level2"]), to_row=first + b)
    for r, i in enumerate(indicators, first):
        dashed = i["level3"] is None and i["target"] is None and i["weight"] is None
        score = i.get("score_text") if i["score"] is None and i.get("score_text") else show(i["score"], dashed)
        for col, v in zip(range(3, 9), [show(i["level3"], dashed), show(i["target"], dashed), show(i["actual"], dashed),
                                        show(i["weight"], dashed), score, show(i["deviation"])]):
            put(g, r, col, v)
    put(g, n - 1, 0, "总分", to_col=5), put(g, n - 1, 6, show(rec["total_weight"]))
    put(g, n - 1, 7, show(rec["total_score"])), put(g, n - 1, 8, "")
    set_widths(t, [1.2, 1.0, 1.0, 3.2, 3.0, 3.0, 1.0, 1.4, 2.4] if NARROW_LEVELS else
               [1.2, 1.4, 1.6, 2.8, 2.8, 2.6, 1.0, 1.4, 2.2])
    keep_rows_whole(t)
    document.add_paragraph()


def performance_target(document, rec: dict, number: int) -> None:
    heading(document, f"{number}.{rec['project_name']}绩效目标表", 12)
    unit = document.add_paragraph(f"{rec['unit_code']}{rec['unit_name']}\t\t\t\t\t单位：万元")
    unit.paragraph_format.space_after = Pt(2)
    t = document.add_table(rows=6, cols=7)
    t.style = "Table Grid"
    g = grid_of(t)
    put(g, 0, 0, "项目编码"), put(g, 0, 1, show(rec["project_code"]), to_col=2)
    put(g, 0, 3, "项目名称"), put(g, 0, 4, rec["project_name"], to_col=6)
    put(g, 1, 0, "预算规模及资金用途", to_row=2)
    money = [None if v is None else f"{v:.2f}" for v in (rec["budget_total"], rec["budget_fiscal"], rec["budget_other"])]
    for col, v in zip(range(1, 7), ["预算数", money[0], "其中：财政资金", money[1], "其他资金", money[2]]):
        put(g, 1, col, v or "")
    put(g, 2, 1, show(rec["purpose"]), to_col=6)
    put(g, 3, 0, "资金支出计划（%）", to_row=4)
    spans = [(1, 2), (3, 3), (4, 5), (6, 6)]
    for (a, b), plan in zip(spans, rec["spend_plan"]):
        put(g, 3, a, f"{plan['month']}月底", to_col=b)
        put(g, 4, a, "" if plan["value"] is None else f"{plan['value']:.2f}", to_col=b)
    put(g, 5, 0, "绩效目标")
    goals = put(g, 5, 1, "\n".join(f"{k}.{g}" for k, g in enumerate(rec["goals"], 1)), to_col=6)
    for p in goals.paragraphs:
        p.alignment = WD_ALIGN_PARAGRAPH.LEFT
        if GOAL_FONT_PT:
            for run in p.runs:
                run.font.size = Pt(GOAL_FONT_PT)
    set_widths(t, [2.4, 2.4, 2.6, 2.4, 2.4, 2.2, 2.6])
    keep_rows_whole(t)
    document.add_paragraph()
    indicators = rec["indicators"]
    t = document.add_table(rows=1 + len(indicators), cols=6)
    t.style = "Table Grid"
    g = grid_of(t)
    for col, label in enumerate(["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"]):
        put(g, 0, col, label)
    for a, b in runs([i["level1"] for i in indicators]):
        put(g, 1 + a, 0, show(indicators[a]["level1"]), to_row=1 + b)
    for a, b in runs([(i["level1"], i["level2"]) for i in indicators]):
        put(g, 1 + a, 1, show(indicators[a]["level2"]), to_row=1 + b)
    for r, i in enumerate(indicators, 1):
        for col, key in zip(range(2, 6), ["level3", "description", "target", "basis"]):
            put(g, r, col, show(i[key]))
    set_widths(t, [2.2, 2.6, 3.2, 4.0, 2.8, 2.2])
    keep_rows_whole(t)
    document.add_paragraph()


def page_number_footer(section) -> None:
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run("- ")
    run = p.add_run()
    for tag, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if tag:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), tag)
        else:
            el = OxmlElement("w:instrText")
            el.text = text
        run._r.append(el)
    p.add_run(" -")


def render(records: list[dict], out: Path, variant: str = "beijing", header: str = "") -> Path:
    document = docx.Document()
    style = document.styles["Normal"]
    style.font.size = Pt(9)
    style.font.name = "SimSun"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "SimSun")
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2)
    section.top_margin = section.bottom_margin = Cm(2.2)
    section.header.paragraphs[0].text = header
    page_number_footer(section)
    for number, rec in enumerate(records, 1):
        if variant == "sichuan" and number > 1:
            document.add_page_break()  # this layout starts every report on a new page
        space = SPACE_BEFORE.get(number, (number * STAGGER_PT) % 300 if STAGGER_PT else None)
        if space:
            document.add_paragraph().paragraph_format.space_before = Pt(space)
        if rec["report_type"] == "self_evaluation":
            self_evaluation(document, rec, variant)
        else:
            performance_target(document, rec, number)
    document.core_properties.created = document.core_properties.modified = FIXED_TIME
    document.save(out)
    _fix_zip_times(out)
    return out


def _fix_zip_times(path: Path) -> None:
    """Zip entries carry the time of writing: fix them so the same records give the same bytes."""
    with zipfile.ZipFile(path) as z:
        entries = [(info.filename, z.read(info)) for info in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            z.writestr(zipfile.ZipInfo(name, date_time=FIXED_TIME.timetuple()[:6]), data,
                       compress_type=zipfile.ZIP_DEFLATED)


def to_pdf(docx_path: Path, pdf_path: Path) -> Path:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", tmp, str(docx_path)],
                       check=True, capture_output=True, timeout=600)
        Path(tmp, docx_path.with_suffix(".pdf").name).replace(pdf_path)
    return pdf_path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("records", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--variant", choices=sorted(LABELS), default="beijing")
    parser.add_argument("--header", default="")
    parser.add_argument("--pdf", action="store_true", help="also convert with LibreOffice")
    parser.add_argument("--split-rows", action="store_true", help="let rows break across pages")
    parser.add_argument("--goal-font-pt", type=float, help="font size of the 绩效目标 lines (targets)")
    parser.add_argument("--space-before", action="append", default=[], metavar="N:PT",
                        help="start report N PT points lower (moves its page breaks)")
    parser.add_argument("--stagger", type=float, metavar="PT",
                        help="start report N (N × PT mod 300) points lower: page breaks land everywhere")
    parser.add_argument("--narrow-levels", action="store_true",
                        help="一级/二级 columns 1 cm wide: their labels wrap (一级指|标), as in many Word files")
    args = parser.parse_args(argv)
    global SPLIT_ROWS, GOAL_FONT_PT, STAGGER_PT, NARROW_LEVELS
    SPLIT_ROWS, GOAL_FONT_PT, STAGGER_PT = args.split_rows, args.goal_font_pt, args.stagger
    NARROW_LEVELS = args.narrow_levels
    for spec in args.space_before:
        number, points = spec.split(":")
        SPACE_BEFORE[int(number)] = float(points)
    records = [json.loads(line) for line in args.records.read_text(encoding="utf-8").splitlines() if line.strip()]
    for rec in records:
        rec.pop("seed_report", None)
    render(records, args.out, args.variant, args.header)
    if args.pdf:
        to_pdf(args.out, args.out.with_suffix(".pdf"))


if __name__ == "__main__":
    main()
