"""Extraction accuracy and speed on the committed document sets.

For every ``*.expected.jsonl`` beside a document (default: samples/), prints field-level precision,
recall and F1 by field group, then pages per second of ``jixiao extract`` with --jobs 1 and 2 next
to a naive pdfplumber loop (``extract_tables()`` + ``extract_text()`` per page) on the same files,
all measured in this one run.

    .venv/bin/python bench/extract_accuracy.py [DIR ...]
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extract.pipeline import extract_files  # noqa: E402

GROUPS = {
    "header": ["fiscal_year", "project_name", "department", "implementing_unit", "project_lead", "phone"],
    "goals": ["goal_planned", "goal_actual"],
    "totals": ["total_weight", "total_score"],
    "target_header": ["unit_code", "unit_name", "project_code", "budget_total", "budget_fiscal",
                      "budget_other", "purpose"],
}
LISTS = {"funding": "funding", "indicators": "indicators", "spend_plan": "target_plan",
         "goals": "target_goals"}


def field_slots(record: dict) -> dict[tuple, object]:
    """Every scalar of a record, keyed by (group, path)."""
    slots = {}
    is_target = record["report_type"] == "performance_target"
    for group, names in GROUPS.items():
        for name in names:
            if name in record:
                slots[("target_header" if is_target and group == "header" else group, name)] = record[name]
    for name, group in LISTS.items():
        items = record.get(name)
        if not isinstance(items, list):
            continue
        if name == "indicators" and is_target:
            group = "target_indicators"
        for i, item in enumerate(items):
            if isinstance(item, dict):
                for key, value in item.items():
                    slots[(group, f"{name}[{i}].{key}")] = value
            else:
                slots[(group, f"{name}[{i}]")] = item
    return slots


def score(expected: list[dict], got: list[dict]) -> dict[str, list[int]]:
    """(tp, fp, fn) per group; reports aligned by position, missing/extra reports count in full."""
    counts = defaultdict(lambda: [0, 0, 0])
    for i in range(max(len(expected), len(got))):
        want = field_slots(expected[i]) if i < len(expected) else {}
        have = field_slots(got[i]) if i < len(got) else {}
        for slot in set(want) | set(have):
            w, h = want.get(slot), have.get(slot)
            c = counts[slot[0]]
            if h is not None and h == w:
                c[0] += 1
            else:
                c[1] += h is not None
                c[2] += w is not None
    return counts


def f1(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


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


def main(dirs: list[str]) -> None:
    folders = [Path(d) for d in dirs] or [ROOT / "samples"]
    expected_files = sorted(p for d in folders for p in d.glob("*.expected.jsonl"))
    documents = [next(p.parent.glob(p.name.replace(".expected.jsonl", ".*[!l]"))) for p in expected_files]
    print(f"{'set':38} {'group':18} {'precision':>9} {'recall':>7} {'F1':>7} {'fields':>7}")
    for expected_path, doc in zip(expected_files, documents):
        expected = [json.loads(l) for l in expected_path.read_text(encoding="utf-8").splitlines() if l]
        [result] = list(extract_files([doc]))
        got = [{k: v for k, v in r.items() if k != "source"} for r in result.records]
        want = [{k: v for k, v in r.items() if k != "source"} for r in expected]
        for group, (tp, fp, fn) in sorted(score(want, got).items()):
            p, r, f = f1(tp, fp, fn)
            print(f"{doc.name:38} {group:18} {p:9.4f} {r:7.4f} {f:7.4f} {tp + fn:7d}")
    pages = page_count(documents)
    naive = naive_seconds(documents)
    one = cli_seconds(documents, 1)
    two = cli_seconds(documents, 2)
    print(f"\nspeed on {len(documents)} documents, {pages} pages (whole processes, start-up included):")
    print(f"  naive pdfplumber loop        {pages / naive:6.1f} pages/s")
    print(f"  jixiao extract --jobs 1      {pages / one:6.1f} pages/s")
    print(f"  jixiao extract --jobs 2      {pages / two:6.1f} pages/s  ({one / two:.2f}x --jobs 1)")


if __name__ == "__main__":
    main(sys.argv[1:])
