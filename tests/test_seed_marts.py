"""The marts on all seed reports, against figures worked out by hand from the seed text and the
national rules (shared/domain/README.md)."""

import re
from decimal import Decimal

from conftest import query


def scorecard(warehouse, project):
    [row] = query(warehouse, f"""
        SELECT weight_sum, total_score, total_score_recomputed, grade_recomputed
        FROM marts.mart_project_scorecard WHERE project_name = '{project}'""")
    return row


def test_proportional_score_of_a_missed_count(seed_warehouse):
    # 城乡基层党组织服务群众经费: 项目数量 target 113, actual 110, 10 points, printed 9 (SE-13: 9.73).
    assert query(seed_warehouse, """
        SELECT i.score, i.score_basis, i.score_recomputed FROM marts.fct_indicator i
        JOIN marts.dim_project p USING (project_key)
        WHERE p.project_name = '城乡基层党组织服务群众经费' AND i.level3 = '项目数量'""") == [
        (Decimal("9"), "proportional", Decimal("9.734513"))]
    # funding 10 + indicators 100 = 110 points; recomputed 10 + 99 + 0.734513 over 110 = 99.76
    assert scorecard(seed_warehouse, "城乡基层党组织服务群众经费") == (
        Decimal("110"), Decimal("99"), Decimal("99.76"), "优")


def test_a_110_point_table_is_scored_over_its_own_weights(seed_warehouse):
    # 2023 年城市居民最低生活保障: 10 + 100 points; satisfaction (5) 未做; printed 总分 95.
    # Recomputed: (10 + 95) / 110 × 100 = 95.45.
    assert scorecard(seed_warehouse, "2023 年城市居民最低生活保障") == (
        Decimal("110"), Decimal("95"), Decimal("95.45"), "优")


def test_words_saying_met_earn_full_points(seed_warehouse):
    # 2021 年度老旧小区完善类改造项目: 满意度 "达到 95% / 达到目标 / 10 / 8" (SE-12); printed 98
    # of 110 points; with the 10 points the words claim, 110 / 110.
    assert scorecard(seed_warehouse, "2021 年度老旧小区完善类改造项目") == (
        Decimal("110"), Decimal("98"), Decimal("100.00"), "优")


def test_target_tables_quantify_65_of_90_targets(seed_warehouse):
    # Seed 004: every row is a number with a comparator or a dated deadline except the 25 "优".
    assert query(seed_warehouse, """
        SELECT sum(indicators), sum(quantified_targets) FROM marts.mart_indicator_quality
        WHERE report_type = 'performance_target'""") == [(90, 65)]


def test_one_department_per_publisher(seed_warehouse):
    assert query(seed_warehouse, "SELECT department_name, reports FROM marts.dim_department ORDER BY 1") == [
        ("丰润区燕山路办事处", 15), ("北京市丰台区人民政府大红门街道办事处", 109)]


def test_target_table_findings_on_the_seeds(seed_warehouse):
    # Worked out from seed 004 (domain reference §4.2): every spending plan climbs to its budget
    # and every budget adds up (TT-01, TT-03: none); 8 cost targets exceed the budget over a year
    # (TT-04, see tests/test_queries.py); 社区保洁费 writes its cost as ≥54545元/月 (TT-05);
    # percentages stay within 100 and deadlines within 2024 (TT-09, TT-10: none); every table bases
    # its satisfaction target on 调查问卷, a method (TT-07), and values its only 效益 row "优" (TT-08).
    from expectations.run import run_suite

    findings = {}
    for table in ("fct_spend_plan", "fct_project_budget", "fct_target_indicator"):
        for f in run_suite(seed_warehouse, table).findings:
            findings.setdefault(f["rule_id"], set()).add(f["report_id"])
    names = dict(query(seed_warehouse, "SELECT report_id, project_name FROM raw.reports"))
    every_table = sorted(n for (n,) in query(
        seed_warehouse, "SELECT project_name FROM raw.reports WHERE report_type = 'performance_target'"))
    assert len(every_table) == 15
    assert {rule: sorted(names[r] for r in reports) for rule, reports in findings.items()} == {
        "TT-04": sorted(["2022年非税收入奖励", "社区办公费", "2024年街道体制经费", "财政所经费", "统计专项业务经费",
                         "省专班环保工作经费", "燕办十一小区公厕路灯日常维护、路灯电费", "征兵工作经费"]),
        "TT-05": ["社区保洁费"],
        # ≤204166.7元/月 for both, against budgets of 64.4 and 155 万元
        "TT-06": ["2022年非税收入奖励", "社区办公费"],
        "TT-07": every_table,
        "TT-08": every_table,
    }


