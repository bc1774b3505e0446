"""Raw load: report records → DuckDB tables in schema ``raw``, one transaction per document.

Every row carries the document's sha256 (and its report's pages), so any figure in a mart can be
traced back to a file and a page. Loading a document again replaces its rows: running twice gives
the same raw tables.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from datetime import datetime, timezone
from decimal import Decimal

import duckdb

from .document import Document  # noqa: F401  (the loader's callers import it from here)
from .values import NORMALISER_VERSION, actual_status, parse_target, parse_value, sentence_measures

NUM = "DECIMAL(20, 6)"
NUM_LIMIT = Decimal(10) ** 14  # NUM keeps 14 digits before the point

DDL = f"""
CREATE SCHEMA IF NOT EXISTS raw;
CREATE TABLE IF NOT EXISTS raw.documents (
    source_sha256 VARCHAR PRIMARY KEY, source_file VARCHAR NOT NULL, status VARCHAR NOT NULL,
    error VARCHAR, report_count INTEGER NOT NULL, extractor_version VARCHAR NOT NULL,
    loaded_at TIMESTAMP NOT NULL, in_inbox BOOLEAN NOT NULL DEFAULT true
);
ALTER TABLE raw.documents ADD COLUMN IF NOT EXISTS in_inbox BOOLEAN DEFAULT true;
ALTER TABLE raw.documents ADD COLUMN IF NOT EXISTS first_seen TIMESTAMP;
ALTER TABLE raw.documents ADD COLUMN IF NOT EXISTS last_seen TIMESTAMP;
ALTER TABLE raw.documents ADD COLUMN IF NOT EXISTS attempts INTEGER DEFAULT 1;
ALTER TABLE raw.documents ADD COLUMN IF NOT EXISTS quarantine_reason VARCHAR;
ALTER TABLE raw.documents ADD COLUMN IF NOT EXISTS previous_version VARCHAR;
ALTER TABLE raw.documents ADD COLUMN IF NOT EXISTS previously_complete BOOLEAN;
CREATE OR REPLACE VIEW raw.rejected_documents AS
SELECT source_file, source_sha256, error AS reason, first_seen, last_seen, attempts, in_inbox, extractor_version
FROM raw.documents WHERE status = 'error';
CREATE TABLE IF NOT EXISTS raw.ingestion_runs (
    run_id VARCHAR PRIMARY KEY, started_at TIMESTAMP NOT NULL, finished_at TIMESTAMP,
    documents_seen INTEGER, documents_new INTEGER, documents_changed INTEGER,
    documents_reread INTEGER, documents_unchanged INTEGER, documents_rejected INTEGER,
    documents_removed INTEGER, reports_loaded INTEGER, findings_open INTEGER, findings_new INTEGER,
    raw_state VARCHAR NOT NULL, build_version VARCHAR NOT NULL, outcome VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS raw.reports (
    report_id VARCHAR PRIMARY KEY, source_sha256 VARCHAR NOT NULL, source_file VARCHAR NOT NULL,
    report_index INTEGER NOT NULL, page_first INTEGER NOT NULL, page_last INTEGER NOT NULL,
    report_type VARCHAR NOT NULL, fiscal_year INTEGER, project_name VARCHAR NOT NULL,
    -- self-evaluation header
    department VARCHAR, implementing_unit VARCHAR, project_lead VARCHAR, phone VARCHAR,
    goal_planned VARCHAR, goal_actual VARCHAR, total_weight {NUM}, total_score {NUM},
    -- performance-target header
    unit_code VARCHAR, unit_name VARCHAR, project_code VARCHAR, budget_total {NUM},
    budget_fiscal {NUM}, budget_other {NUM}, purpose VARCHAR,
    record_json VARCHAR NOT NULL, extractor_version VARCHAR NOT NULL, loaded_at TIMESTAMP NOT NULL,
    extraction_warnings VARCHAR
);
ALTER TABLE raw.reports ADD COLUMN IF NOT EXISTS extraction_warnings VARCHAR;
-- contract v2 (extract/report-record.schema.json): NULL for v1 records
ALTER TABLE raw.reports ADD COLUMN IF NOT EXISTS contract_version VARCHAR;
ALTER TABLE raw.reports ADD COLUMN IF NOT EXISTS template VARCHAR;
ALTER TABLE raw.reports ADD COLUMN IF NOT EXISTS form_code VARCHAR;
ALTER TABLE raw.reports ADD COLUMN IF NOT EXISTS finance_lead VARCHAR;
ALTER TABLE raw.reports ADD COLUMN IF NOT EXISTS implementation_summary VARCHAR;
ALTER TABLE raw.reports ADD COLUMN IF NOT EXISTS conclusion VARCHAR;
ALTER TABLE raw.reports ADD COLUMN IF NOT EXISTS problems VARCHAR;
ALTER TABLE raw.reports ADD COLUMN IF NOT EXISTS improvements VARCHAR;
ALTER TABLE raw.reports ADD COLUMN IF NOT EXISTS implementation_period VARCHAR;
ALTER TABLE raw.reports ADD COLUMN IF NOT EXISTS goals_whole_period VARCHAR;
ALTER TABLE raw.reports ADD COLUMN IF NOT EXISTS review_opinion VARCHAR;
ALTER TABLE raw.reports ADD COLUMN IF NOT EXISTS unplaced_cells VARCHAR;
ALTER TABLE raw.reports ADD COLUMN IF NOT EXISTS project_attribute VARCHAR;
ALTER TABLE raw.reports ADD COLUMN IF NOT EXISTS remarks VARCHAR;
ALTER TABLE raw.reports ADD COLUMN IF NOT EXISTS budget_superior {NUM};
ALTER TABLE raw.reports ADD COLUMN IF NOT EXISTS budget_period_total {NUM};
ALTER TABLE raw.reports ADD COLUMN IF NOT EXISTS budget_period_fiscal {NUM};
ALTER TABLE raw.reports ADD COLUMN IF NOT EXISTS budget_period_other {NUM};
-- a page of the report was a scan read by OCR (source.ocr)
ALTER TABLE raw.reports ADD COLUMN IF NOT EXISTS read_by_ocr BOOLEAN;
CREATE TABLE IF NOT EXISTS raw.funding (
    report_id VARCHAR NOT NULL, row_index INTEGER NOT NULL, source VARCHAR NOT NULL,
    initial_budget {NUM}, annual_budget {NUM}, executed {NUM}, weight {NUM},
    execution_rate {NUM}, score {NUM},
    PRIMARY KEY (report_id, row_index)
);
ALTER TABLE raw.funding ADD COLUMN IF NOT EXISTS label VARCHAR;
ALTER TABLE raw.funding ADD COLUMN IF NOT EXISTS note VARCHAR;
CREATE TABLE IF NOT EXISTS raw.indicators (
    report_id VARCHAR NOT NULL, indicator_index INTEGER NOT NULL,
    level1 VARCHAR, level2 VARCHAR, level3 VARCHAR, target VARCHAR, actual VARCHAR,
    weight {NUM}, score {NUM}, score_text VARCHAR, deviation VARCHAR,
    description VARCHAR, basis VARCHAR,
    PRIMARY KEY (report_id, indicator_index)
);
ALTER TABLE raw.indicators ADD COLUMN IF NOT EXISTS comparator VARCHAR;
ALTER TABLE raw.indicators ADD COLUMN IF NOT EXISTS unit VARCHAR;
ALTER TABLE raw.indicators ADD COLUMN IF NOT EXISTS remarks VARCHAR;
ALTER TABLE raw.indicators ADD COLUMN IF NOT EXISTS long_term_level2 VARCHAR;
ALTER TABLE raw.indicators ADD COLUMN IF NOT EXISTS long_term_level3 VARCHAR;
ALTER TABLE raw.indicators ADD COLUMN IF NOT EXISTS long_term_target VARCHAR;
CREATE TABLE IF NOT EXISTS raw.indicator_values (
    report_id VARCHAR NOT NULL, indicator_index INTEGER NOT NULL,
    target_comparator VARCHAR NOT NULL, target_value {NUM}, target_value_hi {NUM}, target_unit VARCHAR,
    target_unit_family VARCHAR, target_period VARCHAR, target_value_yuan {NUM},
    target_annual_yuan {NUM}, target_duration_days {NUM}, target_deadline DATE, target_event VARCHAR,
    target_grade VARCHAR, target_strict BOOLEAN NOT NULL, target_confidence VARCHAR NOT NULL,
    actual_comparator VARCHAR, actual_value {NUM}, actual_unit VARCHAR, actual_unit_family VARCHAR,
    actual_value_yuan {NUM}, actual_duration_days {NUM}, actual_status VARCHAR,
    normaliser_version VARCHAR NOT NULL,
    PRIMARY KEY (report_id, indicator_index)
);
CREATE TABLE IF NOT EXISTS raw.spend_plan (
    report_id VARCHAR NOT NULL, month INTEGER NOT NULL, value {NUM},
    PRIMARY KEY (report_id, month)
);
CREATE TABLE IF NOT EXISTS raw.goals (
    report_id VARCHAR NOT NULL, goal_index INTEGER NOT NULL, goal VARCHAR NOT NULL,
    PRIMARY KEY (report_id, goal_index)
);
-- Department-level reports (部门整体绩效目标, 部门整体支出绩效自评表): tables of their own, so that no
-- project fact or mart can count them (docs/contract.md). report_id as in raw.reports.
CREATE TABLE IF NOT EXISTS raw.department_reports (
    report_id VARCHAR PRIMARY KEY, source_sha256 VARCHAR NOT NULL, source_file VARCHAR NOT NULL,
    report_index INTEGER NOT NULL, page_first INTEGER NOT NULL, page_last INTEGER NOT NULL,
    report_type VARCHAR NOT NULL, fiscal_year INTEGER, unit_name VARCHAR, template VARCHAR,
    contract_version VARCHAR, overall_goal VARCHAR, goal_actual VARCHAR, total_weight {NUM}, total_score {NUM},
    record_json VARCHAR NOT NULL, extractor_version VARCHAR NOT NULL, loaded_at TIMESTAMP NOT NULL,
    extraction_warnings VARCHAR, unplaced_cells VARCHAR
);
CREATE TABLE IF NOT EXISTS raw.department_subgoals (
    report_id VARCHAR NOT NULL, subgoal_index INTEGER NOT NULL, name VARCHAR, goal VARCHAR, indicator VARCHAR,
    indicator_comparator VARCHAR, indicator_value {NUM}, indicator_unit VARCHAR, indicator_unit_family VARCHAR,
    indicator_phrase VARCHAR, indicator_values INTEGER NOT NULL, normaliser_version VARCHAR NOT NULL,
    PRIMARY KEY (report_id, subgoal_index)
);
CREATE TABLE IF NOT EXISTS raw.department_funding (
    report_id VARCHAR NOT NULL, row_index INTEGER NOT NULL, breakdown VARCHAR NOT NULL, source VARCHAR,
    label VARCHAR, initial_budget {NUM}, annual_budget {NUM}, executed {NUM}, weight {NUM},
    execution_rate {NUM}, score {NUM}, amount {NUM}, note VARCHAR,
    PRIMARY KEY (report_id, row_index)
);
CREATE TABLE IF NOT EXISTS raw.department_indicators (
    report_id VARCHAR NOT NULL, indicator_index INTEGER NOT NULL,
    level1 VARCHAR, level2 VARCHAR, level3 VARCHAR, target VARCHAR, actual VARCHAR,
    weight {NUM}, score {NUM}, score_text VARCHAR, deviation VARCHAR,
    PRIMARY KEY (report_id, indicator_index)
);
"""

REPORT_COLUMNS = [
    "report_id", "source_sha256", "source_file", "report_index", "page_first", "page_last",
    "report_type", "fiscal_year", "project_name", "department", "implementing_unit", "project_lead",
    "phone", "goal_planned", "goal_actual", "total_weight", "total_score", "unit_code", "unit_name",
    "project_code", "budget_total", "budget_fiscal", "budget_other", "purpose", "record_json",
    "extractor_version", "loaded_at", "extraction_warnings", *(V2_REPORT_TEXT := [
        "contract_version", "template", "form_code", "finance_lead", "implementation_summary", "conclusion",
        "problems", "improvements", "implementation_period", "goals_whole_period", "review_opinion",
        "project_attribute", "remarks"]),
    "unplaced_cells", *(V2_REPORT_NUMBERS := [
        "budget_superior", "budget_period_total", "budget_period_fiscal", "budget_period_other"]),
    "read_by_ocr",
]
REPORT_NUMBERS = ["total_weight", "total_score", "budget_total", "budget_fiscal", "budget_other", *V2_REPORT_NUMBERS]
FUNDING_COLUMNS = ["initial_budget", "annual_budget", "executed", "weight", "execution_rate", "score"]
FUNDING_TEXT = ["label", "note"]
INDICATOR_COLUMNS = ["level1", "level2", "level3", "target", "actual", "weight", "score",
                     "score_text", "deviation", "description", "basis", "comparator", "unit", "remarks",
                     "long_term_level2", "long_term_level3", "long_term_target"]
VALUE_COLUMNS = [
    "target_comparator", "target_value", "target_value_hi", "target_unit", "target_unit_family",
    "target_period", "target_value_yuan", "target_annual_yuan", "target_duration_days", "target_deadline",
    "target_event", "target_grade", "target_strict", "target_confidence", "actual_comparator",
    "actual_value", "actual_unit", "actual_unit_family", "actual_value_yuan", "actual_duration_days",
    "actual_status", "normaliser_version",
]
CHILD_TABLES = ["funding", "indicators", "indicator_values", "spend_plan", "goals"]
DEPARTMENT_TYPES = ("department_goals", "department_self_evaluation")
DEPARTMENT_CHILD_TABLES = ["department_subgoals", "department_funding", "department_indicators"]
DEPARTMENT_REPORT_COLUMNS = [
    "report_id", "source_sha256", "source_file", "report_index", "page_first", "page_last", "report_type",
    "fiscal_year", "unit_name", "template", "contract_version", "overall_goal", "goal_actual", "total_weight",
    "total_score", "record_json", "extractor_version", "loaded_at", "extraction_warnings", "unplaced_cells"]
SUBGOAL_COLUMNS = ["name", "goal", "indicator", "indicator_comparator", "indicator_value", "indicator_unit",
                   "indicator_unit_family", "indicator_phrase", "indicator_values", "normaliser_version"]
DEPARTMENT_FUNDING_COLUMNS = ["breakdown", "source", "label", "note", *FUNDING_COLUMNS, "amount"]
DEPARTMENT_INDICATOR_COLUMNS = ["level1", "level2", "level3", "target", "actual", "weight", "score", "score_text",
                                "deviation"]
# What a loaded row depends on besides the reader and the normaliser: a new version here makes every
# document read again (orchestration/assets/ingest.py LOAD_VERSION). 2: raw.documents.quarantine_reason;
# 3: the department-level tables (raw.department_*).
LOADER_VERSION = "3"

# Reader warnings that leave a report complete (an EX-01 finding all the same): a number was read
# that no column can hold (stored as NULL: the document's number); a header label printed without a
# value cell (联系电话 at a row's end: a header field, and the ones the facts need — name, year, 预算数
# — are checked on the record itself). Every other warning says that a part of the tables was not
# read: the 总分 row, the funding rows or their total, the indicator table, the year, the name, a cell
# that could not be placed or a column header not recognised (its values may be a score or an
# amount: which field it lost cannot be told, so the document waits until the reader places it).
COMPLETE_DESPITE = re.compile(r"number out of range, stored as NULL: |label .* has no value cell$|"
                              r"NUL character read as U\+FFFD: ")


def without_nul(value, path: str = "", found: list[str] | None = None):
    """``value`` (a record, or any part of one) with each NUL character as U+FFFD, and the paths of the
    texts that held one. A PDF can map a glyph to U+0000; DuckDB stores it, PostgreSQL cannot, and a
    reader of the marts cannot see it: the text keeps a visible mark and the report a warning."""
    found = [] if found is None else found
    if isinstance(value, str):
        if "\x00" in value:
            found.append(path)
            return value.replace("\x00", "\ufffd"), found
        return value, found
    if isinstance(value, dict):
        return {k: without_nul(v, f"{path}.{k}".lstrip("."), found)[0] for k, v in value.items()}, found
    if isinstance(value, list):
        return [without_nul(v, f"{path}[{i}]", found)[0] for i, v in enumerate(value, 1)], found
    return value, found


def connect(path) -> duckdb.DuckDBPyConnection:
    con = limited(duckdb.connect(str(path)))
    con.execute(DDL)
    return con


def read_only(path) -> duckdb.DuckDBPyConnection:
    """A reader's connection, its memory limited as the writer's."""
    return limited(duckdb.connect(str(path), read_only=True))


def limited(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    # DuckDB's default cache is 80 % of RAM, kept for as long as the connection: in the run process
    # it grew with the warehouse. Past the limit, blocks are evicted (or spilled beside the file).
    # (SET, not a connect option: a second connection to the file with other options is refused.)
    con.execute(f"SET memory_limit = '{int(os.environ.get('JIXIAO_DUCKDB_MEMORY_MB', 256))}MB'")
    return con


def report_id(sha256: str, index: int) -> str:
    """Stable id of the ``index``-th report of a document: the same bytes always give the same ids."""
    return f"{sha256[:16]}-{index:03d}"


def _num(value):
    # Decimal through str: JSON floats like 0.1 must land as 0.1, not 0.1000000000000000055.
    return None if value is None else Decimal(str(value))


def _fit(row: list, where: str, columns: list[str], odd: list[str]) -> list:
    """``row`` with every number a NUM column cannot hold (|x| ≥ 10^14, inf, nan) set to NULL and
    named in ``odd``. ``columns`` names the row's last items (the ids before them are left alone)."""
    for i, column in enumerate(columns, start=len(row) - len(columns)):
        value = row[i]
        if isinstance(value, Decimal) and not (value.is_finite() and abs(value) < NUM_LIMIT):
            odd.append(f"{where}.{column} = {value}".lstrip("."))
            row[i] = None
    return row


def incomplete_reasons(rec: dict) -> list[str]:
    """Why the report ``rec`` counts as read incompletely; empty when it was read completely.

    A report is incomplete when the reader warned about a part it did not read (every warning
    COMPLETE_DESPITE does not match), or when a part the facts are made of is missing from the record itself (also
    for records of readers that did not warn yet): the indicator rows; for a self-evaluation the
    年度资金总额 row (once) and, where the table prints 分值, the 总分 row (weight or score: a 总分 row
    printed without 得分 is an unscored report, not an incomplete one); for a target table the 预算数;
    the year; the name.
    A missing 主管部门 or 实施单位 is not: that is the document's own gap (finding SE-25 / TT-12).
    """
    reasons = [w for w in rec.get("extraction_warnings", []) if not COMPLETE_DESPITE.match(w)]
    if rec["report_type"] in DEPARTMENT_TYPES:
        return list(dict.fromkeys(reasons + department_incomplete_reasons(rec)))
    if not rec.get("indicators"):
        reasons.append("indicator table (绩效指标) not found")
    if rec["report_type"] == "self_evaluation":
        sources = [row.get("source") for row in rec.get("funding", [])]
        if not sources:
            reasons.append("funding rows (项目资金) not found")
        elif "total" not in sources:
            reasons.append("funding block without its total row (年度资金总额 / 总额)")  # the reader's words
        twice = sorted({s for s in sources if sources.count(s) > 1})
        if twice:  # one row per source is what the facts are keyed on
            reasons.append(f"funding row read more than once: {', '.join(twice)}")
        # a table that prints 分值 ends in a 总分 row (a template without weights has none)
        weighted = any(row.get("weight") is not None for row in [*rec.get("funding", []), *rec.get("indicators", [])])
        if weighted and rec.get("total_weight") is None and rec.get("total_score") is None:
            reasons.append("总分 row not found: the table may be cut off")
    elif rec.get("budget_total") is None:
        reasons.append("预算数 (budget) not found")
    if rec.get("fiscal_year") is None:
        reasons.append("fiscal year not found")
    if not (rec.get("project_name") or "").strip():
        reasons.append("project name (项目名称) is empty")
    return list(dict.fromkeys(reasons))  # the reader's warning and our rule may say the same


def department_incomplete_reasons(rec: dict) -> list[str]:
    """What a department-level record lacks that its facts are made of: the sub-goals (部门整体绩效
    目标), or the indicator rows and the 年度资金总额 row (部门整体支出绩效自评表); the year; the unit."""
    reasons = []
    if rec["report_type"] == "department_goals" and not rec.get("subgoals"):
        reasons.append("sub-goals (分项绩效目标) not found")
    if rec["report_type"] == "department_self_evaluation":
        if not rec.get("indicators"):
            reasons.append("indicator table (绩效指标) not found")
        if "total" not in [row.get("source") for row in rec.get("funding", [])]:
            reasons.append("funding block without its total row (年度资金总额)")
    if rec.get("fiscal_year") is None:
        reasons.append("fiscal year not found")
    if not (rec.get("unit_name") or "").strip():
        reasons.append("unit name not found")
    return reasons


def department_rows(rid: str, rec: dict, odd: list[str]) -> dict[str, list[list]]:
    """The child rows of a department-level record, by raw table; a 绩效指标 sentence's value read
    by extract/values.py (its last value; how many it states)."""
    rows = {table: [] for table in DEPARTMENT_CHILD_TABLES}
    for i, sub in enumerate(rec.get("subgoals", []), start=1):
        measures = sentence_measures(sub.get("indicator"))
        last = measures[-1] if measures else None
        rows["department_subgoals"].append(_fit([rid, i, sub.get("name"), sub.get("goal"), sub.get("indicator"), *(
            [last.comparator, last.value_num, last.unit, last.unit_family, last.raw] if last else [None] * 5),
            len(measures), NORMALISER_VERSION], f"subgoals[{i}]", SUBGOAL_COLUMNS, odd))
    funding = [("total", row) for row in rec.get("funding", [])] + [
        (name, row) for name in ("by_income", "by_expense") for row in rec.get(f"funding_{name}", [])]
    for i, (breakdown, row) in enumerate(funding, start=1):
        rows["department_funding"].append(_fit([rid, i, breakdown, row.get("source"), row.get("label"), row.get("note"),
                                                *(_num(row.get(c)) for c in [*FUNDING_COLUMNS, "amount"])],
                                               f"funding[{i}]", DEPARTMENT_FUNDING_COLUMNS, odd))
    for i, ind in enumerate(rec.get("indicators", []), start=1):
        rows["department_indicators"].append(_fit([rid, i, *(
            _num(ind.get(c)) if c in ("weight", "score") else ind.get(c) for c in DEPARTMENT_INDICATOR_COLUMNS)],
            f"indicators[{i}]", DEPARTMENT_INDICATOR_COLUMNS, odd))
    return rows


def quarantine_reason(records: list[dict]) -> str | None:
    """Why a document is quarantined (one line per incomplete report), None when every report of it
    was read completely."""
    lines = []
    for index, rec in enumerate(records, start=1):
        reasons = incomplete_reasons(rec)
        if reasons:
            where = rec.get("source", {}).get("pages")
            at = f" (pages {where[0]}-{where[1]})" if where else ""
            lines.append(f"report {index}{at}: {'; '.join(reasons)}")
    return "\n".join(lines) or None


def load_document(con: duckdb.DuckDBPyConnection, doc: Document, extractor_version: str,
                  loaded_at: datetime | None = None) -> int:
    """Replace everything known about ``doc`` in the raw tables, atomically. Returns reports loaded."""
    loaded_at = loaded_at or datetime.now(timezone.utc).replace(tzinfo=None)
    report_rows, funding, indicators, values, spend_plan, goals = [], [], [], [], [], []
    department_reports, department = [], {table: [] for table in DEPARTMENT_CHILD_TABLES}
    stored = []  # the records as stored in record_json (with the loader's warnings)
    for index, rec in enumerate(doc.records, start=1):
        rid = report_id(doc.sha256, index)
        rec, nul = without_nul(rec)
        if nul:
            rec["extraction_warnings"] = [*rec.get("extraction_warnings", []),
                                          *(f"NUL character read as U+FFFD: {path}" for path in nul)]
        odd: list[str] = []  # numbers a NUM column cannot hold: NULL there, named in the record
        if rec["report_type"] in DEPARTMENT_TYPES:
            for table, rows in department_rows(rid, rec, odd).items():
                department[table] += rows
            totals = _fit([_num(rec.get("total_weight")), _num(rec.get("total_score"))], "",
                          ["total_weight", "total_score"], odd)
            if odd:
                rec = {**rec, "extraction_warnings": [*rec.get("extraction_warnings", []), *(
                    f"number out of range, stored as NULL: {name}" for name in odd)]}
            stored.append(rec)
            pages = rec["source"]["pages"]
            department_reports.append([
                rid, doc.sha256, doc.file, index, pages[0], pages[1], rec["report_type"], rec.get("fiscal_year"),
                rec.get("unit_name"), rec.get("template"), rec.get("contract_version"),
                rec.get("overall_goal", rec.get("goal_planned")), rec.get("goal_actual"), *totals,
                json.dumps(rec, ensure_ascii=False, sort_keys=True), extractor_version, loaded_at,
                "\n".join(rec.get("extraction_warnings", [])) or None,
                json.dumps(rec["unplaced_cells"], ensure_ascii=False) if rec.get("unplaced_cells") else None])
            continue
        for i, row in enumerate(rec.get("funding", []), start=1):
            funding.append(_fit([rid, i, row["source"], *(row.get(c) for c in FUNDING_TEXT),
                                 *(_num(row.get(c)) for c in FUNDING_COLUMNS)], f"funding[{i}]", FUNDING_COLUMNS, odd))
        for i, ind in enumerate(rec.get("indicators", []), start=1):
            indicators.append(_fit([rid, i, *(
                _num(ind.get(c)) if c in ("weight", "score") else ind.get(c) for c in INDICATOR_COLUMNS)],
                f"indicators[{i}]", INDICATOR_COLUMNS, odd))
            values.append(_fit([rid, i, *indicator_values(ind, rec["report_type"] == "self_evaluation")],
                               f"indicators[{i}]", VALUE_COLUMNS, odd))
        for plan in rec.get("spend_plan", []):
            spend_plan.append(_fit([rid, plan["month"], _num(plan["value"])], f"spend_plan[{plan['month']}]",
                                   ["value"], odd))
        for i, goal in enumerate(rec.get("goals", []), start=1):
            goals.append([rid, i, goal])
        pages = rec["source"]["pages"]
        number = dict(zip(REPORT_NUMBERS, _fit([_num(rec.get(c)) for c in REPORT_NUMBERS], "", REPORT_NUMBERS, odd)))
        if odd:
            rec = {**rec, "extraction_warnings": [*rec.get("extraction_warnings", []), *(
                f"number out of range, stored as NULL: {name}" for name in odd)]}
        stored.append(rec)
        report_rows.append([
            rid, doc.sha256, doc.file, index, pages[0], pages[1], rec["report_type"],
            rec.get("fiscal_year"), rec["project_name"], rec.get("department"),
            rec.get("implementing_unit"), rec.get("project_lead"), rec.get("phone"),
            rec.get("goal_planned"), rec.get("goal_actual"), number["total_weight"], number["total_score"],
            rec.get("unit_code"), rec.get("unit_name"), rec.get("project_code"), number["budget_total"],
            number["budget_fiscal"], number["budget_other"], rec.get("purpose"),
            json.dumps(rec, ensure_ascii=False, sort_keys=True), extractor_version, loaded_at,
            "\n".join(rec.get("extraction_warnings", [])) or None,
            *(("\n".join(rec.get(c) or []) or None) if c == "goals_whole_period" else rec.get(c) for c in V2_REPORT_TEXT),
            json.dumps(rec["unplaced_cells"], ensure_ascii=False) if rec.get("unplaced_cells") else None,
            *(number[c] for c in V2_REPORT_NUMBERS),
            bool(rec["source"].get("ocr")),
        ])

    # read, but not completely: kept here with its warnings, left out of the marts (dbt staging)
    quarantined = None if doc.error else quarantine_reason(stored)
    con.execute("BEGIN TRANSACTION")
    try:
        # the same content read again (new extractor, a retry): its history goes on
        first_seen, attempts, previous_version, previous_status = con.execute(
            "SELECT first_seen, attempts, extractor_version, status FROM raw.documents WHERE source_sha256 = ?",
            [doc.sha256]).fetchone() or (loaded_at, 0, None, None)
        # Whether the load this one replaces read the document completely, judged by today's rules
        # on the records it stored: the blocking check raw/reports:extraction_complete compares.
        previously_complete = None if previous_version is None else previous_status == "ok" and quarantine_reason(
            [json.loads(j) for (j,) in con.execute("SELECT record_json FROM raw.reports WHERE source_sha256 = ? "
                                                   "ORDER BY report_index", [doc.sha256]).fetchall()]) is None
        _delete(con, doc.sha256)
        con.execute(
            "INSERT INTO raw.documents (source_sha256, source_file, status, error, report_count, "
            "extractor_version, loaded_at, first_seen, last_seen, attempts, quarantine_reason, previous_version, "
            "previously_complete) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [doc.sha256, doc.file, "error" if doc.error else "ok", without_nul(doc.error)[0], len(report_rows) + len(department_reports),
             extractor_version, loaded_at, first_seen or loaded_at, loaded_at, (attempts or 0) + 1,
             quarantined, previous_version, previously_complete])
        _insert(con, "reports", REPORT_COLUMNS, report_rows)
        _insert(con, "funding", ["report_id", "row_index", "source", *FUNDING_TEXT, *FUNDING_COLUMNS], funding)
        _insert(con, "indicators", ["report_id", "indicator_index", *INDICATOR_COLUMNS], indicators)
        _insert(con, "indicator_values", ["report_id", "indicator_index", *VALUE_COLUMNS], values)
        _insert(con, "spend_plan", ["report_id", "month", "value"], spend_plan)
        _insert(con, "goals", ["report_id", "goal_index", "goal"], goals)
        _insert(con, "department_reports", DEPARTMENT_REPORT_COLUMNS, department_reports)
        _insert(con, "department_subgoals", ["report_id", "subgoal_index", *SUBGOAL_COLUMNS],
                department["department_subgoals"])
        _insert(con, "department_funding", ["report_id", "row_index", *DEPARTMENT_FUNDING_COLUMNS],
                department["department_funding"])
        _insert(con, "department_indicators", ["report_id", "indicator_index", *DEPARTMENT_INDICATOR_COLUMNS],
                department["department_indicators"])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return len(report_rows) + len(department_reports)


