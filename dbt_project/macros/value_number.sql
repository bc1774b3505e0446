{# A normalised value as one comparable number: money in yuan, durations in days, anything else
   as printed. `side` is `target` or `actual` (the column prefix). #}
{% macro value_number(relation, side) -%}
    case {{ relation }}.{{ side }}_unit_family
        when 'money_yuan' then {{ relation }}.{{ side }}_value_yuan
        when 'duration_days' then {{ relation }}.{{ side }}_duration_days
        else {{ relation }}.{{ side }}_value end
{%- endmacro %}

{# Two normalised values can be compared: one unit family, and the same unit where the family
   has no common scale (人 and 人次, 场 and 次); two bare numbers (113 and 110) compare too. #}
{% macro same_unit(target, actual) -%}
    (coalesce({{ actual }}.actual_unit_family, '') = coalesce({{ target }}.target_unit_family, '')
     and ({{ target }}.target_unit_family in ('money_yuan', 'duration_days', 'percent')
          or coalesce({{ actual }}.actual_unit, '') = coalesce({{ target }}.target_unit, '')))
{%- endmacro %}
