"""The data-quality contracts on the facts, one Great Expectations suite per fact table.

Each contract carries the rule id of the domain reference (shared/domain/README.md §4), its
severity — HARD: the document contradicts itself; WARN: suspicious practice — its kind —
``document`` (a finding about the publication) or ``extraction`` (our reading of it is incomplete,
never an accusation against the document) — a one-line explanation in Chinese and English and the
tolerance it allows.

Contracts that compare columns are expressed on a computed column (``prepare``) so that GE
reports exactly the offending rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd


@dataclass(frozen=True)
class Contract:
    rule_id: str
    severity: str  # HARD | WARN | INFO
    kind: str  # document | extraction
    column: str  # the (computed) column the expectation looks at
    message_zh: str
    message_en: str
    expectation: str  # GE expectation class name
    kwargs: dict = field(default_factory=dict)
    tolerance: str = "exact"


@dataclass(frozen=True)
class Suite:
    table: str  # in schema marts
    key: list[str]  # columns that name a row in a finding
    prepare: callable  # DataFrame → DataFrame with the computed columns
    contracts: list[Contract]
    query: str | None = None  # rows to check, when not the whole table (cross-document rules)
    name: str | None = None  # when another suite checks the same table
    # the table's columns ``prepare`` reads; with the key and the contracts' columns, all that is
    # read (an indicator's texts would take most of the memory of the checks); empty: every column
    reads: list[str] = field(default_factory=list)
    # what groups the rows of one report, so that a large table is checked a group of reports at a
    # time (expectations/run.py ``_parts``): every ``prepare`` compares rows of one report only
    chunk_by: str = "report_id"

    @property
    def label(self) -> str:
        return self.name or self.table


def _indicators(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    df["score_minus_weight"] = df["score"] - df["weight"]
    # SE-10 and SE-11, one finding per problem: a satisfaction row not done (未做 / 未开展 …) is SE-10's
    # finding only; every other row that lost points needs a reason saying more than 未做 (SE-11).
    satisfaction_not_done = df["is_satisfaction"].astype(bool) & df["is_not_done"].astype(bool)
    lost = (df["score"] < df["weight"]) & ~satisfaction_not_done
    reason = df["deviation"].astype("string").fillna("").str.replace(r"[\s—\-/]|未做|未开展", "", regex=True)
    df["points_lost_without_reason"] = (lost & (reason == "")).astype(float).where(lost)
    df["met_but_points_lost"] = (df["actual_status"] == "met").astype(float).where(df["score"] < df["weight"])
    df["printed_minus_proportional"] = (df["score"] - df["score_recomputed"]).where(
        df["score_basis"] == "proportional")
    df["not_applicable_weight_unscored"] = df["weight"].where(
        df["is_not_applicable"].astype(bool) & df["score"].isna())
    df["satisfaction_not_measured"] = satisfaction_not_done.astype(float)
    df["ex_post_cost_target"] = df["is_ex_post_cost_target"].astype(bool).astype(float)
    return df


AMOUNTS = ["initial_budget", "annual_budget", "executed"]


def _funding(df: pd.DataFrame) -> pd.DataFrame:
    parts = df[df["funding_source"] != "total"].groupby("report_id")[AMOUNTS].sum(min_count=1)
    df = df[df["funding_source"] == "total"].copy()
    # SE-15 per column: 当年财政拨款 + 上年结转 + 其他资金 = 年度资金总额, where any part is filled
    gaps = df[["report_id", *AMOUNTS]].set_index("report_id") - parts.reindex(df["report_id"]).values
    df["parts_minus_total"] = (-gaps).abs().max(axis=1, skipna=True).where(
        parts.reindex(df["report_id"]).notna().any(axis=1)).values
    budget = df["annual_budget"].where(df["annual_budget"] != 0)
    df["rate_difference"] = df["execution_rate"] - df["executed"] / budget
    df["executed_minus_budget"] = df["executed"] - df["annual_budget"]
    df["score_minus_weight"] = df["score"] - df["weight"]
    df["score_minus_rate_points"] = df["score"] - df["weight"] * df["execution_rate"].clip(upper=1)
    df["cut_to_spending"] = ((df["executed"] / df["initial_budget"].where(df["initial_budget"] > 0) < 0.5)
                             & (df["execution_rate"] >= 1)).astype(float)
    return df


def _scores(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    df["total_difference"] = df["total_score"] - (
        df["funding_score"].fillna(0) + df["indicator_score_sum"].fillna(0))
    df["weight_sum"] = df["funding_weight"].fillna(0) + df["indicator_weight_sum"].fillna(0)
    # A report we did not read completely is an extraction finding (SE-24), never a document one:
    # its sums would accuse the publication of our own failure. (Such a report is quarantined before
    # the facts; this stays as a second line.) The 总分 row was read when either of its cells was: a
    # 总分 printed without 得分 is an unscored report (fct_score.score_status), complete. A template
    # that prints no 分值 (专项资金绩效目标自评表) has no 总分 row to read, nor weights to add up.
    weighted = df["funding_weight"].notna() | df["indicator_weight_sum"].notna()
    df["total_row"] = df["total_score"].fillna(df["total_weight"]).where(weighted, 0.0)
    df["has_satisfaction"] = df["has_satisfaction_indicator"].astype(bool).astype(float)
    df["split_deviation"] = pd.concat([(df["output_weight"] - 50).abs(), (df["benefit_weight"] - 30).abs(),
                                       (df["satisfaction_weight"] - 10).abs()], axis=1).max(axis=1)
    incomplete = df["total_row"].isna() | (df["indicator_count"] == 0)
    df.loc[incomplete, ["total_difference", "weight_sum", "total_weight", "has_satisfaction",
                        "split_deviation"]] = float("nan")
    df.loc[~weighted, ["weight_sum", "total_weight", "split_deviation"]] = float("nan")
    df["extraction_warning_count"] = _warning_count(df)
    return df


def _warning_count(df: pd.DataFrame) -> pd.Series:
    """How many lines of extraction_warnings each report has (0 when none)."""
    warnings = df["extraction_warnings"].astype("string")
    return (warnings.str.count("\n") + 1).fillna(0).astype(float)


def _spend_plan(df: pd.DataFrame) -> pd.DataFrame:
    df = df.sort_values(["report_id", "month"]).copy()
    df["decrease"] = df.groupby("report_id")["cumulative_amount"].diff()
    last = df.groupby("report_id")["month"].transform("max") == df["month"]
    df["last_minus_budget"] = (df["cumulative_amount"] - df["budget_total"]).where(last)
    return df


def _budgets(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    df["parts_minus_total"] = (df["budget_fiscal"].fillna(0) + df["budget_other"].fillna(0)
                               - df["budget_total"]).where(df["budget_fiscal"].notna())
    df["extraction_warning_count"] = _warning_count(df)
    return df


def _targets(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    cost = df["is_cost"].fillna(False).astype(bool)
    df["annual_cost_share_of_budget"] = (df["target_annual_yuan"] / df["budget_total_yuan"]).where(cost)
    numeric = df["target_comparator"].isin([">=", "<=", "=", ">", "<"])
    df["cost_comparator"] = df["target_comparator"].where(cost & numeric)
    df["percent_target"] = df["target_value"].where(df["target_unit_family"] == "percent")
    deadline = pd.to_datetime(df["target_deadline"], errors="coerce")
    df["deadline_year_minus_fiscal_year"] = deadline.dt.year - df["fiscal_year"]
    # TT-08, on the table's first row: 产出, 效益 and 满意度 each present, 效益 not only a grade
    df = df.sort_values(["report_id", "indicator_index"])
    first = ~df["report_id"].duplicated()
    present = df.groupby("report_id")["level1_code"].agg(
        lambda codes: len({"OUT", "BEN", "SAT"} - {"OUT" if c == "COST" else c for c in codes}))
    benefit = df[df["level1_code"] == "BEN"].groupby("report_id")["target_comparator"].agg(
        lambda comparators: float(bool(len(comparators)) and set(comparators) <= {"qual", "text", "na"}))
    # TT-06 (across reports: counted in TARGETS)
    df["shared_cost_value"] = (df["cost_value_budgets"] > 1).astype(float).where(df["cost_value_budgets"].notna())
    df["level1_missing"] = df["report_id"].map(present).where(first)
    df["benefit_only_qualitative"] = df["report_id"].map(benefit).fillna(0).where(first)
    return df


# The target tables' indicators; TT-06 compares reports: for a cost target, how many different
# budgets carry the same value (per month, quarter … and its annual figure). In SQL, so that the
# rows can be checked a group of reports at a time.
TARGETS = """
WITH keyed AS (
    SELECT *, CASE WHEN is_cost THEN CAST(target_annual_yuan AS VARCHAR) || '|' || CAST(target_value AS VARCHAR)
              END AS cost_value
    FROM marts.fct_target_indicator
)
SELECT keyed.*, budgets.cost_value_budgets
FROM keyed
LEFT JOIN (SELECT cost_value, count(DISTINCT budget_total_yuan) AS cost_value_budgets
           FROM keyed WHERE cost_value IS NOT NULL GROUP BY cost_value) AS budgets USING (cost_value)