def _delete(con, sha256: str) -> None:
    old = [r[0] for r in con.execute(
        "SELECT report_id FROM raw.reports WHERE source_sha256 = ?", [sha256]).fetchall()]
    for table in CHILD_TABLES:
        con.execute(f"DELETE FROM raw.{table} WHERE report_id IN (SELECT unnest(?::VARCHAR[]))", [old])
    con.execute("DELETE FROM raw.reports WHERE source_sha256 = ?", [sha256])
    old = [r[0] for r in con.execute(
        "SELECT report_id FROM raw.department_reports WHERE source_sha256 = ?", [sha256]).fetchall()]
    for table in DEPARTMENT_CHILD_TABLES:
        con.execute(f"DELETE FROM raw.{table} WHERE report_id IN (SELECT unnest(?::VARCHAR[]))", [old])
    con.execute("DELETE FROM raw.department_reports WHERE source_sha256 = ?", [sha256])
    con.execute("DELETE FROM raw.documents WHERE source_sha256 = ?", [sha256])


def loaded_documents(con) -> dict[str, tuple]:
    """sha256 → (version that read it, error or None, attempts), for every document read so far."""
    return {sha: rest for sha, *rest in con.execute(
        "SELECT source_sha256, extractor_version, error, attempts FROM raw.documents").fetchall()}


