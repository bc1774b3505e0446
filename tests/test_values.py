"""The indicator value normaliser (extract/values.py).

The parametrised tables hold real cells from the transcribed seeds
(samples/records/selfeval_dahongmen_2023.jsonl, samples/records/targets_yanshanlu_2024.jsonl), each
with its reading worked out by hand from the rules of the domain reference §3 and the module
docstring; every field of the Value is compared, not only the comparator.
"""

from __future__ import annotations

import dataclasses
import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extract import values as V
from extract.values import STATUSES, Value, actual_status, parse_target, parse_value

ROOT = Path(__file__).resolve().parents[1]
SEEDS = [ROOT / "samples/records/selfeval_dahongmen_2023.jsonl",
         ROOT / "samples/records/targets_yanshanlu_2024.jsonl"]
D = Decimal


def seed_cells(field: str) -> set[str]:
    cells = set()
    for path in SEEDS:
        for line in path.read_text(encoding="utf-8").splitlines():
            for ind in json.loads(line)["indicators"]:
                if ind.get(field):
                    cells.add(ind[field])
    return cells


SEED_TARGETS = seed_cells("target")
SEED_ACTUALS = seed_cells("actual")


def expect(raw, comparator, num=None, unit=None, family=None, confidence="high", **fields) -> Value:
    """The full expected Value: every field not given is None / False."""
    base = dict(raw=raw, comparator=comparator, value_num=None if num is None else D(num),
                value_num_hi=None, unit=unit, unit_family=family, period=None, value_yuan=None,
                value_annual_yuan=None, duration_days=None, deadline=None, event=None, grade=None,
                strict=False, confidence=confidence)
    for key, value in fields.items():
        assert key in base, key
        base[key] = D(value) if key in ("value_num_hi", "value_yuan", "value_annual_yuan",
                                        "duration_days") and value is not None else value
    return Value(**base)


def text(raw, confidence):
    return expect(raw, "text", family="text", confidence=confidence)


def qual(raw, confidence):
    return expect(raw, "qual", family="qualitative", confidence=confidence)


def before(raw, deadline, confidence, event=None):
    return expect(raw, "before", unit="日期", family="date", deadline=deadline, event=event,
                  confidence=confidence)


PCT, PEOPLE, COUNT, MONEY, DAYS = "percent", "people", "count", "money_yuan", "duration_days"

