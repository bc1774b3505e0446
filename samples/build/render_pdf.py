"""Render contract records as sample publications: multi-report PDFs laid out like Word exports.

    python samples/build/render_pdf.py [--count 40] [--selfeval FILE] [--targets FILE] [--out DIR]

Reads records in contract form (JSON Lines, no ``source``) and writes, per set, ``<name>.pdf`` and
``<name>.expected.jsonl`` (the records plus ``source``: file, sha256, pages). Output is
deterministic: the same records give byte-identical PDFs.

Three parts: a layout model (rows of bordered cells, vertical merges as cells spanning rows), a
paginator (reports flow one after another; tables break between rows; a merged cell cut by a page
break keeps its text in its first part), and a drawer (reportlab canvas). Needs the CJK font
WenQuanYi Zen Hei (``apt-get install fonts-wqy-zenhei``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

ROOT = Path(__file__).resolve().parents[2]
FONT = "WenQuanYiZenHei"
FONT_PATHS = ["/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", "/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc"]
FALLBACK = "DejaVuSans"  # for the few characters WenQuanYi lacks (• U+2022)
FALLBACK_PATH = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

PAGE_W, PAGE_H = A4
MARGIN_X = 56.0  # 2 cm
BODY_TOP, BODY_BOTTOM = 72.0, PAGE_H - 72.0  # top-down coordinates
TABLE_X0, TABLE_X1 = MARGIN_X, PAGE_W - MARGIN_X
BODY = 9.0  # 小五
LEAD = 1.3  # line height / font size
PAD_X, PAD_Y = 2.5, 3.0
MIN_ROW = 18.0
REPORT_GAP = 30.0

# ---------------------------------------------------------------------------------------------
# Text: wrapping that round-trips under the contract's join rule
# ---------------------------------------------------------------------------------------------

# The contract's Latin/digit class (same as extract/text.py): a space is put back between two lines
# only where both sides are in it.
_LATIN = re.compile(r"[0-9A-Za-z.%\-+()]")
_ASCII = re.compile(r"[\x21-\x7e]")
_CLOSE = set("，。、；：！？）》」』”’％,.;:!?)]%")  # never starts a line
_OPEN = set("（《「『“‘([")  # never ends a line
_DROP = object()  # a break opportunity at a space that the join rule puts back


def join_lines(lines: list[str]) -> str:
    """The contract's rule: no space between CJK characters, one between two Latin/digit runs."""
    out = ""
    for line in (ln.strip() for ln in lines):
        if not line:
            continue
        if out and _LATIN.match(out[-1]) and _LATIN.match(line[0]):
            out += " "
        out += line
    return out


def _tokens(text: str) -> list:
    """Unbreakable pieces of ``text``; a line may break between any two."""
    atoms: list = []
    glue_next = False
    i = 0
    while i < len(text):
        ch = text[i]
        if ch.isspace():  # join strips every kind of space (also U+3000) from a line's ends
            j = i
            while j < len(text) and text[j].isspace():
                j += 1
            single = text[i:j] == " " and 0 < i and j < len(text)
            if single and _LATIN.match(text[i - 1]) and _LATIN.match(text[j]):
                atoms.append(_DROP)
            elif atoms and atoms[-1] is not _DROP:
                atoms[-1] += text[i:j]  # a space next to CJK is kept: glue it to both sides
                glue_next = True
            else:
                atoms.append(text[i:j])
                glue_next = True
            i = j
            continue
        if _ASCII.match(ch):  # a Latin/digit run is never broken
            j = i
            while j < len(text) and _ASCII.match(text[j]):
                j += 1
            piece = text[i:j]
        else:
            j, piece = i + 1, ch
        if atoms and atoms[-1] is not _DROP and (glue_next or piece[0] in _CLOSE or atoms[-1][-1] in _OPEN):
            atoms[-1] += piece
        else:
            atoms.append(piece)
        glue_next = False
        i = j
    return atoms


