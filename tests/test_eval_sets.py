"""Accuracy pinned on every evaluation set (samples/eval/sets.json): the same records made by three
rendering routes (reportlab PDF, Word, Word → LibreOffice PDF) and with another province's labels;
and every real template example (samples/templates/<family>/), as Word and as LibreOffice PDF.

Expected records come from the hand transcription of the seeds (samples/records/), never from the
extractor. Each set is compared by its rule (extract/evaluation.py); any difference fails.
"""

import pytest

from extract.evaluation import ROOT, as_labelled, comparable, expected_records, field_differences, load_sets
from extract.pipeline import extract_file

SETS = load_sets()


def test_sets_cover_both_report_types_and_every_route():
    routes = {s["route"] for s in SETS}
    assert {"reportlab", "python-docx", "python-docx, LibreOffice PDF"} <= routes
    assert any("Sichuan" in r for r in routes)
    for doc_set in SETS:
        assert (ROOT / doc_set["document"]).exists(), doc_set["document"]


@pytest.mark.parametrize("doc_set", SETS, ids=lambda s: s["name"])
def test_extraction_equals_expected_records(doc_set, monkeypatch):
    monkeypatch.chdir(ROOT)  # source.file is the path as given: relative to the repository
    doc = extract_file(doc_set["document"])
    assert doc.error is None
    want = [comparable(r, doc_set["compare"]) for r in expected_records(doc_set)]
    got = [comparable(r, doc_set["compare"]) for r in doc.records]
    assert len(got) == len(want)
    if doc_set.get("complete", True):  # a whole table is read with nothing to warn about
        assert [r.get("extraction_warnings") for r in doc.records] == [None] * len(want)
    diffs = [f"report {i + 1} ({w['project_name']}): {d}"
             for i, (g, w) in enumerate(zip(got, want)) for d in field_differences(as_labelled(g, w), w)]
    assert diffs == []
