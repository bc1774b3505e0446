"""Dagster as a service (docs/deploy.md): the instance configuration on PostgreSQL, the systemd units,
the compose file and `make services`, which starts dagster-webserver and dagster-daemon with a
PostgreSQL cluster of its own. The daemon's runs on that storage: tests/test_daemon_runs.py."""

import configparser
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import psycopg2
import pytest
import yaml
from conftest import free_port, postgres_bin
from dagster import DagsterInstance

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
UNITS = {"dagster-webserver.service": "dagster-webserver", "dagster-daemon.service": "dagster-daemon"}
START_TIMEOUT = 300  # seconds; an upper bound, the webserver answers in well under a minute


def service_env(**values) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JIXIAO_", "DAGSTER_"))}
    return env | values


def instance_home(tmp_path, url: str | None) -> subprocess.CompletedProcess:
    home = tmp_path / "dagster"
    env = service_env(DAGSTER_HOME=str(home), **({"DAGSTER_PG_URL": url} if url else {}))
    return subprocess.run([str(DEPLOY / "dagster-home.sh")], env=env, capture_output=True, text=True)


def test_instance_on_postgres_keeps_the_projects_limits(tmp_path, pg_database, monkeypatch):
    host, port, dbname = pg_database
    url = f"postgresql+psycopg2://jixiao@/{dbname}?host={host}&port={port}"  # a unix socket
    assert instance_home(tmp_path, url).returncode == 0
    monkeypatch.setenv("DAGSTER_PG_URL", url)
    with DagsterInstance.from_config(str(tmp_path / "dagster")) as instance:
        assert type(instance.run_storage).__name__ == "PostgresRunStorage"
        assert instance.get_runs_count() == 0
        limits = instance.get_concurrency_config()  # from orchestration/dagster.yaml
        assert limits.run_queue_config.max_concurrent_runs == 1
        assert limits.pool_config.default_pool_limit == 1
        # a hung run is failed (and alerted) by the daemon, a dead run's pool slot freed
        assert instance.run_monitoring_enabled and instance.run_monitoring_max_runtime_seconds == 86400
        assert instance.run_monitoring_settings["free_slots_after_run_end_seconds"] == 300
    with psycopg2.connect(host=host, port=port, user="jixiao", dbname=dbname) as con, con.cursor() as cur:
        cur.execute("SELECT count(*) FROM information_schema.tables WHERE table_name IN ('runs', 'event_logs', 'jobs')")
        assert cur.fetchone() == (3,)
    con.close()


@pytest.mark.parametrize("url, message", [
    (None, "DAGSTER_PG_URL is not set"),
    # SQLAlchemy 2.1 would look for psycopg 3 and fail with "No module named 'psycopg'"
    ("postgresql://jixiao@/dagster?host=/run/postgresql", "must start with postgresql+psycopg2://"),
])
def test_instance_without_a_usable_url_is_refused(tmp_path, url, message):
    result = instance_home(tmp_path, url)
    assert result.returncode == 1 and message in result.stderr
    assert not (tmp_path / "dagster" / "dagster.yaml").exists()


def units(tmp_path) -> list[Path]:
    """The unit files with the checkout here instead of /opt/jixiao, so that their commands exist."""
    copies = []
    for name in UNITS:
        text = (DEPLOY / "systemd" / name).read_text().replace("/opt/jixiao", str(ROOT))
        (copy := tmp_path / name).write_text(text.replace("/etc/jixiao/jixiao.env", str(DEPLOY / "jixiao.env")))
        copies.append(copy)
    return copies


def test_systemd_units(tmp_path):
    for unit in units(tmp_path):
        parsed = configparser.ConfigParser(interpolation=None, strict=True)
        parsed.optionxform = str
        parsed.read(unit)
        assert parsed.sections() == ["Unit", "Service", "Install"]
        service = parsed["Service"]
        assert service["EnvironmentFile"] == str(DEPLOY / "jixiao.env") and service["User"]
        assert service["ExecStartPre"] == str(DEPLOY / "dagster-home.sh")
        command = service["ExecStart"].split()
        assert command[0] == str(ROOT / ".venv" / "bin" / UNITS[unit.name]) and "workspace.yaml" in command
        assert os.access(command[0], os.X_OK) and os.access(service["ExecStartPre"], os.X_OK)
    if shutil.which("systemd-analyze"):  # systemd's own reading: unknown keys, commands that do not exist
        result = subprocess.run(["systemd-analyze", "verify", *map(str, units(tmp_path))], capture_output=True,
                                text=True)
        assert (result.returncode, result.stdout + result.stderr) == (0, "")


