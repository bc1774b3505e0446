"""The outcome of reading one source document: kept apart from the loader, so that the extract
path (and its forked workers) never imports duckdb."""

import hashlib
import os
from dataclasses import dataclass, field


def path_text(path: str) -> str:
    """A file name as text that JSON, DuckDB and Dagster take. A name that is not UTF-8 (a GBK name
    unpacked from a Windows zip) comes from the file system with lone surrogates; each such part is
    decoded as GB18030, else shown with \\x escapes."""
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        pass
    parts = []
    for part in os.fsencode(path).split(b"/"):
        try:
            parts.append(part.decode("utf-8"))
        except UnicodeDecodeError:
            try:
                parts.append(part.decode("gb18030"))
            except UnicodeDecodeError:
                parts.append(part.decode("utf-8", "backslashreplace"))
    return "/".join(parts)


def sha256_of(path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass
class Document:
    """One source document's outcome: its records, or the reason it could not be read."""

    file: str  # its path as text (path_text)
    sha256: str
    records: list[dict] = field(default_factory=list)
    error: str | None = None

    def __post_init__(self):
        self.file = path_text(self.file)
