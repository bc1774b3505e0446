-- Per self-evaluation: 总分 as printed next to the score recomputed per 财预〔2020〕10号, with grades.
--
-- Recomputed total = funding score (weight × min(1, 执行率 recomputed)) + the indicators' recomputed
-- scores, rescaled to 100 points over the weights actually assessed (按百分制折算): 不适用 rows drop
-- out, and a table whose weights add up to 110 is scored out of its own 110.
--
-- 得分状态 (score_status): some publishers leave every 得分 cell empty. That is a state of the
-- report, not a failure: 'scored' (总分 printed, and every row with points at stake — 年度资金总额 and
-- each indicator with 分值 > 0 — has a printed 得分, a number or words such as 未做 / 不适用),
-- 'not_scored' (no 得分 printed anywhere: no 总分, no funding score, no indicator score), else
-- 'partly_scored'. A report that prints no score gets no recomputed total and no grade: the rows the
-- rules can recompute alone would make up a total nobody printed. Nor does a report with a row the
-- rules leave to the evaluator (score_basis 'unscored') and points at stake.
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
        sum(score_recomputed) as indicator_score_recomputed_sum,
        -- rows with a printed 得分 (a number, or words in the cell); rows with points at stake without
        -- one (a row marked 未做 elsewhere is scored 0, a 不适用 or dash row has nothing at stake)
        cast(sum(case when score is not null or score_text is not null then 1 else 0 end) as integer) as scored_count,
        cast(sum(case when weight > 0 and score is null and score_text is null and not is_not_done
                      and not is_not_applicable and not is_empty_row then 1 else 0 end) as integer) as unscored_count,
        -- rows with points at stake the rules leave to the evaluator, who printed no 得分
        cast(sum(case when score_basis = 'unscored' and weight > 0 then 1 else 0 end) as integer) as unrecomputable_count
    from {{ ref('fct_indicator') }}
    group by report_id
),

-- 得分状态, first: what is recomputed below depends on it
status as (
    select
        r.report_id,
        case
            when r.total_score is null and f.funding_score is null and coalesce(i.scored_count, 0) = 0
                then 'not_scored'
            when r.total_score is not null and coalesce(i.unscored_count, 0) = 0
                 and (f.funding_score is not null or coalesce(f.funding_weight, 0) <= 0)
                then 'scored'
            else 'partly_scored'
        end as score_status
    from {{ ref('int_reports') }} as r
    left join funding as f on f.report_id = r.report_id
    left join indicators as i on i.report_id = r.report_id
    where r.report_type = 'self_evaluation'
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
        r.template,
        r.contract_version,
        r.form_code,
        r.project_code,
        r.finance_lead,
        r.implementation_summary,
        r.conclusion,
        r.problems,
        r.improvements,
        r.remarks,
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
        case when s.score_status <> 'not_scored' then cast(coalesce(f.funding_score, 0)
            + coalesce(i.indicator_score_sum, 0) as decimal(20, 6)) end as score_sum,
        cast(coalesce(f.funding_weight, 0) + coalesce(i.assessed_weight_sum, 0) as decimal(20, 6)) as assessed_weight_sum,
        -- no total where a row with points at stake has no score to recompute from: rescaling over the
        -- other rows would invent its score
        case when s.score_status <> 'not_scored' and coalesce(i.unrecomputable_count, 0) = 0
             then cast(coalesce(f.funding_score_recomputed, f.funding_score, 0)
                       + coalesce(i.indicator_score_recomputed_sum, 0) as decimal(20, 6)) end as score_recomputed_sum,
        s.score_status
    from {{ ref('int_reports') }} as r
    inner join status as s on s.report_id = r.report_id
    left join funding as f on f.report_id = r.report_id
    left join indicators as i on i.report_id = r.report_id
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
