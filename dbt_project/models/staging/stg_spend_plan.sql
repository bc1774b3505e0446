select
    p.report_id,
    p.month,
    p.value as cumulative_amount
from {{ source('raw', 'spend_plan') }} as p
inner join {{ ref('stg_reports') }} as r on r.report_id = p.report_id
