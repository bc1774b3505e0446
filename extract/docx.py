"""Read a Word (.docx) document into the same geometric model as a PDF page.

Word tables have no coordinates, but they have a grid: each cell starts at a grid column and spans
``gridSpan`` columns, and a vertically merged cell continues (``vMerge``) into the rows below. Giving
every grid column a width and every row a height turns a Word table into ruled cells, so the
report parsers read DOCX and PDF with one code path. The whole document is one "page" (Word files
carry no page breaks that a reader can trust).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from .layout import Cell, PageLayout, Table, TextLine, make_bands

COL, ROW = 100.0, 10.0  # synthetic width of a grid column and height of a row
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


# A part that inflates to more than this, at more than BOMB_RATIO times its compressed size, is a
# zip bomb (deflate reaches about 1000:1: 2 MB of deflated zeros are 2 GB). A report's XML inflates
# 5-20 times and its images about once; python-docx inflates every part it reads whole, in memory.
BOMB_BYTES, BOMB_RATIO = 64 << 20, 200


class UnreadableDocx(Exception):
    pass


def read_docx(path: Path) -> list[PageLayout]:
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import XMLSyntaxError

    _refuse_zip_bomb(path)
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise UnreadableDocx(f"corrupt or not a Word document: {exc.__class__.__name__}")
    except XMLSyntaxError as exc:
        # Malformed XML, and what libxml2 refuses by design: elements nested over 256 deep,
        # entity expansion ("billion laughs"). Without this it read "parser failed: XMLSyntaxError".
        raise UnreadableDocx(f"corrupt Word document (invalid XML): {str(exc)[:200]}")
    y = 0.0
    tables, lines = [], []
    # The page header often carries the publication's name and year (e.g. 2024年部门预算): read it
    # first, as the running header of a PDF page is.
    for section in document.sections:
        for p in section.header.paragraphs:
            if p.text.strip():
                lines.append(TextLine(1, y, 0.0, COL, p.text.strip()))
                y += ROW
    for child in document.element.body.iterchildren():
        if child.tag == W + "p":
            text = _paragraph_text(child)
            if text.strip():
                lines.append(TextLine(1, y, 0.0, COL, text.strip()))
            y += ROW
        elif child.tag == W + "tbl":
            table = _table(child, y)
            if table is not None:
                tables.append(table)
                y = table.bottom + ROW
    chars = sum(len(line.text) for line in lines) + sum(len(c.text) for t in tables for c in t.cells)
    return [PageLayout(1, 0.0, y, tables, lines, chars)]


def _refuse_zip_bomb(path: Path) -> None:
    """Refuse a zip bomb by the sizes in the zip's directory, before anything is inflated.

    Without this a bomb ran the worker into its memory limit, and was reported as that. A part
    whose directory entry understates its size is not caught here (python-docx reads each part
    whole, and zipfile inflates all of it before cutting it to the stated size): the worker's
    memory limit still stops it.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a zip at all: python-docx says so
    for info in members:
        if info.file_size > BOMB_BYTES and info.file_size > BOMB_RATIO * max(1, info.compress_size):
            raise UnreadableDocx(
                f"zip bomb: {info.filename} would inflate to {info.file_size >> 20} MB, "
                f"{info.file_size // max(1, info.compress_size)} times its compressed size")


def _paragraph_text(p) -> str:
    parts = []
    for node in p.iter(W + "t", W + "tab", W + "br", W + "cr"):
        if node.tag == W + "t":
            parts.append(node.text or "")
        elif node.tag == W + "tab":
            parts.append(" ")
        else:
            parts.append("\n")
    return "".join(parts)


def _cell_text(tc) -> str:
    # One paragraph is one line; nested tables' text is read in order too.
    lines = []
    for p in tc.iter(W + "p"):
        lines.extend(_paragraph_text(p).split("\n"))
    return "\n".join(line.strip() for line in lines if line.strip())


def _table(tbl, top: float) -> Table | None:
    cells: list[Cell] = []
    open_merges: dict[int, Cell] = {}  # grid column → cell that a vMerge continues
    row_index = 0
    for tr in tbl.iterchildren(W + "tr"):
        y0, y1 = top + row_index * ROW, top + (row_index + 1) * ROW
        column = _int_attr(tr.find(f"{W}trPr/{W}gridBefore"), 0)
        for tc in tr.iterchildren(W + "tc"):
            span = _int_attr(tc.find(f"{W}tcPr/{W}gridSpan"), 1)
            merge = tc.find(f"{W}tcPr/{W}vMerge")
            continues = merge is not None and merge.get(W + "val") in (None, "continue")
            if continues and column in open_merges:
                open_merges[column].bottom = y1
            else:
                cell = Cell(column * COL, y0, (column + span) * COL, y1, _cell_text(tc))
                cells.append(cell)
                if merge is not None:
                    open_merges[column] = cell
                else:
                    open_merges.pop(column, None)
            column += span
        row_index += 1
    if len(cells) < 2:
        return None
    table = Table(1, min(c.x0 for c in cells), top, max(c.x1 for c in cells), top + row_index * ROW,
                  cells)
    make_bands(table)
    return table


def _int_attr(node, default: int) -> int:
    if node is None:
        return default
    try:
        return int(node.get(W + "val"))
    except (TypeError, ValueError):
        return default