REAL_CELLS = [
    # bare value + unit: "="
    expect("100%", "=", "100", "%", PCT),
    expect("95%", "=", "95", "%", PCT),
    expect("1年", "=", "1", "年", DAYS, duration_days=365),
    expect("1 年", "=", "1", "年", DAYS, duration_days=365),
    expect("12 个月", "=", "12", "月", DAYS, duration_days=360),
    expect("2 周", "=", "2", "周", DAYS, duration_days=14),
    expect("5人", "=", "5", "人", PEOPLE),
    expect("40 名", "=", "40", "人", PEOPLE),
    expect("20 户", "=", "20", "户", "households"),
    expect("21 个", "=", "21", "个", COUNT),
    expect("3条", "=", "3", "条", COUNT),
    expect("1座", "=", "1", "座", COUNT),
    expect("1644.78 平方米", "=", "1644.78", "平方米", "area_m2"),
    expect("70352 平米", "=", "70352", "平方米", "area_m2"),
    expect("1", "=", "1"),
    expect("113", "=", "113"),
    expect("0.5 万元", "=", "0.5", "万元", MONEY, value_yuan=5000, value_annual_yuan=5000),
    expect("3457.171733 万元", "=", "3457.171733", "万元", MONEY,
           value_yuan="34571717.33", value_annual_yuan="34571717.33"),
    expect("1168.685052 万元", "=", "1168.685052", "万元", MONEY,
           value_yuan="11686850.52", value_annual_yuan="11686850.52"),
    # ≥ / ≤ words and symbols
    expect("达到 95%", ">=", "95", "%", PCT),
    expect("达到 100%", ">=", "100", "%", PCT),
    expect("≥95%", ">=", "95", "%", PCT),
    expect("90%以上", ">=", "90", "%", PCT),
    expect("达到 98%以上", ">=", "98", "%", PCT),
    expect("超过 95%", ">=", "95", "%", PCT, strict=True),
    expect("大于 7 场", ">=", "7", "场", COUNT, strict=True),
    expect("≥14个", ">=", "14", "个", COUNT),
    expect("≥1人", ">=", "1", "人", PEOPLE),
    expect("≥10户", ">=", "10", "户", "households"),
    expect("≥11辆", ">=", "11", "辆", COUNT),
    expect("≤21", "<=", "21"),
    # with a subject before or a noun after: medium
    expect("满意度超过 90%", ">=", "90", "%", PCT, "medium", strict=True),
    expect("好评率达 100%", ">=", "100", "%", PCT, "medium"),
    expect("村内服务群众满意度达 95%", ">=", "95", "%", PCT, "medium"),
    expect("满意度≥95%", ">=", "95", "%", PCT, "medium"),
    expect("满意度 100%", "=", "100", "%", PCT, "medium"),
    expect("商户满意度 100%", "=", "100", "%", PCT, "medium"),
    expect("35 名调查人员", "=", "35", "人", PEOPLE, "medium"),
    expect("9名老积极分子", "=", "9", "人", PEOPLE, "medium"),
    expect("残疾人机动轮椅车主 420 名", "=", "420", "人", PEOPLE, "medium"),
    expect("特困人员发放防暑降温费 4 人", "=", "4", "人", PEOPLE, "medium"),
    expect("发放 50 人次", "=", "50", "人次", COUNT, "medium"),
    expect("慰问 3 支部队", "=", "3", "支", COUNT, "medium"),
    expect("2 个党群服务站楼宇房租", "=", "2", "个", COUNT, "medium"),
    expect("全年 10 次宣讲", "=", "10", "次", COUNT, "medium"),
    expect("110 人根据实际情况增减", "=", "110", "人", PEOPLE, "medium"),
    # a second, word-only clause lowers the confidence one step
    expect("63 人，根据实际情况增减", "=", "63", "人", PEOPLE, "medium"),
    # rates per period (seed 004)
    expect("≤204166.7元/月", "<=", "204166.7", "元", MONEY, period="month",
           value_yuan="204166.7", value_annual_yuan="2450000.4"),
    expect("≤1万元/季度", "<=", "1", "万元", MONEY, period="quarter",
           value_yuan=10000, value_annual_yuan=40000),
    expect("≤10万元/季度", "<=", "10", "万元", MONEY, period="quarter",
           value_yuan=100000, value_annual_yuan=400000),
    expect("≤22150元/季度", "<=", "22150", "元", MONEY, period="quarter",
           value_yuan=22150, value_annual_yuan=88600),
    expect("≤758586.33元/月", "<=", "758586.33", "元", MONEY, period="month",
           value_yuan="758586.33", value_annual_yuan="9103035.96"),
    expect("≥54545元/月", ">=", "54545", "元", MONEY, period="month",
           value_yuan=54545, value_annual_yuan=654540),
    # prices per entity: no yearly total
    expect("每平米 300 元", "=", "300", "元", MONEY, "medium", value_yuan=300),
    expect("每户 5000 元，不超预算", "=", "5000", "元", MONEY, "low", value_yuan=5000),
    expect("不超预算，57 元一个", "=", "57", "元", MONEY, "low", value_yuan=57),
    expect("抽中调查户每户约为 27.27 元", "=", "27.27", "元", MONEY, "low", value_yuan="27.27"),
    # deadlines and dates
    before("2024年12月31日前完成", "2024-12-31", "high"),
    before("2023年12月31日前", "2023-12-31", "high"),
    before("2023 年完成", "2023-12-31", "high"),
    before("2023 年完成支付", "2023-12-31", "high"),
    before("2023 年 12 月前完成支付", "2023-12-31", "high"),
    before("2023 年底前", "2023-12-31", "high"),
    before("23 年完成", "2023-12-31", "medium"),
    before("23 年 12 月底前完成", "2023-12-31", "medium"),
    before("按全年执行进度进行，2023 年年底前全部完成", "2023-12-31", "medium"),
    before("11 月底前", None, "medium"),
    before("12 月前完成", None, "medium"),
    before("重阳节前完成", None, "high", event="重阳节"),
    before("夏季按时发放", None, "medium", event="夏季"),
    expect("23 年 12 月", "=", None, "日期", "date", "medium", deadline="2023-12-31"),
    # qualitative
    expect("优", "qual", family="qualitative", grade="优"),
    qual("按时足额发放", "high"),
    qual("在预算范围内", "high"),
    qual("不超预算", "high"),
    qual("按照预算标准", "high"),
    qual("按时支付", "high"),
    qual("不超预算金额", "medium"),
    qual("不超过预算标准", "medium"),
    qual("按时发放", "medium"),
    qual("在预算标准之内", "medium"),
    qual("在评审标准内，按照合同支付", "medium"),
    qual("通过监理验收", "medium"),
    qual("符合工程质量标准", "medium"),
    # 全部 = all: 100 %, a reading
    expect("全部发放给人口抽样调查人员", "=", "100", "%", PCT, "low"),
    # not applicable
    expect("不适用", "na"),
    expect(None, "na"),
    # text: prose without a value (high) or with counts we do not read (low)
    text("有利于改善社区周边环境卫生", "high"),
    text("提升居民的幸福感，安全感", "high"),
    text("效果良好", "high"),
    text("一位法律顾问", "low"),
    text("用于辖区两个村的生活垃圾运输", "low"),
    text("用于街道 19 个社区 3 个村的全员核酸检测费用", "low"),
    text("10 户走访慰问，422 户发放慰问金", "low"),
    text("辖区 6 岁以下残疾儿童 4 人", "low"),
    text("1 个党群中心、2党群站点", "low"),
    text("为 23 年人口抽样调查人员提供劳务费补贴", "low"),
    text("用于 2023-2024 年采暖季清洁取暖设备维保补贴", "low"),
    text("按照 100CC1000 元标准执行", "low"),
    text("政府采购每本 8.7 元，共计 2000 本。", "low"),
    text("12 元/平方米•采暖季•人；不超 60 平米", "low"),
    text("项目用于新址大红门南里 11 号房租", "low"),
    text("2022 年达到目标，2023 年未完成年度指标", "low"),
]


