-- Reports of documents that were read; header fields renamed, department names resolved to one spelling.
select
    r.report_id,
    r.report_type,
    r.source_sha256,
    r.source_file,
    r.report_index,
    r.page_first,
    r.page_last,
    r.fiscal_year,
    r.project_name,
    coalesce(a.department, r.department) as department,
    r.department as department_as_printed,
    r.implementing_unit,
    r.project_lead,
    r.phone,
    r.goal_planned,
    r.goal_actual,
    r.total_weight,
    r.total_score,
    r.unit_code,
    r.unit_name,
    r.project_code,
    r.budget_total,
    r.budget_fiscal,
    r.budget_other,
    r.purpose
from {{ source('raw', 'reports') }} as r
inner join {{ source('raw', 'documents') }} as d
    on d.source_sha256 = r.source_sha256 and d.status = 'ok'
left join {{ ref('department_aliases') }} as a
    on a.alias = r.department
