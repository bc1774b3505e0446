"""Rows cut by a page break (Word lets a table row break across pages), on hand-made layouts.

The committed sets selfeval_word_split_rows_libreoffice and targets_word_page_breaks_libreoffice
pin the same cases on real LibreOffice output; these tests state each rule on its own.
"""

from extract import labels as L
from extract.layout import Cell, PageLayout, Table, make_bands
from extract.reports import Band, continues_row, parse_layouts

SE_LABELS = (L.SE_HEADER, L.SE_FUNDING_COLUMNS, L.SE_FUNDING_ROWS, L.SE_GOAL_COLUMNS, L.SE_INDICATOR_COLUMNS)


def cell(x0: float, x1: float, text: str = "", cut: bool | None = None) -> Cell:
    """A cell; ``cut``: its text runs down to its bottom edge (by default: any text does)."""
    made = Cell(x0, 0, x1, 10, text)
    made.text_to_bottom = bool(text) if cut is None else cut
    return made


def band(*cells: Cell) -> Band:
    return Band(1, 0, list(cells), [c.text for c in cells])


def test_the_rest_of_a_cut_header_row_continues_it():
    above = band(cell(0, 40, "主管"), cell(40, 120, "大红门街道办事处"), cell(120, 160, "实施单位"),
                 cell(160, 280, "城乡管理办公室"))
    assert continues_row(band(cell(0, 40, "部门"), cell(40, 120), cell(120, 160), cell(160, 280)), above, SE_LABELS)


def test_the_rest_of_a_cut_label_may_be_a_label_itself():
    above = band(cell(0, 40, "项目"), cell(40, 120, "李毅飞"), cell(120, 160, "联系电话"), cell(160, 280, "6727"))
    assert continues_row(band(cell(0, 40, "负责人"), cell(40, 120), cell(120, 160), cell(160, 280)), above, SE_LABELS)


def test_a_row_of_its_own_is_not_the_rest_of_the_row_above():
    # one-line rows run to their cells' bottom edge: whether they were cut shows in the next row
    above = band(cell(0, 80, "年度资金总额"), cell(80, 120, "—"), cell(120, 160, "10"))
    below = band(cell(0, 80, "其中：当年财政拨款"), cell(80, 120, "—"), cell(120, 160, "10"))
    assert not continues_row(below, above, SE_LABELS)


def test_text_under_a_whole_label_is_not_its_rest():
    # 资金支出计划（%） is one cell over two rows: the break falls between the rows, not inside a label
    above = band(cell(0, 60, "资金支出计划"), cell(60, 120, "3月底"), cell(120, 180, "6月底"))
    below = band(cell(0, 60, "（%）"), cell(60, 120, "5.00"), cell(120, 180, "10.00"))
    tt_labels = (L.TT_HEADER, {"plan": L.TT_SPEND_PLAN}, L.TT_INDICATOR_COLUMNS)
    assert not continues_row(below, above, tt_labels)


def test_text_under_an_uncut_cell_or_another_column_is_not_a_rest():
    above = band(cell(0, 40, "主管", cut=False), cell(40, 280, "大红门街道办事处"))
    assert not continues_row(band(cell(0, 40, "部门"), cell(40, 280)), above, SE_LABELS)
    above = band(cell(0, 40, "主管"), cell(40, 280, "大红门街道办事处"))
    assert not continues_row(band(cell(0, 20, "部门"), cell(20, 280)), above, SE_LABELS)


# A self-evaluation's indicator table over two pages: columns x-ranges, rows 10 pt high.
COLUMNS = [(0, 40), (40, 80), (80, 120), (120, 160), (160, 200), (200, 220), (220, 240), (240, 280)]
HEADER = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"]


def page(number: int, rows: list[list[str]], level1: list[tuple[int, int, str, bool]]) -> PageLayout:
    """A page with one table: ``rows`` give the cells right of 一级指标; ``level1`` the merged
    一级指标 cells as (first row, last row, text, text runs to the bottom)."""
    cells = []
    for r, row in enumerate(rows):
        texts = row if len(row) == len(COLUMNS) else [None, *row]
        for (x0, x1), text in zip(COLUMNS, texts):
            if text is not None:
                cells.append(Cell(x0, r * 10, x1, r * 10 + 10, text))
    for first, last, text, cut in level1:
        merged = Cell(0, first * 10, 40, last * 10 + 10, text)
        merged.text_to_bottom = cut
        cells.append(merged)
    table = Table(number, 0, 0, 280, len(rows) * 10, cells)
    make_bands(table)
    return PageLayout(number, 300, 400, [table], [])


def indicators_of(first_page: PageLayout, second_page: PageLayout) -> list[tuple]:
    name_row = [Cell(0, -10, 40, 0, "项目名称"), Cell(40, -10, 280, 0, "项目")]
    first_page.tables[0].cells[:0] = name_row
    make_bands(first_page.tables[0])
    [(record, _, _)] = parse_layouts([first_page, second_page])
    return [(i["level1"], i["level2"], i["level3"]) for i in record["indicators"]]


def test_a_label_cut_by_the_page_break_is_joined_for_every_row_it_spans():
    first = page(1, [HEADER, ["数量指标", "人数", "10人", "10人", "20", "20", ""]], [(1, 1, "产出指", True)])
    second = page(2, [["", "", "", "", "", "", ""],
                      ["质量指标", "合格率", "100%", "100%", "20", "20", ""],
                      ["总分", None, None, None, None, "40", "40", ""]], [(0, 1, "标", False)])
    assert indicators_of(first, second) == [("产出指标", "数量指标", "人数"), ("产出指标", "质量指标", "合格率")]


def test_a_label_under_one_the_break_did_not_cut_starts_a_new_row():
    first = page(1, [HEADER, ["数量指标", "人数", "10人", "10人", "20", "20", ""],
                     ["质量指标", "合格率", "100%", "100%", "20", "20", ""]], [(1, 2, "产出指标", False)])
    second = page(2, [["经济效益指标", "", "", "", "", "", ""],
                      ["总分", None, None, None, None, "40", "40", ""]], [(0, 0, "效益指标", False)])
    assert indicators_of(first, second)[-1] == ("效益指标", "经济效益指标", None)
