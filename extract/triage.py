"""Which pages of a PDF to lay out: the pages that may hold a report, decided from a cheap text pass.

A budget book (部门预算 / 部门决算) is hundreds of pages of budget tables and prose with the
performance tables somewhere inside. Laying a page out (pdfminer's layout and the table finder)
is most of the reading time; pdfium's text extraction (C) of the same page costs about a
hundredth of it. So every page's text is read first and only the pages that may hold a report
are laid out; the others come back as empty layouts that keep their page numbers.

Skipping a report page would lose it in silence, so the rules keep a page whenever in doubt:
- a page with a report's signal (``has_report_signal``): a family's title, an indicator header
  label or a goal block label, all read from the templates (``extract/templates/*.yaml``);
- a page with no text layer (a scan: its reading, or OCR, decides);
- the page after a kept report page, which may continue its table with no title and no header,
  and the pages after that while each shows indicator rows or closing rows
  (``continues_report``);
- every page, when pdfium cannot read the document's text (or aborts on it: the text pass runs in
  a forked child, ``_isolated``), in a document under ``MIN_PAGES`` pages, and in one whose first
  ``DENSE_PAGES`` pages are all kept (a publication of reports: triage would skip nothing).
The decision needs the page before's, so each stripe of ``read_pdf`` (worker k reads pages k,
k+parts …) decides for every page, then reads the kept pages of its own stripe.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import time
from pathlib import Path

import pypdfium2 as pdfium

from . import labels as L
from .reports import _LEVEL_ENDS as LEVEL_ENDS  # how a 一级/二级 label ends: 产出指标, 服务对象满意度
from .text import label_key

# A comparator printed in an indicator's value (≥95%, ≤204166.7元/月): budget tables print none.
COMPARATORS = ("≥", "≤", "≧", "≦")
# pdfium reads a page's text in about a millisecond; a triage this long is a hostile file's
CHILD_SECONDS = 60
# A report-only publication is a few pages; a budget book, where skipping pays, is a hundred or more.
MIN_PAGES = 12
DENSE_PAGES = 8


def _keys(variants) -> set[str]:
    return {L.key(v) for v in variants} - {""}


def _titles() -> set[str]:
    """Every family's titles, and each from 绩效 on (绩效自评表 of 项目支出绩效自评表): the same kind of
    table under another's name (部门整体支出绩效自评表, 项目绩效自评表) is read, not skipped."""
    titles = {t for f in L.FAMILIES for t in f.titles}
    return titles | {t[t.index("绩效"):] for t in titles if "绩效" in t}


def _indicator_header() -> set[str]:
    return {k for table in (L.SE_INDICATOR_COLUMNS, L.TT_INDICATOR_COLUMNS)
            for name in ("level1", "level2", "level3") for k in _keys(table[name])}


def _goal_labels() -> set[str]:
    return {k for table in (L.SE_GOAL_COLUMNS, L.TT_GOAL_COLUMNS) for variants in table.values()
            for k in _keys(variants)}


def _closing_labels() -> set[str]:
    """The labels of an indicator table's columns and of the rows under it (总分, 评价结论, 审核意见 …),
    less those that also head a funding table (合计, 得分, 权重, 原因 …): a budget table prints those."""
    funding = {k for table in (L.SE_FUNDING_COLUMNS, L.SE_FUNDING_ROWS) for variants in table.values()
               for k in _keys(variants)}
    found = {k for table in (L.SE_INDICATOR_COLUMNS, L.TT_INDICATOR_COLUMNS, L.SE_CLOSING, L.SE_SUMMARY)
             for variants in table.values() for k in _keys(variants)}
    found |= _keys(L.SE_TOTAL) | _keys(L.TT_REVIEW)
    return found - funding


# What only a report page prints. An identity label (项目名称) is no signal: a 项目支出预算表 lists
# projects under that header on page after page; a report's first page prints its title or its
# goal block beside it.
REPORT_SIGNALS = tuple(sorted(_titles() | _indicator_header() | _goal_labels()))
# What a page that goes on with a report's table prints: indicator rows or the rows under them.
CONTINUATION = tuple(sorted(set(LEVEL_ENDS) | _closing_labels() | set(COMPARATORS)))


