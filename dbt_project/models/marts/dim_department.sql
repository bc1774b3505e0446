-- Departments (主管部门 / 预算单位) under one spelling each, with the spellings seen.
select
    department_key,
    department as department_name,
    cast(count(distinct report_id) as integer) as reports,
    min(fiscal_year) as first_year,
    max(fiscal_year) as last_year
from {{ ref('int_reports') }}
group by department_key, department
