"""The marts as an analyst takes them away: the workbook `jixiao run` publishes beside the warehouse
and `jixiao export` (workbook, CSV, Parquet), each read back and compared with its mart row for row."""

import contextlib
import io
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from openpyxl import load_workbook

from orchestration.export import catalogue, chinese_header, export, load_manifest, number_format

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def published(built) -> Path:
    _, warehouse, _ = built
    return warehouse.parent / "published" / warehouse.name


def marts(published: Path) -> dict[str, tuple[list[str], list[tuple]]]:
    """Every exported mart: its columns and rows, in the order the exports write them."""
    with duckdb.connect(str(published), read_only=True) as con:
        tables = catalogue(con, load_manifest())
        out = {}
        for table in tables:
            cursor = con.execute(f"SELECT * FROM {table.relation} ORDER BY ALL")
            out[table.name] = ([d[0] for d in cursor.description], cursor.fetchall())
    return out


def same_cell(expected, got) -> bool:
    """A mart value and what Excel keeps of it: numbers as floats, timestamps to the millisecond,
    dates as midnight."""
    if expected is None or expected == "":
        return got is None or got == ""
    if isinstance(expected, bool):
        return got is expected
    if isinstance(expected, (int, float, Decimal)):
        return isinstance(got, (int, float)) and abs(float(expected) - float(got)) <= 1e-9 * max(1, abs(float(expected)))
    if isinstance(expected, datetime):
        return isinstance(got, datetime) and abs(got - expected) < timedelta(milliseconds=1)
    if isinstance(expected, date):
        return got in (expected, datetime(expected.year, expected.month, expected.day))
    return got == expected


def assert_workbook_is_the_marts(path: Path, published: Path) -> None:
    wb = load_workbook(path)
    expected = marts(published)
    assert wb.sheetnames == ["README", *expected]
    # the analyst marts first, then findings, dimensions and facts
    assert wb.sheetnames[1:3] == ["mart_office_year", "mart_department_year"]
    assert {"mart_dq_office_year", "dq_findings", "quarantined_documents", "dim_project", "fct_indicator"} <= set(wb.sheetnames)
    for name, (columns, rows) in expected.items():
        ws = wb[name]
        header = next(ws.iter_rows(min_row=1, max_row=1))
        assert [c.comment.text for c in header] == columns, name  # the English name as the header's comment
        got = list(ws.iter_rows(min_row=2, values_only=True))
        assert len(got) == len(rows), name
        for i, (want, have) in enumerate(zip(rows, got)):
            bad = [(col, w, h) for col, w, h in zip(columns, want, have) if not same_cell(w, h)]
            assert bad == [], f"{name} row {i + 2}: {bad[:3]}"
        assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:"), name
    assert sum(len(rows) for _, rows in expected.values()) > 500  # the samples, not empty tables


def test_run_publishes_the_workbook_beside_the_warehouse(built, published):
    _, _, summary = built
    workbook = published.with_suffix(".xlsx")
    assert f"Workbook (Excel, every mart): {workbook}" in summary
    assert not list(published.parent.glob(".*.tmp"))  # written under a temporary name, renamed
    assert_workbook_is_the_marts(workbook, published)


def test_workbook_headers_formats_and_readme(published):
    wb = load_workbook(published.with_suffix(".xlsx"))
    ws = wb["mart_office_year"]
    header = {c.comment.text: c for c in next(ws.iter_rows(min_row=1, max_row=1))}
    assert header["fiscal_year"].value == "年度" and header["office_name"].value == "实施单位"
    assert header["annual_budget_yuan"].value == "全年预算数（元）"
    assert header["avg_total_score_recomputed"].value == "平均重算得分"
    assert header["fiscal_year"].font.bold
    first = {name: ws.cell(row=2, column=c.column) for name, c in header.items()}
    assert first["annual_budget_yuan"].number_format == "#,##0.00"
    assert first["execution_rate"].number_format == "0.00%"
    assert first["projects"].number_format == "0"
    assert ws.column_dimensions["E"].width >= 8  # office names are wide
    sheet = wb["fct_project_budget"]
    budget = {c.comment.text: sheet.cell(row=2, column=c.column) for c in next(sheet.iter_rows(min_row=1, max_row=1))}
    assert budget["budget_total"].number_format == "#,##0.00####"  # 万元 as printed
    # the README sheet explains every sheet and column from the dbt catalogue
    readme = [row for row in wb["README"].iter_rows(values_only=True)]
    described = {(row[0], row[1]) for row in readme if row and (row[0] or row[1])}
    assert ("mart_office_year", "") in {(s, c or "") for s, c in described}
    explained = {row[1]: row for row in readme if row and row[1]}
    assert explained["execution_rate"][2] == "执行率" and "a fraction" in explained["execution_rate"][3]


