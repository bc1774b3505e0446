{# A unit's name without the code some systems print before it: [015001]武汉市青山区教育局,
   【219】…, 219-池州市贵池区棠溪镇人民政府. #}
{% macro without_unit_code(column) -%}
    regexp_replace({{ column }}, '^(\[[0-9A-Za-z]+\]|【[0-9A-Za-z]+】|[0-9]{3,}-)', '')
{%- endmacro %}
