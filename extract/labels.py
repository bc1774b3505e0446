"""The labels that name fields, with the variants used across provinces (domain README §1.4).

Matching is on ``label_key`` (NFKC, no whitespace) with bracketed remarks removed, so that
"分值（分）", "权重(%)" and "年初预\\n算数" all find their field. Add a province's wording here,
not in the parsers.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .text import label_key

# Self-evaluation: header cells, each value in the cell to the right of its label.
SE_HEADER = {
    "project_name": ["项目名称"],
    "department": ["主管部门", "主管单位"],
    "implementing_unit": ["实施单位", "项目实施单位"],
    "project_lead": ["项目负责人", "负责人"],
    "phone": ["联系电话", "电话"],
}

# Self-evaluation: the funding block's column labels.
SE_FUNDING_COLUMNS = {
    "initial_budget": ["年初预算数", "年初预算", "年初预算数万元"],
    "annual_budget": ["全年预算数", "调整后预算数", "年度预算数", "调整后预算"],
    "executed": ["全年执行数", "预算执行数", "执行数", "实际执行数"],
    "weight": ["分值", "权重"],
    "execution_rate": ["执行率", "预算执行率"],
    "score": ["得分"],
}

# Self-evaluation: the funding block's row labels, in contract order.
SE_FUNDING_ROWS = {
    "total": ["年度资金总额", "资金总额", "合计"],
    "current_year": ["当年财政拨款", "本年财政拨款", "财政资金", "财政拨款"],
    "carryover": ["上年结转资金", "上年结转", "结转资金"],
    "other": ["其他资金", "其他"],
}

SE_GOAL_COLUMNS = {
    "goal_planned": ["预期目标", "年度目标"],
    "goal_actual": ["实际完成情况", "全年实际完成情况", "年度总体目标完成情况"],
}

SE_INDICATOR_COLUMNS = {
    "level1": ["一级指标"],
    "level2": ["二级指标"],
    "level3": ["三级指标"],
    "target": ["年度指标值", "年度目标值", "指标值", "年初目标值"],
    "actual": ["实际完成值", "全年实际值", "完成值", "实际完成情况", "实际值"],
    "weight": ["分值", "权重"],
    "score": ["得分"],
    "deviation": ["偏差原因分析及改进措施", "未完成原因分析及改进措施", "未完成原因分析",
                  "偏差原因分析", "原因", "偏差原因"],
}

SE_TOTAL = ["总分", "合计"]

# Performance-target tables.
TT_HEADER = {
    "project_code": ["项目编码", "项目代码"],
    "project_name": ["项目名称"],
    "budget_total": ["预算数", "预算金额", "年度预算数"],
    "budget_fiscal": ["财政资金", "财政拨款"],
    "budget_other": ["其他资金"],
}
TT_PURPOSE = ["预算规模及资金用途", "资金用途"]
TT_SPEND_PLAN = ["资金支出计划"]
TT_GOALS = ["绩效目标", "年度绩效目标"]
TT_INDICATOR_COLUMNS = {
    "level1": ["一级指标"],
    "level2": ["二级指标"],
    "level3": ["三级指标"],
    "description": ["绩效指标描述", "指标描述", "指标解释"],
    "target": ["指标值", "年度指标值", "目标值"],
    "basis": ["指标值确定依据", "指标值设定依据", "确定依据"],
}

_REMARK = re.compile(r"[(][^)]*[)]")  # after NFKC, full-width brackets are ASCII
_INDEXES: dict[int, dict[str, str]] = {}


@lru_cache(maxsize=8192)  # a document repeats its labels and short cell texts on every page
def key(text: str | None) -> str:
    """Label key without bracketed remarks or a leading 其中: "分值（分）" → "分值"."""
    stripped = _REMARK.sub("", label_key(text)).removeprefix("其中:").removeprefix("其中")
    return stripped or label_key(text)


def match(text: str | None, table: dict[str, list[str]]) -> str | None:
    """The field a label names, or None. Exact variants only: "指标值" must not match "指标值确定依据"."""
    index = _INDEXES.get(id(table))
    if index is None:
        index = _INDEXES[id(table)] = {key(v): name for name, vs in table.items() for v in vs}
    return index.get(key(text))


def is_label(text: str | None, variants: list[str]) -> bool:
    k = key(text)
    return any(k == key(v) for v in variants)
