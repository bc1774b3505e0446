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


def ingest(inbox: Path, warehouse: Path, instance: DagsterInstance | None = None, **limits) -> dict:
    """One real Dagster run of the raw tables over every inbox document (partition); what it did."""
    from orchestration.assets import ingest
    from orchestration.automation import all_documents, sync_partitions
    from orchestration.resources import Warehouse

    resource = Warehouse(path=str(warehouse), inbox=str(inbox), **limits)
    instance = instance or DagsterInstance.ephemeral()
    result = materialize([ingest.raw_tables], resources={"warehouse": resource}, instance=instance,
                         tags=all_documents(sync_partitions(instance, resource)))
    assert result.success
    with duckdb.connect(str(warehouse), read_only=True) as con:
        row = con.execute("SELECT documents_seen, documents_new, documents_changed, documents_reread, "
                          "documents_unchanged FROM raw.ingestion_runs WHERE run_id = ?", [result.run_id]).fetchone()
    return dict(zip(("seen", "new", "changed", "reread", "unchanged"), row))


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
    assert ingest(inbox, warehouse) == {"seen": 1, "new": 1, "changed": 0, "reread": 0, "unchanged": 0}
    assert documents(warehouse) == [("a.pdf", True, 15)]

    # nothing changed: nothing is read again
    assert ingest(inbox, warehouse) == {"seen": 1, "new": 0, "changed": 0, "reread": 0, "unchanged": 1}

    # a byte-identical copy under another name loads once
    shutil.copy(TARGETS, inbox / "copy.pdf")
    assert ingest(inbox, warehouse) == {"seen": 2, "new": 0, "changed": 0, "reread": 0, "unchanged": 2}
    assert documents(warehouse) == [("a.pdf", True, 15)]

    # a.pdf replaced by other content: its reports are replaced, not added to
    shutil.copy(SELFEVAL, inbox / "a.pdf")
    assert ingest(inbox, warehouse) == {"seen": 2, "new": 0, "changed": 1, "reread": 0, "unchanged": 1}
    assert documents(warehouse) == [("a.pdf", True, 40), ("copy.pdf", True, 15)]  # the old content is copy.pdf

    # removed from the inbox: kept, marked
    (inbox / "copy.pdf").unlink()
    ingest(inbox, warehouse)
    assert documents(warehouse) == [("a.pdf", True, 40), ("copy.pdf", False, 15)]

    # a.pdf replaced again, with nothing else holding its old content: the old reports go
    shutil.copy(TARGETS, inbox / "a.pdf")
    ingest(inbox, warehouse)
    assert documents(warehouse) == [("a.pdf", True, 15)]


def test_emptied_inbox_still_marks_its_documents_removed(tmp_path):
    """Regression: with no document left in the inbox the schedule started no run, so the removed
    documents stayed "in the inbox" in the published warehouse."""
    from dagster import build_schedule_context, instance_for_test

    from orchestration.assets.publish import publish
    from orchestration.automation import nightly_schedule
    from orchestration.resources import Warehouse

    inbox, warehouse = tmp_path / "inbox", tmp_path / "w.duckdb"
    inbox.mkdir()
    shutil.copy(TARGETS, inbox / "a.pdf")
    resource = Warehouse(path=str(warehouse), inbox=str(inbox))
    (tmp_path / "dagster_home").mkdir()  # a schedule needs a persistent instance
    with instance_for_test(temp_dir=str(tmp_path / "dagster_home")) as instance:
        context = build_schedule_context(instance=instance, resources={"warehouse": resource})
        ingest(inbox, warehouse, instance)
        publish(warehouse, resource.published_path)

        (inbox / "a.pdf").unlink()
        assert nightly_schedule(context).tags["dagster/asset_partition_range_end"] == "a.pdf"
        ingest(inbox, warehouse, instance)
        assert documents(warehouse) == [("a.pdf", False, 15)]
        publish(warehouse, resource.published_path)

        assert "empty" in nightly_schedule(context).skip_message
        assert instance.get_dynamic_partitions("documents") == []


def test_a_document_named_in_gbk_is_loaded_under_its_chinese_name(tmp_path):
    """Regression: a file name that is not UTF-8 (unpacked from a Windows zip) reached DuckDB with
    lone surrogates, which it refuses: every nightly run failed."""
    import os

    from orchestration.automation import inbox_fingerprint
    from orchestration.resources import Warehouse

    inbox, warehouse = tmp_path / "inbox", tmp_path / "w.duckdb"
    inbox.mkdir()
    gbk = os.fsdecode(bytes(inbox) + b"/" + "绩效目标表.pdf".encode("gbk"))
    shutil.copy(TARGETS, gbk)
    assert inbox_fingerprint(Warehouse(path=str(warehouse), inbox=str(inbox)))
    assert ingest(inbox, warehouse)["new"] == 1
    assert documents(warehouse) == [("绩效目标表.pdf", True, 15)]
    assert ingest(inbox, warehouse) == {"seen": 1, "new": 0, "changed": 0, "reread": 0, "unchanged": 1}
    assert documents(warehouse) == [("绩效目标表.pdf", True, 15)]


