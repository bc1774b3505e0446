"""Render the transcribed real tables in ``samples/templates/*/*.json`` as Word documents, and as PDF
through LibreOffice when ``soffice`` is on PATH.

    python samples/build/render_templates.py [--no-pdf] [FILE.json ...]

With LibreOffice, each table is also set ``BREAK_COPIES`` times in one document whose rows may break
across pages (Word's default), every copy started lower by another offset, so that page breaks land
inside every part of the table — its header rows, funding block, indicator header, closing
sections: ``<short_name>.breaks.pdf``, whose records are the example's, that many times.

Each JSON holds one table as an HTML-like grid (``rows``: cells are strings or ``{"text", "colspan",
"rowspan"}``; cells covered by a span are omitted), the lines printed ``above`` and ``below`` it. The
DOCX is one Word table with real merged cells, the ``above`` lines as paragraphs before it and the
``below`` lines after it, 宋体/SimSun throughout; it is written next to the JSON as
``<short_name>.docx`` (and ``<short_name>.pdf``). Tables of 10 columns or more are laid out on a
landscape page, as such sheets are printed. Column widths follow the longest one-column cell text
of each column (bounded), a layout choice of this script, not of the source.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

sys.path.insert(0, str(Path(__file__).resolve().parent))
import render_docx  # noqa: E402
from render_docx import (FIXED_TIME, _fix_zip_times, grid_of, keep_rows_whole, put,  # noqa: E402
                         set_widths, to_pdf)

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
LEFT_ALIGN_FROM = 24  # cell texts this long are set flush left, as filled-in prose is


def cell_parts(cell) -> tuple[str, int, int]:
    if isinstance(cell, str):
        return cell, 1, 1
    return cell.get("text", ""), int(cell.get("colspan", 1)), int(cell.get("rowspan", 1))


def layout(rows: list[list]) -> tuple[int, list[tuple[int, int, str, int, int]]]:
    """Place every cell: (row, column, text, colspan, rowspan) and the grid's column count.
    Raises ValueError when the rows do not fill one rectangle."""
    taken: set[tuple[int, int]] = set()
    placed = []
    widths = []
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            text, cs, rs = cell_parts(cell)
            for dr in range(rs):
                for dc in range(cs):
                    if (r + dr, c + dc) in taken:
                        raise ValueError(f"row {r}: cell {text!r} overlaps another")
                    taken.add((r + dr, c + dc))
            placed.append((r, c, text, cs, rs))
            c += cs
        while (r, c) in taken:
            c += 1
        widths.append(c)
    if len(set(widths)) != 1:
        raise ValueError(f"rows of unequal width: {widths}")
    if any(r >= len(rows) for r, _ in taken):
        raise ValueError("a rowspan runs past the last row")
    return widths[0], placed


def column_widths(n: int, placed, total_cm: float) -> list[float]:
    """Widths from the text: one-column cells set their column (labels spanning rows count less, they
    wrap), then cells spanning columns widen their columns if those are too narrow together."""
    weight = [3.5] * n
    for _, c, text, cs, rs in placed:
        if cs == 1:
            weight[c] = max(weight[c], min(len(text), 8 if rs == 1 else 5) + 1.0)
    for _, c, text, cs, _ in placed:
        if cs > 1:
            need, have = min(len(text), 40) / 2.5, sum(weight[c:c + cs])
            if have < need:
                for k in range(c, c + cs):
                    weight[k] *= need / have
    scale = total_cm / sum(weight)
    return [w * scale for w in weight]


def paragraph(document, text: str, *, title: bool) -> None:
    p = document.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER if title else WD_ALIGN_PARAGRAPH.LEFT
    run = p.add_run(text)
    if title:
        run.font.size = Pt(14 if "表" in text else 11)
        run.bold = "表" in text
    p.paragraph_format.space_after = Pt(2)


def is_title(text: str) -> bool:
    """Titles and 年度 lines are centred; unit, code, 填报 and 附件 lines are not."""
    if text.startswith(("附件", "报表编号", "填报单位", "单位")):
        return False
    return "表" in text or "年度)" in text or "年度）" in text


BREAK_COPIES, BREAK_STAGGER_PT = 12, 23


def render(spec: dict, out: Path, copies: int = 1, stagger: float = 0) -> Path:
    n, placed = layout(spec["rows"])
    document = docx.Document()
    style = document.styles["Normal"]
    style.font.size = Pt(8 if n >= 10 else 9)
    style.font.name = "SimSun"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "SimSun")
    section = document.sections[0]
    if n >= 10:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Cm(29.7), Cm(21)
    else:
        section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(1.8)
    section.top_margin = section.bottom_margin = Cm(2)
    text_width = (section.page_width - section.left_margin - section.right_margin) / 360000  # EMU → cm

    for copy in range(1, copies + 1):
        if stagger:
            document.add_paragraph().paragraph_format.space_before = Pt((copy * stagger) % 300)
        for line in spec.get("above", []):
            paragraph(document, line, title=is_title(line))
        table = document.add_table(rows=len(spec["rows"]), cols=n)
        table.style = "Table Grid"
        grid = grid_of(table)
        for r, c, text, cs, rs in placed:
            cell = put(grid, r, c, text,
                       to_col=c + cs - 1 if cs > 1 else None,
                       to_row=r + rs - 1 if rs > 1 else None)
            if len(text) >= LEFT_ALIGN_FROM:
                for p in cell.paragraphs:
                    p.alignment = WD_ALIGN_PARAGRAPH.LEFT
        set_widths(table, column_widths(n, placed, text_width))
        keep_rows_whole(table)
        for line in spec.get("below", []):
            paragraph(document, line, title=False)

    document.core_properties.created = document.core_properties.modified = FIXED_TIME
    document.core_properties.title = spec.get("source", {}).get("title") or ""
    document.save(out)
    _fix_zip_times(out)
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, help="template JSONs (default: all)")
    parser.add_argument("--no-pdf", action="store_true", help="skip the LibreOffice conversion")
    args = parser.parse_args(argv)
    files = args.files or sorted(TEMPLATES.glob("*/*.json"))
    pdf = not args.no_pdf and shutil.which("soffice") is not None
    if not args.no_pdf and not pdf:
        print("soffice not on PATH: DOCX only", file=sys.stderr)
    for path in files:
        spec = json.loads(path.read_text(encoding="utf-8"))
        out = render(spec, path.with_suffix(".docx"))
        line = f"{out.relative_to(TEMPLATES.parent.parent) if out.is_relative_to(TEMPLATES.parent.parent) else out}"
        if pdf:
            to_pdf(out, out.with_suffix(".pdf"))
            render_docx.SPLIT_ROWS = True  # rows break across pages mid-row, as Word lets them
            breaks = render(spec, path.with_suffix(".breaks.docx"), BREAK_COPIES, BREAK_STAGGER_PT)
            render_docx.SPLIT_ROWS = False
            to_pdf(breaks, breaks.with_suffix(".pdf"))
            breaks.unlink()
            line += " + .pdf + .breaks.pdf"
        print(line)


if __name__ == "__main__":
    main()