def test_environment_file_names_what_the_services_need():
    names = {line.split("=", 1)[0] for line in (DEPLOY / "jixiao.env").read_text().splitlines()
             if line and not line.startswith("#")}
    assert {"DAGSTER_HOME", "DAGSTER_PG_URL", "JIXIAO_INBOX", "JIXIAO_WAREHOUSE"} <= names


def test_compose_file():
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]
    assert {"postgres", "dagster-webserver", "dagster-daemon"} <= set(services)
    for name in UNITS.values():
        command = " ".join(services[name]["command"])
        assert "deploy/dagster-home.sh" in command and f".venv/bin/{name}" in command
        assert services[name]["environment"]["DAGSTER_PG_URL"].startswith("postgresql+psycopg2://jixiao:")
        assert (ROOT / services[name]["build"]["context"].replace("..", ".")
                / services[name]["build"]["dockerfile"]).is_file()
    assert services["dagster-webserver"]["ports"] == ["127.0.0.1:3000:3000"]


@pytest.fixture
def services():
    """`make services`' script run with a folder of its own (its PostgreSQL cluster, instance, logs),
    an empty inbox, a free port; stopped at the end whatever happened."""
    if postgres_bin() is None:
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) not installed")
    # Not under pytest's tmp folder: as root the cluster runs as the postgres user, who may not enter it
    folder = Path(tempfile.mkdtemp(prefix="jixiao-services-"))
    folder.chmod(0o755)
    (folder / "inbox").mkdir()
    env = service_env(JIXIAO_SERVICES=str(folder / "services"), JIXIAO_INBOX=str(folder / "inbox"),
                      JIXIAO_WAREHOUSE=str(folder / "warehouse" / "jixiao.duckdb"),
                      DAGSTER_WEBSERVER_PORT=str(free_port()))
    try:
        yield folder / "services", env
    finally:
        subprocess.run([str(DEPLOY / "services.sh"), "stop"], env=env, capture_output=True, timeout=300)
        if (data := folder / "services" / "postgres" / "data" / "postmaster.pid").exists():  # the stop failed
            run_as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
            subprocess.run([*run_as, str(postgres_bin() / "pg_ctl"), "-D", str(data.parent), "-m", "immediate",
                            "stop"], capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


def test_make_services_starts_and_stops_webserver_and_daemon(services):
    folder, env = services
    start = [str(DEPLOY / "services.sh"), "start"]
    result = subprocess.run(start, env=env, capture_output=True, text=True, timeout=START_TIMEOUT)
    assert result.returncode == 0, result.stdout + result.stderr
    port = env["DAGSTER_WEBSERVER_PORT"]
    assert f"Dagster UI on http://127.0.0.1:{port}" in result.stdout
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/server_info", timeout=30) as response:
        assert response.status == 200
    # the daemon keeps its heartbeats, and the inbox sensor its ticks, in the cluster's database
    cluster = folder / "postgres"
    deadline = time.monotonic() + START_TIMEOUT
    with psycopg2.connect(host=str(cluster), port=5432, user="jixiao", dbname="dagster") as con:
        con.autocommit = True
        while True:
            with con.cursor() as cur:
                cur.execute("SELECT count(*) FROM job_ticks WHERE tick_body LIKE '%\"inbox_sensor\"%'")
                if cur.fetchone()[0]:
                    break
            assert time.monotonic() < deadline, (folder / "daemon.log").read_text()[-3000:]
            time.sleep(2)
        with con.cursor() as cur:
            cur.execute("SELECT count(*) FROM daemon_heartbeats")
            assert cur.fetchone()[0] > 0
    con.close()
    # started again: nothing new is started
    again = subprocess.run(start, env=env, capture_output=True, text=True, timeout=START_TIMEOUT)
    assert again.returncode == 0 and "daemon already running" in again.stdout
    assert "webserver already running" in again.stdout
    pids = [int((folder / f"{name}.pid").read_text()) for name in ("daemon", "webserver")]

    stop = subprocess.run([str(DEPLOY / "services.sh"), "stop"], env=env, capture_output=True, text=True,
                          timeout=300)
    assert stop.returncode == 0, stop.stderr
    assert "stopped webserver" in stop.stdout and "stopped daemon" in stop.stdout
    assert f"stopped PostgreSQL in {cluster}" in stop.stdout
    for pid in pids:  # the whole process group, the daemon's code server with it
        with pytest.raises(ProcessLookupError):
            os.killpg(pid, 0)
    assert not (cluster / "data" / "postmaster.pid").exists()