def test_a_document_the_tables_refuse_is_rejected_and_the_run_goes_on(tmp_path, monkeypatch):
    """Whatever a document holds, loading it never fails the run (here the load is made to fail)."""
    from orchestration.assets import ingest as assets

    inbox, warehouse = tmp_path / "inbox", tmp_path / "w.duckdb"
    inbox.mkdir()
    shutil.copy(TARGETS, inbox / "a.pdf")
    shutil.copy(SELFEVAL, inbox / "b.pdf")
    load = assets.load_document

    def refuse_b(con, doc, version):
        if doc.file.endswith("b.pdf") and doc.records:
            raise duckdb.ConversionException("Conversion Error: out of range")
        return load(con, doc, version)
    monkeypatch.setattr(assets, "load_document", refuse_b)
    monkeypatch.setenv("JIXIAO_ISOLATE_STEPS", "0")  # the writer in this process, where the patch is
    ingest(inbox, warehouse)
    assert documents(warehouse) == [("a.pdf", True, 15), ("b.pdf", True, 0)]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("SELECT regexp_extract(source_file, '[^/]+$'), reason FROM raw.rejected_documents"
                           ).fetchall() == [("b.pdf", "cannot be stored: ConversionException: Conversion Error: "
                                                       "out of range")]


def test_new_extractor_version_reads_every_document_again(tmp_path, monkeypatch):
    from orchestration.assets import ingest as ingest_module

    inbox, warehouse = tmp_path / "inbox", tmp_path / "w.duckdb"
    inbox.mkdir()
    shutil.copy(TARGETS, inbox / "a.pdf")
    ingest(inbox, warehouse)
    monkeypatch.setattr(ingest_module, "LOAD_VERSION", "next-version")
    monkeypatch.setenv("JIXIAO_ISOLATE_STEPS", "0")  # the writer in this process, where the patch is
    assert ingest(inbox, warehouse)["reread"] == 1
    assert ingest(inbox, warehouse)["unchanged"] == 1
    assert documents(warehouse) == [("a.pdf", True, 15)]


def rejected(warehouse: Path) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute("SELECT regexp_extract(source_file, '[^/]+$'), split_part(reason, ' ', 1), attempts, "
                           "first_seen <= last_seen FROM raw.rejected_documents ORDER BY 1").fetchall()


def test_rejected_documents_are_recorded_and_retried_only_when_it_may_help(tmp_path, monkeypatch):
    """A document that timed out is tried again on the next runs (up to max_attempts); a broken one
    is not, until its content changes; the good document in the same run is loaded either way."""
    inbox, warehouse = tmp_path / "inbox", tmp_path / "w.duckdb"
    inbox.mkdir()
    shutil.copy(TARGETS, inbox / "good.pdf")
    shutil.copy(SELFEVAL, inbox / "slow.pdf")
    (inbox / "broken.pdf").write_bytes(b"%PDF-1.4 truncated")
    # A microsecond: a fork alone takes longer, so every document is past its limit on any machine.
    # Regression: the limit was judged only when a poll found the worker still running, so a
    # document that ended between two polls was loaded, however long it took.
    monkeypatch.setenv("JIXIAO_PARSE_TIMEOUT", "0.000001")
    ingest(inbox, warehouse, max_attempts=2)
    assert rejected(warehouse) == [("broken.pdf", "corrupt", 1, True), ("good.pdf", "parsing", 1, True),
                                   ("slow.pdf", "parsing", 1, True)]
    monkeypatch.setenv("JIXIAO_PARSE_TIMEOUT", "600")
    monkeypatch.setenv("JIXIAO_EXTRACT_JOBS", "1")
    run = ingest(inbox, warehouse, max_attempts=2)
    assert run == {"seen": 3, "new": 0, "changed": 0, "reread": 2, "unchanged": 1}  # broken.pdf waits
    assert rejected(warehouse) == [("broken.pdf", "corrupt", 1, True)]
    assert documents(warehouse) == [("broken.pdf", True, 0), ("good.pdf", True, 15), ("slow.pdf", True, 40)]


def test_one_document_is_read_again_from_its_partition(tmp_path):
    """What the UI or `dagster asset materialize --partition` does: one partition, reread on."""
    from orchestration.assets import ingest as ingest_module
    from orchestration.resources import Warehouse

    inbox, warehouse = tmp_path / "inbox", tmp_path / "w.duckdb"
    (inbox / "2024").mkdir(parents=True)
    shutil.copy(TARGETS, inbox / "2024" / "a.pdf")
    shutil.copy(SELFEVAL, inbox / "b.pdf")
    instance = DagsterInstance.ephemeral()
    ingest(inbox, warehouse, instance)
    result = materialize([ingest_module.raw_tables], instance=instance, partition_key="2024/a.pdf",
                         resources={"warehouse": Warehouse(path=str(warehouse), inbox=str(inbox))},
                         run_config={"ops": {"raw_tables": {"config": {"reread": True}}}})
    assert result.success
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("SELECT documents_reread, documents_unchanged, reports_loaded FROM raw.ingestion_runs "
                           "WHERE run_id = ?", [result.run_id]).fetchone() == (1, 0, 15)
        assert con.execute("SELECT regexp_extract(source_file, '[^/]+$'), attempts FROM raw.documents "
                           "ORDER BY 1").fetchall() == [("a.pdf", 2), ("b.pdf", 1)]
    assert documents(warehouse) == [("a.pdf", True, 15), ("b.pdf", True, 40)]