def test_real_cells_are_from_the_seeds_and_distinct():
    raws = [v.raw for v in REAL_CELLS if v.raw is not None]
    assert len(raws) == len(set(raws)) >= 60
    missing = [r for r in raws if r not in SEED_TARGETS | SEED_ACTUALS]
    assert missing == []


@pytest.mark.parametrize("expected", REAL_CELLS, ids=lambda v: str(v.raw))
def test_real_cell(expected):
    assert parse_value(expected.raw) == expected


@pytest.mark.parametrize("raw, expected", [
    # wrapped cells as the PDF text prints them (seed 000 and domain reference §3)
    ("≤839.68118 万\n元", expect("≤839.68118 万\n元", "<=", "839.68118", "万元", MONEY,
                                  value_yuan="8396811.8", value_annual_yuan="8396811.8")),
    ("≤1168.685052\n\n万元", expect("≤1168.685052\n\n万元", "<=", "1168.685052", "万元", MONEY,
                                      value_yuan="11686850.52", value_annual_yuan="11686850.52")),
    ("达到目\n标", qual("达到目\n标", "medium")),
    # a break between two digits may separate two numbers: not joined, not read
    ("1168.6 85052", text("1168.6 85052", "low")),
    # full-width forms
    ("≥９５％", expect("≥９５％", ">=", "95", "%", PCT)),
    ("＞５人", expect("＞５人", ">", "5", "人", PEOPLE)),
    ("≧90%", expect("≧90%", ">=", "90", "%", PCT)),
    (">=90%", expect(">=90%", ">=", "90", "%", PCT)),
    ("≦2 周", expect("≦2 周", "<=", "2", "周", DAYS, duration_days=14)),
    # ranges, 万 alone, other units
    ("80%-90%", expect("80%-90%", "between", "80", "%", PCT, value_num_hi="90")),
    ("80~90%", expect("80~90%", "between", "80", "%", PCT, value_num_hi="90")),
    ("≤839.68118 万", expect("≤839.68118 万", "<=", "839.68118", "万元", MONEY,
                            value_yuan="8396811.8", value_annual_yuan="8396811.8")),
    ("≤2亿元", expect("≤2亿元", "<=", "2", "亿元", MONEY, value_yuan=200000000,
                     value_annual_yuan=200000000)),
    ("5 个工作日以内", expect("5 个工作日以内", "<=", "5", "工作日", DAYS, duration_days=5)),
    ("3 亩", expect("3 亩", "=", "3", "亩", "area_m2")),
    ("2.5公里", expect("2.5公里", "=", "2.5", "公里", "length_m")),
    ("不低于 80%", expect("不低于 80%", ">=", "80", "%", PCT)),
    ("不足 5 人", expect("不足 5 人", "<=", "5", "人", PEOPLE, strict=True)),
    ("控制在 5 万元以内", expect("控制在 5 万元以内", "<=", "5", "万元", MONEY, "medium",
                             value_yuan=50000, value_annual_yuan=50000)),
    # dates that do not exist are not dates; unknown shapes are text
    ("2023 年 2 月 30 日前", text("2023 年 2 月 30 日前", "low")),
    ("5万人", text("5万人", "low")),
    ("第 3 批", text("第 3 批", "low")),
    ("—", expect("—", "na")), ("－", expect("－", "na")), ("/", expect("/", "na")),
    ("", expect("", "na")), ("  ", expect("  ", "na")),
])
def test_constructed_cell(raw, expected):
    assert parse_value(raw) == expected


