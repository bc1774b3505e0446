"""What the value normaliser makes of every target and actual cell in the transcribed seeds.

    .venv/bin/python samples/build/value_patterns.py [--all]

Prints counts by comparator / unit family / confidence (targets and actuals), by actual status
(each actual judged against its row's target, read with the 三级指标 label as parse_target does),
and the cells that stay "text" grouped by a rough pattern key (digits → N). ``--all`` also lists
every distinct cell with its reading, for checking by eye.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from extract.values import NORMALISER_VERSION, actual_status, parse_target, parse_value  # noqa: E402

SEEDS = [ROOT / "samples/records/selfeval_dahongmen_2023.jsonl",
         ROOT / "samples/records/targets_yanshanlu_2024.jsonl"]


def rows():
    for path in SEEDS:
        for line in path.read_text(encoding="utf-8").splitlines():
            for ind in json.loads(line)["indicators"]:
                yield path.stem, ind


def pattern_key(text: str) -> str:
    """Digits → N, so "发放 317 人次" and "发放 58 人次" count as one pattern."""
    return re.sub(r"\d+(?:\.\d+)?", "N", re.sub(r"\s+", "", text))


def show(title: str, counter: Counter) -> None:
    print(f"\n{title}")
    for key, n in sorted(counter.items(), key=lambda kv: (-kv[1], str(kv[0]))):
        print(f"  {n:5d}  {key}")


def main() -> None:
    targets, actuals, statuses, text_keys = Counter(), Counter(), Counter(), Counter()
    with_label = Counter()
    seen = {}
    for source, ind in rows():
        target = parse_value(ind.get("target"))
        labelled = parse_target(ind.get("target"), ind.get("level3"))
        targets[(source, target.comparator, target.unit_family, target.confidence)] += 1
        if labelled.comparator != target.comparator:
            with_label[(source, f"{target.comparator} → {labelled.comparator}")] += 1
        for role, text, value in (("target", ind.get("target"), target),
                                  ("actual", ind.get("actual"), parse_value(ind.get("actual")))):
            if role == "actual" and "actual" not in ind:
                continue
            if role == "actual":
                actuals[(value.comparator, value.unit_family, value.confidence)] += 1
            if value.comparator == "text" and text:
                text_keys[(role, value.confidence, pattern_key(text))] += 1
            seen[(role, text)] = value
        if "actual" in ind:
            statuses[actual_status(ind.get("actual"), labelled)] += 1

    print(f"value normaliser version {NORMALISER_VERSION}")
    show("targets by (seed, comparator, unit_family, confidence)", targets)
    show("targets whose comparator comes from the 三级指标 label (parse_target)", with_label)
    show("actuals by (comparator, unit_family, confidence)", actuals)
    show("actual status (against parse_target of the row's target)", statuses)
    by_conf = Counter((role, conf) for (role, conf, _), n in text_keys.items() for _ in range(n))
    show("cells left as text, by (role, confidence)", by_conf)
    low = Counter({k: n for k, n in text_keys.items() if k[1] == "low"})
    show("text cells that hold digits or numerals (low confidence): what is not parsed, by pattern", low)
    if "--all" in sys.argv:
        print("\nevery distinct cell")
        for (role, text), v in sorted(seen.items(), key=lambda kv: (kv[0][0], str(kv[0][1]))):
            print(f"  {role:6s} {text!r:40s} {v.comparator:7s} {v.value_num} {v.value_num_hi} "
                  f"{v.unit} {v.unit_family} {v.period} yuan={v.value_yuan} annual={v.value_annual_yuan}"
                  f" days={v.duration_days} {v.deadline} {v.event} {v.grade} strict={v.strict} {v.confidence}")


if __name__ == "__main__":
    main()
