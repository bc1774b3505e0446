"""Run the suites on the facts (GE dataframe batches) and keep every failure as a finding row.

A failed contract is a finding for a reviewer, never an exception: a suite that cannot run at all
(a missing table, a GE error) becomes one ``extraction``-kind finding naming the problem.
"""

from __future__ import annotations

import hashlib
import html
import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pandas as pd

from .docs import localize
from .suites import SUITES, Suite

# One row per finding for its whole life: a finding seen again keeps its first_seen, one no longer
# seen is marked resolved (and reopened should it come back).
FINDINGS_DDL = """
CREATE SCHEMA IF NOT EXISTS marts;
CREATE TABLE IF NOT EXISTS marts.dq_findings (
    finding_id VARCHAR PRIMARY KEY, rule_id VARCHAR NOT NULL, severity VARCHAR NOT NULL,
    kind VARCHAR NOT NULL, table_name VARCHAR NOT NULL, report_id VARCHAR, row_key VARCHAR,
    field VARCHAR, observed VARCHAR, expected VARCHAR, message_zh VARCHAR, message_en VARCHAR,
    source_file VARCHAR, page_first INTEGER, page_last INTEGER, fiscal_year INTEGER,
    project_name VARCHAR, office_name VARCHAR,
    first_seen TIMESTAMP NOT NULL, last_seen TIMESTAMP NOT NULL, status VARCHAR NOT NULL
)
"""
FINDING_COLUMNS = ["rule_id", "severity", "kind", "table_name", "report_id", "row_key", "field",
                   "observed", "expected", "message_zh", "message_en"]
# Where a finding is, for the reviewer who opens the document: from the report it is about
# (staging.int_reports, the report grain of the dbt project).
CONTEXT_COLUMNS = ["source_file", "page_first", "page_last", "fiscal_year", "project_name", "office_name"]
# One statement for all of a run's findings: an upsert per finding in one transaction held about
# half a megabyte each until the commit (10 GB for the 23 610 findings of 10 000 new reports).
MERGE_FINDINGS = f"""
INSERT INTO marts.dq_findings SELECT *, $now, $now, 'open' FROM new_findings
ON CONFLICT (finding_id) DO UPDATE SET
    {', '.join(f'{c} = excluded.{c}' for c in ['observed', 'severity', 'kind', *CONTEXT_COLUMNS])},
    last_seen = excluded.last_seen, status = 'open'
"""
# What makes two runs' findings the same finding: the contract and the row it is about.
IDENTITY = ["rule_id", "table_name", "row_key", "expected"]
# marts.mart_dq_office_year, which counts them per office and year, is a dbt model (a view on this
# table): dbt_project/models/marts/analyst/mart_dq_office_year.sql.


@dataclass
class SuiteResult:
    table: str
    success: bool
    evaluated_rows: int
    findings: list[dict] = field(default_factory=list)
    failed_rules: list[str] = field(default_factory=list)


def run_suite(warehouse: Path, suite: Suite | str, context=None) -> SuiteResult:
    """Validate one fact table; failures come back as findings."""
    suite = next(s for s in SUITES if s.label == suite) if isinstance(suite, str) else suite
    try:
        with duckdb.connect(str(warehouse), read_only=True) as con:
            frame = _frame(con.sql(suite.query or f"SELECT * FROM marts.{suite.table}"), suite)
            places = _places(con)
        return _validate(suite, _placed(suite.prepare(frame), places), context or _context())
    except Exception as exc:  # the suite could not run: report it, do not stop the run
        finding = {"rule_id": "DQ-RUN", "severity": "HARD", "kind": "extraction",
                   "table_name": suite.table, "report_id": None, "row_key": None, "field": None,
                   "observed": f"{exc.__class__.__name__}: {exc}"[:500], "expected": "suite runs",
                   "message_zh": "数据质量检查无法运行", "message_en": "the data-quality suite could not run"}
        return SuiteResult(suite.table, False, 0, [finding], ["DQ-RUN"])


