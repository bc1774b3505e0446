-- Self-evaluation indicators with the score recomputed per 财预〔2020〕10号 next to the printed one.
--
-- Recomputation: 不适用 and dash rows are not assessed; 未做 earns 0; a numeric target with a numeric
-- actual in the same unit earns weight × min(1, actual/target) when 正向 (≥) and
-- weight × min(1, target/actual) when 反向 (≤); an actual in words that says the target was met
-- earns full points; anything else (基本达到, 未完成 in words, prose) keeps the printed score,
-- capped to [0, weight], because the rules leave it to the evaluator's judgement — or, with the 得分
-- cell empty, stays unscored (no score is invented).
with indicators as (
    select
        i.*,
        r.fiscal_year,
        r.department_key,
        r.office_key,
        r.project_key,
        {{ value_number('i', 'target') }} as target_number,
        {{ value_number('i', 'actual') }} as actual_number,
        {{ same_unit('i', 'i') }} as is_same_unit,
        -- SE-18: a cost target equal to the year-end budget or the amount spent was written after the fact
        coalesce(i.is_cost and (i.target_value_yuan = f.annual_budget_yuan
                                or i.target_value_yuan = f.executed_yuan), false) as is_ex_post_cost_target
    from {{ ref('int_indicators') }} as i
    inner join {{ ref('int_reports') }} as r on r.report_id = i.report_id
    left join {{ ref('fct_funding') }} as f on f.report_id = i.report_id and f.funding_source = 'total'
    where i.report_type = 'self_evaluation'
),

comparable as (
    select *, is_same_unit and actual_number is not null and target_number is not null as is_comparable
    from indicators
),

scored as (
    select
        *,
        case
            when is_empty_row or is_not_applicable then 'not_assessed'
            when weight is null then 'no_weight'
            when is_not_done then 'not_done'
            when is_comparable and target_comparator in ('>=', '>') and target_number > 0 then 'proportional'
            when is_comparable and target_comparator in ('<=', '<') and actual_number > 0 then 'proportional'
            when is_comparable and target_comparator = '=' and target_number > 0 and actual_number > 0 then 'proportional'
            when actual_status = 'met' then 'met'
            -- left to the evaluator's judgement, and the 得分 cell is empty: nothing to recompute from
            when score is null then 'unscored'
            else 'printed'
        end as score_basis
    from comparable
)

select
    report_id,
    indicator_index,
    fiscal_year,
    department_key,
    office_key,
    project_key,
    level1,
    level2,
    level3,
    level1_code,
    level2_code,
    indicator_code,
    target,
    comparator,
    unit,
    actual,
    weight,
    score,
    score_text,
    deviation,
    target_comparator,
    target_value,
    target_value_hi,
    target_unit,
    target_unit_family,
    target_period,
    target_value_yuan,
    target_annual_yuan,
    target_duration_days,
    target_deadline,
    target_event,
    target_grade,
    target_confidence,
    actual_comparator,
    actual_value,
    actual_unit,
    actual_unit_family,
    actual_value_yuan,
    actual_duration_days,
    actual_status,
    score_basis,
    cast(case score_basis
        when 'not_done' then 0
        when 'met' then weight
        when 'proportional' then weight * case
            when target_comparator in ('>=', '>') then least(1, actual_number / target_number)
            when target_comparator in ('<=', '<') then least(1, target_number / actual_number)
            else least(actual_number / target_number, target_number / actual_number) end
        when 'printed' then greatest(0, least(score, weight))
    end as decimal(20, 6)) as score_recomputed,
    is_empty_row,
    is_not_applicable,
    is_not_done,
    is_satisfaction,
    is_cost,
    is_cost_as_level1,
    is_unknown_label,
    is_level3_placeholder,
    is_quantified,
    is_ex_post_cost_target,
    coalesce(score = weight, false) as is_full_score
from scored
