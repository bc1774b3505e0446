"""`jixiao extract` on the sample documents: JSON Lines that follow the contract, in document order.

Field-by-field accuracy on these and the other evaluation sets is pinned in test_eval_sets.py.
"""

import json
import subprocess
import sys
from pathlib import Path

import jsonschema


ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "samples").glob("*.expected.jsonl"))
SCHEMA = json.loads((ROOT / "extract" / "report-record.schema.json").read_text(encoding="utf-8"))


def expected_records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def pdf_of(expected: Path) -> Path:
    return expected.with_name(expected.name.replace(".expected.jsonl", ".pdf"))


def test_cli_output_follows_the_contract():
    pdfs = [str(pdf_of(p).relative_to(ROOT)) for p in SAMPLES]
    result = subprocess.run([sys.executable, "-m", "extract.cli", "extract", "--jobs", "2", *pdfs],
                            cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    validator = jsonschema.Draft202012Validator(SCHEMA)
    for record in records:
        validator.validate(record)
    assert len(records) == sum(len(expected_records(p)) for p in SAMPLES)
    # --jobs keeps the input order
    assert [r["source"]["file"] for r in records] == [
        f for p in SAMPLES for f in [str(pdf_of(p).relative_to(ROOT))] * len(expected_records(p))]
