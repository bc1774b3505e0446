"""The dbt project: staging → intermediate → facts, dimensions and marts (`dbt build`, tests included).

Two dbt steps: every model but ``mart_dq_office_year`` (a view on the findings the data-quality step
writes after the facts are built), then that model once the findings are in.
"""

from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

import duckdb
from dagster import (AssetExecutionContext, AssetKey, AssetMaterialization, MetadataValue, Output, TableColumn,
                     TableRecord, TableSchema)
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from ..resources import Warehouse, dbt_project, ensure_dbt_manifest
from .ingest import OWNERS, WAREHOUSE_POOL

ensure_dbt_manifest()

DQ_MODEL = "mart_dq_office_year"
PREVIEW_ROWS = 10


class WarehouseTranslator(DagsterDbtTranslator):
    """Groups and keys from where a model sits in dbt_project/models (its fqn), not its schema:
    the intermediate models live in schema ``staging`` but are no staging models."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> AssetKey:
        if dbt_resource_props["resource_type"] == "model" and _folders(dbt_resource_props)[:1] == ["intermediate"]:
            return AssetKey(["intermediate", dbt_resource_props["name"]])
        return super().get_asset_key(dbt_resource_props)

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        folders = _folders(dbt_resource_props)
        if dbt_resource_props["resource_type"] == "seed":
            return "staging"  # lookup tables (aliases, taxonomy) read by the staging and intermediate models
        if folders[:1] == ["marts"]:
            return "marts" if "analyst" in folders else "facts"
        if folders[:1] in (["staging"], ["intermediate"]):
            return folders[0]
        return super().get_group_name(dbt_resource_props)

    def get_owners(self, dbt_resource_props: Mapping[str, Any]) -> list[str]:
        return OWNERS


def _folders(dbt_resource_props: Mapping[str, Any]) -> list[str]:
    return list(dbt_resource_props.get("fqn", [])[1:-1])  # fqn: project, folders…, name


translator = WarehouseTranslator()


@dbt_assets(manifest=dbt_project.manifest_path, project=dbt_project, pool=WAREHOUSE_POOL,
            dagster_dbt_translator=translator, exclude=DQ_MODEL, name="warehouse_models")
def warehouse_models(context: AssetExecutionContext, dbt: DbtCliResource, warehouse: Warehouse):
    yield from with_table_metadata(dbt.cli(["build"], context=context).stream(), warehouse.path)


@dbt_assets(manifest=dbt_project.manifest_path, project=dbt_project, pool=WAREHOUSE_POOL,
            dagster_dbt_translator=translator, select=DQ_MODEL, name="dq_office_year_model")
def dq_office_year_model(context: AssetExecutionContext, dbt: DbtCliResource, warehouse: Warehouse):
    yield from with_table_metadata(dbt.cli(["build"], context=context).stream(), warehouse.path)


def with_table_metadata(events: Iterable, warehouse: str) -> Iterator:
    """dbt's events, each model's materialisation with its row count (``dagster/row_count``) and,
    for the marts schema, a preview of its first rows.

    Counted after dbt has exited: dbt-duckdb holds the file's one write connection while it runs.
    Staging views are not counted (each count would run the view's query)."""
    done, failure = [], None
    try:
        for event in events:
            done.append(event)
    except Exception as exc:  # a failed build: its models' materialisations still count
        failure = exc
    yield from _with_counts(done, warehouse)
    if failure is not None:
        raise failure


def _with_counts(events: list, warehouse: str) -> Iterator:
    manifest = ensure_dbt_manifest_json()
    with duckdb.connect(warehouse, read_only=True) as con:
        for event in events:
            node = _node(event, manifest)
            if node is None:
                yield event
                continue
            relation = f'"{node["schema"]}"."{node["alias"]}"'
            metadata = {}
            if node["schema"] == "marts" or node["config"].get("materialized") == "table":
                metadata["dagster/row_count"] = MetadataValue.int(
                    con.execute(f"SELECT count(*) FROM {relation}").fetchone()[0])
            if node["schema"] == "marts":
                metadata["preview"] = preview(con, relation)
            yield event.with_metadata({**event.metadata, **metadata}) if metadata else event


def _node(event, manifest: Mapping[str, Any]) -> Mapping[str, Any] | None:
    if not isinstance(event, (Output, AssetMaterialization)) or "unique_id" not in event.metadata:
        return None
    node = manifest["nodes"].get(event.metadata["unique_id"].value)
    return node if node and node["resource_type"] in ("model", "seed", "snapshot") else None


_manifest_cache: dict[str, Any] = {}


def ensure_dbt_manifest_json() -> Mapping[str, Any]:
    import json

    path = dbt_project.manifest_path
    stamp = f"{path}:{path.stat().st_mtime_ns}"
    if stamp not in _manifest_cache:
        _manifest_cache.clear()
        _manifest_cache[stamp] = json.loads(path.read_text(encoding="utf-8"))
    return _manifest_cache[stamp]


def preview(con: duckdb.DuckDBPyConnection, relation: str, rows: int = PREVIEW_ROWS) -> MetadataValue:
    """The first ``rows`` rows of ``relation`` as a table the Dagster UI shows."""
    cursor = con.execute(f"SELECT * FROM {relation} LIMIT {rows}")
    columns = [(d[0], str(d[1])) for d in cursor.description]
    return MetadataValue.table(
        records=[TableRecord({name: _cell(value) for (name, _), value in zip(columns, row)})
                 for row in cursor.fetchall()],
        schema=TableSchema(columns=[TableColumn(name, kind) for name, kind in columns]))


def _cell(value):
    """A value TableRecord takes (str, int, float, bool or None)."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    return str(value)
