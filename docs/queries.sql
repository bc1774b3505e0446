-- Example questions analysts ask, answered from the marts. Open the published copy read-only
-- (duckdb -readonly warehouse/published/jixiao.duckdb; never warehouse/jixiao.duckdb, which the
-- pipeline writes and locks while it runs) and paste one query. Each query is run by
-- tests/test_queries.py against the sample warehouse. Money in yuan (元), rates as fractions.

-- The analyst report's figures (`jixiao report`; warehouse/published/report/index.html) are the named
-- queries of report/figures.sql, one per figure and table, each shown under what it draws; run them
-- the same way.

-- name: offices_by_execution
-- Which offices spend their budgets, and how they score themselves.
SELECT fiscal_year, department_name, office_name, projects,
       annual_budget_yuan, executed_yuan, execution_rate,
       avg_total_score, avg_total_score_recomputed
FROM marts.mart_office_year
ORDER BY fiscal_year, execution_rate, annual_budget_yuan DESC;

-- name: budget_cut_to_match_spending
-- Budgets cut during the year so that the execution rate prints 100% (SE-16 / SE-17).
SELECT fiscal_year, office_name, project_name, initial_budget_yuan, annual_budget_yuan,
       executed_yuan, adjustment_ratio, execution_rate
FROM marts.mart_project_scorecard
WHERE adjustment_ratio < 0.5
ORDER BY adjustment_ratio;

-- name: printed_vs_recomputed_totals
-- Self-evaluations whose printed 总分 differs most from the score the national rules give.
SELECT fiscal_year, office_name, project_name, weight_sum, total_score,
       total_score_recomputed, total_score_difference, grade_printed, grade_recomputed
FROM marts.mart_project_scorecard
WHERE total_score_difference <> 0
ORDER BY abs(total_score_difference) DESC, project_name;

-- name: full_marks_without_survey
-- Projects that gave themselves 100 points without measuring satisfaction.
SELECT fiscal_year, office_name, project_name, total_score, not_done_count
FROM marts.mart_project_scorecard
WHERE total_score >= 100 AND NOT satisfaction_measured
ORDER BY office_name, project_name;

-- name: vague_targets_by_office
-- Whose targets are vague: few quantified targets, many copied ones and placeholder names.
SELECT fiscal_year, report_type, department_name, office_name, indicators,
       quantified_share, boilerplate_targets, placeholder_names, unknown_labels
FROM marts.mart_indicator_quality
ORDER BY quantified_share, indicators DESC;

-- name: cost_targets_above_budget
-- Cost targets that, over a year, exceed the project's whole budget (TT-04); 1% spares a monthly
-- figure rounded from the budget (12976.25元/月 × 12 = 155 715 元 against 15.57 万元).
SELECT t.fiscal_year, p.project_name, t.target, t.target_annual_yuan, b.budget_total_yuan,
       cast(t.target_annual_yuan / b.budget_total_yuan AS decimal(10, 2)) AS times_budget
FROM marts.fct_target_indicator AS t
JOIN marts.fct_project_budget AS b ON b.report_id = t.report_id
JOIN marts.dim_project AS p ON p.project_key = t.project_key
WHERE t.is_cost AND t.target_annual_yuan > 1.01 * b.budget_total_yuan
ORDER BY times_budget DESC;

-- name: targets_met_against_budget_approval
-- Did the projects reach the targets approved with their budget? (empty until a unit's target
-- tables and self-evaluations of the same year are both loaded)
SELECT fiscal_year, project_name, match_status, indicator_code, target_in_target_table,
       target_in_self_evaluation, is_target_changed, actual, actual_status, meets_approved_target
FROM marts.mart_target_vs_actual
ORDER BY fiscal_year, project_name, indicator_code;

-- name: clone_groups_side_by_side
-- Which projects copied from one another (SE-22)? Each clone group of a unit and year, and every item
-- its members share — an amount of ≥3 decimals, the 预期目标, an indicator row (三级指标 | 年度指标值 |
-- 实际完成值) — as each member prints it, side by side: project_1, project_2, project_3 in the order of
-- group_projects; a member that does not print the item is null; members beyond three in more_projects.
WITH members AS (
    SELECT *, dense_rank() OVER (PARTITION BY clone_group_id ORDER BY project_name) AS member
    FROM marts.mart_clone_groups
)
SELECT fiscal_year, department_name, group_projects, shared_kinds, item_kind, min(item_label) AS item_label,
       max(CASE WHEN member = 1 THEN printed_text END) AS project_1,
       max(CASE WHEN member = 2 THEN printed_text END) AS project_2,
       max(CASE WHEN member = 3 THEN printed_text END) AS project_3,
       string_agg(CASE WHEN member > 3 THEN project_name || '：' || printed_text END, '；') AS more_projects
FROM members
GROUP BY fiscal_year, department_name, clone_group_id, group_projects, shared_kinds, item_kind, shared_text
ORDER BY fiscal_year, group_projects, item_kind, min(item_order);

-- name: targets_copied_from_last_year
-- Which targets did this unit copy from last year (X-03)? Targets printed as last year's target
-- (照搬上年), or set at last year's actual (历史标准), per project, beside last year's values and
-- the budget of both years; x03 marks a quantity copied while the budget moved by more than 10% (an
-- X-03 finding). Add `AND department_name = '…'` for one unit. Empty until two years of a project
-- are loaded (samples/years/ holds a second year of seven seed projects).
SELECT fiscal_year, department_name, office_name, project_name, level3, target,
       previous_fiscal_year, previous_target, previous_actual, target_change,
       CASE WHEN is_target_repeated THEN 'last year''s target' ELSE 'last year''s actual' END AS copied_from,
       previous_budget, budget, is_copied_target AS x03
FROM marts.mart_project_years
WHERE is_target_repeated OR is_target_last_actual
ORDER BY fiscal_year, department_name, office_name, project_name, indicator_index;
