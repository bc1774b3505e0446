-- Department-level reports with the department they are about, under the spelling the project
-- reports resolved it to (int_report_units), so that mart_department_year sets a department's own
-- goals and self-evaluation beside its projects'. The name printed (唐山市丰润区燕山路街道办事处 in a
-- publication's title) resolves by the alias seed, else to the one department of the project
-- reports whose name ends with it or that it ends with (5 characters at least, as there), else
-- stands as printed.
with reports as (
    select * from {{ ref('stg_department_reports') }}
),

known as (
    select distinct department from {{ ref('int_report_units') }}
),

suffix_matches as (
    select r.report_id, k.department, count(*) over (partition by r.report_id) as candidates
    from reports as r
    inner join known as k
        on length(r.unit_name) >= 5 and length(k.department) >= 5
        and (right(r.unit_name, length(k.department)) = k.department
             or right(k.department, length(r.unit_name)) = r.unit_name)
),

resolved as (
    select r.*, coalesce(a.department, m.department, r.unit_name) as department
    from reports as r
    left join {{ ref('department_aliases') }} as a on a.alias = r.unit_name
    left join suffix_matches as m on m.report_id = r.report_id and m.candidates = 1
)

select
    *,
    {{ surrogate_key(['department']) }} as department_key
from resolved
