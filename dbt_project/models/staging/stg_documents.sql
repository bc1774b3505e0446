select
    source_sha256,
    source_file,
    status,
    error,
    report_count,
    extractor_version,
    quarantine_reason,
    previous_version,
    previously_complete,
    first_seen,
    last_seen,
    in_inbox
from {{ source('raw', 'documents') }}
