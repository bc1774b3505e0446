"""Dagster definitions for the jixiao warehouse: inbox → records → raw → dbt → data-quality checks."""
