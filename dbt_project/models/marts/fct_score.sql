-- Per self-evaluation: 总分 as printed next to the score recomputed per 财预〔2020〕10号, with grades.
--
-- Recomputed total = funding score (weight × min(1, 执行率 recomputed)) + the indicators' recomputed
-- scores, rescaled to 100 points over the weights actually assessed (按百分制折算): 不适用 rows drop
-- out, and a table whose weights add up to 110 is scored out of its own 110.
with funding as (
    select
        report_id,
        weight as funding_weight,
        score as funding_score,
        cast(weight * least(1, execution_rate_recomputed) as decimal(20, 6)) as funding_score_recomputed
    from {{ ref('fct_funding') }}
    where funding_source = 'total'
),

indicators as (
    select
        report_id,
        cast(count(*) as integer) as indicator_count,
        cast(sum(case when is_not_applicable then 1 else 0 end) as integer) as not_applicable_count,
        cast(sum(case when is_not_done then 1 else 0 end) as integer) as not_done_count,
        -- 一级 weights, against the guidance 产出 50 / 效益 30 / 满意度 10 (成本 counts with 产出)
        cast(sum(case when level1_code in ('OUT', 'COST') then weight else 0 end) as decimal(20, 6)) as output_weight,
        cast(sum(case when level1_code = 'BEN' then weight else 0 end) as decimal(20, 6)) as benefit_weight,
        cast(sum(case when is_satisfaction then weight else 0 end) as decimal(20, 6)) as satisfaction_weight,
        coalesce(bool_or(is_satisfaction and not is_empty_row), false) as has_satisfaction_indicator,
        cast(sum(weight) as decimal(20, 6)) as indicator_weight_sum,
        cast(sum(score) as decimal(20, 6)) as indicator_score_sum,
        sum(case when score_recomputed is not null then weight end) as assessed_weight_sum,
        sum(score_recomputed) as indicator_score_recomputed_sum
    from {{ ref('fct_indicator') }}
    group by report_id
),

totals as (
    select
        r.report_id,
        r.fiscal_year,
        r.department_key,
        r.office_key,
        r.project_key,
        r.total_weight,
        r.total_score,
        r.extraction_warnings,
        f.funding_weight,
        f.funding_score,
        f.funding_score_recomputed,
        coalesce(i.indicator_count, 0) as indicator_count,
        coalesce(i.not_applicable_count, 0) as not_applicable_count,
        coalesce(i.not_done_count, 0) as not_done_count,
        i.output_weight,
        i.benefit_weight,
        i.satisfaction_weight,
        coalesce(i.has_satisfaction_indicator, false) as has_satisfaction_indicator,
        i.indicator_weight_sum,
        i.indicator_score_sum,
        cast(coalesce(f.funding_weight, 0) + coalesce(i.indicator_weight_sum, 0) as decimal(20, 6)) as weight_sum,
        cast(coalesce(f.funding_score, 0) + coalesce(i.indicator_score_sum, 0) as decimal(20, 6)) as score_sum,
        cast(coalesce(f.funding_weight, 0) + coalesce(i.assessed_weight_sum, 0) as decimal(20, 6)) as assessed_weight_sum,
        cast(coalesce(f.funding_score_recomputed, f.funding_score, 0)
            + coalesce(i.indicator_score_recomputed_sum, 0) as decimal(20, 6)) as score_recomputed_sum
    from {{ ref('int_reports') }} as r
    left join funding as f on f.report_id = r.report_id
    left join indicators as i on i.report_id = r.report_id
    where r.report_type = 'self_evaluation'
),

recomputed as (
    select
        *,
        cast(case when assessed_weight_sum > 0 then 100 * score_recomputed_sum / assessed_weight_sum end
             as decimal(10, 2)) as total_score_recomputed
    from totals
)

select
    *,
    cast(total_score - total_score_recomputed as decimal(10, 2)) as total_score_difference,
    {{ grade('total_score') }} as grade_printed,
    {{ grade('total_score_recomputed') }} as grade_recomputed
from recomputed
