"""Compare extracted records with labelled ones: the document sets, the comparison rules, field F1.

A *set* is one document with its expected records (``samples/eval/sets.json``). How a set is
compared depends on how its document was made:

- ``exact``: every field, ``source`` included (pages, sha256) — documents whose page layout the
  expected records know (rendered by ``samples/build/render_pdf.py``);
- ``content``: every field but ``source`` — the page breaks are the producer's (Word, LibreOffice);
- ``content_no_spaces``: as ``content``, no space compared (a cell of dot leaders, broken anywhere);
- a set with ``min_f1`` (a scan read by OCR, ``sets_scans.json``) is compared by its field F1
  (``score``/``f1``), which must reach ``min_f1``, instead of field by field;
- ``content_cjk_spaces``: as ``content``, and a space next to a CJK character is not compared.
  LibreOffice breaks lines at such spaces (``每人 1000 元`` wrapped after ``每人``), and the
  contract's rule for undoing a wrap joins CJK with no space, so the space is gone from the page.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

from .text import map_text

ROOT = Path(__file__).resolve().parent.parent
SETS = ROOT / "samples" / "eval" / "sets.json"

_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f“”‘’•—"
_CJK_SPACE = re.compile(rf"(?<=[{_CJK}]) +| +(?=[{_CJK}])")

GROUPS = {  # a target table's header fields count in target_header
    "header": ["fiscal_year", "project_name", "department", "implementing_unit", "project_lead", "phone",
               "project_code", "form_code", "finance_lead", "template"],
    "goals": ["goal_planned", "goal_actual", "implementation_summary"],
    "totals": ["total_weight", "total_score"],
    "closing": ["conclusion", "problems", "improvements", "remarks", "review_opinion"],
    "target_header": ["unit_code", "unit_name", "budget_total", "budget_fiscal",
                      "budget_other", "purpose", "project_attribute", "implementation_period", "budget_superior",
                      "budget_period_total", "budget_period_fiscal", "budget_period_other"],
    # department-level reports (部门整体绩效目标, 部门整体支出绩效自评表)
    "department_header": ["overall_goal"],  # and unit_name (listed under target_header)
}
LISTS = {"funding": "funding", "indicators": "indicators", "spend_plan": "target_plan", "goals": "target_goals",
         "goals_whole_period": "target_goals", "subgoals": "department_subgoals",
         "funding_by_income": "department_funding", "funding_by_expense": "department_funding"}


TEMPLATES = ROOT / "samples" / "templates"


def load_sets() -> list[dict]:
    """The sets of sets.json and of each sets_<form>.json beside it (scans, workbooks, books …), then
    one per real template example and rendering (samples/templates/)."""
    sets = [s for path in [SETS, *sorted(SETS.parent.glob("sets_*.json"))]
            for s in json.loads(path.read_text(encoding="utf-8"))]
    for example in sorted(TEMPLATES.glob("*/*.json")):
        spec = json.loads(example.read_text(encoding="utf-8"))
        if not (ROOT / "extract" / "templates" / f"{spec['family']}.yaml").exists():
            continue  # a family the reader does not know yet (docs/templates.md): documented, not pinned
        pdf_mode = spec.get("compare_pdf", "content_cjk_spaces")
        for suffix, route, mode, copies in (
                (".docx", "python-docx", "content", 1),
                (".pdf", "python-docx, LibreOffice PDF", pdf_mode, 1),
                # the table 12 times, rows split across pages, each copy lower (render_templates.py)
                (".breaks.pdf", "python-docx, LibreOffice PDF, rows split across pages", pdf_mode, 12)):
            document = example.with_suffix(suffix)
            if document.exists():
                sets.append({"name": f"{spec['family']}/{document.name}", "family": spec["family"],
                             "route": route, "compare": mode, "document": str(document.relative_to(ROOT)),
                             "expected": str(example.relative_to(ROOT)), "copies": copies,
                             "complete": spec.get("complete", True)})
    return sets


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def expected_records(doc_set: dict) -> list[dict]:
    """The set's expected records, without transcription provenance (``seed_report``)."""
    path = ROOT / doc_set["expected"]
    if path.suffix == ".json":  # a template example: one table, its record under "expected"
        return [json.loads(path.read_text(encoding="utf-8"))["expected"]] * doc_set.get("copies", 1)
    return [{k: v for k, v in r.items() if k != "seed_report"} for r in read_jsonl(path)]