def test_export_command_writes_workbook_csv_and_parquet(published, tmp_path):
    from extract.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["export", "--warehouse", str(published), "--xlsx", str(tmp_path / "marts.xlsx"),
                     "--csv", str(tmp_path / "csv"), "--parquet", str(tmp_path / "parquet")]) == 0
    assert str(tmp_path / "marts.xlsx") in out.getvalue()
    assert_workbook_is_the_marts(tmp_path / "marts.xlsx", published)
    expected = marts(published)
    with duckdb.connect(str(published), read_only=True) as con:
        for name in expected:
            relation = f"marts.{name}"
            # Parquet keeps the types: the same rows, the same values
            parquet = str(tmp_path / "parquet" / f"{name}.parquet")
            assert con.execute(f"SELECT count(*) FROM (SELECT * FROM {relation} EXCEPT ALL "
                               f"SELECT * FROM '{parquet}')").fetchone()[0] == 0, name
            assert con.execute(f"SELECT count(*) FROM '{parquet}'").fetchone()[0] == len(expected[name][1])
            # CSV is text: every value as DuckDB writes it, row for row
            csv = str(tmp_path / "csv" / f"{name}.csv")
            columns = expected[name][0]
            as_text = ", ".join(f'CAST(t."{c}" AS VARCHAR)' for c in columns)
            typed_order = ", ".join(f't."{c}"' for c in columns)  # the export's ORDER BY ALL
            want = con.execute(f"SELECT {as_text} FROM {relation} AS t ORDER BY {typed_order}").fetchall()
            got = con.execute(f"SELECT * FROM read_csv('{csv}', all_varchar = true, header = true)").fetchall()
            assert got == want, name
            assert [d[0] for d in con.execute(f"SELECT * FROM read_csv('{csv}', all_varchar = true) LIMIT 0")
                    .description] == columns


def test_a_failed_export_leaves_the_previous_file(published, tmp_path, monkeypatch):
    from openpyxl import Workbook

    target = tmp_path / "marts.xlsx"
    target.write_bytes(b"the previous workbook")

    save = Workbook.save

    def crash(self, filename):  # the workbook written, then the disk fills up before the rename
        save(self, filename)
        raise OSError("disk full")

    monkeypatch.setattr(Workbook, "save", crash)
    with pytest.raises(OSError):
        export(published, xlsx=target)
    assert target.read_bytes() == b"the previous workbook"
    assert [p.name for p in tmp_path.iterdir()] == ["marts.xlsx"]


def test_export_without_a_warehouse_says_so(tmp_path, capsys):
    from extract.cli import main

    assert main(["export", "--warehouse", str(tmp_path / "none.duckdb"), "--xlsx", str(tmp_path / "x.xlsx")]) == 1
    assert "no warehouse" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["export", "--warehouse", str(tmp_path / "none.duckdb")])  # nothing asked for


@pytest.mark.parametrize("name, description, header", [
    ("fiscal_year", "Fiscal year (年度).", "年度"),
    ("annual_budget_yuan", "全年预算数 (full-year budget), 元.", "全年预算数（元）"),
    ("execution_rate_recomputed", "执行率 recomputed — 全年执行数 / 全年预算数, a fraction.", "执行率（重算）"),
    ("level3_target_table", "三级指标 in the target table (目标表指标名称).", "目标表指标名称"),
    ("office_key", "Office (实施单位), key of dim_office.", "实施单位（键）"),
    ("target_annual_yuan", "A money target per year in yuan (年化金额, 元).", "年化金额（元）"),
    ("target_value_yuan", "A money target in yuan (元).", "target_value_yuan"),  # a unit is no name
    ("funding_source", "total (年度资金总额), current_year (其中：当年财政拨款)", "funding_source"),
    ("budget_fiscal", "其中：财政资金 (fiscal funds), 万元.", "其中：财政资金"),
    ("level", "1 for an 一级指标, 2 for an 二级指标.", "level"),
])
def test_chinese_header_from_the_description(name, description, header):
    assert chinese_header(name, description) == header


def test_number_formats_from_names_and_descriptions():
    assert number_format("executed_yuan", "全年执行数, 元.", "DECIMAL(20,2)") == "#,##0.00"
    assert number_format("quantified_share", "Share …, a fraction.", "DOUBLE") == "0.00%"
    assert number_format("budget_total", "预算数 (budget), 万元.", "DECIMAL(20,6)") == "#,##0.00####"
    assert number_format("projects", "Self-evaluated projects (项目数).", "BIGINT") == "0"
    assert number_format("office_name", "实施单位", "VARCHAR") is None
    assert number_format("first_seen", "首次发现", "TIMESTAMP") == "yyyy-mm-dd hh:mm:ss"
