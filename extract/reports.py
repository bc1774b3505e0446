"""Page layouts → report records.

A document is read as one stream of table *bands* (see ``layout``) and loose text lines, across
page breaks. A band holding a 项目名称 / 项目编码 label starts a report; the report's builder then
reads each band by its labels and puts values in fields by the x-position of the column labels it
has seen, so a table continued on the next page (no repeated header, other cell counts) is read
with the columns of its first part. A row that a page break cut in two is put back together from
the x-positions of its cells (``continues_row``, ``ReportBuilder.row_continues``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from . import labels as L
from .layout import Cell, PageLayout, TextLine, cell_text
from .text import join_lines, money_value, number_value, text_value

_SE_YEAR = re.compile(r"[（(]\s*(\d{4})\s*年度?\s*[）)]")
_ANY_YEAR = re.compile(r"(\d{4})\s*年度")
_BUDGET_YEAR = re.compile(r"(\d{4})\s*年度?\s*(?:部门|单位|项目支出|项目)?(?:预算|绩效目标)")
_UNIT_LINE = re.compile(r"^(\d{6})\s*(.+?)\s*(?:单位\s*[:：].*)?$")
_PAGE_NUMBER = re.compile(r"^[-—\s第]*\d+[-—\s页]*$")
_MONTH = re.compile(r"^(\d{1,2})月(?:底|末)?$")
_CUT_REMARK = re.compile(r"^[^(]*\)|\([^)]*$")  # the two halves of a bracket a page break cut
_FORM_CODE = re.compile(rf"(?:{'|'.join(map(re.escape, L.SE_FORM_CODE))})\s*[:：]\s*(\S+)")
_MARKERS = {"不适用", "—", "-", "/"}  # a cell that is a whole row's statement, never a wrapped tail
_GOAL_NUMBER = re.compile(r"^\s*\d{1,2}\s*[.、．]\s*")
LEVELS = ("level1", "level2")
_LEVEL_ENDS = ("指标", "满意度")  # how a whole 一级/二级 label ends (产出指标, 服务对象满意度)
CONTRACT_VERSION = "2"
# a project code printed inside 项目名称: 10+ letters and digits in one run ("2022-2023 年…" is none)
_CODE_IN_NAME = re.compile(r"^[\[【(]?([0-9A-Za-z]{10,})[\]】)]?\s*(?:[-—_:：、]\s*|(?=[\u4e00-\u9fff]))(?=\S)")
_SE_TEXT_BLOCKS = {**L.SE_SUMMARY, **L.SE_CLOSING}  # label → the text in the cell to its right
_TT_BUDGET = ("budget_total", "budget_fiscal", "budget_other", "budget_superior", "budget_period_total",
              "budget_period_fiscal", "budget_period_other")
_TT_INDICATOR_FIELDS = ("level1", "level2", "level3", "description", "comparator", "target", "unit", "basis",
                        "remarks")
_MONEY = ("initial_budget", "annual_budget", "executed")
_FUNDING_NUMBERS = ("initial_budget", "annual_budget", "executed", "weight", "execution_rate", "score")
_SAME_X = 2.0  # points: cells of one column on two pages


@dataclass
class Band:
    page: int
    index: int
    cells: list[Cell]  # left to right
    texts: list[str]  # cell texts, wrapping undone
    used: set[int] = field(default_factory=set)  # the cells read into a field (or as a label)

    def started_here(self, cell: Cell) -> bool:
        return cell.band_first == self.index

    def right_of(self, i: int) -> str | None:
        """The value of the label in cell ``i``: the cell to its right (both count as read)."""
        self.used.add(i)
        if i + 1 < len(self.cells):
            self.used.add(i + 1)
            return self.texts[i + 1]
        return None


Columns = dict[str, tuple[float, float]]


def columns_of(band: Band, table: dict[str, list[str]], skip: set[int] = frozenset()) -> Columns:
    """The fields whose labels stand in this band, with the x-range of each label's cell."""
    found = {}
    for i, (cell, text) in enumerate(zip(band.cells, band.texts)):
        name = None if i in skip else L.match(text, table)
        if name and name not in found:
            found[name] = (cell.x0, cell.x1)
    return found


def cells_at(band: Band, columns: Columns) -> dict[str, int]:
    """For each column, the index of the cell of this band that lies under the column's label (and
    under no other column's)."""
    found = {}
    for name, (x0, x1) in columns.items():
        best, best_share = None, 0.5
        for i, cell in enumerate(band.cells):  # the hottest loop of parsing: Cell.overlap_x inlined
            if cell.x0 >= x1:
                break  # cells go left to right: none further on reaches the column
            overlap = min(cell.x1, x1) - max(cell.x0, x0)
            if overlap > 0:
                share = overlap / (min(cell.x1 - cell.x0, x1 - x0) or 1)
                if share > best_share:
                    best, best_share = i, share
        if best is not None:
            found[name] = best
    if len(set(found.values())) < len(found):  # a cell across two columns' labels is the value of
        taken = list(found.values())          # neither: it is left unplaced
        found = {name: i for name, i in found.items() if taken.count(i) == 1}
    return found


def values_at(band: Band, columns: Columns) -> dict[str, str]:
    """For each column, the text of the cell of this band that lies under the column's label."""
    cells = cells_at(band, columns)
    band.used.update(cells.values())
    return {name: band.texts[i] for name, i in cells.items()}


