select
    f.report_id,
    f.row_index,
    f.breakdown,
    f.source as funding_source,
    f.label as funding_label,
    f.initial_budget,
    f.annual_budget,
    f.executed,
    f.weight,
    f.execution_rate,
    f.score,
    f.amount,
    f.note as funding_note
from {{ source('raw', 'department_funding') }} as f
inner join {{ ref('stg_department_reports') }} as r on r.report_id = f.report_id
