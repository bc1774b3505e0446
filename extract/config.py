"""Settings shared by the extractor, the loader, dbt and Dagster: environment variables with defaults."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def warehouse_path() -> Path:
    """The DuckDB file (``JIXIAO_WAREHOUSE``, default ``warehouse/jixiao.duckdb``)."""
    return Path(os.environ.get("JIXIAO_WAREHOUSE", ROOT / "warehouse" / "jixiao.duckdb")).resolve()


def inbox_path() -> Path:
    """The folder of source documents (``JIXIAO_INBOX``, default the bundled ``samples/``)."""
    return Path(os.environ.get("JIXIAO_INBOX", ROOT / "samples")).resolve()


def published_path(warehouse: Path) -> Path:
    """The read-only copy analysts open, replaced atomically after each successful build: by default
    ``published/`` beside the warehouse file, same name (``JIXIAO_PUBLISHED`` overrides it)."""
    return warehouse.parent / "published" / warehouse.name
