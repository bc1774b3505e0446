-- Fiscal years (年度) with reports of each type.
select
    fiscal_year,
    cast(sum(case when report_type = 'self_evaluation' then 1 else 0 end) as integer) as self_evaluations,
    cast(sum(case when report_type = 'performance_target' then 1 else 0 end) as integer) as target_tables
from {{ ref('int_reports') }}
where fiscal_year is not null
group by fiscal_year
