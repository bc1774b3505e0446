"""Inbox documents → raw tables: one Dagster partition per document, one DuckDB transaction per document.

A run covers a range of document partitions (the nightly schedule and the inbox sensor ask for all
of them, in one run); only documents whose content or reader changed are read again. Reading fans
out (``extraction_results``): a plan step, one extraction step per chunk of documents that any
worker may run, each writing a content-addressed result file (extract/results.py). Then one writer
step (``raw_tables``) loads the results in bulk. When the raw tables end up as they were at the last
publication and the code is the same, the run stops there: the models, checks and publication
downstream are skipped (a no-op night).
"""

import hashlib
import os
from datetime import datetime, timezone
from pathlib import Path

import duckdb
from dagster import (AssetExecutionContext, AssetSpec, BackfillPolicy, Config, DynamicOut, DynamicOutput,
                     DynamicPartitionsDefinition, MaterializeResult, MetadataValue, Nothing, OpExecutionContext,
                     Out, graph_asset, multi_asset, op)

from extract import EXTRACTOR_VERSION
from extract.config import ROOT
from extract.document import Document, path_text, sha256_of
from extract.load import (LOADER_VERSION, connect, load_document, loaded_documents, raw_state, read_only,
                          sync_inbox)
from extract.results import read_result, write_result
from extract.values import NORMALISER_VERSION

from ..resources import DBT_PROJECT_DIR, Warehouse

# What a loaded document depends on: a new extractor, normaliser or loader re-reads every document.
LOAD_VERSION = f"{EXTRACTOR_VERSION}+values/{NORMALISER_VERSION}+load/{LOADER_VERSION}"
RAW_TABLES = ["documents", "reports", "funding", "indicators", "indicator_values", "spend_plan", "goals",
              "department_reports", "department_subgoals", "department_funding", "department_indicators"]
# Reasons worth another try on the next run (up to Warehouse.max_attempts): the machine, not the file.
TRANSIENT = ("parsing took longer", "parser ran out of memory", "parser crashed")
# Every step that opens the DuckDB file: a writer locks out every other process, readers too (limit 1).
WAREHOUSE_POOL = "warehouse"
# Who answers for every asset (Dagster owners: an e-mail address or team:<name>).
OWNERS = ["team:data-engineering"]
# The celery queue of the extraction steps, which any worker may run. Every other step opens the
# warehouse and goes to celery's default queue, served by the one writer worker (docs/deploy.md).
EXTRACT_QUEUE = "extract"

documents_partitions = DynamicPartitionsDefinition(name="documents")


class IngestConfig(Config):
    reread: bool = False
    """Read the run's documents again even if they are unchanged (e.g. one document, from the UI)."""


def build_version() -> str:
    """What the marts are built with besides the raw tables: reader, models, seeds and contracts."""
    digest = hashlib.sha256(LOAD_VERSION.encode())
    sources = [p for p in DBT_PROJECT_DIR.rglob("*") if p.suffix in {".sql", ".yml", ".csv"}
               and not {"target", "logs", "dbt_packages"} & set(p.parts)]
    for path in sorted(sources) + sorted((ROOT / "expectations").glob("*.py")):
        digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def published_state(warehouse: Warehouse) -> tuple[str, str] | None:
    """(raw_state, build_version) of the published copy (on PostgreSQL: of the published ``raw``
    schema), or None when nothing was published yet."""
    if warehouse.on_postgres:
        from ..postgres import published_state as on_postgres

        return on_postgres(warehouse.postgres)
    return copy_state(warehouse.published_path)


def copy_state(path: Path) -> tuple[str, str] | None:
    """(raw_state, build_version) of the published DuckDB copy at ``path``, or None when there is none."""
    if not path.exists():
        return None
    with read_only(str(path)) as con:
        return con.execute("SELECT raw_state, build_version FROM raw.ingestion_runs WHERE outcome = 'published' "
                           "ORDER BY finished_at DESC LIMIT 1").fetchone()


