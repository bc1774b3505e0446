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


def _indicators(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    df["score_minus_weight"] = df["score"] - df["weight"]
    lost = (df["score"] < df["weight"]) & ~df["is_not_done"].astype(bool)
    reason = df["deviation"].astype("string").fillna("").str.replace(r"[\s—\-/]|未做", "", regex=True)
    df["points_lost_without_reason"] = (lost & (reason == "")).astype(float).where(lost)
    df["met_but_points_lost"] = (df["actual_status"] == "met").astype(float).where(df["score"] < df["weight"])
    df["printed_minus_proportional"] = (df["score"] - df["score_recomputed"]).where(
        df["score_basis"] == "proportional")
    df["not_applicable_weight_unscored"] = df["weight"].where(
        df["is_not_applicable"].astype(bool) & df["score"].isna())
    return df


def _funding(df: pd.DataFrame) -> pd.DataFrame:
    df = df[df["funding_source"] == "total"].copy()
    budget = df["annual_budget"].where(df["annual_budget"] != 0)
    df["rate_difference"] = df["execution_rate"] - df["executed"] / budget
    df["executed_minus_budget"] = df["executed"] - df["annual_budget"]
    df["score_minus_weight"] = df["score"] - df["weight"]
    df["cut_to_spending"] = ((df["executed"] / df["initial_budget"].where(df["initial_budget"] > 0) < 0.5)
                             & (df["execution_rate"] >= 1)).astype(float)
    return df


def _scores(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    df["total_difference"] = df["total_score"] - (
        df["funding_score"].fillna(0) + df["indicator_score_sum"].fillna(0))
    df["weight_sum"] = df["funding_weight"].fillna(0) + df["indicator_weight_sum"].fillna(0)
    # A report we did not read completely is an extraction finding (SE-24), never a document one:
    # its sums would accuse the publication of our own failure.
    incomplete = df["total_score"].isna() | (df["indicator_count"] == 0)
    df.loc[incomplete, ["total_difference", "weight_sum", "total_weight"]] = float("nan")
    return df


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
    return df


BETWEEN = "ExpectColumnValuesToBeBetween"
IN_SET = "ExpectColumnValuesToBeInSet"
NOT_NULL = "ExpectColumnValuesToNotBeNull"

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
        Contract("SE-14", "HARD", "document", "not_applicable_weight_unscored",
                 "不适用的指标仍占分值却未评分", "a 不适用 indicator keeps its weight but has no score",
                 BETWEEN, {"max_value": 0}),
    ]),
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
    ]),
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
        Contract("SE-24", "HARD", "extraction", "total_score",
                 "未读到总分行", "the 总分 row was not read",
                 NOT_NULL),
        Contract("SE-24", "HARD", "extraction", "indicator_count",
                 "未读到任何绩效指标", "no indicator row was read",
                 BETWEEN, {"min_value": 1}),
    ]),
    Suite("fct_spend_plan", ["report_id", "month"], _spend_plan, [
        Contract("TT-01", "HARD", "document", "decrease",
                 "累计支出计划逐月减少", "the cumulative spending plan decreases",
                 BETWEEN, {"min_value": 0}),
        Contract("TT-01", "HARD", "document", "last_minus_budget",
                 "支出计划最后一期不等于预算数", "the plan's last cumulative amount is not the budget",
                 BETWEEN, {"min_value": -0.01, "max_value": 0.01}, "±0.01 万元"),
    ]),
    Suite("fct_project_budget", ["report_id"], _budgets, [
        Contract("TT-03", "HARD", "document", "parts_minus_total",
                 "财政资金与其他资金之和不等于预算数", "fiscal plus other funds differ from the budget",
                 BETWEEN, {"min_value": -0.01, "max_value": 0.01}, "±0.01 万元"),
    ]),
    Suite("fct_target_indicator", ["report_id", "indicator_index"], _targets, [
        Contract("TT-04", "WARN", "document", "annual_cost_share_of_budget",
                 "成本指标按年折算后超过项目预算", "the cost target over a year exceeds the project budget",
                 BETWEEN, {"max_value": 1.01}, "1% for monthly figures rounded from the budget"),
        Contract("TT-05", "WARN", "document", "cost_comparator",
                 "成本指标不是反向指标（应为≤）", "a cost target is not an upper bound (≤)",
                 IN_SET, {"value_set": ["<=", "<", "="]}),
        Contract("TT-09", "HARD", "document", "percent_target",
                 "百分比指标值超过100%", "a percentage target is above 100%",
                 BETWEEN, {"max_value": 100}),
        Contract("TT-10", "WARN", "document", "deadline_year_minus_fiscal_year",
                 "时效指标的截止年份不是预算年度", "a deadline falls outside the budget year",
                 BETWEEN, {"min_value": 0, "max_value": 0}),
    ]),
]
