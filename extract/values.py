"""Normalise the value cells of indicator rows: 年度指标值 / 指标值 (targets) and 实际完成值 (actuals).

``parse_value(text)`` reads one cell into a :class:`Value` (comparator, number, unit, money in
yuan, duration in days, deadline, grade); ``actual_status(actual, target)`` says whether an actual
cell reports the target as met. Both are called at raw-load time for every indicator row, so they
never raise, are deterministic and do only a handful of regex matches per cell. Stdlib only.

Reading order of a cell (domain reference §3, checked against the two transcribed seeds):

1. NFKC (full-width ％ ＞ ＜ ＝ ， and digits), ≧/≦/>=/<= folded to ≥/≤, then the whitespace that
   wrapping inserted is removed — except between two digits ("1168.6 85052" may be two numbers:
   it stays two numbers and the cell becomes low-confidence text) and between two Latin letters.
2. Empty, dashes, "/" or 不适用 → ``na``. 优/良/中/差 → ``qual`` with ``grade``.
3. A cell with digits is split into clauses at ，；。. Exactly one clause may hold digits; the
   others must be word-only qualifiers ("发放 4 人，达到目标", "63 人，根据实际情况增减").
   That clause is read as a date ("2023 年 12 月前完成" → ``before``) or as
   [subject][每…][comparator]number[unit][/period][以上|以内…][trailing noun].
   Anything else with digits is ``text`` with low confidence: prose with several counts
   ("用于街道 19 个社区 3 个村的…") keeps ``value_num`` None.
4. A cell without digits is an event deadline ("重阳节前完成" → ``before``, event 重阳节), a
   qualitative criterion ("按时足额发放", "不超预算" → ``qual``) or descriptive ``text``.

Units. ``unit`` is canonical: 名/位 → 人, 平米/㎡/m2 → 平方米, 个月 → 月, 日 → 天, 万 → 万元,
千米/km → 公里, 百分比 → %. 人次 is a ``count`` (visits, not distinct people).
Areas keep the printed number and unit: 亩 stays 亩 in family ``area_m2`` (1 亩 ≈ 666.67 m²; no
conversion is stored), as 公里 stays 公里 in ``length_m``. Money is never scaled by magnitude:
only the printed unit (元, 千元, 万元, 万 = 万元, 亿元) decides ``value_yuan``.

Prices per entity ("每户 5000 元", "57 元一个", "元/人") are money with ``value_yuan`` set and
``value_annual_yuan`` None: the yearly total depends on a count the cell does not give.

Dates. ``deadline`` is an ISO date: the day printed, else the last day of the printed month, else
31 December of the printed year ("2023 年 12 月前完成" → 2023-12-31, as agreed, although read
literally "before December" ends on 30 November). Without a year (“11 月底前”) it is None. A bare
date ("23 年 12 月") is comparator ``=`` in family ``date`` and its date is also put in
``deadline``. Two-digit years are 20YY (medium confidence).

Confidence. ``high``: the whole cell is one known form. ``medium``: a known form with words around
it (a subject such as 满意度 or 发放, a trailing noun, 约, a 2-digit year, a qualitative keyword
rather than an exact phrase, a price per entity). ``low``: a guess, or ``text`` that holds digits
or Chinese numerals with a measure word (a value may be hiding in it). Word-only prose is ``text``
with high confidence: there is no value in it to miss.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache

NORMALISER_VERSION = "1"

COMPARATORS = (">=", "<=", "=", ">", "<", "between", "before", "qual", "text", "na")
UNIT_FAMILIES = ("people", "households", "count", "money_yuan", "percent", "duration_days", "date",
                 "area_m2", "length_m", "qualitative", "text")
CONFIDENCES = ("high", "medium", "low")
# "unknown" is the seventh status: an actual that is neither status words nor a number comparable
# with the target ("效果良好", "根据实际审核人数发放", a number without a target). It is not "met".
STATUSES = ("met", "basically_met", "not_met", "not_done", "not_applicable", "blank", "unknown")


@dataclass(frozen=True)
class Value:
    raw: str | None
    comparator: str
    value_num: Decimal | None
    value_num_hi: Decimal | None
    unit: str | None
    unit_family: str | None
    period: str | None
    value_yuan: Decimal | None
    value_annual_yuan: Decimal | None
    duration_days: Decimal | None
    deadline: str | None
    event: str | None
    grade: str | None
    strict: bool
    confidence: str


# --------------------------------------------------------------------------------------------
# Lexicon

# Comparator words before the number → (comparator, strict). Strict words (超过, 大于, 低于 ...)
# are read as the inclusive comparator with strict=True: the seeds use 超过 95% where ≥ 95% is
# meant, and a strict reading would fail a 95% actual. Literal > and < keep their own comparator.
_CMP_WORDS = {
    "≥": (">=", False), "不低于": (">=", False), "不少于": (">=", False), "大于等于": (">=", False),
    "大于或等于": (">=", False), "至少": (">=", False), "最少": (">=", False), "达到": (">=", False),
    "达": (">=", False), "超过": (">=", True), "大于": (">=", True), "高于": (">=", True),
    "多于": (">=", True),
    "≤": ("<=", False), "不超过": ("<=", False), "不超": ("<=", False), "不高于": ("<=", False),
    "不多于": ("<=", False), "不大于": ("<=", False), "小于等于": ("<=", False),
    "小于或等于": ("<=", False), "至多": ("<=", False), "最多": ("<=", False),
    "低于": ("<=", True), "少于": ("<=", True), "小于": ("<=", True), "不足": ("<=", True),
    ">": (">", False), "<": ("<", False),
    "=": ("=", False), "为": ("=", False), "共计": ("=", False), "共": ("=", False),
    "约为": ("=", False), "约": ("=", False),
}
_APPROX = {"约为", "约", "左右"}
# Words after the number: 90%以上 is ≥ 90%, 5 天以内 is ≤ 5 天, 5 人左右 is about 5.
_SUFFIX_CMP = {"及以上": ">=", "以上": ">=", "及以下": "<=", "以下": "<=", "以内": "<=",
               "之内": "<=", "内": "<=", "左右": "="}

_MONEY = {"亿元": 10**8, "万元": 10**4, "千元": 1000, "元": 1}
_DAYS = {"年": 365, "月": 30, "周": 7, "天": 1, "工作日": 1}
_COUNT_UNITS = "个 次 项 场 辆 间 所 家 批 座 条 支 本 台 套 处 件 份 期 棵 株 篇 张 块 只 组".split()
# printed unit → (canonical unit, family)
_UNITS = {
    "亿元": ("亿元", "money_yuan"), "万元": ("万元", "money_yuan"), "千元": ("千元", "money_yuan"),
    "元": ("元", "money_yuan"), "万": ("万元", "money_yuan"),
    "%": ("%", "percent"), "百分比": ("%", "percent"),
    "人次": ("人次", "count"), "人": ("人", "people"), "名": ("人", "people"), "位": ("人", "people"),
    "户": ("户", "households"),
    "个工作日": ("工作日", "duration_days"), "工作日": ("工作日", "duration_days"),
    "个月": ("月", "duration_days"), "月": ("月", "duration_days"), "年": ("年", "duration_days"),
    "周": ("周", "duration_days"), "星期": ("周", "duration_days"), "天": ("天", "duration_days"),
    "日": ("天", "duration_days"),
    "平方米": ("平方米", "area_m2"), "平米": ("平方米", "area_m2"), "m2": ("平方米", "area_m2"),
    "亩": ("亩", "area_m2"),
    "公里": ("公里", "length_m"), "千米": ("公里", "length_m"), "km": ("公里", "length_m"),
    "米": ("米", "length_m"), "m": ("米", "length_m"),
    **{u: (u, "count") for u in _COUNT_UNITS},
}
_PERIODS = {"月": "month", "季度": "quarter", "季": "quarter", "年": "year"}
_PERIOD_FACTOR = {"month": 12, "quarter": 4, "year": 1, None: 1}
_PER_ENTITY = ["人次", "人", "户", "个", "次", "辆", "本", "平方米", "平米", "台", "件", "间", "所",
               "家", "位", "名"]
_GRADES = {"优": "优", "优秀": "优", "良": "良", "良好": "良", "中": "中", "中等": "中",
           "差": "差", "较差": "差"}
_EVENTS = ["春节", "元旦", "元宵节", "清明节", "端午节", "中秋节", "重阳节", "国庆节", "七一", "八一",
           "夏季", "冬季", "春季", "秋季", "采暖季", "供暖季", "汛期", "年底", "年末", "年中"]
# The qualitative criteria the domain reference lists verbatim (high confidence).
_QUAL_EXACT = {"按时足额发放", "在预算范围内", "不超预算", "不超过预算", "按照预算标准", "按时支付"}


def _alt(words) -> str:
    """A regex alternation that tries longer words first (不超过 before 不超, 个月 before 个)."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


