{# The self-evaluation summary of mart_office_year and mart_department_year: project scorecards
   and indicators aggregated to fiscal year × `keys`. #}
{% macro year_summary(keys) -%}
with projects as (
    select * from {{ ref('mart_project_scorecard') }}
),

indicators as (
    select
        i.fiscal_year,
        {% for key in keys %}i.{{ key }},{% endfor %}
        cast(sum(case when not i.is_empty_row then 1 else 0 end) as integer) as indicators,
        -- an unscored row (未做) with points at stake is not fully scored either; a report that prints
        -- no 得分 at all (score_status not_scored) is unscored, not marked down: its rows are left out
        cast(sum(case when i.weight > 0 and coalesce(i.score, 0) < i.weight and s.score_status <> 'not_scored'
                 then 1 else 0 end) as integer) as indicators_not_full_score,
        cast(sum(case when i.is_satisfaction and i.is_not_done then 1 else 0 end) as integer) as satisfaction_not_done,
        cast(sum(case when i.is_quantified then 1 else 0 end) as integer) as quantified_targets
    from {{ ref('fct_indicator') }} as i
    inner join {{ ref('fct_score') }} as s on s.report_id = i.report_id
    group by i.fiscal_year{% for key in keys %}, i.{{ key }}{% endfor %}
),

ex_post as (
    select distinct report_id from {{ ref('fct_indicator') }} where is_ex_post_cost_target
),

summary as (
    select
        p.fiscal_year,
        {% for key in keys %}p.{{ key }},{% endfor %}
        cast(count(distinct p.project_key) as integer) as projects,
        cast(sum(p.annual_budget_yuan) as decimal(20, 2)) as annual_budget_yuan,
        cast(sum(p.executed_yuan) as decimal(20, 2)) as executed_yuan,
        cast(case when sum(p.annual_budget_yuan) > 0
             then sum(p.executed_yuan) / sum(p.annual_budget_yuan) end as decimal(20, 6)) as execution_rate,
        cast(avg(p.total_score) as decimal(10, 2)) as avg_total_score,
        cast(min(p.total_score) as decimal(10, 2)) as min_total_score,
        cast(avg(p.total_score_recomputed) as decimal(10, 2)) as avg_total_score_recomputed,
        cast(sum(case when p.total_score >= 100 then 1 else 0 end) as integer) as projects_scored_100,
        -- the averages above are over the projects that print a 总分; these print no 得分 at all
        cast(sum(case when p.score_status = 'not_scored' then 1 else 0 end) as integer) as projects_not_scored,
        cast(sum(case when p.satisfaction_measured then 0 else 1 end) as integer) as projects_without_satisfaction_survey,
        cast(sum(case when p.adjustment_ratio < 0.5 or p.adjustment_ratio > 2 then 1 else 0 end) as integer)
            as projects_budget_adjusted_heavily,
        cast(sum(case when e.report_id is not null then 1 else 0 end) as integer) as projects_with_ex_post_cost_target
    from projects as p
    left join ex_post as e on e.report_id = p.report_id
    group by p.fiscal_year{% for key in keys %}, p.{{ key }}{% endfor %}
)

select
    s.*,
    coalesce(i.indicators, 0) as indicators,
    coalesce(i.indicators_not_full_score, 0) as indicators_not_full_score,
    coalesce(i.satisfaction_not_done, 0) as satisfaction_not_done,
    cast(case when i.indicators > 0 then 1.0 * i.quantified_targets / i.indicators end as decimal(10, 4))
        as quantified_share
from summary as s
left join indicators as i
    on i.fiscal_year = s.fiscal_year{% for key in keys %} and i.{{ key }} = s.{{ key }}{% endfor %}
{%- endmacro %}