class ReportBuilder:
    report_type = ""

    def __init__(self, context: list[str], page: int):
        self.context = context
        self.pages = [page, page]
        self.warnings: list[str] = []
        self.done = False
        self.seen: set[str] = set()
        self.page_turned = False
        self.last_head_row: tuple[Band, tuple] | None = None  # the last row read again if cut, state before it
        self.indicator_header: Band | None = None
        self.indicator_columns: Columns = {}
        self.indicators: list[dict] = []
        self.label_cells: list[dict[str, Cell]] = []  # per indicator: the cells of its 一级/二级 labels
        self.joined_labels: dict[int, str] = {}  # id(cell) → its label joined across a page break
        self.printed: set[str] = set()  # the label keys of every cell: what recognises the family
        self.title = L.title_key(context)
        self.family = L.recognise(self.report_type, self.printed, self.title)
        self.unplaced: list[dict] = []
        self.column_headers: set[int] = set()  # id() of the bands read as column headers
        self.table = None  # the table (layout item) of the last band read
        self.last_row: Band | None = None  # the last indicator row
        self.bands: list[Band] = []

    def feed(self, band: Band) -> None:
        self.bands.append(band)
        self.page_turned = self.page_turned or band.page > self.pages[1]
        self.pages[1] = max(self.pages[1], band.page)
        self.printed.update(L.key(t) for t in band.texts if t)
        self.family = L.recognise(self.report_type, self.printed, self.title)
        family = L.FAMILY.set(self.family)
        try:
            whole = self.read(band) or band
            self.check_placed(band)
            if whole is not band:  # the row above, cut by the page break, read again with this tail
                self.check_placed(whole)
        finally:
            L.FAMILY.reset(family)

    def check_placed(self, band: Band) -> None:
        """Every cell of the table lands in a field, is a label, or is reported as unplaced. A row
        read again (whole, after a page break cut it) replaces what was said of its first part."""
        where = (band.page, band.index)
        self.unplaced = [u for u in self.unplaced if u[0] != where]
        for i, (cell, text) in enumerate(zip(band.cells, band.texts)):
            if i in band.used or not band.started_here(cell) or text_value(text) is None:
                continue
            if self.is_frame(text) or self.is_cut_label(band, cell, text):
                continue
            row = text_value(next((t for j, t in enumerate(band.texts) if j != i and t.strip()), None))
            header = id(band) in self.column_headers
            self.unplaced.append((where, header, {"page": band.page, "row_label": row, "text": text}))

    def is_frame(self, text: str) -> bool:
        """A label, a unit remark ("（万元）"), or a label whose remark a page break cut ("项目资金（万" / "元）")."""
        stem = _CUT_REMARK.sub("", L.strip_remarks(L.key(text)))
        return not stem or stem in L.LABEL_KEYS[self.report_type] or bool(_MONTH.match(stem))

    def is_cut_label(self, band: Band, cell: Cell, text: str) -> bool:
        """The head of a label at a page's foot ("年度总") or its rest atop the next page ("体目标")."""
        stem, labels = L.key(text), L.LABEL_KEYS[self.report_type]
        if cell.text_to_bottom and any(label.startswith(stem) for label in labels):
            return True
        return band.index == 0 and band.page > self.pages[0] and any(label.endswith(stem) for label in labels)

    def labels_beside_values(self, band: Band, table: dict[str, list[str]]) -> dict[str, int]:
        """field → index of its label cell, when every label of ``table`` in the band has its text in
        the cell to its right; {} when one of them heads a column (nothing or a label to its right)."""
        found = {}
        for i, text in enumerate(band.texts):
            name = L.match(text, table)
            if name:
                value = band.texts[i + 1] if i + 1 < len(band.texts) else None
                if not text_value(value) or self.is_frame(value):
                    return {}
                found[name] = i
        return found

    def read_line(self, text: str) -> bool:
        """A text line under the table (e.g. 项目负责人：… 财务负责人：…); True if it was read."""
        return False

    def indicator_values(self, band: Band, key_columns: tuple[str, ...]) -> dict[str, str | None] | None:
        """The texts of an indicator row by column, its 一级/二级 labels resolved; None for an empty
        band and for the rest of the row above (which is then joined onto that row)."""
        if not self.indicators and self.page_turned and continues_row(band, self.indicator_header,
                                                                      self.label_tables):
            self.page_turned = False  # the header row was cut inside a label ("指标值确定" / "依据")
            self.complete_indicator_header(band)
            return None
        cells = cells_at(band, self.indicator_columns)
        band.used.update(cells.values())
        values: dict[str, str | None] = {name: band.texts[i] for name, i in cells.items()}
        if not any(v.strip() for v in values.values()):
            return None
        turned = self.page_turned
        if self.row_continues(band, cells, values, key_columns):
            return None
        if not any(v.strip() for name, v in values.items() if name != "level1"):
            band.used.difference_update(cells.values())  # only a 一级 cell: a row no template names
            return None  # (审计意见 | …): its cells are reported unplaced, no indicator is made of it
        self.last_row = band
        previous = self.indicators[-1] if self.indicators else {}
        label_cells = {}
        for name in LEVELS:
            if name in cells:
                label_cells[name] = cell = band.cells[cells[name]]
                if turned and self.label_goes_on(name, cell, values[name]):
                    self.join_label(name, cell, values[name])
                values[name] = self.joined_labels.get(id(cell)) or values[name]
            # A merged cell continued on a new page is printed empty there: it still applies.
            values[name] = text_value(values.get(name)) or previous.get(name)
        self.label_cells.append(label_cells)
        return values

    def row_continues(self, band: Band, cells: dict[str, int], values: dict[str, str],
                      key_columns: tuple[str, ...]) -> bool:
        """Is this band the rest of the row above, cut by a page break?

        Word lets a table row break across pages: the first row on the new page then holds the
        tail of each wrapped cell, nothing in the short cells that never wrap (分值/得分, 指标值确定
        依据), and in the merged 一级/二级 cells nothing (they go on empty) or, when the break cut
        the label itself, the rest of it ("产出指" / "标"). Its text is joined onto the row above
        (or, under the header row, read into the labels). A row of its own that only says 不适用
        is not a tail, nor is a 一级/二级 label under one the break did not cut.
        """
        turned, self.page_turned = self.page_turned, False
        if not turned or any(values.get(name, "").strip() for name in key_columns):
            return False
        if L.key(values.get("target", "")) in _MARKERS:
            return False
        fragments = {name: values[name] for name in LEVELS if values.get(name, "").strip()}
        if fragments and not all(self.label_was_cut(name) for name in fragments):
            return False
        if not self.indicator_columns.keys() & set(key_columns) and self.last_row is not None and not continues_row(
                band, self.last_row, self.label_tables):
            return False  # no short column to tell by (no 分值/得分): the cells themselves must go on
        if self.indicators:
            for name, fragment in fragments.items():
                self.join_label(name, band.cells[cells[name]], fragment)
            append_to_row(self.indicators[-1], {k: v for k, v in values.items() if k not in fragments})
        else:
            self.complete_indicator_header(band)
        return True

    def complete_indicator_header(self, tail: Band) -> None:
        """The header row was cut by a page break: read its labels again, whole."""
        self.indicator_header = band_with_tail(self.indicator_header, tail)
        self.indicator_columns = columns_of(self.indicator_header, self.indicator_labels)
        self.column_headers.add(id(self.indicator_header))
        self.check_placed(self.indicator_header)

    def label_was_cut(self, name: str) -> bool:
        """Did the page break cut the 一级/二级 label of the last row (its text runs to the cell's bottom)?"""
        cell = self.label_cells[-1].get(name) if self.label_cells else None
        return cell is not None and cell.text_to_bottom

    def label_goes_on(self, name: str, cell: Cell, text: str) -> bool:
        """A merged 一级/二级 cell that the page break fell inside, between two of its rows: its label
        starts on this page ("质") and goes on atop the next, over a row of its own ("量指标")."""
        if not (text_value(text) and self.label_was_cut(name)):
            return False
        head = self.indicators[-1].get(name) or ""
        return (same_column(self.label_cells[-1][name], cell) and not L.key(head).endswith(_LEVEL_ENDS)
                and L.key(join_lines([head, text])).endswith(_LEVEL_ENDS))

    def join_label(self, name: str, tail_cell: Cell, fragment: str) -> None:
        """The label cut by the page break, whole, for every row under either part of its cell."""
        cut = self.label_cells[-1][name]
        label = join_lines([self.indicators[-1][name] or "", fragment])
        self.joined_labels[id(cut)] = self.joined_labels[id(tail_cell)] = label
        for row, cells in zip(self.indicators, self.label_cells):
            if cells.get(name) is cut:
                row[name] = label

    def read(self, band: Band) -> Band | None:
        """One band: an indicator row, or a row above the indicator table (``read_head``).

        A row above the indicator table that a page break cut (Word lets rows break across pages)
        is read again, whole, when the first band on the new page turns out to be its rest: that
        whole row is returned.
        """
        if self.indicator_columns:
            self.read_indicator_row(band)
            return None
        turned, self.page_turned = self.page_turned, False
        if turned and self.continues_on_new_page(band):
            return None
        if turned and self.last_head_row and continues_row(band, self.last_head_row[0], self.label_tables):
            above, state = self.last_head_row
            self.restore_head_state(state)
            band = band_with_tail(above, band)
        state = self.head_state()
        self.last_head_row = (band, state) if self.read_head(band) else None
        return band

    def read_head(self, band: Band) -> bool:
        """Read a band above the indicator table; True if it is a row that is read again whole
        should a page break have cut it."""
        raise NotImplementedError

    def head_state(self) -> tuple:
        """What reading a row above the indicator table may change, to undo it."""
        raise NotImplementedError

    def restore_head_state(self, state: tuple) -> None:
        raise NotImplementedError

    def continues_on_new_page(self, band: Band) -> bool:
        """Is the first band on a new page the rest of a block that reads its own continuation?"""
        return False

    def read_indicator_row(self, band: Band) -> None:
        raise NotImplementedError

    def reads_after_total(self, band: Band) -> bool:
        return False

    def header_values(self, band: Band, table: dict[str, list[str]]) -> dict[str, str | None]:
        """Label cell → the value in the cell to its right."""
        found = {}
        for i, text in enumerate(band.texts):
            name = L.match(text, table)
            if name and name not in self.seen:
                self.seen.add(name)
                value = band.right_of(i)
                if value is None:
                    self.warnings.append(f"label {text!r} on page {band.page} has no value cell")
                elif text_value(value) and self.is_frame(value):  # 项目负责人: | 财务负责人: (both empty)
                    band.used.discard(i + 1)
                    value = None
                found[name] = value
            elif not name:  # label and value in one cell: "项目负责人：查小兵"
                inline = {k: v for k, v in labelled_values(text, table).items() if k not in self.seen}
                if inline:
                    band.used.add(i)
                    self.seen.update(inline)
                    found.update(inline)
        return found

    def identity(self, record: dict) -> dict:
        """The fields every record starts with: contract version, family, and the project's code
        where the template prints it inside the name ("51000023R000000123456-项目名")."""
        name = text_value(record.get("project_name")) or ""
        code = _CODE_IN_NAME.match(name)
        if code and any(c.isdigit() for c in code.group(1)) and not record.get("project_code"):
            record["project_code"], record["project_name"] = code.group(1), name[code.end():]
        return {"contract_version": CONTRACT_VERSION,
                "template": self.family, **record}

    def placed(self, record: dict) -> dict:
        """The record with the cells no field took, each also a warning."""
        for _, header, cell in self.unplaced:
            row = f", row {cell['row_label']!r}" if cell["row_label"] else ""
            what = "unknown column header" if header else "unplaced cell"
            self.warnings.append(f"{what} on page {cell['page']}{row}: {cell['text']!r}")
        if self.unplaced:
            record["unplaced_cells"] = [cell for _, _, cell in self.unplaced]
        return record

    def has_identity(self) -> bool:
        """Once a report has read its name or code, the next such label begins another report."""
        return bool(self.seen & {"project_name", "project_code"})

    def finish(self) -> dict:
        raise NotImplementedError

    def last_match(self, pattern: re.Pattern) -> re.Match | None:
        matches = [m for line in self.context for m in [pattern.search(line)] if m]
        return matches[-1] if matches else None


