"""Extraction accuracy and speed on the committed document sets (samples/eval/sets.json).

Prints, per set, field-level precision, recall and F1 by field group (compared by the set's rule,
see extract/evaluation.py), then pages per second of ``jixiao extract`` with --jobs 1 and 2 next to
a naive pdfplumber loop (``extract_tables()`` + ``extract_text()`` per page) on the same PDFs, all
measured in this one run. With ``--repeat N`` each command runs N times, in turns, and the fastest
run counts (other work on the machine only ever slows a run down).

    .venv/bin/python bench/extract_accuracy.py [--repeat N] [SET_NAME ...]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extract.evaluation import as_labelled, comparable, expected_records, f1, load_sets, score  # noqa: E402
from extract.pipeline import extract_file  # noqa: E402

def page_count(paths: list[Path]) -> int:
    import pdfplumber

    total = 0
    for path in paths:
        if path.suffix == ".pdf":
            with pdfplumber.open(path) as pdf:
                total += len(pdf.pages)
    return total


NAIVE_LOOP = ("import sys, pdfplumber\n"
              "for f in sys.argv[1:]:\n"
              "    with pdfplumber.open(f) as pdf:\n"
              "        for p in pdf.pages:\n"
              "            p.extract_tables(); p.extract_text(); p.close()\n")


def measured(command: list[str]) -> tuple[float, float]:
    """Wall seconds of a whole command, and the peak resident memory (MB) of its largest process.

    The command runs under a fresh Python parent so that the peak covers its processes only
    (workers included: every child is waited for).
    """
    probe = ("import resource, subprocess, sys\n"
             "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)\n"
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n")
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", probe, *command], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout
    return time.perf_counter() - start, int(out.split()[-1]) / 1024


def fastest(commands: dict[str, list[str]], repeat: int) -> dict[str, tuple[float, float]]:
    """(fastest seconds, largest peak MB) of each command over ``repeat`` rounds; the commands take
    turns, so that a burst of other work on the machine slows one run of each, not all runs of one."""
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(repeat):
        for name, command in commands.items():
            runs[name].append(measured(command))
    return {name: (min(t for t, _ in r), max(m for _, m in r)) for name, r in runs.items()}


def main(names: list[str], repeat: int = 1) -> None:
    sets = [s for s in load_sets() if not names or s["name"] in names]
    print(f"{'set':34} {'group':18} {'precision':>9} {'recall':>7} {'F1':>7} {'fields':>7}")
    by_family: dict[str, list[int]] = {}
    for doc_set in sets:
        result = extract_file(ROOT / doc_set["document"])
        want = [comparable(r, doc_set["compare"]) for r in expected_records(doc_set)]
        got = [comparable(r, doc_set["compare"]) for r in result.records]
        got = [as_labelled(g, w) for g, w in zip(got, want)] + got[len(want):]
        totals = [0, 0, 0]
        for group, counts in sorted(score(want, got).items()):
            p, r, f = f1(*counts)
            totals = [a + b for a, b in zip(totals, counts)]
            print(f"{doc_set['name']:34} {group:18} {p:9.4f} {r:7.4f} {f:7.4f} {counts[0] + counts[2]:7d}")
        p, r, f = f1(*totals)
        print(f"{doc_set['name']:34} {'ALL':18} {p:9.4f} {r:7.4f} {f:7.4f} {totals[0] + totals[2]:7d}\n")
        family = by_family.setdefault(doc_set["family"], [0, 0, 0])
        by_family[doc_set["family"]] = [a + b for a, b in zip(family, totals)]
    print(f"{'template family':34} {'':18} {'precision':>9} {'recall':>7} {'F1':>7} {'fields':>7}")
    for family, counts in sorted(by_family.items()):
        p, r, f = f1(*counts)
        print(f"{family:34} {'ALL':18} {p:9.4f} {r:7.4f} {f:7.4f} {counts[0] + counts[2]:7d}")
    print()
    documents = [ROOT / s["document"] for s in sets if s["document"].endswith(".pdf")]
    pages = page_count(documents)
    files = [str(p) for p in documents]
    (naive, naive_rss), (one, one_rss), (two, two_rss) = fastest({
        "naive": [sys.executable, "-c", NAIVE_LOOP, *files],
        "jobs 1": [sys.executable, "-m", "extract.cli", "extract", "--jobs", "1", *files],
        "jobs 2": [sys.executable, "-m", "extract.cli", "extract", "--jobs", "2", *files],
    }, repeat).values()
    runs = f", fastest of {repeat} runs each" if repeat > 1 else ""
    print(f"speed on {len(documents)} PDFs, {pages} pages (whole processes, start-up included{runs}):")
    print(f"  naive pdfplumber loop        {pages / naive:6.1f} pages/s")
    print(f"  jixiao extract --jobs 1      {pages / one:6.1f} pages/s")
    print(f"  jixiao extract --jobs 2      {pages / two:6.1f} pages/s  ({one / two:.2f}x --jobs 1)")
    print(f"peak resident memory of the largest process: naive loop {naive_rss:.0f} MB, "
          f"--jobs 1 {one_rss:.0f} MB, --jobs 2 {two_rss:.0f} MB")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="*", metavar="SET_NAME")
    parser.add_argument("--repeat", type=int, default=1, help="runs per speed measurement (fastest counts)")
    args = parser.parse_args()
    main(args.sets, max(1, args.repeat))
