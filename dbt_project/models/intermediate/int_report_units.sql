-- Every report's department (主管部门) and office (实施单位), each resolved to one spelling.
--
-- Publishers spell the same unit many ways: 大红门街道办事处 / 北京市丰台区人民政府大红门街道办事处,
-- an office prefixed with its department, abbreviations (党群办), and 主管部门 / 实施单位 swapped.
-- Resolution: swapped cells first (the office cell holds the name the rest of the document prints
-- as a department); then the alias seeds, else a longer department name that ends with the printed
-- one; then the department's name, in any of its spellings, cut from the front of the office's.
-- A target table's 预算单位 (e.g. 丰润区燕山路办事处本级) is the department's own level, 本级; a table
-- without that line names its department in 主管部门. A unit code printed before a name
-- ([015001]武汉市青山区教育局, 219-池州市贵池区棠溪镇人民政府) is not part of it.
with printed as (
    select
        report_id,
        report_type,
        source_sha256,
        {{ without_unit_code("case when report_type = 'performance_target'
                                   then coalesce(regexp_replace(unit_name, '本级$', ''), department_as_printed)
                                   else department_as_printed end") }} as department_printed,
        case when report_type = 'performance_target' then null
             else {{ without_unit_code('implementing_unit_as_printed') }} end as office_printed
    from {{ ref('stg_reports') }}
),

-- How many other reports of the same document print a name in the department cell; a seeded
-- department alias outweighs any count. Counted once per document and name, then looked up: a
-- document's reports are never paired with each other.
department_counts as (
    select source_sha256, department_printed as name, count(*) as reports
    from printed
    group by source_sha256, department_printed
),

report_names as (
    select report_id, source_sha256, department_printed, department_printed as name from printed
    union
    select report_id, source_sha256, department_printed, office_printed from printed where office_printed is not null
),

department_votes as (
    select n.report_id, n.name,
        case when n.name in (select alias from {{ ref('department_aliases') }}) then 1000000 else 0 end
            + coalesce(c.reports, 0) - case when n.name = n.department_printed then 1 else 0 end as votes
    from report_names as n
    left join department_counts as c on c.source_sha256 = n.source_sha256 and c.name = n.name
),

-- Swapped when the office cell holds the name this document more often prints as a department.
oriented as (
    select
        p.report_id,
        p.report_type,
        p.source_sha256,
        coalesce(o.votes, 0) > coalesce(d.votes, 0) as is_swapped,
        case when coalesce(o.votes, 0) > coalesce(d.votes, 0) then p.office_printed
             else p.department_printed end as department_printed,
        case when coalesce(o.votes, 0) > coalesce(d.votes, 0) then p.department_printed
             else p.office_printed end as office_printed
    from printed as p
    left join department_votes as d on d.report_id = p.report_id and d.name = p.department_printed
    left join department_votes as o on o.report_id = p.report_id and o.name = p.office_printed
),

-- A short form of a longer department name (大红门街道办事处 for 北京市丰台区人民政府大红门街道办事处):
-- the longest such name in the same document, else the only one in the warehouse, when the short
-- form is not so short that it could name another jurisdiction's department (民政局). Every name's
-- endings of 5 characters or more are listed once and matched by equality, so that the work grows
-- with the names' lengths, not with the square of the warehouse.
printed_departments as (
    select distinct source_sha256, department_printed as name from oriented where department_printed is not null
),

name_endings as (
    select l.name, right(l.name, g.n) as ending
    from (select distinct name from printed_departments) as l
    cross join lateral generate_series(5, length(l.name) - 1) as g(n)
),

longer_form_candidates as (
    select o.report_id, e.name,
        max(case when d.name is not null then 1 else 0 end) as in_document
    from oriented as o
    inner join name_endings as e on e.ending = o.department_printed
    left join printed_departments as d on d.source_sha256 = o.source_sha256 and d.name = e.name
    group by o.report_id, e.name
),

longer_form as (
    select report_id, name,
        row_number() over (partition by report_id order by in_document desc, length(name) desc, name) as rank_,
        count(*) over (partition by report_id) as candidates,
        max(in_document) over (partition by report_id) as in_document
    from longer_form_candidates
),

departments as (
    select
        o.*,
        coalesce(a.department, l.name, o.department_printed) as department
    from oriented as o
    left join {{ ref('department_aliases') }} as a on a.alias = o.department_printed
    left join longer_form as l
        on l.report_id = o.report_id and l.rank_ = 1 and (l.in_document = 1 or l.candidates = 1)
),

-- Spellings of each department an office name may start with: seeded aliases, printed forms.
spellings as (
    select department, alias as spelling from {{ ref('department_aliases') }}
    union
    select department, department from {{ ref('department_aliases') }}
    union
    select department, department_printed from departments
    union
    select department, department from departments
),

prefixes as (
    select d.report_id, p.spelling as prefix,
        row_number() over (partition by d.report_id order by length(p.spelling) desc) as rank_
    from departments as d
    inner join spellings as p on p.department = d.department
    where d.office_printed like p.spelling || '%' and length(d.office_printed) > length(p.spelling)
),

offices as (
    select
        d.report_id,
        d.report_type,
        d.is_swapped,
        d.department,
        coalesce(
            case when d.office_printed = d.department_printed or d.office_printed = d.department then '本级' end,
            nullif(substr(d.office_printed, length(p.prefix) + 1), ''),
            d.office_printed,
            '本级'
        ) as office_stripped
    from departments as d
    left join prefixes as p on p.report_id = d.report_id and p.rank_ = 1
)

select
    o.report_id,
    o.report_type,
    o.department,
    coalesce(a.office_name, o.office_stripped) as office_name,
    o.is_swapped,
    {{ surrogate_key(['o.department']) }} as department_key,
    {{ surrogate_key(['o.department', "coalesce(a.office_name, o.office_stripped)"]) }} as office_key
from offices as o
left join {{ ref('office_aliases') }} as a on a.alias = o.office_stripped
