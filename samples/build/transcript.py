"""Turn the hand transcription of the self-evaluation seed into contract records.

    python samples/build/transcript.py samples/records/selfeval_dahongmen_2023.txt \
        > samples/records/selfeval_dahongmen_2023.jsonl

The transcription is written by a person reading the seed text (a flattened PDF, where wrapped
cells and neighbouring cells interleave), one block per report, so that every value can be checked
by eye against the seed line by line:

    @ 2                                   seed report number
    name 23 残疾人事业发展补助资金（6岁以下儿童康复训练补助）
    dept 大红门街道办事处                  主管部门 (the other header lines: unit, lead, phone)
    f total 3 3 3 10 100% 10              funding row: 年初预算数 全年预算数 全年执行数 分值 执行率 得分
    f current - 3 3 - 100% -              "-" is an empty or "—" cell; a row given no values is all empty
    plan 通过残疾儿童…                     预期目标; act: 实际完成情况
    i 产出指标 | 数量指标 | 发放人数 | 4 人 | 达到目标 | 35 | 35 |
                                          indicator: 一级 | 二级 | 三级 | 指标值 | 完成值 | 分值 | 得分 | 偏差
    i ^ | ^ | 按时发放 | … | … | 10 | 10 |  "^": the merged 一级/二级 cell above; words in 得分 → score_text
    total 100 95                          总分 分值 得分

Text is the cell's text with the wrapping undone by the contract's rule (see TRANSCRIBING.md).
"""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path

SOURCES = {"total": "total", "current": "current_year", "carry": "carryover", "other": "other"}
FUNDING = ["initial_budget", "annual_budget", "executed", "weight", "execution_rate", "score"]
HEADER = {"name": "project_name", "dept": "department", "unit": "implementing_unit",
          "lead": "project_lead", "phone": "phone", "plan": "goal_planned", "act": "goal_actual"}


def number(cell: str) -> float | int | None:
    cell = cell.strip()
    if cell in ("", "-", "—"):
        return None
    if cell.endswith("%"):
        value = Decimal(cell[:-1]) / 100
    else:
        value = Decimal(cell)
    return int(value) if value == value.to_integral_value() and "." not in cell.rstrip("%") else float(value)


def text(cell: str) -> str | None:
    cell = cell.strip()
    return None if cell in ("", "-") else cell


def score(cell: str) -> tuple[float | int | None, str | None]:
    try:
        return number(cell), None
    except ArithmeticError:
        return None, cell.strip()


def new_record(seed: int) -> dict:
    return {"seed_report": seed, "report_type": "self_evaluation", "fiscal_year": 2023, "project_name": None,
            "department": None, "implementing_unit": None, "project_lead": None, "phone": None,
            "funding": [], "goal_planned": None, "goal_actual": None, "indicators": [],
            "total_weight": None, "total_score": None}


def parse(lines: list[str]) -> list[dict]:
    records: list[dict] = []
    rec: dict | None = None
    for n, raw in enumerate(lines, 1):
        line = raw.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        word, _, rest = line.partition(" ")
        try:
            if word == "@":
                rec = new_record(int(rest))
                records.append(rec)
            elif word in HEADER:
                rec[HEADER[word]] = text(rest)
            elif word == "f":
                source, *values = rest.split()
                values = values or ["-"] * 6
                assert len(values) == 6, "a funding row has six cells"
                rec["funding"].append({"source": SOURCES[source],
                                       **{k: number(v) for k, v in zip(FUNDING, values)}})
            elif word == "i":
                cells = [c.strip() for c in rest.split("|")]
                assert len(cells) == 8, f"an indicator row has eight cells, not {len(cells)}"
                previous = rec["indicators"][-1] if rec["indicators"] else {}
                level1 = previous.get("level1") if cells[0] == "^" else text(cells[0])
                level2 = previous.get("level2") if cells[1] == "^" else text(cells[1])
                points, words = score(cells[6])
                indicator = {"level1": level1, "level2": level2, "level3": text(cells[2]),
                             "target": text(cells[3]), "actual": text(cells[4]), "weight": number(cells[5]),
                             "score": points, "deviation": text(cells[7])}
                if words:
                    indicator = {**{k: v for k, v in indicator.items() if k != "deviation"},
                                 "score_text": words, "deviation": indicator["deviation"]}
                rec["indicators"].append(indicator)
            elif word == "total":
                rec["total_weight"], rec["total_score"] = (number(v) for v in rest.split())
            else:
                raise ValueError(f"unknown line kind {word!r}")
        except Exception as exc:
            raise SystemExit(f"line {n}: {exc}: {line}") from exc
    for rec in records:
        assert [f["source"] for f in rec["funding"]] == list(SOURCES.values()), rec["seed_report"]
    return records


def main() -> None:
    for rec in parse(Path(sys.argv[1]).read_text(encoding="utf-8").splitlines()):
        print(json.dumps(rec, ensure_ascii=False))


if __name__ == "__main__":
    main()
