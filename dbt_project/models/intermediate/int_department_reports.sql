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

-- every name's endings of 5 characters or more (the name itself too) matched by equality, so that the
-- work grows with the names' lengths, not with department reports × departments (int_report_units)
unit_endings as (
    select r.report_id, right(r.unit_name, g.n) as ending
    from reports as r
    cross join lateral generate_series(5, length(r.unit_name)) as g(n)
),

known_endings as (
    select k.department, right(k.department, g.n) as ending
    from known as k
    cross join lateral generate_series(5, length(k.department)) as g(n)
),

suffix_pairs as (
    -- a department the printed name ends with
    select e.report_id, k.department
    from unit_endings as e
    inner join known as k on k.department = e.ending
    union
    -- a department that ends with the printed name
    select r.report_id, e.department
    from reports as r
    inner join known_endings as e on e.ending = r.unit_name
),

suffix_matches as (
    select report_id, department, count(*) over (partition by report_id) as candidates
    from suffix_pairs
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
