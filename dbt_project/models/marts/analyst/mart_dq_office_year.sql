-- Findings counted per office, year, rule and severity. A view: marts.dq_findings is merged by the
-- Great Expectations step after the facts are built (expectations/run.py), and the view follows
-- every merge. The orchestration builds it after that step; a plain `dbt build` on a warehouse that
-- has never been checked finds no findings table yet and builds the view empty, with its columns.
{{ config(materialized='view') }}
{%- set findings = source('marts', 'dq_findings') %}
{%- set exists = execute and adapter.get_relation(database=findings.database, schema=findings.schema,
                                                   identifier=findings.identifier) is not none %}
{% if exists %}
select
    r.fiscal_year,
    r.office_key,
    r.department as department_name,
    r.office_name,
    f.rule_id,
    f.severity,
    f.kind,
    count(*) filter (where f.status = 'open') as open_findings,
    count(*) filter (where f.status = 'resolved') as resolved_findings,
    count(distinct f.report_id) filter (where f.status = 'open') as reports_with_open_findings
from {{ findings }} as f
left join {{ ref('int_reports') }} as r on r.report_id = f.report_id
group by r.fiscal_year, r.office_key, r.department, r.office_name, f.rule_id, f.severity, f.kind
{% else %}
select
    cast(null as integer) as fiscal_year,
    cast(null as varchar) as office_key,
    cast(null as varchar) as department_name,
    cast(null as varchar) as office_name,
    cast(null as varchar) as rule_id,
    cast(null as varchar) as severity,
    cast(null as varchar) as kind,
    cast(null as bigint) as open_findings,
    cast(null as bigint) as resolved_findings,
    cast(null as bigint) as reports_with_open_findings
from {{ ref('int_reports') }}
where false
{% endif %}
