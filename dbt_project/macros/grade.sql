{# Grade band of a 100-point score (财预〔2020〕10号): 优 ≥ 90, 良 ≥ 80, 中 ≥ 60, 差 below. #}
{% macro grade(score) -%}
    case when {{ score }} >= 90 then '优' when {{ score }} >= 80 then '良'
         when {{ score }} >= 60 then '中' when {{ score }} is not null then '差' end
{%- endmacro %}
