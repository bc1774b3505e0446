"""Files → ``Document`` outcomes (records or a reason), parsed in child processes with limits.

Source documents are untrusted: a decompression bomb or a pathological file must cost one
document, not the run. Documents are read in forked workers with an address-space limit
(``JIXIAO_PARSE_MEMORY_MB``, default 512) and a wall-time limit (``JIXIAO_PARSE_TIMEOUT`` seconds,
default 600) per task. A task is normally a whole document: the worker reads its pages and its
reports and sends back the finished ``Document``; the largest files start first, so that no long
document is left running alone at the end. Only when fewer documents remain to start than there
are ``jobs`` is a PDF striped over the workers (worker k reads pages k, k+jobs, …), so that one
long document still uses every core; those page layouts come back to this process, which reads
the reports from them in page order. Outcomes are yielded in input order either way.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import signal
import time
from collections import deque
from collections.abc import Iterable, Iterator
from multiprocessing.connection import wait
from pathlib import Path
from . import convert
from .convert import UnconvertibleDocument
from .document import Document, sha256_of  # noqa: F401  (sha256_of: callers import it from here)
from .docx import UnreadableDocx, read_docx
from .identities import identity_warnings
from .layout import PageLayout
from .ocr import UnreadableScan
from .pdf import UnreadableDocument, read_pdf
from .reports import parse_layouts
from .text import map_text, valid_unicode
from .xlsx import UnreadableWorkbook, read_csv, read_xlsx

LEGACY_OFFICE = {".doc", ".wps", ".et", ".xls"}  # converted by LibreOffice (extract/convert.py), then read
WORKBOOKS = {".xlsx", ".xlsm"}
ONE_PART = {".docx", ".csv", *WORKBOOKS, *LEGACY_OFFICE}  # read whole by one worker (only a PDF is striped by pages)


def read_layouts(path: Path, part: int = 0, parts: int = 1) -> list[PageLayout]:
    """The layouts of every ``parts``-th page starting at ``part`` (a Word file, a workbook or a
    CSV file is one part)."""
    suffix = path.suffix.lower()
    if suffix in LEGACY_OFFICE:
        if part != 0:
            return []
        with convert.converted(path) as modern:
            return read_docx(modern) if convert.target_suffix(path) == ".docx" else read_xlsx(modern)
    if suffix in ONE_PART:
        if part != 0:
            return []
        return read_docx(path) if suffix == ".docx" else read_csv(path) if suffix == ".csv" else read_xlsx(path)
    return list(read_pdf(path, part, parts))


def _read_safely(path: Path, part: int, parts: int) -> tuple[str, object]:
    """("ok", layouts) or ("error", reason): a bad document is an outcome, not an exception."""
    try:
        return "ok", read_layouts(path, part, parts)
    except (UnreadableDocument, UnreadableDocx, UnreadableWorkbook, UnreadableScan, UnconvertibleDocument) as exc:
        return "error", str(exc)
    except MemoryError:
        return "error", "parser ran out of memory (limit JIXIAO_PARSE_MEMORY_MB)"
    except Exception as exc:  # a parser bug or a hostile file: this document only
        return "error", f"parser failed: {exc.__class__.__name__}: {str(exc)[:200]}"


def _document(name: str, sha256: str, outcomes: list[tuple[str, object]]) -> Document:
    doc = Document(name, sha256)
    errors = [value for status, value in outcomes if status == "error"]
    if errors:
        doc.error = errors[0]
        return doc
    layouts = sorted((layout for _, part in outcomes for layout in part), key=lambda p: p.number)
    try:
        results = parse_layouts(layouts)
    except MemoryError:  # in a worker, parse_layouts runs under the memory limit too
        doc.error = "parser ran out of memory (limit JIXIAO_PARSE_MEMORY_MB)"
        return doc
    except Exception as exc:
        doc.error = f"parser failed: {exc.__class__.__name__}: {str(exc)[:200]}"
        return doc
    if not results:
        no_text = sum(layout.char_count for layout in layouts) == 0
        doc.error = ("no report table found (项目支出绩效自评表 / 项目绩效目标表)" if not no_text
                     else "no cell with text on any visible sheet" if Path(name).suffix.lower() in WORKBOOKS | {".csv", ".xls", ".et"}
                     else "no text layer, and no text found, not even by OCR (blank or unreadable scan)"
                     if any(layout.reader == "ocr" for layout in layouts)
                     else "no text layer and no scanned image to OCR (blank or drawn-only pages)")
    ocr_pages = {layout.number for layout in layouts if layout.reader == "ocr"}
    for record, pages, warnings in results:
        record = map_text(record, valid_unicode)
        record["source"] = {"file": doc.file, "sha256": sha256, "pages": list(pages)}
        warnings = [*warnings, *_layout_warnings(layouts, pages, results)]
        if any(pages[0] <= number <= pages[1] for number in ocr_pages):
            # an OCR misreading is caught by the table's own sums; a text layer's are the publisher's
            record["source"]["ocr"] = True
            warnings += identity_warnings(record)
        if warnings:
            record["extraction_warnings"] = warnings
        doc.records.append(record)
    return doc


def _layout_warnings(layouts: list[PageLayout], pages: list[int], results: list) -> list[str]:
    """What the reader warned about on the report's pages (a hidden worksheet row with values …);
    a page no report is on warns every report."""
    spans = [(first, last) for _, (first, last), _ in results]
    return [map_text(warning, valid_unicode) for layout in layouts for warning in layout.warnings
            if pages[0] <= layout.number <= pages[1]
            or not any(first <= layout.number <= last for first, last in spans)]


def _precheck(path: Path) -> tuple[str, str | None]:
    """(sha256, reason the file cannot be parsed at all) — decided without parsing it."""
    try:
        sha256 = sha256_of(path)
    except OSError as exc:
        return "", f"cannot read file: {exc.strerror or exc}"
    return sha256, None


def extract_file(path: str | Path) -> Document:
    """Extract every report of one document, in this process. Never raises for a bad document."""
    sha256, reason = _precheck(Path(path))
    if reason:
        return Document(str(path), sha256, error=reason)
    return _document(str(path), sha256, [_read_safely(Path(path), 0, 1)])


def limits() -> tuple[float, int]:
    """(wall seconds, memory MB) for one document, from the environment.

    512 MB on top of what the worker inherits keeps its peak under 1 GB when forked from a run
    process of 400 MB or so. Real documents need far less (bench/worker_memory.py: at most 224 MB,
    a 300 dpi scan); a stream is refused at JIXIAO_MAX_STREAM_MB (256) before it gets near it."""
    return (float(os.environ.get("JIXIAO_PARSE_TIMEOUT", 600)),
            int(os.environ.get("JIXIAO_PARSE_MEMORY_MB", 512)))


def _worker(path: str, sha256: str, part: int, parts: int, memory_mb: int, conn) -> None:
    """Sends ("done", Document) for a whole document, else the pages' ("ok"/"error", …) outcome."""
    # Its own process group, so that a timeout kills what it started too (Tesseract, for a scan)
    _own_group(0)
    # The limit is on top of the address space the fork inherits (about 50 MB from `jixiao
    # extract`, 400 MB and more from a Dagster process that has run dbt and the checks).
    limit = _address_space() + memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    convert.DEADLINE = time.monotonic() + limits()[0]  # a LibreOffice conversion gets the time that is left
    if parts == 1:
        outcome = ("done", _document(path, sha256, [_read_safely(Path(path), 0, 1)]))
    else:
        outcome = _read_safely(Path(path), part, parts)
    # When the work ended, on the clock the parent started it by (CLOCK_MONOTONIC is system-wide):
    # the parent may poll long after, and must judge the limit by this, not by when it looked.
    conn.send((time.monotonic(), outcome))
    conn.close()