"""


# a project's 年初预算数 in its self-evaluation against the 预算数 approved in its target table
# of the same year (project matched on 项目编码, else name; see dim_project).
INITIAL_VS_APPROVED = """
SELECT f.report_id, f.initial_budget, b.budget_total,
       f.initial_budget - b.budget_total AS initial_minus_approved
FROM marts.fct_funding AS f
JOIN marts.fct_project_budget AS b ON b.project_key = f.project_key AND b.fiscal_year = f.fiscal_year
WHERE f.funding_source = 'total'
"""


# SE-25 / TT-12: the department a report is filed under (主管部门; a target table's 预算单位), after
# int_report_units resolved it (swapped cells, aliases). Null: the report prints none — its rows are in
# the facts under the one "not printed" department, and this finding says so (never a failed build).
DEPARTMENT_OF = """
SELECT f.report_id, r.department
FROM marts.{fact} AS f
JOIN staging.int_reports AS r ON r.report_id = f.report_id
"""


# SE-22: each self-evaluation with each clone partner of its unit and year (staging.int_clone_pairs, the
# dbt model that decides: a ≥3-decimal amount, the 预期目标, or ≥4 non-boilerplate indicator rows); the
# evidence names the partner and what is shared. A report without partners is one row with none.
CLONE_PARTNERS = """
SELECT s.report_id, p.partner_report_id, p.evidence AS clone_evidence
FROM marts.fct_score AS s
LEFT JOIN staging.int_clone_pairs AS p ON p.report_id = s.report_id
"""


# each self-evaluated indicator paired with the same project's last year (marts.mart_project_years,
# the dbt model that decides: a quantity target repeated while the budget moved by more than 10%).
COPIED_TARGETS = """
SELECT report_id, indicator_index, level3, target, previous_fiscal_year, previous_report_id,
       previous_project_name, budget, previous_budget, is_copied_target