class SelfEvaluationBuilder(ReportBuilder):
    """项目支出绩效自评表 (national template 财预〔2020〕10号 附件2 and its provincial variants)."""

    report_type = "self_evaluation"
    indicator_labels = L.SE_INDICATOR_COLUMNS
    label_tables = (L.SE_HEADER, L.SE_FUNDING_COLUMNS, L.SE_FUNDING_ROWS, L.SE_GOAL_COLUMNS,
                    L.SE_INDICATOR_COLUMNS)

    def __init__(self, context, page):
        super().__init__(context, page)
        self.header: dict[str, str | None] = {}
        self.funding_columns: Columns = {}
        self.funding: list[dict] = []
        self.goal_columns: Columns = {}
        self.goals: dict[str, list[str]] = {"goal_planned": [], "goal_actual": []}
        self.totals: tuple = (None, None)
        self.closing: dict[str, str | None] = {}
        self.block: str | None = None  # the block whose rows come next: "funding" or "goals"
        self.note_cell: tuple | None = None  # the last 原因 cell: (cell, funding row, page)

    def read_head(self, band: Band) -> bool:
        columns = columns_of(band, L.SE_INDICATOR_COLUMNS)
        if {"level1", "level2", "level3"} <= columns.keys():
            self.indicator_columns, self.indicator_header = columns, band
            self.column_headers.add(id(band))
            return False
        header = self.header_values(band, L.SE_HEADER)
        closing = self.header_values(band, _SE_TEXT_BLOCKS)
        self.header.update(header)
        self.closing.update(closing)
        columns = funding_columns_of(band)
        if len(columns.keys() & {"initial_budget", "annual_budget", "executed"}) >= 2:
            self.funding_columns, self.block = columns, "funding"
            self.column_headers.add(id(band))
            return True
        inline = self.inline_goals(band)
        if inline:  # 预期目标 | its text | 实际完成情况 | its text: labels beside their values
            for name, text in inline.items():
                self.goals[name].append(text)
            self.block = None
            return True
        goal_columns = columns_of(band, L.SE_GOAL_COLUMNS)
        if len(goal_columns) == 2:
            self.goal_columns, self.block = goal_columns, "goals"
            self.column_headers.add(id(band))
            return False
        if header or closing:  # a labelled row ends the block above it (templates order them otherwise)
            self.block = None
        elif self.block == "goals":  # goal rows; one cut by a page break goes on in the next band
            for name, text in values_at(band, self.goal_columns).items():
                self.goals[name].append(text)
        elif self.block == "funding":
            self.read_funding_row(band)
        return True  # read again should the page break have cut a row below (the indicator header)

    def inline_goals(self, band: Band) -> dict[str, str]:
        """Goal labels with their texts in the cells to their right (a goal per row, or both in one
        row), as opposed to labels over columns whose texts come in the rows below."""
        found = self.labels_beside_values(band, L.SE_GOAL_COLUMNS)
        for i in found.values():
            band.used.update((i, i + 1))
        return {name: band.texts[i + 1] for name, i in found.items()}

    def head_state(self) -> tuple:
        return (dict(self.header), set(self.seen), dict(self.funding_columns), len(self.funding),
                {name: len(texts) for name, texts in self.goals.items()}, dict(self.closing), self.block,
                self.note_cell)

    def restore_head_state(self, state: tuple) -> None:
        (self.header, self.seen, self.funding_columns, funding_rows, goals, self.closing, self.block,
         self.note_cell) = state
        del self.funding[funding_rows:]
        for name, count in goals.items():
            del self.goals[name][count:]

    def read_funding_row(self, band: Band) -> None:
        for i, (cell, text) in enumerate(zip(band.cells, band.texts)):
            source = L.match(text, L.SE_FUNDING_ROWS)
            if source:
                band.used.add(i)
                break
        else:
            return
        columns = {k: v for k, v in self.funding_columns.items() if v[0] >= cell.x1 - 1}
        cells = cells_at(band, columns)
        band.used.update(cells.values())
        # a cell merged over several rows (one 原因 for the whole block) belongs to its first row
        values = {k: band.texts[i] for k, i in cells.items() if band.started_here(band.cells[i])}
        row = {"source": source, "label": text_value(text)}
        for name in _FUNDING_NUMBERS:
            row[name] = (money_value if name in _MONEY else number_value)(values.get(name))[0]
        row["note"] = text_value(values.get("note"))
        above = self.note_cell
        if "note" in values and above and band.page > above[2] and above[0].text_to_bottom and same_column(
                above[0], band.cells[cells["note"]]):  # the merged 原因 cell, cut by the page break, goes on
            self.funding[above[1]]["note"] = join_lines([self.funding[above[1]]["note"] or "", values["note"]])
            row["note"] = None
        elif "note" in values:
            self.note_cell = (band.cells[cells["note"]], len(self.funding), band.page)
        self.funding.append(row)

    def reads_after_total(self, band: Band) -> bool:
        """Rows under the 总分 row that still belong to the report: 评价结论, 存在问题, 改进措施 …"""
        return any(L.match(t, L.SE_CLOSING) or L.match(t, L.SE_HEADER) in ("finance_lead", "project_lead")
                   for t in band.texts)

    def read_line(self, text: str) -> bool:
        found = {name: value for name, value in labelled_values(text, L.SE_HEADER).items()
                 if name not in self.seen}
        self.header.update(found)
        self.seen.update(found)
        return bool(found)

    def read_indicator_row(self, band: Band) -> None:
        if self.reads_after_total(band):
            self.header.update(self.header_values(band, L.SE_HEADER))
            self.closing.update(self.header_values(band, L.SE_CLOSING))
            return
        if self.done:
            return  # a row under 总分 that no template names: its cells are reported unplaced
        for i, text in enumerate(band.texts):
            if L.is_label(text, L.SE_TOTAL):
                self.read_total(band, i)
                return
        if {"level1", "level2", "level3"} <= columns_of(band, L.SE_INDICATOR_COLUMNS).keys():
            return  # the header repeated on a continuation page
        values = self.indicator_values(band, ("weight", "score"))
        if values is None:
            return
        indicator = {}
        for name in ("level1", "level2", "level3", "comparator", "target", "unit", "actual"):
            indicator[name] = text_value(values.get(name))  # comparator, unit: where printed
        indicator["weight"] = number_value(values.get("weight"))[0]
        indicator["score"], words = number_value(values.get("score"))
        if words:
            indicator["score_text"] = words
        indicator["deviation"] = text_value(values.get("deviation"))
        self.indicators.append(indicator)

    def read_total(self, band: Band, label_index: int) -> None:
        label = band.cells[label_index]
        columns = {k: v for k, v in self.indicator_columns.items()
                   if k in ("weight", "score") and v[0] >= label.x1 - 1}
        values = values_at(band, columns)
        band.used.add(label_index)
        if len(values) == 2:
            self.totals = (number_value(values["weight"])[0], number_value(values["score"])[0])
        else:  # the 总分 cell spans the weight column: take the numbers right of it, in order
            band.used.update(range(label_index + 1, len(band.texts)))
            numbers = [number_value(t)[0] for t in band.texts[label_index + 1:]]
            numbers = [n for n in numbers if n is not None] + [None, None]
            self.totals = (numbers[0], numbers[1])
        self.done = True

    def finish(self) -> dict:
        year = self.last_match(_SE_YEAR)
        if not self.indicator_columns:
            self.warnings.append("indicator table (绩效指标) not found")
        elif not self.done and self.indicator_columns.keys() & {"weight", "score"}:  # a template that scores
            self.warnings.append("总分 row not found: the table may be cut off")
        if not self.funding:
            self.warnings.append("funding rows (项目资金) not found")
        elif not any(row["source"] == "total" for row in self.funding):
            self.warnings.append("funding block without its total row (年度资金总额 / 总额)")
        form_code = self.last_match(_FORM_CODE)
        record = self.identity({
            "report_type": self.report_type,
            "fiscal_year": int(year.group(1)) if year else None,
            "form_code": form_code.group(1) if form_code else None,
            "project_code": None,
            "project_name": text_value(self.header.get("project_name")) or "",
            **{name: text_value(self.header.get(name))
               for name in ("department", "implementing_unit", "project_lead", "phone", "finance_lead")},
            "funding": self.funding,
            "goal_planned": text_value(join_lines(self.goals["goal_planned"])),
            "goal_actual": text_value(join_lines(self.goals["goal_actual"])),
            "implementation_summary": text_value(self.closing.get("implementation_summary")),
            "indicators": self.indicators,
            "total_weight": self.totals[0],
            "total_score": self.totals[1],
            **{name: text_value(self.closing.get(name))
               for name in ("conclusion", "problems", "improvements", "remarks")},
        })
        if not record["project_name"]:
            self.warnings.append("project name (项目名称) is empty")
        return self.placed(record)


