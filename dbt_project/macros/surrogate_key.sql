{# A stable key from business columns: md5 of the values joined by '|' (nulls as ''), so the
   same office or project gets the same key in every run and on every database. #}
{% macro surrogate_key(columns) -%}
    md5({% for column in columns %}coalesce(cast({{ column }} as {{ dbt.type_string() }}), ''){% if not loop.last %} || '|' || {% endif %}{% endfor %})
{%- endmacro %}
