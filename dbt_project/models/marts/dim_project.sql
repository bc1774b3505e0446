-- A project within the office that carries it out; the same name in two offices is two projects.
with projects as (
    select distinct
        {{ surrogate_key(['department', 'implementing_unit']) }} as office_key,
        project_name,
        cast(null as {{ dbt.type_string() }}) as project_code
    from {{ ref('stg_reports') }}
    where report_type = 'self_evaluation'
    union
    select distinct
        {{ surrogate_key(['unit_name', 'unit_name']) }},
        project_name,
        project_code
    from {{ ref('stg_reports') }}
    where report_type = 'performance_target'
)
select
    {{ surrogate_key(['office_key', 'project_name']) }} as project_key,
    office_key,
    project_name,
    project_code
from projects
