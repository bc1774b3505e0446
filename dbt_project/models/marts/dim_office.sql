-- Offices (实施单位) within their department; 本级 is the department's own level.
select
    office_key,
    department_key,
    department as department_name,
    office_name,
    office_name = '本级' as is_department_level,
    cast(count(distinct report_id) as integer) as reports,
    min(fiscal_year) as first_year,
    max(fiscal_year) as last_year
from {{ ref('int_reports') }}
group by office_key, department_key, department, office_name
