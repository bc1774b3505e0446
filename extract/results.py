"""Extraction results, one content-addressed file per document and reader.

``<results>/<sha256>.<reader>.jsonl.gz``: a header line (sha256, reader, error, the run that wrote
it), then one report record a line. Same bytes read by the same reader give the same result, so a
result is named by the two alone: the file's name is not part of it (records come back under the
name the caller gives). ``<results>`` is a folder, shared by the workers that write and the writer
that loads (a network or a mounted bucket), or any fsspec URL whose file system is installed.
"""

import functools
import gzip
import hashlib
import io
import json
import uuid
from datetime import datetime, timezone
from pathlib import Path

import fsspec

from . import EXTRACTOR_VERSION
from .document import Document

HERE = Path(__file__).resolve().parent


@functools.cache
def reader_version() -> str:
    """EXTRACTOR_VERSION and a digest of the reader's code and templates: a result written by other
    code (an edit without a version bump, a worker not yet upgraded) is never taken for this one's."""
    digest = hashlib.sha256()
    for path in sorted(p for p in HERE.rglob("*") if p.suffix in {".py", ".yaml", ".json"}
                       and "__pycache__" not in p.parts):
        digest.update(path.relative_to(HERE).as_posix().encode() + b"\0" + path.read_bytes())
    return f"{EXTRACTOR_VERSION.replace('/', '-')}-{digest.hexdigest()[:12]}"


def result_name(sha256: str) -> str:
    return f"{sha256}.{reader_version()}.jsonl.gz"


def write_result(root: str, doc: Document, run_id: str) -> str | None:
    """Store ``doc`` under its sha256 (a temporary name renamed into place: a crash leaves no half
    result); its path, or None for a file that could not even be hashed."""
    if not doc.sha256:
        return None
    header = {"sha256": doc.sha256, "reader": reader_version(), "error": doc.error, "run_id": run_id,
              "written_at": datetime.now(timezone.utc).isoformat()}
    lines = [header] + [{**rec, "source": {k: v for k, v in rec["source"].items() if k != "file"}}
                        for rec in doc.records]
    data = io.BytesIO()
    with gzip.GzipFile(fileobj=data, mode="wb", mtime=0) as gz:
        for line in lines:
            gz.write(json.dumps(line, ensure_ascii=False).encode() + b"\n")
    fs, base = fsspec.core.url_to_fs(root)
    fs.makedirs(base, exist_ok=True)
    final = f"{base}/{result_name(doc.sha256)}"
    temporary = f"{base}/.{uuid.uuid4().hex}.tmp"
    with fs.open(temporary, "wb") as fh:
        fh.write(data.getvalue())
    fs.mv(temporary, final)
    return final


def read_result(root: str, sha256: str, file: str) -> tuple[Document, dict] | None:
    """(the document as ``file``, the header) stored for ``sha256`` by this reader, or None when there
    is none. A result that cannot be read raises ValueError naming it."""
    fs, base = fsspec.core.url_to_fs(root)
    path = f"{base}/{result_name(sha256)}"
    try:
        with fs.open(path, "rb") as fh:
            lines = gzip.decompress(fh.read()).decode().splitlines()
        header, *records = (json.loads(line) for line in lines)
    except FileNotFoundError:
        return None
    except (OSError, EOFError, UnicodeDecodeError, ValueError) as exc:
        raise ValueError(f"unreadable extraction result {path}: {exc}") from exc
    if header.get("sha256") != sha256 or header.get("reader") != reader_version():
        raise ValueError(f"extraction result {path} holds {header.get('sha256')} read by {header.get('reader')}")
    for rec in records:
        rec["source"] = {"file": file, **rec["source"]}
    return Document(file, sha256, records, header["error"]), header
