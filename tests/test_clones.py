"""SE-22 clones on the 109 seed self-evaluations (大红门街道 2023): the groups a reviewer finds by eye
in ../shared/seeds/dahongmen_2023_selfeval_reports_1-109.txt, and nothing else (domain §4.1)."""

from conftest import query

KONGWEI = ["丰台区 2022 年第四批控违拆违专项资金", "丰台区 2023 年第一批控违拆违专项资金",
           "丰台区 2023 年第二批控违拆违专项资金"]
CHUANGWU = ["第二批农村集体经济组织创无奖励资金（农村人居环境提升）",
            "第三批（部分）农村集体经济组织创无奖励资金（农村人居环境提升）"]
LAOJIU = ["2021 年度老旧小区完善类改造项目", "2023 年村级公益事业专项补助资金（市级）"]
DUSHENG = ["2023 年独生子女父母奖励费（5 元/月/人）", "2023 年独生子女父母年老时一次性奖励费（0.1 万元/人）"]
CANJI = ["23 残疾人事业发展补助资金（6岁以下儿童康复训练补助）", "23 残疾人事业发展补助资金（七岁以上残疾少年康复补助）"]

# What each group shares, as the seed text shows it:
GROUPS = {
    # 3457.171733 and 3457.17173 万元 (全年预算数 = 全年执行数); nothing else in common
    tuple(LAOJIU): "amount",
    # 16.4478 万元, the goal word for word, 5 indicator rows (村庄数量 3个, 1644.78 平方米, three 效益)
    tuple(CHUANGWU): "amount, goal, indicator_rows",
    # 6 rows in all three (每平米 300 元, 按照规定的拆违标准, four 效益 texts); 第一批 and 第二批 also
    # the goal word for word and the 质量指标 row (第四批's goal adds 通过拆违，促进辖区功能疏解)
    tuple(KONGWEI): "goal, indicator_rows",
    # 民生办为辖区内独生子女父母发放奖励金，传递党和政府的温暖。 (and 3 of the 效益 rows)
    tuple(DUSHENG): "goal",
    # 5 rows word for word (按时足额发放, 按时发放, 在预算范围内, the 社会效益 and 可持续影响 texts);
    # the goals differ only in 6 岁以下 / 7 岁以上, so they are not the same goal
    tuple(CANJI): "indicator_rows",
}


def test_the_clone_groups_a_reviewer_sees_by_eye(seed_warehouse):
    rows = query(seed_warehouse, """
        SELECT clone_group_id, group_size, shared_kinds, group_offices, list(DISTINCT project_name ORDER BY project_name)
        FROM marts.mart_clone_groups GROUP BY ALL""")
    assert {tuple(sorted(projects)): kinds for _, _, kinds, _, projects in rows} == {
        tuple(sorted(k)): v for k, v in GROUPS.items()}
    assert {size for _, size, *_ in rows} == {2, 3}
    assert all(size == len(projects) for _, size, _, _, projects in rows)
    # the offices involved: all in 城乡管理办公室 but the two 民生保障办公室 pairs
    assert sorted(offices for *_, offices, _ in rows) == sorted(
        ["城乡管理办公室"] * 3 + ["民生保障办公室"] * 2)


def test_each_group_shows_its_shared_items_side_by_side(seed_warehouse):
    def items(projects):
        return query(seed_warehouse, f"""
            SELECT item_kind, shared_text, project_name, printed_text, members_sharing
            FROM marts.mart_clone_groups WHERE project_name IN ({', '.join(f"'{p}'" for p in projects)})
            ORDER BY item_kind, item_order, project_name""")

    # one amount, printed to 6 and to 5 decimals by the two projects
    assert items(LAOJIU) == [("amount", "3457.17173", LAOJIU[0], "3457.171733", 2),
                             ("amount", "3457.17173", LAOJIU[1], "3457.17173", 2)]
    kongwei = items(KONGWEI)
    assert [(p, n) for kind, _, p, _, n in kongwei if kind == "goal"] == [(KONGWEI[1], 2), (KONGWEI[2], 2)]
    rows = [(text, p, n) for kind, text, p, _, n in kongwei if kind == "indicator_row"]
    assert len({text for text, _, n in rows if n == 3}) == 6 and len(rows) == 6 * 3 + 2
    assert ("质量指标|符合工程质量标准|拆违负责工程质量标准", KONGWEI[0], 3) not in rows
    # every member of a group prints each shared item with one shared_text
    assert query(seed_warehouse, """
        SELECT count(*) FROM (SELECT clone_group_id, item_kind, shared_text FROM marts.mart_clone_groups
                              GROUP BY ALL HAVING count(*) <> max(members_sharing))""") == [(0,)]