def font_runs(text: str) -> list[tuple[str, str]]:
    """(font, piece) runs: characters the main font lacks (e.g. • U+2022) come from the fallback."""
    cmap = pdfmetrics.getFont(FONT).face.charToGlyph
    out: list[tuple[str, str]] = []
    for ch in text:
        font = FONT if ord(ch) in cmap or ch.isspace() else FALLBACK
        if out and out[-1][0] == font:
            out[-1] = (font, out[-1][1] + ch)
        else:
            out.append((font, ch))
    return out


def width(text: str, size: float) -> float:
    return sum(pdfmetrics.stringWidth(piece, font, size) for font, piece in font_runs(text))


def wrap(text: str, avail: float, size: float) -> list[str] | None:
    """Greedy line breaking; ``None`` when an unbreakable piece is wider than ``avail``.

    A ``\n`` in ``text`` starts a new line (numbered goals). Asserts that each paragraph's lines
    join back to exactly the paragraph under the contract's rule.
    """
    lines: list[str] = []
    for para in text.split("\n"):
        out, cur, space = [], "", False
        for tok in _tokens(para):
            if tok is _DROP:
                space = True
                continue
            if width(tok, size) > avail:
                return None
            cand = cur + (" " if space else "") + tok
            if cur and width(cand, size) > avail:
                out.append(cur)
                cur = tok
            else:
                cur = cand
            space = False
        out.append(cur)
        assert join_lines(out) == para, f"wrapping does not round-trip: {para!r} -> {out!r}"
        lines += out
    return lines


# ---------------------------------------------------------------------------------------------
# Layout model: rows of cells; a cell with span > 1 is a vertical merge over the following rows
# ---------------------------------------------------------------------------------------------


@dataclass
class Cell:
    x0: float
    x1: float
    text: str = ""
    align: str = "c"  # c, l, r
    span: int = 1  # rows covered (vertical merge)
    vertical: bool = False  # one character per line (绩/效/指/标)
    size: float = BODY
    lines: list[str] = field(default_factory=list)

    def fit(self) -> None:
        """Wrap the text, shrinking the font only when an unbreakable run cannot fit at all."""
        if self.vertical:
            self.lines = list(self.text)
            return
        size = self.size
        while True:
            lines = wrap(self.text, self.x1 - self.x0 - 2 * PAD_X, size)
            if lines is not None:
                break
            size -= 0.5
            assert size >= 6, f"cannot fit {self.text!r} in {self.x1 - self.x0:.0f} pt"
        self.size, self.lines = size, lines if self.text else []

    @property
    def need(self) -> float:
        return len(self.lines) * self.size * LEAD + 2 * PAD_Y


@dataclass
class Row:
    cells: list[Cell]
    ruled: bool = True  # False: loose text (titles, unit line) or spacing
    height: float = 0.0


def layout(rows: list[Row]) -> list[Row]:
    """Wrap every cell and size the rows; a merged cell taller than its rows grows its last row."""
    for row in rows:
        for cell in row.cells:
            cell.fit()
        singles = [c.need for c in row.cells if c.span == 1]
        row.height = max([row.height, *singles, MIN_ROW if row.ruled else 0])
    merged = [(i, c) for i, row in enumerate(rows) for c in row.cells if c.span > 1]
    for i, cell in sorted(merged, key=lambda m: m[1].span):
        short = cell.need - sum(r.height for r in rows[i:i + cell.span])
        if short > 0:
            rows[i + cell.span - 1].height += short
    return rows


def cols(*widths: float, x0: float = TABLE_X0, x1: float = TABLE_X1) -> list[float]:
    """Column edges for the given widths, the last column taking what is left."""
    edges = [x0]
    for w in widths:
        edges.append(edges[-1] + w)
    edges.append(x1)
    return edges


def cells(edges: list[float], *texts, spans: dict[int, int] | None = None, **kw) -> list[Cell]:
    """One cell per text between consecutive ``edges``; a tuple (text, ncols) spans columns."""
    out, k = [], 0
    for i, item in enumerate(texts):
        text, n = item if isinstance(item, tuple) else (item, 1)
        out.append(Cell(edges[k], edges[k + n], text, span=(spans or {}).get(i, 1), **kw))
        k += n
    return out


# ---------------------------------------------------------------------------------------------
# Values as publications print them
# ---------------------------------------------------------------------------------------------

