"""The committed sample publications match their expected records (made by samples/build/render_pdf.py)."""

import hashlib
import json
from pathlib import Path

import jsonschema
import pdfplumber
import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SCHEMA = json.loads((ROOT / "extract" / "report-record.schema.json").read_text(encoding="utf-8"))
PDFS = sorted(SAMPLES.glob("*.pdf"))


def records(pdf: Path) -> list[dict]:
    lines = pdf.with_suffix(".expected.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def squeeze(text: str) -> str:
    return "".join(text.split())


def cell_texts(page) -> str:
    """Each table cell's text on its own: a wrapped cell's lines are not interleaved with its row."""
    return "\n".join(squeeze(cell or "") for table in page.extract_tables() for row in table for cell in row)


def test_samples_exist():
    assert {p.name for p in PDFS} >= {"selfeval_dahongmen_2023.pdf", "targets_yanshanlu_2024.pdf"}


@pytest.mark.parametrize("pdf", PDFS, ids=lambda p: p.name)
def test_expected_records_match_pdf(pdf):
    assert pdf.with_suffix(".expected.jsonl").exists()
    recs = records(pdf)
    assert recs
    validator = jsonschema.Draft202012Validator(SCHEMA)
    digest = hashlib.sha256(pdf.read_bytes()).hexdigest()
    with pdfplumber.open(pdf) as doc:
        page_count = len(doc.pages)
        texts = [squeeze(page.extract_text() or "") for page in doc.pages]
        previous_last = 1
        for rec in recs:
            validator.validate(rec)
            source = rec["source"]
            assert source["file"] == f"samples/{pdf.name}"
            assert source["sha256"] == digest
            first, last = source["pages"]
            assert previous_last <= first <= last <= page_count, (rec["project_name"], source["pages"])
            previous_last = last
            name = squeeze(rec["project_name"])
            claimed = texts[first - 1:last]
            if not any(name in text for text in claimed):
                claimed = [cell_texts(doc.pages[n - 1]) for n in range(first, last + 1)]
            assert any(name in text for text in claimed), (rec["project_name"], source["pages"])