def test_boilerplate_and_round_amounts_make_no_clone(seed_warehouse):
    # No shared item is a satisfaction or 不适用 row, or a row printed by 5 or more projects
    # (发放完成率 100% in 39 projects, 项目完成率 100% in 15, 时效指标 2023年完成 in 6 …)
    assert query(seed_warehouse, """
        SELECT count(*) FROM marts.mart_clone_groups
        WHERE printed_text LIKE '%满意%' OR printed_text LIKE '%不适用%' OR printed_text LIKE '发放完成率%'
           OR printed_text LIKE '项目完成率%' OR shared_text = '时效指标|2023年完成|达到目标'""") == [(0,)]
    assert query(seed_warehouse, """
        SELECT count(*) FROM staging.int_clone_items
        WHERE item_kind = 'indicator_row' AND NOT is_boilerplate AND projects_sharing >= 5""") == [(0,)]
    # Round amounts (0.5, 10, 100 万元 …) are shared by many projects and never compared
    assert query(seed_warehouse, """
        SELECT min(amount_decimals) FROM staging.int_clone_items WHERE item_kind = 'amount'""") == [(3,)]
    assert query(seed_warehouse, """
        SELECT DISTINCT printed_text FROM marts.mart_clone_groups WHERE item_kind = 'amount' ORDER BY 1""") == [
        ("16.4478",), ("3457.17173",), ("3457.171733",)]


def test_near_misses_are_not_clones(seed_warehouse):
    """Look-alikes the seed text has that the rule leaves out, as a reviewer would."""
    members = {p for (p,) in query(seed_warehouse, "SELECT DISTINCT project_name FROM marts.mart_clone_groups")}
    assert len(members) == 11
    # 东门里小区 / 政务服务中心 整治提升: the same template, 3 identical rows and the same 满意度超过 90%
    # (satisfaction is boilerplate); the goals differ in the project they name
    # 城镇登记失业人员送温暖 and its （市属） sibling: goals differ in one stop (温暖.提高 / 温暖，提高), not in
    # width; they share 2 rows, both boilerplate
    # 计生专干补贴 shares one 社会效益 text with the two 独生子女 projects, nothing more
    assert members.isdisjoint({"东门里小区综合整治提升工程项目资金", "丰台区政务服务中心环境提升改造工程项目资金",
                               "2023 年城镇登记失业人员送温暖", "2023 年城镇登记失业人员送温暖（市属）",
                               "2023 年社区计生专干补贴、村计生专干补贴"})


def test_se22_names_the_partner_and_what_is_shared(seed_warehouse):
    from expectations.run import run_suite

    names = dict(query(seed_warehouse, "SELECT report_id, project_name FROM staging.int_reports"))
    findings = run_suite(seed_warehouse, "cloned_projects").findings
    # one finding per project and partner: 1 + 1 + 1 + 1 pairs and the 控违拆违 triangle, both ways
    assert len(findings) == 2 * (4 + 3)
    groups = [set(g) for g in GROUPS]
    for f in findings:
        assert (f["rule_id"], f["severity"], f["table_name"]) == ("SE-22", "WARN", "fct_score")
        report, partner = f["row_key"].split("/")
        assert report == f["report_id"] and any({names[report], names[partner]} <= g for g in groups)
        assert f["observed"].startswith(f"与「{names[partner]}」相同：")
    laojiu = next(f for f in findings if names[f["report_id"]] == LAOJIU[0])
    assert laojiu["observed"] == f"与「{LAOJIU[1]}」相同：金额 全年预算数、全年执行数 3457.171733 ≈ 3457.17173"
    dusheng = next(f for f in findings if names[f["report_id"]] == DUSHENG[0])
    assert "预期目标「民生办为辖区内独生子女父母发放奖励金，传递党和政府的温暖。」" in dusheng["observed"]
    canji = next(f for f in findings if names[f["report_id"]] == CANJI[0])
    assert "5 行绩效指标：质量指标 | 按时足额发放 | 达到目标；时效指标 | 按时发放 | 达到目标；" in canji["observed"]


def test_the_example_query_shows_each_group_side_by_side(seed_warehouse):
    from test_queries import queries

    rows = query(seed_warehouse, queries()["clone_groups_side_by_side"])
    assert len(rows) == 1 + 4 + 5 + 8 + 7  # items of the five groups
    by_group = {}
    for year, department, projects, kinds, kind, label, *printed, more in rows:
        by_group.setdefault(projects, []).append((kind, label, *printed, more))
    assert by_group["；".join(LAOJIU)] == [("amount", "全年预算数、全年执行数", "3457.171733", "3457.17173", None, None)]
    kongwei = by_group["；".join(KONGWEI)]
    assert kongwei[0] == ("goal", "预期目标", None, *[
        "按照区拆违办对遏制和拆除违法建设工作要求，我街道对已经认定的违法建筑依法进行拆除或者进行拆后整治，"
        "并及时销账，完成款项支付。"] * 2, None)
    assert ("indicator_row", "绩效指标", *["数量指标 | 每平米 300 元 | 达到目标"] * 3, None) in kongwei
