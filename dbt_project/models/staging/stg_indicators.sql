select
    i.report_id,
    i.indicator_index,
    r.report_type,
    i.level1,
    i.level2,
    i.level3,
    i.target,
    i.actual,
    i.weight,
    i.score,
    i.score_text,
    i.deviation,
    i.description,
    i.basis
from {{ source('raw', 'indicators') }} as i
inner join {{ ref('stg_reports') }} as r on r.report_id = i.report_id
