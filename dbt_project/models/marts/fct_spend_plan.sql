select
    p.report_id,
    p.month,
    r.fiscal_year,
    {{ surrogate_key([surrogate_key(['r.unit_name', 'r.unit_name']), 'r.project_name']) }} as project_key,
    p.cumulative_amount,
    r.budget_total
from {{ ref('stg_spend_plan') }} as p
inner join {{ ref('stg_reports') }} as r on r.report_id = p.report_id
