"""Read a spreadsheet (.xlsx/.xlsm, or .csv) into the same geometric model as a PDF page.

An Excel 97 .xls (or WPS .et) is read here too, once LibreOffice has converted it to .xlsx
(``extract/convert.py``: python-calamine would lose its number formats and hidden rows).

Budget systems (预算管理一体化, 绩效模块) export 自评表 and 目标表 as workbooks. A worksheet is a grid:
each cell or merged range covers grid columns and rows. Giving every visible column a width and
every visible row a height turns it into ruled cells, as ``docx`` does with a Word table, so the
report parsers read XLSX, DOCX and PDF with one code path. Each visible worksheet is one "page"
(its number is the sheet's position + 1); hidden sheets are not reports and are skipped.

Rows that borders rule, and the rows between, form a table; several tables on one sheet, set apart
by blank or unruled rows, are several tables (as consecutive tables on a PDF page are). A row outside
them (a title, 单位：万元, 填表人 …) is a loose text line. A sheet without any border is split by
its content instead: a row of two or more texts, or of one merged cell narrower than the sheet, is a
table row; a lone text is a line.

Cells read as Excel displays them: a number by its number format (``0.00%`` → ``100.00%``, ``0.00``
→ ``3.10``, General without float noise), a date as YYYY-MM-DD, formulas by their cached values.
Hidden rows and columns are left out; one that holds values is named in the layout's warnings.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import warnings
from bisect import bisect_left, bisect_right
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

from .docx import _refuse_zip_bomb
from .layout import Cell, PageLayout, Table, TextLine, make_bands

ROW = 10.0  # synthetic height of a row
POINTS_PER_CHAR, MIN_COL, DEFAULT_WIDTH = 6.0, 12.0, 8.43  # column widths are in characters
MAX_SHOWN = 3  # hidden values quoted in a warning


class UnreadableWorkbook(Exception):
    pass


def read_xlsx(path: Path) -> list[PageLayout]:
    import openpyxl

    _refuse_zip_bomb(path)
    try:
        with warnings.catch_warnings():  # "Workbook contains no default style" and the like, on stderr
            warnings.simplefilter("ignore")
            # not read-only: merged ranges are only known to a fully loaded sheet
            book = openpyxl.load_workbook(path, read_only=False, data_only=True)
    except MemoryError:
        raise
    except Exception as exc:  # openpyxl refuses bad input with anything from KeyError to ParseError
        detail = str(exc).strip()[:200]
        raise UnreadableWorkbook(f"corrupt or not an Excel workbook: {exc.__class__.__name__}"
                                 + (f": {detail}" if detail else ""))
    layouts = []
    for sheet in book.worksheets:
        if sheet.sheet_state == "visible":
            layouts.append(_sheet_layout(sheet, book.sheetnames.index(sheet.title) + 1))
    return layouts


def read_csv(path: Path) -> list[PageLayout]:
    """One table, every row of it a band and every value a cell: the rows from the first to the
    last of two or more values; the rows above and below it (titles, 填表人 …) are lines. UTF-8,
    with or without BOM, else GB18030."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("gb18030", errors="replace")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    width = max((len(row) for row in rows), default=0)
    grid = _Grid(list(range(1, len(rows) + 1)), list(range(1, width + 1)), {})
    items = [_Item(r, c, r, c, _clean(value), False) for r, row in enumerate(rows, 1)
             for c, value in enumerate(row, 1)]
    return [_layout(1, grid, items, "csv")]


# ---------------------------------------------------------------------------------------------
# A worksheet → its cells and merged ranges on the visible grid
# ---------------------------------------------------------------------------------------------


class _Item:
    """A cell or merged range: its sheet rows and columns (first, last), its text, its borders."""

    __slots__ = ("r0", "c0", "r1", "c1", "text", "ruled")

    def __init__(self, r0, c0, r1, c1, text, ruled):
        self.r0, self.c0, self.r1, self.c1, self.text, self.ruled = r0, c0, r1, c1, text, ruled


class _Grid:
    """The visible rows and columns, and each one's position."""

    def __init__(self, rows: list[int], columns: list[int], widths: dict[int, float]):
        self.rows, self.columns = rows, columns
        self.x = [0.0]
        for column in columns:
            self.x.append(self.x[-1] + max(MIN_COL, widths.get(column, DEFAULT_WIDTH) * POINTS_PER_CHAR))

    def span(self, item: _Item) -> tuple[int, int, int, int] | None:
        """(first row, last row, first column, last column) as visible indices; None if all hidden."""
        r0, r1 = bisect_left(self.rows, item.r0), bisect_right(self.rows, item.r1) - 1
        c0, c1 = bisect_left(self.columns, item.c0), bisect_right(self.columns, item.c1) - 1
        return None if r0 > r1 or c0 > c1 else (r0, r1, c0, c1)


