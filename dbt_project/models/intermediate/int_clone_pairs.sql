-- Clones (SE-22, shared/domain/README.md §4.1): two different projects of one unit and year that share
-- an amount printed with 3 or more decimals, or their 预期目标 text (15 characters or more), or 4 or
-- more indicator rows that are not boilerplate (int_clone_items). One row per report and clone
-- partner, in both directions, with the evidence a reviewer reads: the partner and what is shared.
with pairs as (
    select
        report_id,
        partner_report_id,
        min(fiscal_year) as fiscal_year,
        min(department_key) as department_key,
        sum(case when item_kind = 'amount' then 1 else 0 end) as shared_amounts,
        sum(case when item_kind = 'goal' then 1 else 0 end) as shared_goals,
        sum(case when item_kind = 'indicator_row' then 1 else 0 end) as shared_indicator_rows,
        string_agg(case when item_kind = 'amount' then item_label || ' ' || printed_text
            || case when partner_printed_text <> printed_text then ' ≈ ' || partner_printed_text else '' end
            end, '、' order by item_order) as amounts_text,
        max(case when item_kind = 'goal' then printed_text end) as goal_text,
        string_agg(case when item_kind = 'indicator_row' then printed_text end, '；' order by item_order)
            as rows_text
    from {{ ref('int_clone_matches') }}
    group by report_id, partner_report_id
)

select
    p.report_id,
    p.partner_report_id,
    p.fiscal_year,
    p.department_key,
    r.project_name as partner_project_name,
    r.office_name as partner_office_name,
    cast(p.shared_amounts as integer) as shared_amounts,
    p.shared_goals > 0 as shares_goal,
    cast(p.shared_indicator_rows as integer) as shared_indicator_rows,
    concat_ws(', ',
        case when p.shared_amounts > 0 then 'amount' end,
        case when p.shared_goals > 0 then 'goal' end,
        case when p.shared_indicator_rows >= 4 then 'indicator_rows' end) as clone_kinds,
    '与「' || r.project_name || '」相同：' || concat_ws('。',
        case when p.shared_amounts > 0 then '金额 ' || p.amounts_text end,
        case when p.shared_goals > 0 then '预期目标「' || p.goal_text || '」' end,
        case when p.shared_indicator_rows > 0
             then cast(p.shared_indicator_rows as {{ dbt.type_string() }}) || ' 行绩效指标：' || p.rows_text end)
        as evidence
from pairs as p
inner join {{ ref('int_reports') }} as r on r.report_id = p.partner_report_id
where p.shared_amounts > 0 or p.shared_goals > 0 or p.shared_indicator_rows >= 4
