"""Inbox documents → report records → raw tables (one DuckDB transaction per document)."""


import os
from collections import Counter

from dagster import AssetExecutionContext, AssetIn, AssetSpec, MaterializeResult, MetadataValue, asset, multi_asset

from extract import EXTRACTOR_VERSION
from extract.load import Document, connect, load_document, loaded_versions, sync_inbox
from extract.pipeline import extract_files, sha256_of
from extract.values import NORMALISER_VERSION

from ..resources import Warehouse

# What a loaded document depends on: a new extractor or normaliser re-reads every document.
LOAD_VERSION = f"{EXTRACTOR_VERSION}+values/{NORMALISER_VERSION}"
RAW_TABLES = ["documents", "reports", "funding", "indicators", "indicator_values", "spend_plan", "goals"]


@asset(group_name="ingest", description="The source documents (PDF/DOCX) found in the inbox folder, "
                                         "each with the sha256 of its content.")
def source_documents(context: AssetExecutionContext, warehouse: Warehouse) -> dict[str, str]:
    inbox = {str(p): _sha256(p) for p in warehouse.documents()}
    context.add_output_metadata({"inbox": warehouse.inbox, "documents": len(inbox),
                                 "files": MetadataValue.md("\n".join(f"- `{p}`" for p in inbox))})
    return inbox


def _sha256(path) -> str:
    try:
        return sha256_of(path)
    except OSError:  # unreadable: extract_files says why, and it is tried again next run
        return ""


@asset(group_name="ingest", description="Report records extracted from each new or changed document "
                                         "(the record contract); documents already loaded are skipped.")
def report_records(context: AssetExecutionContext, warehouse: Warehouse,
                   source_documents: dict[str, str]) -> list[Document]:
    with connect(warehouse.path) as con:
        loaded = loaded_versions(con)
    new, seen = [], set()
    for path, sha256 in source_documents.items():
        if loaded.get(sha256) != LOAD_VERSION and sha256 not in seen:  # copies load once
            new.append(path)
        seen.add(sha256)
    documents = []
    for doc in extract_files(new, jobs=warehouse.extract_jobs):
        if doc.error:
            context.log.warning(f"ERROR {doc.file}: {doc.error}")
        else:
            context.log.info(f"{doc.file}: {len(doc.records)} reports")
        documents.append(doc)
    failed = {d.file: d.error for d in documents if d.error}
    context.add_output_metadata({
        "documents": len(source_documents), "unchanged": len(source_documents) - len(new),
        "extracted": len(documents), "reports": sum(len(d.records) for d in documents),
        "failed_documents": len(failed),
        "failures": MetadataValue.md("\n".join(f"- `{f}`: {e}" for f, e in failed.items()) or "none"),
        "reports_with_warnings": sum(1 for d in documents for r in d.records if r.get("extraction_warnings")),
    })
    return documents


@multi_asset(
    group_name="ingest",
    ins={"source_documents": AssetIn(), "report_records": AssetIn()},
    specs=[AssetSpec(["raw", table], deps=["source_documents", "report_records"],
                     description=f"raw.{table}: report records as extracted, with source file, "
                                 "sha256 and pages.") for table in RAW_TABLES],
)
def raw_tables(context: AssetExecutionContext, warehouse: Warehouse, source_documents: dict[str, str],
               report_records: list[Document]):
    loaded = Counter()
    with connect(warehouse.path) as con:
        for doc in report_records:
            if not doc.sha256:  # the file could not even be read: nothing to key it by
                continue
            loaded[doc.error is None] += 1
            load_document(con, doc, LOAD_VERSION)
        # the inbox as listed at the start of this run: a file dropped in meanwhile waits for the next
        changes = sync_inbox(con, source_documents, keep_removed=os.environ.get("JIXIAO_KEEP_REMOVED", "1") != "0")
        counts = {t: con.execute(f"SELECT count(*) FROM raw.{t}").fetchone()[0] for t in RAW_TABLES}
    context.log.info(f"loaded {loaded[True]} documents, recorded {loaded[False]} unreadable ones, "
                     f"replaced {changes['replaced']}, no longer in the inbox {changes['removed']}")
    for table in RAW_TABLES:
        yield MaterializeResult(asset_key=["raw", table], metadata={"rows": counts[table]})