def test_self_evaluation_findings_on_the_seeds(seed_warehouse):
    """Every finding on the 109 seed self-evaluations is one the seed text shows (domain §4.1)."""
    from expectations.run import run_suite

    from conftest import transcribed

    names = dict(query(seed_warehouse, "SELECT report_id, project_name FROM raw.reports"))
    findings = {}
    for table in ("fct_funding", "fct_indicator", "fct_score", "cloned_projects"):
        for f in run_suite(seed_warehouse, table).findings:
            findings.setdefault(f["rule_id"], set()).add(names[f["report_id"]])

    # The counting rules straight from the transcribed records, without the warehouse:
    # SE-05 weights not adding up to 100 (65 tables print 10 + 100 under 总分 100, two 10 + 95,
    # two 10 + 80); SE-07 totals not the sum of their parts; SE-09 no satisfaction row; SE-10 未做
    # in a satisfaction row; SE-18 a cost target naming the year-end budget or the amount spent;
    # SE-20 产出 / 效益 / 满意度 weights more than 10 points from 50 / 30 / 10.
    off = {rule: set() for rule in ("SE-05", "SE-07", "SE-09", "SE-10", "SE-18", "SE-20")}
    for r in transcribed("selfeval_dahongmen_2023.jsonl"):
        name, rows = r["project_name"], r["indicators"]
        funding = next(f for f in r["funding"] if f["source"] == "total")
        weight = (funding["weight"] or 0) + sum(i.get("weight") or 0 for i in rows)
        score = (funding["score"] or 0) + sum(i.get("score") or 0 for i in rows)
        satisfaction = [i for i in rows if "满意" in (i.get("level1") or "")]
        if weight != 100 or r.get("total_weight") != 100:
            off["SE-05"].add(name)
        if r.get("total_score") is not None and abs(r["total_score"] - score) > 0.5:
            off["SE-07"].add(name)
        if not [i for i in satisfaction if any(i.get(k) for k in ("level3", "target", "actual", "weight"))]:
            off["SE-09"].add(name)
        if any("未做" in f"{i.get('actual')}{i.get('score_text')}{i.get('deviation')}" for i in satisfaction):
            off["SE-10"].add(name)
        for i in rows:
            for number, unit in re.findall(r"([\d.]+)(万|元)", (i.get("target") or "").replace(" ", "")):
                amount = float(number) / (1 if unit == "万" else 10000)
                if "成本" in (i.get("level2") or "") and any(
                        x is not None and abs(amount - x) < 1e-9 for x in (funding["annual_budget"], funding["executed"])):
                    off["SE-18"].add(name)
        split = [sum(i.get("weight") or 0 for i in rows if key in (i.get("level1") or "")) for key in "产效满"]
        if max(abs(split[0] - 50), abs(split[1] - 30), abs(split[2] - 10)) > 10:
            off["SE-20"].add(name)

    assert findings == {
        # 2023 年乡村医生基本待遇经费: 12.6 / 10.15 / 10.15 printed 80.5% (executed ÷ initial),
        # and still 10 of 10 points for it (SE-04: 8.05 by the printed rate)
        "SE-01": {"2023 年乡村医生基本待遇经费"},
        "SE-04": {"2023 年乡村医生基本待遇经费"},
        **off,
        # 项目数量 113 → 110, 9 of 10, no reason given
        "SE-11": {"城乡基层党组织服务群众经费"},
        # 满意度 "达到 95% / 达到目标 / 10 / 8"
        "SE-12": {"2021 年度老旧小区完善类改造项目"},
        # 全年预算数 / 年初预算数: 408.93 → 839.68 (×2.05), 81.41 → 218.98 (×2.69), and the cuts
        "SE-16": {"城乡基层党组织服务群众经费", "基层党组织党建活动经费", "2023 年退养人员医疗费",
                  "2023 年城镇登记失业人员送温暖", "2023 年城镇登记失业人员自采暖补贴"},
        # clones, the five groups of tests/test_clones.py: a ≥3-decimal amount (3457.17173 / 3457.171733,
        # 16.4478 twice), a goal word for word (独生子女 ×2, 控违拆违 第一批 / 第二批, 创无 ×2), or ≥4
        # indicator rows beyond boilerplate (控违拆违 ×3, 创无 ×2, 残疾人康复补助 6 岁以下 / 七岁以上)
        "SE-22": {"2021 年度老旧小区完善类改造项目", "2023 年村级公益事业专项补助资金（市级）",
                  "第二批农村集体经济组织创无奖励资金（农村人居环境提升）",
                  "第三批（部分）农村集体经济组织创无奖励资金（农村人居环境提升）",
                  "丰台区 2022 年第四批控违拆违专项资金", "丰台区 2023 年第一批控违拆违专项资金",
                  "丰台区 2023 年第二批控违拆违专项资金",
                  "2023 年独生子女父母奖励费（5 元/月/人）", "2023 年独生子女父母年老时一次性奖励费（0.1 万元/人）",
                  "23 残疾人事业发展补助资金（6岁以下儿童康复训练补助）",
                  "23 残疾人事业发展补助资金（七岁以上残疾少年康复补助）"},
        # the cuts, each spent in full so that 执行率 prints 100%
        "SE-17": {"2023 年退养人员医疗费", "2023 年城镇登记失业人员送温暖", "2023 年城镇登记失业人员自采暖补贴"},
    }
    assert {rule: len(names) for rule, names in off.items()} == {
        "SE-05": 69, "SE-07": 68, "SE-09": 3, "SE-10": 26, "SE-18": 59, "SE-20": 54}


