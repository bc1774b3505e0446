"""End-to-end ingest at scale: ``jixiao run`` on synthetic corpora of 100, 1000 and 10000 reports.

    .venv/bin/python bench/ingest_scale.py [--sizes 100,1000,10000] [--keep DIR] [--seed S]
                                           [--extract-reports 1000]

For each size: generates the corpus (bench/synthetic_corpus.py) into a fresh folder, runs
``jixiao run --inbox <corpus> --warehouse <folder>/w.duckdb`` with JIXIAO_EXTRACT_JOBS=2 and times
it, then runs the same command again on the unchanged inbox (the no-op nightly run), then counts
raw.reports and marts.fct_indicator in the warehouse. CPU seconds (user + system of all the
processes) next to wall seconds tell a slow run from a machine busy with other work. Peak memory is given twice: the largest single
process (ru_maxrss of the children of a wrapper process, as bench/extract_accuracy.py measures it)
and the largest sum of the resident memory of the whole process tree, sampled from /proc every
0.5 s (shared pages count once per process, and a peak shorter than 0.5 s can be missed). Last, the
pages per second (and per core) of ``jixiao extract --jobs 1`` and ``--jobs 2`` on the
--extract-reports corpus, output to /dev/null.

Relies only on the ``jixiao run`` / ``jixiao extract`` command lines and the tables raw.reports and
marts.fct_indicator. Each run's stdout and stderr are kept in the size's folder (``--keep DIR`` keeps
the folders: DIR/n<N>/{inbox,w.duckdb,run1.err,...}; otherwise they are deleted after each size).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from synthetic_corpus import generate  # noqa: E402

# The console script beside this interpreter, or the same entry point as a module.
_SCRIPT = Path(sys.executable).parent / "jixiao"
JIXIAO = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "extract.cli"]

# Runs the command with its output sent to files, then reports its exit code, the peak resident
# memory (KB) of the largest process among all of its waited-for descendants and their CPU seconds.
PROBE = ("import resource, subprocess, sys\n"
         "with open(sys.argv[1], 'wb') as out, open(sys.argv[2], 'wb') as err:\n"
         "    rc = subprocess.run(sys.argv[3:], stdout=out, stderr=err).returncode\n"
         "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
         "print(rc, u.ru_maxrss, u.ru_utime + u.ru_stime)\n")
PAGE = os.sysconf("SC_PAGE_SIZE")


def tree_rss(root: int) -> dict[int, int]:
    """Bytes resident in each descendant of ``root`` (``root`` itself left out)."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                stat = Path(entry.path, "stat").read_text()
            except OSError:
                continue
            ppid = int(stat[stat.rindex(")") + 2:].split()[1])
            children.setdefault(ppid, []).append(int(entry.name))
    rss, todo = {}, list(children.get(root, []))
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        try:
            rss[pid] = int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
        except (OSError, IndexError, ValueError):
            pass
    return rss


def command_of(pid: int) -> str:
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return "?"
    return " ".join(Path(a.decode(errors="replace")).name for a in argv[:3] if a)


def measured(command: list[str], out: Path, err: Path, env: dict) -> dict:
    """Wall seconds, exit code, largest-process peak MB, whole-tree peak MB and CPU seconds (user +
    system of every process) of ``command``. Each sample of the tree goes to ``out``.memory.tsv
    (seconds, tree MB, then MB, pid and command of its largest process; forked workers share their
    parent's command, not its pid): which step holds the memory."""
    proc = subprocess.Popen([sys.executable, "-c", PROBE, str(out), str(err), *command], cwd=ROOT,
                            env=env, stdout=subprocess.PIPE, text=True)
    start = time.perf_counter()
    peak, done = [0], threading.Event()

    def sample() -> None:
        with open(out.with_suffix(".memory.tsv"), "w") as timeline:
            while not done.wait(0.5):
                rss = tree_rss(proc.pid)
                if rss:
                    pid = max(rss, key=rss.get)
                    timeline.write(f"{time.perf_counter() - start:.1f}\t{sum(rss.values()) / 2 ** 20:.0f}\t"
                                   f"{rss[pid] / 2 ** 20:.0f}\t{pid}\t{command_of(pid)}\n")
                peak[0] = max(peak[0], sum(rss.values()))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout = proc.communicate()[0]
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    try:
        rc, maxrss, cpu = stdout.split()[-3:]
        rc, maxrss, cpu = int(rc), int(maxrss), float(cpu)
    except ValueError:  # the wrapper itself failed (its traceback is on stderr)
        rc, maxrss, cpu = proc.returncode or -1, 0, 0.0
    return {"seconds": seconds, "rc": rc, "largest_mb": maxrss / 1024, "tree_mb": peak[0] / 2 ** 20,
            "cpu": cpu}


def env_for_runs() -> dict:
    env = dict(os.environ, JIXIAO_EXTRACT_JOBS="2")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def counts(warehouse: Path) -> tuple[int | None, int | None]:
    import duckdb

    try:
        with duckdb.connect(str(warehouse), read_only=True) as con:
            return tuple(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                         for t in ("raw.reports", "marts.fct_indicator"))
    except Exception as exc:  # a failed run may leave no tables
        print(f"  cannot count rows in {warehouse}: {exc}", file=sys.stderr)
        return None, None


def failure(result: dict, err: Path) -> str:
    tail = err.read_text(errors="replace").strip().splitlines()[-15:] if err.exists() else []
    return f"exit code {result['rc']}; last lines of {err}:\n    " + "\n    ".join(tail)


