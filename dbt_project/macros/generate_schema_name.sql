{# Schemas are named exactly as configured (`marts`, `staging`), not `<target>_marts`:
   analysts' queries say `marts.mart_office_year` whatever the target. #}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {{ (custom_schema_name or target.schema) | trim }}
{%- endmacro %}