def test_a_satisfaction_row_not_done_is_se10s_finding_only(seed_warehouse, tmp_path):
    """SE-10 and SE-11 never report one problem twice (domain §4.1, SE-11): a satisfaction row not done
    is SE-10's; any other row that lost points needs a reason saying more than 未做 (SE-11)."""
    import duckdb

    from expectations.run import run_suite

    # The seeds: 26 reports leave the survey undone (0 of 5, or of 10, with 未做), none is also SE-11's.
    found = {rule: {f["row_key"] for f in run_suite(seed_warehouse, "fct_indicator").findings
                    if f["rule_id"] == rule} for rule in ("SE-10", "SE-11")}
    assert len({key.split("/")[0] for key in found["SE-10"]}) == 26 and not found["SE-10"] & found["SE-11"]

    # Built by hand: the ways a row can say it was not done, on a satisfaction row and on another row.
    warehouse = tmp_path / "facts.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute("""
            CREATE SCHEMA marts;
            CREATE TABLE marts.fct_indicator (report_id VARCHAR, indicator_index INTEGER,
                weight DECIMAL(20,6), score DECIMAL(20,6), deviation VARCHAR, actual_status VARCHAR,
                score_basis VARCHAR, score_recomputed DECIMAL(20,6), is_not_applicable BOOLEAN,
                is_not_done BOOLEAN, is_satisfaction BOOLEAN, is_ex_post_cost_target BOOLEAN);
            INSERT INTO marts.fct_indicator VALUES
                -- 服务对象满意度 达到 95% | — | 5 | 0 | 未做: SE-10 only
                ('survey', 1, 5, 0, '未做', 'blank', 'not_done', 0, false, true, true, false),
                -- 满意度 | 未开展 in 实际完成值, no reason: SE-10 only
                ('survey', 2, 10, 0, NULL, 'not_done', 'not_done', 0, false, true, true, false),
                -- an output row not done, 未做 all its reason says: SE-11
                ('output', 1, 10, 0, '未做', 'not_done', 'not_done', 0, false, true, false, false),
                -- an output row not done with its reason written: neither
                ('output', 2, 10, 0, '受疫情影响未开展，资金已收回', 'not_done', 'not_done', 0, false, true, false, false)
        """)
    findings = sorted((f["rule_id"], f["row_key"]) for f in run_suite(warehouse, "fct_indicator").findings
                      if f["rule_id"] in ("SE-10", "SE-11"))
    assert findings == [("SE-10", "survey/1"), ("SE-10", "survey/2"), ("SE-11", "output/1")]


def test_project_years_show_targets_copied_from_last_year(tmp_path):
    """mart_project_years (X-03) on the seeds and a 2022 made from two of them: 2022 年城市居民最低生活
    保障 printed as in 2023 but for its cost row; 城乡基层党组织服务群众经费 (no year in its name) with
    项目数量 110 → 113 achieved, the 2023 target."""
    import copy

    from conftest import build_from_records, transcribed

    seeds = transcribed("selfeval_dahongmen_2023.jsonl")
    by_name = {r["project_name"]: r for r in seeds}
    dibao = copy.deepcopy(by_name["2023 年城市居民最低生活保障"])
    dibao.update(fiscal_year=2022, project_name="2022 年城市居民最低生活保障")
    next(i for i in dibao["indicators"] if i["level2"] == "成本指标")["level3"] = "≤1320 万元"
    dangjian = copy.deepcopy(by_name["城乡基层党组织服务群众经费"])
    dangjian["fiscal_year"] = 2022
    count = next(i for i in dangjian["indicators"] if i["level3"] == "项目数量")
    count.update(target="110", actual="113", score=10)
    warehouse = tmp_path / "jixiao.duckdb"
    build_from_records({"selfeval_dahongmen_2023": seeds, "selfeval_dahongmen_2022": [dibao, dangjian]},
                       warehouse, tmp_path / "dbt_target")

    def copied(project):
        return query(warehouse, f"""
            SELECT level3, target, previous_target, previous_actual, target_change, is_target_repeated,
                   is_target_last_actual
            FROM marts.mart_project_years WHERE project_name = '{project}' AND fiscal_year = 2023
            ORDER BY indicator_index""")

    dibao_2023 = copied("2023 年城市居民最低生活保障")
    # every 2023 row is paired with 2022's and repeats its target, but the cost row, whose 三级指标 differs
    assert [(level3, repeated) for level3, _, _, _, _, repeated, _ in dibao_2023] == [
        (i["level3"], i["level2"] != "成本指标") for i in by_name["2023 年城市居民最低生活保障"]["indicators"]
        if i["level3"] or i["target"]]
    [projects] = [row for row in copied("城乡基层党组织服务群众经费") if row[0] == "项目数量"]
    assert projects == ("项目数量", "113", "110", "113", Decimal("3"), False, True)
    # the first year has nothing to compare with
    assert query(warehouse, "SELECT count(*) FROM marts.mart_project_years WHERE fiscal_year = 2022 "
                            "AND previous_report_id IS NOT NULL") == [(0,)]
    from test_queries import queries

    answer = query(warehouse, queries()["targets_copied_from_last_year"])
    assert {(r[3], r[10]) for r in answer} == {("2023 年城市居民最低生活保障", "last year's target"),
                                                ("城乡基层党组织服务群众经费", "last year's target"),
                                                ("城乡基层党组织服务群众经费", "last year's actual")}


def test_findings_are_the_same_checked_in_parts(seed_warehouse, monkeypatch):
    """A large table is checked a group of whole reports at a time (JIXIAO_DQ_CHUNK_ROWS): the same
    findings as checked whole, TT-06's comparison across reports included."""
    from expectations.run import run_checks

    def findings(results):
        return sorted(tuple(sorted(f.items())) for r in results for f in r.findings)

    whole = run_checks(seed_warehouse)
    monkeypatch.setenv("JIXIAO_DQ_CHUNK_ROWS", "40")
    parts = run_checks(seed_warehouse)
    assert findings(parts) == findings(whole)
    assert any(f["rule_id"] == "TT-06" for r in parts for f in r.findings)
    assert [(r.table, r.success, r.evaluated_rows) for r in parts] == [
        (r.table, r.success, r.evaluated_rows) for r in whole]
