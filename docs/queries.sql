-- Example questions analysts ask, answered from the marts. Open the published copy read-only
-- (duckdb -readonly warehouse/published/jixiao.duckdb; never warehouse/jixiao.duckdb, which the
-- pipeline writes and locks while it runs) and paste one query. Each query is run by
-- tests/test_queries.py against the sample warehouse. Money in yuan (元), rates as fractions.

-- Figures of the analyst report (`jixiao report`; warehouse/published/report/index.html): each figure
-- and table is one of these queries, its rows split by fiscal_year, and shows it underneath.
-- report/figures.sql is where the report reads them from; tests/test_report.py checks that the
-- text here is the same. (They come before the first example so that tests/test_queries.py counts
-- the examples alone.)

-- figure: overview
-- The year at a glance: projects self-evaluated, money, execution, printed and recomputed scores,
-- target tables and open findings.
SELECT y.fiscal_year,
       coalesce(sum(o.projects), 0) AS projects,
       sum(o.annual_budget_yuan) AS annual_budget_yuan,
       sum(o.executed_yuan) AS executed_yuan,
       sum(o.executed_yuan) / nullif(sum(o.annual_budget_yuan), 0) AS execution_rate,
       sum(o.avg_total_score * (o.projects - o.projects_not_scored))
         / nullif(sum(o.projects - o.projects_not_scored), 0) AS avg_total_score,
       sum(o.avg_total_score_recomputed * (o.projects - o.projects_not_scored))
         / nullif(sum(o.projects - o.projects_not_scored), 0) AS avg_total_score_recomputed,
       (SELECT coalesce(sum(q.projects), 0) FROM marts.mart_indicator_quality AS q
        WHERE q.fiscal_year = y.fiscal_year AND q.report_type = 'performance_target') AS target_tables,
       (SELECT count(*) FROM marts.dq_findings AS f
        WHERE f.fiscal_year = y.fiscal_year AND f.status = 'open') AS open_findings
FROM (SELECT fiscal_year FROM marts.mart_department_year UNION SELECT fiscal_year FROM marts.mart_indicator_quality
      UNION SELECT fiscal_year FROM marts.dq_findings WHERE fiscal_year IS NOT NULL) AS y
LEFT JOIN marts.mart_office_year AS o ON o.fiscal_year = y.fiscal_year
GROUP BY y.fiscal_year
ORDER BY y.fiscal_year;

-- figure: money_by_office
-- Budget and amount spent per office (万元), largest budget first.
SELECT fiscal_year, office_name,
       round(annual_budget_yuan / 10000, 2) AS annual_budget_wan,
       round(executed_yuan / 10000, 2) AS executed_wan,
       execution_rate
FROM marts.mart_office_year
ORDER BY fiscal_year, annual_budget_yuan DESC, office_name;

-- figure: score_distribution
-- How many projects fall in each score band, by the printed 总分 and by the recomputed one.
WITH scores AS (
    SELECT fiscal_year, 'printed' AS kind, total_score AS score FROM marts.mart_project_scorecard
    UNION ALL
    SELECT fiscal_year, 'recomputed', total_score_recomputed FROM marts.mart_project_scorecard
), banded AS (
    SELECT fiscal_year, kind,
           CASE WHEN score IS NULL THEN 0 WHEN score < 60 THEN 1 WHEN score < 80 THEN 2 WHEN score < 90 THEN 3
                WHEN score < 95 THEN 4 WHEN score < 100 THEN 5 ELSE 6 END AS band
    FROM scores
)
SELECT fiscal_year, band,
       ['none', '<60', '60–79', '80–89', '90–94', '95–99.99', '100'][band + 1] AS band_label,
       count(*) FILTER (kind = 'printed') AS printed,
       count(*) FILTER (kind = 'recomputed') AS recomputed
FROM banded
GROUP BY fiscal_year, band
ORDER BY fiscal_year, band;

-- figure: offices
-- Offices ranked by money, with the average printed 总分 next to the recomputed one.
SELECT fiscal_year, office_name, department_name, projects, annual_budget_yuan, executed_yuan, execution_rate,
       avg_total_score, avg_total_score_recomputed, min_total_score, projects_scored_100,
       projects_without_satisfaction_survey, quantified_share
FROM marts.mart_office_year
ORDER BY fiscal_year, annual_budget_yuan DESC, office_name;

-- figure: score_by_office
-- Offices ranked by their average printed 总分, beside the recomputed average.
SELECT fiscal_year, office_name, avg_total_score, avg_total_score_recomputed
FROM marts.mart_office_year
WHERE avg_total_score IS NOT NULL OR avg_total_score_recomputed IS NOT NULL
ORDER BY fiscal_year, avg_total_score DESC NULLS LAST, office_name;

-- figure: departments
-- Departments: their projects' money and scores beside their own goals and self-evaluation.
SELECT fiscal_year, department_name, projects, annual_budget_yuan, executed_yuan, execution_rate,
       avg_total_score, avg_total_score_recomputed, department_subgoals, department_subgoals_quantified,
       department_self_evaluation_score
