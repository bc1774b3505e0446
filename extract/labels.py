"""The labels that name fields, read from the template families in ``extract/templates/``.

Each family file lists the labels one template prints (header fields, funding rows and columns,
goal block, indicator columns, closing sections). The reader matches a cell against the union of
every family's labels of a report type, so a report is read whatever its family; the family itself
is recognised afterwards from the labels the report printed (``recognise``). Matching is on
``label_key`` (NFKC, no whitespace) with bracketed remarks, a leading 其中 and a trailing colon
removed, so that "分值（分）", "权重(%)", "年度资金总额：" and "年初预\\n算数" all find their field.
Add a province's wording to its family file, not to the parsers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

import yaml

from .text import label_key

TEMPLATES = Path(__file__).with_name("templates")
# What a family file may hold: tables of field → labels, and lists of labels.
TABLES = ("header", "funding_columns", "funding_rows", "goal_columns", "indicator_columns", "summary", "closing",
          "headings", "subgoal_fields", "funding_breakdowns")  # the last three: department-level reports
LISTS = ("titles", "form_code", "funding_row_header", "total", "sections", "purpose", "spend_plan", "review")

_REMARK = re.compile(r"[(][^)]*[)]")  # after NFKC, full-width brackets are ASCII
_NUMBERED = re.compile(r"^(?:\d{1,2}[.、]|[一二三四五六七八九十]{1,2}、)(?=\D)")  # "2.项目实施内容…", "一、"
# The family being read (set by the report builder): where two families print one label for two
# fields (Hubei's 资金总额 is the whole period's, elsewhere the year's), its reading wins.
FAMILY: ContextVar[str | None] = ContextVar("FAMILY", default=None)
# id(table) → label key → {family: field}, for every label of a table
_OWNERS: dict[int, dict[str, dict[str, str]]] = {}
_SECTIONS: dict[str, frozenset[str]] = {}  # family → the keys of its block labels
_MADE_IN_CODE: list[dict] = []
# A report type read by another type's reader: its families' labels join that reader's too (the
# 部门整体支出绩效自评表 is a self-evaluation table with a department for a project).
READS_AS = {"department_self_evaluation": "self_evaluation"}


@lru_cache(maxsize=8192)  # a document repeats its labels and short cell texts on every page
def key(text: str | None) -> str:
    """Label key without bracketed remarks, a leading number, a leading 其中 or a trailing colon:
    "分值（分）" → "分值", "2.项目实施内容及过程概述" → "项目实施内容及过程概述"."""
    stripped = _NUMBERED.sub("", _REMARK.sub("", label_key(text))).removeprefix("其中:").removeprefix("其中").rstrip(":")
    return stripped or label_key(text)


def strip_remarks(text: str) -> str:
    return _REMARK.sub("", text)


def match(text: str | None, table: dict[str, list[str]]) -> str | None:
    """The field a label names, or None. Exact variants only: "指标值" must not match "指标值确定依据".
    A variant listed with its remark ("指标值（年度）") is matched with it first."""
    owners = _OWNERS.get(id(table))
    if owners is None:  # a table made in code (once: it is kept, so that its id stays its own)
        owners = _OWNERS[id(table)] = {}
        _MADE_IN_CODE.append(table)
        for name, variants in table.items():
            for variant in variants:
                for k in {key(variant), label_key(variant)}:
                    owners.setdefault(k, {}).setdefault("", name)
    fields = owners.get(label_key(text)) or owners.get(key(text))
    if not fields:
        return None
    family = FAMILY.get()
    if family in fields:
        return fields[family]
    if key(text) in _SECTIONS.get(family, ()):  # this family prints it over a block, not as a field
        return None
    return next(iter(fields.values()))


def is_label(text: str | None, variants: list[str]) -> bool:
    k = key(text)
    return any(k == key(v) for v in variants)


@dataclass(frozen=True)
class Family:
    name: str
    report_type: str
    labels: frozenset[str]  # the keys of every label it prints
    titles: tuple[str, ...]


def _load() -> tuple[list[Family], dict[str, dict]]:
    families, union = [], {}
    for path in sorted(TEMPLATES.glob("*.yaml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        unknown = set(spec) - {"family", "report_type", *TABLES, *LISTS}
        if unknown or spec.get("family") != path.stem:
            raise ValueError(f"{path.name}: family must be {path.stem!r}; unknown keys {sorted(unknown)}")
        words = set()
        for report_type in {spec["report_type"], READS_AS.get(spec["report_type"], spec["report_type"])}:
            merged = union.setdefault(report_type, {})
            for name in TABLES:
                table = merged.setdefault(name, {})
                for field, variants in (spec.get(name) or {}).items():
                    for variant in variants:
                        _add(table, field, variant, spec["family"], f"{path.name}: {name}")
                        words.add(key(variant))
            for name in LISTS:
                listed = merged.setdefault(name, [])
                for variant in spec.get(name) or []:
                    if variant not in listed:
                        listed.append(variant)
                    if name != "titles":
                        words.add(key(variant))
        families.append(Family(spec["family"], spec["report_type"], frozenset(words),
                               tuple(key(t) for t in spec.get("titles") or [])))
        _SECTIONS[spec["family"]] = frozenset(key(v) for v in spec.get("sections") or [])
    return families, union


def _add(table: dict[str, list[str]], field: str, variant: str, family: str, where: str) -> None:
    """One label for one field of a table: a family must not read one label two ways."""
    owners = _OWNERS.setdefault(id(table), {})
    keys = {label_key(variant)} if _REMARK.search(label_key(variant)) else {key(variant), label_key(variant)}
    for k in keys:
        other = owners.setdefault(k, {}).setdefault(family, field)
        if other != field:
            raise ValueError(f"{where}: {variant!r} names {field!r} and {other!r}")
    table.setdefault(field, [])
    if variant not in table[field]:
        table[field].append(variant)


FAMILIES, _UNION = _load()
# every label of a report type: a cell that is one is part of the table's frame, not a value
LABEL_KEYS = {t: frozenset().union(*(f.labels for f in FAMILIES if f.report_type == t)) for t in _UNION}
_SE, _TT = _UNION["self_evaluation"], _UNION["performance_target"]

# Self-evaluations (项目支出绩效自评表)
SE_HEADER = _SE["header"]
SE_FUNDING_COLUMNS = _SE["funding_columns"]
SE_FUNDING_ROW_HEADER = _SE["funding_row_header"]
SE_FUNDING_ROWS = _SE["funding_rows"]
SE_GOAL_COLUMNS = _SE["goal_columns"]
SE_INDICATOR_COLUMNS = _SE["indicator_columns"]
SE_TOTAL = _SE["total"]
SE_SUMMARY = _SE["summary"]
SE_CLOSING = _SE["closing"]
SE_FORM_CODE = _SE["form_code"]

# Performance-target tables (项目绩效目标表, 绩效目标申报表 …)
TT_HEADER = _TT["header"]
TT_PURPOSE = _TT["purpose"]
TT_SPEND_PLAN = _TT["spend_plan"]
TT_GOAL_COLUMNS = _TT["goal_columns"]  # goals (年度目标), goals_whole_period (总体目标 / 实施期目标)
TT_INDICATOR_COLUMNS = _TT["indicator_columns"]
TT_REVIEW = _TT["review"]

# Department-level reports: 部门整体绩效目标 (prose), 部门整体支出绩效自评表 (a self-evaluation table)
_DG, _DSE = _UNION["department_goals"], _UNION["department_self_evaluation"]
DG_TITLES = _DG["titles"]
DG_HEADINGS = _DG["headings"]  # overall_goal (总体绩效目标), subgoals (分项绩效目标)
DG_SUBGOAL_FIELDS = _DG["subgoal_fields"]  # goal (绩效目标), indicator (绩效指标)
DG_INDICATOR_COLUMNS = _DG["indicator_columns"]  # the table form (部门整体支出绩效目标申报表)
DG_HEADER = _DG["header"]
DSE_HEADER = _DSE["header"]
DSE_TITLES = _DSE["titles"]
DSE_FUNDING_BREAKDOWNS = _DSE["funding_breakdowns"]  # by_income (按收入性质分), by_expense (按支出性质分)


def title_key(context: list[str]) -> str:
    """The lines just above a table, as one key: where its title stands."""
    return "".join(key(line) for line in context[-4:])


def recognise(report_type: str, printed: set[str], title: str) -> str:
    """The family whose labels the report printed most of (its title, ``title_key``, breaks a tie)."""

    def score(family: Family) -> tuple[int, bool]:
        return len(family.labels & printed), any(t in title for t in family.titles)

    candidates = [f for f in FAMILIES if f.report_type == report_type]
    return max(candidates, key=score).name
