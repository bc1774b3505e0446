"""Shared fixtures: the sample documents run once through the whole pipeline."""

import contextlib
import glob
import hashlib
import importlib.util
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def render():
    """samples/build/render_pdf.py, the renderer of the sample publications, fonts registered."""
    spec = importlib.util.spec_from_file_location("render_pdf", ROOT / "samples" / "build" / "render_pdf.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("render_pdf", module)  # dataclasses look their module up
    spec.loader.exec_module(module)
    module.register_font()
    return module


def run_pipeline(inbox: Path, warehouse: Path) -> str:
    """`jixiao run --inbox … --warehouse …` in this process; returns what it printed."""
    from orchestration.run import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["--inbox", str(inbox), "--warehouse", str(warehouse)]) == 0
    return out.getvalue()


def query(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


MARTS = ["dim_department", "dim_office", "dim_project", "dim_fiscal_year", "dim_indicator",
         "fct_funding", "fct_indicator", "fct_score", "fct_target_indicator", "fct_project_budget",
         "fct_spend_plan", "mart_office_year", "mart_department_year", "mart_project_scorecard",
         "mart_indicator_quality", "mart_target_vs_actual", "quarantined_documents", "dq_findings",
         "mart_dq_office_year"]


def mart_hashes(warehouse: Path, inbox: Path | None = None) -> dict[str, str]:
    """A content hash of every mart (rows sorted; when findings were seen left out; the inbox
    folder, when given, written as <inbox> so that two inboxes of the same files compare equal)."""
    hashes = {}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for table in MARTS:
            columns = [c for (c,) in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = 'marts' "
                "AND table_name = ? AND column_name NOT IN ('first_seen', 'last_seen') ORDER BY ordinal_position",
                [table]).fetchall()]
            rows = con.execute(f"SELECT {', '.join(columns)} FROM marts.{table} ORDER BY ALL").fetchall()
            text = repr(rows).replace(str(inbox), "<inbox>") if inbox else repr(rows)
            hashes[table] = hashlib.sha256(text.encode()).hexdigest()
    return hashes


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """The sample PDFs and one broken file in an inbox, run through `jixiao run` once."""
    inbox = tmp_path_factory.mktemp("inbox")
    for pdf in (ROOT / "samples").glob("*.pdf"):
        shutil.copy(pdf, inbox / pdf.name)
    (inbox / "broken.pdf").write_bytes(b"%PDF-1.4 this is not really a PDF")
    warehouse = tmp_path_factory.mktemp("warehouse") / "jixiao.duckdb"
    return inbox, warehouse, run_pipeline(inbox, warehouse)


def build_from_records(documents: dict[str, list[dict]], warehouse: Path, target: Path) -> None:
    """Load contract records straight into the raw tables, then a real `dbt build` on them.

    For model tests that need reports the sample PDFs do not hold (all 109 seed reports, a target
    table and a self-evaluation of one project, another jurisdiction's spellings).
    """

    from extract.load import Document, connect, load_document

    with connect(warehouse) as con:
        for name, records in documents.items():
            records = [dict(r, source={"file": name, "sha256": "", "pages": [i, i]})
                       for i, r in enumerate(records, start=1)]
            sha256 = hashlib.sha256(json.dumps(records, ensure_ascii=False).encode()).hexdigest()
            load_document(con, Document(name, sha256, records), "test")
    # A child process: dbt-duckdb keeps its connection open in the process that ran it.
    project = ROOT / "dbt_project"
    result = subprocess.run(
        [str(Path(sys.executable).parent / "dbt"), "build", "--quiet", "--project-dir", str(project),
         "--profiles-dir", str(project), "--target-path", str(target), "--log-path", str(target)],
        env={**os.environ, "JIXIAO_WAREHOUSE": str(warehouse)}, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def transcribed(name: str) -> list[dict]:
    """Records transcribed by hand from ../shared/seeds (samples/records), without their seed numbers."""

    with open(ROOT / "samples" / "records" / name, encoding="utf-8") as fh:
        return [{k: v for k, v in json.loads(line).items() if k != "seed_report"} for line in fh]


@pytest.fixture(scope="session")
def seed_warehouse(tmp_path_factory) -> Path:
    """All 109 seed self-evaluations and 15 target tables, as transcribed, built into the marts."""
    folder = tmp_path_factory.mktemp("seeds")
    warehouse = folder / "jixiao.duckdb"
    build_from_records({"selfeval_dahongmen_2023": transcribed("selfeval_dahongmen_2023.jsonl"),
                        "targets_yanshanlu_2024": transcribed("targets_yanshanlu_2024.jsonl")},
                       warehouse, folder / "dbt_target")
    return warehouse


@contextlib.contextmanager
def webhook(path: str = "/hook"):
    """(Apprise json:// url, bodies received) of a webhook served on loopback while in the block."""
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"json://127.0.0.1:{server.server_port}{path}", received
    finally:
        server.shutdown()


# A throwaway PostgreSQL server (Debian's postgresql package, `make system`), shared by the tests that
# build the warehouse there or keep Dagster's instance in it.
def postgres_bin() -> Path | None:
    found = shutil.which("initdb") or next(iter(sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))), None)
    return Path(found).resolve().parent if found else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def server():
    """(socket dir, port) of a PostgreSQL server that lives as long as the test session."""
    bindir = postgres_bin()
    if bindir is None:
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) not installed")
    # Not under pytest's tmp folder: when we are root the server runs as the postgres user
    # (initdb refuses root), who may not enter it.
    folder = Path(tempfile.mkdtemp(prefix="jixiao-pg-"))
    run_as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if run_as:
        shutil.chown(folder, "postgres")
    port = free_port()
    subprocess.run([*run_as, str(bindir / "initdb"), "-D", str(folder / "data"), "--auth=trust",
                    "-U", "jixiao", "-E", "UTF8", "--locale=C.UTF-8"], check=True, capture_output=True)
    subprocess.run([*run_as, str(bindir / "pg_ctl"), "-D", str(folder / "data"), "-w", "-l",
                    str(folder / "log"), "-o", f"-k {folder} -p {port} -c listen_addresses=''", "start"],
                   check=True, capture_output=True)
    try:
        yield str(folder), port
    finally:
        subprocess.run([*run_as, str(bindir / "pg_ctl"), "-D", str(folder / "data"), "-m", "immediate",
                        "stop"], capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def pg_database(server, request):
    """A new, empty database on the session's PostgreSQL server, named after the test:
    (host, port, dbname)."""
    import psycopg2

    host, port = server
    name = "t_" + hashlib.sha256(request.node.nodeid.encode()).hexdigest()[:12]
    admin = psycopg2.connect(host=host, port=port, user="jixiao", dbname="postgres")
    admin.autocommit = True
    admin.cursor().execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    admin.cursor().execute(f"CREATE DATABASE {name}")
    admin.close()
    return host, port, name
