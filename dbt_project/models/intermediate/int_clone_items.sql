-- What one self-evaluation could have copied from another (SE-22, shared/domain/README.md §4.1): its
-- amounts printed with 3 or more decimals (年初预算数 / 全年预算数 / 全年执行数), its 预期目标 of 15
-- characters or more, and its indicator rows (三级指标 of 4 characters or more + 年度指标值 + 实际完成值).
-- One row per report and distinct item. Texts are matched on match_key: whitespace removed and
-- full-width ASCII forms (，（）％ …) read as half-width — nothing else is normalised.
--
-- Boilerplate rows never make a clone: the satisfaction rows (满意度 ≥90% / 95% / 100%, on every
-- template) and 不适用 rows, and any row shared by clone_boilerplate_min_projects (5) or more projects
-- of the unit and year (发放完成率 100%, 项目完成率 100%, 时效指标 2023年完成 …). Five, not the 3 of
-- TT-11's boilerplate_min_projects: three projects copied from one another (the seeds' three
-- 控违拆违 batches) share their rows three times, and that is the clone to find.
with reports as (
    select report_id, fiscal_year, department_key, office_key, project_key
    from {{ ref('int_reports') }}
    where report_type = 'self_evaluation'
),

-- every amount cell of the funding block (the total and its parts), each distinct amount once
amount_cells as (
    select distinct report_id, 1 as column_order, '年初预算数' as column_label, initial_budget as amount
    from {{ ref('stg_funding') }} where initial_budget is not null
    union
    select distinct report_id, 2, '全年预算数', annual_budget
    from {{ ref('stg_funding') }} where annual_budget is not null
    union
    select distinct report_id, 3, '全年执行数', executed
    from {{ ref('stg_funding') }} where executed is not null
),

amounts as (
    select
        report_id,
        amount,
        -- the decimals as printed: stored to 6 places, trailing zeros are not printed
        rtrim(rtrim(cast(amount as {{ dbt.type_string() }}), '0'), '.') as printed,
        min(column_order) as item_order,
        string_agg(column_label, '、' order by column_order) as item_label
    from amount_cells
    group by report_id, amount
),

items as (
    select
        report_id, 'amount' as item_kind, item_label, item_order, printed as printed_text,
        amount, length(split_part(printed, '.', 2)) as amount_decimals,
        false as is_template_row
    from amounts
    union all
    select
        report_id, 'goal', '预期目标', 0, goal_planned, null, null, false
    from {{ ref('int_reports') }}
    where report_type = 'self_evaluation' and goal_planned is not null
    union all
    select
        report_id, 'indicator_row', '绩效指标', indicator_index,
        level3 || ' | ' || coalesce(target, '—') || ' | ' || coalesce(actual, '—'), null, null,
        coalesce(is_satisfaction or is_not_applicable, false)
    from {{ ref('int_indicators') }}
    where report_type = 'self_evaluation' and not is_empty_row
        and length(regexp_replace(level3, '[[:space:]　]+', '', 'g')) >= 4
),

keyed as (
    select
        r.fiscal_year, r.department_key, r.office_key, r.project_key, i.*,
        case when i.item_kind = 'amount' then i.printed_text
             else regexp_replace(translate(i.printed_text,
                 '！＂＃＄％＆＇（）＊＋，－．／０１２３４５６７８９：；＜＝＞？＠ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ［＼］＾＿｀ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ｛｜｝～',
                 '!"#$%&''()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\]^_`abcdefghijklmnopqrstuvwxyz{|}~'),
                 '[[:space:]　]+', '', 'g')
        end as match_key
    from items as i
    inner join reports as r on r.report_id = i.report_id
),

candidates as (
    select * from keyed
    where (item_kind = 'amount' and amount_decimals >= 3)
       or (item_kind = 'goal' and length(match_key) >= 15)
       or item_kind = 'indicator_row'
),

-- one row per report and item: a row printed twice in one report counts once
distinct_items as (
    select * from (
        select *, row_number() over (partition by report_id, item_kind, match_key order by item_order) as nth
        from candidates
    ) as numbered
    where nth = 1
),

sharing as (
    select fiscal_year, department_key, item_kind, match_key, count(distinct project_key) as projects
    from distinct_items
    group by fiscal_year, department_key, item_kind, match_key
)

select
    i.report_id,
    i.fiscal_year,
    i.department_key,
    i.office_key,
    i.project_key,
    i.item_kind,
    i.item_label,
    cast(i.item_order as integer) as item_order,
    i.printed_text,
    i.match_key,
    i.amount,
    cast(i.amount_decimals as integer) as amount_decimals,
    cast(s.projects as integer) as projects_sharing,
    i.item_kind = 'indicator_row'
        and (i.is_template_row or s.projects >= {{ var('clone_boilerplate_min_projects', 5) }}) as is_boilerplate
from distinct_items as i
inner join sharing as s
    on s.fiscal_year is not distinct from i.fiscal_year and s.department_key = i.department_key
    and s.item_kind = i.item_kind and s.match_key = i.match_key
