"""The job as the Dagster daemon runs it: a real `dagster-daemon`, the first run started by the inbox
sensor on its own, the next submitted with `dagster job launch` (through the queued run coordinator,
as the UI and GraphQL submit them), each launched in a
subprocess whose multiprocess executor starts every step in its own process.

Why: launched this way, runs failed at `published_warehouse` with `IO Error: Could not set lock …
Conflicting lock is held …` — the data-quality checks had the DuckDB file open while the publication
wrote it. `jixiao run` and the other tests execute the steps one after another in one process, so
they never showed it. Here two runs in a row on one warehouse must each succeed and publish, with
their steps in separate processes and never two at a time; the second also gets a document that
reads incompletely, which is quarantined while the run publishes the rest.

The same daemon with its instance on PostgreSQL (orchestration/dagster-postgres.yaml, Dagster run as a
service: docs/deploy.md) must run the sensor's run too, and keep the run, its events and the sensor's
tick in that database.
"""

import json
import os
import shutil
import signal
import subprocess
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from dagster import DagsterEventType, DagsterInstance, DagsterRunStatus, RunsFilter

from extract.config import published_path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
SAMPLES = ["targets_yanshanlu_2024.pdf", "selfeval_dahongmen_2023.pdf"]
REPORTS = 15 + 40  # target tables + self-evaluations in the two samples
PARTIAL = "daying_2023_sfj_anke_partial"  # a real table the stored page cut off before its indicators
RUN_TIMEOUT = 15 * 60  # seconds; a run takes about two minutes on two cores


@dataclass
class Daemon:
    instance: DagsterInstance
    env: dict
    inbox: Path
    warehouse: Path


