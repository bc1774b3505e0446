"""``jixiao run [--inbox DIR] [--warehouse FILE|URL]``: the whole job in-process, then what it built."""

import argparse
import contextlib
import os
import shutil
import sys
from pathlib import Path

from extract.config import POSTGRES_SCHEMES

EXAMPLE_QUERY = """\
-- Offices by money spent, with their self-evaluation scores (paste into: {client})
SELECT fiscal_year, office_name, projects, annual_budget_yuan, executed_yuan, execution_rate,
       avg_total_score, avg_total_score_recomputed, projects_without_satisfaction_survey
FROM marts.mart_office_year
ORDER BY executed_yuan DESC;"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="jixiao run", description=__doc__)
    parser.add_argument("--inbox", help="folder of source documents (default $JIXIAO_INBOX or samples/)")
    parser.add_argument("--warehouse", help="DuckDB file, or postgresql://USER@HOST:PORT/DB "
                                            "(default $JIXIAO_WAREHOUSE or warehouse/jixiao.duckdb)")
    args = parser.parse_args(argv)
    if args.inbox:
        os.environ["JIXIAO_INBOX"] = str(Path(args.inbox).resolve())
    if args.warehouse:
        os.environ["JIXIAO_WAREHOUSE"] = (args.warehouse if args.warehouse.startswith(POSTGRES_SCHEMES)
                                          else str(Path(args.warehouse).resolve()))

    from dagster import DagsterInstance

    from .automation import all_documents, sync_partitions
    from .resources import DBT_PROJECT_DIR, warehouse_resource

    warehouse = warehouse_resource()
    if warehouse.on_postgres and (problem := _unreachable(warehouse.postgres)):
        print(problem, file=sys.stderr)
        return 1
    # Progress (Dagster's and dbt's logs) goes to stderr; stdout is the summary alone.
    with _instance(DagsterInstance) as instance, contextlib.redirect_stdout(sys.stderr):
        keys = sync_partitions(instance, warehouse)
        if not keys:
            print(f"The inbox {warehouse.inbox} holds no PDF or DOCX document: nothing to do.", file=sys.stderr)
            return 0
        run_id, failures = execute(instance, all_documents(keys))
    _clean_dbt_runs(DBT_PROJECT_DIR / "target", run_id)
    if failures:
        print("\n".join(failures), file=sys.stderr)
        return 1
    from .isolation import run_isolated

    # the summary's queries run on the whole published warehouse: not in this long-lived process
    print(run_isolated(summary, Path(warehouse.path), warehouse.published_path, run_id, warehouse.postgres)[0])
    return 0


def execute(instance, tags: dict[str, str]) -> tuple[str, list[str]]:
    """The warehouse job in this process, one step after another, as ``execute_in_process`` runs it,
    but without keeping its events: a run over N documents records 11 N partition materializations,
    which ``execute_in_process`` holds in its result until the run ends (memory linear in the
    inbox). (run id, its failures, one line each; none when it succeeded)."""
    from dagster import DagsterRunStatus, in_process_executor
    from dagster._core.definitions.job_base import InMemoryJob
    from dagster._core.execution.api import execute_run_iterator

    from .definitions import build_defs

    job = build_defs(in_process_executor).resolve_job_def("warehouse_job")
    run = instance.create_run_for_job(job_def=job, tags={**job.run_tags, **tags}, run_config={
        "loggers": {"console": {"config": {"log_level": "INFO"}}}})
    failures = [f"FAILED {event.step_key}: {event.message}"
                for event in execute_run_iterator(InMemoryJob(job), run, instance) if event.is_failure]
    status = instance.get_run_by_id(run.run_id).status
    return run.run_id, failures or ([] if status == DagsterRunStatus.SUCCESS else [f"FAILED: the run {status.value}"])


def _unreachable(url: str) -> str | None:
    """Why the PostgreSQL warehouse cannot be used, said before anything is read, or None."""
    import psycopg2

    from .postgres import connect, redacted

    try:
        with connect(url):
            return None
    except psycopg2.Error as exc:
        return f"ERROR {redacted(url)}: cannot connect to the PostgreSQL warehouse: {str(exc).strip()}"


def _instance(DagsterInstance):
    # A configured DAGSTER_HOME keeps run history; otherwise leave nothing behind.
    return DagsterInstance.get() if os.environ.get("DAGSTER_HOME") else DagsterInstance.ephemeral()


def _clean_dbt_runs(target: Path, run_id: str) -> None:
    """dagster-dbt leaves one folder per dbt call under target/ (<step>-<run id[:7]>-<call id>):
    remove this run's, never another run's that may still be building."""
    for child in target.glob(f"*-{run_id[:7]}-*"):
        if child.is_dir():
            shutil.rmtree(child, ignore_errors=True)


def summary(warehouse: Path, published: Path, run_id: str, postgres: str = "") -> str:
    """What this run did (from the warehouse it wrote), then what analysts now read (the published
    copy, or the published schemas on PostgreSQL when ``postgres`` is its URL)."""
    from extract.load import read_only

    from .postgres import redacted

    with read_only(str(warehouse)) as con:
        run = con.execute("SELECT * FROM raw.ingestion_runs WHERE run_id = ?", [run_id]).fetchone()
        names = [d[0] for d in con.description]
    run = dict(zip(names, run))
    with _published(published, postgres) as con:
        def rows(sql):
            return con.execute(sql).fetchall()

        docs = rows("SELECT status, count(*) FROM raw.documents GROUP BY status ORDER BY status")
        failed = rows("SELECT source_file, reason, attempts FROM raw.rejected_documents WHERE in_inbox ORDER BY 1")
        quarantined = rows("SELECT source_file, reason FROM marts.quarantined_documents WHERE in_inbox ORDER BY 1")
        reports = rows("SELECT report_type, count(*) FROM raw.reports GROUP BY 1 ORDER BY 1")
        facts = {t: rows(f"SELECT count(*) FROM marts.{t}")[0][0] for t in (
            "fct_funding", "fct_indicator", "fct_score", "fct_target_indicator", "fct_spend_plan",
            "fct_project_budget", "dim_department", "dim_office", "dim_project", "mart_project_scorecard",
            "mart_target_vs_actual")}
        office_year = con.execute(
            "SELECT fiscal_year, office_name, projects, annual_budget_yuan, execution_rate, "
            "avg_total_score, avg_total_score_recomputed, min_total_score, indicators, "
            "quantified_share, satisfaction_not_done FROM marts.mart_office_year "
            "ORDER BY fiscal_year, office_name")
        columns = [d[0] for d in office_year.description]
        office_rows = office_year.fetchall()
        findings = rows("SELECT rule_id, severity, kind, table_name, count(*) FROM marts.dq_findings WHERE status = 'open' "
                        "GROUP BY 1, 2, 3, 4 ORDER BY rule_id, table_name")

    did = ", ".join(f"{run[f'documents_{k}'] or 0} {k}" for k in (
        "seen", "new", "changed", "reread", "unchanged", "rejected", "removed"))
    out = [f"This run: documents {did}; {run['reports_loaded'] or 0} reports loaded; " + (
               "nothing changed, the published warehouse stands" if run["outcome"] == "no change" else
               f"{run['findings_open']} open findings ({run['findings_new']} new); published"),
           *([f"Ledger (writer, what was read): {warehouse}",
              f"Published warehouse (open this one): {redacted(postgres)} (schemas raw, staging, marts)",
              f"Its copy for the files below (DuckDB, raw and marts): {published}"] if postgres else
             [f"Warehouse (writer): {warehouse}", f"Published copy (open this one): {published}"]),
           f"Workbook (Excel, every mart): {published.with_suffix('.xlsx')}",
           f"Report (HTML, open in a browser): {published.parent / 'report' / 'index.html'}", "",
           "Documents: " + ", ".join(f"{n} {s}" for s, n in docs)
           + (f" ({len(quarantined)} read incompletely: quarantined, left out of the marts)" if quarantined else "")]
    out += [f"  ERROR {f}: {e} (attempts {a})" for f, e, a in failed]
    out += [f"  QUARANTINED {f}: " + "; ".join(reason.splitlines()) for f, reason in quarantined]
    out += ["Reports: " + ", ".join(f"{n} {t}" for t, n in reports), "", "Rows per table:"]
    out += [f"  marts.{t:22} {n:>6}" for t, n in facts.items()]
    out += ["", "marts.mart_office_year:", _table(columns, office_rows), "",
            "Failed data-quality checks (marts.dq_findings):"]
    out += [f"  {r} {s:4} {k:10} {t:22} {n:>4} rows" for r, s, k, t, n in findings] or ["  none"]
    out += ["", EXAMPLE_QUERY.format(client=f"psql '{redacted(postgres)}'" if postgres
                                     else f"duckdb -readonly {published}")]
    return "\n".join(out)


@contextlib.contextmanager
def _published(published: Path, postgres: str):
    """A connection to what readers see, whose ``execute(sql)`` returns a cursor (DuckDB's or psycopg2's)."""
    if not postgres:
        from extract.load import read_only

        with read_only(str(published)) as con:
            yield con
        return
    from .postgres import connect

    class Connection:
        def execute(self, sql):
            cursor.execute(sql)
            return cursor

    with connect(postgres) as pg, pg.cursor() as cursor:
        yield Connection()


def _table(columns: list[str], rows: list[tuple]) -> str:
    cells = [columns] + [["" if v is None else f"{v:.4g}" if isinstance(v, float) else str(v)
                          for v in row] for row in rows]
    widths = [max(_width(r[i]) for r in cells) for i in range(len(columns))]
    return "\n".join("  " + "  ".join(v + " " * (w - _width(v)) for v, w in zip(r, widths)) for r in cells)


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)  # CJK characters take two columns
