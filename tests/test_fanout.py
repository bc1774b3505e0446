"""Extraction fanned out on Dagster's celery executor: a real Redis (Debian's redis-server, started
here), two real celery worker processes (one writer, one extractor), a real Dagster instance; the
marts equal the single-process run's."""

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, free_port, mart_hashes

REDIS = shutil.which("redis-server") or "/usr/bin/redis-server"


def start(args: list[str], log: Path, env: dict | None = None) -> subprocess.Popen:
    # a session of its own: the whole group (dagster-celery and the celery it starts) is killed at the end
    with open(log, "wb") as out:
        return subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True)


def stop(process: subprocess.Popen) -> None:
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sig)
            process.wait(timeout=20)
            return
        except ProcessLookupError:
            return
        except subprocess.TimeoutExpired:
            continue


def wait_for_redis(port: int, process: subprocess.Popen, log: Path) -> None:
    import redis

    client = redis.Redis(host="127.0.0.1", port=port, socket_connect_timeout=1)
    for _ in range(200):
        assert process.poll() is None, log.read_text()
        try:
            client.ping()
            return
        except redis.ConnectionError:
            time.sleep(0.1)
    raise AssertionError(f"redis-server did not answer: {log.read_text()}")


def worker(name: str, queue: str, env: dict, log: Path) -> subprocess.Popen:
    # The solo pool: the step runs in the worker process itself, which may then fork the parser
    # processes extract_files limits (a prefork pool's children are daemons and may not).
    return start([str(Path(sys.executable).parent / "dagster-celery"), "worker", "start", "-A", "dagster_celery.app",
                  "-y", str(ROOT / "orchestration" / "celery.yaml"), "-q", queue, "-n", name,
                  "--", "--pool=solo", "--without-gossip", "--without-mingle"], log, env)


@pytest.fixture
def celery_workers(tmp_path, monkeypatch, built):
    """Redis and two workers: ``writer`` on the default queue, ``extractor`` on the extract queue."""
    if not Path(REDIS).exists():
        pytest.skip("redis-server not installed (make system installs it)")
    inbox, _, _ = built
    port = free_port()
    broker = f"redis://127.0.0.1:{port}/0"
    env = {"DAGSTER_HOME": str(tmp_path / "dagster"), "JIXIAO_EXECUTOR": "celery", "JIXIAO_CELERY_BROKER": broker,
           "JIXIAO_WAREHOUSE": str(tmp_path / "warehouse" / "jixiao.duckdb"), "JIXIAO_INBOX": str(inbox),
           "JIXIAO_RESULTS": str(tmp_path / "results"), "JIXIAO_EXTRACT_JOBS": "1"}
    (tmp_path / "dagster").mkdir()
    (tmp_path / "dagster" / "dagster.yaml").write_text("")  # SQLite storage in DAGSTER_HOME
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    from dagster import DagsterInstance

    DagsterInstance.get().dispose()  # its storage created once, before the workers open it
    monkeypatch.delenv("JIXIAO_PUBLISHED", raising=False)
    monkeypatch.delenv("JIXIAO_EXTRACT_CHUNK", raising=False)
    worker_env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
                  "PYTHONPATH": str(ROOT)}
    redis_log = tmp_path / "redis.log"
    processes = [start([REDIS, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(tmp_path), "--save", "",
                        "--appendonly", "no"], redis_log)]
    try:
        wait_for_redis(port, processes[0], redis_log)
        processes.append(worker("writer", "dagster", worker_env, tmp_path / "writer.log"))
        processes.append(worker("extractor", "extract", worker_env, tmp_path / "extractor.log"))
        yield env, tmp_path
    finally:
        for process in reversed(processes):
            stop(process)