FROM marts.mart_project_years
WHERE previous_report_id IS NOT NULL
"""


def _wan(amount: float) -> str:
    """万元 as printed: stored to 6 decimals, trailing zeros not printed."""
    return f"{amount:.6f}".rstrip("0").rstrip(".")


def _copied_targets(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    copied = df["is_copied_target"].fillna(False).astype(bool)
    # the evidence names last year's report and the budgets that should have moved the target
    df["copied_target"] = pd.Series(None, index=df.index, dtype=object)
    df.loc[copied, "copied_target"] = [
        f"与 {r.previous_fiscal_year:.0f} 年「{r.previous_project_name}」（{r.previous_report_id}）相同："
        f"{r.level3} {r.target}；预算 {_wan(r.previous_budget)} → {_wan(r.budget)} 万元"
        for r in df[copied].itertuples()]
    return df


def _target_changes(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    df["report_id"] = df["self_evaluation_report_id"].fillna(df["target_report_id"])
    df["row"] = (df["target_indicator_index"].astype("string").fillna("-") + "~"
                 + df["self_evaluation_indicator_index"].astype("string").fillna("-"))
    df["approved_target_kept"] = (df["match_status"] == "matched") & ~df["is_target_changed"].fillna(False).astype(bool)
    df["approved_target_kept"] = df["approved_target_kept"].astype(float)
    return df


# 指标值确定依据 (财预〔2021〕101号): the standards, and the local words that map onto them
# (年初计划 → 计划标准, 文件要求 → 计划标准, 经验标准 → 其他). 调查问卷 is a method, not a standard.
def _department_goals(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    # a comparator read from the sentence with no number beside it: our reading, not the document
    df["comparator_without_value"] = (df["indicator_comparator"].notna() & df["indicator_value"].isna()).astype(float)
    df["percent_value"] = df["indicator_value"].where(df["indicator_unit_family"] == "percent")
    df["unquantified"] = (~df["is_quantified"].astype(bool)).astype(float)
    return df


def _department_self_evaluations(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    df["funding_score_minus_weight"] = df["funding_score"] - df["funding_weight"]
    df["total_difference"] = (df["total_score"] - (df["funding_score"].fillna(0) + df["indicator_score_sum"].fillna(0))
                              ).where(df["indicator_count"] > 0)
    df["income_items_minus_total"] = df["income_items_sum"] - df["income_total"]
    df["expense_items_minus_total"] = df["expense_items_sum"] - df["expense_total"]
    df["extraction_warning_count"] = _warning_count(df)
    return df


def _department_indicators(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    df["score_minus_weight"] = df["score"] - df["weight"]
    return df


BASES = ["计划标准", "行业标准", "历史标准", "预算支出标准", "成本标准", "其他", "年初计划", "文件要求", "经验标准"]

BETWEEN = "ExpectColumnValuesToBeBetween"
IN_SET = "ExpectColumnValuesToBeInSet"
NOT_NULL = "ExpectColumnValuesToNotBeNull"

# Either report type: what the reader warned about (extract/, the record's extraction_warnings).
EXTRACTION_WARNINGS = Contract(
    "EX-01", "WARN", "extraction", "extraction_warning_count",
    "表格未能完整读取（见 extraction_warnings）", "the report was not read completely (see extraction_warnings)",
    BETWEEN, {"max_value": 0})

SUITES = [
    Suite("fct_indicator", ["report_id", "indicator_index"], _indicators, [
        Contract("SE-06", "HARD", "document", "score_minus_weight",
                 "指标得分超过分值", "an indicator's score is above its weight",
                 BETWEEN, {"max_value": 0}),
        Contract("SE-06", "HARD", "document", "score",
                 "指标得分为负数", "an indicator's score is negative",
                 BETWEEN, {"min_value": 0}),
        Contract("SE-11", "WARN", "document", "points_lost_without_reason",
                 "扣分但未说明偏差原因", "points were lost but no reason for the deviation is given",
                 BETWEEN, {"max_value": 0}),
        Contract("SE-12", "WARN", "document", "met_but_points_lost",
                 "实际完成值称已达到目标却被扣分", "the actual says the target was met, yet points were lost",
                 BETWEEN, {"max_value": 0}),
        Contract("SE-13", "WARN", "document", "printed_minus_proportional",
                 "得分与按完成比例计算的得分相差超过1分",
                 "the score differs from the proportional score by more than 1 point",
                 BETWEEN, {"min_value": -1, "max_value": 1}, "±1 point"),
        Contract("SE-10", "WARN", "document", "satisfaction_not_measured",
                 "满意度调查未做，分值未得", "the satisfaction survey was not carried out",
                 BETWEEN, {"max_value": 0}),
        Contract("SE-18", "WARN", "document", "ex_post_cost_target",
                 "成本指标值等于年末预算数或执行数（事后填写）",
                 "the cost target equals the year-end budget or the amount spent (written after the fact)",
                 BETWEEN, {"max_value": 0}, "to the yuan"),
        Contract("SE-14", "HARD", "document", "not_applicable_weight_unscored",
                 "不适用的指标仍占分值却未评分", "a 不适用 indicator keeps its weight but has no score",
                 BETWEEN, {"max_value": 0}),
    ], reads=["score", "weight", "is_not_done", "deviation", "actual_status", "score_recomputed",
        "score_basis", "is_not_applicable", "is_satisfaction", "is_ex_post_cost_target"]),
    Suite("fct_funding", ["report_id", "funding_source"], _funding, [
        Contract("SE-01", "HARD", "document", "rate_difference",
                 "执行率与全年执行数/全年预算数不符", "execution rate differs from executed / annual budget",
                 BETWEEN, {"min_value": -0.005, "max_value": 0.005}, "±0.5 percentage points"),
        Contract("SE-02", "HARD", "document", "executed_minus_budget",
                 "全年执行数超过全年预算数", "executed amount exceeds the annual budget",
                 BETWEEN, {"max_value": 0}),
        Contract("SE-04", "HARD", "document", "score_minus_weight",
                 "预算执行得分超过分值", "budget-execution score is above its weight",
                 BETWEEN, {"max_value": 0}),
        Contract("SE-15", "HARD", "document", "parts_minus_total",
                 "当年财政拨款、上年结转与其他资金之和不等于年度资金总额",
                 "current-year, carried-over and other funds do not add up to the total",
                 BETWEEN, {"max_value": 0.005}, "±0.005 万元"),
        Contract("SE-04", "WARN", "document", "score_minus_rate_points",
                 "预算执行得分与执行率不相称（应为分值×执行率）",
                 "the budget-execution score does not follow the rate (weight × rate)",
                 BETWEEN, {"min_value": -0.5, "max_value": 0.5}, "±0.5 points"),
        Contract("SE-03", "WARN", "document", "weight",
                 "预算执行率分值不是10分", "the budget-execution weight is not 10",
                 BETWEEN, {"min_value": 10, "max_value": 10}),
        Contract("SE-16", "WARN", "document", "adjustment_ratio",
                 "年中预算调整幅度过大（全年预算数/年初预算数）",
                 "the budget was adjusted heavily during the year (full-year / initial)",
                 BETWEEN, {"min_value": 0.5, "max_value": 2}),
        Contract("SE-17", "WARN", "document", "cut_to_spending",
                 "预算调减至支出水平，执行率显示100%", "budget cut to match spending, the rate shows 100%",
                 BETWEEN, {"max_value": 0}),
    ], reads=["initial_budget", "annual_budget", "executed", "execution_rate", "score", "weight"]),
    Suite("fct_score", ["report_id"], _scores, [
        Contract("SE-07", "HARD", "document", "total_difference",
                 "总分得分不等于执行率得分与各指标得分之和",
                 "total score differs from the funding score plus the indicator scores",
                 BETWEEN, {"min_value": -0.5, "max_value": 0.5}, "±0.5 points"),
        Contract("SE-05", "HARD", "document", "weight_sum",
                 "执行率分值与指标分值之和不等于100", "funding weight plus indicator weights is not 100",
                 BETWEEN, {"min_value": 100, "max_value": 100}),
        Contract("SE-05", "HARD", "document", "total_weight",
                 "总分分值不是100", "total weight is not 100",
                 BETWEEN, {"min_value": 100, "max_value": 100}),
        Contract("SE-09", "WARN", "document", "has_satisfaction",
                 "没有满意度指标", "there is no satisfaction indicator",
                 BETWEEN, {"min_value": 1}),
        Contract("SE-20", "WARN", "document", "split_deviation",
                 "产出/效益/满意度分值偏离50/30/10超过10分",
                 "the 产出/效益/满意度 weights stray more than 10 points from 50/30/10",
                 BETWEEN, {"max_value": 10}, "10 points"),
        Contract("SE-24", "HARD", "extraction", "total_row",
                 "未读到总分行", "the 总分 row was not read",
                 NOT_NULL),
        Contract("SE-24", "HARD", "extraction", "indicator_count",
                 "未读到任何绩效指标", "no indicator row was read",
                 BETWEEN, {"min_value": 1}),
        EXTRACTION_WARNINGS,
    ], reads=["total_score", "funding_score", "indicator_score_sum", "funding_weight",
        "indicator_weight_sum", "has_satisfaction_indicator", "output_weight", "benefit_weight",
        "satisfaction_weight", "indicator_count", "total_weight", "extraction_warnings"]),
    Suite("fct_spend_plan", ["report_id", "month"], _spend_plan, [
        Contract("TT-01", "HARD", "document", "decrease",
                 "累计支出计划逐月减少", "the cumulative spending plan decreases",
                 BETWEEN, {"min_value": 0}),
        Contract("TT-01", "HARD", "document", "last_minus_budget",
                 "支出计划最后一期不等于预算数", "the plan's last cumulative amount is not the budget",
                 BETWEEN, {"min_value": -0.01, "max_value": 0.01}, "±0.01 万元"),
        Contract("TT-13", "WARN", "document", "month",
                 "资金支出计划的月份不在1至12月", "a spending-plan column names a month outside 1–12",
                 BETWEEN, {"min_value": 1, "max_value": 12}),
    ], reads=["cumulative_amount", "budget_total"]),
    Suite("fct_project_budget", ["report_id"], _budgets, [
        Contract("TT-03", "HARD", "document", "parts_minus_total",
                 "财政资金与其他资金之和不等于预算数", "fiscal plus other funds differ from the budget",
                 BETWEEN, {"min_value": -0.01, "max_value": 0.01}, "±0.01 万元"),
        EXTRACTION_WARNINGS,
    ], reads=["budget_fiscal", "budget_other", "budget_total", "extraction_warnings"]),
    Suite("fct_target_indicator", ["report_id", "indicator_index"], _targets, [
        Contract("TT-04", "WARN", "document", "annual_cost_share_of_budget",
                 "成本指标按年折算后超过项目预算", "the cost target over a year exceeds the project budget",
                 BETWEEN, {"max_value": 1.01}, "1% for monthly figures rounded from the budget"),
        Contract("TT-05", "WARN", "document", "cost_comparator",
                 "成本指标不是反向指标（应为≤）", "a cost target is not an upper bound (≤)",
                 IN_SET, {"value_set": ["<=", "<", "="]}),
        Contract("TT-06", "WARN", "document", "shared_cost_value",
                 "不同预算的项目使用相同的成本指标值", "projects with different budgets share one cost target",
                 BETWEEN, {"max_value": 0}),
        Contract("TT-07", "WARN", "document", "basis",
                 "指标值确定依据不是公认的标准", "the basis of the target is not a recognised standard",
                 IN_SET, {"value_set": BASES}),
        Contract("TT-08", "WARN", "document", "level1_missing",
                 "缺少产出、效益或满意度指标", "the table lacks an 产出, 效益 or 满意度 indicator",
                 BETWEEN, {"max_value": 0}),
        Contract("TT-08", "WARN", "document", "benefit_only_qualitative",
                 "效益指标只有定性等级", "the 效益 indicators are only a qualitative grade",
                 BETWEEN, {"max_value": 0}),
        Contract("TT-09", "HARD", "document", "percent_target",
                 "百分比指标值超过100%", "a percentage target is above 100%",
                 BETWEEN, {"max_value": 100}),
        Contract("TT-10", "WARN", "document", "deadline_year_minus_fiscal_year",
                 "时效指标的截止年份不是预算年度", "a deadline falls outside the budget year",
                 BETWEEN, {"min_value": 0, "max_value": 0}),
    ], query=TARGETS, reads=["is_cost", "target_annual_yuan", "budget_total_yuan", "target_comparator",
        "target_value", "target_unit_family", "target_deadline", "fiscal_year", "level1_code", "cost_value_budgets"]),
    Suite("mart_target_vs_actual", ["report_id", "row"], _target_changes, [
        Contract("X-01", "WARN", "document", "approved_target_kept",
                 "自评指标与预算批复的绩效目标不一致（增删或改变指标值）",
                 "the self-evaluation adds, drops or changes an indicator approved with the budget",
                 BETWEEN, {"min_value": 1}),
    ], reads=["self_evaluation_report_id", "target_report_id", "target_indicator_index",
        "self_evaluation_indicator_index", "match_status", "is_target_changed"],
        chunk_by="coalesce(self_evaluation_report_id, target_report_id)"),
    Suite("fct_funding", ["report_id"], lambda df: df, [
        Contract("X-02", "WARN", "document", "initial_minus_approved",
                 "自评表年初预算数不等于绩效目标表预算数",
                 "the self-evaluation's initial budget differs from the approved budget",
                 BETWEEN, {"min_value": -0.005, "max_value": 0.005}, "±0.005 万元"),
    ], query=INITIAL_VS_APPROVED, name="initial_vs_approved"),
    Suite("fct_score", ["report_id"], lambda df: df, [
        Contract("SE-25", "WARN", "document", "department",
                 "未填写主管部门", "the report prints no 主管部门 (supervising department)",
                 NOT_NULL),
    ], query=DEPARTMENT_OF.format(fact="fct_score"), name="department_printed"),
    Suite("fct_project_budget", ["report_id"], lambda df: df, [
        Contract("TT-12", "WARN", "document", "department",
                 "未填写预算单位", "the table prints no 预算单位 (budget unit)",
                 NOT_NULL),
    ], query=DEPARTMENT_OF.format(fact="fct_project_budget"), name="budget_unit_printed"),
    Suite("fct_score", ["report_id", "partner_report_id"], lambda df: df, [
        Contract("SE-22", "WARN", "document", "clone_evidence",
                 "与同单位同年度的其他项目内容相同（疑似复制）",
                 "shares content with another project of the same unit and year (cloned?)",
                 "ExpectColumnValuesToBeNull", {},
                 "an amount of ≥3 decimals, the 预期目标 (≥15 characters) or ≥4 indicator rows, boilerplate aside"),
    ], query=CLONE_PARTNERS, name="cloned_projects"),
    Suite("mart_project_years", ["report_id", "indicator_index"], _copied_targets, [
        Contract("X-03", "INFO", "document", "copied_target",
                 "指标值照搬上年，而预算已变化", "a target copied from last year while the budget changed",
                 "ExpectColumnValuesToBeNull", {},
                 "people, households, items, area, length or an amount; budget moved by more than 10%"
                 " (dbt var x03_budget_change)"),
    ], query=COPIED_TARGETS, name="copied_targets"),
    # Department-level reports (部门整体绩效目标, 部门整体支出绩效自评表)
    Suite("fct_department_goal", ["report_id", "subgoal_index"], _department_goals, [
        Contract("DG-01", "HARD", "document", "subgoal_name",
                 "分项绩效目标没有名称", "a sub-goal (分项绩效目标) has no name",
                 NOT_NULL),
        Contract("DG-02", "HARD", "document", "subgoal_goal",
                 "分项绩效目标没有绩效目标内容", "a sub-goal states no 绩效目标 text",
                 NOT_NULL),
        Contract("DG-03", "HARD", "extraction", "comparator_without_value",
                 "读到比较符却未读到指标值", "a comparator was read from the 绩效指标 without a numeric value",
                 BETWEEN, {"max_value": 0}),
        Contract("DG-04", "HARD", "document", "percent_value",
                 "百分比指标值超过100%", "a percentage in a 绩效指标 is above 100%",
                 BETWEEN, {"max_value": 100}),
        Contract("DG-05", "WARN", "document", "unquantified",
                 "绩效指标没有可衡量的指标值", "the 绩效指标 states no measurable value",
                 BETWEEN, {"max_value": 0}),
    ], reads=["indicator_comparator", "indicator_value", "indicator_unit_family", "is_quantified"]),
    Suite("fct_department_self_evaluation", ["report_id"], _department_self_evaluations, [
        Contract("DS-01", "HARD", "document", "total_score",
                 "部门整体自评总分不在0至100之间", "the department's total score is outside 0–100",
                 BETWEEN, {"min_value": 0, "max_value": 100}),
        Contract("DS-02", "HARD", "document", "funding_score_minus_weight",
                 "预算执行得分超过分值", "the budget-execution score is above its weight",
                 BETWEEN, {"max_value": 0}),
        Contract("DS-03", "HARD", "document", "total_difference",
                 "总分得分不等于执行率得分与各指标得分之和",
                 "the total score differs from the funding score plus the indicator scores",
                 BETWEEN, {"min_value": -0.5, "max_value": 0.5}, "±0.5 points"),
        Contract("DS-04", "HARD", "document", "income_items_minus_total",
                 "按收入性质分各项之和不等于其合计", "the 按收入性质分 items do not add up to their total",
                 BETWEEN, {"min_value": -0.005, "max_value": 0.005}, "±0.005 万元"),
        Contract("DS-04", "HARD", "document", "expense_items_minus_total",
                 "按支出性质分各项之和不等于其合计", "the 按支出性质分 items do not add up to their total",
                 BETWEEN, {"min_value": -0.005, "max_value": 0.005}, "±0.005 万元"),
        Contract("DS-05", "HARD", "extraction", "indicator_count",
                 "未读到任何绩效指标", "no indicator row was read",
                 BETWEEN, {"min_value": 1}),
        EXTRACTION_WARNINGS,
    ], reads=["funding_score", "funding_weight", "total_score", "indicator_score_sum", "indicator_count",
        "income_items_sum", "income_total", "expense_items_sum", "expense_total", "extraction_warnings"]),
    Suite("fct_department_indicator", ["report_id", "indicator_index"], _department_indicators, [
        Contract("DS-06", "HARD", "document", "score_minus_weight",
                 "指标得分超过分值", "an indicator's score is above its weight",
                 BETWEEN, {"max_value": 0}),
        Contract("DS-06", "HARD", "document", "score",
                 "指标得分为负数", "an indicator's score is negative",
                 BETWEEN, {"min_value": 0}),
    ], reads=["score", "weight"]),
]
