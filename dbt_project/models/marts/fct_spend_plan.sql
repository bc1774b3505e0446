-- Spending plan of target tables (资金支出计划): cumulative amount planned by the end of each month.
select
    p.report_id,
    p.month,
    r.fiscal_year,
    r.department_key,
    r.office_key,
    r.project_key,
    p.cumulative_amount,
    {{ yuan('p.cumulative_amount') }} as cumulative_amount_yuan,
    p.cumulative_amount - coalesce(lag(p.cumulative_amount) over (
        partition by p.report_id order by p.month), 0) as planned_in_period,
    r.budget_total,
    cast(case when r.budget_total > 0 then p.cumulative_amount / r.budget_total end as decimal(20, 6))
        as cumulative_share
from {{ ref('stg_spend_plan') }} as p
inner join {{ ref('int_reports') }} as r on r.report_id = p.report_id
