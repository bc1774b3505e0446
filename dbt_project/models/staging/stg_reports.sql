-- Reports of documents that were read completely, header fields as printed (names are resolved
-- downstream). A document read incompletely (raw.documents.quarantine_reason, set by the loader:
-- extract/load.py incomplete_reasons) is quarantined here, once for every model: its rows stay in
-- raw, it is listed in marts.quarantined_documents, and no fact, dimension or mart counts it.
select
    r.report_id,
    r.report_type,
    r.source_sha256,
    r.source_file,
    r.report_index,
    r.page_first,
    r.page_last,
    r.fiscal_year,
    r.project_name,
    {{ name_key('r.project_name') }} as project_name_key,
    trim(r.department) as department_as_printed,
    trim(r.implementing_unit) as implementing_unit_as_printed,
    r.project_lead,
    r.phone,
    r.goal_planned,
    r.goal_actual,
    r.total_weight,
    r.total_score,
    r.unit_code,
    trim(r.unit_name) as unit_name,
    r.project_code,
    r.budget_total,
    r.budget_fiscal,
    r.budget_other,
    r.purpose,
    r.extraction_warnings,
    -- contract v2 (docs/contract.md): null for v1 records and where the template does not print them
    r.contract_version,
    r.template,
    r.form_code,
    r.finance_lead,
    r.implementation_summary,
    r.conclusion,
    r.problems,
    r.improvements,
    r.remarks,
    r.project_attribute,
    r.implementation_period,
    r.goals_whole_period,
    r.review_opinion,
    r.budget_superior,
    r.budget_period_total,
    r.budget_period_fiscal,
    r.budget_period_other,
    coalesce(r.read_by_ocr, false) as read_by_ocr
from {{ source('raw', 'reports') }} as r
inner join {{ source('raw', 'documents') }} as d
    on d.source_sha256 = r.source_sha256 and d.status = 'ok' and d.quarantine_reason is null
