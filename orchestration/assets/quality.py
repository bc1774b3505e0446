"""Great Expectations contracts on the facts: the findings table, and one asset check per fact.

On PostgreSQL the checks and their findings are the build's (``marts_build``), before publication;
the ledger of what was read (``raw.documents``) stays the writer's DuckDB file (warehouse.path).
"""


from pathlib import Path

from dagster import (AssetCheckResult, AssetCheckSeverity, AssetExecutionContext, AssetKey,
                     MetadataValue, asset, asset_check)

from extract.load import read_only

from ..resources import Warehouse
from .ingest import OWNERS, WAREHOUSE_POOL

FACTS = ["fct_funding", "fct_indicator", "fct_score", "fct_spend_plan", "fct_project_budget",
         "fct_target_indicator", "mart_target_vs_actual", "mart_project_years",
         "fct_department_goal", "fct_department_self_evaluation", "fct_department_indicator"]


@asset(key=["marts", "dq_findings"], group_name="quality", pool=WAREHOUSE_POOL,
       kinds={"great_expectations", "duckdb", "postgres"}, owners=OWNERS,
       deps=[AssetKey(["marts", fact]) for fact in FACTS],
       description="Every failed data-quality contract, one row per offending fact row "
                   "(rule, severity, kind, report, observed, expected).")
def dq_findings(context: AssetExecutionContext, warehouse: Warehouse) -> None:
    from expectations.run import check_warehouse, docs_path

    from ..isolation import run_isolated

    docs = docs_path(Path(warehouse.path))  # beside the DuckDB file or, on PostgreSQL, the ledger
    (count, by_rule), peak = run_isolated(check_warehouse, warehouse.postgres or Path(warehouse.path), docs)
    context.add_output_metadata({"findings": count, "data_docs": MetadataValue.path(str(docs / "index.html")),
                                 "process_peak_mb": peak, **{f"rule {r}": n for r, n in by_rule.items()}})


def _contracts_check(fact: str):
    @asset_check(asset=AssetKey(["marts", fact]), name="dq_contracts", pool=WAREHOUSE_POOL,
                 additional_deps=[AssetKey(["marts", "dq_findings"])],
                 description=f"The Great Expectations contracts on {fact} hold (findings in marts.dq_findings).")
    def check(warehouse: Warehouse) -> AssetCheckResult:
        rows = _open_findings(warehouse, fact)
        return AssetCheckResult(
            passed=not rows,
            # Findings are about the documents: for reviewers, never blocking (this check is not a
            # blocking one); a document contradicting itself (HARD) shows as an error.
            severity=AssetCheckSeverity.ERROR if any(r[1] == "HARD" for r in rows) else AssetCheckSeverity.WARN,
            metadata={"findings": sum(r[3] for r in rows),
                      "by_rule": MetadataValue.md("\n".join(
                          f"- {r[0]} ({r[1]}, {r[2]}): {r[3]}" for r in rows) or "none")},
        )

    return check


dq_checks = [_contracts_check(fact) for fact in FACTS]

OPEN_FINDINGS = ("SELECT rule_id, severity, kind, count(*) FROM {table} WHERE table_name = {param} AND status = 'open' "
                 "GROUP BY rule_id, severity, kind ORDER BY rule_id, severity, kind")


def _open_findings(warehouse: Warehouse, fact: str) -> list[tuple]:
    """(rule, severity, kind, count) of the open findings on ``fact``."""
    if not warehouse.on_postgres:
        with read_only(warehouse.path) as con:
            return con.execute(OPEN_FINDINGS.format(table="marts.dq_findings", param="?"), [fact]).fetchall()
    from ..postgres import connect

    with connect(warehouse.postgres) as con, con, con.cursor() as cur:
        # the build's findings; the published ones when the check runs again after publication
        cur.execute("SELECT coalesce(to_regclass('marts_build.dq_findings'), to_regclass('marts.dq_findings'))::text")
        table = cur.fetchone()[0]
        if table is None:
            raise RuntimeError("no dq_findings table on PostgreSQL (neither marts_build nor marts): "
                               "materialize marts/dq_findings first")
        cur.execute(OPEN_FINDINGS.format(table=table, param="%s"), [fact])
        return cur.fetchall()


@asset(key=["marts", "dq_alerts"], group_name="quality", deps=[AssetKey(["published_warehouse"])], pool=WAREHOUSE_POOL,
       kinds={"python", "apprise"}, owners=OWNERS,
       description="New findings, unreadable and quarantined documents sent once to the channels in "
                   "JIXIAO_ALERT_URLS (Apprise); a failing channel is retried next run, never fails it.")
def dq_alerts(context: AssetExecutionContext, warehouse: Warehouse) -> None:
    from ..alerts import send_alerts
    from ..isolation import run_isolated

    # each channel's items are every open finding not yet sent to it: not for the run process
    outcome, peak = run_isolated(send_alerts, Path(warehouse.path), None, warehouse.published_path, warehouse.postgres)
    context.add_output_metadata({"channels": len(outcome), "process_peak_mb": peak, **outcome})


# Documents the reader used to read completely and now does not: the reader regressed. Same content
# (sha256), loaded before by another version, complete then (raw.documents.previously_complete, judged
# at load time by today's rules on the records the earlier version stored), quarantined now.
READER_REGRESSIONS = """
SELECT source_file, previous_version, extractor_version, quarantine_reason
FROM raw.documents
WHERE status = 'ok' AND quarantine_reason IS NOT NULL AND in_inbox
  AND previously_complete AND previous_version <> extractor_version
ORDER BY source_file
"""


@asset_check(asset=AssetKey(["raw", "reports"]), name="extraction_complete", blocking=True, pool=WAREHOUSE_POOL,
             description="No reader regression: every document an earlier reader version read completely "
                         "(same sha256) is still read completely. A document read incompletely for the first "
                         "time is not a regression: it is quarantined (kept in raw.documents with its "
                         "quarantine_reason, left out of the marts, alerted) and the rest is published. To "
                         "accept a document the new reader reads differently, read it again "
                         "(reread: true on its partition): its previous load is then the new reader's.")
def extraction_complete(warehouse: Warehouse) -> AssetCheckResult:
    with read_only(warehouse.path) as con:
        regressions = con.execute(READER_REGRESSIONS).fetchall()
        quarantined = con.execute("SELECT count(*) FROM raw.documents WHERE status = 'ok' "
                                  "AND quarantine_reason IS NOT NULL AND in_inbox").fetchone()[0]
    return AssetCheckResult(
        passed=not regressions, severity=AssetCheckSeverity.ERROR,
        metadata={"regressions": len(regressions), "quarantined": quarantined,
                  "examples": MetadataValue.md("\n".join(
                      f"- `{f}`: complete with {before}, now with {now}: {reason.splitlines()[0]}"
                      for f, before, now, reason in regressions[:10]) or "none")})
