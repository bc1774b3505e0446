"""Incremental ingestion by content: unchanged documents are not read again, copies load once, a
replaced document replaces its reports, a removed one is kept and marked. Real Dagster runs of
the ingest assets on real PDFs into a real DuckDB file."""

import shutil
from pathlib import Path

import duckdb
from dagster import DagsterInstance, materialize

ROOT = Path(__file__).resolve().parent.parent
TARGETS = ROOT / "samples" / "targets_yanshanlu_2024.pdf"
SELFEVAL = ROOT / "samples" / "selfeval_dahongmen_2023.pdf"


def ingest(inbox: Path, warehouse: Path) -> dict:
    from orchestration.assets import ingest
    from orchestration.resources import Warehouse

    result = materialize([ingest.source_documents, ingest.report_records, ingest.raw_tables],
                         resources={"warehouse": Warehouse(path=str(warehouse), inbox=str(inbox))},
                         instance=DagsterInstance.ephemeral())
    assert result.success
    [records] = [m for m in result.get_asset_materialization_events()
                 if m.asset_key.to_user_string() == "report_records"]
    return {k: v.value for k, v in records.materialization.metadata.items()
            if k in ("documents", "unchanged", "extracted")}


def documents(warehouse: Path) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute("""
            SELECT regexp_extract(d.source_file, '[^/]+$'), d.in_inbox, count(r.report_id)
            FROM raw.documents d LEFT JOIN raw.reports r USING (source_sha256)
            GROUP BY d.source_sha256, d.source_file, d.in_inbox ORDER BY 1, 3""").fetchall()


def test_inbox_changes_are_loaded_by_content(tmp_path):
    inbox, warehouse = tmp_path / "inbox", tmp_path / "w.duckdb"
    inbox.mkdir()
    shutil.copy(TARGETS, inbox / "a.pdf")
    assert ingest(inbox, warehouse) == {"documents": 1, "unchanged": 0, "extracted": 1}
    assert documents(warehouse) == [("a.pdf", True, 15)]

    # nothing changed: nothing is read again
    assert ingest(inbox, warehouse) == {"documents": 1, "unchanged": 1, "extracted": 0}

    # a byte-identical copy under another name loads once
    shutil.copy(TARGETS, inbox / "copy.pdf")
    assert ingest(inbox, warehouse) == {"documents": 2, "unchanged": 2, "extracted": 0}
    assert documents(warehouse) == [("a.pdf", True, 15)]

    # a.pdf replaced by other content: its reports are replaced, not added to
    shutil.copy(SELFEVAL, inbox / "a.pdf")
    assert ingest(inbox, warehouse) == {"documents": 2, "unchanged": 1, "extracted": 1}
    assert documents(warehouse) == [("a.pdf", True, 40), ("copy.pdf", True, 15)]  # the old content is copy.pdf

    # removed from the inbox: kept, marked
    (inbox / "copy.pdf").unlink()
    ingest(inbox, warehouse)
    assert documents(warehouse) == [("a.pdf", True, 40), ("copy.pdf", False, 15)]

    # a.pdf replaced again, with nothing else holding its old content: the old reports go
    shutil.copy(TARGETS, inbox / "a.pdf")
    ingest(inbox, warehouse)
    assert documents(warehouse) == [("a.pdf", True, 15)]
