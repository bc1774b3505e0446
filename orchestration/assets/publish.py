"""The read-only copy analysts open: the warehouse file, copied and swapped in atomically once the
models are built and checked.

Readers never wait for the writer (they do not open the file it writes) and never see a half-built
mart: a reader keeps the copy it opened until it reconnects, and the next copy appears at once, by
``os.replace``, or not at all if the run dies first.

On PostgreSQL the same promise is kept by renaming the ``*_build`` schemas over ``raw``, ``staging``
and ``marts`` in one transaction (orchestration/postgres.py publish).
"""

import functools
import os
import shutil
from datetime import datetime, timezone
from pathlib import Path

from dagster import AssetExecutionContext, AssetKey, MetadataValue, asset

from extract.load import connect, raw_state

from ..postgres import copy_marts
from ..resources import Warehouse
from .ingest import OWNERS, WAREHOUSE_POOL, build_version, copy_state, settings


@asset(key=["published_warehouse"], group_name="publish", pool=WAREHOUSE_POOL,
       deps=[AssetKey(["marts", "dq_findings"]), AssetKey(["marts", "mart_dq_office_year"])],
       kinds={"duckdb", "postgres"}, owners=OWNERS,
       description="The read-only copy of the warehouse that analysts and BI tools open "
                   "(JIXIAO_PUBLISHED), replaced atomically after a successful build and checks; on "
                   "PostgreSQL the schemas raw, staging and marts, swapped in by one transaction.")
def published_warehouse(context: AssetExecutionContext, warehouse: Warehouse) -> None:
    from ..isolation import run_isolated

    # in its own process: opening and checkpointing the whole warehouse is not for the run process
    (findings_open, findings_new), _ = run_isolated(publish_build, settings(warehouse), context.run.run_id)
    context.instance.add_run_tags(context.run.run_id, {"jixiao/findings_open": str(findings_open),
                                                   "jixiao/findings_new": str(findings_new)})
    context.add_output_metadata({**published_location(warehouse),
                                 "findings_open": findings_open, "findings_new": findings_new})


def publish_build(fields: dict, run_id: str) -> tuple[int, int]:
    """Record the run's findings in raw.ingestion_runs and publish the build: (open findings, new)."""
    warehouse, now = Warehouse(**fields), datetime.now(timezone.utc).replace(tzinfo=None)
    with connect(warehouse.path) as con:
        started = con.execute("SELECT started_at FROM raw.ingestion_runs WHERE run_id = ?", [run_id]).fetchone()
        if started is None:  # models rebuilt without an ingest step (e.g. from the UI)
            con.execute("INSERT INTO raw.ingestion_runs (run_id, started_at, raw_state, build_version, outcome) "
                        "VALUES (?, ?, ?, ?, 'loaded')", [run_id, now, raw_state(con), build_version()])
        findings_open, findings_new = _findings(con, warehouse, started[0] if started else now)
        con.execute("UPDATE raw.ingestion_runs SET outcome = 'publishing', finished_at = ?, findings_open = ?, "
                    "findings_new = ? WHERE run_id = ?", [now, findings_open, findings_new, run_id])
        con.execute("CHECKPOINT")  # everything in the file itself, nothing left in the write-ahead log
        if warehouse.on_postgres:
            from ..postgres import connect as pg_connect
            from ..postgres import publish as pg_publish

            with pg_connect(warehouse.postgres) as pg:
                pg_publish(pg, con, run_id)
    # on PostgreSQL too, a DuckDB copy for the workbook and the report: the ledger's raw tables (as
    # published) with the published marts beside them
    publish(Path(warehouse.path), warehouse.published_path, run_id,
            fill=functools.partial(copy_marts, warehouse.postgres) if warehouse.on_postgres else None)
    with connect(warehouse.path) as con:  # only now: a run killed while publishing never says published
        _mark_published(con, run_id)
    return findings_open, findings_new


def _findings(ledger, warehouse: Warehouse, since: datetime) -> tuple[int, int]:
    """(open findings, of which new since ``since``) in the findings the checks just wrote."""
    sql = ("SELECT count(*) FILTER (WHERE status = 'open'), "
           "count(*) FILTER (WHERE status = 'open' AND first_seen >= {}) FROM {}.dq_findings")
    if not warehouse.on_postgres:
        return ledger.execute(sql.format("?", "marts"), [since]).fetchone()
    from ..postgres import connect as pg_connect

    with pg_connect(warehouse.postgres) as pg, pg.cursor() as cur:
        cur.execute(sql.format("%s", "marts_build"), [since])
        return cur.fetchone()