class PerformanceTargetBuilder(ReportBuilder):
    """项目绩效目标表 (budget project performance targets)."""

    report_type = "performance_target"
    indicator_labels = L.TT_INDICATOR_COLUMNS
    goal_labels = L.TT_GOAL_COLUMNS
    label_tables = (L.TT_HEADER, {"purpose": L.TT_PURPOSE, "plan": L.TT_SPEND_PLAN, **goal_labels},
                    L.TT_INDICATOR_COLUMNS)  # every label of the table (month columns: ``_MONTH``)

    def __init__(self, context, page):
        super().__init__(context, page)
        self.header: dict[str, str | None] = {}
        self.purpose: str | None = None
        self.expect_purpose = False
        self.month_columns: Columns = {}
        self.spend_plan: list[dict] = []
        self.goals: list[str] = []
        self.goal_band: Band | None = None  # the 绩效目标 row, and the index of its lines' cell
        self.goal_index = 0
        self.goal_text = ""
        self.goal_columns: Columns = {}  # 总体目标 | 年度目标 printed as column headers over their texts
        self.whole_period: list[str] = []
        self.review: list[str] = []

    def read_head(self, band: Band) -> bool:
        columns = columns_of(band, L.TT_INDICATOR_COLUMNS)
        if {"level1", "level2", "level3"} <= columns.keys():
            self.indicator_columns, self.indicator_header = columns, band
            self.column_headers.add(id(band))
            return False
        if self.read_review(band):
            return False
        goal_columns = columns_of(band, self.goal_labels)
        if len(goal_columns) == 2 and not self.labels_beside_values(band, self.goal_labels):
            self.goal_columns = goal_columns  # labels side by side, their texts in the rows below
            self.column_headers.add(id(band))
            return False
        if self.goal_columns and all(self.is_frame(t) for t in band.texts if text_value(t)):
            self.goal_columns = {}  # a block's label (绩效项目指标表): the goals are over
            return False
        if self.goal_columns:
            values = values_at(band, self.goal_columns)
            self.goals += split_goals(values.get("goals") or "")
            self.whole_period += split_goals(values.get("goals_whole_period") or "")
            return True  # read again, whole, should a page break have cut it
        for i, text in enumerate(band.texts):
            if L.match(text, self.goal_labels) == "goals_whole_period" and band.right_of(i):
                self.whole_period = split_goals(band.cells[i + 1].text)
        if self.month_columns:
            for label, text in values_at(band, self.month_columns).items():
                self.spend_plan.append({"month": int(label), "value": number_value(text)[0]})
            self.month_columns = {}
            return True
        months = {m.group(1): (c.x0, c.x1) for c, t in zip(band.cells, band.texts)
                  for m in [_MONTH.match(L.key(t))] if m}
        if len(months) >= 2:
            self.month_columns = months
            return True
        for i, text in enumerate(band.texts):
            if L.match(text, self.goal_labels) == "goals" and band.right_of(i):
                band.used.update((i, i + 1))
                self.goal_band, self.goal_index, self.goal_text = band, i + 1, band.cells[i + 1].text
                self.goals = split_goals(self.goal_text)
                return False
        found = self.header_values(band, L.TT_HEADER)
        if found:
            self.header.update(found)
            self.expect_purpose = "budget_total" in found
            return True
        if self.expect_purpose:
            texts = [t for c, t in zip(band.cells, band.texts)
                     if band.started_here(c) and t and not L.is_label(t, L.TT_PURPOSE)]
            band.used.update(range(len(band.texts)))
            self.purpose = text_value(join_lines(texts)) if texts else None
            self.expect_purpose = False
            return True
        return False

    def head_state(self) -> tuple:
        return (dict(self.header), set(self.seen), self.purpose, self.expect_purpose, dict(self.month_columns),
                len(self.spend_plan), len(self.goals), len(self.whole_period))

    def restore_head_state(self, state: tuple) -> None:
        self.header, self.seen, self.purpose, self.expect_purpose, self.month_columns, plan, goals, whole = state
        del self.spend_plan[plan:]
        del self.goals[goals:]
        del self.whole_period[whole:]

    def continues_on_new_page(self, band: Band) -> bool:
        """The 绩效目标 row cut by a page break: its numbered lines go on in the same column."""
        if self.goal_band is None or not continues_row(band, self.goal_band, self.label_tables):
            return False
        goal = self.goal_band.cells[self.goal_index]
        tail = cells_at(band, {"goals": (goal.x0, goal.x1)}).get("goals")
        if tail is None:
            return False
        band.used.add(tail)
        self.goal_text = "\n".join([self.goal_text, band.cells[tail].text])
        self.goals = split_goals(self.goal_text)
        return True

    def read_line(self, text: str) -> bool:
        found = {name: value for name, value in labelled_values(text, L.TT_HEADER).items()
                 if name not in self.seen and name in ("project_lead", "phone")}
        self.header.update(found)
        self.seen.update(found)
        return bool(found)

    def read_review(self, band: Band) -> bool:
        """审核意见 rows (the reviewing department's words), under or inside the table: no indicator."""
        for i, text in enumerate(band.texts):
            if L.is_label(text, L.TT_REVIEW):
                band.used.update(range(len(band.texts)))
                self.review += [t for j, t in enumerate(band.texts) if j != i and text_value(t)
                                and not L.is_label(t, L.TT_REVIEW)]
                return True
        return False

    def read_indicator_row(self, band: Band) -> None:
        if {"level1", "level2", "level3"} <= columns_of(band, L.TT_INDICATOR_COLUMNS).keys():
            return
        if self.read_review(band) or self.review:
            return  # under the review rows: no indicator any more (cells left are unplaced)
        values = self.indicator_values(band, ("basis",))
        if values is None:
            return
        indicator = {name: text_value(values.get(name)) for name in _TT_INDICATOR_FIELDS}
        indicator["weight"] = number_value(values.get("weight"))[0]
        for name in L.TT_INDICATOR_COLUMNS:  # a family's own columns (长期 targets …), where printed
            if name not in indicator and name in self.indicator_columns:
                indicator[name] = text_value(values.get(name))
        self.indicators.append(indicator)

    def finish(self) -> dict:
        unit = self.last_match(_UNIT_LINE)
        year = self.last_match(_BUDGET_YEAR)
        budget = {name: money_value(self.header.get(name)) for name in _TT_BUDGET}
        purpose = self.purpose
        if budget["budget_other"][1] and not purpose:
            # Layout shift seen in real tables: the usage sentence sits in the 其他资金 value cell.
            purpose = budget["budget_other"][1]
        if not self.indicator_columns:
            self.warnings.append("indicator table (绩效指标) not found")
        return self.placed(self.identity({
            "report_type": self.report_type,
            "fiscal_year": int(year.group(1)) if year else None,
            "unit_code": unit.group(1) if unit else None,
            "unit_name": unit.group(2).strip() if unit else None,
            "project_code": text_value(self.header.get("project_code")),
            "project_name": text_value(self.header.get("project_name")) or "",
            **{name: text_value(self.header.get(name)) for name in
               ("department", "implementing_unit", "project_lead", "phone", "project_attribute",
                "implementation_period")},
            **{name: value[0] for name, value in budget.items()},
            "purpose": purpose,
            "spend_plan": self.spend_plan,
            "goals_whole_period": self.whole_period,
            "goals": self.goals,
            "indicators": self.indicators,
            "review_opinion": text_value("\n".join(self.review)),  # one line per review row
        }))


