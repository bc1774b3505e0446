with targets as (
    select
        report_id,
        fiscal_year,
        {{ surrogate_key(['unit_name', 'unit_name']) }} as office_key,
        project_name
    from {{ ref('stg_reports') }}
    where report_type = 'performance_target'
)
select
    i.report_id,
    i.indicator_index,
    t.fiscal_year,
    t.office_key,
    {{ surrogate_key(['t.office_key', 't.project_name']) }} as project_key,
    i.level1,
    i.level2,
    i.level3,
    i.description,
    i.target,
    i.basis
from {{ ref('stg_indicators') }} as i
inner join targets as t on t.report_id = i.report_id
