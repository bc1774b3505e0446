"""Build the workbook evaluation sets of samples/eval/workbooks/ from the transcriptions.

    python samples/build/render_xlsx.py

Budget systems export 自评表 and 目标表 as workbooks: the table with merged cells and thin borders,
numbers stored as numbers with a number format (percent cells as ``0.00%``), some numbers stored as
text, titles merged across the table, one report per sheet or many stacked on one sheet. This writes
the transcribed records (samples/records/) and the real template examples (samples/templates/) so,
from the transcriptions alone (the Word layout of ``render_docx.py``, the example grids of the
template files), never from the extractor:

- ``targets_sheets.xlsx``: one report per sheet (15 sheets), every third number stored as text;
- ``selfeval_stacked.xlsx``: all 109 self-evaluations on one sheet, one under another, every third
  number stored as text, the execution rates as ``0.00%`` (``100.00%`` where Word prints 100%);
- ``targets_stacked.xlsx``: every target table on one sheet;
- ``targets_hidden.xlsx``: one per sheet, with an empty hidden column inside every table (its merged
  cells span it) and a hidden empty row between the reports' tables;
- ``template_<family>_<example>.xlsx``: each real template example on its sheet;
- ``.xls`` copies of ``targets_sheets`` and of one template example, saved by
  LibreOffice (``soffice --headless --convert-to xls``): Excel 97 files as older systems export.

``samples/eval/sets_workbooks.json`` lists them with their expected records. Needs LibreOffice
(libreoffice-calc-nogui) for the .xls copies.
"""

from __future__ import annotations

import json
import re
import subprocess
import tempfile
import zipfile
from datetime import datetime
from pathlib import Path

import docx
import openpyxl
from openpyxl.styles import Alignment, Border, Side

import render_docx
import render_pdf
from render_eval import SE_HEADER, TT_HEADER
from render_templates import layout

ROOT = Path(__file__).resolve().parents[2]
RECORDS = ROOT / "samples/records"
TEMPLATES = ROOT / "samples/templates"
OUT = ROOT / "samples/eval/workbooks"
SETS = ROOT / "samples/eval/sets_workbooks.json"
FIXED_TIME = datetime(2024, 3, 31)
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
_NUMBER = re.compile(r"^-?(0|[1-9]\d{0,13})(\.(\d+))?$")  # longer digit strings (codes) stay text
_PERCENT = re.compile(r"^-?(0|[1-9]\d{0,4})(\.(\d+))?%$")
XLS_COPIES = ["targets_sheets", "template_national_selfeval_guichi_tangxi_2022_cunjibuzhu_partial"]


# A report as blocks: ("line", [texts side by side], is_title) and ("table", width, [(r, c, text, colspan, rowspan)]).


def record_blocks(rec: dict, number: int) -> list[tuple]:
    """The report as render_docx lays it out in Word, read back block by block from the document."""
    document = docx.Document()
    if rec["report_type"] == "self_evaluation":
        render_docx.self_evaluation(document, rec, "beijing")
    else:
        render_docx.performance_target(document, rec, number)
    blocks = []
    tables = iter(document.tables)
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = "".join(node.text or "" for node in child.iter() if node.tag.endswith("}t"))
            texts = [part.strip() for part in re.split(r"\t+", text) if part.strip()]
            if texts:
                # centred headings are titles (merged across the table), as exports set them
                blocks.append(("line", texts, len(texts) == 1))
        elif tag == "tbl":
            width, placed = _docx_grid(next(tables))
            if rec["report_type"] == "self_evaluation":  # 执行率 of the four funding rows (render_docx)
                placed = [(*cell, 4 <= cell[0] <= 7 and cell[1] == 7) for cell in placed]
            blocks.append(("table", width, placed))
    return blocks


def _docx_grid(table) -> tuple[int, list[tuple]]:
    """The Word table's cells on its grid: a merged cell (gridSpan, vMerge) is one placed cell."""
    width = len(table.columns)
    cells = table._cells  # every grid position, a merged cell repeated over its span
    boxes: dict[int, list] = {}
    for i, cell in enumerate(cells):
        r, c = divmod(i, width)
        box = boxes.setdefault(id(cell._tc), [r, c, r, c, cell])
        box[2], box[3] = max(box[2], r), max(box[3], c)
    placed = [(r0, c0, cell.text, c1 - c0 + 1, r1 - r0 + 1) for r0, c0, r1, c1, cell in boxes.values()]
    return width, sorted(placed)


