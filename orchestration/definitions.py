"""``defs``: what `dagster dev -w workspace.yaml` loads."""

from dagster import Definitions, load_assets_from_modules, multiprocess_executor

from .assets import ingest, publish, quality, warehouse
from .automation import inbox_sensor, nightly_schedule, run_failure_alert, warehouse_job
from .resources import dbt_resource, warehouse_resource


def build_defs() -> Definitions:
    """The definitions with resources read from the environment as it is now."""
    return Definitions(
        assets=load_assets_from_modules([ingest, warehouse, quality, publish]),
        asset_checks=[*quality.dq_checks, quality.extraction_complete],
        jobs=[warehouse_job],
        schedules=[nightly_schedule],
        sensors=[inbox_sensor, run_failure_alert],
        resources={"warehouse": warehouse_resource(), "dbt": dbt_resource()},
        # One step at a time, each in its own process: every step opens the one DuckDB file, and a
        # writer locks out every other process. Extraction runs its own workers inside the raw step.
        executor=multiprocess_executor.configured({"max_concurrent": 1}),
    )


defs = build_defs()