@pytest.mark.parametrize("target, label, comparator, confidence", [
    # seed 000 prints the comparator in the 三级指标 column
    ("1168.685052 万元", "≤1168.685052 万元", "<=", "medium"),
    ("1 年", "≤1年", "<=", "medium"),
    ("1年", "≤1 年", "<=", "medium"),
    ("0.45 万元", "≤0.45万元", "<=", "medium"),
    ("1 年", "时效指标", "=", "high"),            # a label without a value changes nothing
    ("0.5 万元", "≤0.6 万元", "=", "high"),       # a different number changes nothing
    ("达到 95%", "≥95%", ">=", "high"),           # the cell's own comparator wins
])
def test_parse_target_takes_the_comparator_from_the_label(target, label, comparator, confidence):
    value = parse_target(target, label)
    assert (value.comparator, value.confidence) == (comparator, confidence)
    assert value.value_num == parse_value(target).value_num


ACTUALS = [
    # words
    ("达到目标", "5人", "met"), ("完成目标", "100%", "met"), ("达成目标", "优", "met"),
    ("达到预期指标", "100%", "met"), ("达到预期目标", "≤1年", "met"), ("完成", "21 个", "met"),
    ("发放 4 人，达到目标", "辖区 6 岁以下残疾儿童 4 人", "met"),
    ("完成 2022 年下达指标", "区献血办下达年度指标", "met"),
    ("2022 年达到目标，2023 年未完成年度指标", "区献血办下达年度指标", "not_met"),
    # numbers against the target's comparator
    ("110", "113", "not_met"),
    ("21", "≤21", "met"),
    ("4人", "特困人员发放防暑降温费 4 人", "met"),
    ("3人", "3 人", "met"),
    ("110 人根据实际情况增减", "110 人", "met"),
    ("商户满意度 95%", "商户满意度 100%", "not_met"),
    ("全年 10 次宣讲", "21 场", "not_met"),
    ("达到 98%以上", "达到 98%以上", "met"),
    ("好评率达 98%", "好评率达 98%", "met"),
    ("100%", "100%", "met"),
    ("2023 年 12 月 31 日前", "2023年12月31日前", "met"),
    # an actual that restates the target
    ("拆违负责工程质量标准", "拆违负责工程质量标准", "met"),
    ("1个党群中心、2党群站点", "1 个党群中心、2党群站点", "met"),
    ("10 户走访慰问，422 户发放慰问金", "10 户走访慰问，422 户发放慰问金", "met"),
    # undecidable
    ("效果良好", "向服务对象提供持续关怀", "unknown"),
    ("拆违负责工程质量标准", "符合工程质量标准", "unknown"),
    ("达到95%", "受帮扶在乡残疾军人满意", "unknown"),
    ("根据实际审核人数发放", "根据实际审核人数而定", "unknown"),
    ("2022 年第四季度 2名乡医在职，2023 年 1-4 月 2 名乡医在职，5-12 月 3 名乡医在职",
     "根据实际在职人数而定", "unknown"),
    ("39 人", None, "unknown"),
    # blank
    (None, "100%", "blank"),
]


@pytest.mark.parametrize("actual, target, status", ACTUALS)
def test_actual_status_of_seed_pairs(actual, target, status):
    assert actual is None or actual in SEED_ACTUALS
    assert actual_status(actual, parse_value(target) if target is not None else None) == status