# --------------------------------------------------------------------------------------------
# Patterns

# Characters of a subject or trailing noun: CJK and the quotes/brackets that occur in names.
_WORD = r"[\u3400-\u9fff\u201c\u201d\"《》()]"
# A number as printed; thousands separators are removed before matching.
_NUM = r"\d+(?:\.\d+)?"
# 万 alone is 万元, but only where no other unit follows ("5万人" is not money): end of cell,
# a period slash, or a suffix word.
_UNIT = "|".join([_alt(u for u in _UNITS if u != "万"), r"万(?=$|/|以|之|内|左右)"])
_PERIOD = _alt(_PERIODS)
_PER = _alt(_PER_ENTITY)

# The number form of one clause. fullmatch, so nothing is skipped silently. The subject is lazy,
# so a comparator word right before the number is read as a comparator, not as part of the subject.
_NUMBER_CELL = re.compile(rf"""
    (?P<label>{_WORD}{{0,12}}?)                    # subject: 满意度, 好评率, 发放, 残疾人机动轮椅车主
    (?:每(?P<per0>{_PER}))?                         # 每户 5000 元: a price per entity
    (?:每(?P<period0>{_PERIOD}))?                   # 每月 3500 元
    (?P<cmp>{_alt(_CMP_WORDS)})?
    (?P<num>{_NUM})
    (?:(?P<unit_lo>{_UNIT})?[-~至到](?P<num_hi>{_NUM}))?   # 80%-90%, 80~90%: a range
    (?P<unit>{_UNIT})?
    (?:/(?:(?P<period>{_PERIOD})|(?P<per>{_PER})))?  # 元/月, 万元/季度; 元/人 is per entity
    (?P<suffix>{_alt(_SUFFIX_CMP)})?
    (?P<tail>{_WORD}{{0,10}})                       # 35 名调查人员, 110 人根据实际情况增减
""", re.X)
# "57 元一个": a price per entity written after the number.
_TAIL_PER = re.compile(rf"[一每](?:{_PER})")
# Words that turn a subject or trailing noun against the number (不足 5 人 is not 5 人).
_NEGATION = re.compile(r"[不未非没无]")

