select
    i.report_id,
    i.indicator_index,
    r.fiscal_year,
    r.office_key,
    r.project_key,
    i.level1,
    i.level2,
    i.level3,
    i.target,
    i.actual,
    i.weight,
    i.score,
    i.score_text,
    i.deviation,
    -- A row of dashes: the 二级指标 is printed but has no indicator this year.
    (i.level3 is null and i.target is null and i.actual is null
     and i.weight is null and i.score is null) as is_empty_row,
    coalesce(i.actual = '不适用' or i.target = '不适用' or i.score_text = '不适用', false) as is_not_applicable,
    -- 未做 lands in whichever cell the publisher typed it: 实际完成值, 得分 or 偏差原因.
    coalesce(i.actual like '%未做%' or i.actual like '%未开展%' or i.score_text like '%未做%'
             or i.deviation like '%未做%' or i.deviation like '%未开展%', false) as is_not_done,
    coalesce(i.score = i.weight, false) as is_full_score,
    coalesce(i.level1 like '%满意度%', false) as is_satisfaction
from {{ ref('stg_indicators') }} as i
inner join {{ ref('int_self_evaluations') }} as r on r.report_id = i.report_id
