"""`dbt docs` is a real catalogue: every model and seed, and every column it builds, is described."""

import json

from conftest import query


def test_every_model_and_column_is_described(seed_warehouse):
    manifest = json.loads((seed_warehouse.parent / "dbt_target" / "manifest.json").read_text())
    undescribed = []
    for node in manifest["nodes"].values():
        if node["resource_type"] not in ("model", "seed"):
            continue
        if not node["description"].strip():
            undescribed.append(node["name"])
        built = [c for (c,) in query(seed_warehouse, f"""
            SELECT column_name FROM information_schema.columns
            WHERE table_schema = '{node["schema"]}' AND table_name = '{node["alias"]}'""")]
        assert built, node["name"]
        undescribed += [f'{node["name"]}.{c}' for c in built
                        if not node["columns"].get(c, {}).get("description", "").strip()]
    assert undescribed == []