def test_fanned_out_extraction_builds_the_same_marts(celery_workers, built):
    from dagster import DagsterEventType, DagsterInstance, execute_job, reconstructable

    from extract.config import published_path
    from extract.pipeline import sha256_of
    from extract.results import result_name
    from orchestration.automation import all_documents, sync_partitions
    from orchestration.definitions import warehouse_job_def
    from orchestration.resources import warehouse_resource

    env, folder = celery_workers
    inbox, single_process, _ = built
    with DagsterInstance.get() as instance:
        keys = sync_partitions(instance, warehouse_resource())
        with execute_job(reconstructable(warehouse_job_def), instance=instance, tags=all_documents(keys)) as result:
            logs = "\n".join((folder / f"{name}.log").read_text(errors="replace")[-3000:]
                             for name in ("writer", "extractor"))
            assert result.success, logs
            # the worker each step ran in, as the celery task reported it
            ran_in = {event.step_key: event.event_specific_data.metadata["Celery worker"].value
                      for event in result.all_events if event.event_type == DagsterEventType.ENGINE_EVENT
                      and event.event_specific_data.metadata.get("Celery worker")}

    extraction = {step for step in ran_in if step.startswith("extraction_results.extract_documents[")}
    assert len(extraction) == len(keys) == 3  # one step a document: the two samples and broken.pdf
    assert {ran_in[step].split("@")[0] for step in extraction} == {"extractor"}
    writer_steps = set(ran_in) - extraction
    assert {"raw_tables", "warehouse_models", "published_warehouse"} <= writer_steps
    assert {ran_in[step].split("@")[0] for step in writer_steps} == {"writer"}

    # one result a document, named by its content and the reader
    results = sorted(p.name for p in (folder / "results").iterdir())
    assert results == sorted(result_name(sha256_of(inbox / key)) for key in keys)

    # the published copies: a worker process may still hold the file it wrote
    assert mart_hashes(published_path(Path(env["JIXIAO_WAREHOUSE"]))) == mart_hashes(published_path(single_process))


def test_a_result_is_reused_by_content_and_reader_and_never_when_it_may_be_stale(tmp_path, monkeypatch):
    """Real runs of the ingest (plan, extraction step, writer) in process: a stored result stands for
    its content under any name; an unreadable one is named and read again; reread ignores them."""
    import gzip
    import json

    import duckdb
    from dagster import DagsterInstance, materialize

    from extract.pipeline import sha256_of
    from extract.results import result_name
    from orchestration.assets import ingest
    from orchestration.automation import all_documents, sync_partitions
    from orchestration.resources import Warehouse

    inbox, warehouse, results = tmp_path / "inbox", tmp_path / "w.duckdb", tmp_path / "results"
    inbox.mkdir()
    shutil.copy(ROOT / "samples" / "targets_yanshanlu_2024.pdf", inbox / "a.pdf")
    resource = Warehouse(path=str(warehouse), inbox=str(inbox), results=str(results))
    instance = DagsterInstance.ephemeral()

    def run(**config):
        result = materialize([ingest.extraction_results, ingest.raw_tables], instance=instance,
                             resources={"warehouse": resource}, tags=all_documents(sync_partitions(instance, resource)),
                             run_config={"ops": {"raw_tables": {"config": config}}})
        assert result.success
        with duckdb.connect(str(warehouse), read_only=True) as con:
            return con.execute("SELECT source_file, project_name FROM raw.reports ORDER BY report_index "
                               "LIMIT 1").fetchone()

    path = results / result_name(sha256_of(inbox / "a.pdf"))
    name = run()[1]
    assert [p.name for p in results.iterdir()] == [path.name]

    def rewrite(change):
        header, *records = (json.loads(line) for line in gzip.decompress(path.read_bytes()).splitlines())
        path.write_bytes(gzip.compress("".join(json.dumps(line, ensure_ascii=False) + "\n"
                                               for line in change(header, records)).encode()))

    # the stored result is what a new loader loads (here marked, to tell it from a new reading),
    # under the document's new name: the name is no part of a result
    rewrite(lambda header, records: [header, {**records[0], "project_name": "STORED"}, *records[1:]])
    (inbox / "a.pdf").rename(inbox / "b.pdf")
    monkeypatch.setattr(ingest, "LOAD_VERSION", "next-version")
    monkeypatch.setenv("JIXIAO_ISOLATE_STEPS", "0")  # the writer in this process, where the patch is
    assert run() == (str(inbox / "b.pdf"), "STORED")

    # reread: the document is read again, whatever is stored
    assert run(reread=True) == (str(inbox / "b.pdf"), name)

    # an unreadable result is read again, and replaced
    path.write_bytes(b"not gzip")
    monkeypatch.setattr(ingest, "LOAD_VERSION", "third-version")
    assert run() == (str(inbox / "b.pdf"), name)
    assert gzip.decompress(path.read_bytes())

    # a stored error is not reused: the next reading may succeed
    rewrite(lambda header, records: [{**header, "error": "parser ran out of memory", "run_id": "old"}])
    monkeypatch.setattr(ingest, "LOAD_VERSION", "fourth-version")
    assert run() == (str(inbox / "b.pdf"), name)
