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
    -- 不适用 anywhere in the row, or a row of dashes (nothing but the level names printed)
    coalesce(i.actual = '不适用' or i.target = '不适用' or i.score_text = '不适用'
             or (i.level3 is null and i.target is null and i.actual is null
                 and i.weight is null and i.score is null), false) as is_not_applicable,
    coalesce(i.actual like '未做%' or i.actual like '未开展%', false) as is_not_done,
    coalesce(i.score = i.weight, false) as is_full_score,
    coalesce(i.level1 like '%满意度%', false) as is_satisfaction
from {{ ref('stg_indicators') }} as i
inner join {{ ref('int_self_evaluations') }} as r on r.report_id = i.report_id
