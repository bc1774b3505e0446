"""Files → ``Document`` outcomes (records or a reason), each parsed in a child process with limits.

Source documents are untrusted: a decompression bomb or a pathological file must cost one
document, not the run. Each file is parsed in a forked worker with an address-space limit
(``JIXIAO_PARSE_MEMORY_MB``, default 2048) and a wall-time limit (``JIXIAO_PARSE_TIMEOUT`` seconds,
default 600); ``jobs`` workers run at once and results come back in input order.
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

from .docx import UnreadableDocx, read_docx
from .load import Document
from .pdf import UnreadableDocument, read_pdf
from .reports import parse_layouts

LEGACY_WORD = {".doc", ".wps", ".et", ".xls"}


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def extract_file(path: str | Path) -> Document:
    """Extract every report of one document, in this process. Never raises for a bad document."""
    name, path = str(path), Path(path)
    try:
        sha256 = sha256_of(path)
    except OSError as exc:
        return Document(name, "", error=f"cannot read file: {exc.strerror or exc}")
    doc = Document(name, sha256)
    suffix = path.suffix.lower()
    if suffix in LEGACY_WORD:
        doc.error = f"legacy {suffix} file: convert to DOCX or PDF"
        return doc
    chars = 0

    def counted(layouts):
        nonlocal chars
        for layout in layouts:
            chars += layout.char_count
            yield layout

    try:
        layouts = read_docx(path) if suffix == ".docx" else read_pdf(path)
        results = parse_layouts(counted(layouts))
    except (UnreadableDocument, UnreadableDocx) as exc:
        doc.error = str(exc)
        return doc
    except MemoryError:
        doc.error = "parser ran out of memory (limit JIXIAO_PARSE_MEMORY_MB)"
        return doc
    except Exception as exc:  # a parser bug or a hostile file: this document only
        doc.error = f"parser failed: {exc.__class__.__name__}: {str(exc)[:200]}"
        return doc
    if not results:
        doc.error = ("no text layer (image-only or scanned document; OCR is not supported)" if chars == 0
                     else "no report table found (项目支出绩效自评表 / 项目绩效目标表)")
    for record, pages, warnings in results:
        record["source"] = {"file": name, "sha256": sha256, "pages": list(pages)}
        if warnings:
            record["extraction_warnings"] = warnings
        doc.records.append(record)
    return doc


def limits() -> tuple[float, int]:
    """(wall seconds, memory MB) for one document, from the environment."""
    return (float(os.environ.get("JIXIAO_PARSE_TIMEOUT", 600)),
            int(os.environ.get("JIXIAO_PARSE_MEMORY_MB", 2048)))


def _worker(path: str, memory_mb: int, conn) -> None:
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    conn.send(extract_file(path))
    conn.close()


def extract_files(paths: Iterable[str | Path], jobs: int = 1) -> Iterator[Document]:
    """``extract_file`` over many files in ``jobs`` isolated workers, yielded in input order."""
    timeout, memory_mb = limits()
    context = multiprocessing.get_context("fork")
    queue = list(enumerate(str(p) for p in paths))
    queue.reverse()
    running: dict = {}  # reader connection → (index, path, process, started)
    done: dict[int, Document] = {}
    next_index = 0
    while queue or running:
        while queue and len(running) < max(1, jobs):
            index, path = queue.pop()
            reader, writer = context.Pipe(duplex=False)
            process = context.Process(target=_worker, args=(path, memory_mb, writer), daemon=True)
            process.start()
            writer.close()
            running[reader] = (index, path, process, time.monotonic())
        for reader in wait(list(running), timeout=0.5):
            index, path, process, _ = running.pop(reader)
            try:
                done[index] = reader.recv()
            except (EOFError, OSError):
                process.join()
                done[index] = _failed(path, f"parser crashed (exit code {process.exitcode}; "
                                            f"memory limit {memory_mb} MB)")
            process.join()
            reader.close()
        now = time.monotonic()
        for reader, (index, path, process, started) in list(running.items()):
            if now - started > timeout:
                process.kill()
                process.join()
                reader.close()
                del running[reader]
                done[index] = _failed(path, f"parsing took longer than {timeout:g} s "
                                            "(limit JIXIAO_PARSE_TIMEOUT)")
        while next_index in done:
            yield done.pop(next_index)
            next_index += 1


def _failed(path: str, reason: str) -> Document:
    try:
        sha256 = sha256_of(Path(path))
    except OSError:
        sha256 = ""
    return Document(path, sha256, error=reason)
