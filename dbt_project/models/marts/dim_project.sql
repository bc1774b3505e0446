-- Projects (项目) across documents and years. The name is the latest one printed; the office is
-- the 实施单位 of its latest self-evaluation, else the department's own level (本级).
with reports as (
    select
        r.*,
        row_number() over (partition by r.project_key order by r.fiscal_year desc, r.report_type desc,
                           r.project_name) as by_recency,
        row_number() over (partition by r.project_key order by r.office_name = '本级', r.fiscal_year desc,
                           r.office_name) as by_office
    from {{ ref('int_reports') }} as r
)
select
    project_key,
    max(department_key) as department_key,
    max(case when by_office = 1 then office_key end) as office_key,
    max(project_code) as project_code,
    max(case when by_recency = 1 then project_name end) as project_name,
    cast(count(distinct project_name) as integer) as names_seen,
    min(fiscal_year) as first_year,
    max(fiscal_year) as last_year,
    cast(sum(case when report_type = 'self_evaluation' then 1 else 0 end) as integer) as self_evaluations,
    cast(sum(case when report_type = 'performance_target' then 1 else 0 end) as integer) as target_tables
from reports
group by project_key
