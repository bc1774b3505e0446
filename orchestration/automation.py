"""The job, its nightly schedule, the inbox sensor and the alert on failed runs."""


import hashlib

from dagster import (AssetSelection, DagsterRunStatus, RunFailureSensorContext, RunRequest, RunsFilter,
                     ScheduleDefinition, SensorEvaluationContext, SkipReason, define_asset_job,
                     run_failure_sensor, sensor)

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


@run_failure_sensor(monitored_jobs=[warehouse_job], description="Tells the alert channels that a run failed.")
def run_failure_alert(context: RunFailureSensorContext):
    import apprise

    from .alerts import channel_urls

    error = context.failure_event.message or "unknown error"
    for url in channel_urls():
        notifier = apprise.Apprise()
        if not (notifier.add(url) and notifier.notify(
                title="绩效数仓运行失败", body=f"运行 {context.dagster_run.run_id} 失败：{error[:500]}")):
            context.log.warning(f"alert channel {url.split(':', 1)[0]} failed")