@pytest.mark.parametrize("actual, target, status", [
    ("未做", "达到 95%", "not_done"), ("未做满意度调查", None, "not_done"),
    ("未开展", "达到 95%", "not_done"), ("基本达到目标", None, "basically_met"),
    ("基本完成", None, "basically_met"), ("未完成", None, "not_met"), ("未达到", None, "not_met"),
    ("已完成既定目标", None, "met"), ("已完成", None, "met"), ("达到目\n标", None, "met"),
    ("不适用", "达到 95%", "not_applicable"), ("—", None, "not_applicable"),
    ("-", None, "not_applicable"), ("－", None, "not_applicable"), ("/", None, "not_applicable"),
    ("", None, "blank"), ("  \n", None, "blank"),
    ("完成率 90%", "100%", "not_met"),     # 完成率 names a measure, it is not 完成
    # money and durations in comparable units; a yearly actual against a monthly cap
    ("5000元", "≤0.5 万元", "met"), ("6000元", "≤0.5 万元", "not_met"),
    ("42000 元", "≤3500元/月", "met"), ("42001 元", "≤3500元/月", "not_met"),
    ("2 周", "≤1 年", "met"), ("13 个月", "≤1年", "not_met"),
    ("85%", "80%-90%", "met"), ("95%", "80%-90%", "not_met"),
    ("2024年1月10日前", "2023年12月31日前", "not_met"),
    ("0.5", "≤0.5 万元", "unknown"),       # a unitless amount is not assumed to be 万元
])
def test_actual_status_rules(actual, target, status):
    assert actual_status(actual, parse_value(target) if target is not None else None) == status


# --------------------------------------------------------------------------------------------
# Properties

CMP_WORDS = {"≥": (">=", False), "不低于": (">=", False), "不少于": (">=", False),
             "至少": (">=", False), "达到": (">=", False), "超过": (">=", True),
             "≤": ("<=", False), "不超过": ("<=", False), "不高于": ("<=", False),
             "低于": ("<=", True), "": ("=", False), "为": ("=", False), ">": (">", False),
             "<": ("<", False)}
SUFFIXES = {"以上": ">=", "以下": "<=", "以内": "<="}
UNITS = {"人": "people", "名": "people", "户": "households", "个": "count", "次": "count",
         "人次": "count", "场": "count", "辆": "count", "元": "money_yuan", "万元": "money_yuan",
         "万": "money_yuan", "亿元": "money_yuan", "千元": "money_yuan", "%": "percent",
         "个月": "duration_days", "周": "duration_days", "天": "duration_days", "年": "duration_days",
         "工作日": "duration_days", "平方米": "area_m2", "亩": "area_m2", "公里": "length_m"}
YUAN = {"元": 1, "千元": 1000, "万元": 10**4, "万": 10**4, "亿元": 10**8}
PERIODS = {"": None, "/月": "month", "/季度": "quarter", "/年": "year"}
FACTOR = {None: 1, "month": 12, "quarter": 4, "year": 1}

numbers = st.decimals(min_value=0, max_value=999, places=2, allow_nan=False, allow_infinity=False)


def printed(d: Decimal) -> str:
    return format(d, "f")


@st.composite
def value_cells(draw):
    word = draw(st.sampled_from(sorted(CMP_WORDS)))
    num = draw(numbers)
    unit = draw(st.sampled_from(sorted(UNITS)))
    suffix = "" if word else draw(st.sampled_from(["", *sorted(SUFFIXES)]))
    return f"{word}{printed(num)}{unit}{suffix}", word, num, unit, suffix


@given(value_cells())
def test_comparator_number_and_unit_are_recovered(cell):
    s, word, num, unit, suffix = cell
    value = parse_value(s)
    comparator, strict = CMP_WORDS[word]
    assert value.comparator == (SUFFIXES[suffix] if suffix else comparator)
    assert value.strict is strict
    assert value.value_num == num
    assert value.unit_family == UNITS[unit]
    assert value.confidence == "high"


HALF_TO_FULL = {**{str(i): chr(0xFF10 + i) for i in range(10)}, "%": "％", ">": "＞", "<": "＜",
                "=": "＝", ".": "．", "/": "／", "~": "～", "-": "－", ",": "，"}


@given(value_cells(), st.data())
def test_full_width_and_half_width_parse_the_same(cell, data):
    s = cell[0]
    full = "".join(HALF_TO_FULL.get(ch, ch) if data.draw(st.booleans()) else ch for ch in s)
    assert dataclasses.replace(parse_value(full), raw=None) == dataclasses.replace(parse_value(s), raw=None)