class Plan:
    """Which of the run's documents must be read, and why: the same answer for the plan step and
    the writer (nothing else writes the warehouse in between)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, warehouse: Warehouse, partition_keys: list[str],
                 reread: bool):
        self.inbox = inbox = {key: str(path) for key, path in warehouse.document_keys().items()}
        self.names = {key: path_text(path) for key, path in inbox.items()}  # as raw.documents holds them
        self.sha = {key: _sha256(path) for key, path in inbox.items()}
        self.missing = [key for key in partition_keys if key not in inbox]
        loaded = loaded_documents(con)
        known_paths = {path for (path,) in con.execute("SELECT source_file FROM raw.documents").fetchall()}
        self.todo, self.counts, seen = [], dict.fromkeys(("new", "changed", "reread", "unchanged"), 0), set()
        for key in partition_keys:
            if key not in inbox:
                continue
            path, digest = inbox[key], self.sha[key]
            why = _why_read(loaded.get(digest), reread, warehouse.max_attempts)
            if why and (digest not in seen or not digest):  # byte-identical copies are read once
                self.todo.append((path, digest))
                self.counts[why if why != "new" or self.names[key] not in known_paths else "changed"] += 1
            else:
                self.counts["unchanged"] += 1
            seen.add(digest)


def documents_to_read(fields: dict, partition_keys: list[str], reread: bool) -> list[tuple[str, str]]:
    """``Plan.todo``, in its own process (``plan_extraction``): the run process opens no DuckDB file."""
    warehouse = Warehouse(**fields)
    with connect(warehouse.path) as con:
        return Plan(con, warehouse, partition_keys, reread).todo


def results_root(warehouse: Warehouse) -> str:
    """Where extraction results go: JIXIAO_RESULTS, else ``results/`` beside the warehouse file."""
    return warehouse.results or str(Path(warehouse.path).parent / "results")


def chunk_size() -> int:
    """Documents per extraction step (``JIXIAO_EXTRACT_CHUNK``). By default all of them in one step
    (in one process extract_files reads them in parallel, JIXIAO_EXTRACT_JOBS), and one a step with
    the celery executor, where each step may go to another worker."""
    return int(os.environ.get("JIXIAO_EXTRACT_CHUNK", 1 if os.environ.get("JIXIAO_EXECUTOR") == "celery" else 0))


def _reread(context: OpExecutionContext) -> bool:
    # One switch for the whole ingest: raw_tables' ``reread``, the one the launchpad shows
    return bool(context.run_config.get("ops", {}).get("raw_tables", {}).get("config", {}).get("reread"))


@op(pool=WAREHOUSE_POOL, out=DynamicOut(list))
def plan_extraction(context: OpExecutionContext, warehouse: Warehouse):
    """The documents to read, in chunks of ``chunk_size()``; always one chunk, even empty, so that
    the writer step after the fan-in runs (it also records the run and marks removed documents)."""
    from ..isolation import run_isolated

    todo, _ = run_isolated(documents_to_read, settings(warehouse), list(context.partition_keys), _reread(context))
    size = chunk_size() or len(todo) or 1
    context.log.info(f"{len(todo)} documents to read, {size} a step")
    for index, start in enumerate(range(0, max(len(todo), 1), size)):
        yield DynamicOutput(todo[start:start + size], mapping_key=str(index))


@op(tags={"dagster-celery/queue": EXTRACT_QUEUE})
def extract_documents(context: OpExecutionContext, warehouse: Warehouse, documents: list) -> dict:
    """Read one chunk of documents into result files, each in a worker process with time and memory
    limits (extract/pipeline.py). A result already stored for the same content and reader is reused,
    unless the run reads again (reread), or it was an error (may be the machine's: tried again)."""
    root, reread, fresh = results_root(warehouse), _reread(context), []
    for path, digest in documents:
        stored = None if reread else _stored(root, digest, path, context.log.warning)
        if stored is None or stored[0].error:
            fresh.append(path)
    if not fresh:  # the readers (OCR, images: a third of a process's memory) only where a document is read
        return {"read": 0, "reused": len(documents)}
    from extract.pipeline import extract_files

    for doc in extract_files(fresh, jobs=warehouse.extract_jobs, ordered=False):
        write_result(root, doc, context.run_id)
        context.log.info(f"{doc.file}: " + (f"REJECTED {doc.error}" if doc.error else f"{len(doc.records)} reports"))
    return {"read": len(fresh), "reused": len(documents) - len(fresh)}


@op(out=Out(Nothing))
def collect_results(context: OpExecutionContext, chunks: list[dict]) -> None:
    read, reused = sum(c["read"] for c in chunks), sum(c["reused"] for c in chunks)
    context.log.info(f"{read} documents read, {reused} results reused, in {len(chunks)} steps")


@graph_asset(
    group_name="ingest", partitions_def=documents_partitions, backfill_policy=BackfillPolicy.single_run(),
    kinds={"python"}, owners=OWNERS,
    description="Extraction results: one content-addressed file per document read (its sha256 and the reader "
                "version, under JIXIAO_RESULTS), written by extraction steps that any worker may run.")
def extraction_results():
    return collect_results(plan_extraction().map(extract_documents).collect())


def _stored(root: str, digest: str, path: str, warn) -> tuple[Document, dict] | None:
    """(document, header) stored for ``digest``, or None: none, or unreadable (named, read again)."""
    try:
        return read_result(root, digest, path_text(path)) if digest else None
    except ValueError as exc:
        warn(f"{path}: {exc}; reading the document again")
        return None


@multi_asset(
    group_name="ingest", partitions_def=documents_partitions, pool=WAREHOUSE_POOL,
    backfill_policy=BackfillPolicy.single_run(),
    specs=[AssetSpec(["raw", table], skippable=True, kinds={"python", "duckdb"}, owners=OWNERS,
                     deps=[extraction_results],
                     description=f"raw.{table}: report records as extracted, with source file, sha256 "
                                 "and pages; one partition per inbox document (its path in the inbox).")
           for table in RAW_TABLES],
)
def raw_tables(context: AssetExecutionContext, config: IngestConfig, warehouse: Warehouse):
    from ..isolation import run_isolated

    loaded, peak = run_isolated(load_results, settings(warehouse), list(context.partition_keys), config.reread,
                                context.run.run_id, log=lambda level, text: getattr(context.log, level)(text))
    run, changed, names, own_rows = loaded["run"], loaded["changed"], loaded["names"], loaded["own_rows"]
    rows, rejected_now, quarantined_now = loaded["rows"], loaded["rejected"], loaded["quarantined"]
    context.instance.add_run_tags(context.run.run_id, {f"jixiao/{k}": str(v) for k, v in run.items()})
    if not changed:
        context.log.info("nothing changed since the published warehouse: models, checks and publication skipped")
        return
    # Dagster copies a ranged output's metadata onto each partition's materialization (11 per
    # document): the run's summary and its lists go on raw.documents alone, the lists capped.
    summary = {**run, "process_peak_mb": peak,
               "rejected": _listed([f"`{f}`: {r} (attempts {a})" for f, r, a in rejected_now], "raw.rejected_documents"),
               "quarantined": _listed([f"`{f}`: {r.splitlines()[0]}" for f, r in quarantined_now],
                                      "marts.quarantined_documents")}
    for table in RAW_TABLES:
        # each document's partition shows its own rows; the whole table's count is table_rows
        for key in context.partition_keys:
            context.add_asset_metadata({"dagster/row_count": own_rows[table].get(names.get(key, key), 0)},
                                       asset_key=["raw", table], partition_key=key)
        yield MaterializeResult(asset_key=["raw", table], metadata={
            "table_rows": rows[table], **(summary if table == "documents" else {})})


LISTED = 20  # documents named in a materialization's metadata; the table holds them all


def _listed(lines: list[str], table: str) -> MetadataValue:
    more = f"\n- … {len(lines) - LISTED} more: {table}" if len(lines) > LISTED else ""
    return MetadataValue.md("\n".join(f"- {line}" for line in lines[:LISTED]) + more if lines else "none")


def settings(warehouse: Warehouse) -> dict:
    """The resource's fields, to build it again in a step's own process (``run_isolated``)."""
    return {name: getattr(warehouse, name) for name in Warehouse.model_fields}


def load_results(fields: dict, partition_keys: list[str], reread: bool, run_id: str, log) -> dict:
    """The writer: the run's documents' results into the raw tables, one transaction a document, and
    the run's row in raw.ingestion_runs. In its own process (``raw_tables``): what DuckDB and the
    records held is given back when it ends. ``log(level, text)``."""
    warehouse, started = Warehouse(**fields), _now()
    with connect(warehouse.path) as con:
        plan = Plan(con, warehouse, partition_keys, reread)
        inbox, names, sha, todo, counts = plan.inbox, plan.names, plan.sha, plan.todo, plan.counts
        for key in plan.missing:
            log("warning", f"{key}: no longer in the inbox, nothing to read")
        log("info", f"reading {len(todo)} of {len(inbox)} documents ({counts['unchanged']} unchanged)")
        reports = rejected = 0
        for done, doc in enumerate(_results(warehouse, todo, reread, run_id, log), start=1):
            if doc.sha256:  # else the file vanished or cannot be opened: tried again next run
                try:
                    load_document(con, doc, LOAD_VERSION)
                except Exception as exc:  # (rolled back) a value the tables refuse: reject it, go on
                    doc = Document(doc.file, doc.sha256, error=f"cannot be stored: {exc.__class__.__name__}: "
                                                                f"{str(exc)[:200]}")
                    load_document(con, doc, LOAD_VERSION)
            reports += len(doc.records)
            rejected += doc.error is not None
            log("info", f"[{done}/{len(todo)}] {doc.file}: " + (
                f"REJECTED {doc.error}" if doc.error else f"{len(doc.records)} reports loaded"))
        # the inbox as listed at the start of this run: a file dropped in meanwhile waits for the next
        changes = sync_inbox(con, {names[k]: sha[k] for k in inbox},
                             keep_removed=os.environ.get("JIXIAO_KEEP_REMOVED", "1") != "0")
        state, version = raw_state(con), build_version()
        # a published copy without its current workbook (deleted, or written before there was one) is no
        # finished publication either
        changed = published_state(warehouse) != (state, version) or not _workbook_is_current(warehouse)
        run = {"documents_seen": len(inbox), **{f"documents_{k}": n for k, n in counts.items()},
               "documents_rejected": rejected, "documents_removed": changes["removed"],
               "reports_loaded": reports}
        con.execute(
            f"INSERT OR REPLACE INTO raw.ingestion_runs (run_id, started_at, {', '.join(run)}, raw_state, "
            f"build_version, outcome) VALUES (?, ?, {', '.join('?' for _ in run)}, ?, ?, ?)",
            [run_id, started, *run.values(), state, version, "loaded" if changed else "no change"])
        return {"run": run, "changed": changed, "names": names,
                "rows": {t: con.execute(f"SELECT count(*) FROM raw.{t}").fetchone()[0] for t in RAW_TABLES},
                "own_rows": {t: partition_rows(con, t) for t in RAW_TABLES},
                "rejected": con.execute("SELECT source_file, reason, attempts FROM raw.rejected_documents "
                                        "WHERE in_inbox ORDER BY 1").fetchall(),
                "quarantined": con.execute("SELECT source_file, quarantine_reason FROM raw.documents WHERE in_inbox "
                                           "AND status = 'ok' AND quarantine_reason IS NOT NULL ORDER BY 1").fetchall()}


def partition_rows(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, int]:
    """Rows of ``raw.<table>`` per source file: its own ``source_file``, or that of the report its
    ``report_id`` belongs to (project or department-level report)."""
    columns = {c for (c,) in con.execute("SELECT column_name FROM information_schema.columns WHERE "
                                         "table_schema = 'raw' AND table_name = ?", [table]).fetchall()}
    if "source_file" in columns:
        return dict(con.execute(f"SELECT source_file, count(*) FROM raw.{table} GROUP BY 1").fetchall())
    reports = " UNION ALL ".join(
        f"SELECT report_id, source_file FROM raw.{t}" for t in ("reports", "department_reports")
        if con.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'raw' "
                       "AND table_name = ?", [t]).fetchone()[0])
    return dict(con.execute(f"SELECT r.source_file, count(*) FROM raw.{table} AS t "
                            f"JOIN ({reports}) AS r USING (report_id) GROUP BY 1").fetchall())


