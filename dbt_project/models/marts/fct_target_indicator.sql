-- Indicators of performance-target tables (项目绩效目标表) with codes and normalised target values.
select
    i.report_id,
    i.indicator_index,
    r.fiscal_year,
    r.department_key,
    r.office_key,
    r.project_key,
    i.level1,
    i.level2,
    i.level3,
    i.level1_code,
    i.level2_code,
    i.indicator_code,
    i.description,
    i.target,
    i.basis,
    i.target_comparator,
    i.target_value,
    i.target_value_hi,
    i.target_unit,
    i.target_unit_family,
    i.target_period,
    i.target_value_yuan,
    i.target_annual_yuan,
    i.target_duration_days,
    i.target_deadline,
    i.target_event,
    i.target_grade,
    i.target_confidence,
    i.is_cost,
    i.is_unknown_label,
    i.is_level3_placeholder,
    i.is_quantified,
    b.budget_total_yuan
from {{ ref('int_indicators') }} as i
inner join {{ ref('int_reports') }} as r on r.report_id = i.report_id
inner join {{ ref('fct_project_budget') }} as b on b.report_id = i.report_id
where i.report_type = 'performance_target'
