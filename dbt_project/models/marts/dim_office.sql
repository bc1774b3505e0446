-- An office (实施单位) within its department (主管部门). A target table's budget unit is both.
with offices as (
    select distinct department, implementing_unit as office_name
    from {{ ref('stg_reports') }}
    where report_type = 'self_evaluation'
    union
    select distinct unit_name, unit_name
    from {{ ref('stg_reports') }}
    where report_type = 'performance_target'
)
select
    {{ surrogate_key(['department', 'office_name']) }} as office_key,
    department,
    office_name
from offices
