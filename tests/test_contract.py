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


def test_comparator_and_unit_columns_are_read_as_one_printed_target(tmp_path):
    """A template with 指标性质 and 度量单位 columns ("≥" "95" "%") normalises as "≥95%" does."""
    from extract.load import indicator_values, printed_with_columns

    apart = {"level3": "满意度", "comparator": "≥", "target": "95", "unit": "%", "actual": "96"}
    together = {"level3": "满意度", "comparator": None, "target": "≥95%", "unit": None, "actual": "96%"}
    assert printed_with_columns(apart, "target") == "≥95%" and printed_with_columns(apart, "actual") == "96%"
    assert indicator_values(apart, True) == indicator_values(together, True)
    # a unit already printed in the cell is not doubled, a word comparator (定性) is not prefixed
    assert printed_with_columns({"comparator": "定性", "target": "好", "unit": None}, "target") == "好"
    assert printed_with_columns({"comparator": "=", "target": "100%", "unit": "%"}, "target") == "=100%"
