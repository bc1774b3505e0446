"""OCR accuracy and speed on the scan sets (samples/eval/sets_scans.json), by resolution.

    .venv/bin/python bench/ocr_accuracy.py [--jobs 2] [--diffs]

Prints, for each scan set and for each resolution, pages per second (wall time, with the set's
documents read by ``--jobs`` workers), CPU seconds per page (the workers' and their Tesseracts':
steadier than wall time on a shared machine) and field F1 as ``tests/test_eval_sets.py`` measures
it; with ``--diffs`` every differing field and every warning on the records (OCR confidence or a
broken identity).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extract.evaluation import as_labelled, comparable, expected_records, f1, field_differences, score  # noqa: E402
from extract.pipeline import extract_files  # noqa: E402

SETS = ROOT / "samples" / "eval" / "sets_scans.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--diffs", action="store_true", help="print every differing field")
    parser.add_argument("--only", help="only the sets whose name contains this")
    args = parser.parse_args()
    sets = [s for s in json.loads(SETS.read_text(encoding="utf-8")) if not args.only or args.only in s["name"]]
    import pdfplumber

    by_dpi: dict[str, list] = defaultdict(lambda: [0, 0.0, [0, 0, 0], 0.0])
    print(f"{'set':<24} {'pages':>5} {'pages/s':>8} {'cpu s/p':>8} {'F1':>7} {'min_f1':>7}")
    for doc_set in sets:
        document = ROOT / doc_set["document"]
        with pdfplumber.open(document) as pdf:
            pages = len(pdf.pages)
        start, cpu = time.monotonic(), _children_cpu()
        (doc,) = list(extract_files([document], jobs=args.jobs))
        seconds, cpu = time.monotonic() - start, _children_cpu() - cpu
        want = [comparable(r, doc_set["compare"]) for r in expected_records(doc_set)]
        got = [comparable(r, doc_set["compare"]) for r in doc.records]
        got = [as_labelled(g, w) for g, w in zip(got, want)] + got[len(want):]
        counts = score(want, got)
        total = [sum(c[i] for c in counts.values()) for i in range(3)]
        dpi = doc_set["name"].rsplit("_", 1)[-1]
        row = by_dpi[dpi]
        row[0] += pages
        row[1] += seconds
        row[2] = [a + b for a, b in zip(row[2], total)]
        row[3] += cpu
        print(f"{doc_set['name']:<24} {pages:>5} {pages / seconds:>8.2f} {cpu / pages:>8.1f} {f1(*total)[2]:>7.4f} "
              f"{doc_set.get('min_f1', ''):>7}" + (f"  ERROR {doc.error}" if doc.error else ""))
        if args.diffs:
            for i, (g, w) in enumerate(zip(got, want)):
                for diff in field_differences(g, w):
                    print(f"    report {i + 1}: {diff}")
            for record in doc.records:
                for warning in record.get("extraction_warnings", []):
                    print(f"    warning: {warning}")
    print()
    for dpi, (pages, seconds, total, cpu) in sorted(by_dpi.items()):
        print(f"{dpi:>7}: {pages} pages, {pages / seconds:.2f} pages/s ({args.jobs} workers), "
              f"{cpu / pages:.1f} CPU s a page, field F1 {f1(*total)[2]:.4f}")


def _children_cpu() -> float:
    """CPU seconds of the finished child processes (workers, and the Tesseracts they waited for)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


if __name__ == "__main__":
    main()
