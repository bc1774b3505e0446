-- Items two different projects of one unit and year both print (SE-22): the same 预期目标 or
-- indicator row (match_key), or the same amount with 3 or more decimals, equal to the shorter of the
-- two printings (3457.171733 and 3457.17173 are one amount). Boilerplate rows are left out. One row
-- per item of report_id matched with an item of partner_report_id, in both directions.
with items as (
    select * from {{ ref('int_clone_items') }}
    where not is_boilerplate
        and (item_kind <> 'amount' or amount_decimals >= 3)
)

select
    a.report_id,
    b.report_id as partner_report_id,
    a.fiscal_year,
    a.department_key,
    a.item_kind,
    a.item_label,
    a.item_order,
    a.match_key,
    a.printed_text,
    b.printed_text as partner_printed_text,
    -- what both print, the less precise printing of an amount
    case when a.item_kind = 'amount' and b.amount_decimals < a.amount_decimals then b.printed_text
         when a.item_kind = 'amount' then a.printed_text
         else a.match_key end as shared_text
from items as a
inner join items as b
    on b.fiscal_year is not distinct from a.fiscal_year and b.department_key = a.department_key
    and b.item_kind = a.item_kind and b.project_key <> a.project_key
    and case when a.item_kind = 'amount'
             then cast(abs(a.amount - b.amount) as double precision)
                  * power(10, least(a.amount_decimals, b.amount_decimals)) <= 0.5
             else b.match_key = a.match_key end