@pytest.fixture
def daemon(tmp_path, request, monkeypatch):
    """A fresh instance (the project's dagster.yaml), inbox and warehouse, and a running dagster-daemon.
    Parametrized with "postgres", the instance keeps its storage in a fresh database of the session's
    PostgreSQL server, configured as `make services` does it."""
    home, inbox, warehouse = tmp_path / "dagster_home", tmp_path / "inbox", tmp_path / "warehouse" / "jixiao.duckdb"
    home.mkdir()
    inbox.mkdir()
    config = (ROOT / "orchestration" / "dagster.yaml").read_text()
    for name in SAMPLES:
        shutil.copy(ROOT / "samples" / name, inbox / name)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JIXIAO_", "DAGSTER_"))}
    env.update(DAGSTER_HOME=str(home), JIXIAO_INBOX=str(inbox), JIXIAO_WAREHOUSE=str(warehouse))
    if getattr(request, "param", "sqlite") == "postgres":
        host, port, dbname = request.getfixturevalue("pg_database")
        config += (ROOT / "orchestration" / "dagster-postgres.yaml").read_text()
        env["DAGSTER_PG_URL"] = f"postgresql+psycopg2://jixiao@/{dbname}?host={host}&port={port}"
        monkeypatch.setenv("DAGSTER_PG_URL", env["DAGSTER_PG_URL"])  # for the instance this test opens
    (home / "dagster.yaml").write_text(config)
    run_ids = []
    with open(tmp_path / "daemon.log", "w") as log:
        process = subprocess.Popen([str(BIN / "dagster-daemon"), "run", "-w", "workspace.yaml"], cwd=ROOT, env=env,
                                   stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            with DagsterInstance.from_config(str(home)) as instance:
                yield Daemon(instance, env, inbox, warehouse)
                run_ids += [run.run_id for run in instance.get_runs()]
        finally:
            os.killpg(process.pid, signal.SIGTERM)  # the daemon, its code server, runs and steps
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
    for run_id in run_ids:  # what dagster-dbt left in the project's target/ for these runs
        for folder in (ROOT / "dbt_project" / "target").glob(f"*-{run_id[:7]}-*"):
            shutil.rmtree(folder, ignore_errors=True)


def finished(daemon: Daemon, run_id: str):
    deadline = time.monotonic() + RUN_TIMEOUT
    while not (run := daemon.instance.get_run_by_id(run_id)).is_finished:
        assert time.monotonic() < deadline, f"run {run_id} still {run.status.value} after {RUN_TIMEOUT} s"
        time.sleep(2)
    return run


def sensor_run(daemon: Daemon):
    """The run the inbox sensor starts on its own (it is on by default); waits until it is finished."""
    deadline = time.monotonic() + RUN_TIMEOUT
    while not (runs := daemon.instance.get_runs(RunsFilter(tags={"dagster/sensor_name": "inbox_sensor"}))):
        assert time.monotonic() < deadline, f"the inbox sensor started no run in {RUN_TIMEOUT} s"
        time.sleep(2)
    return finished(daemon, runs[-1].run_id)


def stop_automation(daemon: Daemon) -> None:
    """What an operator does before launching runs by hand: the sensor and the schedule stopped."""
    for kind, name in (("sensor", "inbox_sensor"), ("schedule", "nightly_warehouse")):
        result = subprocess.run([str(BIN / "dagster"), kind, "stop", name, "-w", "workspace.yaml"],
                                cwd=ROOT, env=daemon.env, capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr


def launch(daemon: Daemon):
    """One run over every inbox document, as the UI submits it; waits until it is finished."""
    from orchestration.automation import all_documents, sync_partitions
    from orchestration.resources import Warehouse

    keys = sync_partitions(daemon.instance, Warehouse(path=str(daemon.warehouse), inbox=str(daemon.inbox)))
    run_id = str(uuid.uuid4())
    result = subprocess.run([str(BIN / "dagster"), "job", "launch", "-w", "workspace.yaml", "-j", "warehouse_job",
                             "--tags", json.dumps(all_documents(keys)), "--run-id", run_id],
                            cwd=ROOT, env=daemon.env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    return finished(daemon, run_id)


def steps(instance: DagsterInstance, run_id: str) -> tuple[int, dict[str, tuple[int, float, float]]]:
    """The run worker's pid, and step → (pid, started, ended), from the run's events."""
    run_pid, started, ended = None, {}, {}
    for entry in instance.all_logs(run_id):
        event = entry.dagster_event
        if event and event.event_type_value == "RUN_START":
            run_pid = event.pid
        elif event and event.event_type_value == "STEP_START":
            started[event.step_key] = (event.pid, entry.timestamp)
        elif event and event.event_type_value in ("STEP_SUCCESS", "STEP_FAILURE"):
            ended[event.step_key] = entry.timestamp
    return run_pid, {key: (pid, start, ended.get(key, float("inf"))) for key, (pid, start) in started.items()}


def failures(instance: DagsterInstance, run_id: str) -> str:
    events = [entry.dagster_event for entry in instance.all_logs(run_id)]
    errors = [(e.step_key, e.step_failure_data.error) for e in events if e and e.is_step_failure]
    return "\n".join(f"{key}: {error.to_string()[-1500:] if error else ''}" for key, error in errors) or "no step failed"


def assert_published(daemon: Daemon, run, reports: int = REPORTS) -> None:
    assert run.status == DagsterRunStatus.SUCCESS, failures(daemon.instance, run.run_id)
    run_pid, by_step = steps(daemon.instance, run.run_id)
    assert {"raw_tables", "warehouse_models", "marts__dq_findings", "published_warehouse",
            "marts__dq_alerts"} <= set(by_step)
    # each step in a process of its own, and no two of them at the same time
    pids = [pid for pid, _, _ in by_step.values()]
    assert len(set(pids)) == len(pids) and run_pid not in pids
    spans = sorted((start, end, key) for key, (_, start, end) in by_step.items())
    overlaps = [(a[2], b[2]) for a, b in zip(spans, spans[1:]) if b[0] < a[1]]
    assert overlaps == []
    published = published_path(daemon.warehouse)
    with duckdb.connect(str(published), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM raw.reports").fetchone()[0] == reports
        assert con.execute("SELECT outcome FROM raw.ingestion_runs WHERE run_id = ?",
                           [run.run_id]).fetchone() == ("published",)


def test_daemon_runs_succeed_and_publish(daemon):
    # Regression: the sensor and the schedule were off by default, so a started daemon ran nothing.
    # An operator starts the daemon and clicks nothing: the inbox sensor starts the first run.
    assert_published(daemon, sensor_run(daemon))  # a fresh warehouse
    assert len(daemon.instance.get_runs()) == 1
    stop_automation(daemon)
    # the inbox changes: a document moves into a folder, and one that reads incompletely arrives
    (daemon.inbox / "2024").mkdir()
    shutil.move(daemon.inbox / SAMPLES[0], daemon.inbox / "2024" / SAMPLES[0])
    shutil.copy(ROOT / "samples" / "templates" / "sichuan_selfeval" / f"{PARTIAL}.pdf", daemon.inbox)
    assert_published(daemon, launch(daemon), REPORTS + 1)  # the night goes on: quarantined, not failed
    with duckdb.connect(str(published_path(daemon.warehouse)), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM raw.reports WHERE source_file LIKE '%/2024/%'").fetchone() == (15,)
        assert con.execute("SELECT source_file FROM marts.quarantined_documents").fetchall() == [
            (str(daemon.inbox / f"{PARTIAL}.pdf"),)]
        assert con.execute("SELECT count(*) FROM marts.fct_score").fetchone() == (40,)


@pytest.mark.parametrize("daemon", ["postgres"], indirect=True)
def test_daemon_runs_on_postgres(daemon, pg_database):
    import psycopg2

    run = sensor_run(daemon)
    assert_published(daemon, run)
    # the run, its events and the sensor's tick are rows of Dagster's tables in PostgreSQL; no SQLite
    # storage was made in DAGSTER_HOME
    host, port, dbname = pg_database
    with psycopg2.connect(host=host, port=port, user="jixiao", dbname=dbname) as con, con.cursor() as cur:
        cur.execute("SELECT run_id, status FROM runs")
        assert cur.fetchall() == [(run.run_id, "SUCCESS")]
        cur.execute("SELECT dagster_event_type, count(*) FROM event_logs WHERE run_id = %s GROUP BY 1", [run.run_id])
        events = dict(cur.fetchall())
        assert events[DagsterEventType.RUN_SUCCESS.value] == 1, events  # stored under its old name
        assert events[DagsterEventType.STEP_SUCCESS.value] >= 5, events
        cur.execute("""SELECT t.tick_body FROM job_ticks t JOIN jobs j ON j.selector_id = t.selector_id
                       WHERE j.job_type = 'SENSOR' AND t.status = 'SUCCESS'""")
        ticks = [json.loads(body) for (body,) in cur.fetchall()]
        assert [tick["job_name"] for tick in ticks if run.run_id in tick["run_ids"]] == ["inbox_sensor"]
    assert not list(Path(daemon.instance.root_directory).glob("**/*.db"))
