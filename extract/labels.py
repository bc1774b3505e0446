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
from functools import lru_cache
from pathlib import Path

import yaml

from .text import label_key

TEMPLATES = Path(__file__).with_name("templates")
# What a family file may hold: tables of field → labels, and lists of labels.
TABLES = ("header", "funding_columns", "funding_rows", "goal_columns", "indicator_columns", "summary", "closing")
LISTS = ("titles", "form_code", "funding_row_header", "total", "sections", "purpose", "spend_plan", "goals",
         "goals_whole_period", "review")

_REMARK = re.compile(r"[(][^)]*[)]")  # after NFKC, full-width brackets are ASCII
_NUMBERED = re.compile(r"^(?:\d{1,2}[.、]|[一二三四五六七八九十]{1,2}、)(?=\D)")  # "2.项目实施内容…", "一、"
_INDEXES: dict[int, dict[str, str]] = {}


@lru_cache(maxsize=8192)  # a document repeats its labels and short cell texts on every page
def key(text: str | None) -> str:
    """Label key without bracketed remarks, a leading number, a leading 其中 or a trailing colon:
    "分值（分）" → "分值", "2.项目实施内容及过程概述" → "项目实施内容及过程概述"."""
    stripped = _NUMBERED.sub("", _REMARK.sub("", label_key(text))).removeprefix("其中:").removeprefix("其中").rstrip(":")
    return stripped or label_key(text)


def strip_remarks(text: str) -> str:
    return _REMARK.sub("", text)


def match(text: str | None, table: dict[str, list[str]]) -> str | None:
    """The field a label names, or None. Exact variants only: "指标值" must not match "指标值确定依据"."""
    index = _INDEXES.get(id(table))
    if index is None:
        index = _INDEXES[id(table)] = {key(v): name for name, vs in table.items() for v in vs}
    return index.get(key(text))


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
        merged = union.setdefault(spec["report_type"], {})
        words = set()
        for name in TABLES:
            table = merged.setdefault(name, {})
            for field, variants in (spec.get(name) or {}).items():
                for variant in variants:
                    _add(table, field, variant, f"{path.name}: {name}")
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
    return families, union


def _add(table: dict[str, list[str]], field: str, variant: str, where: str) -> None:
    """One label for one field of a table: two families must not read one label two ways."""
    for other, variants in table.items():
        if other != field and any(key(v) == key(variant) for v in variants):
            raise ValueError(f"{where}: {variant!r} names {field!r} here and {other!r} in another family")
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
SE_SECTIONS = _SE["sections"]

# Performance-target tables (项目绩效目标表, 绩效目标申报表 …)
TT_HEADER = _TT["header"]
TT_PURPOSE = _TT["purpose"]
TT_SPEND_PLAN = _TT["spend_plan"]
TT_GOALS = _TT["goals"]
TT_GOALS_WHOLE_PERIOD = _TT["goals_whole_period"]
TT_INDICATOR_COLUMNS = _TT["indicator_columns"]
TT_REVIEW = _TT["review"]
TT_SECTIONS = _TT["sections"]


def recognise(report_type: str, printed: set[str], context: list[str]) -> str:
    """The family whose labels the report printed most of (its title breaks a tie)."""
    title = "".join(key(line) for line in context[-4:])

    def score(family: Family) -> tuple[int, bool]:
        return len(family.labels & printed), any(t in title for t in family.titles)

    candidates = [f for f in FAMILIES if f.report_type == report_type]
    return max(candidates, key=score).name