def log(text: str) -> None:
    load = " ".join(f"{v:.2f}" for v in os.getloadavg())
    print(f"[{time.strftime('%H:%M:%S')} load {load}] {text}", file=sys.stderr, flush=True)


def scale_run(n: int, folder: Path, seed: int) -> dict:
    inbox, warehouse = folder / "inbox", folder / "w.duckdb"
    log(f"{n} reports: generating the corpus in {inbox}")
    corpus = generate(n, inbox, seed)
    log(f"  {corpus['documents']} documents, {corpus['pages']} pages in {corpus['seconds']:.0f} s")
    row = {"n": n, "corpus": corpus, "inbox": inbox, "failures": []}
    command = [*JIXIAO, "run", "--inbox", str(inbox), "--warehouse", str(warehouse)]
    for name in ("run1", "run2"):
        log(f"  {name}: {' '.join(command)}")
        result = measured(command, folder / f"{name}.out", folder / f"{name}.err", env_for_runs())
        log(f"  {name}: {result['seconds']:.0f} s ({result['cpu']:.0f} CPU s), exit {result['rc']}, largest process "
            f"{result['largest_mb']:.0f} MB, tree {result['tree_mb']:.0f} MB")
        row[name] = result
        if result["rc"] != 0:
            row["failures"].append(f"{n} reports, {name}: {failure(result, folder / f'{name}.err')}")
            break
    row["reports_rows"], row["indicator_rows"] = counts(warehouse)
    return row


def extract_speed(inbox: Path, pages: int, folder: Path) -> list[str]:
    files = sorted(str(p) for p in inbox.glob("*.pdf"))
    lines = [f"jixiao extract on the {len(files)} PDFs, {pages} pages of {inbox} "
             "(whole processes, start-up included, output to /dev/null):"]
    for jobs in (1, 2):
        log(f"extract --jobs {jobs} on {len(files)} PDFs")
        r = measured([*JIXIAO, "extract", "--jobs", str(jobs), *files], Path(os.devnull),
                     folder / f"extract{jobs}.err", env_for_runs())
        note = "" if r["rc"] == 0 else f"  (exit code {r['rc']}: see {folder / f'extract{jobs}.err'})"
        lines.append(f"  --jobs {jobs}: {r['seconds']:7.1f} s  {pages / r['seconds']:6.1f} pages/s  "
                     f"{pages / r['seconds'] / jobs:6.1f} pages/s/core  ({pages / r['cpu']:.1f} pages per CPU "
                     f"second)  largest process {r['largest_mb']:.0f} MB, tree {r['tree_mb']:.0f} MB{note}")
    return lines


def table(rows: list[dict]) -> str:
    head = ("| reports | documents | pages | first run s | s / 1000 reports | first run CPU s "
            "| peak MB largest / tree | no-op run s | raw.reports | marts.fct_indicator |\n|" + "---:|" * 10)
    out = [head]
    for r in rows:
        c, one, two = r["corpus"], r.get("run1"), r.get("run2")
        first = (f"{one['seconds']:.0f}" + ("" if one["rc"] == 0 else " FAILED")) if one else "-"
        per = f"{one['seconds'] / c['reports'] * 1000:.0f}" if one and one["rc"] == 0 else "-"
        peak = f"{max(one['largest_mb'], two['largest_mb'] if two else 0):.0f} / " \
               f"{max(one['tree_mb'], two['tree_mb'] if two else 0):.0f}" if one else "-"
        noop = (f"{two['seconds']:.0f}" + ("" if two["rc"] == 0 else " FAILED")) if two else "-"
        cpu = f"{one['cpu']:.0f}" if one else "-"
        out.append(f"| {c['reports']} | {c['documents']} | {c['pages']} | {first} | {per} | {cpu} | {peak} | {noop} "
                   f"| {r['reports_rows'] if r['reports_rows'] is not None else '-'} "
                   f"| {r['indicator_rows'] if r['indicator_rows'] is not None else '-'} |")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,10000", help="report counts, comma-separated")
    parser.add_argument("--keep", type=Path, help="keep corpora, warehouses and logs in DIR/n<N>/")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--extract-reports", type=int, default=1000,
                        help="corpus size for the extraction speed (0: skip; default 1000)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    log(f"{os.cpu_count()} CPUs; jixiao = {' '.join(JIXIAO)}")

    rows, speed = [], []
    for n in sizes:
        temp = None
        if args.keep:
            folder = args.keep / f"n{n}"
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
        else:
            temp = tempfile.TemporaryDirectory(prefix=f"jixiao-bench-{n}-")
            folder = Path(temp.name)
        try:
            rows.append(scale_run(n, folder, args.seed))
            if n == args.extract_reports:
                speed = extract_speed(rows[-1]["inbox"], rows[-1]["corpus"]["pages"], folder)
        finally:
            if temp:
                temp.cleanup()
    if args.extract_reports and args.extract_reports not in sizes:
        with tempfile.TemporaryDirectory(prefix="jixiao-bench-extract-") as temp:
            corpus = generate(args.extract_reports, Path(temp) / "inbox", args.seed)
            speed = extract_speed(Path(temp) / "inbox", corpus["pages"], Path(temp))

    print(table(rows))
    for r in rows:
        c = r["corpus"]
        print(f"  {c['reports']} reports: corpus of {c['documents']} PDFs ({c['targets']} target tables) "
              f"generated in {c['seconds']:.0f} s")
    print("\n".join(["", *speed]))
    failures = [f for r in rows for f in r["failures"]]
    if failures:
        print("\nFAILED:\n" + "\n".join(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