def raw_state(con) -> str:
    """A fingerprint of what the raw tables hold: which content, read by which version, under which
    name, still in the inbox or not. Equal fingerprints mean the models would build the same marts."""
    rows = con.execute("SELECT source_sha256, source_file, status, extractor_version, in_inbox "
                       "FROM raw.documents ORDER BY ALL").fetchall()
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def sync_inbox(con, inbox: dict[str, str], keep_removed: bool = True) -> dict[str, int]:
    """Bring raw.documents in line with the inbox as it is now (path → sha256), atomically.

    A path whose content changed drops the old content's rows (its new content was just loaded);
    a document no longer in the inbox is kept and marked ``in_inbox = false``, or dropped when
    ``keep_removed`` is false. Returns counts of replaced and removed documents.
    """
    present = set(inbox.values())
    where = {}  # sha256 → a path that holds it now
    for path, sha in sorted(inbox.items()):
        where.setdefault(sha, path)
    con.execute("BEGIN TRANSACTION")
    try:
        for sha, path in con.execute("SELECT source_sha256, source_file FROM raw.documents").fetchall():
            if sha in where and inbox.get(path) != sha:  # moved, or kept only under a copy's name
                for table in ("documents", "reports", "department_reports"):
                    con.execute(f"UPDATE raw.{table} SET source_file = ? WHERE source_sha256 = ?",
                                [where[sha], sha])
        rows = con.execute("SELECT source_sha256, source_file FROM raw.documents").fetchall()
        replaced = [sha for sha, path in rows if sha not in present and inbox.get(path, sha) != sha]
        removed = [sha for sha, path in rows if sha not in present and path not in inbox]
        for sha in replaced + ([] if keep_removed else removed):
            _delete(con, sha)
        con.execute("UPDATE raw.documents SET in_inbox = list_contains($present::VARCHAR[], source_sha256), "
                    "last_seen = CASE WHEN list_contains($present::VARCHAR[], source_sha256) THEN $now ELSE last_seen END",
                    {"present": sorted(present), "now": datetime.now(timezone.utc).replace(tzinfo=None)})
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return {"replaced": len(replaced), "removed": len(removed)}


