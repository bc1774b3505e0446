-- Self-evaluation reports with their office and project keys: the grain every SE fact hangs off.
select
    report_id,
    fiscal_year,
    {{ surrogate_key(['department', 'implementing_unit']) }} as office_key,
    {{ surrogate_key([surrogate_key(['department', 'implementing_unit']), 'project_name']) }} as project_key,
    project_name,
    source_file,
    page_first,
    page_last,
    total_weight,
    total_score
from {{ ref('stg_reports') }}
where report_type = 'self_evaluation'