FROM marts.mart_department_year
ORDER BY fiscal_year, annual_budget_yuan DESC NULLS LAST, department_name;

-- figure: scorecards
-- One row per project self-evaluation, with the document and the pages it was read from.
SELECT s.fiscal_year, s.project_name, s.project_code, s.office_name, s.department_name, s.report_id,
       s.annual_budget_yuan, s.executed_yuan, s.execution_rate, s.total_score, s.total_score_recomputed,
       s.total_score_difference, s.grade_printed, s.grade_recomputed, s.score_status, s.indicators,
       s.not_done_count, s.quantified_share,
       r.source_sha256, r.source_file, r.page_first, r.page_last
FROM marts.mart_project_scorecard AS s
JOIN raw.reports AS r ON r.report_id = s.report_id
ORDER BY s.fiscal_year, s.office_name, s.project_name;

-- figure: indicators
-- The indicators of each self-evaluation (三级指标): target, actual, points printed and recomputed.
SELECT i.fiscal_year, i.report_id, i.indicator_index, i.level1, i.level2, i.level3, i.target, i.actual,
       i.weight, i.score, i.score_recomputed, i.is_quantified, i.is_not_done, i.is_not_applicable
FROM marts.fct_indicator AS i
JOIN marts.mart_project_scorecard AS s ON s.report_id = i.report_id
WHERE NOT i.is_empty_row
ORDER BY i.report_id, i.indicator_index;

-- figure: findings_by_rule
-- Open data-quality findings per rule.
SELECT fiscal_year, rule_id, severity, sum(open_findings) AS open_findings
FROM marts.mart_dq_office_year
GROUP BY ALL
HAVING sum(open_findings) > 0
ORDER BY fiscal_year, rule_id;

-- figure: findings_by_office
-- Open data-quality findings per office.
SELECT fiscal_year, coalesce(office_name, '—') AS office_name, sum(open_findings) AS open_findings,
       sum(reports_with_open_findings) AS report_rule_pairs
FROM marts.mart_dq_office_year
GROUP BY ALL
HAVING sum(open_findings) > 0
ORDER BY fiscal_year, open_findings DESC, office_name;

-- figure: findings
-- Every open finding with its evidence (what was observed against what the rule expects) and
-- where it was read.
SELECT f.fiscal_year, f.rule_id, f.severity, f.office_name, f.project_name, f.message_zh, f.message_en,
       f.table_name, f.field, f.observed, f.expected, f.report_id, f.row_key, f.source_file,
       coalesce(r.source_sha256, dr.source_sha256) AS source_sha256, f.page_first, f.page_last
FROM marts.dq_findings AS f
LEFT JOIN raw.reports AS r ON r.report_id = f.report_id
LEFT JOIN raw.department_reports AS dr ON dr.report_id = f.report_id
WHERE f.status = 'open'
ORDER BY f.fiscal_year, f.rule_id, f.office_name, f.project_name, f.row_key;

-- figure: target_vs_actual
-- Targets approved with the budget against what the self-evaluation reports as done.
SELECT fiscal_year, project_name, match_status, indicator_code, level3_target_table, level3_self_evaluation,
       target_in_target_table, target_in_self_evaluation, is_target_changed, actual, actual_status,
       meets_approved_target, self_evaluation_report_id, self_evaluation_indicator_index
FROM marts.mart_target_vs_actual
ORDER BY fiscal_year, project_name, indicator_code;

-- figure: target_vs_actual_summary
-- Of the approved targets matched to a self-evaluation: met, missed, or not decidable.
SELECT fiscal_year,
       CASE meets_approved_target WHEN true THEN 'met' WHEN false THEN 'missed' ELSE 'unknown' END AS outcome,
       count(*) AS indicators
FROM marts.mart_target_vs_actual
GROUP BY ALL
ORDER BY fiscal_year, outcome;

-- figure: indicator_quality
-- Quantified against boilerplate targets, per office and report type.
SELECT fiscal_year, office_name, report_type, projects, indicators, quantified_targets, quantified_share,
       boilerplate_targets, placeholder_names, unknown_labels
FROM marts.mart_indicator_quality
ORDER BY fiscal_year, report_type, quantified_share, office_name;

-- figure: clone_groups
-- Projects of one department and year that share content (SE-22), each shared item beside every member's printing.
SELECT fiscal_year, clone_group_id, group_size, department_name, item_kind, item_label, item_order, shared_text,
       project_name, office_name, printed_text
FROM marts.mart_clone_groups
ORDER BY fiscal_year, clone_group_id, item_kind, item_order, shared_text, project_name;

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
-- (照搬上年), or set at last year's actual (历史标准), per project, beside last year's values; add
-- `AND department_name = '…'` for one unit. Empty until two years of a project are loaded.
SELECT fiscal_year, department_name, office_name, project_name, level3, target,
       previous_fiscal_year, previous_target, previous_actual, target_change,
       CASE WHEN is_target_repeated THEN 'last year''s target' ELSE 'last year''s actual' END AS copied_from
FROM marts.mart_project_years
WHERE is_target_repeated OR is_target_last_actual
ORDER BY fiscal_year, department_name, office_name, project_name, indicator_index;
