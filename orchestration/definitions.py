"""``defs``: what `dagster dev -w workspace.yaml` loads."""

import os

from dagster import Definitions, ExecutorDefinition, load_assets_from_modules, multiprocess_executor

from .assets import ingest, publish, quality, warehouse
from .automation import inbox_sensor, nightly_schedule, run_failure_alert, warehouse_job
from .resources import dbt_resource, warehouse_resource


def build_defs(executor_def: ExecutorDefinition | None = None) -> Definitions:
    """The definitions with resources read from the environment as it is now; with ``executor_def``
    instead of ``executor()`` (``jixiao run``: every step in its process)."""
    return Definitions(
        assets=load_assets_from_modules([ingest, warehouse, quality, publish]),
        asset_checks=[*quality.dq_checks, quality.extraction_complete],
        jobs=[warehouse_job],
        schedules=[nightly_schedule],
        sensors=[inbox_sensor, run_failure_alert],
        resources={"warehouse": warehouse_resource(), "dbt": dbt_resource()},
        executor=executor_def or executor(),
    )


def executor() -> ExecutorDefinition:
    """``JIXIAO_EXECUTOR=celery``: steps go to celery workers through the broker ``JIXIAO_CELERY_BROKER``
    (default redis://localhost:6379/0), extraction steps to the queue ``extract`` that any number
    of workers serve, every other step to the default queue ``dagster``, served by the one worker
    beside the warehouse file, one task at a time (docs/deploy.md).
    Else one step at a time, each in its own process: every step opens the one DuckDB file, and a
    writer locks out every other process; extraction runs its own workers inside its step."""
    if os.environ.get("JIXIAO_EXECUTOR", "multiprocess") == "multiprocess":
        return multiprocess_executor.configured({"max_concurrent": 1})
    if os.environ["JIXIAO_EXECUTOR"] != "celery":
        raise ValueError(f"JIXIAO_EXECUTOR={os.environ['JIXIAO_EXECUTOR']!r}: expected multiprocess or celery")
    from dagster_celery import celery_executor

    broker = os.environ.get("JIXIAO_CELERY_BROKER", "redis://localhost:6379/0")
    return celery_executor.configured({"broker": broker, "backend": broker})


def warehouse_job_def():
    """The warehouse job, for ``reconstructable(warehouse_job_def)``: what a celery worker rebuilds
    (with its executor and resources from the environment as it is now)."""
    return build_defs().resolve_job_def("warehouse_job")


defs = build_defs()
