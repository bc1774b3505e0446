-- Groups of cloned projects (SE-22, 疑似复制项目组), for a reviewer to read side by side: the connected
-- components of the clone relation (staging.int_clone_pairs) within a unit (主管部门) and year. One
-- row per group, member project and item that member shares with another member of its group — an
-- amount, the 预期目标 or an indicator row. Rows with the same clone_group_id and shared_text are one
-- item as each member printed it (printed_text); members_sharing says how many members print it.
with recursive reach (report_id, member_id) as (
    select distinct report_id, report_id from {{ ref('int_clone_pairs') }}
    union
    select r.report_id, p.partner_report_id
    from reach as r
    inner join {{ ref('int_clone_pairs') }} as p on p.report_id = r.member_id
),

members as (
    select r.report_id, min(r.member_id) as root_report_id
    from reach as r
    group by r.report_id
),

member_reports as (
    select m.root_report_id, i.report_id, i.fiscal_year, i.department_key, i.department, i.project_key,
        i.project_name, i.office_name
    from members as m
    inner join {{ ref('int_reports') }} as i on i.report_id = m.report_id
),

groups as (
    select
        m.root_report_id,
        count(*) as group_size,
        string_agg(m.project_name, '；' order by m.project_name) as group_projects,
        string_agg(distinct m.office_name, '、' order by m.office_name) as group_offices
    from member_reports as m
    group by m.root_report_id
),

group_kinds as (
    select
        m.root_report_id,
        concat_ws(', ',
            case when max(p.shared_amounts) > 0 then 'amount' end,
            case when bool_or(p.shares_goal) then 'goal' end,
            case when max(p.shared_indicator_rows) >= 4 then 'indicator_rows' end) as shared_kinds
    from member_reports as m
    inner join {{ ref('int_clone_pairs') }} as p on p.report_id = m.report_id
    group by m.root_report_id
),

-- every item a member shares with any other member of its group
items as (
    select
        m.root_report_id,
        x.report_id,
        x.item_kind,
        x.match_key,
        min(x.item_label) as item_label,
        min(x.item_order) as item_order,
        min(x.printed_text) as printed_text,
        min(x.shared_text) as shared_text,
        count(distinct x.partner_report_id) + 1 as members_sharing
    from {{ ref('int_clone_matches') }} as x
    inner join members as m on m.report_id = x.report_id
    inner join members as partner
        on partner.report_id = x.partner_report_id and partner.root_report_id = m.root_report_id
    group by m.root_report_id, x.report_id, x.item_kind, x.match_key
)

select
    {{ surrogate_key(['m.root_report_id']) }} as clone_group_id,
    m.fiscal_year,
    m.department_key,
    m.department as department_name,
    cast(g.group_size as integer) as group_size,
    g.group_projects,
    g.group_offices,
    k.shared_kinds,
    m.report_id,
    m.project_key,
    m.project_name,
    m.office_name,
    i.item_kind,
    i.item_label,
    cast(i.item_order as integer) as item_order,
    i.match_key as item_key,
    i.shared_text,
    i.printed_text,
    cast(i.members_sharing as integer) as members_sharing
from member_reports as m
inner join groups as g on g.root_report_id = m.root_report_id
inner join group_kinds as k on k.root_report_id = m.root_report_id
inner join items as i on i.root_report_id = m.root_report_id and i.report_id = m.report_id
