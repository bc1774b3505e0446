{# An amount printed in 万元 (ten-thousand yuan), in yuan: the unit every *_yuan column holds. #}
{% macro yuan(column) -%}
    cast({{ column }} * 10000 as decimal(20, 2))
{%- endmacro %}
