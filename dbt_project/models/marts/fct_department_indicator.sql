-- Indicator rows (三级指标) of department self-evaluations (部门整体支出绩效自评表), apart from the
-- project indicators of fct_indicator.
select
    r.report_id,
    i.indicator_index,
    r.fiscal_year,
    r.department_key,
    i.level1,
    i.level2,
    i.level3,
    i.target,
    i.actual,
    i.weight,
    i.score,
    i.score_text,
    i.deviation
from {{ ref('int_department_reports') }} as r
inner join {{ ref('stg_department_indicators') }} as i on i.report_id = r.report_id
where r.report_type = 'department_self_evaluation'
