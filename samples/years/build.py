"""A second year for a handful of the 2023 Dahongmen self-evaluations, made from the seeds.

The seeds hold one year of one unit. To test what compares years (X-03, mart_project_years) this
constructs 2022 for seven of its projects — each a copy of the 2023 transcription
(../records/selfeval_dahongmen_2023.jsonl) with the changes a unit makes from one year to the next,
listed in CHANGES — and the 2023 target table of one of them. Nothing here was published: the
changes are ours. Run from the repository root:

    .venv/bin/python samples/years/build.py             # writes samples/years/*.jsonl
    .venv/bin/python samples/years/build.py --pdf DIR   # and draws them as PDFs into DIR
"""

import copy
import importlib.util
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEEDS = HERE.parent / "records" / "selfeval_dahongmen_2023.jsonl"

# seed report → (what the 2022 report is, its 年初/全年预算数/全年执行数 in 万元, indicator edits:
# 三级指标 of 2023 → {field: 2022 value}); every other row is printed as in 2023.
CHANGES = {
    # budget up 11.9%, the targets kept but the cost row: 12 个月 / 100% / ≤1年 / 95% are standards
    16: ("2022 年城市居民最低生活保障", (1180, 1102.4, 1102.4),
         {"≤1168.685052 万元": {"level3": "≤1102.4 万元", "target": "1102.4 万元"}}),
    # budget up 11.1%, 涉及科室数量 6个科室 copied
    40: ("2022 年机构运转经费", (70, 70, 70),
         {"≤77.76 万元": {"level3": "≤70 万元", "target": "70 万元"}}),
    # budget down 25%, 9名老积极分子 copied
    86: ("2022 年走访慰问经费", (0.6, 0.6, 0.6),
         {"≤0.45万元": {"level3": "≤0.6万元", "target": "0.6 万元"}}),
    # budget up 25%, the count updated: 120 → 145 人次
    49: ("2022 年临时救助资金", (12, 11.6, 11.6),
         {"帮扶数量": {"target": "发放 120 人次", "actual": "发放 128 人次"},
          "≤13.033009 万元": {"level3": "≤11.6 万元", "target": "11.6 万元"}}),
    # budget up 6.2%: within what may keep its targets; 74 名社区工作者 copied, no finding
    63: ("2022 年社区工作者继续教育经费", (4.2, 4.1, 4.1),
         {"≤4.34 万元": {"level3": "≤4.1 万元", "target": "4.1 万元"}}),
    # the same 年初预算数 both years (no year in its name): 21 and 113 copied, no finding
    19: ("城乡基层党组织服务群众经费", (408.93, 820.5, 820.5),
         {"项目数量": {"actual": "108", "score": 9},
          "≤839.68118 万元": {"level3": "≤820.5 万元", "target": "820.5 万元"}}),
    # dropped: a batch of 2022, none in 2023 (the 2023 batches are 第一批 / 第二批)
    107: ("丰台区 2022 年第三批控违拆违专项资金", (None, 35.6, 35.6),
          {"时效指标": {"target": "2022 年完成"}}),
}


def self_evaluation_2022(seed: dict, name: str, money: tuple, edits: dict) -> dict:
    record = copy.deepcopy(seed)
    record.update(fiscal_year=2022, project_name=name)
    for goal in ("goal_planned", "goal_actual"):  # a unit updates the year in its sentences
        record[goal] = record[goal] and record[goal].replace("2023", "2022")
    initial, annual, executed = money
    for row in record["funding"]:
        if row["source"] in ("total", "current_year"):
            row.update(initial_budget=initial, annual_budget=annual, executed=executed)
    for indicator in record["indicators"]:
        indicator.update(edits.get(indicator["level3"], {}))
    return record


def target_table_2023(seed: dict) -> dict:
    """The 2023 target table (项目绩效目标表) approved for 2023 年机构运转经费: its 预算数 is the
    self-evaluation's 年初预算数 (no X-02), but it approved 8 offices where the self-evaluation
    printed 2022's 6 (X-01)."""
    indicators = [{"level1": i["level1"], "level2": i["level2"], "level3": i["level3"],
                   "description": i["level3"], "target": i["target"], "basis": "计划标准"}
                  for i in seed["indicators"] if i["level3"]]
    indicators[0]["target"] = "8个科室"
    # the unit line of the Hebei layout the sample renderer draws starts with a 6-digit unit code: ours
    return {"report_type": "performance_target", "fiscal_year": 2023, "unit_code": "101001",
            "unit_name": seed["department"], "project_code": None, "project_name": seed["project_name"],
            "budget_total": 77.76, "budget_fiscal": 77.76, "budget_other": None,
            "purpose": seed["goal_planned"],
            "spend_plan": [{"month": m, "value": v} for m, v in ((3, 19.44), (6, 38.88), (10, 64.8), (12, 77.76))],
            "goals": [seed["goal_planned"]], "indicators": indicators}


def build() -> dict[str, list[dict]]:
    with open(SEEDS, encoding="utf-8") as fh:
        seeds = {r["seed_report"]: r for r in map(json.loads, fh)}
    return {
        "selfeval_dahongmen_2022": [self_evaluation_2022(seeds[n], *change) for n, change in CHANGES.items()],
        "targets_dahongmen_2023": [dict(target_table_2023(seeds[40]), seed_report=40)],
    }


# the page header each set is drawn under, as the unit would publish it
HEADERS = {"selfeval_dahongmen_2022": "北京市丰台区人民政府大红门街道办事处2022年度部门决算",
           "targets_dahongmen_2023": "北京市丰台区人民政府大红门街道办事处2023年部门预算"}


def render_pdfs(out_dir: Path) -> list[Path]:
    """The sets as PDFs, drawn by the sample renderer (samples/build/render_pdf.py)."""
    spec = importlib.util.spec_from_file_location("render_pdf", HERE.parent / "build" / "render_pdf.py")
    render = sys.modules.get("render_pdf") or importlib.util.module_from_spec(spec)
    if "render_pdf" not in sys.modules:
        sys.modules["render_pdf"] = render  # dataclasses look their module up
        spec.loader.exec_module(render)
    render.register_font()
    return [render.render_set(name, render.read_records(HERE / f"{name}.jsonl"), header, out_dir)["pdf"]
            for name, header in HEADERS.items()]


if __name__ == "__main__":
    for name, records in build().items():
        with open(HERE / f"{name}.jsonl", "w", encoding="utf-8") as fh:
            fh.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    if sys.argv[1:2] == ["--pdf"]:
        print("\n".join(str(pdf) for pdf in render_pdfs(Path(sys.argv[2]))))