def _sheet_layout(sheet, number: int) -> PageLayout:
    from openpyxl.cell.cell import MergedCell
    from openpyxl.utils import column_index_from_string, get_column_letter

    merged = {(m.min_row, m.min_col): (m.max_row, m.max_col) for m in sheet.merged_cells.ranges}
    ruled_at = set()
    items = []
    # Sparse: only the cells the file holds (a sheet formatted down to row 1048576 holds few).
    for (r, c), cell in sheet._cells.items():
        border = cell.border
        if border is not None and any(side is not None and side.style for side in
                                      (border.left, border.right, border.top, border.bottom)):
            ruled_at.add((r, c))
        if isinstance(cell, MergedCell):
            continue
        r1, c1 = merged.get((r, c), (r, c))
        items.append(_Item(r, c, r1, c1, display_text(cell), False))
    anchors = {(item.r0, item.c0) for item in items}
    items += [_Item(r, c, r1, c1, "", False) for (r, c), (r1, c1) in merged.items() if (r, c) not in anchors]
    for item in items:
        area = (item.r1 - item.r0 + 1) * (item.c1 - item.c0 + 1)
        if area == 1:
            item.ruled = (item.r0, item.c0) in ruled_at
        elif area <= len(ruled_at):
            item.ruled = any((r, c) in ruled_at for r in range(item.r0, item.r1 + 1)
                             for c in range(item.c0, item.c1 + 1))
        else:
            item.ruled = any(item.r0 <= r <= item.r1 and item.c0 <= c <= item.c1 for r, c in ruled_at)

    hidden_rows = {r for r, dim in sheet.row_dimensions.items() if dim.hidden or dim.ht == 0}
    hidden_columns, widths = set(), {}
    for key, dim in sheet.column_dimensions.items():
        first = dim.min or column_index_from_string(key)
        for column in range(first, max(first, dim.max or first) + 1):
            if dim.hidden or dim.width == 0:
                hidden_columns.add(column)
            elif dim.width:
                widths[column] = dim.width
    used = [item for item in items if item.text or item.ruled]
    last_row = max((item.r1 for item in used), default=0)
    last_column = max((item.c1 for item in used), default=0)
    grid = _Grid([r for r in range(1, last_row + 1) if r not in hidden_rows],
                 [c for c in range(1, last_column + 1) if c not in hidden_columns], widths)
    warnings = _hidden_values(sheet.title, grid, used, hidden_rows, hidden_columns, get_column_letter)
    layout = _layout(number, grid, used, "borders" if any(i.ruled for i in used) else "content")
    layout.warnings = warnings
    return layout


def _hidden_values(title, grid, items, hidden_rows, hidden_columns, letter) -> list[str]:
    """'hidden row 12 on sheet 'Sheet1' holds values: …' for each hidden row or column with text
    that nothing visible shows (a merged range that is partly visible shows its value)."""
    found: dict[tuple[str, int], list[str]] = {}
    for item in items:
        if not item.text or grid.span(item) is not None:
            continue
        where = ("row", item.r0) if item.r0 in hidden_rows else ("column", item.c0)
        found.setdefault(where, []).append(item.text)
    warnings = []
    for (kind, index), texts in sorted(found.items()):
        name = str(index) if kind == "row" else letter(index)
        shown = ", ".join(repr(t[:40]) for t in texts[:MAX_SHOWN]) + (" …" if len(texts) > MAX_SHOWN else "")
        warnings.append(f"hidden {kind} {name} on sheet {title!r} holds values: {shown}")
    return warnings


# ---------------------------------------------------------------------------------------------
# Grid → tables and loose lines
# ---------------------------------------------------------------------------------------------


