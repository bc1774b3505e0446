"""The job, its nightly schedule and the inbox sensor."""


import hashlib

from dagster import (AssetSelection, DagsterRunStatus, RunRequest, RunsFilter, ScheduleDefinition,
                     SensorEvaluationContext, SkipReason, define_asset_job, sensor)

from .resources import Warehouse

warehouse_job = define_asset_job(
    "warehouse_job", selection=AssetSelection.all(),
    description="Everything: inbox → records → raw tables → dbt models → data-quality checks.")

nightly_schedule = ScheduleDefinition(
    name="nightly_warehouse", job=warehouse_job, cron_schedule="0 2 * * *",
    execution_timezone="Asia/Shanghai")

ACTIVE = [DagsterRunStatus.QUEUED, DagsterRunStatus.NOT_STARTED, DagsterRunStatus.STARTING,
          DagsterRunStatus.STARTED]


def inbox_fingerprint(warehouse: Warehouse) -> str:
    """Changes whenever a document is added, removed, replaced or touched."""
    digest = hashlib.sha256()
    for path in warehouse.documents():
        stat = path.stat()
        digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


@sensor(job=warehouse_job, minimum_interval_seconds=60,
        description="Starts the warehouse job when the inbox folder changes.")
def inbox_sensor(context: SensorEvaluationContext, warehouse: Warehouse):
    fingerprint = inbox_fingerprint(warehouse)
    if fingerprint == context.cursor:
        return SkipReason("inbox unchanged")
    if context.instance.get_runs(RunsFilter(job_name=warehouse_job.name, statuses=ACTIVE), limit=1):
        return SkipReason("a warehouse run is in progress; will look again")
    context.update_cursor(fingerprint)
    return RunRequest(run_key=fingerprint)
