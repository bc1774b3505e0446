"""Extraction accuracy and speed on the committed document sets (samples/eval/sets.json).

Prints, per set, field-level precision, recall and F1 by field group (compared by the set's rule,
see extract/evaluation.py), then pages per second of ``jixiao extract`` with --jobs 1 and 2 next to
a naive pdfplumber loop (``extract_tables()`` + ``extract_text()`` per page) on the same PDFs, all
measured in this one run.

    .venv/bin/python bench/extract_accuracy.py [SET_NAME ...]
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extract.evaluation import comparable, expected_records, f1, load_sets, score  # noqa: E402
from extract.pipeline import extract_file  # noqa: E402

def page_count(paths: list[Path]) -> int:
    import pdfplumber

    total = 0
    for path in paths:
        if path.suffix == ".pdf":
            with pdfplumber.open(path) as pdf:
                total += len(pdf.pages)
    return total


def naive_seconds(paths: list[Path]) -> float:
    code = ("import sys, pdfplumber\n"
            "for f in sys.argv[1:]:\n"
            "    with pdfplumber.open(f) as pdf:\n"
            "        for p in pdf.pages:\n"
            "            p.extract_tables(); p.extract_text(); p.close()\n")
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code, *map(str, paths)], check=True)
    return time.perf_counter() - start


def cli_seconds(paths: list[Path], jobs: int) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "extract.cli", "extract", "--jobs", str(jobs), *map(str, paths)],
                   cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main(names: list[str]) -> None:
    sets = [s for s in load_sets() if not names or s["name"] in names]
    print(f"{'set':34} {'group':18} {'precision':>9} {'recall':>7} {'F1':>7} {'fields':>7}")
    for doc_set in sets:
        result = extract_file(ROOT / doc_set["document"])
        got = [comparable(r, doc_set["compare"]) for r in result.records]
        want = [comparable(r, doc_set["compare"]) for r in expected_records(doc_set)]
        totals = [0, 0, 0]
        for group, counts in sorted(score(want, got).items()):
            p, r, f = f1(*counts)
            totals = [a + b for a, b in zip(totals, counts)]
            print(f"{doc_set['name']:34} {group:18} {p:9.4f} {r:7.4f} {f:7.4f} {counts[0] + counts[2]:7d}")
        p, r, f = f1(*totals)
        print(f"{doc_set['name']:34} {'ALL':18} {p:9.4f} {r:7.4f} {f:7.4f} {totals[0] + totals[2]:7d}\n")
    documents = [ROOT / s["document"] for s in sets if s["document"].endswith(".pdf")]
    pages = page_count(documents)
    naive = naive_seconds(documents)
    one = cli_seconds(documents, 1)
    two = cli_seconds(documents, 2)
    print(f"speed on {len(documents)} PDFs, {pages} pages (whole processes, start-up included):")
    print(f"  naive pdfplumber loop        {pages / naive:6.1f} pages/s")
    print(f"  jixiao extract --jobs 1      {pages / one:6.1f} pages/s")
    print(f"  jixiao extract --jobs 2      {pages / two:6.1f} pages/s  ({one / two:.2f}x --jobs 1)")


if __name__ == "__main__":
    main(sys.argv[1:])
