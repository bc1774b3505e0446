-- Funding of self-evaluated projects (项目资金): 万元 as printed, yuan, and the execution rate recomputed.
select
    f.report_id,
    f.funding_source,
    f.funding_label,
    r.fiscal_year,
    r.department_key,
    r.office_key,
    r.project_key,
    f.initial_budget,
    f.annual_budget,
    f.executed,
    {{ yuan('f.initial_budget') }} as initial_budget_yuan,
    {{ yuan('f.annual_budget') }} as annual_budget_yuan,
    {{ yuan('f.executed') }} as executed_yuan,
    f.weight,
    f.execution_rate,
    -- the national rule divides by 全年预算数 (full-year budget), not 年初预算数
    cast(case when f.annual_budget > 0 then f.executed / f.annual_budget end as decimal(20, 6))
        as execution_rate_recomputed,
    cast(case when f.initial_budget > 0 then f.annual_budget / f.initial_budget end as decimal(20, 6))
        as adjustment_ratio,
    f.score,
    f.funding_note
from {{ ref('stg_funding') }} as f
inner join {{ ref('int_reports') }} as r on r.report_id = f.report_id
