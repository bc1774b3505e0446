-- Documents read, but not completely (隔离文件): kept in raw with their warnings, left out of every
-- fact, dimension and mart (stg_reports filters them), listed here with the reason.
select
    source_sha256,
    source_file,
    report_count,
    quarantine_reason as reason,
    extractor_version,
    first_seen,
    last_seen,
    in_inbox,
    -- read completely by an earlier reader version: the blocking check extraction_complete stops the run
    coalesce(previously_complete and previous_version <> extractor_version, false) as is_reader_regression
from {{ ref('stg_documents') }}
where status = 'ok' and quarantine_reason is not null