def indicator_values(indicator: dict, has_actual: bool) -> list:
    """The target (and actual) cell of an indicator normalised (extract/values.py), as VALUE_COLUMNS."""
    # the comparator of a bare target may be printed in the 三级指标 cell (≤1168.685052 万元)
    target = parse_target(printed_with_columns(indicator, "target"), indicator.get("level3"))
    row = [target.comparator, target.value_num, target.value_num_hi, target.unit, target.unit_family,
           target.period, target.value_yuan, target.value_annual_yuan, target.duration_days,
           target.deadline, target.event, target.grade, target.strict, target.confidence]
    if has_actual:
        printed = printed_with_columns(indicator, "actual")
        actual = parse_value(printed)
        row += [actual.comparator, actual.value_num, actual.unit, actual.unit_family, actual.value_yuan,
                actual.duration_days, actual_status(printed, target)]
    else:
        row += [None] * 7
    return row + [NORMALISER_VERSION]


_COMPARATORS = {"=", "＝", "≥", "≤", ">", "<", "＞", "＜", ">=", "<="}


def printed_with_columns(indicator: dict, name: str) -> str | None:
    """The target (or actual) as one cell would print it, where the template gives the comparator
    (指标性质) and the unit (度量单位) columns of their own: "=" "100" "%" → "=100%"."""
    text = indicator.get(name)
    comparator, unit = (indicator.get("comparator") or "").strip(), (indicator.get("unit") or "").strip()
    if text is None or not (comparator or unit):
        return text
    if unit and not text.rstrip().endswith(unit) and text.strip()[-1:].isdigit():
        text = text.strip() + unit
    if name == "target" and comparator in _COMPARATORS and not text.lstrip().startswith(tuple(_COMPARATORS)):
        text = comparator + text.strip()
    return text


def _insert(con, table: str, columns: list[str], rows: list[list]) -> None:
    """Insert ``rows`` in one statement, a list parameter per column (executemany runs one statement
    a row: 18 times slower). Decimals go as text, which the column's type reads exactly (DuckDB
    1.5 drops the exponent of a Python Decimal such as 2E+3)."""
    if rows:
        data = [[str(v) if isinstance(v, Decimal) else v for v in column] for column in zip(*rows)]
        unnests = ", ".join(f"unnest(${i})" for i in range(1, len(columns) + 1))
        con.execute(f"INSERT INTO raw.{table} ({', '.join(columns)}) SELECT {unnests}", data)
