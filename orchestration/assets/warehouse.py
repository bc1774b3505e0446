"""The dbt project: staging → intermediate → facts, dimensions and marts (`dbt build`, tests included)."""


from dagster import AssetExecutionContext
from dagster_dbt import DbtCliResource, dbt_assets

from ..resources import dbt_project, ensure_dbt_manifest
from .ingest import WAREHOUSE_POOL

ensure_dbt_manifest()


@dbt_assets(manifest=dbt_project.manifest_path, project=dbt_project, pool=WAREHOUSE_POOL)
def warehouse_models(context: AssetExecutionContext, dbt: DbtCliResource):
    yield from dbt.cli(["build"], context=context).stream()
