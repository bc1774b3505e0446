-- Budgets of target tables (项目绩效目标表): one row per report, 万元 as printed and yuan.
select
    report_id,
    fiscal_year,
    department_key,
    office_key,
    project_key,
    project_code,
    unit_code,
    budget_total,
    budget_fiscal,
    budget_other,
    cast(budget_total * 10000 as decimal(20, 2)) as budget_total_yuan,
    cast(budget_fiscal * 10000 as decimal(20, 2)) as budget_fiscal_yuan,
    cast(budget_other * 10000 as decimal(20, 2)) as budget_other_yuan,
    purpose,
    extraction_warnings
from {{ ref('int_reports') }}
where report_type = 'performance_target'
