select
    g.report_id,
    g.goal_index,
    g.goal
from {{ source('raw', 'goals') }} as g
inner join {{ ref('stg_reports') }} as r on r.report_id = g.report_id
