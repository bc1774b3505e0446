-- The canonical indicator taxonomy (指标体系) with the number of label spellings mapped to each code.
select
    t.indicator_code,
    cast(t.level as integer) as level,
    t.parent_code,
    t.name_zh,
    t.name_en,
    cast(count(v.label_key) as integer) as variants
from {{ ref('indicator_taxonomy') }} as t
left join {{ ref('indicator_label_variants') }} as v on v.indicator_code = t.indicator_code
group by t.indicator_code, t.level, t.parent_code, t.name_zh, t.name_en