def template_blocks(spec: dict) -> list[tuple]:
    width, placed = layout(spec["rows"])
    return ([("line", [line], "表" in line or "年度" in line) for line in spec.get("above", [])]
            + [("table", width, placed)]
            + [("line", [line], False) for line in spec.get("below", [])])


class Sheet:
    """Writes blocks down a worksheet. ``text_every``: every n-th number is stored as text;
    ``hidden_column``: an empty hidden sheet column before grid column 2 of every table."""

    def __init__(self, ws, text_every: int = 0, percent: str | None = None, hidden_column: bool = False):
        self.ws, self.row, self.numbers = ws, 1, 0
        self.text_every, self.percent, self.hidden_column = text_every, percent, hidden_column

    def column(self, c: int) -> int:  # grid column (0-based) → sheet column
        return c + 1 + (self.hidden_column and c >= 1)

    def write(self, blocks: list[tuple]) -> None:
        width = max((b[1] for b in blocks if b[0] == "table"), default=1)
        for block in blocks:
            if block[0] == "line":
                _, texts, title = block
                if len(texts) == 1:
                    self.put(self.row, 1, texts[0], numbers=False)
                    if title:
                        self.ws.merge_cells(start_row=self.row, start_column=1, end_row=self.row,
                                            end_column=self.column(width - 1))
                else:  # "435001丰润区燕山路办事处本级 … 单位：万元": first and last column
                    self.put(self.row, 1, texts[0], numbers=False)
                    self.put(self.row, self.column(width - 1), texts[-1], numbers=False)
                self.row += 1
            else:
                _, columns, placed = block
                for r, c, text, colspan, rowspan, *rate in placed:
                    self.put(self.row + r, self.column(c), text, rate=bool(rate and rate[0]))
                    if colspan > 1 or rowspan > 1:
                        self.ws.merge_cells(start_row=self.row + r, start_column=self.column(c),
                                            end_row=self.row + r + rowspan - 1,
                                            end_column=self.column(c + colspan - 1))
                rows = 1 + max(cell[0] + cell[4] - 1 for cell in placed)
                for r in range(self.row, self.row + rows):
                    for c in range(1, self.column(columns - 1) + 1):
                        self.ws.cell(r, c).border = BOX
                self.row += rows
        if self.hidden_column:
            self.ws.column_dimensions["B"].hidden = True

    def put(self, row: int, column: int, text: str, numbers: bool = True, rate: bool = False) -> None:
        """``text`` as a spreadsheet holds it: a number in the format that prints it so, else text;
        an execution rate (``rate``) in the sheet's percent format, as budget systems print them."""
        cell = self.ws.cell(row, column)
        number, percent = _NUMBER.match(text), _PERCENT.match(text)
        if numbers and (number or percent):
            self.numbers += 1
            if self.text_every and self.numbers % self.text_every == 0:
                number = percent = None  # stored as text, as many exports do
        if numbers and number:
            decimals = len(number.group(3) or "")
            cell.value = float(text) if decimals else int(text)
            cell.number_format = f"0.{'0' * decimals}" if decimals else "General"
        elif numbers and percent:
            decimals = len(percent.group(3) or "")
            cell.value = float(text[:-1]) / 100
            cell.number_format = (rate and self.percent) or (f"0.{'0' * decimals}%" if decimals else "0%")
        else:
            cell.value = text
            cell.data_type = "s"  # "=8个" is a target as printed, not a formula
        if "\n" in text:
            cell.alignment = Alignment(wrap_text=True)

    def gap(self, hide: bool = False) -> None:
        """A blank row between reports (hidden if ``hide``)."""
        if hide:
            self.ws.row_dimensions[self.row].hidden = True
        self.row += 1


def book(path: Path, reports: list[list[tuple]], header: str = "", stacked: bool = False, **options) -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    sheet = None
    for i, blocks in enumerate(reports, 1):
        if sheet is None or not stacked:
            sheet = Sheet(workbook.create_sheet(f"表{i}" if not stacked else "绩效表"), **options)
            if header:  # the publication's title, as the Word page header carries it
                sheet.write([("line", [header], False)])
        elif stacked:
            sheet.gap(hide=options.get("hidden_column", False))
        sheet.write(blocks)
    workbook.properties.created = workbook.properties.modified = FIXED_TIME
    workbook.save(path)
    _fix_zip_times(path)
    return path