def _layout(number: int, grid: _Grid, items: list[_Item], mode: str) -> PageLayout:
    placed = []  # (item, (r0, r1, c0, c1)) on the visible grid
    covering: dict[int, list[int]] = {}  # visible row → the placed items that cover it
    for item in items:
        span = grid.span(item)
        if span is not None:
            for row in range(span[0], span[1] + 1):
                covering.setdefault(row, []).append(len(placed))
            placed.append((item, span))
    in_table = _table_rows(placed, covering, len(grid.columns), mode)
    tables, lines = [], []
    row = 0
    while row < len(grid.rows):
        if row not in in_table:
            lines += _lines(number, grid, [placed[i] for i in covering.get(row, ()) if placed[i][1][0] == row])
            row += 1
            continue
        end = row
        while end + 1 in in_table:
            end += 1
        table, outside = _table(number, grid, placed, covering, row, end, mode)
        if table is not None:
            tables.append(table)
        lines += outside
        row = end + 1
    chars = sum(len(line.text) for line in lines) + sum(len(c.text) for t in tables for c in t.cells)
    return PageLayout(number, grid.x[-1], len(grid.rows) * ROW, tables, lines, chars)


def _table_rows(placed, covering, width: int, mode: str) -> set[int]:
    """The visible rows that belong to a table (see the module's docstring)."""
    def texts(row: int) -> list[tuple]:
        return [placed[i][1] for i in covering[row] if placed[i][0].text]

    if mode == "csv":  # one table: from the first to the last row of two values or more
        wide = [row for row in covering if len(texts(row)) >= 2]
        return set(range(min(wide), max(wide) + 1)) if wide else set()
    if mode == "borders":
        return {row for row, indices in covering.items() if any(placed[i][0].ruled for i in indices)}
    rows = set()
    for row in covering:
        found = texts(row)
        if len(found) >= 2 or (len(found) == 1 and _is_merged(found[0]) and found[0][3] - found[0][2] + 1 < width):
            rows.add(row)
    for row in sorted(rows):  # a cell merged over rows keeps them in its table
        for i in covering[row]:
            rows.update(range(placed[i][1][0], placed[i][1][1] + 1))
    return rows


def _is_merged(span) -> bool:
    return span[1] > span[0] or span[3] > span[2]


def _table(number, grid, placed, covering, first: int, last: int, mode: str):
    """The table of visible rows first..last, and the texts beside it (loose lines)."""
    found = {i: placed[i] for row in range(first, last + 1) for i in covering.get(row, ())}
    frame = [span for item, span in found.values() if item.ruled or mode != "borders"]
    left = min(span[2] for span in frame)
    right = max(span[3] for span in frame)
    cells, taken, lines, inside = [], set(), [], []
    for item, (r0, r1, c0, c1) in found.values():
        if r0 < first:
            continue  # an unruled cell reaching down from a line above: read as that line
        if c1 < left or c0 > right:  # a text beside the table
            lines += _lines(number, grid, [(item, (r0, r1, c0, c1))])
            continue
        inside.append((item, (r0, r1, c0, c1)))
        r0, r1, c0, c1 = r0, min(r1, last), max(c0, left), min(c1, right)
        taken.update((r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1))
        cells.append(_cell(grid, r0, r1, c0, c1, item.text))
    # every empty grid position is an empty cell, as a ruled box is in a PDF: "label | (empty) |
    # label | value" must not read the second label as the first one's value
    cells += [_cell(grid, r, r, c, c, "") for r in range(first, last + 1) for c in range(left, right + 1)
              if (r, c) not in taken]
    if len(cells) < 2:  # one ruled cell is a boxed line
        return None, lines + _lines(number, grid, inside)
    cells.sort(key=lambda c: (c.top, c.x0))
    table = Table(number, grid.x[left], first * ROW, grid.x[right + 1], (last + 1) * ROW, cells)
    make_bands(table)
    return table, lines


def _cell(grid, r0, r1, c0, c1, text) -> Cell:
    return Cell(grid.x[c0], r0 * ROW, grid.x[c1 + 1], (r1 + 1) * ROW, text)


def _lines(number, grid, found) -> list[TextLine]:
    """One row outside the tables: a text line (texts side by side joined by a space); a lone
    cell of several lines is several lines, as a title of two lines is in a PDF."""
    found = sorted(((item, span) for item, span in found if item.text), key=lambda f: f[1][2])
    if not found:
        return []
    _, (row, _, c0, _) = found[0]
    x0, x1 = grid.x[c0], grid.x[found[-1][1][3] + 1]
    if len(found) == 1:
        texts = found[0][0].text.split("\n")
    else:
        texts = [" ".join(item.text.replace("\n", " ") for item, _ in found)]
    return [TextLine(number, row * ROW + i * ROW / (len(texts) + 1), x0, x1, text)
            for i, text in enumerate(texts)]


