-- A project's targets for year N (项目绩效目标表) next to its self-evaluation for year N (自评表),
-- indicator by indicator. Rows are paired on the canonical indicator code and the 三级指标 name;
-- the n-th row of a pair key on one side meets the n-th on the other. Only project-years with
-- both documents appear; an indicator on one side only is shown as target_only / self_evaluation_only.
with targets as (
    {{ keyed_indicators('fct_target_indicator') }}
),

evaluations as (
    {{ keyed_indicators('fct_indicator', 'not m.is_empty_row') }}
),

project_years as (
    select distinct t.project_key, t.fiscal_year
    from targets as t
    inner join evaluations as e on e.project_key = t.project_key and e.fiscal_year = t.fiscal_year
),

paired as (
    select
        coalesce(t.project_key, e.project_key) as project_key,
        coalesce(t.fiscal_year, e.fiscal_year) as fiscal_year,
        coalesce(t.indicator_code, e.indicator_code) as indicator_code,
        t.report_id as target_report_id,
        t.indicator_index as target_indicator_index,
        e.report_id as self_evaluation_report_id,
        e.indicator_index as self_evaluation_indicator_index,
        t.level3 as level3_target_table,
        e.level3 as level3_self_evaluation,
        t.target as target_in_target_table,
        e.target as target_in_self_evaluation,
        t.target_comparator,
        t.target_value,
        {{ value_number('t', 'target') }} as target_number,
        e.target_comparator as self_evaluation_comparator,
        e.target_value as self_evaluation_target_value,
        e.actual,
        {{ value_number('e', 'actual') }} as actual_number,
        {{ same_unit('t', 'e') }} as is_same_unit,
        e.actual_status,
        e.weight,
        e.score,
        e.score_recomputed
    from targets as t
    full outer join evaluations as e
        on e.project_key = t.project_key and e.fiscal_year = t.fiscal_year
        and e.pair_key = t.pair_key and e.nth = t.nth
)

select
    p.fiscal_year,
    p.project_key,
    d.project_name,
    d.office_key,
    case when p.target_report_id is null then 'self_evaluation_only'
         when p.self_evaluation_report_id is null then 'target_only'
         else 'matched' end as match_status,
    p.indicator_code,
    p.level3_target_table,
    p.level3_self_evaluation,
    p.target_in_target_table,
    p.target_in_self_evaluation,
    -- X-01: the self-evaluation restates the approved target differently
    case when p.target_report_id is not null and p.self_evaluation_report_id is not null
         then not (p.target_comparator is not distinct from p.self_evaluation_comparator
                   and p.target_value is not distinct from p.self_evaluation_target_value)
    end as is_target_changed,
    p.actual,
    p.actual_status,
    -- the actual measured against the target approved with the budget, where both are numbers
    case when p.actual_number is null or p.target_number is null or not p.is_same_unit then null
         when p.target_comparator in ('>=', '>') then p.actual_number >= p.target_number
         when p.target_comparator in ('<=', '<') then p.actual_number <= p.target_number
         when p.target_comparator = '=' then p.actual_number = p.target_number
    end as meets_approved_target,
    p.weight,
    p.score,
    p.score_recomputed,
    p.target_report_id,
    p.target_indicator_index,
    p.self_evaluation_report_id,
    p.self_evaluation_indicator_index
from paired as p
inner join project_years as y on y.project_key = p.project_key and y.fiscal_year = p.fiscal_year
inner join {{ ref('dim_project') }} as d on d.project_key = p.project_key