DASH = "—"


def show(value, dash: bool = False) -> str:
    """Text as is, a number in its shortest form (0.5, 1168.685052), and ``—`` or empty for null."""
    if value is None:
        return DASH if dash else ""
    if isinstance(value, str):
        return value
    return str(value)


def money2(value) -> str:
    """Target-table money: at least two decimals, as the budget documents print it (16.1 → 16.10)."""
    if value is None:
        return ""
    places = max(2, -Decimal(str(value)).as_tuple().exponent)
    return f"{Decimal(str(value)):.{places}f}"


def pct(value) -> str:
    """A fraction as a percentage: 1.0 → 100%, 0.805 → 80.5%."""
    if value is None:
        return ""
    text = f"{Decimal(str(value)) * 100:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text + "%"


def text(value) -> str:
    return "" if value is None else value


# ---------------------------------------------------------------------------------------------
# Report builders: record → Report (rows; the first ``keep`` rows, title and header rows, must
# start on the same page)
# ---------------------------------------------------------------------------------------------


@dataclass
class Report:
    name: str
    rows: list[Row]
    keep: int


FUNDING_LABEL = {"total": "年度资金总额", "current_year": "其中：当年财政拨款",
                 "carryover": "上年结转资金", "other": "其他资金"}
FUNDING_AMOUNTS = ("initial_budget", "annual_budget", "executed")


