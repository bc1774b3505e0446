"""Transcribe the 15 target tables of the Yanshan Road seed into contract records.

    python samples/build/transcribe_targets.py > samples/records/targets_yanshanlu_2024.jsonl

The seed is the text of a DOCX: one table row per paragraph group (rows separated by blank lines),
each cell starting with a tab, a cell's further lines without one. That is regular enough to read
mechanically; the output was then checked by eye against the seed, table by table. This is not
the extractor: it reads the seed text, never a PDF.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

SEED = Path(__file__).resolve().parents[3] / "shared/seeds/yanshanlu_2024_targets.txt"
HEADING = re.compile(r"^\[bookmark: _Toc_4_4_\d+\]\d+\.(.+)绩效目标表$")
FISCAL_YEAR = 2024  # the document is the 2024 部门预算: every table is a 2024 budget target
MONTHS = {"3月底": 3, "6月底": 6, "10月底": 10, "12月底": 12}


def rows_of(lines: list[str]) -> list[list[str]]:
    rows, row = [], []
    for line in lines:
        if line.startswith("\t"):
            row.append(line[1:])
        elif line.strip() and row:
            row[-1] += "\n" + line  # a cell's further line
        elif not line.strip():
            if row:
                rows.append(row)
            row = []
    if row:
        rows.append(row)
    return [[cell.strip() for cell in row] for row in rows]


def amount(cell: str) -> float | None:
    return float(cell) if cell else None


def text(cell: str) -> str | None:
    return cell or None


def record(rows: list[list[str]]) -> dict:
    unit, _ = rows[0]
    code, name = rows[1][1], rows[1][3]
    budget = rows[2]
    assert budget[0] == "预算规模及资金用途" and budget[1] == "预算数", budget
    purpose = rows[3][1]
    months = rows[4][1:]
    values = rows[5][1:]
    assert rows[6][0] == "绩效目标", rows[6]
    goals = [re.sub(r"^\d+[.．、]", "", g).strip() for g in rows[6][1].split("\n") if g.strip()]
    assert rows[7][:3] == ["一级指标", "二级指标", "三级指标"], rows[7]
    indicators, level1, level2 = [], None, None
    for row in rows[8:]:
        l1, l2, l3, description, target, basis = row
        level1, level2 = l1 or level1, l2 or level2
        indicators.append({"level1": level1, "level2": level2, "level3": text(l3),
                           "description": text(description), "target": text(target), "basis": text(basis)})
    unit_code, unit_name = re.fullmatch(r"(\d+)(.+)", unit).groups()
    return {
        "report_type": "performance_target", "fiscal_year": FISCAL_YEAR,
        "unit_code": unit_code, "unit_name": unit_name,
        "project_code": code, "project_name": name,
        "budget_total": amount(budget[2]), "budget_fiscal": amount(budget[4]), "budget_other": amount(budget[6]),
        "purpose": text(purpose),
        "spend_plan": [{"month": MONTHS[m], "value": amount(v)} for m, v in zip(months, values)],
        "goals": goals, "indicators": indicators,
    }


def main() -> None:
    lines = SEED.read_text(encoding="utf-8").splitlines()
    starts = [i for i, line in enumerate(lines) if HEADING.match(line)]
    for start, end in zip(starts, [*starts[1:], len(lines)]):
        rec = record(rows_of(lines[start + 1:end]))
        print(json.dumps(rec, ensure_ascii=False))


if __name__ == "__main__":
    main()
