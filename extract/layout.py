"""The geometric model of a page: bordered tables made of cells, and the loose text lines around them.

A page is read once into plain data (``PageLayout``) and then closed, so memory stays flat whatever
the document's size and the parsers downstream never touch pdfplumber.

Cells are the physical cells of a ruled table: a merged cell is one cell spanning several *bands*
(the horizontal strips between consecutive ruling lines). Parsers read a table band by band and
find a value's column by x-position, never by the index of a cell in its row: rows of the same
table have different numbers of cells, and a table continued on the next page may too.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field

from .text import join_lines

_ASCII = re.compile(r"[\x21-\x7e]")
_SNAP = 2.0  # points: ruling lines closer than this are one line (renderers draw borders twice)


@dataclass
class Cell:
    x0: float
    top: float
    x1: float
    bottom: float
    text: str = ""
    band_first: int = 0  # index of the first and last band the cell covers
    band_last: int = 0
    # The text runs down to the bottom edge (less than half a line of room below its last line),
    # as it does in a cell that a page break cut: the rest of its text is on the next page.
    text_to_bottom: bool = False

    @property
    def xmid(self) -> float:
        return (self.x0 + self.x1) / 2

    def overlap_x(self, x0: float, x1: float) -> float:
        return max(0.0, min(self.x1, x1) - max(self.x0, x0))


@dataclass
class Table:
    page: int
    x0: float
    top: float
    x1: float
    bottom: float
    cells: list[Cell]
    bands: list[list[Cell]] = field(default_factory=list)  # cells covering each band, left to right


@dataclass
class TextLine:
    page: int
    top: float
    x0: float
    x1: float
    text: str


@dataclass
class PageLayout:
    number: int  # 1-based
    width: float
    height: float
    tables: list[Table]
    lines: list[TextLine]  # text outside every table, top to bottom
    char_count: int = 0
    # what the reader saw but the reports cannot hold (a hidden worksheet row with values …): each
    # becomes an extraction warning of the reports on this page (pipeline._document)
    warnings: list[str] = field(default_factory=list)
    reader: str = "text"  # "ocr" when the page was a scan read by extract/ocr.py

    def items(self):
        """Tables and loose lines in reading order (top to bottom)."""
        return sorted([*self.tables, *self.lines], key=lambda item: item.top)


def read_page(page) -> PageLayout:
    """Read one pdfplumber page into a ``PageLayout``."""
    chars = [c for c in page.chars if c["text"].strip() or c["text"] == " "]
    tables = []
    for group in ruled_cells(page):
        cells = [Cell(*bbox) for bbox in group]
        if len(cells) >= 2:
            tables.append(Table(page.page_number, min(c.x0 for c in cells), min(c.top for c in cells),
                                max(c.x1 for c in cells), max(c.bottom for c in cells), cells))
    loose = _assign_chars(chars, tables)
    for table in tables:
        make_bands(table)
    lines = [TextLine(page.page_number, ln[0]["top"], ln[0]["x0"], ln[-1]["x1"], _line_text(ln))
             for ln in _group_lines(loose)]
    return PageLayout(page.page_number, float(page.width), float(page.height), tables, lines,
                      len(chars))


def ruled_cells(page) -> list[list[tuple]]:
    """The cells of each table ``page.find_tables()`` finds with its default settings, found faster.

    Only the cell search differs from pdfplumber's (see ``_cells``); edges, intersections and the
    grouping of cells into tables are pdfplumber's own.
    """
    from pdfplumber.table import TableFinder, TableSettings, cells_to_tables, edges_to_intersections

    finder = TableFinder.__new__(TableFinder)  # its __init__ would run the slow cell search
    finder.page, finder.settings = page, TableSettings.resolve(None)
    intersections = edges_to_intersections(finder.get_edges(), finder.settings.intersection_x_tolerance,
                                           finder.settings.intersection_y_tolerance)
    return cells_to_tables(_cells(intersections))


def _cells(intersections: dict) -> list[tuple]:
    """pdfplumber's ``intersections_to_cells``: the same cells in the same order.

    pdfplumber rebuilds both points' edge sets for every pair it tests and scans all later points
    for those below and to the right of each one; here each point's edge sets are built once and
    the points of each column and row are looked up. About a tenth of the time per page.
    """
    vertical = {p: {(e["x0"], e["top"], e["x1"], e["bottom"]) for e in found["v"]}
                for p, found in intersections.items()}
    horizontal = {p: {(e["x0"], e["top"], e["x1"], e["bottom"]) for e in found["h"]}
                  for p, found in intersections.items()}

    def connects(p1, p2) -> bool:
        return ((p1[0] == p2[0] and not vertical[p1].isdisjoint(vertical[p2]))
                or (p1[1] == p2[1] and not horizontal[p1].isdisjoint(horizontal[p2])))

    points = sorted(intersections)
    columns: dict = {}  # x → its points, top to bottom
    rows: dict = {}  # y → its points, left to right
    for point in points:
        columns.setdefault(point[0], []).append(point)
        rows.setdefault(point[1], []).append(point)
    cells = []
    for pt in points:
        column, row = columns[pt[0]], rows[pt[1]]
        below = column[column.index(pt) + 1:]
        right = row[row.index(pt) + 1:]
        cells.append(_smallest_cell(pt, below, right, intersections, connects))
    return [cell for cell in cells if cell]


def _smallest_cell(pt, below, right, intersections, connects):
    for below_pt in below:
        if not connects(pt, below_pt):
            continue
        for right_pt in right:
            if not connects(pt, right_pt):
                continue
            corner = (right_pt[0], below_pt[1])
            if corner in intersections and connects(corner, right_pt) and connects(corner, below_pt):
                return (pt[0], pt[1], corner[0], corner[1])
    return None


def _assign_chars(chars: list[dict], tables: list[Table]) -> list[dict]:
    """Put each char into the cell holding its centre; return the chars that are in no table."""
    cells = [cell for table in tables for cell in table.cells]
    grid = _CellGrid(cells)
    per_cell: dict[int, list[dict]] = {}
    loose = []
    for char in chars:
        cx = (char["x0"] + char["x1"]) / 2
        cy = (char["top"] + char["bottom"]) / 2
        home = grid.smallest_containing(cx, cy)
        if home is None:
            if not any(t.x0 <= cx <= t.x1 and t.top <= cy <= t.bottom for t in tables):
                loose.append(char)
        else:
            per_cell.setdefault(home, []).append(char)
    for i, cell_chars in per_cell.items():
        lines = _group_lines(cell_chars)
        cells[i].text = "\n".join(_line_text(ln) for ln in lines)
        cells[i].text_to_bottom = _reaches_bottom(lines[-1], cells[i])
    return loose


def _reaches_bottom(line: list[dict], cell: Cell) -> bool:
    size = max(char.get("size") or (char["bottom"] - char["top"]) for char in line)
    return cell.bottom - max(char["bottom"] for char in line) < size / 2


class _CellGrid:
    """Cells bucketed on a coarse grid, so a char finds its cell without scanning the page."""

    STEP = 24.0

    def __init__(self, cells: list[Cell]):
        self.cells = cells
        self.buckets: dict[tuple[int, int], list[int]] = {}
        for i, cell in enumerate(cells):
            for bx in range(int(cell.x0 // self.STEP), int(cell.x1 // self.STEP) + 1):
                for by in range(int(cell.top // self.STEP), int(cell.bottom // self.STEP) + 1):
                    self.buckets.setdefault((bx, by), []).append(i)

    def smallest_containing(self, x: float, y: float) -> int | None:
        # Nested boxes happen when a table border doubles a cell border: the smaller one wins.
        best = None
        for i in self.buckets.get((int(x // self.STEP), int(y // self.STEP)), ()):
            cell = self.cells[i]
            if cell.x0 <= x <= cell.x1 and cell.top <= y <= cell.bottom:
                if best is None or _area(cell) < _area(self.cells[best]):
                    best = i
        return best


def _area(cell: Cell) -> float:
    return (cell.x1 - cell.x0) * (cell.bottom - cell.top)


def _group_lines(chars: list[dict]) -> list[list[dict]]:
    """Chars → lines, top to bottom, each left to right. Duplicated glyphs (fake bold) dropped."""
    lines: list[list[dict]] = []
    for char in sorted(chars, key=lambda c: (c["top"], c["x0"])):
        size = char.get("size") or (char["bottom"] - char["top"])
        if lines and abs(char["top"] - lines[-1][0]["top"]) <= size * 0.5:
            lines[-1].append(char)
        else:
            lines.append([char])
    result = []
    for line in lines:
        line.sort(key=lambda c: c["x0"])
        kept = [line[0]]
        for char in line[1:]:
            prev = kept[-1]
            if char["text"] == prev["text"] and abs(char["x0"] - prev["x0"]) < 1:
                continue
            kept.append(char)
        result.append(kept)
    return result


def _line_text(line: list[dict]) -> str:
    """Chars of one line → text. A wide gap next to a Latin/digit char reads as a space."""
    out = []
    prev = None
    for char in line:
        text = char["text"]
        if prev is not None and text != " " and (not out or out[-1] != " "):
            gap = char["x0"] - prev["x1"]
            size = char.get("size") or 10
            if gap > size * 0.25 and (_ASCII.match(text) or _ASCII.match(prev["text"])):
                out.append(" ")
        out.append(text)
        prev = char
    return "".join(out).strip()


def make_bands(table: Table) -> None:
    """Split the table into bands at every horizontal ruling and record which cells cover which."""
    edges: list[float] = []
    for y in sorted({c.top for c in table.cells} | {c.bottom for c in table.cells}):
        if not edges or y - edges[-1] > _SNAP:
            edges.append(y)

    def edge_index(y: float) -> int:  # the nearest edge; the upper one on a tie
        i = bisect_left(edges, y)
        if i == len(edges) or (i > 0 and y - edges[i - 1] <= edges[i] - y):
            return i - 1
        return i

    table.bands = [[] for _ in range(len(edges) - 1)]
    for cell in table.cells:
        cell.band_first = edge_index(cell.top)
        cell.band_last = max(cell.band_first, edge_index(cell.bottom) - 1)
        for band in range(cell.band_first, cell.band_last + 1):
            table.bands[band].append(cell)
    for band in table.bands:
        band.sort(key=lambda c: c.x0)


def cell_text(cell: Cell) -> str:
    """A cell's text with wrapping undone (see ``text.join_lines``)."""
    return join_lines(cell.text.split("\n"))
