"""Everything configurable, in one place: warehouse, inbox, extraction workers, the dbt project."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from dagster import ConfigurableResource
from dagster_dbt import DbtCliResource, DbtProject

from extract.config import ROOT, inbox_path, published_path, results_path, warehouse_path, warehouse_url
from extract.document import path_text

DBT_PROJECT_DIR = ROOT / "dbt_project"
DOCUMENT_SUFFIXES = {".pdf", ".docx", ".xlsx", ".xlsm", ".csv", ".doc", ".wps", ".xls", ".et"}  # legacy ones: converted by LibreOffice
SKIP_MARKER = ".jixiao-skip"


class Warehouse(ConfigurableResource):
    """The DuckDB file the pipeline writes, the read-only copy it publishes for analysts, and the
    inbox it is fed from (env JIXIAO_WAREHOUSE, JIXIAO_PUBLISHED, JIXIAO_INBOX)."""

    path: str  # the DuckDB warehouse; with a PostgreSQL warehouse, the writer's local ledger
    inbox: str
    postgres: str = ""  # postgresql://USER@HOST:PORT/DB when the warehouse is on PostgreSQL
    results: str = ""  # where extraction results go, content-addressed (JIXIAO_RESULTS)
    published: str = ""
    extract_jobs: int = 1
    max_attempts: int = 3  # a document that timed out, ran out of memory or crashed is tried this often

    @property
    def on_postgres(self) -> bool:
        return bool(self.postgres)

    @property
    def published_path(self) -> Path:
        return Path(self.published) if self.published else published_path(Path(self.path))

    def documents(self) -> list[Path]:
        """The source documents in the inbox (recursively), in a stable order.

        A folder holding a file named ``.jixiao-skip`` is left out with everything under it (the
        evaluation sets under samples/eval repeat the sample reports in other renderings).
        """
        inbox = Path(self.inbox)
        skipped = [marker.parent for marker in inbox.rglob(SKIP_MARKER)]
        return sorted(p for p in inbox.rglob("*") if p.is_file() and p.suffix.lower() in DOCUMENT_SUFFIXES
                      and not any(p.is_relative_to(folder) for folder in skipped))

    def document_keys(self) -> dict[str, Path]:
        """Partition key (the path inside the inbox, with /, as text: path_text) → file, for every
        inbox document."""
        return {path_text(p.relative_to(self.inbox).as_posix()): p for p in self.documents()}


def warehouse_resource() -> Warehouse:
    url = warehouse_url()
    path = warehouse_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    if url:  # dbt's postgres target (dbt_project/profiles.yml), its credentials from the URL
        from .postgres import dbt_env

        os.environ.update(dbt_env(url))
    else:  # dbt reads the same variable (dbt_project/profiles.yml): always an absolute path.
        os.environ.update(JIXIAO_WAREHOUSE=str(path), JIXIAO_DBT_TARGET="duckdb")
    published = os.environ.get("JIXIAO_PUBLISHED")
    return Warehouse(path=str(path), inbox=str(inbox_path()), postgres=url or "", results=results_path(),
                     published=str(Path(published).resolve()) if published else "",
                     extract_jobs=int(os.environ.get("JIXIAO_EXTRACT_JOBS", 1)),
                     max_attempts=int(os.environ.get("JIXIAO_MAX_ATTEMPTS", 3)))


dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


def ensure_dbt_manifest() -> Path:
    """Parse the dbt project when its manifest is missing or older than its sources.

    ``DbtProject.prepare_if_dev()`` only parses under ``dagster dev``; tests, CI and ``jixiao run``
    need the manifest too.
    """
    manifest = dbt_project.manifest_path
    sources = [p for p in DBT_PROJECT_DIR.rglob("*") if p.suffix in {".sql", ".yml", ".csv"}
               and "target" not in p.parts and "logs" not in p.parts]
    if manifest.exists() and manifest.stat().st_mtime >= max(p.stat().st_mtime for p in sources):
        return manifest
    from dbt.cli.main import dbtRunner

    result = dbtRunner().invoke(["parse", "--quiet", "--project-dir", str(DBT_PROJECT_DIR),
                                 "--profiles-dir", str(DBT_PROJECT_DIR)])
    if not result.success:
        raise RuntimeError(f"dbt parse failed: {result.exception}")
    return manifest


def dbt_resource() -> DbtCliResource:
    # The venv's dbt, whether or not the venv is on PATH (`make run` does not activate it).
    return DbtCliResource(project_dir=dbt_project, profiles_dir=str(DBT_PROJECT_DIR),
                          dbt_executable=str(Path(sys.executable).parent / "dbt"))