def merged_column(values: list, within: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Runs (start, length) of equal non-null consecutive values, never crossing a run of ``within``."""
    runs = []
    for start, length in within:
        i = start
        while i < start + length:
            j = i + 1
            while j < start + length and values[i] is not None and values[j] == values[i]:
                j += 1
            runs.append((i, j - i))
            i = j
    return runs


def self_evaluation(rec: dict) -> Report:
    rows = [
        Row([Cell(TABLE_X0, TABLE_X1, "项目支出绩效自评表", size=16)], ruled=False),
        Row([Cell(TABLE_X0, TABLE_X1, f"（{show(rec['fiscal_year'])} 年度）", size=12)], ruled=False),
    ]
    head = cols(75, 170, 75)
    rows.append(Row(cells(head, "项目名称", (text(rec["project_name"]), 3))))
    rows.append(Row(cells(head, "主管部门", text(rec["department"]), "实施单位", text(rec["implementing_unit"]))))
    rows.append(Row(cells(head, "项目负责人", text(rec["project_lead"]), "联系电话", text(rec["phone"]))))
    keep = len(rows)

    fund = cols(48, 80, 66, 66, 66, 36, 50)
    funding = rec["funding"]
    rows.append(Row(cells(fund, "项目资金（万元）", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率",
                          "得分", spans={0: len(funding) + 1})))
    for f in funding:
        filled = any(f[k] is not None for k in (*FUNDING_AMOUNTS, "weight", "execution_rate", "score"))
        texts = [FUNDING_LABEL[f["source"]], *(show(f[k], dash=True) for k in FUNDING_AMOUNTS),
                 show(f["weight"], dash=filled), pct(f["execution_rate"]) or (DASH if filled else ""),
                 show(f["score"], dash=filled)]
        rows.append(Row(cells(fund[1:], *texts)))

    goal = cols(48, (TABLE_X1 - TABLE_X0 - 48) / 2)
    rows.append(Row(cells(goal, "年度总体目标", "预期目标", "实际完成情况", spans={0: 2})))
    rows.append(Row(cells(goal[1:], text(rec["goal_planned"]), text(rec["goal_actual"]), align="l")))

    ind = cols(22, 38, 58, 68, 80, 64, 28, 28)
    indicators = rec["indicators"]
    head_cells = cells(ind, "绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
                       "偏差原因分析及改进措施", spans={0: len(indicators) + 1})
    head_cells[0].vertical = True
    rows.append(Row(head_cells))
    first = len(rows)
    l1_runs = merged_column([i["level1"] for i in indicators], [(0, len(indicators))])
    l2_runs = merged_column([i["level2"] for i in indicators], l1_runs)
    starts1, starts2 = dict(l1_runs), dict(l2_runs)
    for k, i in enumerate(indicators):
        dashed = all(i[f] is None for f in ("level3", "target", "actual", "weight", "score"))
        row = []
        if k in starts1:
            row.append(Cell(ind[1], ind[2], text(i["level1"]), span=starts1[k]))
        if k in starts2:
            row.append(Cell(ind[2], ind[3], text(i["level2"]), span=starts2[k]))
        score = show(i["score"], dash=dashed) if i["score"] is not None or not i.get("score_text") else i["score_text"]
        row += cells(ind[3:], show(i["level3"], dashed), show(i["target"], dashed), show(i["actual"], dashed),
                     show(i["weight"], dashed), score)
        row.append(Cell(ind[8], ind[9], text(i["deviation"]), align="l"))
        rows.append(Row(row))
    assert len(rows) - first == len(indicators)
    rows.append(Row(cells(ind, ("总分", 6), show(rec["total_weight"]), show(rec["total_score"]), "")))
    return Report(rec["project_name"], layout(rows), keep)


def performance_target(rec: dict, number: int) -> Report:
    rows = [
        Row([Cell(TABLE_X0, TABLE_X1, f"{number}.{rec['project_name']}绩效目标表", align="l", size=12)],
            ruled=False),
        Row([Cell(TABLE_X0, TABLE_X1 - 90, f"{text(rec['unit_code'])}{text(rec['unit_name'])}", align="l"),
             Cell(TABLE_X1 - 90, TABLE_X1, "单位：万元", align="r")], ruled=False),
    ]
    top = cols(70, 150, 70)
    rows.append(Row(cells(top, "项目编码", text(rec["project_code"]), "项目名称", text(rec["project_name"]))))
    budget = cols(70, 50, 60, 80, 60, 55)
    rows.append(Row(cells(budget, "预算规模及资金用途", "预算数", money2(rec["budget_total"]), "其中：财政资金",
                          money2(rec["budget_fiscal"]), "其他资金", money2(rec["budget_other"]), spans={0: 2})))
    rows.append(Row(cells(budget[1:2] + budget[-1:], text(rec["purpose"]), align="l")))
    keep = len(rows)
    plan = rec["spend_plan"]
    step = (TABLE_X1 - TABLE_X0 - 70) / max(1, len(plan))
    months = cols(70, *[step] * (len(plan) - 1))
    rows.append(Row(cells(months, "资金支出计划（%）", *(f"{p['month']}月底" for p in plan), spans={0: 2})))
    rows.append(Row(cells(months[1:], *(money2(p["value"]) for p in plan))))
    goals = "\n".join(f"{k}.{g}" for k, g in enumerate(rec["goals"], 1))
    rows.append(Row(cells(top[:2] + top[-1:], "绩效目标", goals, align="l")))
    rows[-1].cells[0].align = "c"
    rows.append(Row([], ruled=False, height=12.0))  # the empty paragraph between the two tables

    ind = cols(60, 70, 85, 110, 88)
    indicators = rec["indicators"]
    rows.append(Row(cells(ind, "一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据")))
    l1_runs = merged_column([i["level1"] for i in indicators], [(0, len(indicators))])
    l2_runs = merged_column([i["level2"] for i in indicators], l1_runs)
    starts1, starts2 = dict(l1_runs), dict(l2_runs)
    for k, i in enumerate(indicators):
        row = []
        if k in starts1:
            row.append(Cell(ind[0], ind[1], text(i["level1"]), span=starts1[k]))
        if k in starts2:
            row.append(Cell(ind[1], ind[2], text(i["level2"]), span=starts2[k]))
        row += cells(ind[2:], text(i["level3"]), text(i["description"]), text(i["target"]), text(i["basis"]))
        rows.append(Row(row))
    return Report(rec["project_name"], layout(rows), keep)


# ---------------------------------------------------------------------------------------------
# Paginator
# ---------------------------------------------------------------------------------------------


@dataclass
class Placed:
    page: int  # 1-based
    top: float  # top-down


def can_break_before(rows: list[Row], j: int) -> bool:
    """A page break before row ``j`` is allowed when every merged cell it cuts fits its text above."""
    for s, row in enumerate(rows[:j]):
        for cell in row.cells:
            if s + cell.span > j and sum(r.height for r in rows[s:j]) < cell.need:
                return False
    return True


def paginate(reports: list[Report]) -> list[list[Placed]]:
    """Place every row; reports follow each other and start on a new page only when their head does not fit."""
    page, y = 1, BODY_TOP
    placements = []
    for report in reports:
        rows, keep = report.rows, report.keep
        gap = REPORT_GAP if y > BODY_TOP else 0.0
        if y + gap + sum(r.height for r in rows[:keep]) > BODY_BOTTOM:
            page, y, gap = page + 1, BODY_TOP, 0.0
        y += gap
        placed: list[Placed] = []
        page_start = 0  # first row of this report on the current page
        i = 0
        while i < len(rows):
            if y + rows[i].height <= BODY_BOTTOM:
                placed.append(Placed(page, y))
                y += rows[i].height
                i += 1
                continue
            j = i
            while j > page_start and not can_break_before(rows, j):
                j -= 1
            if j < keep:  # the head moves with the report to the next page
                j = 0
            if j == page_start and placed[j].top == BODY_TOP:
                raise AssertionError(f"no legal page break in {report.name!r} before row {i}")
            del placed[j:]
            page, y = page + 1, BODY_TOP
            page_start, i = j, j
        placements.append(placed)
    return placements


# ---------------------------------------------------------------------------------------------
# Drawer
# ---------------------------------------------------------------------------------------------


def register_font() -> None:
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    if not Path(FALLBACK_PATH).exists():
        raise SystemExit("DejaVu Sans not found: apt-get install fonts-dejavu-core")
    pdfmetrics.registerFont(TTFont(FALLBACK, FALLBACK_PATH))
    for path in FONT_PATHS:
        if Path(path).exists():
            pdfmetrics.registerFont(TTFont(FONT, path, subfontIndex=0))
            return
    raise SystemExit("WenQuanYi Zen Hei not found: apt-get install fonts-wqy-zenhei")


def draw_text(c: canvas.Canvas, cell: Cell, top: float, height: float) -> None:
    lead = cell.size * LEAD
    y = top + (height - len(cell.lines) * lead) / 2
    for line in cell.lines:
        baseline = y + lead / 2 + cell.size * 0.35
        if cell.align == "l":
            x = cell.x0 + PAD_X
        elif cell.align == "r":
            x = cell.x1 - PAD_X - width(line, cell.size)
        else:
            x = (cell.x0 + cell.x1 - width(line, cell.size)) / 2
        for font, piece in font_runs(line):
            c.setFont(font, cell.size)
            c.drawString(x, PAGE_H - baseline, piece)
            x += pdfmetrics.stringWidth(piece, font, cell.size)
        y += lead


def draw_furniture(c: canvas.Canvas, page: int, header: str) -> None:
    c.setFont(FONT, 8)
    c.drawCentredString(PAGE_W / 2, PAGE_H - 40, header)
    c.setLineWidth(0.5)
    c.line(MARGIN_X, PAGE_H - 45, PAGE_W - MARGIN_X, PAGE_H - 45)
    c.setFont(FONT, 9)
    c.drawCentredString(PAGE_W / 2, 45, f"- {page} -")


def draw(path: Path, reports: list[Report], placements: list[list[Placed]], header: str) -> None:
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1, pageCompression=1, initialFontName=FONT)
    c.setTitle(path.stem)
    c.setSubject("jixiao sample publication made from seed report text")
    c.setAuthor("jixiao")
    c.setCreator("jixiao samples/build/render_pdf.py")
    pages = max(p.page for placed in placements for p in placed)
    for page in range(1, pages + 1):
        draw_furniture(c, page, header)
        c.setLineWidth(0.5)
        for report, placed in zip(reports, placements):
            for s, row in enumerate(report.rows):
                for cell in row.cells:
                    segments = segments_of(report.rows, placed, s, cell.span)
                    for k, (seg_page, seg_top, seg_h) in enumerate(segments):
                        if seg_page != page:
                            continue
                        if row.ruled:
                            c.rect(cell.x0, PAGE_H - seg_top - seg_h, cell.x1 - cell.x0, seg_h, stroke=1, fill=0)
                        if k == 0:  # the text of a merged cell is not repeated on the next page
                            draw_text(c, cell, seg_top, seg_h)
        c.showPage()
    c.save()


def segments_of(rows: list[Row], placed: list[Placed], s: int, span: int) -> list[tuple[int, float, float]]:
    """(page, top, height) of each page's part of the cell covering rows s .. s+span-1."""
    segs: list[list] = []
    for r in range(s, s + span):
        p = placed[r]
        if segs and segs[-1][0] == p.page:
            segs[-1][2] += rows[r].height
        else:
            segs.append([p.page, p.top, rows[r].height])
    return [tuple(seg) for seg in segs]


# ---------------------------------------------------------------------------------------------
# Sets
# ---------------------------------------------------------------------------------------------


def read_records(path: Path) -> list[dict]:
    records = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            rec = json.loads(line)
            assert "source" not in rec, f"{path}: input records must not have a source"
            rec.pop("seed_report", None)  # where in the seed it was read: provenance, not contract
            records.append(rec)
    return records


def render_set(name: str, records: list[dict], header: str, out_dir: Path) -> dict:
    if records[0]["report_type"] == "self_evaluation":
        reports = [self_evaluation(r) for r in records]
    else:
        reports = [performance_target(r, n) for n, r in enumerate(records, 1)]
    placements = paginate(reports)
    pdf = out_dir / f"{name}.pdf"
    draw(pdf, reports, placements, header)
    digest = hashlib.sha256(pdf.read_bytes()).hexdigest()
    try:
        file = pdf.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        file = str(pdf)
    with open(out_dir / f"{name}.expected.jsonl", "w", encoding="utf-8") as out:
        for rec, placed in zip(records, placements):
            source = {"file": file, "sha256": digest, "pages": [placed[0].page, placed[-1].page]}
            out.write(json.dumps({**rec, "source": source}, ensure_ascii=False) + "\n")
    return {"pdf": pdf, "pages": placements[-1][-1].page, "reports": reports, "placements": placements}


def describe(name: str, result: dict) -> None:
    """Print which reports break across pages, and which breaks cut a merged cell."""
    print(f"{result['pdf'].relative_to(ROOT) if result['pdf'].is_relative_to(ROOT) else result['pdf']}: "
          f"{result['pages']} pages, {len(result['reports'])} reports")
    for n, (report, placed) in enumerate(zip(result["reports"], result["placements"]), 1):
        first, last = placed[0].page, placed[-1].page
        note = []
        if placed[0].top > BODY_TOP + 0.6 * (BODY_BOTTOM - BODY_TOP):
            note.append(f"starts low on p.{first} (y={placed[0].top:.0f})")
        if first != last:
            cut = [cell.text for s, row in enumerate(report.rows) for cell in row.cells
                   if cell.span > 1 and placed[s].page != placed[s + cell.span - 1].page]
            note.append(f"pages {first}-{last}" + (f", cuts merged {cut}" if cut else ""))
        if note:
            print(f"  #{n} {report.name}: " + "; ".join(note))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=40, help="self-evaluations to render (default 40)")
    parser.add_argument("--selfeval", type=Path, default=ROOT / "samples/records/selfeval_dahongmen_2023.jsonl")
    parser.add_argument("--targets", type=Path, default=ROOT / "samples/records/targets_yanshanlu_2024.jsonl")
    parser.add_argument("--out", type=Path, default=ROOT / "samples")
    args = parser.parse_args(argv)
    register_font()
    sets = [
        ("selfeval_dahongmen_2023", read_records(args.selfeval)[:args.count],
         "北京市丰台区人民政府大红门街道办事处2023年度部门决算"),
        ("targets_yanshanlu_2024", read_records(args.targets), "唐山市丰润区燕山路街道办事处2024年部门预算"),
    ]
    for name, records, header in sets:
        describe(name, render_set(name, records, header, args.out))


if __name__ == "__main__":
    main()
