"""The outcome of reading one source document: kept apart from the loader, so that the extract
path (and its forked workers) never imports duckdb."""

from dataclasses import dataclass, field


@dataclass
class Document:
    """One source document's outcome: its records, or the reason it could not be read."""

    file: str
    sha256: str
    records: list[dict] = field(default_factory=list)
    error: str | None = None