def _fix_zip_times(path: Path) -> None:
    with zipfile.ZipFile(path) as z:
        entries = [(info.filename, z.read(info)) for info in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            z.writestr(zipfile.ZipInfo(name, date_time=FIXED_TIME.timetuple()[:6]), data,
                       compress_type=zipfile.ZIP_DEFLATED)


def to_xls(xlsx: Path) -> Path:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["soffice", "--headless", f"-env:UserInstallation={Path(tmp, 'profile').as_uri()}",
                        "--convert-to", "xls", "--outdir", tmp, str(xlsx)],
                       check=True, capture_output=True, timeout=600)
        return Path(tmp, xlsx.with_suffix(".xls").name).replace(xlsx.with_suffix(".xls"))


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    selfeval = render_pdf.read_records(RECORDS / "selfeval_dahongmen_2023.jsonl")
    targets = render_pdf.read_records(RECORDS / "targets_yanshanlu_2024.jsonl")
    se = [record_blocks(rec, n) for n, rec in enumerate(selfeval, 1)]
    tt = [record_blocks(rec, n) for n, rec in enumerate(targets, 1)]
    se_expected = "samples/records/selfeval_dahongmen_2023.jsonl"
    tt_expected = "samples/records/targets_yanshanlu_2024.jsonl"
    sets = []

    def add(name: str, path: Path, family: str, route: str, expected: str, **extra) -> None:
        sets.append({"name": name, "family": family, "route": route, "compare": "content",
                     "document": str(path.relative_to(ROOT)), "expected": expected, **extra})
        print(f"{path.relative_to(ROOT)}: {path.stat().st_size // 1024} KB")

    made = {
        "selfeval_stacked": (book(OUT / "selfeval_stacked.xlsx", se, SE_HEADER, stacked=True, text_every=3,
                                  percent="0.00%"), "national_selfeval",
                             "openpyxl workbook, every report stacked on one sheet, some numbers as text, rates 0.00%",
                             se_expected),
        "targets_sheets": (book(OUT / "targets_sheets.xlsx", tt, TT_HEADER, text_every=3, percent="0.00%"),
                           "hebei_target", "openpyxl workbook, one report per sheet, some numbers as text",
                           tt_expected),
        "targets_stacked": (book(OUT / "targets_stacked.xlsx", tt, TT_HEADER, stacked=True),
                            "hebei_target", "openpyxl workbook, every report stacked on one sheet", tt_expected),
        "targets_hidden": (book(OUT / "targets_hidden.xlsx", tt, TT_HEADER, stacked=True, hidden_column=True),
                           "hebei_target", "openpyxl workbook, stacked, empty hidden column and rows", tt_expected),
    }
    for example in sorted(TEMPLATES.glob("*/*.json")):
        spec = json.loads(example.read_text(encoding="utf-8"))
        if not (ROOT / "extract" / "templates" / f"{spec['family']}.yaml").exists():
            continue  # a family the reader does not know yet (as in extract/evaluation.py)
        name = f"template_{spec['family']}_{example.stem}"
        made[name] = (book(OUT / f"{name}.xlsx", [template_blocks(spec)]), spec["family"],
                      "openpyxl workbook, real template example", str(example.relative_to(ROOT)),
                      {"complete": spec.get("complete", True)})
    for name, (path, family, route, expected, *extra) in made.items():
        add(name, path, family, route, expected, **(extra[0] if extra else {}))
    for name in XLS_COPIES:
        path, family, route, expected, *extra = made[name]
        add(f"{name}_xls", to_xls(path), family, route + ", saved as .xls by LibreOffice", expected,
            **(extra[0] if extra else {}))
    SETS.write_text("[\n" + ",\n".join("  " + json.dumps(s, ensure_ascii=False) for s in sets) + "\n]\n",
                    encoding="utf-8")
    print(f"{SETS.relative_to(ROOT)}: {len(sets)} sets")


if __name__ == "__main__":
    main()
