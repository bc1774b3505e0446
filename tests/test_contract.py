"""The repository's copy of the record contract is the shared contract plus documented additions."""

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "contract" / "report-record.schema.json"
ADDITIONS = {"extraction_warnings"}


@pytest.mark.skipif(not SHARED.exists(), reason="shared/ is not beside this checkout")
def test_schema_is_shared_contract_plus_additions():
    ours = json.loads((ROOT / "extract" / "report-record.schema.json").read_text())
    shared = json.loads(SHARED.read_text())
    for kind in ("self_evaluation", "performance_target"):
        props = ours["$defs"][kind]["properties"]
        assert ADDITIONS <= props.keys()
        for name in ADDITIONS:
            del props[name]
    assert ours == shared
