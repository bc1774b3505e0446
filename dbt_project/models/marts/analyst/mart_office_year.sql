-- Self-evaluations per fiscal year and office (年度 × 实施单位).
with summary as (
    {{ year_summary(['department_key', 'office_key']) }}
)
select
    s.fiscal_year,
    s.office_key,
    s.department_key,
    o.department_name,
    o.office_name,
    s.projects,
    s.annual_budget_yuan,
    s.executed_yuan,
    s.execution_rate,
    s.avg_total_score,
    s.min_total_score,
    s.avg_total_score_recomputed,
    s.projects_scored_100,
    s.projects_not_scored,
    s.projects_without_satisfaction_survey,
    s.projects_budget_adjusted_heavily,
    s.projects_with_ex_post_cost_target,
    s.indicators,
    s.indicators_not_full_score,
    s.satisfaction_not_done,
    s.quantified_share
from summary as s
inner join {{ ref('dim_office') }} as o on o.office_key = s.office_key
