-- One row per project and fiscal year (项目 × 年度) from its self-evaluation: money in yuan,
-- execution, budget adjustment, 得分状态, printed and recomputed totals, grades and indicator counts.
with reports as (
    select
        r.*,
        cast(count(*) over (partition by r.project_key, r.fiscal_year) as integer) as reports,
        row_number() over (partition by r.project_key, r.fiscal_year order by r.source_file, r.report_id) as pick
    from {{ ref('int_reports') }} as r
    where r.report_type = 'self_evaluation'
),

indicators as (
    select
        report_id,
        cast(sum(case when not is_empty_row then 1 else 0 end) as integer) as indicators,
        cast(sum(case when is_quantified then 1 else 0 end) as integer) as quantified_targets,
        -- a satisfaction survey counts as done when any satisfaction row was assessed
        coalesce(bool_or(is_satisfaction and not is_not_done and not is_not_applicable and not is_empty_row),
                 false) as satisfaction_measured
    from {{ ref('fct_indicator') }}
    group by report_id
)

select
    r.fiscal_year,
    r.project_key,
    r.project_name,
    r.project_code,
    r.department_key,
    r.department as department_name,
    r.office_key,
    r.office_name,
    r.report_id,
    r.reports,
    r.template,
    f.initial_budget_yuan,
    f.annual_budget_yuan,
    f.executed_yuan,
    f.execution_rate,
    f.execution_rate_recomputed,
    f.adjustment_ratio,
    s.funding_weight,
    s.funding_score,
    s.funding_score_recomputed,
    s.weight_sum,
    s.score_status,
    s.total_score,
    s.total_score_recomputed,
    s.total_score_difference,
    s.grade_printed,
    s.grade_recomputed,
    coalesce(i.indicators, 0) as indicators,
    s.not_applicable_count,
    s.not_done_count,
    coalesce(i.satisfaction_measured, false) as satisfaction_measured,
    cast(case when i.indicators > 0 then 1.0 * i.quantified_targets / i.indicators end as decimal(10, 4))
        as quantified_share
from reports as r
inner join {{ ref('fct_score') }} as s on s.report_id = r.report_id
left join {{ ref('fct_funding') }} as f on f.report_id = r.report_id and f.funding_source = 'total'
left join indicators as i on i.report_id = r.report_id
where r.pick = 1