def break_positions(s: str) -> list[int]:
    """Where wrapping can break a cell without ambiguity: not between two digits or two letters."""
    def same_class(a, b):
        return (a.isdigit() and b.isdigit()) or (a.isascii() and a.isalpha() and b.isascii() and b.isalpha())
    return [i for i in range(1, len(s)) if not same_class(s[i - 1], s[i])]


@given(st.one_of(st.sampled_from(sorted(SEED_TARGETS | SEED_ACTUALS)), value_cells().map(lambda c: c[0])),
       st.data())
def test_a_wrap_break_inside_a_token_does_not_change_the_reading(s, data):
    positions = break_positions(s)
    if not positions:
        return
    i = data.draw(st.sampled_from(positions))
    brk = data.draw(st.sampled_from(["\n", " ", "\n\n", " \n"]))
    wrapped = s[:i] + brk + s[i:]
    assert dataclasses.replace(parse_value(wrapped), raw=None) == dataclasses.replace(parse_value(s), raw=None)


@given(st.sampled_from(["", "≤", "≥", "不超过"]), numbers, st.sampled_from(sorted(YUAN)),
       st.sampled_from(sorted(PERIODS)))
def test_money_is_annualised_by_the_period(word, num, unit, period):
    value = parse_value(f"{word}{printed(num)}{unit}{period}")
    assert value.unit_family == "money_yuan"
    assert value.period == PERIODS[period]
    assert value.value_yuan == num * YUAN[unit]
    assert value.value_annual_yuan == num * YUAN[unit] * FACTOR[PERIODS[period]]


@given(st.integers(min_value=1990, max_value=2100), st.integers(min_value=1, max_value=12),
       st.integers(min_value=1, max_value=28), st.sampled_from(["前", "之前", "前完成"]))
def test_dated_deadlines_are_iso_dates(year, month, day, word):
    assert parse_value(f"{year}年{month}月{day}日{word}").deadline == f"{year:04d}-{month:02d}-{day:02d}"
    last = parse_value(f"{year} 年 {month} 月{word}").deadline
    assert last[:8] == f"{year:04d}-{month:02d}-" and int(last[8:]) in (28, 29, 30, 31)


def check_value(value: Value, raw) -> None:
    assert value.raw == raw
    assert value.comparator in V.COMPARATORS
    assert value.confidence in V.CONFIDENCES
    assert value.unit_family is None or value.unit_family in V.UNIT_FAMILIES
    assert (value.value_yuan is not None) == (value.unit_family == "money_yuan")
    assert (value.duration_days is not None) == (value.unit_family == "duration_days")
    if value.comparator in ("text", "qual", "na", "before"):
        assert value.value_num is None


@settings(max_examples=500)
@given(st.text())
def test_parsing_arbitrary_text_never_raises(s):
    check_value(V._parse(s), s)  # the unguarded parser: a crash here is a bug, not a fallback
    check_value(parse_value(s), s)


@settings(max_examples=300)
@given(st.text(alphabet=st.sampled_from(list("0123456789.%-~/年月日前底元万人个≥≤达到超过以上内，、 \n满意度"))))
def test_parsing_value_like_noise_never_raises(s):
    check_value(V._parse(s), s)


@settings(max_examples=300)
@given(st.one_of(st.none(), st.text(), st.sampled_from(sorted(SEED_ACTUALS))),
       st.one_of(st.none(), st.text(), st.sampled_from(sorted(SEED_TARGETS))))
def test_actual_status_never_raises_and_is_documented(actual, target):
    target_value = parse_value(target) if target is not None else None
    assert V._status(actual, target_value) in STATUSES
    assert actual_status(actual, target_value) in STATUSES


NEUTRAL = st.text(alphabet=st.sampled_from(list("发放慰问人员补贴资金，、 ")), max_size=8)


@given(NEUTRAL, st.sampled_from(["达到目标", "完成目标", "达成目标", "达到预期目标", "已完成"]), NEUTRAL)
def test_met_words_decide_whatever_surrounds_them(before_words, words, after_words):
    assert actual_status(before_words + words + after_words, parse_value("100%")) == "met"


@given(NEUTRAL, st.sampled_from(["达到目标", "完成目标"]), st.sampled_from(["未完成", "未达到"]))
def test_a_negative_anywhere_wins(prefix, met_words, negative):
    assert actual_status(f"{prefix}{met_words}，{negative}", None) == "not_met"
