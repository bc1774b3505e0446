"""Contract v2 (extract/report-record.schema.json) is this project's own; v1 records, as the shared
contract it started from describes them (../shared/contract), still validate and load."""

import hashlib
import json
from pathlib import Path

import jsonschema
import pytest

from extract.document import Document
from extract.load import connect, load_document

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((ROOT / "extract" / "report-record.schema.json").read_text(encoding="utf-8"))
SHARED = ROOT.parent / "shared" / "contract" / "report-record.schema.json"
V1_RECORDS = [ROOT / "samples" / "records" / "selfeval_dahongmen_2023.jsonl",
              ROOT / "samples" / "records" / "targets_yanshanlu_2024.jsonl"]


def v1_records() -> list[dict]:
    records = []
    for path in V1_RECORDS:
        for line in path.read_text(encoding="utf-8").splitlines():
            record = {k: v for k, v in json.loads(line).items() if k != "seed_report"}
            record["source"] = {"file": path.name, "sha256": hashlib.sha256(str(len(records)).encode()).hexdigest(), "pages": [1, 1]}
            records.append(record)
    return records


@pytest.mark.skipif(not SHARED.exists(), reason="shared/ is not beside this checkout")
def test_v1_records_are_v1_and_validate_under_v2():
    v1 = jsonschema.Draft202012Validator(json.loads(SHARED.read_text(encoding="utf-8")))
    v2 = jsonschema.Draft202012Validator(SCHEMA)
    for record in v1_records():
        assert "contract_version" not in record
        v1.validate(record)
        v2.validate(record)


def test_v1_records_load(tmp_path):
    records = v1_records()
    with connect(tmp_path / "w.duckdb") as con:
        for record in records:
            load_document(con, Document(record["source"]["file"], record["source"]["sha256"], [record]), "test")
        assert con.execute("SELECT count(*), count(contract_version) FROM raw.reports").fetchone() == (len(records), 0)
