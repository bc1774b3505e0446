"""Run the suites on the facts (GE dataframe batches) and keep every failure as a finding row.

A failed contract is a finding for a reviewer, never an exception: a suite that cannot run at all
(a missing table, a GE error) becomes one ``extraction``-kind finding naming the problem.

The warehouse is a DuckDB file, or a PostgreSQL URL: then the checks read the schemas being built
(``marts_build``, ``staging_build``) before publication — in the database by GE's SQL route where a
suite's query computes what it checks, else in pandas (``_run_postgres``) — and the findings go to
``marts_build.dq_findings``, their lifecycle carried on from the published ``marts.dq_findings``.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import os
import re
import warnings
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pandas as pd

from extract.config import POSTGRES_SCHEMES
from extract.load import read_only

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
RESOLVE = "UPDATE marts.dq_findings SET status = 'resolved' WHERE status = 'open'"
# The columns of this run's findings before the merge gives them their lifecycle.
NEW_FINDINGS = f"SELECT finding_id, {', '.join(FINDING_COLUMNS + CONTEXT_COLUMNS)} FROM marts.dq_findings LIMIT 0"
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


def run_suite(warehouse: Path | str, suite: Suite | str, context=None) -> SuiteResult:
    """Validate one fact table; failures come back as findings. ``warehouse``: the DuckDB file, or
    the PostgreSQL URL (a str)."""
    suite = next(s for s in SUITES if s.label == suite) if isinstance(suite, str) else suite
    try:
        if on_postgres(warehouse):
            return _run_postgres(str(warehouse), suite, context or _context())
        with read_only(str(warehouse)) as con:
            places, relation = _places(con), con.sql(suite.query or f"SELECT * FROM marts.{suite.table}")
            parts = _parts(relation.aggregate("count(*)").fetchone()[0])
            frames = (_placed(suite.prepare(_frame(part, suite)), places) for part in (
                [relation] if parts == 1 else
                (relation.filter(f"hash({suite.chunk_by}) % {parts} = {i}") for i in range(parts))))
            return _validate(suite, frames, context or _context())
    except Exception as exc:  # the suite could not run: report it, do not stop the run
        finding = {"rule_id": "DQ-RUN", "severity": "HARD", "kind": "extraction",
                   "table_name": suite.table, "report_id": None, "row_key": None, "field": None,
                   "observed": f"{exc.__class__.__name__}: {exc}"[:500], "expected": "suite runs",
                   "message_zh": "数据质量检查无法运行", "message_en": "the data-quality suite could not run"}
        return SuiteResult(suite.table, False, 0, [finding], ["DQ-RUN"])


def run_checks(warehouse: Path | str, docs: Path | None = None) -> list[SuiteResult]:
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


def check_warehouse(warehouse: Path | str, docs: Path | None = None) -> tuple[int, dict[str, int]]:
    """Every suite, its findings merged (``write_findings``): (open findings, failures per rule)."""
    results = run_checks(warehouse, docs)
    by_rule: dict[str, int] = {}
    for finding in (f for r in results for f in r.findings):
        by_rule[finding["rule_id"]] = by_rule.get(finding["rule_id"], 0) + 1
    return write_findings(warehouse, results), dict(sorted(by_rule.items()))


def _parts(rows: int) -> int:
    """In how many parts a suite's rows are checked: GE's pandas route holds several copies of a
    frame, so a table larger than ``JIXIAO_DQ_CHUNK_ROWS`` (default 200 000) rows is checked in
    groups of whole reports (``Suite.chunk_by``), one after the other."""
    return max(1, -(-rows // int(os.environ.get("JIXIAO_DQ_CHUNK_ROWS", 200_000))))


def on_postgres(warehouse: Path | str) -> bool:
    return str(warehouse).startswith(POSTGRES_SCHEMES)


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
    if _exists(con, "staging.int_department_reports"):
        context.update({row[0]: row[1:] for row in con.execute(
            "SELECT report_id, source_file, page_first, page_last, fiscal_year, NULL, department "
            "FROM staging.int_department_reports").fetchall()})
    return context


def _exists(con, relation: str) -> bool:
    """Whether ``relation`` (schema.table) exists; on PostgreSQL the name is rewritten like the
    SQL around it (``building``)."""
    return bool(con.execute("SELECT count(*) FROM information_schema.tables "
                            f"WHERE table_schema || '.' || table_name = '{relation}'").fetchone()[0])


def _finding_rows(con, current: dict[str, dict]) -> list[list]:
    """A row of NEW_FINDINGS per finding: its columns and where it is (CONTEXT_COLUMNS)."""
    context = _report_context(con)
    return [[fid, *(f[c] for c in FINDING_COLUMNS), *context.get(f["report_id"], [None] * len(CONTEXT_COLUMNS))]
            for fid, f in current.items()]


def write_findings(warehouse: Path | str, results: list[SuiteResult]) -> int:
    """Merge this run's findings into ``marts.dq_findings`` in one transaction; returns open findings.
    On PostgreSQL (``warehouse`` a URL) into ``marts_build.dq_findings``, the build's copy."""
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    current = {finding_id(f): f for r in results for f in r.findings}
    if on_postgres(warehouse):
        _write_postgres(str(warehouse), current, now)
        return len(current)
    with duckdb.connect(str(warehouse)) as con:
        columns = {c for (c,) in con.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = 'marts' AND table_name = 'dq_findings'").fetchall()}
        if columns and "source_file" not in columns:  # written by an earlier version
            con.execute("DROP TABLE marts.dq_findings")
        con.execute(FINDINGS_DDL)
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(RESOLVE)
            rows = _finding_rows(con, current)
            con.execute(f"CREATE OR REPLACE TEMP TABLE new_findings AS {NEW_FINDINGS}")
            if rows:
                con.executemany(f"INSERT INTO new_findings VALUES ({', '.join('?' * len(rows[0]))})", rows)
                con.execute(MERGE_FINDINGS, {"now": now})
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    return len(current)


def _write_postgres(url: str, current: dict[str, dict], now: datetime) -> None:
    """``marts_build.dq_findings``: the published findings (none before the first publication) with
    this run's merged in as on DuckDB, in one transaction. Derived from the published table every
    time, so that a build checked twice before it is published merges once."""
    import psycopg2
    from psycopg2.extras import execute_values

    with contextlib.closing(psycopg2.connect(url)) as connection, connection:
        con = _Building(connection)
        con.execute(FINDINGS_DDL)
        # emptied, not dropped: dbt's view marts_build.mart_dq_office_year may stand on it already
        con.execute("DELETE FROM marts.dq_findings")
        published = connection.cursor()  # the published schema, named as such (no rewriting)
        published.execute("SELECT to_regclass('marts.dq_findings') IS NOT NULL")
        if published.fetchone()[0]:
            columns = ", ".join(["finding_id", *FINDING_COLUMNS, *CONTEXT_COLUMNS, "first_seen", "last_seen", "status"])
            published.execute(f"INSERT INTO marts_build.dq_findings ({columns}) SELECT {columns} FROM marts.dq_findings")
        con.execute(RESOLVE)
        rows = _finding_rows(con, current)
        con.execute(f"CREATE TEMP TABLE new_findings ON COMMIT DROP AS {NEW_FINDINGS}")
        if rows:
            execute_values(connection.cursor(), "INSERT INTO new_findings VALUES %s", rows)
            con.execute(MERGE_FINDINGS.replace("$now", "%(now)s"), {"now": now})


def building(sql: str) -> str:
    """``sql`` (written for DuckDB's and the published schemas) on PostgreSQL's schemas being built:
    marts.x → marts_build.x, staging.x → staging_build.x."""
    return re.sub(r"\b(marts|staging)(?=[.;])", r"\1_build", sql)


class _Building:
    """A psycopg2 connection answering the SQL of this module like a DuckDB one
    (``execute(sql).fetchall()``), on the schemas being built (``building``)."""

    def __init__(self, connection):
        self.connection = connection

    def execute(self, sql: str, params=None):
        cursor = self.connection.cursor()
        cursor.execute(building(sql), params)
        return cursor


# PostgreSQL type ids (pg_type.oid) of the columns read into pandas on the pandas route
BOOL, INT2, INT4, INT8, FLOAT8, NUMERIC, DATE, TIMESTAMP = 16, 21, 23, 20, 701, 1700, 1082, 1114
PANDAS_TYPES = {BOOL: "boolean", INT2: "Int16", INT4: "Int32", INT8: "Int64", FLOAT8: "float64"}


def _run_postgres(url: str, suite: Suite, context) -> SuiteResult:
    """One suite on the PostgreSQL build. GE checks in the database (its SQL datasource) the suites
    whose contracts are on the columns of their query as it stands. The others' contracts are on
    columns ``prepare`` computes in pandas (differences, sums per report, regular expressions, dates
    parsed: expectations/suites.py), which GE's SQL route cannot see: their relation is read into
    pandas, in the form DuckDB gives it, and checked as on DuckDB, so that the suites are not written
    twice."""
    import psycopg2

    with contextlib.closing(psycopg2.connect(url)) as connection:
        con = _Building(connection)
        select, columns = _pg_select(con, suite)
        if _as_it_stands(suite, [name for name, _ in columns]):
            rows = con.execute(f"SELECT count(*) FROM ({select}) AS checked").fetchone()[0]
            return _validate_sql(suite, url, select, rows, context)
        places = _places(con)
        parts = _parts(con.execute(f"SELECT count(*) FROM ({select}) AS checked").fetchone()[0])
        selects = [select] if parts == 1 else [
            f"SELECT * FROM ({select}) AS checked WHERE mod(abs(hashtext(CAST({suite.chunk_by} AS text))), {parts}) = {i}"
            for i in range(parts)]
        return _validate(suite, (_placed(suite.prepare(_pg_frame(con, part)), places) for part in selects), context)


def _pg_select(con: _Building, suite: Suite) -> tuple[str, list[tuple[str, int]]]:
    """(SELECT, its columns (name, type id)) of what ``suite`` reads on the build: as ``_frame``,
    the columns it needs, NUMERICs as DOUBLE PRECISION."""
    query = building(suite.query or f"SELECT * FROM marts.{suite.table}")
    wanted = _wanted(suite)
    columns = [(c.name, c.type_code) for c in con.execute(f"SELECT * FROM ({query}) AS checked LIMIT 0").description
               if wanted is None or c.name in wanted]
    return "SELECT " + ", ".join(
        f'CAST("{name}" AS DOUBLE PRECISION) AS "{name}"' if kind == NUMERIC else f'"{name}"'
        for name, kind in columns) + f" FROM ({query}) AS checked", columns


def _as_it_stands(suite: Suite, columns: list[str]) -> bool:
    """Whether ``suite``'s ``prepare`` hands back the frame it is given, untouched (the suites whose
    query computes all they check): GE can then check the query in the database."""
    probe = pd.DataFrame(columns=columns)
    try:
        return suite.prepare(probe) is probe
    except Exception:  # a prepare that needs rows is not the identity
        return False


def _pg_frame(con: _Building, select: str) -> pd.DataFrame:
    """The rows of ``select`` in the dtypes DuckDB's ``.df()`` gives the same data (bool, or boolean
    when a value is missing; int32 or Int32; datetime64; str, or object when all are missing), so that
    ``prepare`` computes and GE reports the same as on DuckDB."""
    cursor = con.execute(select)
    frame = pd.DataFrame.from_records(cursor.fetchall(), columns=[c.name for c in cursor.description])
    for column in cursor.description:
        values = frame[column.name]
        if column.type_code in (DATE, TIMESTAMP):
            frame[column.name] = pd.to_datetime(values).astype("datetime64[us]")
        elif column.type_code in PANDAS_TYPES:
            values = values.astype(PANDAS_TYPES[column.type_code])
            # DuckDB's NumPy types when nothing is missing
            frame[column.name] = values if values.isna().any() or column.type_code == FLOAT8 else values.astype(
                values.dtype.numpy_dtype)
        elif values.notna().any():
            frame[column.name] = values.astype("str")
    return frame


# Where a failing row is, as columns of the Data Docs' table of unexpected rows beside the key: the
# project (a department report: the department), the document's file name and its pages.
PLACES = ["project", "document", "pages"]


def _places(con) -> dict[str, dict]:
    """PLACES per report_id (none when the warehouse has no staging.int_reports)."""
    if not _exists(con, "staging.int_reports"):
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
    wanted = _wanted(suite)
    return relation.project(", ".join(
        f'CAST("{name}" AS DOUBLE) AS "{name}"' if str(kind).startswith("DECIMAL") else f'"{name}"'
        for name, kind in zip(relation.columns, relation.types) if wanted is None or name in wanted)).df()


def _wanted(suite: Suite) -> set[str] | None:
    return {*suite.key, *suite.reads, *(c.column for c in suite.contracts)} if suite.reads else None


def _validate(suite: Suite, frames, context) -> SuiteResult:
    """The suite on each of ``frames`` (its rows, whole or in parts) in turn."""
    batch = (context.data_sources.add_pandas(suite.label)
             .add_dataframe_asset(suite.label)
             .add_batch_definition_whole_dataframe("all"))
    definition, result = _definition(suite, batch, context), SuiteResult(suite.table, True, 0)
    for frame in frames:
        places = [c for c in PLACES if c in frame.columns]
        validation = definition.run(batch_parameters={"dataframe": frame}, result_format={
            "result_format": "COMPLETE", "unexpected_index_column_names": [*suite.key, *places]})
        _outcome(suite, validation, len(frame), result)
    return result


def _validate_sql(suite: Suite, url: str, select: str, rows: int, context) -> SuiteResult:
    """GE's SQL route: ``select`` checked in PostgreSQL (SQLAlchemy, psycopg2 driver)."""
    from great_expectations.datasource.fluent.interfaces import GxDatasourceWarning

    # add_sql, not add_postgres: the latter's URL check refuses a URL without a host (a Unix socket:
    # postgresql://user@/db?host=/run/postgresql); so not its warning that add_postgres would suit
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GxDatasourceWarning)
        source = context.data_sources.add_sql(
            suite.label, connection_string=re.sub(r"^postgres(ql)?://", "postgresql+psycopg2://", url))
    batch = source.add_query_asset(suite.label, query=select).add_batch_definition_whole_table("all")
    # On SQL, GE lists at most partial_unexpected_count failing rows (a LIMIT): every row, as on pandas
    validation = _definition(suite, batch, context).run(result_format={
        "result_format": "COMPLETE", "unexpected_index_column_names": suite.key,
        "partial_unexpected_count": max(rows, 1)})
    return _outcome(suite, validation, rows, SuiteResult(suite.table, True, 0))


def _definition(suite: Suite, batch, context):
    """The suite's contracts as a GE validation definition on ``batch`` (a definition, not
    batch.validate, so that the result is stored for Data Docs)."""
    import great_expectations as gx

    gx_suite = context.suites.add(gx.ExpectationSuite(name=suite.label))
    for i, contract in enumerate(suite.contracts):
        expectation = getattr(gx.expectations, contract.expectation)(
            column=contract.column, **contract.kwargs, **_documented(contract, i))
        gx_suite.add_expectation(expectation)
    return context.validation_definitions.add(
        gx.ValidationDefinition(name=suite.label, data=batch, suite=gx_suite))


def _outcome(suite: Suite, validation, rows: int, result: SuiteResult) -> SuiteResult:
    """``result`` with one validation's rows and findings added."""
    result.success, result.evaluated_rows = result.success and bool(validation.success), result.evaluated_rows + rows
    for outcome in validation.results:
        contract = suite.contracts[outcome.expectation_config.meta["contract"]]
        if outcome.success:
            continue
        if contract.rule_id not in result.failed_rules:
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
