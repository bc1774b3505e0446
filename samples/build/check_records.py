"""Check transcribed records before rendering: contract shape, and the sums a reader can compare by eye.

    python samples/build/check_records.py samples/records/selfeval_dahongmen_2023.jsonl ...

For each record it prints the printed 总分 next to the sum of the funding and indicator weights and
scores. A difference is not an error (the published tables do not always add up) but it is the
first place to look for a row that was missed or read into the wrong column.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import jsonschema

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "extract/report-record.schema.json").read_text(encoding="utf-8"))
DUMMY_SOURCE = {"file": "x.pdf", "sha256": "0" * 64, "pages": [1, 1]}
FUNDING_ORDER = ["total", "current_year", "carryover", "other"]


def _sum(values) -> float:
    return round(sum(v for v in values if v is not None), 6)


def check(path: Path) -> int:
    problems = 0
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        rec = json.loads(line)
        rec.pop("seed_report", None)
        errors = [e.message for e in jsonschema.Draft202012Validator(SCHEMA).iter_errors({**rec, "source": DUMMY_SOURCE})]
        if rec["report_type"] == "self_evaluation" and [f["source"] for f in rec["funding"]] != FUNDING_ORDER:
            errors.append(f"funding rows must be {FUNDING_ORDER}")
        for e in errors:
            print(f"{path.name}:{n}: {e}")
        problems += len(errors)
        if rec["report_type"] == "self_evaluation":
            weight = _sum([rec["funding"][0]["weight"], *(i["weight"] for i in rec["indicators"])])
            score = _sum([rec["funding"][0]["score"], *(i["score"] for i in rec["indicators"])])
            print(f"{path.name}:{n}: {rec['project_name'][:30]:<30} rows={len(rec['indicators']):>2} "
                  f"weight {weight:g}/{rec['total_weight']} score {score:g}/{rec['total_score']}")
        else:
            print(f"{path.name}:{n}: {rec['project_name'][:30]:<30} rows={len(rec['indicators']):>2} "
                  f"goals={len(rec['goals'])} plan={[p['value'] for p in rec['spend_plan']]}")
    return problems


if __name__ == "__main__":
    sys.exit(1 if sum(check(Path(p)) for p in sys.argv[1:]) else 0)