class DepartmentSelfEvaluationBuilder(SelfEvaluationBuilder):
    """部门整体支出绩效自评表: a self-evaluation table for a whole department (预算部门、单位名称 for
    项目名称), whose funding block also breaks 年度资金总额 down by income (按收入性质分) and by
    expenditure (按支出性质分) in two side-by-side columns of "label:amount" cells."""

    report_type = "department_self_evaluation"

    def __init__(self, context, page):
        super().__init__(context, page)
        self.breakdowns: dict[str, list[dict]] = {name: [] for name in L.DSE_FUNDING_BREAKDOWNS}
        self.breakdown_columns: Columns = {}

    def has_identity(self) -> bool:
        return "unit_name" in self.seen

    def head_state(self) -> tuple:
        return (*super().head_state(), dict(self.breakdown_columns),
                {name: len(rows) for name, rows in self.breakdowns.items()})

    def restore_head_state(self, state: tuple) -> None:
        *state, columns, counts = state
        super().restore_head_state(tuple(state))
        self.breakdown_columns = columns
        for name, count in counts.items():
            del self.breakdowns[name][count:]

    def read_funding_row(self, band: Band) -> None:
        if not self.read_breakdown_row(band):
            super().read_funding_row(band)

    def read_breakdown_row(self, band: Band) -> bool:
        """The cells of a breakdown row: a 按收入性质分 / 按支出性质分 cell opens its column, every
        cell below it in that column is one item of it; an empty cell is none."""
        found = False
        for i, (cell, text) in enumerate(zip(band.cells, band.texts)):
            if not band.started_here(cell) or not text_value(text):
                continue
            label, amount = _label_and_amount(text)
            name = L.match(label, L.DSE_FUNDING_BREAKDOWNS)
            if name:
                self.breakdown_columns[name] = (cell.x0, cell.x1)
            else:
                name = next((n for n, (x0, x1) in self.breakdown_columns.items()
                             if cell.overlap_x(x0, x1) > 0.5 * min(cell.x1 - cell.x0, x1 - x0)), None)
            if name:
                band.used.add(i)
                self.breakdowns[name].append({"label": label, "amount": money_value(amount)[0]})
                found = True
        return found

    def finish(self) -> dict:
        year = self.last_match(_SE_YEAR) or self.last_match(_ANY_YEAR)
        if not self.indicator_columns:
            self.warnings.append("indicator table (绩效指标) not found")
        elif not self.done and self.indicator_columns.keys() & {"weight", "score"}:
            self.warnings.append("总分 row not found: the table may be cut off")
        if not any(row["source"] == "total" for row in self.funding):
            self.warnings.append("funding block without its total row (年度资金总额)")
        record = {
            "contract_version": CONTRACT_VERSION,
            "template": self.family,
            "report_type": self.report_type,
            "fiscal_year": int(year.group(1)) if year else None,
            "unit_name": text_value(self.header.get("unit_name")) or "",
            "funding": self.funding,
            "funding_by_income": self.breakdowns.get("by_income", []),
            "funding_by_expense": self.breakdowns.get("by_expense", []),
            "goal_planned": text_value(join_lines(self.goals["goal_planned"])),
            "goal_actual": text_value(join_lines(self.goals["goal_actual"])),
            "indicators": self.indicators,
            "total_weight": self.totals[0],
            "total_score": self.totals[1],
        }
        if not record["unit_name"]:
            self.warnings.append("unit name (预算部门、单位名称) is empty")
        return self.placed(record)


