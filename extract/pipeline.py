"""Files → ``Document`` outcomes (records or a reason), parsed in child processes with limits.

Source documents are untrusted: a decompression bomb or a pathological file must cost one
document, not the run. Pages are read in forked workers with an address-space limit
(``JIXIAO_PARSE_MEMORY_MB``, default 2048) and a wall-time limit (``JIXIAO_PARSE_TIMEOUT`` seconds,
default 600). With ``jobs`` > 1 the pages of one PDF are striped over the workers (worker k reads
pages k, k+jobs, …), so one long document uses every core; the page layouts come back to this
process, which reads the reports from them in page order.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import resource
import time
from collections.abc import Iterable, Iterator
from multiprocessing.connection import wait
from pathlib import Path
from .document import Document
from .docx import UnreadableDocx, read_docx
from .layout import PageLayout
from .pdf import UnreadableDocument, read_pdf
from .reports import parse_layouts

LEGACY_OFFICE = {".doc", ".wps", ".et", ".xls"}


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_layouts(path: Path, part: int = 0, parts: int = 1) -> list[PageLayout]:
    """The layouts of every ``parts``-th page starting at ``part`` (a Word file is one part)."""
    if path.suffix.lower() == ".docx":
        return read_docx(path) if part == 0 else []
    return list(read_pdf(path, part, parts))


def _read_safely(path: Path, part: int, parts: int) -> tuple[str, object]:
    """("ok", layouts) or ("error", reason): a bad document is an outcome, not an exception."""
    try:
        return "ok", read_layouts(path, part, parts)
    except (UnreadableDocument, UnreadableDocx) as exc:
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
    except Exception as exc:
        doc.error = f"parser failed: {exc.__class__.__name__}: {str(exc)[:200]}"
        return doc
    if not results:
        no_text = sum(layout.char_count for layout in layouts) == 0
        doc.error = ("no text layer (image-only or scanned document; OCR is not supported)" if no_text
                     else "no report table found (项目支出绩效自评表 / 项目绩效目标表)")
    for record, pages, warnings in results:
        record["source"] = {"file": name, "sha256": sha256, "pages": list(pages)}
        if warnings:
            record["extraction_warnings"] = warnings
        doc.records.append(record)
    return doc


def _precheck(path: Path) -> tuple[str, str | None]:
    """(sha256, reason the file cannot be parsed at all) — decided without parsing it."""
    try:
        sha256 = sha256_of(path)
    except OSError as exc:
        return "", f"cannot read file: {exc.strerror or exc}"
    suffix = path.suffix.lower()
    if suffix in LEGACY_OFFICE:
        return sha256, f"legacy {suffix} file: convert to DOCX or PDF"
    return sha256, None


def extract_file(path: str | Path) -> Document:
    """Extract every report of one document, in this process. Never raises for a bad document."""
    sha256, reason = _precheck(Path(path))
    if reason:
        return Document(str(path), sha256, error=reason)
    return _document(str(path), sha256, [_read_safely(Path(path), 0, 1)])


def limits() -> tuple[float, int]:
    """(wall seconds, memory MB) for one document, from the environment."""
    return (float(os.environ.get("JIXIAO_PARSE_TIMEOUT", 600)),
            int(os.environ.get("JIXIAO_PARSE_MEMORY_MB", 2048)))


def _worker(path: str, part: int, parts: int, memory_mb: int, conn) -> None:
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    conn.send(_read_safely(Path(path), part, parts))
    conn.close()


def extract_files(paths: Iterable[str | Path], jobs: int = 1) -> Iterator[Document]:
    """Every document's outcome, in input order, read by up to ``jobs`` isolated workers."""
    timeout, memory_mb = limits()
    jobs = max(1, jobs)
    context = multiprocessing.get_context("fork")
    docs, tasks = [], []
    for index, path in enumerate(str(p) for p in paths):
        sha256, reason = _precheck(Path(path))
        parts = 1 if reason or Path(path).suffix.lower() == ".docx" else jobs
        docs.append({"path": path, "sha256": sha256, "reason": reason, "parts": parts, "outcomes": []})
        if not reason:
            tasks += [(index, part, parts) for part in range(parts)]
    tasks.reverse()
    running: dict = {}  # reader → (doc index, process, started)
    next_index = 0
    while True:
        # workers first, so that they run while this process reads the finished documents below
        while tasks and len(running) < jobs:
            index, part, parts = tasks.pop()
            reader, writer = context.Pipe(duplex=False)
            process = context.Process(target=_worker, daemon=True,
                                      args=(docs[index]["path"], part, parts, memory_mb, writer))
            process.start()
            writer.close()
            running[reader] = (index, process, time.monotonic())
        while next_index < len(docs):
            doc = docs[next_index]
            if doc["reason"]:
                yield Document(doc["path"], doc["sha256"], error=doc["reason"])
            elif len(doc["outcomes"]) == doc["parts"]:
                yield _document(doc["path"], doc["sha256"], doc["outcomes"])
            else:
                break
            docs[next_index] = None  # let the layouts go
            next_index += 1
        if next_index == len(docs):
            return
        for reader in wait(list(running), timeout=0.2) if running else []:
            index, process, _ = running.pop(reader)
            try:
                outcome = reader.recv()
            except (EOFError, OSError):
                process.join()
                outcome = ("error", f"parser crashed (exit code {process.exitcode}; "
                                    f"memory limit {memory_mb} MB)")
            process.join()
            reader.close()
            docs[index]["outcomes"].append(outcome)
        now = time.monotonic()
        for reader, (index, process, started) in list(running.items()):
            if now - started > timeout:
                process.kill()
                process.join()
                reader.close()
                del running[reader]
                docs[index]["outcomes"].append(
                    ("error", f"parsing took longer than {timeout:g} s (limit JIXIAO_PARSE_TIMEOUT)"))
