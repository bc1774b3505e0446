{# The key a printed label is matched on: no whitespace (wrapped cells), no bracketed note such as
   "(50分)", and no trailing 指标 / 指 / 标, so 服务对象满意度标, "产出\n指标" and 产出指 meet their
   canonical spelling. regexp_replace(…, 'g') reads the same on DuckDB and PostgreSQL. #}
{% macro label_key(column) -%}
    nullif(regexp_replace(regexp_replace(regexp_replace(replace({{ column }}, '　', ''),
        '\s+', '', 'g'), '[(（][^()（）]*[)）]', '', 'g'), '(指标|指|标)$', ''), '')
{%- endmacro %}

{# A project name as a matching key: no whitespace, half-width brackets, no quotation marks. #}
{% macro name_key(column) -%}
    nullif(regexp_replace(replace(replace(replace({{ column }}, '　', ''), '（', '('), '）', ')'),
        '[\s“”"‘’'']+', '', 'g'), '')
{%- endmacro %}
