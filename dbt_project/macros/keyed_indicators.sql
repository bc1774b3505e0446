{# Indicator rows with the key mart_target_vs_actual pairs them on: the canonical code and the
   三级指标's label key, coalesced because PostgreSQL runs a FULL JOIN on plain equality only;
   `nth` numbers the rows that share a key within a project-year. #}
{% macro keyed_indicators(model, where='true') -%}
    select *, row_number() over (partition by project_key, fiscal_year, pair_key order by indicator_index) as nth
    from (
        select m.*, coalesce(m.indicator_code, '') || '|' || coalesce({{ label_key('m.level3') }}, '') as pair_key
        from {{ ref(model) }} as m
        where {{ where }}
    ) as keyed
{%- endmacro %}