# ---------------------------------------------------------------------------------------------
# Cell values as displayed
# ---------------------------------------------------------------------------------------------


def display_text(cell) -> str:
    """The cell's text as Excel shows it."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d" if value.time() == dt.time() else "%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M:%S" if value.second else "%H:%M")
    if isinstance(value, (int, float)):
        try:
            return number_text(value, cell.number_format)
        except InvalidOperation:  # beyond Decimal's precision (1e30 in "0.00"): no format to keep
            return general(value)
    from openpyxl.utils.escape import unescape

    return _clean(unescape(str(value)))  # "_x000D_": OOXML's escape of a control character


def _clean(text: str) -> str:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.strip() for line in lines if line.strip())


_TOKEN = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.|.', re.S)
_PLACEHOLDER = set("0#?")


def number_text(value: int | float, number_format: str | None) -> str:
    """``value`` formatted by an Excel number format, as far as report tables use them: General,
    fixed decimals, thousands separators, percent, literal text ("0.00万元"), sign sections."""
    if value != value or value in (float("inf"), float("-inf")):
        return str(value)
    sections = _sections(number_format or "General")
    section = sections[0]
    signed = value < 0
    if value < 0 and len(sections) > 1:
        section, signed = sections[1], False  # the section prints its own sign (or brackets)
    elif value == 0 and len(sections) > 2:
        section = sections[2]
    if value < 0:
        value = -value
    tokens = _TOKEN.findall(section)
    core = [i for i, t in enumerate(tokens) if t in _PLACEHOLDER]
    if not core:
        if "".join(t for t in tokens if not t.startswith("[")).strip().lower() in ("general", "") or "@" in tokens:
            text = general(value)
        else:  # literal only ("-" for zero in accounting formats)
            return "".join(_literal(t) for t in tokens).strip()
        return ("-" if signed else "") + text
    start, end = core[0], core[-1]
    while start > 0 and tokens[start - 1] in (",", "."):
        start -= 1
    while end + 1 < len(tokens) and tokens[end + 1] in (",", ".") + tuple(_PLACEHOLDER):
        end += 1
    pattern = "".join(tokens[start:end + 1])
    prefix = "".join(_literal(t) for t in tokens[:start])
    suffix = "".join(_literal(t) for t in tokens[end + 1:])
    if any(t in ("E", "e") and n in ("+", "-") for t, n in zip(tokens, tokens[1:])):
        return general(-value if signed else value)  # scientific: rare in reports
    number = _decimal(value) * (100 ** tokens.count("%"))
    whole, _, fraction = pattern.partition(".")
    scale = len(whole) - len(whole.rstrip(","))  # trailing commas: thousands
    number /= Decimal(1000) ** scale
    whole = whole.rstrip(",")
    decimals = sum(ch in _PLACEHOLDER for ch in fraction)
    rounded = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    digits = f"{rounded:,.{decimals}f}" if "," in whole else f"{rounded:.{decimals}f}"
    if decimals:
        keep = fraction.count("0")
        int_part, frac_part = digits.split(".")
        frac_part = frac_part[:keep] + frac_part[keep:].rstrip("0")
        digits = f"{int_part}.{frac_part}" if frac_part else int_part
    if decimals and "0" not in whole and digits.startswith("0."):
        digits = digits[1:]  # "#.00" shows .50
    sign = "-" if signed and rounded != 0 else ""
    return (sign + prefix + digits + suffix).strip()


def general(value: int | float) -> str:
    """General format: integers as such, other numbers to 10 significant digits (no float noise)."""
    if isinstance(value, int):
        return str(value)
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if value != 0 and not 1e-9 <= abs(value) < 1e15:
        return f"{value:.10G}".replace("E+0", "E+").replace("E-0", "E-")
    text = format(Decimal(f"{value:.10g}"), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _sections(number_format: str) -> list[str]:
    sections, current = [], ""
    for token in _TOKEN.findall(number_format):
        if token == ";":
            sections.append(current)
            current = ""
        else:
            current += token
    return [*sections, current]


def _literal(token: str) -> str:
    if token.startswith('"'):
        return token[1:-1]
    if token.startswith("\\"):
        return token[1:]
    if token.startswith(("[", "*")):
        return ""
    if token.startswith("_"):
        return " "
    return token


def _decimal(value: int | float) -> Decimal:
    # 15 significant digits, as Excel keeps: 0.1 + 0.2 is 0.3
    return Decimal(value) if isinstance(value, int) else Decimal(f"{value:.15g}")
