"""The job, its nightly schedule, the inbox sensor and the alert on failed runs.

All three are on by default: an operator who starts the webserver and the daemon gets the nightly
run, the inbox runs and the alerts with no click (the UI can still stop each one).

Both the schedule and the sensor first bring the ``documents`` partitions in line with the inbox (one
per document, added and deleted as files come and go), then ask for one run over all of them; the
run reads only what changed. Neither starts a run while another warehouse run is queued or going.
"""


import hashlib
from pathlib import Path

from dagster import (AssetSelection, DagsterInstance, DagsterRunStatus, DefaultScheduleStatus,
                     DefaultSensorStatus, RunFailureSensorContext, RunRequest, RunsFilter,
                     ScheduleEvaluationContext, SensorEvaluationContext, SkipReason, define_asset_job,
                     run_failure_sensor, schedule, sensor)

from extract.document import path_text

from extract.load import read_only

from .assets.ingest import documents_partitions
from .resources import Warehouse

warehouse_job = define_asset_job(
    "warehouse_job", selection=AssetSelection.all(),
    description="Everything: inbox documents → raw tables → dbt models → data-quality checks → the "
                "published copy. Run it for one document (partition) to read that document again.")

ACTIVE = [DagsterRunStatus.QUEUED, DagsterRunStatus.NOT_STARTED, DagsterRunStatus.STARTING,
          DagsterRunStatus.STARTED]


def sync_partitions(instance: DagsterInstance, warehouse: Warehouse) -> list[str]:
    """Add a partition for each new inbox document, delete those of removed ones; the keys in order.

    A removed document keeps its partition until a published run has marked it removed, so that
    emptying the inbox still makes one run (over the removed documents alone).
    """
    keys = sorted(set(warehouse.document_keys()) | set(_published_in_inbox(warehouse)))
    known = instance.get_dynamic_partitions(documents_partitions.name)
    instance.add_dynamic_partitions(documents_partitions.name, [k for k in keys if k not in set(known)])
    for key in set(known) - set(keys):
        instance.delete_dynamic_partition(documents_partitions.name, key)
    return instance.get_dynamic_partitions(documents_partitions.name)


def _published_in_inbox(warehouse: Warehouse) -> list[str]:
    """Keys of the documents the published copy still lists as in the inbox (it never has a writer)."""
    if not warehouse.published_path.exists():
        return []
    with read_only(str(warehouse.published_path)) as con:
        files = [Path(f) for (f,) in con.execute("SELECT source_file FROM raw.documents WHERE in_inbox").fetchall()]
    inbox = path_text(warehouse.inbox)
    return [f.relative_to(inbox).as_posix() for f in files if f.is_relative_to(inbox)]


def all_documents(keys: list[str]) -> dict[str, str]:
    """Run tags that make one run cover every document partition."""
    return {"dagster/asset_partition_range_start": keys[0], "dagster/asset_partition_range_end": keys[-1]}


def _busy(instance: DagsterInstance) -> bool:
    return bool(instance.get_runs(RunsFilter(job_name=warehouse_job.name, statuses=ACTIVE), limit=1))


@schedule(job=warehouse_job, cron_schedule="0 2 * * *", execution_timezone="Asia/Shanghai",
          name="nightly_warehouse", default_status=DefaultScheduleStatus.RUNNING,
          description="Every night at 02:00 (Beijing): the whole inbox, reading only new and changed documents.")
def nightly_schedule(context: ScheduleEvaluationContext, warehouse: Warehouse):
    if _busy(context.instance):
        return SkipReason("a warehouse run is in progress")
    keys = sync_partitions(context.instance, warehouse)
    if not keys:
        return SkipReason("the inbox is empty")
    return RunRequest(tags=all_documents(keys))


def inbox_fingerprint(warehouse: Warehouse) -> str:
    """Changes whenever a document is added, removed, replaced or touched."""
    digest = hashlib.sha256()
    for path in warehouse.documents():
        stat = path.stat()
        digest.update(bytes(path) + f"\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


@sensor(job=warehouse_job, minimum_interval_seconds=60, default_status=DefaultSensorStatus.RUNNING,
        description="Starts the warehouse job when the inbox folder changes.")
def inbox_sensor(context: SensorEvaluationContext, warehouse: Warehouse):
    fingerprint = inbox_fingerprint(warehouse)
    if fingerprint == context.cursor:
        return SkipReason("inbox unchanged")
    if _busy(context.instance):
        return SkipReason("a warehouse run is in progress; will look again")
    keys = sync_partitions(context.instance, warehouse)
    context.update_cursor(fingerprint)
    if not keys:
        return SkipReason("the inbox is empty")
    return RunRequest(run_key=fingerprint, tags=all_documents(keys))


@run_failure_sensor(monitored_jobs=[warehouse_job], default_status=DefaultSensorStatus.RUNNING,
                    description="Tells the alert channels that a run failed.")
def run_failure_alert(context: RunFailureSensorContext):
    import apprise

    from .alerts import channel_urls

    error = context.failure_event.message or "unknown error"
    for url in channel_urls():
        notifier = apprise.Apprise()
        if not (notifier.add(url) and notifier.notify(
                title="绩效数仓运行失败", body=f"运行 {context.dagster_run.run_id} 失败：{error[:500]}")):
            context.log.warning(f"alert channel {url.split(':', 1)[0]} failed")
