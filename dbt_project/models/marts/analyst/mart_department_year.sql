-- Self-evaluations per fiscal year and department (年度 × 主管部门), beside the department's own
-- stated goals (部门整体绩效目标) and its self-evaluation of its whole spending (部门整体支出绩效自评表)
-- for that year: a year with only the one or only the other is a row too (its other columns null,
-- projects 0).
with summary as (
    {{ year_summary(['department_key']) }}
),

goals as (
    select
        fiscal_year,
        department_key,
        min(department) as department,
        min(report_id) as goals_report_id,
        min(overall_goal) as overall_goal,
        cast(count(*) as integer) as subgoals,
        cast(sum(case when is_quantified then 1 else 0 end) as integer) as subgoals_quantified
    from {{ ref('fct_department_goal') }}
    group by fiscal_year, department_key
),

evaluations as (
    select
        fiscal_year,
        department_key,
        min(department) as department,
        min(report_id) as self_evaluation_report_id,
        cast(max(total_score) as decimal(20, 6)) as total_score,
        cast(max(execution_rate) as decimal(20, 6)) as execution_rate
    from {{ ref('fct_department_self_evaluation') }}
    group by fiscal_year, department_key
),

department_years as (
    select
        coalesce(g.fiscal_year, e.fiscal_year) as fiscal_year,
        coalesce(g.department_key, e.department_key) as department_key,
        coalesce(g.department, e.department) as department,
        g.goals_report_id, g.overall_goal, g.subgoals, g.subgoals_quantified,
        e.self_evaluation_report_id, e.total_score, e.execution_rate
    from goals as g
    full outer join evaluations as e on e.fiscal_year = g.fiscal_year and e.department_key = g.department_key
),

projects as (
    select s.*, d.department_name
    from summary as s
    inner join {{ ref('dim_department') }} as d on d.department_key = s.department_key
)

select
    coalesce(s.fiscal_year, g.fiscal_year) as fiscal_year,
    coalesce(s.department_key, g.department_key) as department_key,
    coalesce(s.department_name, g.department) as department_name,
    coalesce(s.projects, 0) as projects,
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
    s.quantified_share,
    g.goals_report_id as department_goals_report_id,
    g.overall_goal as department_overall_goal,
    g.subgoals as department_subgoals,
    g.subgoals_quantified as department_subgoals_quantified,
    g.self_evaluation_report_id as department_self_evaluation_report_id,
    g.total_score as department_self_evaluation_score,
    g.execution_rate as department_execution_rate
from projects as s
full outer join department_years as g on g.fiscal_year = s.fiscal_year and g.department_key = s.department_key