def run_checks(warehouse: Path, docs: Path | None = None) -> list[SuiteResult]:
    """Every suite; with ``docs``, GE Data Docs of this run are written to that folder too."""
    context = _context()
    results = [run_suite(warehouse, suite, context) for suite in SUITES]
    if docs is not None:
        context.add_data_docs_site(site_name="jixiao", site_config={
            "class_name": "SiteBuilder",
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(docs)},
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"}, "show_how_to_buttons": False})
        context.build_data_docs()
        localize(docs)  # the pages' scripts, styles and font from beside them: they open offline
    return results


def docs_path(warehouse: Path) -> Path:
    """Where the GE Data Docs go (``JIXIAO_DQ_DOCS``, default ``dq_docs/`` beside the warehouse)."""
    return Path(os.environ.get("JIXIAO_DQ_DOCS", Path(warehouse).parent / "dq_docs")).resolve()


def _context():
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    return context


def finding_id(finding: dict) -> str:
    return hashlib.sha256("|".join(str(finding[c]) for c in IDENTITY).encode()).hexdigest()[:32]


def _report_context(con) -> dict[str, tuple]:
    context = {row[0]: row[1:] for row in con.execute(
        f"SELECT report_id, {', '.join(CONTEXT_COLUMNS)} FROM staging.int_reports").fetchall()}
    # department-level reports (部门整体…) name their department where a project report names its office
    if con.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'staging' "
                   "AND table_name = 'int_department_reports'").fetchone()[0]:
        context.update({row[0]: row[1:] for row in con.execute(
            "SELECT report_id, source_file, page_first, page_last, fiscal_year, NULL, department "
            "FROM staging.int_department_reports").fetchall()})
    return context