def _address_space() -> int:
    with open("/proc/self/status") as fh:
        return next(int(line.split()[1]) * 1024 for line in fh if line.startswith("VmSize:"))


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def extract_files(paths: Iterable[str | Path], jobs: int = 1, ordered: bool = True) -> Iterator[Document]:
    """Every document's outcome, read by up to ``jobs`` isolated workers: in input order, or with
    ``ordered=False`` as soon as each is read (the largest are read first, so in input order the
    finished small ones wait in memory, and the caller sees no progress, until the big ones are done)."""
    timeout, memory_mb = limits()
    jobs = max(1, jobs)
    context = multiprocessing.get_context("fork")
    docs = []
    for path in (str(p) for p in paths):
        sha256, reason = _precheck(Path(path))
        docs.append({"path": path, "sha256": sha256, "reason": reason, "parts": 0, "outcomes": []})
    # documents still to start, largest first (longest-processing-time first evens out the tail)
    pending = sorted((i for i, doc in enumerate(docs) if not doc["reason"]),
                     key=lambda i: -_size(docs[i]["path"]))
    tasks: list[tuple[int, int]] = []  # (doc index, part) of the document being striped
    running: dict = {}  # reader → (doc index, process, started)
    finished = deque(i for i, doc in enumerate(docs) if _complete(doc))  # not yet handed out
    next_index = handed = 0
    while True:
        # workers first, so that they run while this process hands out the finished documents below
        while (tasks or pending) and len(running) < jobs:
            if not tasks:
                index = pending.pop(0)
                stripe = len(pending) + 1 < jobs and Path(docs[index]["path"]).suffix.lower() not in ONE_PART
                docs[index]["parts"] = jobs if stripe else 1
                tasks = [(index, part) for part in range(docs[index]["parts"])]
            index, part = tasks.pop(0)
            reader, writer = context.Pipe(duplex=False)
            process = context.Process(target=_worker, daemon=True, args=(
                docs[index]["path"], docs[index]["sha256"], part, docs[index]["parts"], memory_mb, writer))
            process.start()
            _own_group(process.pid)  # set here as well as in the worker: a kill may come before it runs
            writer.close()
            running[reader] = (index, process, time.monotonic())
        while True:
            if ordered and next_index < len(docs) and _complete(docs[next_index]):
                index, next_index = next_index, next_index + 1
            elif not ordered and finished:
                index = finished.popleft()
            else:
                break
            done = _finished(docs[index])
            docs[index] = outcome = None  # the layouts go before the caller gets `done`
            handed += 1
            yield done
        if handed == len(docs):
            return
        late = f"parsing took longer than {timeout:g} s (limit JIXIAO_PARSE_TIMEOUT)"
        if running:  # woken by a result, or at the earliest deadline
            first_deadline = min(started for _, _, started in running.values()) + timeout
            ready = wait(list(running), timeout=max(0.0, first_deadline - time.monotonic()))
        else:
            ready = []
        for reader in ready:
            index, process, started = running.pop(reader)
            try:
                ended, outcome = reader.recv()
                if ended - started > timeout and not _failed(outcome):  # past its limit: the limit is exact
                    outcome = ("error", late)  # (a document found broken keeps that reason: no retry helps)
            except (EOFError, OSError):
                process.join()
                convert.clean_up(process.pid)  # a LibreOffice it was running, and its files
                code = process.exitcode
                how = f"killed by {signal.Signals(-code).name}" if code and code < 0 else f"exit code {code}"
                outcome = ("error", f"parser crashed ({how}; memory limit {memory_mb} MB)")
            process.join()
            reader.close()
            _add(docs[index], outcome, index, finished)
        now = time.monotonic()
        for reader, (index, process, started) in list(running.items()):
            if now - started > timeout:
                _kill_group(process)
                process.join()
                convert.clean_up(process.pid)  # LibreOffice runs in a group of its own
                reader.close()
                del running[reader]
                _add(docs[index], ("error", late), index, finished)


def _own_group(pid: int) -> None:
    try:
        os.setpgid(pid, pid)
    except OSError:  # it has already set it itself, or has already ended
        pass


def _kill_group(process) -> None:
    """The worker and what it started (Tesseract): its process group, else the worker alone."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except OSError:
        process.kill()


def _failed(outcome: tuple) -> bool:
    status, value = outcome
    return status == "error" or (status == "done" and value.error is not None)


def _complete(doc: dict) -> bool:
    outcomes = doc["outcomes"]
    return bool(doc["reason"] or (outcomes and outcomes[0][0] == "done")
                or (doc["parts"] and len(outcomes) == doc["parts"]))


def _add(doc: dict, outcome: tuple, index: int, finished: deque) -> None:
    doc["outcomes"].append(outcome)
    if _complete(doc):
        finished.append(index)


def _finished(doc: dict) -> Document:
    if doc["reason"]:
        return Document(doc["path"], doc["sha256"], error=doc["reason"])
    if doc["outcomes"][0][0] == "done":
        return doc["outcomes"][0][1]
    return _document(doc["path"], doc["sha256"], doc["outcomes"])
