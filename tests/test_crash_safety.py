"""Crash safety and readers: `jixiao run` killed with SIGKILL during extraction, during the raw load,
during dbt and while publishing; the next run completes with marts identical to a clean run, and a
reader holding the published copy open is never blocked nor shown a half-built warehouse.

Real processes, real PDFs, a real DuckDB file, real dbt: each crash is a SIGKILL of the whole
process group (Dagster, its parse workers, dbt) at the named stage.
"""

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
from conftest import mart_hashes

ROOT = Path(__file__).resolve().parent.parent

# inside the transaction that loads the self-evaluation document: its rows written, not committed.
# The writer is a process of its own (orchestration/isolation.py): this is its sitecustomize, and it
# kills the whole run (the process group), as the machine would.
DURING_LOAD = """
import os, signal
try:
    import extract.load as load
except ImportError:  # dbt's processes
    load = None
if load is not None:
    insert = load._insert
    def _insert(con, table, columns, rows):
        insert(con, table, columns, rows)
        if table == "indicators" and rows:
            os.killpg(os.getpgid(0), signal.SIGKILL)
    load._insert = _insert
"""
# half of the published copy written, in the step's own process (a sitecustomize too): the whole run killed
DURING_PUBLISH = """
import os, shutil, signal
copy = shutil.copyfileobj
def copyfileobj(src, dst, length=0):
    if not str(getattr(dst, "name", "")).endswith(".tmp"):  # another copy than the published one
        return copy(src, dst, length) if length else copy(src, dst)
    dst.write(src.read(1 << 20)); dst.flush()
    os.killpg(os.getpgid(0), signal.SIGKILL)
shutil.copyfileobj = copyfileobj
"""


def jixiao_run(inbox: Path, warehouse: Path, kill_on: str | None = None, site: str = "") -> int:
    """`jixiao run` in its own process group; SIGKILL to the group when a log line matches ``kill_on``.
    ``site``: code run first in every Python process of the run (the step processes too), as their
    sitecustomize, to kill the run at an exact point."""
    command = [sys.executable, "-m", "extract.cli", "run", "--inbox", str(inbox), "--warehouse", str(warehouse)]
    env = {**os.environ, "JIXIAO_EXTRACT_JOBS": "1"}
    if site:
        folder = inbox.parent / "site"
        folder.mkdir(exist_ok=True)
        (folder / "sitecustomize.py").write_text(site)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(folder), str(ROOT), env.get("PYTHONPATH")]))
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               text=True, start_new_session=True, env=env)
    log = []
    for line in process.stderr:
        log.append(line)
        if kill_on and re.search(kill_on, line):
            os.killpg(process.pid, signal.SIGKILL)
            break
    process.stderr.close()
    code = process.wait()
    if kill_on or site:
        assert code == -signal.SIGKILL, "".join(log[-20:])
        wait_until_gone(process.pid)  # the workers and dbt, killed with it, hold no lock any more
    else:
        assert code == 0, "".join(log[-20:])
    return code


def wait_until_gone(group: int) -> None:
    """Until no process of the group is left but zombies (which hold no files), however long the
    machine takes to tear them down."""
    def alive() -> bool:
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:  # gone meanwhile
                continue
            if int(fields[2]) == group and fields[0] != "Z":
                return True
        return False

    deadline = time.monotonic() + 300  # only a hung teardown gets here; it fails, never decides
    while alive():
        assert time.monotonic() < deadline, f"process group {group} still running after SIGKILL"
        time.sleep(0.05)


def value(path: Path, sql: str) -> str:
    """One value from a DuckDB file, as a new reader sees it: in another process (within one process,
    DuckDB hands a new connection the database instance already open on that path)."""
    script = "import duckdb, sys; print(duckdb.connect(sys.argv[1], read_only=True).execute(sys.argv[2]).fetchone()[0])"
    return subprocess.run([sys.executable, "-c", script, str(path), sql], check=True,
                          capture_output=True, text=True).stdout.strip()


def reports(path: Path) -> int:
    return int(value(path, "SELECT count(*) FROM raw.reports"))


def test_killed_runs_leave_nothing_half_written(built, tmp_path):
    """One inbox, a first good run, then a new document and four runs killed one after the other
    (each recovering from the last), then a run that completes."""
    inbox, warehouse = tmp_path / "inbox", tmp_path / "w.duckdb"
    published = tmp_path / "published" / "w.duckdb"
    inbox.mkdir()
    shutil.copy(ROOT / "samples" / "targets_yanshanlu_2024.pdf", inbox)
    shutil.copy(built[0] / "broken.pdf", inbox)
    jixiao_run(inbox, warehouse)
    assert reports(published) == 15

    reader = duckdb.connect(str(published), read_only=True)  # an analyst's session, open all along
    shutil.copy(ROOT / "samples" / "selfeval_dahongmen_2023.pdf", inbox)
    crashes = {
        "during extraction": dict(kill_on=r"reading 1 of 3 documents"),
        "during the raw load": dict(site=DURING_LOAD),
        "during dbt": dict(kill_on=r"\b60 of \d+ (START|OK|PASS)"),
        "while publishing": dict(site=DURING_PUBLISH),
    }
    for name, how in crashes.items():
        jixiao_run(inbox, warehouse, **how)
        # readers see the last good copy, whole, whatever the writer was doing
        assert reports(published) == 15, name
        assert reader.execute("SELECT count(*) FROM marts.fct_target_indicator").fetchone()[0] == 90, name
        if name == "during the raw load":  # the document's transaction never committed
            assert reports(warehouse) == 15
        if name == "while publishing":  # the writer's record of the run does not claim it published
            assert value(warehouse, "SELECT outcome FROM raw.ingestion_runs ORDER BY started_at DESC LIMIT 1") \
                == "publishing"

    jixiao_run(inbox, warehouse)  # not blocked by the open reader
    assert reports(published) == 55
    assert reader.execute("SELECT count(*) FROM raw.reports").fetchone()[0] == 15  # its own copy, whole
    reader.close()
    assert not list(published.parent.glob(".*.tmp"))  # the half-written copy is gone
    clean = mart_hashes(built[1], inbox=built[0])
    assert mart_hashes(published, inbox=inbox) == clean
    assert mart_hashes(warehouse, inbox=inbox) == clean
