-- Example questions analysts ask, answered from the marts. Open the published copy read-only
-- (duckdb -readonly warehouse/published/jixiao.duckdb; never warehouse/jixiao.duckdb, which the
-- pipeline writes and locks while it runs) and paste one query. Each query is run by
-- tests/test_queries.py against the sample warehouse. Money in yuan (元), rates as fractions.

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