def _label_and_amount(text: str) -> tuple[str, str | None]:
    """"其中: 一般公共预算:1325.68" → ("其中: 一般公共预算", "1325.68"): the amount after the last colon."""
    text = text.strip()
    at = max(text.rfind(":"), text.rfind("："))
    if at < 0:
        return text, None
    return text[:at].strip(), text_value(text[at + 1:])


def replay(builder: ReportBuilder, bands: list[Band]) -> ReportBuilder:
    for band in bands:
        builder.feed(Band(band.page, band.index, band.cells, band.texts))
    return builder


def funding_columns_of(band: Band) -> Columns:
    """The funding block's columns; a label over the row-label column (Sichuan's 年度预算数（万元）
    left of 年初预算) heads the rows (总额, 财政资金 …), not a column of values."""
    heads = {i for i, t in enumerate(band.texts) if L.is_label(t, L.SE_FUNDING_ROW_HEADER)}
    columns = columns_of(band, L.SE_FUNDING_COLUMNS, skip=heads)
    first = min((x0 for x0, _ in columns.values()), default=0.0)
    heads = {i for i in heads if band.cells[i].x1 <= first + _SAME_X}
    band.used.update(heads)
    return columns if heads else columns_of(band, L.SE_FUNDING_COLUMNS)


def labelled_values(text: str, table: dict[str, list[str]]) -> dict[str, str]:
    """"项目负责人：张三  财务负责人：李四" → {project_lead: 张三, finance_lead: 李四}."""
    found = {}
    for name, variants in table.items():
        for variant in sorted(variants, key=len, reverse=True):
            m = re.search(rf"(?<![\u4e00-\u9fff]){re.escape(variant)}\s*[:：]\s*([^\s:：]+)", text)
            if m and name not in found:
                found[name] = m.group(1)
    return found


def band_with_tail(above: Band, tail: Band) -> Band:
    """The band with the tail of each cell (cut off by a page break) joined on, by x-position."""
    texts = []
    for cell, text in zip(above.cells, above.texts):
        rest = values_at(tail, {"cell": (cell.x0, cell.x1)}).get("cell", "")
        texts.append(join_lines([text, rest]))
    return Band(above.page, above.index, above.cells, texts)


def continues_row(band: Band, above: Band, label_tables: tuple[dict, ...]) -> bool:
    """Is this band, the first on a new page, only the rest of the row above, cut by the break?

    A row cut by a page break goes on in the same cells (same x-positions) on the next page.
    Each text of this band must stand in such a cell under one whose text runs down to its bottom
    edge and is not a whole label (the break cut it), and be no label of its own, since a row of
    the blocks above the indicator table starts with its label; only the rest of a cut label
    ("项目" / "负责人") may be one.
    """
    texts = [(cell, text) for cell, text in zip(band.cells, band.texts) if text.strip()]
    if not texts:
        return False
    for cell, text in texts:
        cut = [t for c, t in zip(above.cells, above.texts) if c.text_to_bottom and same_column(c, cell) and (
            not _is_label(t, label_tables) or _is_label(join_lines([t, text]), label_tables))]  # 偏差原因分析 / 及改进措施
        if not cut:
            return False
        if _is_label(text, label_tables) and not _ends_label(cut[0], text, label_tables):
            return False
    return True


def same_column(a: Cell, b: Cell) -> bool:
    return abs(a.x0 - b.x0) <= _SAME_X and abs(a.x1 - b.x1) <= _SAME_X


def _is_label(text: str, label_tables: tuple[dict, ...]) -> bool:
    return any(L.match(text, table) for table in label_tables) or bool(_MONTH.match(L.key(text)))


def _ends_label(head: str, rest: str, label_tables: tuple[dict, ...]) -> bool:
    """Is ``rest`` the end of a label that a page break cut after ``head`` ("项目" / "负责人")?"""
    return not _is_label(head, label_tables) and _is_label(join_lines([head, rest]), label_tables)


def append_to_row(row: dict, values: dict[str, str]) -> None:
    """Join the tail of each wrapped cell (cut off by a page break) onto the row's text."""
    for name, tail in values.items():
        tail = text_value(tail)
        if tail and isinstance(row.get(name), (str, type(None))):
            row[name] = join_lines([row[name] or "", tail])


