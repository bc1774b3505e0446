"""The extractor reproduces the expected records of every committed sample document, field by field.

The expected records were written from the seed text (samples/records/, checked by eye) and the
PDFs rendered from them; they are never produced by the extractor under test.
"""

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from extract.pipeline import extract_file

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "samples").glob("*.expected.jsonl"))
SCHEMA = json.loads((ROOT / "extract" / "report-record.schema.json").read_text(encoding="utf-8"))


def expected_records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def pdf_of(expected: Path) -> Path:
    return expected.with_name(expected.name.replace(".expected.jsonl", ".pdf"))


def field_differences(got: dict, want: dict, prefix="") -> list[str]:
    """Every differing field as 'path: got != want' (lists compared item by item)."""
    diffs = []
    for key in sorted(set(got) | set(want)):
        a, b = got.get(key, "<missing>"), want.get(key, "<missing>")
        if isinstance(a, list) and isinstance(b, list) and len(a) == len(b) and all(
                isinstance(x, dict) for x in a + b):
            for i, (x, y) in enumerate(zip(a, b)):
                diffs += field_differences(x, y, f"{prefix}{key}[{i}].")
        elif a != b:
            diffs.append(f"{prefix}{key}: {a!r} != {b!r}")
    return diffs


@pytest.mark.parametrize("expected", SAMPLES, ids=lambda p: p.name)
def test_extraction_equals_expected_records(expected, monkeypatch):
    monkeypatch.chdir(ROOT)  # source.file is the path as given: relative to the repository
    doc = extract_file(pdf_of(expected).relative_to(ROOT))
    want = expected_records(expected)
    assert doc.error is None
    assert len(doc.records) == len(want)
    diffs = [f"report {i + 1} ({w['project_name']}): {d}"
             for i, (g, w) in enumerate(zip(doc.records, want)) for d in field_differences(g, w)]
    assert diffs == []


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
