"""Accuracy pinned on every evaluation set (samples/eval/sets.json): the same records made by three
rendering routes (reportlab PDF, Word, Word → LibreOffice PDF) and with another province's labels;
and every real template example (samples/templates/<family>/), as Word and as LibreOffice PDF.

Expected records come from the hand transcription of the seeds (samples/records/), never from the
extractor. Each set is compared by its rule (extract/evaluation.py); any difference fails.
"""

import json

import pytest

from extract.evaluation import (ROOT, as_labelled, comparable, expected_records, f1, field_differences, load_sets,
                                score)
from extract.identities import identity_warnings
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
    if "min_f1" in doc_set:  # a scan: OCR cannot be exact, its field F1 is pinned, its doubts named
        assert_scan_accuracy(doc_set, doc.records, got, want)
        return
    if doc_set.get("complete", True):  # a whole table is read with nothing to warn about
        assert [r.get("extraction_warnings") for r in doc.records] == [None] * len(want)
    diffs = [f"report {i + 1} ({w.get('project_name') or w.get('unit_name')}): {d}"
             for i, (g, w) in enumerate(zip(got, want)) for d in field_differences(as_labelled(g, w), w)]
    assert diffs == []


def assert_scan_accuracy(doc_set: dict, records: list[dict], got: list[dict], want: list[dict]) -> None:
    """Field F1 at least the set's ``min_f1``, and every misread number that breaks an identity of
    its table (执行率, 得分 ≤ 分值, 总分) warned about on its record."""
    got = [as_labelled(g, w) for g, w in zip(got, want)]
    counts = score(want, got)
    measured = f1(*(sum(c[i] for c in counts.values()) for i in range(3)))[2]
    assert measured >= doc_set["min_f1"], f"field F1 {measured:.4f} < {doc_set['min_f1']}"
    assert all(r["source"].get("ocr") is True for r in records)
    for record, g, w in zip(records, got, want):
        for path, value in misread_numbers(g, w):
            spoilt = set_path(json.loads(json.dumps(w)), path, value)
            if set(identity_warnings(spoilt)) - set(identity_warnings(w)):  # the misreading breaks a sum
                assert record.get("extraction_warnings"), f"{path}: {value!r} misread in silence"


def misread_numbers(got: dict, want: dict):
    """(path, read value) of each number the record holds wrong."""
    for key in ("total_weight", "total_score", "budget_total", "budget_fiscal", "budget_other"):
        if isinstance(want.get(key), (int, float)) and got.get(key) != want[key]:
            yield (key,), got.get(key)
    for name in ("funding", "indicators"):
        for i, (g, w) in enumerate(zip(got.get(name) or [], want.get(name) or [])):
            for key, value in w.items():
                if isinstance(value, (int, float)) and g.get(key) != value:
                    yield (name, i, key), g.get(key)


def set_path(record: dict, path: tuple, value) -> dict:
    target = record
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return record
