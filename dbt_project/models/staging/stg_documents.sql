select
    source_sha256,
    source_file,
    status,
    error,
    report_count,
    extractor_version
from {{ source('raw', 'documents') }}
