select
    i.report_id,
    i.indicator_index,
    i.level1,
    i.level2,
    i.level3,
    i.target,
    i.actual,
    i.weight,
    i.score,
    i.score_text,
    i.deviation
from {{ source('raw', 'department_indicators') }} as i
inner join {{ ref('stg_department_reports') }} as r on r.report_id = i.report_id