def comparable(record: dict, mode: str) -> dict:
    """The record as the set's comparison rule sees it."""
    record = {k: v for k, v in record.items() if k != "extraction_warnings"}
    if mode == "exact":
        return record
    record.pop("source", None)
    if mode == "content_cjk_spaces":
        return map_text(record, lambda s: _CJK_SPACE.sub("", s))
    if mode == "content_no_spaces":  # a cell of dot leaders (".. ....."): wherever LibreOffice broke them
        return map_text(record, lambda s: s.replace(" ", ""))
    return record


# What contract v2 added: a set labelled under v1 (no such key in its expected records) is not
# compared on them. ``unplaced_cells`` is not among them: a v1 set must place every cell.
V2_FIELDS = {"contract_version", "template", "form_code", "project_code", "finance_lead",
             "implementation_summary", "conclusion", "problems", "improvements", "label", "note",
             "comparator", "unit", "department", "implementing_unit", "project_lead", "phone",
             "implementation_period", "goals_whole_period", "weight", "remarks", "review_opinion",
             "project_attribute", "budget_superior", "budget_period_total", "budget_period_fiscal",
             "budget_period_other", "long_term_level2", "long_term_level3", "long_term_target"}


def as_labelled(got, want):
    """``got`` without the v2 fields that ``want`` (a v1 label) does not have, at every level."""
    if isinstance(got, dict) and isinstance(want, dict):
        return {k: as_labelled(v, want.get(k)) for k, v in got.items() if k in want or k not in V2_FIELDS}
    if isinstance(got, list) and isinstance(want, list) and len(got) == len(want):
        return [as_labelled(g, w) for g, w in zip(got, want)]
    return got


def field_differences(got: dict, want: dict, prefix: str = "") -> list[str]:
    """Every differing field as 'path: got != want' (lists of objects compared item by item)."""
    diffs = []
    for key in sorted(set(got) | set(want)):
        a, b = got.get(key, "<missing>"), want.get(key, "<missing>")
        if isinstance(a, dict) and isinstance(b, dict):
            diffs += field_differences(a, b, f"{prefix}{key}.")
        elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b) and all(
                isinstance(x, dict) for x in a + b):
            for i, (x, y) in enumerate(zip(a, b)):
                diffs += field_differences(x, y, f"{prefix}{key}[{i}].")
        elif a != b:
            diffs.append(f"{prefix}{key}: {a!r} != {b!r}")
    return diffs


def field_slots(record: dict) -> dict[tuple, object]:
    """Every scalar of a record, keyed by (field group, path)."""
    slots = {}
    is_target = record["report_type"] == "performance_target"
    for group, names in GROUPS.items():
        for name in names:
            if name in record:
                if record["report_type"].startswith("department_") and group == "target_header":
                    group = "department_header"  # unit_name: the department's, not a target table's
                slots[("target_header" if is_target and group == "header" else group, name)] = record[name]
    for name, group in LISTS.items():
        items = record.get(name)
        if not isinstance(items, list):
            continue
        if name == "indicators" and is_target:
            group = "target_indicators"
        for i, item in enumerate(items):
            if isinstance(item, dict):
                for key, value in item.items():
                    slots[(group, f"{name}[{i}].{key}")] = value
            else:
                slots[(group, f"{name}[{i}]")] = item
    return slots


def score(expected: list[dict], got: list[dict]) -> dict[str, list[int]]:
    """[tp, fp, fn] per field group; reports aligned by position, a missing or extra report counts whole."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for i in range(max(len(expected), len(got))):
        want = field_slots(expected[i]) if i < len(expected) else {}
        have = field_slots(got[i]) if i < len(got) else {}
        for slot in set(want) | set(have):
            w, h = want.get(slot), have.get(slot)
            c = counts[slot[0]]
            if h is not None and h == w:
                c[0] += 1
            else:
                c[1] += h is not None
                c[2] += w is not None
    return counts


def f1(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)
