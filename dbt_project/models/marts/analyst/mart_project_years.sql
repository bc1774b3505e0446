-- A project's self-evaluated indicators year by year (项目历年绩效, X-03): each year's 年度指标值, 实际完成值
-- and 得分 beside the same indicator in the project's previous self-evaluated year. A project is followed
-- across years on its 项目编码, else on its department and name without the year (2022 年 / 2023 年 …
-- 城市居民最低生活保障 are one series); a series with two reports in one year is not paired that year.
-- Indicators are paired as in mart_target_vs_actual: canonical code and 三级指标 name, n-th with n-th.
-- A target equal to last year's (whitespace aside) is repeated (照搬上年); one equal to last year's
-- actual, as a number of one unit family (or both unitless), is set from history (历史标准).
--
-- X-03 (shared/domain/README.md §4.3; the reference names no exemption, these are ours): a repeated
-- target is copied (is_copied_target) when it is a quantity the money should move — people,
-- households, items, area, length, an amount — and the budget changed by more than
-- var x03_budget_change (10%) of last year's. The budget is the 年初预算数, the one targets are set
-- against, else the 全年预算数 where no 年初 is printed. Rates and satisfaction (≥90% may be a
-- standard), durations and deadlines (a stale year is SE-23's), grades, text, and amounts per unit
-- (每…, …/人, …标准) legitimately stay the same.
with reports as (
    select
        r.report_id,
        r.fiscal_year,
        r.project_name,
        case when r.project_code is not null then r.project_key
             else {{ surrogate_key(['r.department_key',
                 "regexp_replace(r.project_name_key, '((19|20)?[0-9]{2}-)?(19|20)?[0-9]{2}年度?', '', 'g')"]) }}
        end as series_key
    from {{ ref('int_reports') }} as r
    where r.report_type = 'self_evaluation'
),

years as (
    select series_key, fiscal_year, min(report_id) as report_id,
        lag(fiscal_year) over (partition by series_key order by fiscal_year) as previous_fiscal_year,
        -- null unless one report each year: joined on by equality alone, since a join condition on a
        -- flag as well made DuckDB loop over every pair of rows (quadratic: 96 s at 10 000 reports)
        case when count(*) = 1 and lag(count(*)) over (partition by series_key order by fiscal_year) = 1
             then lag(min(report_id)) over (partition by series_key order by fiscal_year) end
            as paired_report_id
    from reports
    group by series_key, fiscal_year
),

evaluations as (
    {{ keyed_indicators('fct_indicator', 'not m.is_empty_row') }}
),

budgets as (
    select report_id, coalesce(initial_budget, annual_budget) as budget
    from {{ ref('fct_funding') }}
    where funding_source = 'total'
),

paired as (
    select
        e.fiscal_year,
        y.previous_fiscal_year,
        y.series_key,
        e.project_key,
        r.project_name,
        o.department_name,
        o.office_name,
        e.report_id,
        e.indicator_index,
        e.indicator_code,
        e.level3,
        e.target,
        e.actual,
        e.weight,
        e.score,
        s.total_score,
        s.total_score_recomputed,
        b.budget,
        p.report_id as previous_report_id,
        pr.project_name as previous_project_name,
        p.level3 as previous_level3,
        p.target as previous_target,
        p.actual as previous_actual,
        p.score as previous_score,
        ps.total_score as previous_total_score,
        pb.budget as previous_budget,
        cast(case when e.target_unit_family is not distinct from p.target_unit_family
                  and e.target_comparator = p.target_comparator
                  then e.target_value - p.target_value end as decimal(20, 6)) as target_change,
        coalesce(regexp_replace(e.target, '\s+', '', 'g') = regexp_replace(p.target, '\s+', '', 'g'), false)
            as is_target_repeated,
        coalesce(e.target_value = p.actual_value
                 and e.target_unit_family is not distinct from p.actual_unit_family, false)
            as is_target_last_actual,
        coalesce(abs(b.budget - pb.budget) > {{ var('x03_budget_change', 0.1) }} * abs(pb.budget), false)
            as is_budget_changed,
        e.target_value is not null
            and coalesce(e.target_unit_family, 'count') in
                ('people', 'households', 'count', 'money_yuan', 'area_m2', 'length_m')
            and not coalesce(e.is_satisfaction, false)
            and e.target not like '%每%' and e.target not like '%/%' and e.target not like '%标准%'
            as is_quantity_target
    from evaluations as e
    inner join reports as r on r.report_id = e.report_id
    inner join years as y on y.series_key = r.series_key and y.fiscal_year = e.fiscal_year
    inner join {{ ref('dim_office') }} as o on o.office_key = e.office_key
    inner join {{ ref('fct_score') }} as s on s.report_id = e.report_id
    left join budgets as b on b.report_id = e.report_id
    left join evaluations as p
        on p.report_id = y.paired_report_id and p.pair_key = e.pair_key and p.nth = e.nth
    left join {{ ref('fct_score') }} as ps on ps.report_id = p.report_id
    -- last year's report and budget, whether or not this indicator was printed last year
    left join reports as pr on pr.report_id = y.paired_report_id
    left join budgets as pb on pb.report_id = y.paired_report_id
)

select
    *,
    is_target_repeated and is_budget_changed and is_quantity_target as is_copied_target
from paired