def page_texts(path: Path, stop=None) -> list[str] | None:
    """Every page's text from pdfium, or None when pdfium cannot read the document (then every page
    is laid out: pdfminer's reading decides) or when ``stop(texts so far)`` says so."""
    try:
        pdf = pdfium.PdfDocument(str(path))
    except Exception:
        return None
    try:
        texts = []
        for index in range(len(pdf)):
            page = pdf[index]
            try:
                textpage = page.get_textpage()
                texts.append(textpage.get_text_range())
                textpage.close()
            finally:
                page.close()
            if stop is not None and stop(texts):
                return None
        return texts
    except Exception:
        return None
    finally:
        pdf.close()


def has_report_signal(key: str) -> bool:
    """``key``: a page's text as ``label_key`` gives it (no whitespace, so a label wrapped in its
    cell, 一级 / 指标, is found whole)."""
    return any(signal in key for signal in REPORT_SIGNALS)


def continues_report(key: str) -> bool:
    return any(word in key for word in CONTINUATION)


def pages_to_read(texts: list[str]) -> list[bool]:
    """For each page, whether to lay it out (see the module's rules)."""
    keep, in_report = [], False
    for text in texts:
        key = label_key(text)
        if not key:  # no text layer: never skipped, and it may be a report page
            keep.append(True)
            in_report = True
        elif has_report_signal(key):
            keep.append(True)
            in_report = True
        elif in_report:  # it may go on with the report above: read it, and go on while it does
            keep.append(True)
            in_report = continues_report(key)
        else:
            keep.append(False)
    return keep


def char_count(text: str) -> int:
    """The characters of a skipped page, as its empty layout's ``char_count`` (a document whose
    pages were all skipped has text: it has no report, it is no scan)."""
    return sum(1 for ch in text if not ch.isspace())


def skipped_pages(path: Path, count: int) -> dict[int, int]:
    """Page number → its char count, for each of the document's ``count`` pages not to lay out;
    {} (every page laid out) when pdfium cannot read the document or fails on it, and for a short
    document: the few pages it could skip cost less than the triage."""
    if count < MIN_PAGES:
        return {}
    return _isolated(_skipped, path, count) or {}


def _skipped(path: Path, count: int) -> dict[int, int] | None:
    texts = page_texts(path, stop=_report_only)
    if texts is None or len(texts) != count:  # pdfium reads another page tree: lay out every page
        return None
    return {number: char_count(text) for number, (text, keep) in enumerate(zip(texts, pages_to_read(texts)), 1)
            if not keep}


def _report_only(texts: list[str]) -> bool:
    """Every one of the first ``DENSE_PAGES`` pages is kept: a publication of reports (a book opens
    with a cover and prose), read whole without the text of its other pages."""
    return len(texts) == DENSE_PAGES and all(pages_to_read(texts))


def _isolated(function, *args):
    """``function(*args)`` run in a forked child; None if the child fails, dies or overruns.

    pdfium aborts the process when an allocation fails (a decompression bomb under the worker's
    memory limit): in a child, that costs the triage only, and pdfminer's reading of the document
    reports the bomb as before (MemoryError: "parser ran out of memory").
    """
    seconds = CHILD_SECONDS
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into the caller's code
        status = 1
        try:
            os.close(reader)
            signal.alarm(seconds)  # ends it even if its parent was killed meanwhile
            data = pickle.dumps(function(*args))
            with os.fdopen(writer, "wb") as out:
                out.write(data)
            status = 0
        finally:
            os._exit(status)
    os.close(writer)
    chunks = []
    deadline = time.monotonic() + seconds
    try:
        with os.fdopen(reader, "rb") as source:
            while True:
                ready, _, _ = select.select([source], [], [], max(0.0, deadline - time.monotonic()))
                if not ready:
                    os.kill(pid, signal.SIGKILL)
                    return None
                chunk = os.read(source.fileno(), 1 << 16)
                if not chunk:
                    break
                chunks.append(chunk)
    finally:
        _, status = os.waitpid(pid, 0)
    if status != 0 or not chunks:
        return None
    return pickle.loads(b"".join(chunks))
