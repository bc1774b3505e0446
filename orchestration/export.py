"""``jixiao export [--warehouse FILE] [--xlsx FILE] [--csv DIR] [--parquet DIR]``: the marts of the
published warehouse as an Excel workbook, CSV or Parquet files.

Which tables, in which order, and what each column means all come from the dbt catalogue: the
tables are the nodes the dbt exposure ``marts_workbook`` depends on (dbt_project/models/exposures.yml)
and the headers and the README sheet are their descriptions (target/manifest.json). A header is the
Chinese term a description starts with or names in brackets, e.g. "Fiscal year (年度)" → 年度.

Every file is written beside its target under a temporary name and renamed over it: a reader, or
a run killed halfway, sees the previous file or the new one, never half of one.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

from extract.config import ROOT, published_path, warehouse_path, warehouse_url
from extract.load import read_only

EXPOSURE = "exposure.jixiao.marts_workbook"
MANIFEST = ROOT / "dbt_project" / "target" / "manifest.json"
EXCEL_MAX_ROWS = 1_048_576 - 1  # one row is the header
EXCEL_MAX_TEXT = 32_767
# Excel's number formats, decided from the column's name and description (the first rule that
# matches): money in yuan, money in 万元 as printed, fractions shown as percent.
NUMBER_FORMATS = [
    (lambda name, text: name.endswith("_yuan"), "#,##0.00"),
    (lambda name, text: re.search(r"(^|_)(rate|share)(_|$)", name) or "a fraction" in text, "0.00%"),
    (lambda name, text: "万元" in text, "#,##0.00####"),
]
INTEGER_FORMAT, DECIMAL_FORMAT, TIMESTAMP_FORMAT, DATE_FORMAT = "0", "0.00##", "yyyy-mm-dd hh:mm:ss", "yyyy-mm-dd"
# A Chinese term: CJK characters, possibly several words of them ("总分 得分", "优/良").
CJK = r"[\u3400-\u9fff〔〕]"
TERM = re.compile(rf"{CJK}[\u3400-\u9fff〔〕0-9]*(?:[ /·、：:]{CJK}[\u3400-\u9fff〔〕0-9]*)*")
UNITS = {"元", "万元", "天", "分", "年", "月"}
BRACKETED = re.compile(r"[(（]([^()（）]*)[)）]")
# Illegal in the XML of a worksheet: control characters other than tab, newline and carriage return.
ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
SHEET_ORDER = ("mart_", "dq_", "quarantined_", "dim_", "fct_")


@dataclass
class Column:
    name: str
    header: str
    description: str
    number_format: str | None = None


@dataclass
class Table:
    """One mart as exported: its relation in the warehouse and what the catalogue says of it."""

    name: str
    schema: str
    description: str
    columns: list[Column] = field(default_factory=list)

    @property
    def relation(self) -> str:
        return f'"{self.schema}"."{self.name}"'


def default_warehouse() -> Path:
    """The published copy (``JIXIAO_PUBLISHED``, else ``published/`` beside ``JIXIAO_WAREHOUSE``)."""
    published = os.environ.get("JIXIAO_PUBLISHED")
    return Path(published).resolve() if published else published_path(warehouse_path())


def no_warehouse(prog: str, warehouse: Path) -> str:
    """Why ``prog`` (`jixiao export`, `jixiao report`) has no DuckDB file to read."""
    if warehouse_url():
        return f"{prog}: the warehouse is on PostgreSQL (JIXIAO_WAREHOUSE) and {prog} reads a DuckDB file: give --warehouse FILE"
    return f"{prog}: no warehouse at {warehouse} (run `jixiao run` first, or give --warehouse)"


def load_manifest(path: Path = MANIFEST) -> Mapping[str, Any]:
    if path == MANIFEST:
        from .resources import ensure_dbt_manifest  # parses the project when its manifest is stale

        ensure_dbt_manifest()
    return json.loads(path.read_text(encoding="utf-8"))


def catalogue(con: duckdb.DuckDBPyConnection, manifest: Mapping[str, Any]) -> list[Table]:
    """The exported tables, in sheet order, with their columns as the warehouse holds them and
    the descriptions the dbt catalogue gives them."""
    exposure = manifest["exposures"][EXPOSURE]
    nodes = [manifest["nodes"].get(uid) or manifest["sources"][uid] for uid in exposure["depends_on"]["nodes"]]
    nodes.sort(key=lambda n: next((i for i, p in enumerate(SHEET_ORDER) if _name(n).startswith(p)),
                                  len(SHEET_ORDER)))  # stable: the exposure's order within a kind
    tables = []
    for node in nodes:
        name = _name(node)
        built = con.execute("SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = ? "
                            "AND table_name = ? ORDER BY ordinal_position", [node["schema"], name]).fetchall()
        if not built:
            continue  # not in this warehouse (an older copy): nothing to export
        table = Table(name, node["schema"], _one_line(node.get("description", "")))
        for column, kind in built:
            text = _one_line(node.get("columns", {}).get(column, {}).get("description", ""))
            table.columns.append(Column(column, chinese_header(column, text), text, number_format(column, text, kind)))
        _disambiguate(table.columns)
        tables.append(table)
    return tables


def _name(node: Mapping[str, Any]) -> str:
    return node.get("alias") or node.get("identifier") or node["name"]


def _one_line(text: str) -> str:
    return " ".join(text.split())


def chinese_header(name: str, description: str) -> str:
    """The Chinese term of a column from its description: one it names in brackets ("Fiscal year
    (年度)", "三级指标 in the target table (目标表指标名称)"), else the term it starts with
    ("全年预算数 (full-year budget), 元"); the English name when it gives none. A description
    that starts with its term keeps it past a dash or semicolon ("总分 recomputed — … (按百分制折算)")."""
    match = TERM.match(description)
    clause = re.split(r" — |; ", description, maxsplit=1)[0] if match else description
    term = _bracketed_term(clause, strict=bool(match)) or (match.group(0) if match else None)
    if term is None:
        return name
    if name.endswith("_recomputed") and "重算" not in term:
        term += "（重算）"
    elif name.endswith("_yuan") and "元" not in term:
        term += "（元）"
    elif "key of dim_" in description:
        term += "（键）"
    return term


def _bracketed_term(description: str, strict: bool) -> str | None:
    """A bracketed term that names the column: not a unit ("(元)"), not the meaning of a value in a
    list of values ("total (年度资金总额), current_year (…)"), and either early in the description
    or alone in its brackets ("(满分项目数)", "(年化金额, 元)") rather than a word of an aside; only
    alone in its brackets when the description starts with a term of its own (``strict``)."""
    if re.match(r"[a-z_0-9]+ [(（]", description):
        return None
    for found in BRACKETED.finditer(description):
        inner = found.group(1).strip()
        match = TERM.match(inner)
        if not match or match.group(0) in UNITS:
            continue
        rest = inner[match.end():]
        if not rest or rest[0] in ",，;；、:" or (found.start() < 30 and not strict):
            return match.group(0)
    return None


def _disambiguate(columns: list[Column]) -> None:
    """Two columns of one sheet never share a header: the later ones get their English name."""
    seen: set[str] = set()
    for column in columns:
        if column.header in seen:
            column.header = f"{column.header}（{column.name}）"
        seen.add(column.header)


def number_format(name: str, description: str, kind: str) -> str | None:
    kind = kind.upper()
    if kind.startswith("TIMESTAMP"):
        return TIMESTAMP_FORMAT
    if kind == "DATE":
        return DATE_FORMAT
    if not (kind.startswith(("DECIMAL", "DOUBLE", "FLOAT", "REAL")) or kind in _INTEGERS):
        return None
    for test, fmt in NUMBER_FORMATS:
        if test(name, description):
            return fmt
    return INTEGER_FORMAT if kind in _INTEGERS else DECIMAL_FORMAT


_INTEGERS = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT"}


def export(warehouse: Path, xlsx: Path | None = None, csv: Path | None = None, parquet: Path | None = None,
           manifest: Mapping[str, Any] | None = None) -> dict[str, int]:
    """Write the marts of ``warehouse`` (opened read-only) where asked; returns rows per table."""
    manifest = manifest if manifest is not None else load_manifest()
    with read_only(str(warehouse)) as con:
        tables = catalogue(con, manifest)
        rows = {t.name: con.execute(f"SELECT count(*) FROM {t.relation}").fetchone()[0] for t in tables}
        if xlsx:
            write_workbook(con, tables, rows, Path(xlsx), source=_provenance(con, warehouse))
        for folder, suffix, options in ((csv, "csv", "FORMAT csv, HEADER true"),
                                        (parquet, "parquet", "FORMAT parquet, COMPRESSION zstd")):
            if folder:
                Path(folder).mkdir(parents=True, exist_ok=True)
                for table in tables:
                    target = Path(folder) / f"{table.name}.{suffix}"
                    with _atomic(target) as partial:
                        # an explicit order: the same warehouse always gives the same file
                        con.execute(f"COPY (SELECT * FROM {table.relation} ORDER BY ALL) TO "
                                    f"'{_sql_text(partial)}' ({options})")
    return rows


def _sql_text(path: Path) -> str:
    return str(path).replace("'", "''")


def _provenance(con: duckdb.DuckDBPyConnection, warehouse: Path) -> str:
    try:
        run = con.execute("SELECT run_id, finished_at FROM raw.ingestion_runs WHERE outcome = 'published' "
                          "ORDER BY finished_at DESC LIMIT 1").fetchone()
    except duckdb.Error:
        run = None
    return f"{warehouse.name}" + (f", run {run[0]} published {run[1]:%Y-%m-%d %H:%M} UTC" if run else "")


class _atomic:
    """A temporary path beside ``target``, renamed over it on success, removed on failure."""

    def __init__(self, target: Path):
        self.target = target
        self.partial = target.with_name(f".{target.name}.{os.getpid()}.tmp")

    def __enter__(self) -> Path:
        self.target.parent.mkdir(parents=True, exist_ok=True)
        for stale in self.target.parent.glob(f".{self.target.name}.*.tmp"):  # left by a killed export
            stale.unlink(missing_ok=True)
        return self.partial

    def __exit__(self, kind, value, traceback) -> None:
        try:
            if kind is None:
                with open(self.partial, "rb+") as fh:
                    os.fsync(fh.fileno())
                os.replace(self.partial, self.target)
        finally:
            self.partial.unlink(missing_ok=True)


def write_workbook(con: duckdb.DuckDBPyConnection, tables: list[Table], rows: dict[str, int], target: Path,
                   source: str = "") -> None:
    """One sheet per table (Chinese headers, the English name as each header's comment, number
    formats, frozen header row, filters, widths from the data) and a README sheet first."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    bold, fill = Font(bold=True), PatternFill("solid", start_color="DDEBF7")
    wrap = Alignment(wrap_text=True, vertical="top")
    wb = Workbook(write_only=True)
    readme = wb.create_sheet("README")
    for letter, width in zip("ABCDE", (26, 30, 28, 90, 10)):
        readme.column_dimensions[letter].width = width
    readme.append([WriteOnlyCell(readme, "绩效数据工作簿 jixiao marts workbook")])
    readme.append([f"来源 source: {source}" if source else "来源 source: the published warehouse"])
    readme.append(["每个工作表是一个数据集市表；表头为中文，英文列名见表头批注。金额：*_yuan 列为元，其余金额为报表所印万元；"
                   "比率以百分比显示。 Each sheet is a mart; headers in Chinese, the English column name in the "
                   "header's comment. Money in yuan in *_yuan columns, 万元 as printed elsewhere; rates as percent."])
    readme.append([])
    header = []
    for text in ("工作表 sheet", "列 column", "表头 header", "说明 description", "行数 rows"):
        cell = WriteOnlyCell(readme, text)
        cell.font, cell.fill = bold, fill
        header.append(cell)
    readme.append(header)
    for table in tables:
        shown = min(rows[table.name], EXCEL_MAX_ROWS)
        note = "" if shown == rows[table.name] else f" (first {shown} of {rows[table.name]} rows: Excel's limit)"
        cells = [WriteOnlyCell(readme, v) for v in (table.name, "", "", table.description + note, rows[table.name])]
        for cell in cells:
            cell.font, cell.alignment = bold, wrap
        readme.append(cells)
        for column in table.columns:
            cells = [WriteOnlyCell(readme, v) for v in ("", column.name, column.header, column.description, None)]
            cells[3].alignment = wrap
            readme.append(cells)

    for table in tables:
        ws = wb.create_sheet(table.name)
        widths = _widths(con, table)
        for i, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        ws.freeze_panes = "A2"
        shown = min(rows[table.name], EXCEL_MAX_ROWS)
        ws.auto_filter.ref = f"A1:{get_column_letter(len(table.columns))}{shown + 1}"
        header = []
        for column in table.columns:
            cell = WriteOnlyCell(ws, column.header)
            cell.font, cell.fill = bold, fill
            cell.comment = Comment(column.name, "jixiao", width=220, height=40)
            header.append(cell)
        ws.append(header)
        formats = [c.number_format for c in table.columns]
        for row in _rows(con, table, shown):
            cells = []
            for value, fmt in zip(row, formats):
                cell = WriteOnlyCell(ws, excel_value(value))
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # printed text, never a formula
                if fmt and value is not None:
                    cell.number_format = fmt
                cells.append(cell)
            ws.append(cells)
    with _atomic(target) as partial:
        wb.save(partial)


def _rows(con: duckdb.DuckDBPyConnection, table: Table, limit: int) -> Iterator[tuple]:
    cursor = con.execute(f"SELECT * FROM {table.relation} ORDER BY ALL LIMIT {limit}")
    while batch := cursor.fetchmany(10_000):
        yield from batch


def excel_value(value):
    """A cell value Excel holds: text without control characters and within Excel's cell limit,
    a timestamp without its time zone, anything else that is no number as text."""
    if value is None or isinstance(value, (bool, int, float, Decimal, datetime, date, time)):
        if isinstance(value, datetime) and value.tzinfo is not None:
            return value.replace(tzinfo=None)
        return value
    text = ILLEGAL.sub("", value if isinstance(value, str) else str(value))
    return text[:EXCEL_MAX_TEXT]


def _widths(con: duckdb.DuckDBPyConnection, table: Table) -> list[float]:
    """Each column as wide as its header or its longest value among the first rows, 8 to 60."""
    sample = con.execute(f"SELECT * FROM {table.relation} LIMIT 200").fetchall()
    widths = []
    for i, column in enumerate(table.columns):
        longest = max([_display_width(column.header)] + [
            _display_width(_shown(row[i], column.number_format)) for row in sample])
        widths.append(min(60, max(8, longest + 2)))
    return widths


def _shown(value, fmt: str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return max(value.splitlines() or [""], key=len)
    if fmt == "0.00%":
        return f"{float(value):.2%}"
    if fmt and "#,##0" in fmt:
        return f"{float(value):,.2f}"
    return str(value)


def _display_width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)  # CJK characters take two columns


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="jixiao export", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--warehouse", type=Path,
                        help="DuckDB file to read (default: the published copy, $JIXIAO_PUBLISHED or "
                             "warehouse/published/jixiao.duckdb)")
    parser.add_argument("--xlsx", type=Path, metavar="FILE", help="Excel workbook to write")
    parser.add_argument("--csv", type=Path, metavar="DIR", help="folder to write one CSV file per mart into")
    parser.add_argument("--parquet", type=Path, metavar="DIR", help="folder to write one Parquet file per mart into")
    args = parser.parse_args(argv)
    if not (args.xlsx or args.csv or args.parquet):
        parser.error("say what to write: --xlsx FILE, --csv DIR and/or --parquet DIR")
    warehouse = (args.warehouse or default_warehouse()).resolve()
    if not warehouse.exists():
        print(no_warehouse("jixiao export", warehouse), file=sys.stderr)
        return 1
    rows = export(warehouse, xlsx=args.xlsx, csv=args.csv, parquet=args.parquet)
    print(f"{len(rows)} marts, {sum(rows.values())} rows, from {warehouse}:")
    for target in (args.xlsx, args.csv, args.parquet):
        if target:
            print(f"  {target.resolve()}")
    return 0
