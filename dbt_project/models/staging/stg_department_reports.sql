-- Department-level reports of documents read completely (a quarantined document's rows stay in raw,
-- as for project reports: stg_reports).
select
    r.report_id,
    r.report_type,
    r.source_sha256,
    r.source_file,
    r.report_index,
    r.page_first,
    r.page_last,
    r.fiscal_year,
    {{ without_unit_code("regexp_replace(trim(r.unit_name), '本级$', '')") }} as unit_name,
    r.template,
    r.contract_version,
    r.overall_goal,
    r.goal_actual,
    r.total_weight,
    r.total_score,
    r.extraction_warnings
from {{ source('raw', 'department_reports') }} as r
inner join {{ source('raw', 'documents') }} as d
    on d.source_sha256 = r.source_sha256 and d.status = 'ok' and d.quarantine_reason is null
