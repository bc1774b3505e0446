-- How good the targets are, per fiscal year, office and report type (年度 × 实施单位 × 报表类型):
-- quantified targets, boilerplate targets copied across projects, placeholder 三级指标 names and
-- labels outside the taxonomy.
with indicators as (
    select report_id, 'self_evaluation' as report_type, fiscal_year, department_key, office_key, project_key,
        indicator_code, level3, target, is_empty_row, is_quantified, is_level3_placeholder, is_unknown_label
    from {{ ref('fct_indicator') }}
    union all
    select report_id, 'performance_target', fiscal_year, department_key, office_key, project_key,
        indicator_code, level3, target, false, is_quantified, is_level3_placeholder, is_unknown_label
    from {{ ref('fct_target_indicator') }}
),

-- The same (indicator, 三级指标, target) in several projects of one department and year.
copies as (
    select report_type, fiscal_year, department_key, indicator_code, level3, target,
        count(distinct project_key) as projects
    from indicators
    where target is not null
    group by report_type, fiscal_year, department_key, indicator_code, level3, target
)

select
    i.fiscal_year,
    i.office_key,
    i.report_type,
    o.department_name,
    o.office_name,
    cast(count(distinct i.project_key) as integer) as projects,
    cast(count(*) as integer) as indicators,
    cast(sum(case when i.is_quantified then 1 else 0 end) as integer) as quantified_targets,
    cast(1.0 * sum(case when i.is_quantified then 1 else 0 end) / count(*) as decimal(10, 4)) as quantified_share,
    cast(sum(case when c.projects >= {{ var('boilerplate_min_projects') }} then 1 else 0 end) as integer)
        as boilerplate_targets,
    cast(sum(case when i.is_level3_placeholder then 1 else 0 end) as integer) as placeholder_names,
    cast(sum(case when i.is_unknown_label then 1 else 0 end) as integer) as unknown_labels
from indicators as i
inner join {{ ref('dim_office') }} as o on o.office_key = i.office_key
left join copies as c
    on c.report_type = i.report_type and c.fiscal_year = i.fiscal_year and c.department_key = i.department_key
    and c.indicator_code is not distinct from i.indicator_code
    and c.level3 is not distinct from i.level3 and c.target = i.target
where not i.is_empty_row
group by i.fiscal_year, i.office_key, i.report_type, o.department_name, o.office_name
