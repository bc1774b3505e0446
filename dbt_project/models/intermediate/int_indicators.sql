-- Indicator rows of both report types with canonical codes (indicator_taxonomy seed), row flags
-- and the normalised target / actual values.
with variants as (
    select v.label_key, v.indicator_code, t.level
    from {{ ref('indicator_label_variants') }} as v
    inner join {{ ref('indicator_taxonomy') }} as t on t.indicator_code = v.indicator_code
),

indicators as (
    select
        i.*,
        {{ label_key('i.level1') }} as level1_key,
        {{ label_key('i.level2') }} as level2_key,
        {{ label_key('i.level3') }} as level3_key
    from {{ ref('stg_indicators') }} as i
),

coded as (
    select
        i.*,
        l1.indicator_code as level1_code,
        -- 成本 is an L1 node (财预〔2021〕101号) but usually printed as an L2 under 产出.
        case when l2.level = 2 or l2.indicator_code = 'COST' then l2.indicator_code end as level2_code
    from indicators as i
    left join variants as l1 on l1.label_key = i.level1_key and l1.level = 1
    left join variants as l2 on l2.label_key = i.level2_key
)

select
    i.report_id,
    i.indicator_index,
    i.report_type,
    i.level1,
    i.level2,
    i.level3,
    i.level1_code,
    i.level2_code,
    coalesce(i.level2_code, i.level1_code) as indicator_code,
    coalesce(i.level1_code = 'COST' or i.level2_code = 'COST', false) as is_cost,
    coalesce(i.level1_code = 'COST', false) as is_cost_as_level1,
    (i.level1 is not null and i.level1_code is null)
        or (i.level2 is not null and i.level2_code is null) as is_unknown_label,
    coalesce(i.level3_key = i.level2_key or i.level3_key = i.level1_key, false) as is_level3_placeholder,
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
    i.long_term_target,
    -- A row of dashes: the 二级指标 is printed but has no indicator this year.
    (i.level3 is null and i.target is null and i.actual is null
     and i.weight is null and i.score is null) as is_empty_row,
    coalesce(v.actual_status = 'not_applicable' and i.actual is not null, false)
        or coalesce(i.target = '不适用' or i.score_text = '不适用', false) as is_not_applicable,
    -- 未做 lands in whichever cell the publisher typed it: 实际完成值, 得分 or 偏差原因.
    coalesce(v.actual_status = 'not_done', false)
        or coalesce(i.score_text like '%未做%' or i.deviation like '%未做%' or i.deviation like '%未开展%', false)
        as is_not_done,
    coalesce(i.level1_code = 'SAT' or i.level2_code = 'SAT.SVC' or i.level1 like '%满意%', false) as is_satisfaction,
    v.target_comparator,
    v.target_value,
    v.target_value_hi,
    v.target_unit,
    v.target_unit_family,
    v.target_period,
    v.target_value_yuan,
    v.target_annual_yuan,
    v.target_duration_days,
    v.target_deadline,
    v.target_event,
    v.target_grade,
    v.target_confidence,
    coalesce(v.target_comparator in ('>=', '<=', '=', '>', '<', 'between') and v.target_value is not null
             or v.target_comparator = 'before' and v.target_deadline is not null, false) as is_quantified,
    v.actual_comparator,
    v.actual_value,
    v.actual_unit,
    v.actual_unit_family,
    v.actual_value_yuan,
    v.actual_duration_days,
    v.actual_status
from coded as i
left join {{ ref('stg_indicator_values') }} as v
    on v.report_id = i.report_id and v.indicator_index = i.indicator_index