# A date clause: 2023 年 12 月 31 日, 23 年 12 月, 2023.12, 12 月 (the last needs 底/前), then
# 底 / 前 / 完成… . "2023 年完成" counts as before 31 Dec 2023 (domain reference §3.3).
_DATE_CELL = re.compile(rf"""
    (?P<label>{_WORD}{{0,8}}?)
    (?:
        (?P<y>\d{{4}}|\d{{2}})年(?:(?P<m>\d{{1,2}})月(?:(?P<d>\d{{1,2}})[日号])?)?
      | (?P<y2>\d{{4}})[./-](?P<m2>\d{{1,2}})(?:[./-](?P<d2>\d{{1,2}}))?
      | (?P<m3>\d{{1,2}})月(?:(?P<d3>\d{{1,2}})[日号])?
    )
    (?P<edge>年底|年末|月底|月末|底|末)?
    (?P<before>之前|以前|前)?
    (?P<tail>{_WORD}{{0,8}})
""", re.X)
# After a bare date, a completion verb makes it a deadline: 2023 年完成支付, 2023 年年底前全部完成.
_DONE_TAIL = re.compile(r"(?:全部)?(?:完成|结束|完毕)")

_EVENT_CELL = re.compile(rf"(?P<event>{_alt(_EVENTS)})(?P<before>之前|以前|前)?(?P<tail>{_WORD}{{0,8}})")
# Without 前 an event is a deadline only when a delivery verb follows ("夏季按时发放").
_DELIVERY = re.compile(r"完成|发放|拨付|支付|到位|慰问")

