select
    f.report_id,
    f.funding_source,
    r.fiscal_year,
    r.office_key,
    r.project_key,
    f.initial_budget,
    f.annual_budget,
    f.executed,
    f.weight,
    f.execution_rate,
    f.score
from {{ ref('stg_funding') }} as f
inner join {{ ref('int_self_evaluations') }} as r on r.report_id = f.report_id
