"""Cell text and values per the contract's common rules."""

import os

import pytest

from extract import labels as L
from extract.document import Document, path_text
from extract.text import join_lines, map_text, number_value, text_value, valid_unicode


@pytest.mark.parametrize("lines, joined", [
    (["年初预", "算数"], "年初预算数"),
    (["≤839.68118 万", "元"], "≤839.68118 万元"),
    (["完成 95%", "以上"], "完成 95%以上"),
    (["Hello", "world"], "Hello world"),
    (["2023 年，为 5名家庭困难高龄老人发放重阳节慰问", "金，每人 1000 元"], "2023 年，为 5名家庭困难高龄老人发放重阳节慰问金，每人 1000 元"),
    (["绩", "效", "指", "标"], "绩效指标"),
    (["用于 2023-", "2024 年采暖季"], "用于 2023-2024 年采暖季"),  # a break after a hyphen (LibreOffice)
    ([], ""),
])
def test_join_lines(lines, joined):
    assert join_lines(lines) == joined


@pytest.mark.parametrize("cell, value", [
    ("100%", (1.0, None)), ("80.5%", (0.805, None)), ("95.5%", (0.955, None)),
    ("0.5", (0.5, None)), ("1168.685052", (1168.685052, None)), ("10", (10, None)),
    ("—", (None, None)), ("", (None, None)), (None, (None, None)), ("/", (None, None)),
    ("不适用", (None, "不适用")), ("１００％", (1.0, None)), ("3,457.17", (3457.17, None)),
    ("9" * 400, (None, "9" * 400)), ("9" * 400 + "%", (None, "9" * 400 + "%")),  # was Infinity
])
def test_number_value(cell, value):
    assert number_value(cell) == value


def test_text_value_keeps_words_and_drops_dashes():
    assert text_value(" 达到目标 ") == "达到目标"
    assert text_value("——") is None
    assert text_value("一") == "一"  # the numeral one is text, not a dash


@pytest.mark.parametrize("label, field", [
    ("年初预\n算数", "initial_budget"), ("调整后预算数", "annual_budget"), ("预算执行数", "executed"),
    ("权重（%）", "weight"), ("执行率", "execution_rate"),
])
def test_funding_label_variants(label, field):
    assert L.match(label, L.SE_FUNDING_COLUMNS) == field


@pytest.mark.parametrize("label, field", [
    ("年度指标值", "target"), ("年度目标值", "target"), ("指标值", "target"),
    ("全年实际值", "actual"), ("完成值", "actual"), ("分值", "weight"), ("权重", "weight"),
    ("未完成原因分析及改进措施", "deviation"), ("原因", "deviation"),
])
def test_indicator_label_variants(label, field):
    assert L.match(label, L.SE_INDICATOR_COLUMNS) == field


def test_label_variants_do_not_match_longer_labels():
    assert L.match("指标值确定依据", L.TT_INDICATOR_COLUMNS) == "basis"
    assert L.match("指标值确定依据", L.SE_INDICATOR_COLUMNS) is None
    assert L.match("其中：当年财政拨款", L.SE_FUNDING_ROWS) == "current_year"


def test_text_from_hostile_fonts_and_file_names_is_valid_unicode():
    # a lone surrogate (a ToUnicode bfrange number) → U+FFFD; a pair written as two halves is joined
    assert map_text({"a": ["x\ud800y", "\ud83d\ude00"], "b": 1}, valid_unicode) == {"a": ["x\ufffdy", "😀"], "b": 1}
    # a GBK file name as the file system hands it over (surrogate escapes) → its Chinese name
    gbk = os.fsdecode("/收件箱/".encode() + "绩效目标表.pdf".encode("gbk"))
    assert path_text(gbk) == "/收件箱/绩效目标表.pdf" and Document(gbk, "").file == "/收件箱/绩效目标表.pdf"
    assert path_text(os.fsdecode(b"/in/\xff\xfe.pdf")) == "/in/\\xff\\xfe.pdf"
    assert path_text("/in/a.pdf") == "/in/a.pdf"