# Qualitative criteria (a pass/fail check, no value): budget bounds, timeliness, standards,
# acceptance, completion. Only for short cells; long sentences are descriptive text.
_QUAL_MAX_LEN = 20
_QUAL_KEYWORDS = re.compile(r"""
    不超(?:过)?.{0,6}预算 | 预算.{0,4}内 | 在.{0,8}(?:标准|范围)(?:之)?内
  | 按(?:照)?.{0,10}(?:标准|要求|规定|预算|合同)
  | (?:根据|依据|依照|执行).{0,12}(?:标准|要求|规定|金额)
  | 符合.{0,12}(?:标准|要求) | (?:达到|达成|完成|实现).{0,12}(?:标准|要求|目标|指标)
  | 通过.{0,6}验收
  | 按时|及时|按月|按季度|按期|如期|准时|足额|到位|保质保量|应补尽补|依申请|按需
  | ^(?:已)?完成
""", re.X)
# Chinese numerals with a measure word: a count we do not read ("一位法律顾问", "两个村").
_CJK_COUNT = re.compile(r"[一二两三四五六七八九十百千万]+[个位名人户次项场辆座条支本家]")

_NA = re.compile(r"[-—–―─/\\]+|不适用|N/?A", re.I)
_DIGIT = re.compile(r"\d")
_CLAUSE_SPLIT = re.compile(r"[,;。!?]")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_WHITESPACE = re.compile(r"\s+")
_PERCENT_WORD = re.compile(rf"百分之({_NUM})")  # 百分之95 → 95%
_FOLD = str.maketrans({"≧": "≥", "≦": "≤", "〜": "~", "∼": "~", "−": "-", "﹣": "-", "–": "-"})


# --------------------------------------------------------------------------------------------
# Normalisation


def normalise(text: str | None) -> str:
    """NFKC, comparator symbols folded, wrap whitespace removed, thousands separators dropped.

    Whitespace is kept (as one space) only between two digits or two Latin letters: there it may
    separate two tokens, so joining would invent a number.
    """
    if text is not None and not isinstance(text, str):
        text = str(text)  # a number where a cell's text was expected
    s = unicodedata.normalize("NFKC", text or "").translate(_FOLD)
    s = s.replace(">=", "≥").replace("<=", "≤").strip()
    s = _WHITESPACE.sub(lambda m: _join_space(m.string, m.start(), m.end()), s)
    if "百分之" in s:
        s = _PERCENT_WORD.sub(r"\1%", s)
    return _THOUSANDS.sub("", s) if "," in s else s


def _join_space(s: str, start: int, end: int) -> str:
    before, after = s[start - 1:start], s[end:end + 1]
    if (before.isdigit() and after.isdigit()) or (_is_latin(before) and _is_latin(after)):
        return " "
    return ""


