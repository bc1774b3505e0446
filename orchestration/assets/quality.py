"""Great Expectations contracts on the facts: the findings table, and one asset check per fact."""


from pathlib import Path

import duckdb
from dagster import (AssetCheckResult, AssetCheckSeverity, AssetExecutionContext, AssetKey,
                     MetadataValue, asset, asset_check)

from ..resources import Warehouse

FACTS = ["fct_funding", "fct_indicator", "fct_score", "fct_spend_plan", "fct_project_budget",
         "fct_target_indicator", "mart_target_vs_actual"]


@asset(key=["marts", "dq_findings"], group_name="quality",
       deps=[AssetKey(["marts", fact]) for fact in FACTS],
       description="Every failed data-quality contract, one row per offending fact row "
                   "(rule, severity, kind, report, observed, expected).")
def dq_findings(context: AssetExecutionContext, warehouse: Warehouse) -> None:
    from expectations.run import docs_path, run_checks, write_findings

    docs = docs_path(Path(warehouse.path))
    results = run_checks(Path(warehouse.path), docs)
    count = write_findings(Path(warehouse.path), results)
    by_rule = {}
    for result in results:
        for finding in result.findings:
            by_rule[finding["rule_id"]] = by_rule.get(finding["rule_id"], 0) + 1
    context.add_output_metadata({"findings": count, "data_docs": MetadataValue.path(str(docs / "index.html")),
                                 **{f"rule {r}": n for r, n in sorted(by_rule.items())}})


def _contracts_check(fact: str):
    @asset_check(asset=AssetKey(["marts", fact]), name="dq_contracts",
                 additional_deps=[AssetKey(["marts", "dq_findings"])],
                 description=f"The Great Expectations contracts on {fact} hold (findings in marts.dq_findings).")
    def check(warehouse: Warehouse) -> AssetCheckResult:
        with duckdb.connect(warehouse.path, read_only=True) as con:
            rows = con.execute(
                "SELECT rule_id, severity, kind, count(*) FROM marts.dq_findings WHERE table_name = ? AND status = 'open' "
                "GROUP BY ALL ORDER BY ALL", [fact]).fetchall()
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


@asset(key=["marts", "dq_alerts"], group_name="quality", deps=[AssetKey(["published_warehouse"])],
       description="New findings and unreadable documents sent once to the channels in "
                   "JIXIAO_ALERT_URLS (Apprise); a failing channel is retried next run, never fails it.")
def dq_alerts(context: AssetExecutionContext, warehouse: Warehouse) -> None:
    from ..alerts import send_alerts

    outcome = send_alerts(Path(warehouse.path), readers=warehouse.published_path)
    context.add_output_metadata({"channels": len(outcome), **outcome})


# Share of reports read incompletely above which the extraction itself is taken to be broken.
MAX_INCOMPLETE_SHARE = 0.2

INCOMPLETE_REPORTS = """
SELECT r.report_id
FROM raw.reports AS r
JOIN raw.documents AS d ON d.source_sha256 = r.source_sha256 AND d.status = 'ok'
WHERE NOT EXISTS (SELECT 1 FROM raw.indicators AS i WHERE i.report_id = r.report_id)
   OR (r.report_type = 'self_evaluation' AND (r.total_score IS NULL OR NOT EXISTS (
        SELECT 1 FROM raw.funding AS f WHERE f.report_id = r.report_id AND f.source = 'total')))
   OR (r.report_type = 'performance_target' AND r.budget_total IS NULL)
"""


@asset_check(asset=AssetKey(["raw", "reports"]), name="extraction_complete", blocking=True,
             description="Reports lack their 总分, funding or indicator rows in more than "
                         f"{MAX_INCOMPLETE_SHARE:.0%} of cases: the extraction is broken, so the marts wait "
                         "(a few incomplete reports are SE-24 findings instead, and do not block).")
def extraction_complete(warehouse: Warehouse) -> AssetCheckResult:
    with duckdb.connect(warehouse.path, read_only=True) as con:
        incomplete = [r for (r,) in con.execute(INCOMPLETE_REPORTS).fetchall()]
        reports = con.execute("SELECT count(*) FROM raw.reports").fetchone()[0]
    share = len(incomplete) / reports if reports else 0.0
    return AssetCheckResult(
        passed=share <= MAX_INCOMPLETE_SHARE, severity=AssetCheckSeverity.ERROR,
        metadata={"reports": reports, "incomplete": len(incomplete), "share": share,
                  "examples": MetadataValue.md("\n".join(f"- {r}" for r in incomplete[:10]) or "none")})
