-- Department self-evaluations (部门整体支出绩效自评表), one row per report: the 年度资金总额 row, the
-- totals of the 按收入性质分 / 按支出性质分 breakdowns, the indicators' sums and the 总分 row.
with funding as (
    select
        report_id,
        max(case when breakdown = 'total' then initial_budget end) as initial_budget,
        max(case when breakdown = 'total' then annual_budget end) as annual_budget,
        max(case when breakdown = 'total' then executed end) as executed,
        max(case when breakdown = 'total' then weight end) as funding_weight,
        max(case when breakdown = 'total' then execution_rate end) as execution_rate,
        max(case when breakdown = 'total' then score end) as funding_score,
        -- the heading line of each breakdown carries its total (按收入性质分:2030.12)
        max(case when breakdown = 'by_income' and row_index = first_row then amount end) as income_total,
        sum(case when breakdown = 'by_income' and row_index <> first_row then amount end) as income_items_sum,
        max(case when breakdown = 'by_expense' and row_index = first_row then amount end) as expense_total,
        sum(case when breakdown = 'by_expense' and row_index <> first_row then amount end) as expense_items_sum
    from (
        select *, min(row_index) over (partition by report_id, breakdown) as first_row
        from {{ ref('stg_department_funding') }}
    ) as f
    group by report_id
),

indicators as (
    select
        report_id,
        cast(count(*) as integer) as indicator_count,
        cast(sum(weight) as decimal(20, 6)) as indicator_weight_sum,
        cast(sum(score) as decimal(20, 6)) as indicator_score_sum
    from {{ ref('stg_department_indicators') }}
    group by report_id
)

select
    r.report_id,
    r.fiscal_year,
    r.department_key,
    r.department,
    r.unit_name,
    r.template,
    r.overall_goal as goal_planned,
    r.goal_actual,
    f.initial_budget,
    f.annual_budget,
    f.executed,
    {{ yuan('f.annual_budget') }} as annual_budget_yuan,
    {{ yuan('f.executed') }} as executed_yuan,
    f.funding_weight,
    f.execution_rate,
    cast(case when f.annual_budget > 0 then f.executed / f.annual_budget end as decimal(20, 6))
        as execution_rate_recomputed,
    f.funding_score,
    cast(f.income_total as decimal(20, 6)) as income_total,
    cast(f.income_items_sum as decimal(20, 6)) as income_items_sum,
    cast(f.expense_total as decimal(20, 6)) as expense_total,
    cast(f.expense_items_sum as decimal(20, 6)) as expense_items_sum,
    coalesce(i.indicator_count, 0) as indicator_count,
    i.indicator_weight_sum,
    i.indicator_score_sum,
    r.total_weight,
    r.total_score,
    {{ grade('r.total_score') }} as grade_printed,
    r.extraction_warnings,
    r.source_file,
    r.page_first,
    r.page_last
from {{ ref('int_department_reports') }} as r
left join funding as f on f.report_id = r.report_id
left join indicators as i on i.report_id = r.report_id
where r.report_type = 'department_self_evaluation'
