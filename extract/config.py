"""Settings shared by the extractor, the loader, dbt and Dagster: environment variables with defaults."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def warehouse_url() -> str | None:
    """The PostgreSQL warehouse's URL when ``JIXIAO_WAREHOUSE`` is one (``postgresql://USER@HOST:PORT/DB``),
    else None: the warehouse is the embedded DuckDB file."""
    value = os.environ.get("JIXIAO_WAREHOUSE", "")
    return value if value.startswith(POSTGRES_SCHEMES) else None


def warehouse_path() -> Path:
    """The DuckDB file (``JIXIAO_WAREHOUSE``, default ``warehouse/jixiao.duckdb``). With a PostgreSQL
    warehouse, the writer's local DuckDB ledger of what was read (``JIXIAO_LEDGER``, default
    ``warehouse/ledger.duckdb``)."""
    if warehouse_url():
        return Path(os.environ.get("JIXIAO_LEDGER", ROOT / "warehouse" / "ledger.duckdb")).resolve()
    return Path(os.environ.get("JIXIAO_WAREHOUSE", ROOT / "warehouse" / "jixiao.duckdb")).resolve()


def results_path() -> str:
    """Where extraction results go, one content-addressed file per document and reader version
    (``JIXIAO_RESULTS``: a folder or an fsspec URL, default ``results/`` beside the warehouse file or ledger)."""
    return os.environ.get("JIXIAO_RESULTS", str(warehouse_path().parent / "results"))


def inbox_path() -> Path:
    """The folder of source documents (``JIXIAO_INBOX``, default the bundled ``samples/``)."""
    return Path(os.environ.get("JIXIAO_INBOX", ROOT / "samples")).resolve()


def published_path(warehouse: Path) -> Path:
    """The read-only copy analysts open, replaced atomically after each successful build: by default
    ``published/`` beside the warehouse file, same name (``JIXIAO_PUBLISHED`` overrides it)."""
    return warehouse.parent / "published" / warehouse.name