def split_goals(cell_text_lines: str) -> list[str]:
    """The numbered lines of a 绩效目标 cell, without their numbers; wrapped lines joined back."""
    goals: list[list[str]] = []
    for line in cell_text_lines.split("\n"):
        if _GOAL_NUMBER.match(line) or not goals:
            goals.append([_GOAL_NUMBER.sub("", line)])
        else:
            goals[-1].append(line)
    return [g for g in (join_lines(parts) for parts in goals) if g]


_TT_IDENTITY = {L.key(v) for v in L.TT_HEADER["project_code"] + L.TT_HEADER["project_name"]}
_SE_IDENTITY = {L.key(v) for v in L.SE_HEADER["project_name"]}
_TT_TITLES = [L.key(t) for f in L.FAMILIES if f.report_type == "performance_target" for t in f.titles]


def _start_kind(band: Band, context: list[str]) -> str | None:
    """The report type a band naming a project starts, as far as its title tells; the table's own
    columns decide in the end (``_other_type``)."""
    keys = {L.key(t) for t in band.texts}
    if keys & (_TT_IDENTITY - _SE_IDENTITY):  # 项目编码, 项目支出名称
        return PerformanceTargetBuilder.report_type
    if keys & _SE_IDENTITY:
        recent = L.key("".join(context[-3:]))
        if any(t in recent for t in _TT_TITLES) and "自评" not in recent:
            return PerformanceTargetBuilder.report_type
        return SelfEvaluationBuilder.report_type
    return None


def _cut_start_kind(band: Band, context: list[str]) -> str | None:
    """The report type a 项目名称 label starts when a page break cut it ("项目" / "名称"): its builder
    joins the rest on (``continues_row``)."""
    for cell, text in zip(band.cells, band.texts):
        stem = L.key(text)
        if cell.text_to_bottom and len(stem) >= 2 and any(
                label != stem and label.startswith(stem) for label in _SE_IDENTITY | _TT_IDENTITY):
            return _start_kind(Band(band.page, band.index, [cell], ["项目名称"]), context)
    return None


def _lists_projects(builder: ReportBuilder) -> bool:
    """Did this "report" start on the column header of a list of projects (项目支出预算表: 项目名称 |
    预算数 | 一般公共预算拨款 …, one project per row), not on a report's 项目名称 | its name?

    Demonstrably so only when both hold: it never met an indicator header (every report has one),
    and in the first row under the 项目名称 label, both that label's column and the column of the
    cell to its right hold values of their own: two column headers over a row of a list. In a
    report, the row under 项目名称 starts with another label (主管部门, 预算规模及资金用途 …) or is
    laid out in other columns.
    """
    if builder.indicator_header is not None or not builder.bands:
        return False
    head = builder.bands[0]
    for i, (cell, text) in enumerate(zip(head.cells[:-1], head.texts)):
        if L.key(text) in _SE_IDENTITY | _TT_IDENTITY:
            beside = head.cells[i + 1]
            row = max(cell.band_last, beside.band_last) + 1
            under = next((b for b in builder.bands if b.page == head.page and b.index == row), None)
            return under is not None and all(_value_under(under, c, builder.label_tables) for c in (cell, beside))
    return False


def _value_under(band: Band, head: Cell, label_tables: tuple[dict, ...]) -> bool:
    """Does ``band`` start a cell in the column of ``head`` holding a value (no label)?"""
    return any(same_column(cell, head) and band.started_here(cell) and text_value(text)
               and not _is_label(text, label_tables) for cell, text in zip(band.cells, band.texts))


def _other_type(builder: ReportBuilder, band: Band) -> str | None:
    """The report type the indicator header says, when it is not the builder's: a self-evaluation
    scores (得分, 完成值), a target table does not."""
    if builder.indicator_header is not band:
        return None
    scored = any(L.match(t, L.SE_INDICATOR_COLUMNS) in ("actual", "score") for t in band.texts)
    if builder.report_type == "self_evaluation" and not scored:
        return PerformanceTargetBuilder.report_type
    if builder.report_type == "performance_target" and scored:
        return SelfEvaluationBuilder.report_type
    return None


BUILDERS = {b.report_type: b for b in (SelfEvaluationBuilder, PerformanceTargetBuilder,
                                       DepartmentSelfEvaluationBuilder)}


def parse_layouts(layouts: Iterable[PageLayout]) -> list[tuple[dict, list[int], list[str]]]:
    """Every report in the document: (record without ``source``, [first, last page], warnings)."""
    results = []
    current: ReportBuilder | None = None
    context: list[str] = []
    all_lines: list[str] = []
    prose: list[tuple[int, str] | None] = []  # loose lines in reading order, None for a table

    def close():
        nonlocal current
        if current is not None:
            record = current.finish()
            if not _lists_projects(current):  # a budget table (项目支出预算表) is no report
                results.append((record, current.pages, current.warnings))
            current = None

    for layout in layouts:
        for item in layout.items():
            if isinstance(item, TextLine):
                all_lines.append(item.text)
                prose.append((layout.number, item.text))
                if current is not None and current.indicator_columns and current.read_line(item.text):
                    continue  # 项目负责人：… under the table
                if not _PAGE_NUMBER.match(item.text):
                    context.append(item.text)
                continue
            prose.append(None)
            for index, cells in enumerate(item.bands):
                band = Band(layout.number, index, cells, [cell_text(c) for c in cells])
                kind = _start_kind(band, context) or _department_start_kind(band, context)
                # a label a page break cut is in the last row of the table's part on its page (a
                # column header 项目支出 over a budget table is no 项目支出名称 cut short)
                if not kind and (current is None or current.done) and index == len(item.bands) - 1:
                    kind = _cut_start_kind(band, context)
                if kind and (current is None or current.done or current.has_identity()):
                    close()
                    current = BUILDERS[kind](context, layout.number)
                    context = []
                # under the 总分 row: the rest of the same table is the report's (closing sections,
                # rows no template names: unplaced); another table only with a closing label
                if current is None or (current.done and current.table is not item
                                       and not current.reads_after_total(band)):
                    context.extend(t for t in band.texts if t)
                    continue
                current.table = item
                current.feed(band)
                kind = _other_type(current, band)
                if kind:  # titled as one type, built as the other: read it again as what it is
                    table, current = item, replay(BUILDERS[kind](current.context, current.pages[0]), current.bands)
                    current.table = table
    close()
    # prose comes before the tables it precedes: on a tie of first pages, the department's goals first
    results = sorted(read_department_goals(prose) + results, key=lambda r: r[1][0])
    _fill_document_year(results, all_lines)
    return results