def write_findings(warehouse: Path, results: list[SuiteResult]) -> int:
    """Merge this run's findings into ``marts.dq_findings`` in one transaction; returns open findings."""
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    current = {finding_id(f): f for r in results for f in r.findings}
    with duckdb.connect(str(warehouse)) as con:
        columns = {c for (c,) in con.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = 'marts' AND table_name = 'dq_findings'").fetchall()}
        if columns and "source_file" not in columns:  # written by an earlier version
            con.execute("DROP TABLE marts.dq_findings")
        con.execute(FINDINGS_DDL)
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute("UPDATE marts.dq_findings SET status = 'resolved' WHERE status = 'open'")
            context = _report_context(con)
            con.execute("CREATE OR REPLACE TEMP TABLE new_findings AS "
                        "SELECT * EXCLUDE (first_seen, last_seen, status) FROM marts.dq_findings LIMIT 0")
            rows = [[fid, *(f[c] for c in FINDING_COLUMNS), *context.get(f["report_id"], [None] * len(CONTEXT_COLUMNS))]
                    for fid, f in current.items()]
            if rows:
                con.executemany(f"INSERT INTO new_findings VALUES ({', '.join('?' * len(rows[0]))})", rows)
                con.execute(MERGE_FINDINGS, {"now": now})
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    return len(current)


# Where a failing row is, as columns of the Data Docs' table of unexpected rows beside the key: the
# project (a department report: the department), the document's file name and its pages.
PLACES = ["project", "document", "pages"]


def _places(con) -> dict[str, dict]:
    """PLACES per report_id (none when the warehouse has no staging.int_reports)."""
    if not con.execute("SELECT count(*) FROM information_schema.tables "
                       "WHERE table_schema = 'staging' AND table_name = 'int_reports'").fetchone()[0]:
        return {name: {} for name in PLACES}
    reports = _report_context(con)  # report_id → CONTEXT_COLUMNS
    return {
        "project": {rid: c[4] or c[5] for rid, c in reports.items()},
        "document": {rid: Path(c[0]).name for rid, c in reports.items() if c[0]},
        "pages": {rid: str(c[1]) if c[2] in (None, c[1]) else f"{c[1]}–{c[2]}"
                  for rid, c in reports.items() if c[1] is not None},
    }


def _placed(frame: pd.DataFrame, places: dict[str, dict]) -> pd.DataFrame:
    """``frame`` (prepared for this run only: changed in place, no copy) with the PLACES of its reports."""
    if "report_id" in frame:
        for name, values in places.items():
            frame[name] = frame["report_id"].map(values)
    return frame


def _frame(relation: duckdb.DuckDBPyRelation, suite: Suite) -> pd.DataFrame:
    """The columns ``suite`` reads, DECIMALs as DOUBLE: GE compares floats, and a Python Decimal
    object per cell is ten times the memory."""
    wanted = {*suite.key, *suite.reads, *(c.column for c in suite.contracts)} if suite.reads else None
    return relation.project(", ".join(
        f'CAST("{name}" AS DOUBLE) AS "{name}"' if str(kind).startswith("DECIMAL") else f'"{name}"'
        for name, kind in zip(relation.columns, relation.types) if wanted is None or name in wanted)).df()


def _validate(suite: Suite, frame: pd.DataFrame, context) -> SuiteResult:
    import great_expectations as gx

    # A validation definition (not batch.validate) so that the result is stored for Data Docs.
    batch = (context.data_sources.add_pandas(suite.label)
             .add_dataframe_asset(suite.label)
             .add_batch_definition_whole_dataframe("all"))
    gx_suite = context.suites.add(gx.ExpectationSuite(name=suite.label))
    for i, contract in enumerate(suite.contracts):
        expectation = getattr(gx.expectations, contract.expectation)(
            column=contract.column, **contract.kwargs, **_documented(contract, i))
        gx_suite.add_expectation(expectation)
    definition = context.validation_definitions.add(
        gx.ValidationDefinition(name=suite.label, data=batch, suite=gx_suite))
    places = [c for c in PLACES if c in frame.columns]
    validation = definition.run(batch_parameters={"dataframe": frame}, result_format={
        "result_format": "COMPLETE", "unexpected_index_column_names": [*suite.key, *places]})

    result = SuiteResult(suite.table, bool(validation.success), len(frame))
    for outcome in validation.results:
        contract = suite.contracts[outcome.expectation_config.meta["contract"]]
        if outcome.success:
            continue
        result.failed_rules.append(contract.rule_id)
        for row in outcome.result.get("unexpected_index_list") or [{}]:
            key = {k: row.get(k) for k in suite.key}
            result.findings.append({
                "rule_id": contract.rule_id, "severity": contract.severity, "kind": contract.kind,
                "table_name": suite.table, "report_id": key.get("report_id"),
                "row_key": "/".join(str(v) for v in key.values()), "field": contract.column,
                "observed": _observed(row.get(contract.column)),
                "expected": _expected(contract), "message_zh": contract.message_zh,
                "message_en": contract.message_en,
            })
    return result


def _documented(contract, index: int) -> dict:
    """What the Data Docs show of a contract: its rule id, severity and explanation as the
    expectation's description (the validation page's row; the expectation page's line) and notes."""
    return {
        "meta": {"contract": index, "rule_id": contract.rule_id, "severity": contract.severity,
                 "kind": contract.kind},
        "description": html.escape(f"{contract.rule_id} · {contract.severity} · {contract.message_zh}"
                                   f" — {_expected(contract)}"),
        "notes": [f"**{contract.rule_id}** · {contract.severity} · {contract.message_zh}",
                  f"{contract.message_en} — kind `{contract.kind}`, tolerance: {contract.tolerance}"],
    }


def _observed(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "null"
    return f"{value:.6g}" if isinstance(value, float) else str(value)


def _expected(contract) -> str:
    low, high = contract.kwargs.get("min_value"), contract.kwargs.get("max_value")
    if contract.expectation.endswith("NotBeNull"):
        return "not null"
    if contract.expectation.endswith("ToBeNull"):  # SE-22: no clone partner; observed is the evidence
        return f"no {contract.column} ({contract.tolerance})"
    if "value_set" in contract.kwargs:
        return f"{contract.column} in {', '.join(contract.kwargs['value_set'])}"
    if low is not None and low == high:
        return f"{contract.column} = {low}"
    bounds = [f">= {low}" if low is not None else "", f"<= {high}" if high is not None else ""]
    text = f"{contract.column} " + " and ".join(b for b in bounds if b)
    return text + (f" ({contract.tolerance})" if contract.tolerance != "exact" else "")
