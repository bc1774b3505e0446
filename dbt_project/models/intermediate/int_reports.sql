-- Every report with its conformed keys: the grain all facts hang off.
--
-- A project is identified by its 项目编码 where any target table gives one (a self-evaluation of
-- the same department and name borrows it), otherwise by its normalised name within its
-- department: a target table is published by the department (本级) for projects its offices carry
-- out, so the office cannot be part of a project's identity.
with reports as (
    select r.*, u.department_key, u.office_key, u.department, u.office_name, u.is_swapped
    from {{ ref('stg_reports') }} as r
    inner join {{ ref('int_report_units') }} as u on u.report_id = r.report_id
),

codes as (
    select department_key, project_name_key, min(project_code) as project_code
    from reports
    where project_code is not null
    group by department_key, project_name_key
    having count(distinct project_code) = 1
)

select
    r.report_id,
    r.report_type,
    r.fiscal_year,
    r.department_key,
    r.office_key,
    case when coalesce(r.project_code, c.project_code) is not null
         then {{ surrogate_key(["'code'", 'coalesce(r.project_code, c.project_code)']) }}
         else {{ surrogate_key(['r.department_key', 'r.project_name_key']) }}
    end as project_key,
    r.department,
    r.office_name,
    r.is_swapped,
    r.project_name,
    r.project_name_key,
    coalesce(r.project_code, c.project_code) as project_code,
    r.source_sha256,
    r.source_file,
    r.page_first,
    r.page_last,
    r.total_weight,
    r.total_score,
    r.goal_planned,
    r.goal_actual,
    r.unit_code,
    r.budget_total,
    r.budget_fiscal,
    r.budget_other,
    r.purpose,
    r.extraction_warnings,
    r.department_as_printed,
    r.implementing_unit_as_printed,
    r.project_lead,
    r.phone,
    r.contract_version,
    r.template,
    r.form_code,
    r.finance_lead,
    r.implementation_summary,
    r.conclusion,
    r.problems,
    r.improvements,
    r.remarks,
    r.project_attribute,
    r.implementation_period,
    r.goals_whole_period,
    r.review_opinion,
    r.budget_superior,
    r.budget_period_total,
    r.budget_period_fiscal,
    r.budget_period_other,
    r.read_by_ocr
from reports as r
left join codes as c on c.department_key = r.department_key and c.project_name_key = r.project_name_key
