"""The warehouse side at scale: ``jixiao run`` on 1 000 to 100 000 reports replayed from result files.

    .venv/bin/python bench/replay_scale.py [--sizes 1000,10000,100000] [--keep DIR] [--seed S]

Rendering and reading 100 000 reports would take days on two cores; the extraction's cost per
report is measured by bench/ingest_scale.py. Here each synthetic document (bench/synthetic_corpus.py
``plan``: the same records the PDFs would be drawn from) is a small stand-in file in the inbox and a
content-addressed extraction result (extract/results.py) under its sha256, so that ``jixiao run``
finds every document already read, and loads, builds, checks and publishes as in production. Per
size: the run's wall and CPU seconds, the peak resident memory of the run process itself (its
VmHWM, read from /proc every 0.5 s) and of the largest process, the seconds of each step (from
Dagster's log), and the warehouse's size.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from ingest_scale import JIXIAO, PROBE, counts, env_for_runs, log  # noqa: E402
from synthetic_corpus import planned  # noqa: E402

from extract.document import Document  # noqa: E402
from extract.pipeline import sha256_of  # noqa: E402
from extract.results import reader_version, write_result  # noqa: E402


def write_corpus(n: int, inbox: Path, results: Path, seed: int) -> dict:
    """A stand-in file and a result file per planned document."""
    start = time.perf_counter()
    inbox.mkdir(parents=True)
    documents = 0
    for doc in planned(n, seed):
        documents += 1
        path = inbox / f"{doc['name']}.pdf"
        path.write_bytes(b"%PDF-1.7\n% jixiao replay " + doc["name"].encode() + b"\n%%EOF\n")
        sha = sha256_of(path)
        records = [{**record, "source": {"file": path.name, "sha256": sha, "pages": [i, i]}}
                   for i, record in enumerate(doc["records"], 1)]
        write_result(str(results), Document(path.name, sha, records), "replay")
    return {"documents": documents, "reports": n,
            "seconds": time.perf_counter() - start}


def run_process_peak(wrapper: int, done: threading.Event, peak: list, timeline: Path) -> None:
    """The VmHWM (peak resident KB) of the wrapper's child, the run process, until ``done``; its
    resident MB every 0.5 s go to ``timeline`` (seconds, MB), to be set beside the steps' times."""
    start = time.perf_counter()
    with open(timeline, "w") as out:
        while not done.wait(0.5):
            for entry in os.scandir("/proc"):
                if not entry.name.isdigit():
                    continue
                try:
                    status = Path(entry.path, "status").read_text()
                except OSError:
                    continue
                if re.search(rf"^PPid:\s+{wrapper}$", status, re.M):
                    hwm, rss, anon = (re.search(rf"^{field}:\s+(\d+) kB", status, re.M)
                                      for field in ("VmHWM", "VmRSS", "RssAnon"))
                    if hwm and rss and anon:
                        peak[0] = max(peak[0], int(hwm.group(1)))
                        peak[1] = max(peak[1], int(anon.group(1)))
                        out.write(f"{time.strftime('%H:%M:%S')}\t{time.perf_counter() - start:.1f}\t"
                                  f"{int(rss.group(1)) // 1024}\t{int(anon.group(1)) // 1024}\n")


LINE = re.compile(r"^(\S+ \S+ [+-]\d{4}) - dagster - \w+ - \S+ - [0-9a-f-]{36} - (?:\d+ - )?([\w.\[\]]+) - ", re.M)


def step_seconds(log_text: str) -> dict[str, float]:
    """Per Dagster step, the seconds from its first to its last line in the run's log."""
    spans = {}
    for stamp, step in LINE.findall(log_text):
        when = datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S %z").timestamp()
        first, _ = spans.get(step, (when, when))
        spans[step] = (first, when)
    return {step: last - first for step, (first, last) in spans.items()}


