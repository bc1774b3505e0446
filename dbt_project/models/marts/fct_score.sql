-- Per report: the totals as printed next to the sums of their parts (recomputation comes later).
with funding as (
    select report_id, weight as funding_weight, score as funding_score
    from {{ ref('stg_funding') }}
    where funding_source = 'total'
),
indicators as (
    select
        report_id,
        count(*) as indicator_count,
        sum(weight) as indicator_weight_sum,
        sum(score) as indicator_score_sum
    from {{ ref('stg_indicators') }}
    where report_type = 'self_evaluation'
    group by report_id
)
select
    r.report_id,
    r.fiscal_year,
    r.office_key,
    r.project_key,
    r.total_weight,
    r.total_score,
    f.funding_weight,
    f.funding_score,
    coalesce(i.indicator_count, 0) as indicator_count,
    i.indicator_weight_sum,
    i.indicator_score_sum
from {{ ref('int_self_evaluations') }} as r
left join funding as f on f.report_id = r.report_id
left join indicators as i on i.report_id = r.report_id