def _is_latin(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()


# --------------------------------------------------------------------------------------------
# Parsing


def parse_value(text: str | None) -> Value:
    """Read one target or actual cell. Never raises: an input nothing foresaw is low-confidence text."""
    try:
        return _parse(text)
    except Exception:  # noqa: BLE001 — load time must not stop on one odd cell
        return _text(text, "low")


@lru_cache(maxsize=1 << 16)
def _parse(text: str | None) -> Value:
    s = normalise(text)
    if not s or _NA.fullmatch(s.rstrip("。.")):
        return _make(text, "na", confidence="high")
    if s in _GRADES:
        return _make(text, "qual", unit_family="qualitative", grade=_GRADES[s], confidence="high")
    if not _DIGIT.search(s):
        return _parse_words(text, s)
    clauses = [c for c in _CLAUSE_SPLIT.split(s) if c]
    numeric = [c for c in clauses if _DIGIT.search(c)]
    if len(numeric) != 1:
        return _text(text, "low")
    value = _parse_date(text, numeric[0]) or _parse_number(text, numeric[0])
    if value is None:
        return _text(text, "low")
    if len(clauses) > 1:  # other word-only clauses: a qualifier beside the value
        value = replace(value, confidence=_lower(value.confidence))
    return value


def _parse_words(raw: str | None, s: str) -> Value:
    event = _EVENT_CELL.fullmatch(s)
    if event and (event["before"] or not event["tail"] or _DELIVERY.search(event["tail"])):
        conf = "high" if event["before"] else "medium"  # "夏季按时发放": no 前, a reading
        return _make(raw, "before", unit="日期", unit_family="date", event=event["event"], confidence=conf)
    if s.startswith("全部") and not _NEGATION.search(s):
        # 全部 is "all of them" (domain lexicon: =): 100 %, a reading, hence low confidence.
        return _make(raw, "=", Decimal(100), unit="%", unit_family="percent", confidence="low")
    if s in _QUAL_EXACT:
        return _make(raw, "qual", unit_family="qualitative", confidence="high")
    if len(s) <= _QUAL_MAX_LEN and _QUAL_KEYWORDS.search(s):
        return _make(raw, "qual", unit_family="qualitative", confidence="medium")
    return _text(raw, "low" if _CJK_COUNT.search(s) else "high")


def _parse_date(raw: str | None, s: str) -> Value | None:
    m = _DATE_CELL.fullmatch(s)
    if not m:
        return None
    year_text = m["y"] or m["y2"]
    month_text = m["m"] or m["m2"] or m["m3"]
    day_text = m["d"] or m["d2"] or m["d3"]
    done = bool(m["tail"]) and _DONE_TAIL.match(m["tail"]) is not None
    before = bool(m["before"] or m["edge"] or done)
    if m["tail"] and not before:
        return None  # "2022 年达到目标": a year inside a sentence, not a date cell
    if not before and (m["m3"] or m["y2"] and not day_text or m["y"] and len(m["y"]) == 2 and not m["m"]):
        return None  # bare "12月", "2023.12" (a decimal?), "12年" (a duration?): not read as dates
    year = int(year_text) if year_text else None
    if year is not None and year < 100:
        year += 2000
    if year is not None and not 1990 <= year <= 2100:
        return None
    deadline = _deadline(year, int(month_text) if month_text else None, int(day_text) if day_text else None)
    if deadline is False:
        return None  # 13 月, 2 月 30 日
    conf = "high"
    if year is None or len(year_text) == 2 or m["label"] or m["tail"] and not done:
        conf = "medium"
    return _make(raw, "before" if before else "=", unit="日期", unit_family="date",
                 deadline=deadline, confidence=conf)


def _deadline(year: int | None, month: int | None, day: int | None) -> str | None | bool:
    """ISO date of the printed day, else the month's last day, else 31 Dec; None without a year;
    False when the printed date does not exist."""
    if month is not None and not 1 <= month <= 12 or day is not None and not 1 <= day <= 31:
        return False
    if year is None:
        return None
    try:
        if day is not None:
            return date(year, month or 12, day).isoformat()
        if month is not None:
            first_of_next = date(year + month // 12, month % 12 + 1, 1)
            return (first_of_next - timedelta(days=1)).isoformat()
        return date(year, 12, 31).isoformat()
    except ValueError:
        return False


def _parse_number(raw: str | None, s: str) -> Value | None:
    m = _NUMBER_CELL.fullmatch(s)
    if not m:
        return None
    label, tail = m["label"], m["tail"]
    if _NEGATION.search(label) or _NEGATION.search(tail) or label.endswith("第"):
        return None  # 不足/未… in the words, or an ordinal (第 3 批): not a plain value
    if tail.startswith(("前", "后", "底", "之前", "以前")):
        return None  # "15日前" and the like: a date we cannot place
    printed_unit = m["unit"] or m["unit_lo"]
    if m["unit"] and m["unit_lo"] and _UNITS[m["unit"]] != _UNITS[m["unit_lo"]]:
        return None  # "5人-10户"
    if printed_unit is None and tail:
        return None  # "11 号房租", "2党群站点": a number without a unit inside words
    unit, family = _UNITS[printed_unit] if printed_unit else (None, None)
    num = Decimal(m["num"])
    hi = Decimal(m["num_hi"]) if m["num_hi"] else None
    if unit == "年" and (num >= 1000 or hi is not None and hi >= 1000):
        return None  # a year ("2023-2024 年采暖季"), not a duration

    comparator, strict = _CMP_WORDS.get(m["cmp"], ("=", False)) if m["cmp"] else ("=", False)
    suffix = _SUFFIX_CMP.get(m["suffix"]) if m["suffix"] else None
    conf = "high"
    if hi is not None:
        if m["cmp"] or suffix:
            return None  # "≥80-90%": a range with a comparator is not a known form
        comparator = "between"
        if hi < num:
            conf = "low"
    elif suffix and suffix != "=":
        if m["cmp"] and comparator != suffix:
            conf = "low"  # "不超过 5 人以上": the two words disagree; keep the first
        elif not m["cmp"]:
            comparator = suffix
    if m["cmp"] in _APPROX or m["suffix"] in _APPROX:
        conf = "medium"
    if label or tail:
        conf = _lower(conf) if conf != "high" else "medium"

    period = _PERIODS.get(m["period"] or m["period0"] or "")
    per_entity = m["per"] or m["per0"] or (_TAIL_PER.fullmatch(tail) and tail[1:])
    if per_entity and conf == "high":
        conf = "medium"

    value_yuan = annual = days = None
    if family == "money_yuan":
        value_yuan = num * _MONEY[unit]
        annual = None if per_entity else value_yuan * _PERIOD_FACTOR[period]
    elif family == "duration_days":
        days = num * _DAYS[unit]
    return Value(raw=raw, comparator=comparator, value_num=num, value_num_hi=hi, unit=unit,
                 unit_family=family, period=period, value_yuan=value_yuan, value_annual_yuan=annual,
                 duration_days=days, deadline=None, event=None, grade=None, strict=strict,
                 confidence=conf)


def _make(raw, comparator, value_num=None, *, unit=None, unit_family=None, deadline=None, event=None,
          grade=None, confidence) -> Value:
    return Value(raw=raw, comparator=comparator, value_num=value_num, value_num_hi=None, unit=unit,
                 unit_family=unit_family, period=None, value_yuan=None, value_annual_yuan=None,
                 duration_days=None, deadline=deadline, event=event, grade=grade, strict=False,
                 confidence=confidence)


def _text(raw: str | None, confidence: str) -> Value:
    return _make(raw, "text", unit_family="text", confidence=confidence)


def _lower(confidence: str) -> str:
    return {"high": "medium", "medium": "low", "low": "low"}[confidence]


def parse_target(text: str | None, label: str | None = None) -> Value:
    """A target cell read together with its row's 三级指标 label.

    Seed 000 prints the comparator of cost and time targets in the 三级指标 column: label
    "≤1168.685052 万元", target cell "1168.685052 万元"; label "≤1年", target "1 年". When the target
    is a bare "=" value and the label is the same number and unit family with ≤ / ≥ / < / >, the
    label's comparator is taken (confidence medium: it came from the neighbouring cell).
    """
    value = parse_value(text)
    if label is None or value.comparator != "=" or value.value_num is None:
        return value
    hint = parse_value(label)
    if (hint.comparator in (">=", "<=", ">", "<") and hint.value_num == value.value_num
            and hint.unit_family == value.unit_family and hint.period == value.period):
        return replace(value, comparator=hint.comparator, strict=hint.strict,
                       confidence=_lower(value.confidence) if value.confidence != "high" else "medium")
    return value


# --------------------------------------------------------------------------------------------
# Actual status

# Status words, checked in this order so that a negative anywhere wins over a positive elsewhere:
# "2022 年达到目标，2023 年未完成年度指标" is not_met, "发放 4 人，达到目标" is met.
_NOT_DONE = re.compile(r"未做|未开展|未进行|未实施|未组织|没有开展")
_NOT_MET = re.compile(r"未完成|未达到|未达成|未达标|未实现|没有完成|没有达到|未能")
_BASICALLY = re.compile(r"基本(?:达到|完成|达成|实现)")
# 完成率 / 达标率 are the names of measures, not claims: "完成率 90%" is a number to compare.
_MET = re.compile(r"(?:达到|完成|达成|实现)(?:预期|既定)?(?:目标|指标)|已完成|已达到|已达成"
                  r"|达标(?!率)|完成(?!率|值|数|情况)")
_COMPARABLE = {">=", "<=", "=", ">", "<", "between"}


def actual_status(actual: str | None, target: Value | None = None) -> str:
    """Status of an 实际完成值 cell, one of :data:`STATUSES`. Never raises.

    Words first (not_done, then not_met, then basically_met, then met); then a number compared
    with a numeric target of the same unit family using the target's comparator (a unitless actual
    such as "110" takes the target's unit, except for money and durations); then a deadline
    compared with the target's deadline; then an actual that restates the target text is met.
    Anything else is "unknown".
    """
    try:
        return _status(actual, target)
    except Exception:  # noqa: BLE001
        return "unknown"


def _status(actual: str | None, target: Value | None) -> str:
    if actual is None or not actual.strip():
        return "blank"
    s = normalise(actual)
    if not s:
        return "blank"
    parsed = parse_value(actual)
    if parsed.comparator == "na":
        return "not_applicable"
    for pattern, status in ((_NOT_DONE, "not_done"), (_NOT_MET, "not_met"),
                            (_BASICALLY, "basically_met"), (_MET, "met")):
        if pattern.search(s):
            return status
    if target is None:
        return "unknown"
    compared = _compare(parsed, target)
    if compared is not None:
        return compared
    if target.raw is not None and normalise(target.raw) == s:
        return "met"  # the actual restates the target ("拆违负责工程质量标准" twice)
    return "unknown"


def _compare(actual: Value, target: Value) -> str | None:
    if target.deadline and actual.deadline and target.comparator in ("before", "="):
        return "met" if actual.deadline <= target.deadline else "not_met"
    if (target.comparator not in _COMPARABLE or actual.comparator not in _COMPARABLE - {"between"}
            or actual.value_num is None or target.value_num is None):
        return None
    family = actual.unit_family
    if family is None and target.unit_family not in ("money_yuan", "duration_days"):
        family = target.unit_family  # "110" under a "110 人" target
    if family != target.unit_family:
        return None
    got, want, want_hi = _magnitude(actual, target)
    if got is None or want is None:
        return None
    ok = {">=": got >= want, ">": got > want, "<=": got <= want, "<": got < want, "=": got == want,
          "between": want_hi is not None and want <= got <= want_hi}[target.comparator]
    return "met" if ok else "not_met"


def _magnitude(actual: Value, target: Value):
    """Comparable numbers: yuan for money (yearly when the periods differ), days for durations."""
    family = target.unit_family
    if family == "money_yuan":
        if actual.period == target.period:
            return actual.value_yuan, target.value_yuan, _hi_yuan(target)
        return actual.value_annual_yuan, target.value_annual_yuan, None
    if family == "duration_days":
        hi = target.value_num_hi * _DAYS[target.unit] if target.value_num_hi is not None else None
        return actual.duration_days, target.duration_days, hi
    return actual.value_num, target.value_num, target.value_num_hi


def _hi_yuan(target: Value) -> Decimal | None:
    return target.value_num_hi * _MONEY[target.unit] if target.value_num_hi is not None else None


# --------------------------------------------------------------------------------------------
# Measures inside prose (部门整体绩效目标: "…占工作任务的比例大于等于95%", "全年不少于10件")

# One [comparator word]number[unit][以上…] run inside a sentence; the lexicon is the cells' own.
_MEASURE = re.compile(rf"(?P<cmp>{_alt(_CMP_WORDS)})?(?P<num>(?<![\d.]){_NUM})(?P<unit>{_UNIT})?"
                      rf"(?P<suffix>{_alt(_SUFFIX_CMP)})?")
_DATE_AFTER = re.compile(r"[底末前日号]")  # "6月底前": a date, not a duration of 6 months


def sentence_measures(text: str | None) -> list[Value]:
    """Every value a sentence states, in order: a number with a comparator word before it, a
    comparator suffix after it, or a unit. Each is read as the cell reader reads a lone value
    (``raw`` is the phrase as normalised); a year ("2024年") and a date ("6月底前") are none. A
    sentence without a number gives []. Never raises."""
    try:
        s = normalise(text)
        found = []
        for m in _MEASURE.finditer(s):
            if not (m["cmp"] or m["unit"] or m["suffix"]) or _DATE_AFTER.match(s, m.end()):
                continue
            value = _parse_number(m.group(0), m.group(0))
            if value is not None:
                found.append(value)
        return found
    except Exception:  # noqa: BLE001 — load time must not stop on one odd sentence
        return []


def sentence_measure(text: str | None) -> Value | None:
    """The value a 绩效指标 sentence ends on (its last measure: "…全年不少于5件，…比例大于等于100%"
    → ≥ 100 %), None when it states none."""
    found = sentence_measures(text)
    return found[-1] if found else None
