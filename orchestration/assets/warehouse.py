"""The dbt project: staging → intermediate → facts, dimensions and marts (`dbt build`, tests included).

Two dbt steps: every model but ``mart_dq_office_year`` (a view on the findings the data-quality step
writes after the facts are built), then that model once the findings are in.
"""

import contextlib
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from dagster import (AssetExecutionContext, AssetKey, AssetMaterialization, MetadataValue, Output, TableColumn,
                     TableRecord, TableSchema)
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from extract.load import read_only

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
    if warehouse.on_postgres:
        mirror(context, warehouse)
    yield from with_table_metadata(dbt.cli(["build"], context=context).stream(), warehouse)


@dbt_assets(manifest=dbt_project.manifest_path, project=dbt_project, pool=WAREHOUSE_POOL,
            dagster_dbt_translator=translator, select=DQ_MODEL, name="dq_office_year_model")
def dq_office_year_model(context: AssetExecutionContext, dbt: DbtCliResource, warehouse: Warehouse):
    yield from with_table_metadata(dbt.cli(["build"], context=context).stream(), warehouse)


def mirror(context: AssetExecutionContext, warehouse: Warehouse) -> None:
    """On PostgreSQL: the ledger's raw tables into ``raw_build``, which the models read.

    Publication renames every ``*_build`` schema, so a build there is always whole: a subset of the
    models would leave the others missing from the published marts."""
    from extract.load import connect

    from ..postgres import connect as pg_connect
    from ..postgres import mirror_raw, redacted

    if context.selected_asset_keys != context.assets_def.keys:
        raise RuntimeError("on PostgreSQL the models are built whole (publication swaps whole schemas): "
                           "materialise every model of warehouse_models, not a selection")
    with connect(warehouse.path) as ledger, pg_connect(warehouse.postgres) as pg:
        copied = mirror_raw(ledger, pg)
    context.log.info(f"raw tables mirrored into raw_build on {redacted(warehouse.postgres)}; rows sent from the "
                     "ledger (the rest copied from the published raw): "
                     + ", ".join(f"{t} {n}" for t, n in copied.items()))


def with_table_metadata(events: Iterable, warehouse: Warehouse) -> Iterator:
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


def _with_counts(events: list, warehouse: Warehouse) -> Iterator:
    manifest = ensure_dbt_manifest_json()
    with _reader(warehouse) as query:
        for event in events:
            node = _node(event, manifest)
            if node is None:
                yield event
                continue
            # the manifest may have been parsed for either target: the schema as configured, then
            # where this warehouse builds it
            schema = node["schema"].removesuffix("_build")
            relation = f'"{schema}_build"' if warehouse.on_postgres else f'"{schema}"'
            relation += f'."{node["alias"]}"'
            metadata = {}
            if schema == "marts" or node["config"].get("materialized") == "table":
                metadata["dagster/row_count"] = MetadataValue.int(query(f"SELECT count(*) FROM {relation}")[1][0][0])
            if schema == "marts":
                metadata["preview"] = preview(*query(f"SELECT * FROM {relation} LIMIT {PREVIEW_ROWS}"))
            yield event.with_metadata({**event.metadata, **metadata}) if metadata else event


@contextlib.contextmanager
def _reader(warehouse: Warehouse):
    """``query(sql) → ([(column, type)], rows)`` on the warehouse dbt just built: the DuckDB file, or
    the ``*_build`` schemas on PostgreSQL."""
    if not warehouse.on_postgres:
        with read_only(warehouse.path) as con:
            def query(sql):
                cursor = con.execute(sql)
                return [(d[0], str(d[1])) for d in cursor.description], cursor.fetchall()

            yield query
        return
    from ..postgres import connect

    with connect(warehouse.postgres) as pg, pg.cursor() as cur:
        cur.execute("SELECT oid, format_type(oid, NULL) FROM pg_type")
        types = dict(cur.fetchall())

        def query(sql):
            cur.execute(sql)
            return [(d.name, types.get(d.type_code, "")) for d in cur.description], cur.fetchall()

        yield query


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


def preview(columns: list[tuple[str, str]], rows: list[tuple]) -> MetadataValue:
    """Rows of a relation, with its (column, type) pairs, as a table the Dagster UI shows."""
    return MetadataValue.table(
        records=[TableRecord({name: _cell(value) for (name, _), value in zip(columns, row)}) for row in rows],
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
