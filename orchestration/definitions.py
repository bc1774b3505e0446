"""``defs``: what `dagster dev -w workspace.yaml` loads."""

from dagster import Definitions, load_assets_from_modules

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
    )


defs = build_defs()
