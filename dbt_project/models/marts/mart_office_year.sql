-- One row per fiscal year and office: money, execution and self-evaluation scores.
with reports as (
    select
        s.fiscal_year,
        s.office_key,
        s.report_id,
        s.total_score,
        f.annual_budget,
        f.executed
    from {{ ref('fct_score') }} as s
    left join {{ ref('fct_funding') }} as f
        on f.report_id = s.report_id and f.funding_source = 'total'
),
indicators as (
    select
        fiscal_year,
        office_key,
        cast(sum(case when not is_empty_row then 1 else 0 end) as integer) as indicators,
        -- an unscored row (未做) with points at stake is not fully scored either
        cast(sum(case when weight > 0 and coalesce(score, 0) < weight then 1 else 0 end) as integer)
            as indicators_not_full_score,
        cast(sum(case when is_satisfaction and is_not_done then 1 else 0 end) as integer) as satisfaction_not_done
    from {{ ref('fct_indicator') }}
    group by fiscal_year, office_key
)
select
    r.fiscal_year,
    r.office_key,
    o.department,
    o.office_name,
    cast(count(*) as integer) as projects,
    sum(r.annual_budget) as annual_budget,
    sum(r.executed) as executed,
    case when sum(r.annual_budget) > 0
         then cast(sum(r.executed) / sum(r.annual_budget) as decimal(10, 4)) end as execution_rate,
    cast(avg(r.total_score) as decimal(10, 2)) as avg_total_score,
    min(r.total_score) as min_total_score,
    coalesce(max(i.indicators), 0) as indicators,
    coalesce(max(i.indicators_not_full_score), 0) as indicators_not_full_score,
    coalesce(max(i.satisfaction_not_done), 0) as satisfaction_not_done
from reports as r
inner join {{ ref('dim_office') }} as o on o.office_key = r.office_key
left join indicators as i on i.fiscal_year is not distinct from r.fiscal_year and i.office_key = r.office_key
group by r.fiscal_year, r.office_key, o.department, o.office_name
