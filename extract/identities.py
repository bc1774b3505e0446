"""The sums a report's own table must satisfy, checked on a finished record.

A self-evaluation prints 执行率 = 全年执行数 / 全年预算数, 得分 ≤ 分值 on every row, and 总分 = the sum
of its 得分 (分值 likewise); a target table prints 预算数 = 财政资金 + 其他资金. When a record read by OCR
breaks one, a digit was most likely misread: the warning names the row and the cells, so no
uncertain number passes in silence. On a text layer a broken sum is the publisher's own (the data
quality rules report those, expectations/suites.py), so the pipeline checks OCR'd records only.
"""

from __future__ import annotations

RATE_TOLERANCE = 0.006  # a rate printed in whole percent is off by up to half a percent
SUM_TOLERANCE = 0.05  # scores printed with one decimal


def identity_warnings(record: dict) -> list[str]:
    pages = record.get("source", {}).get("pages") or ["?"]
    where = f"page {pages[0]}" if pages[0] == pages[-1] else f"pages {pages[0]}-{pages[-1]}"
    return [f"identity broken on {where}: {problem}" for problem in
            [*_funding_problems(record), *_score_problems(record), *_budget_problems(record)]]


def _number(value) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _funding_problems(record: dict) -> list[str]:
    problems = []
    for row in record.get("funding") or []:
        label = row.get("label") or row.get("source")
        budget, executed, rate = (_number(row.get(k)) for k in ("annual_budget", "executed", "execution_rate"))
        if budget and executed is not None and rate is not None:
            computed = executed / budget
            capped = computed > 1 and abs(rate - 1) <= RATE_TOLERANCE  # some publishers cap 执行率 at 100%
            if abs(rate - computed) > RATE_TOLERANCE and not capped:
                problems.append(f"row '{label}', 执行率 {rate:.1%} ≠ 全年执行数 / 全年预算数 "
                                f"{row['executed']} / {row['annual_budget']} = {computed:.1%}")
        weight, score = _number(row.get("weight")), _number(row.get("score"))
        if weight is not None and score is not None and score > weight + 1e-9:
            problems.append(f"row '{label}', 得分 {row['score']} above its 分值 {row['weight']}")
    return problems


def _score_problems(record: dict) -> list[str]:
    problems = []
    rows = [("funding", r.get("label") or r.get("source"), r) for r in record.get("funding") or []
            if r.get("source") == "total"]
    rows += [("indicator", r.get("level3") or r.get("level2") or r.get("level1"), r)
             for r in record.get("indicators") or []]
    for kind, label, row in rows:
        weight, score = _number(row.get("weight")), _number(row.get("score"))
        if kind == "indicator" and weight is not None and score is not None and score > weight + 1e-9:
            problems.append(f"indicator row '{label}', 得分 {row['score']} above its 分值 {row['weight']}")
    for field, column, name in (("total_score", "score", "得分"), ("total_weight", "weight", "分值")):
        total = _number(record.get(field))
        indicators = [v for kind, _, row in rows if kind == "indicator" and (v := _number(row.get(column))) is not None]
        funding = [v for kind, _, row in rows if kind == "funding" and (v := _number(row.get(column))) is not None]
        if total is None or not indicators:
            continue
        # 总分 sums the indicators and the funding row's points, or (as some publishers print it)
        # the indicators alone
        sums = {round(sum(indicators), 2), round(sum(indicators) + sum(funding), 2)}
        if all(abs(total - summed) > SUM_TOLERANCE for summed in sums):
            shown = " or ".join(f"{v:g}" for v in sorted(sums))
            problems.append(f"row '总分', {name} {record[field]} ≠ the sum of the rows' {name} {shown}")
    return problems


def _budget_problems(record: dict) -> list[str]:
    total, fiscal, other = (_number(record.get(k)) for k in ("budget_total", "budget_fiscal", "budget_other"))
    if total is None or fiscal is None:
        return []
    if abs(total - fiscal - (other or 0)) > 0.005 + 1e-9 * abs(total):
        return [f"预算数 {record['budget_total']} ≠ 财政资金 {record['budget_fiscal']} + 其他资金 "
                f"{record.get('budget_other') or 0}"]
    return []
