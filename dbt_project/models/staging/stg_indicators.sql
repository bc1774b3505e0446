select
    i.report_id,
    i.indicator_index,
    r.report_type,
    i.level1,
    i.level2,
    i.level3,
    i.comparator,
    i.target,
    i.unit,
    i.actual,
    i.weight,
    i.score,
    i.score_text,
    i.deviation,
    i.description,
    i.basis,
    i.remarks,
    i.long_term_level2,
    i.long_term_level3,
    i.long_term_target
from {{ source('raw', 'indicators') }} as i
inner join {{ ref('stg_reports') }} as r on r.report_id = i.report_id
