-- Budgets of target tables (项目绩效目标表): one row per report, 万元 as printed and yuan.
select
    r.report_id,
    fiscal_year,
    department_key,
    office_key,
    project_key,
    project_code,
    unit_code,
    template,
    contract_version,
    department_as_printed,
    implementing_unit_as_printed,
    project_lead,
    phone,
    project_attribute,
    implementation_period,
    budget_total,
    budget_fiscal,
    budget_other,
    {{ yuan('budget_total') }} as budget_total_yuan,
    {{ yuan('budget_fiscal') }} as budget_fiscal_yuan,
    {{ yuan('budget_other') }} as budget_other_yuan,
    -- 上级资金 and the whole implementation period's money, where printed beside the year's
    budget_superior,
    budget_period_total,
    budget_period_fiscal,
    budget_period_other,
    {{ yuan('budget_superior') }} as budget_superior_yuan,
    {{ yuan('budget_period_total') }} as budget_period_total_yuan,
    {{ yuan('budget_period_fiscal') }} as budget_period_fiscal_yuan,
    {{ yuan('budget_period_other') }} as budget_period_other_yuan,
    purpose,
    g.annual_goals,
    goals_whole_period,
    review_opinion,
    extraction_warnings
from {{ ref('int_reports') }} as r
-- the year's numbered 绩效目标 lines (raw.goals), one a line as goals_whole_period holds its own
left join (
    select report_id, string_agg(goal, chr(10) order by goal_index) as annual_goals
    from {{ ref('stg_goals') }}
    group by report_id
) as g on g.report_id = r.report_id
where report_type = 'performance_target'
