"""End to end: the sample documents through Dagster (in-process) into a real DuckDB warehouse."""

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import mart_hashes, query, run_pipeline

ROOT = Path(__file__).resolve().parent.parent


def test_summary_says_what_was_built(built):
    _, warehouse, summary = built
    assert "Documents: 1 error, 2 ok" in summary
    assert "broken.pdf: corrupt or truncated PDF" in summary
    assert "Reports: 15 performance_target, 40 self_evaluation" in summary
    assert "marts.mart_office_year:" in summary
    assert f"duckdb -readonly {warehouse.parent / 'published' / warehouse.name}" in summary
    from orchestration.run import EXAMPLE_QUERY

    assert len(query(warehouse, EXAMPLE_QUERY.split("\n", 1)[1])) == 7  # the query it prints runs


def test_every_row_traces_back_to_a_file_and_page(built):
    _, warehouse, _ = built
    assert query(warehouse, """
        SELECT count(*) FROM marts.fct_indicator f JOIN raw.reports r USING (report_id)
        WHERE r.source_file LIKE '%selfeval_dahongmen_2023.pdf' AND r.page_first >= 1
    """) == query(warehouse, "SELECT count(*) FROM marts.fct_indicator")


def test_second_run_is_a_no_op_with_identical_marts(built):
    inbox, warehouse, _ = built
    published = warehouse.parent / "published" / warehouse.name
    first, copy = mart_hashes(warehouse), published.stat()
    summary = run_pipeline(inbox, warehouse)
    assert "3 unchanged" in summary and "nothing changed, the published warehouse stands" in summary
    assert mart_hashes(warehouse) == first == mart_hashes(published)
    assert (published.stat().st_ino, published.stat().st_mtime_ns) == (copy.st_ino, copy.st_mtime_ns)
    assert query(warehouse, "SELECT outcome FROM raw.ingestion_runs ORDER BY started_at") == [
        ("published",), ("no change",)]


def test_duckdb_cli_opens_the_warehouse(built):
    """Analysts open the file with the DuckDB CLI (1.5.x): the file format must be one it reads."""
    _, warehouse, _ = built
    cli = Path(sys.executable).parent / "duckdb"
    result = subprocess.run([str(cli), "-readonly", "-csv", str(warehouse),
                             "SELECT count(*) AS reports FROM marts.fct_score"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["reports", "40"]


# Worked out by hand from the seed text (shared/seeds, reports as numbered in samples/records):
# 平安建设办公室 = reports 28 + 29, 综合办公室 = 30 + 40, 民生保障办公室 = 1-5, 16-18, 20, 24, 26, 27, 33.
# Both spellings of the department (大红门街道办事处 / 北京市丰台区人民政府…) are one department.
# 党群工作办公室 = reports 13, 19, 22, 25, 34-38 under three spellings (党群工作办公室, 大红门街道办事处党群工作办公室,
# 北京市丰台区人民政府大红门街道办事处党群工作办公室); report 19 scores 99 with one indicator at 9/10.
OFFICE_YEAR_BY_HAND = {
    # office: (projects, 全年预算数 元, 全年执行数 元, 执行率, avg 总分, min 总分, indicators, not full, 满意度未做)
    "平安建设办公室": (2, "279702.40", "279702.40", "1.0000", "100.00", "100", 17, 0, 0),
    "综合办公室": (2, "6640319.00", "6640319.00", "1.0000", "100.00", "100", 14, 0, 0),
    "民生保障办公室": (13, "13283020.45", "13283020.45", "1.0000", "95.38", "95", 108, 12, 12),
    "党群工作办公室": (9, "13054088.93", "13054088.93", "1.0000", "99.89", "99", 74, 1, 0),
}


@pytest.mark.parametrize("office", sorted(OFFICE_YEAR_BY_HAND))
def test_office_year_mart_matches_hand_computation(built, office):
    _, warehouse, _ = built
    [row] = query(warehouse, f"""
        SELECT projects, annual_budget_yuan, executed_yuan, execution_rate, avg_total_score, min_total_score,
               indicators, indicators_not_full_score, satisfaction_not_done
        FROM marts.mart_office_year
        WHERE fiscal_year = 2023 AND office_name = '{office}'
          AND department_name = '北京市丰台区人民政府大红门街道办事处'
    """)
    projects, budget, executed, rate, avg, low, indicators, not_full, not_done = OFFICE_YEAR_BY_HAND[office]
    assert row == (projects, Decimal(budget), Decimal(executed), Decimal(rate), Decimal(avg), Decimal(low),
                   indicators, not_full, not_done)
