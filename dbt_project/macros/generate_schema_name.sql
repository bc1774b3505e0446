{# Schemas are named exactly as configured (`marts`, `staging`), not `<target>_marts`:
   analysts' queries say `marts.mart_office_year` whatever the target. On PostgreSQL the writer
   builds into `<schema>_build` (the raw sources read `raw_build`), and publication renames those to
   the published names in one transaction (orchestration/postgres.py): readers never see a
   half-built schema. #}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {{ (custom_schema_name or target.schema) | trim }}{{ '_build' if target.type == 'postgres' else '' }}
{%- endmacro %}