def _results(warehouse: Warehouse, todo: list[tuple[str, str]], reread: bool, run_id: str, log):
    """Each document's outcome: its result file, else (no extraction step ran for it: raw_tables
    materialised alone, a file changed since the plan) read here and stored."""
    root, fresh = results_root(warehouse), []
    for path, digest in todo:
        stored = _stored(root, digest, path, lambda text: log("warning", text))
        # what this run's extraction steps wrote; else, unless reading again, an earlier success
        if stored and (stored[1]["run_id"] == run_id or not (reread or stored[0].error)):
            yield stored[0]
        else:
            fresh.append(path)
    if not fresh:
        return
    # the readers (OCR, images: a third of a process's memory) only where a document is read
    from extract.pipeline import extract_files

    log("info", f"{len(fresh)} documents have no extraction result yet: reading them here")
    for doc in extract_files(fresh, jobs=warehouse.extract_jobs, ordered=False):
        write_result(root, doc, run_id)
        yield doc


def _workbook_is_current(warehouse: Warehouse) -> bool:
    from .publish import workbook_is_current

    return workbook_is_current(warehouse)


def _why_read(loaded: tuple | None, reread: bool, max_attempts: int) -> str | None:
    """Why a document's content must be read ("new", "reread") or None when what is loaded stands."""
    if loaded is None:
        return "new"
    version, error, attempts = loaded
    if reread or version != LOAD_VERSION:
        return "reread"
    if error and error.startswith(TRANSIENT) and (attempts or 0) < max_attempts:
        return "reread"
    return None


def _sha256(path) -> str:
    try:
        return sha256_of(path)
    except OSError:  # unreadable: extract_files says why, and it is tried again next run
        return ""


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)
