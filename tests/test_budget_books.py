"""Whole budget books (部门预算): the report pages are found among hundreds of others, the others are
skipped cheaply (extract/triage.py), a budget table's 项目名称 column makes no report, and every
record carries its real page numbers.

Every PDF here is real, drawn by samples/build/render_book.py (the book of samples/eval/books/, and
smaller books made by the tests). Expected records are the transcribed ones (samples/records/)
with the pages the renderer placed them on, never the extractor's output.
"""

from __future__ import annotations

import copy
import importlib.util
import random
import sys

import pytest

from extract import triage
from extract.evaluation import ROOT, as_labelled, comparable, field_differences, read_jsonl
from extract.pipeline import extract_file, extract_files
from extract.text import label_key

BOOK = "samples/eval/books/budget_book_2024.pdf"
BOOK_EXPECTED = ROOT / "samples/eval/books/budget_book_2024.expected.jsonl"


@pytest.fixture(scope="module")
def books(render):
    """samples/build/render_book.py (it draws with render_pdf, loaded by the ``render`` fixture)."""
    spec = importlib.util.spec_from_file_location("render_book", ROOT / "samples" / "build" / "render_book.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("render_book", module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def targets(render):
    return render.read_records(ROOT / "samples/records/targets_yanshanlu_2024.jsonl")


def differences(got: list[dict], want: list[dict]) -> list[str]:
    assert len(got) == len(want), [r["project_name"] for r in got]
    return [f"report {i + 1}: {d}" for i, (g, w) in enumerate(zip(got, want))
            for d in field_differences(as_labelled(comparable(g, "exact"), w), comparable(w, "exact"))]


def book_of(books, path, parts: list, found: list) -> list[dict]:
    """Draw ``parts`` (sections) as one book; the expected records of ``found``."""
    books.number(parts)
    return books.write(path, parts, found)


def budget_pages(books, seed: int, units: int = 2) -> list:
    rng = random.Random(seed)
    return [books.Section(f"预算表 {unit}", books.budget_tables(unit, rng, 30)) for unit in books.UNITS[:units]]


def target_annex(books, render, records: list[dict]):
    reports = [render.performance_target(r, n) for n, r in enumerate(records, 1)]
    section = books.Section("附件", [books.Report("附件", render.layout([books.heading("附件：2024年项目支出绩效目标表")]), 1),
                                     *reports])
    return section, [(rec, section, k) for k, rec in enumerate(records, 1)]


def test_the_book_yields_exactly_its_target_tables_on_their_real_pages(monkeypatch):
    monkeypatch.chdir(ROOT)  # source.file is the path as given
    want = read_jsonl(BOOK_EXPECTED)
    doc = extract_file(BOOK)
    assert doc.error is None
    assert differences(doc.records, want) == []
    assert [r.get("extraction_warnings") for r in doc.records] == [None] * len(want)
    assert {r["report_type"] for r in doc.records} == {"performance_target"}  # no 项目支出预算表 among them
    pages = [r["source"]["pages"] for r in doc.records]
    assert pages[0] == [122, 122] and pages[-1][1] == 130  # the book's page numbers, not the kept pages' ranks
    skipped = triage.skipped_pages(ROOT / BOOK, 211)
    assert len(skipped) > 190 and not any(first <= n <= last for n in skipped for first, last in pages)


def test_the_book_read_in_stripes_yields_the_same_records(monkeypatch):
    """Two workers each read every other page: the page after a report is kept in either stripe."""
    monkeypatch.chdir(ROOT)
    [doc] = list(extract_files([BOOK], jobs=2))
    assert doc.error is None
    assert differences(doc.records, read_jsonl(BOOK_EXPECTED)) == []


def test_budget_tables_with_a_project_name_column_make_no_report(books, render, targets, tmp_path):
    """A short book (under triage.MIN_PAGES: every page laid out and parsed): 项目支出预算表 lists
    (单位名称 | 项目名称 | 项目类型 | 合计 | …, a row per project), 支出总表 (… | 项目支出), then targets."""
    annex, found = target_annex(books, render, targets[:3])
    parts = budget_pages(books, 1, units=1) + [annex]
    want = book_of(books, tmp_path / "short.pdf", parts, found)
    pages = sum(p.pages for p in parts)
    assert pages < triage.MIN_PAGES and triage.skipped_pages(tmp_path / "short.pdf", pages) == {}
    text = "".join(triage.page_texts(tmp_path / "short.pdf"))
    assert "项目支出预算表" in text and "项目名称" in text
    doc = extract_file(tmp_path / "short.pdf")
    assert doc.error is None
    assert differences(doc.records, want) == []


def test_a_contents_page_naming_target_tables_starts_no_report(books, render, targets, tmp_path):
    annex, found = target_annex(books, render, targets[:4])
    entries = [("第一部分 部门预算表", 3)] + [(f"{n}.{r['project_name']}绩效目标表", 20) for n, r in enumerate(targets, 1)]
    parts = [books.Section("目录", [books.toc(entries)])] + budget_pages(books, 2) + [annex]
    want = book_of(books, tmp_path / "contents.pdf", parts, found)
    texts = triage.page_texts(tmp_path / "contents.pdf")
    assert "绩效目标表" in texts[0] and len(texts) >= triage.MIN_PAGES
    kept = triage.pages_to_read(texts)
    assert kept[0] and kept[1]  # the contents page and the one after it are read, not skipped
    doc = extract_file(tmp_path / "contents.pdf")
    assert doc.error is None
    assert differences(doc.records, want) == []
    assert want[0]["source"]["pages"][0] == annex.first_page


def test_a_report_page_with_no_title_and_no_header_is_read(books, render, tmp_path):
    """A self-evaluation long enough that its indicator rows fill pages of their own: those pages
    have no report signal, and are kept because they continue the report above."""
    record = copy.deepcopy(render.read_records(ROOT / "samples/records/selfeval_dahongmen_2023.jsonl")[0])
    more = []
    for n in range(1, 7):  # the same indicators again, as other 三级指标 of the same levels
        more += [{**i, "level3": f"{i['level3']}（{n}）" if i["level3"] else None} for i in record["indicators"]]
    record["indicators"] += more
    section = books.Section("自评表", [render.self_evaluation(record)])
    parts = budget_pages(books, 3) + [section] + budget_pages(books, 4)
    want = book_of(books, tmp_path / "long.pdf", parts, [(record, section, 0)])
    first, last = want[0]["source"]["pages"]
    assert last - first >= 2
    texts = triage.page_texts(tmp_path / "long.pdf")
    bare = [n for n in range(first + 1, last + 1) if not triage.has_report_signal(label_key(texts[n - 1]))]
    assert bare, "every page of the report shows a signal: the test does not test the continuation"
    skipped = triage.skipped_pages(tmp_path / "long.pdf", len(texts))
    assert skipped and not any(first <= n <= last for n in skipped)
    doc = extract_file(tmp_path / "long.pdf")
    assert doc.error is None
    assert differences(doc.records, want) == []


def test_a_page_with_no_text_layer_is_not_skipped(books, render, targets, tmp_path):
    """A scanned page among budget tables is read (its reading, or OCR, decides what it holds);
    the text pages around it that hold no report are skipped."""
    annex, found = target_annex(books, render, targets[:2])
    scan = books.Section("扫描页", [books.Report("扫描页", [books.gap(10)], 1)], scanned=True)
    parts = budget_pages(books, 5) + [scan] + budget_pages(books, 6) + [annex]
    want = book_of(books, tmp_path / "scan.pdf", parts, found)
    texts = triage.page_texts(tmp_path / "scan.pdf")
    assert texts[scan.first_page - 1].strip() == ""
    skipped = triage.skipped_pages(tmp_path / "scan.pdf", len(texts))
    assert scan.first_page not in skipped
    assert scan.first_page - 1 in skipped and scan.first_page + 2 in skipped
    doc = extract_file(tmp_path / "scan.pdf")
    assert doc.error is None
    assert differences(doc.records, want) == []


def test_the_signals_come_from_the_templates():
    """A family's title and its indicator header are signals; 项目名称 alone is none (budget lists)."""
    from extract import labels as L

    for family in L.FAMILIES:
        assert all(triage.has_report_signal(t) for t in family.titles), family.name
    assert triage.has_report_signal(label_key("一级\n指标"))  # a label wrapped in its cell
    assert triage.has_report_signal("2023年度部门整体支出绩效自评表")  # the kind, under another name
    assert not triage.has_report_signal("单位名称项目名称项目类型合计一般公共预算拨款政府性基金")
