select
    s.report_id,
    s.subgoal_index,
    s.name as subgoal_name,
    s.goal as subgoal_goal,
    s.indicator as subgoal_indicator,
    s.indicator_comparator,
    s.indicator_value,
    s.indicator_unit,
    s.indicator_unit_family,
    s.indicator_phrase,
    s.indicator_values
from {{ source('raw', 'department_subgoals') }} as s
inner join {{ ref('stg_department_reports') }} as r on r.report_id = s.report_id