def replay(n: int, folder: Path, seed: int) -> dict:
    inbox, results, warehouse = folder / "inbox", folder / "results", folder / "w.duckdb"
    for built in (warehouse, folder / "published", folder / "dagster", folder / "dq_docs"):  # an earlier --keep's
        shutil.rmtree(built) if built.is_dir() else built.unlink(missing_ok=True)
    if any(results.glob(f"*.{reader_version()}.jsonl.gz")):  # --reuse, and the reader is the same
        corpus = {"documents": sum(1 for _ in inbox.iterdir()), "reports": n, "seconds": 0.0}
    else:
        shutil.rmtree(inbox, ignore_errors=True)
        shutil.rmtree(results, ignore_errors=True)
        corpus = write_corpus(n, inbox, results, seed)
    log(f"{n} reports: {corpus['documents']} documents replayed from results, written in {corpus['seconds']:.0f} s")
    # as `make run` runs it: a Dagster home (event log on disk), not an ephemeral instance in memory
    home = folder / "dagster"
    home.mkdir()
    shutil.copy(ROOT / "orchestration" / "dagster.yaml", home)
    env = {**env_for_runs(), "JIXIAO_RESULTS": str(results), "DAGSTER_HOME": str(home)}
    command = [*JIXIAO, "run", "--inbox", str(inbox), "--warehouse", str(warehouse)]
    out, err = folder / "run.out", folder / "run.err"
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", PROBE, str(out), str(err), *command], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, text=True)
    peak, done = [0, 0], threading.Event()
    sampler = threading.Thread(target=run_process_peak, args=(proc.pid, done, peak, folder / "run.memory.tsv"), daemon=True)
    sampler.start()
    rc, largest, cpu = proc.communicate()[0].split()[-3:]
    done.set()
    sampler.join()
    row = {"n": n, "corpus": corpus, "rc": int(rc), "seconds": time.perf_counter() - start,
           "cpu": float(cpu), "largest_mb": int(largest) / 1024, "run_mb": peak[0] / 1024, "run_anon_mb": peak[1] / 1024,
           "steps": step_seconds(err.read_text(errors="replace") + out.read_text(errors="replace")),
           "warehouse_mb": warehouse.stat().st_size / 2 ** 20 if warehouse.exists() else 0}
    row["reports_rows"], row["indicator_rows"] = counts(warehouse)
    log(f"  {row['seconds']:.0f} s ({row['cpu']:.0f} CPU s), exit {rc}, run process {row['run_mb']:.0f} MB "
        f"({row['run_anon_mb']:.0f} MB anonymous), "
        f"largest {row['largest_mb']:.0f} MB; steps: "
        + ", ".join(f"{k} {v:.0f} s" for k, v in sorted(row["steps"].items(), key=lambda kv: -kv[1])[:8]))
    return row


def load_only(n: int, folder: Path, seed: int) -> None:
    """The raw load alone, in this process (extract/load.py, as the ingest calls it): its seconds and
    this process's peak memory, then ``dbt build -s +int_report_units`` (seeds and models, no tests) on the result (its own target
    folder), so that bench/report_units_scale.py can time the model on it."""
    from extract.load import connect, load_document

    warehouse, start, done = folder / "w.duckdb", time.perf_counter(), 0
    with connect(warehouse) as con:
        for doc in planned(n, seed):
            sha = hashlib.sha256(doc["name"].encode()).hexdigest()
            records = [{**record, "source": {"file": f"{doc['name']}.pdf", "sha256": sha, "pages": [i, i]}}
                       for i, record in enumerate(doc["records"], 1)]
            done += load_document(con, Document(f"{doc['name']}.pdf", sha, records), "replay")
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    log(f"{n} reports: {done} loaded in {seconds:.0f} s ({seconds / done * 1000:.1f} ms a report), "
        f"this process's peak {peak} MB")
    start = time.perf_counter()
    env = {**os.environ, "JIXIAO_WAREHOUSE": str(warehouse), "DBT_LOG_PATH": str(folder / "dbt-logs")}
    project = ROOT / "dbt_project"
    rc = subprocess.run([str(Path(sys.executable).parent / "dbt"), "build", "-q", "-s", "+int_report_units",
                         "--exclude-resource-type", "test", "--exclude-resource-type", "unit_test",
                         "--project-dir", str(project), "--profiles-dir", str(project),
                         "--target-path", str(folder / "dbt-target")], env=env).returncode
    log(f"  dbt build -s +int_report_units (no tests): {time.perf_counter() - start:.0f} s, exit {rc}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--keep", type=Path, help="keep each size's folder in DIR/r<N>/")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--reuse", action="store_true", help="with --keep: replay the corpus already in DIR/r<N>/")
    parser.add_argument("--load-only", action="store_true",
                        help="load the records straight into DIR/l<N>/w.duckdb and build up to int_report_units")
    args = parser.parse_args(argv)
    if args.load_only:
        for n in (int(s) for s in args.sizes.split(",")):
            folder = (args.keep or Path(tempfile.mkdtemp(prefix="jixiao-load-"))) / f"l{n}"
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            load_only(n, folder, args.seed)
        return 0
    rows = []
    for n in (int(s) for s in args.sizes.split(",")):
        if args.keep:
            folder = args.keep / f"r{n}"
            if not args.reuse:
                shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True, exist_ok=True)
            rows.append(replay(n, folder, args.seed))
        else:
            with tempfile.TemporaryDirectory(prefix=f"jixiao-replay-{n}-") as temp:
                rows.append(replay(n, Path(temp), args.seed))
    print("| reports | documents | run s | CPU s | run process peak MB (anonymous) | largest process MB | raw.reports "
          "| marts.fct_indicator | warehouse MB | slowest steps (s) |\n|" + "---:|" * 9 + "---|")
    for r in rows:
        steps = ", ".join(f"{k} {v:.0f}" for k, v in sorted(r["steps"].items(), key=lambda kv: -kv[1])[:5])
        print(f"| {r['n']} | {r['corpus']['documents']} | {r['seconds']:.0f}{'' if r['rc'] == 0 else ' FAILED'} "
              f"| {r['cpu']:.0f} | {r['run_mb']:.0f} ({r['run_anon_mb']:.0f}) | {r['largest_mb']:.0f} | {r['reports_rows']} "
              f"| {r['indicator_rows']} | {r['warehouse_mb']:.0f} | {steps} |")
    return 0 if all(r["rc"] == 0 for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