def published_location(warehouse: Warehouse) -> dict:
    """Where readers find the published warehouse, as asset metadata."""
    if warehouse.on_postgres:
        from ..postgres import redacted

        return {"url": redacted(warehouse.postgres), "schemas": "raw, staging, marts"}
    return {"path": MetadataValue.path(str(warehouse.published_path))}


@asset(key=["marts_workbook"], group_name="publish", pool=WAREHOUSE_POOL, deps=[AssetKey(["published_warehouse"])],
       kinds={"excel", "python"}, owners=OWNERS,
       description="The Excel workbook beside the published warehouse (jixiao.xlsx): one sheet per mart with "
                   "Chinese headers, number formats, frozen headers and filters, and a README sheet from the dbt "
                   "catalogue; written from the published copy, atomically, after every publication.")
def marts_workbook(context: AssetExecutionContext, warehouse: Warehouse) -> None:
    from ..export import export
    from ..isolation import run_isolated

    target = workbook_path(warehouse)
    rows, peak = run_isolated(export, warehouse.published_path, target)
    context.add_output_metadata({"process_peak_mb": peak, "path": MetadataValue.path(str(target)),
                                 "url": MetadataValue.url(target.as_uri()),
                                 "sheets": len(rows), "dagster/row_count": sum(rows.values()),
                                 "rows_per_sheet": MetadataValue.md("\n".join(
                                     f"- {name}: {n}" for name, n in rows.items()))})


@asset(key=["analyst_report"], group_name="publish", pool=WAREHOUSE_POOL, deps=[AssetKey(["published_warehouse"])],
       kinds={"html"}, owners=OWNERS,
       description="The analyst report beside the published warehouse (report/index.html): per fiscal year the "
                   "money, scores, project scorecards with their indicators, findings with evidence, targets "
                   "against actuals and target quality, charts bundled, every row linked to its source page; "
                   "opens from disk with no network (`jixiao report`).")
def analyst_report(context: AssetExecutionContext, warehouse: Warehouse) -> None:
    from report.build import build

    from ..isolation import run_isolated

    target = report_path(warehouse)
    counts, peak = run_isolated(build, warehouse.published_path, target.parent)
    context.add_output_metadata({"process_peak_mb": peak, "path": MetadataValue.path(str(target)),
                                 "url": MetadataValue.url(target.as_uri()),
                                 "projects": counts["projects"], "findings": counts["findings"],
                                 "source_pages": counts["pages"]})


def report_path(warehouse: Warehouse) -> Path:
    """The report's page beside the published copy: warehouse/published/report/index.html."""
    from report.build import default_out

    return default_out(warehouse.published_path) / "index.html"


def workbook_path(warehouse: Warehouse) -> Path:
    """The workbook beside the published copy, same name: warehouse/published/jixiao.xlsx."""
    return warehouse.published_path.with_suffix(".xlsx")


def workbook_is_current(warehouse: Warehouse) -> bool:
    """The workbook exists and was written from the published copy as it is now; on PostgreSQL,
    that copy is of the published schemas (a run killed between the swap and the copy leaves it behind)."""
    from .ingest import published_state

    workbook, copy = workbook_path(warehouse), warehouse.published_path
    if not (workbook.exists() and copy.exists() and workbook.stat().st_mtime >= copy.stat().st_mtime):
        return False
    return not warehouse.on_postgres or copy_state(copy) == published_state(warehouse)


def publish(source: Path, target: Path, run_id: str | None = None, fill=None) -> None:
    """Copy ``source`` beside ``target`` and rename it over ``target``: readers see the old file or
    the new one, whole. The copy records ``run_id``'s row of raw.ingestion_runs as published (what
    the next run compares with), before anyone can open it; ``fill(connection, folder)`` adds to it first."""
    target.parent.mkdir(parents=True, exist_ok=True)
    for stale in target.parent.glob(f".{target.name}.*.tmp*"):  # left by a run that died copying
        stale.unlink(missing_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        with open(source, "rb") as src, open(partial, "wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
        if run_id or fill:
            with connect(partial) as con:
                if fill:
                    fill(con, partial.parent)
                if run_id:
                    _mark_published(con, run_id)
                con.execute("CHECKPOINT")
        with open(partial, "rb+") as dst:
            os.fsync(dst.fileno())
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    directory = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(directory)  # the rename itself survives a power cut
    finally:
        os.close(directory)


def _mark_published(con, run_id: str) -> None:
    con.execute("UPDATE raw.ingestion_runs SET outcome = 'published' WHERE run_id = ?", [run_id])
