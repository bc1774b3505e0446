-- Department goals (部门整体绩效目标), one row per sub-goal (分项绩效目标): its texts as printed and
-- the value its 绩效指标 sentence states (comparator, value, unit; read at load time by
-- extract/values.py sentence_measures: the sentence's last value). Department-level only: no
-- project fact reads these rows.
select
    r.report_id,
    s.subgoal_index,
    r.fiscal_year,
    r.department_key,
    r.department,
    r.unit_name,
    r.template,
    r.overall_goal,
    s.subgoal_name,
    s.subgoal_goal,
    s.subgoal_indicator,
    s.indicator_comparator,
    s.indicator_value,
    s.indicator_unit,
    s.indicator_unit_family,
    s.indicator_phrase,
    s.indicator_values,
    s.indicator_comparator is not null as is_quantified,
    r.source_file,
    r.page_first,
    r.page_last
from {{ ref('int_department_reports') }} as r
inner join {{ ref('stg_department_subgoals') }} as s on s.report_id = r.report_id
where r.report_type = 'department_goals'