def _fill_document_year(results, lines: list[str]) -> None:
    """A report without its own year heading takes the document's (e.g. a running header)."""
    for record, _, warnings in results:
        if record["fiscal_year"] is None:
            patterns = [_ANY_YEAR] if record["report_type"] == "self_evaluation" else [_BUDGET_YEAR, _ANY_YEAR]
            match = next((m for pattern in patterns for line in lines for m in [pattern.search(line)] if m), None)
            if match:
                record["fiscal_year"] = int(match.group(1))
            else:
                warnings.append("fiscal year not found")


_DSE_IDENTITY = {L.key(v) for v in L.DSE_HEADER.get("unit_name", [])}
_DSE_TITLES = [L.key(t) for t in L.DSE_TITLES]


def _department_start_kind(band: Band, context: list[str]) -> str | None:
    """A 部门整体支出绩效自评表 starts at its 预算部门、单位名称 row under a title that says so (the
    project tables' 单位名称 line is no cell of theirs, and their titles name no 部门整体)."""
    if not {L.key(t) for t in band.texts} & _DSE_IDENTITY:
        return None
    recent = L.key("".join(context[-3:]))
    return DepartmentSelfEvaluationBuilder.report_type if any(t in recent for t in _DSE_TITLES) else None


# 部门整体绩效目标 as prose -------------------------------------------------------------------
_PART = re.compile(r"^\s*(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]{1,2}\s*[、.．])")
_SUBGOAL = re.compile(r"^\s*[（(]\s*([一二三四五六七八九十]{1,3})\s*[）)]\s*(.*)$")
_PUBLICATION = re.compile(r"^\s*(.+?)\s*(\d{4})\s*年度?\s*部门(?:整体)?(?:预算|决算)")
_DG_TITLE_KEYS = {L.key(t) for t in L.DG_TITLES}


class DepartmentGoalsReader:
    """部门整体绩效目标 printed as prose, read from the document's loose lines in reading order.

    The block starts at a title line (部门整体绩效目标) and ends at the next numbered part that is not
    one of its own headings (三、工作保障措施, 第二部分), at a table, or at the document's end.
    Inside: the 总体绩效目标 heading and its paragraph; the 分项绩效目标 heading, then per sub-goal a
    （一）name line and the labelled lines 绩效目标：… and 绩效指标：…. A line that starts none of
    these continues the one above (a wrapped line, joined by the contract's rule). A line the
    reader cannot put anywhere is an unplaced line (``unplaced_cells``, and a warning), never
    dropped. Page furniture — a page number, a line printed on several pages (running header) —
    is not content.
    """

    report_type = "department_goals"

    def __init__(self, context: list[str], page: int, family: str):
        self.context = context
        self.pages = [page, page]
        self.family = family
        self.warnings: list[str] = []
        self.overall: list[str] = []
        self.subgoals: list[dict[str, list[str]]] = []
        self.section: str | None = None  # overall_goal | subgoals
        self.field: list[str] | None = None  # the lines the next wrapped line continues
        self.unplaced: list[dict] = []
        self.saw_subgoal_heading = False

    def feed(self, page: int, text: str) -> bool:
        """One line of the block; False when it ends the block (the line is not the block's)."""
        heading = L.match(_PART.sub("", text), L.DG_HEADINGS)
        if heading:
            self.section, self.field = heading, (self.overall if heading == "overall_goal" else None)
            self.saw_subgoal_heading |= heading == "subgoals"
        elif _PART.match(text):
            return False
        elif self.section == "subgoals" and (sub := _SUBGOAL.match(text)):
            self.subgoals.append({"name": [sub.group(2)], "goal": [], "indicator": []})
            self.field = self.subgoals[-1]["name"]
        elif self.section == "subgoals" and self.subgoals and (labelled := self.labelled(text)):
            name, rest = labelled
            self.field = self.subgoals[-1][name]
            self.field.append(rest)
        elif self.field is not None:
            self.field.append(text)
        else:
            where = {"overall_goal": "总体绩效目标", "subgoals": "分项绩效目标"}.get(self.section)
            self.unplaced.append({"page": page, "row_label": where, "text": text.strip()})
        self.pages[1] = page
        return True

    @staticmethod
    def labelled(text: str) -> tuple[str, str] | None:
        """"绩效指标：开展…" → ("indicator", "开展…")."""
        head, colon, rest = re.sub(r"^\s+", "", text).partition("：")
        if not colon:
            head, colon, rest = text.strip().partition(":")
        name = L.match(head, L.DG_SUBGOAL_FIELDS) if colon else None
        return (name, rest) if name else None

    def finish(self, lines: list[str]) -> dict:
        publication = next((m for line in reversed(self.context) for m in [_PUBLICATION.search(line)] if m), None) \
            or next((m for line in lines for m in [_PUBLICATION.search(line)] if m), None)
        if not self.saw_subgoal_heading or not self.subgoals:
            self.warnings.append("sub-goals (分项绩效目标) not found")
        if not self.overall:
            self.warnings.append("overall goal (总体绩效目标) not found")
        if publication is None:
            self.warnings.append("unit name not found (no line such as '…2024年部门预算')")
        record = {
            "contract_version": CONTRACT_VERSION,
            "template": self.family,
            "report_type": self.report_type,
            "fiscal_year": int(publication.group(2)) if publication else None,
            "unit_name": publication.group(1).strip() if publication else None,
            "overall_goal": text_value(join_lines(self.overall)),
            "subgoals": [{name: text_value(join_lines(parts)) for name, parts in sub.items()}
                         for sub in self.subgoals],
        }
        for cell in self.unplaced:
            row = f", row {cell['row_label']!r}" if cell["row_label"] else ""
            self.warnings.append(f"unplaced line on page {cell['page']}{row}: {cell['text']!r}")
        if self.unplaced:
            record["unplaced_cells"] = self.unplaced
        return record


def read_department_goals(stream: list[tuple[int, str] | None]) -> list[tuple[dict, list[int], list[str]]]:
    """Every 部门整体绩效目标 block among a document's loose lines (None marks a table)."""
    pages_of: dict[str, set[int]] = {}
    for entry in stream:
        if entry:
            pages_of.setdefault(entry[1].strip(), set()).add(entry[0])
    lines = [e[1] for e in stream if e]
    results, reader, context = [], None, []
    for entry in [*stream, None]:
        if entry is not None:
            page, text = entry
            if not text.strip() or _PAGE_NUMBER.match(text) or len(pages_of[text.strip()]) > 1:
                context.append(text)
                continue  # page furniture: a page number, a running header
            if reader is not None and reader.feed(page, text):
                continue
        if reader is not None:
            results.append((reader.finish(lines), reader.pages, reader.warnings))
            reader = None
        if entry is not None and L.key(_PART.sub("", entry[1])) in _DG_TITLE_KEYS:
            title = L.key(entry[1])
            family = next(f.name for f in L.FAMILIES if f.report_type == DepartmentGoalsReader.report_type
                          and any(t == L.key(_PART.sub("", title)) for t in f.titles))
            reader, context = DepartmentGoalsReader(context, entry[0], family), []
        elif entry is not None:
            context.append(entry[1])
    return results
