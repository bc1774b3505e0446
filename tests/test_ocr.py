"""Scanned pages read by OCR (extract/ocr.py): real Tesseract on real rendered images, no mocks.

The scan sets (samples/eval/scans/, made by samples/build/render_scans.py) carry the hard cases: a
skewed page with a red seal over a text cell, a page upside down, one sideways. Each document is
OCR'd once per session (OCR is slow: a few seconds a page).
"""

from __future__ import annotations

import json
import os
import re
import time

import cv2
import numpy as np
import pypdfium2
import pytest
from PIL import Image, ImageDraw, ImageFont

from extract import ocr
from extract.evaluation import ROOT, expected_records
from extract.identities import identity_warnings
from extract.pipeline import extract_file, extract_files

SCAN = "samples/eval/scans/selfeval_scan_300dpi.pdf"  # page 1: +1.5°, red seal; page 2: upside down
FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"


@pytest.fixture(scope="session")
def scanned():
    os.chdir(ROOT)
    return extract_file(SCAN)


@pytest.fixture(scope="session")
def expected():
    return expected_records({"expected": "samples/eval/scans/selfeval_scan_300dpi.expected.jsonl"})


def page_image(path: str, index: int, dpi: int) -> np.ndarray:
    document = pypdfium2.PdfDocument(str(ROOT / path))
    try:
        return np.array(document[index].render(scale=dpi / 72, grayscale=True).to_pil().convert("L"))
    finally:
        document.close()


def scan_pdf(path, images: list[Image.Image], dpi: int = 200):
    images[0].save(path, "PDF", resolution=dpi, save_all=True, append_images=images[1:])
    return path


def test_records_say_they_were_read_by_ocr(scanned):
    assert scanned.error is None
    assert [r["source"]["ocr"] for r in scanned.records] == [True, True]
    text = extract_file(ROOT / "samples/selfeval_dahongmen_2023.pdf")
    assert "ocr" not in text.records[0]["source"]


def test_the_text_under_the_red_seal_survives(scanned, expected):
    # the seal is stamped over 主管部门's cell of report 1 (render_scans.py)
    assert scanned.records[0]["department"] == expected[0]["department"]
    assert scanned.records[0]["implementing_unit"] == expected[0]["implementing_unit"]


def test_an_upside_down_page_is_turned_and_read(scanned, expected):
    got, want = scanned.records[1], expected[1]
    assert got["source"]["pages"] == [2, 2]
    assert got["phone"] == want["phone"]
    assert [i["weight"] for i in got["indicators"]] == [i["weight"] for i in want["indicators"]]


def test_seal_removal_keeps_black_text_and_drops_red_ink():
    page = np.full((60, 60, 3), 255, np.uint8)
    page[20:40, 10:50] = (40, 40, 210)  # red ink (BGR)
    page[28:32, 5:55] = 0  # a black stroke, partly under the red
    gray = ocr._without_seal(page)
    assert gray[30, 30] < 60 and gray[30, 7] < 60  # text stays dark, under the seal too
    assert gray[22, 30] > 180  # the seal is as light as paper


@pytest.mark.parametrize("angle", [2.5, -1.5])
def test_deskew_finds_the_angle_of_a_skewed_page(angle):
    gray = page_image("samples/selfeval_dahongmen_2023.pdf", 0, 150)
    skewed = ocr._rotate(gray, angle)
    assert abs(ocr._skew_angle(skewed) + angle) <= 0.15


def test_a_sideways_page_is_turned_upright():
    gray = page_image("samples/selfeval_dahongmen_2023.pdf", 0, 200)
    sideways = cv2.rotate(gray, cv2.ROTATE_90_COUNTERCLOCKWISE)
    upright = ocr._upright(cv2.resize(sideways, None, fx=1.5, fy=1.5))  # at working resolution
    assert upright.shape[0] > upright.shape[1]
    back = cv2.resize(upright, (gray.shape[1], gray.shape[0]))
    assert np.corrcoef(back.ravel().astype(float), gray.ravel().astype(float))[0, 1] > 0.8


def test_a_scanned_letter_has_no_report_table(tmp_path):
    letter = Image.new("L", (1240, 1754), 250)
    pen = ImageDraw.Draw(letter)
    font = ImageFont.truetype(FONT, 36)
    for i, line in enumerate(["关于报送2023年度绩效自评结果的函", "各有关单位：", "现将有关事项通知如下，请遵照执行。"]):
        pen.text((120, 200 + i * 80), line, font=font, fill=20)
    doc = extract_file(scan_pdf(tmp_path / "letter.pdf", [letter], dpi=150))
    assert doc.error.startswith("no report table found")


def test_a_blank_scan_says_ocr_found_nothing(tmp_path):
    blank = Image.new("L", (1240, 1754), 245)
    doc = extract_file(scan_pdf(tmp_path / "blank.pdf", [blank], dpi=150))
    assert "not even by OCR" in doc.error


def test_a_low_confidence_number_is_warned_about_by_its_cell(monkeypatch):
    from extract.pdf import read_pdf

    monkeypatch.setattr(ocr, "LOW_CONFIDENCE", 101)  # every number is doubted: each warning names its cell
    layout = next(read_pdf(ROOT / "samples/eval/scans/selfeval_scan_300dpi.pdf", 1, 2))  # page 2
    assert layout.reader == "ocr"
    pattern = re.compile(r"OCR low confidence \((\d+)\) on page 2, row '年度资金总额', column '全年执行数': '3'")
    assert any(pattern.fullmatch(w) for w in layout.warnings), layout.warnings


def test_a_misread_number_breaks_an_identity_and_is_named(expected):
    record = {**json.loads(json.dumps(expected[0])), "source": {"pages": [1, 1]}}
    assert identity_warnings(record) == []
    record["funding"][0]["label"] = "年度资金总额"  # as contract v2 records carry it
    record["funding"][0]["executed"] = 0.3  # as if 0.5 had been read 0.3
    assert identity_warnings(record) == [
        "identity broken on page 1: row '年度资金总额', 执行率 100.0% ≠ 全年执行数 / 全年预算数 0.3 / 0.5 = 60.0%"]
    record["indicators"][0]["score"] = 70
    assert any("indicator row '发放人数', 得分 70 above its 分值 20" in w for w in identity_warnings(record))
    assert any("row '总分', 得分 100" in w for w in identity_warnings(record))


def test_a_huge_scanned_image_is_refused_with_its_size(monkeypatch):
    monkeypatch.setattr(ocr, "MAX_IMAGE_PIXELS", 1_000_000)  # the 300 dpi scan's 8.7 M pixels are "too many"
    doc = extract_file(ROOT / SCAN)
    assert re.match(r"page 1: scanned image of \d+×\d+ pixels is too large to OCR", doc.error)


def _orphan_tesseracts() -> list[int]:
    """Tesseract processes whose parent has gone (reparented to init)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{entry}/comm") as fh:
                name = fh.read().strip()
        except OSError:
            continue
        if name == "tesseract" and fields[1] == "1" and fields[0] != "Z":  # a zombie is dead already
            found.append(int(entry))
    return found


def test_a_timeout_kills_tesseract_with_the_worker(monkeypatch):
    monkeypatch.setenv("JIXIAO_PARSE_TIMEOUT", "2")
    before = set(_orphan_tesseracts())
    (doc,) = list(extract_files([ROOT / "samples/eval/scans/targets_scan_150dpi.pdf"], jobs=1))
    assert "parsing took longer than 2 s" in doc.error
    time.sleep(0.5)
    assert set(_orphan_tesseracts()) - before == set()


def read_cells(texts: list[str], dpi: int) -> list[str]:
    """Each text printed (9 pt, WenQuanYi as the samples) in a cell of its own, scanned at ``dpi``
    and brought to the working resolution as ``read_scanned_page`` does, then OCR'd: the cells' text."""
    from extract.layout import Cell

    width, row = 260, 30  # points
    image = Image.new("L", (int(width * dpi / 72), int(row * len(texts) * dpi / 72)), 255)
    pen = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, round(9 * dpi / 72))
    for i, text in enumerate(texts):
        pen.text((10 * dpi / 72, (i * row + 10) * dpi / 72), text, font=font, fill=0)
    scale = ocr.WORK_DPI / dpi
    gray = cv2.resize(np.array(image), None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
    px = ocr.WORK_DPI / 72
    cells = [Cell(0, i * row, width, (i + 1) * row) for i in range(len(texts))]
    regions = [ocr._Region(cell=cell, box=ocr._inside(cell, px)) for cell in cells]
    ocr._read_regions(gray, ocr._binarize(gray), regions, px)
    for region in regions:
        ocr._fill_cell(region, px)
    return [cell.text for cell in cells]


def glyph(char: str, dpi: int) -> np.ndarray:
    size = round(9 * dpi / 72)
    image = Image.new("L", (2 * size, 2 * size), 255)
    ImageDraw.Draw(image).text((size // 2, size // 2), char, font=ImageFont.truetype(FONT, size), fill=0)
    gray = cv2.resize(np.array(image), None, fx=ocr.WORK_DPI / dpi, fy=ocr.WORK_DPI / dpi,
                      interpolation=cv2.INTER_CUBIC)
    return ocr._glyph_at(gray, (0, 0, gray.shape[1], gray.shape[0]), 0)[0]


@pytest.mark.parametrize("dpi", [150, 200, 300])
def test_a_comparator_is_told_by_its_glyph(dpi):
    # chi_sim has no ≥ or ≤: it read them 二, =, 主, 过, 定, 宇 …, and 150 dpi joined the bar to the chevron
    assert [ocr._comparator_shape(glyph(c, dpi)) for c in "≥≤><"] == list("≥≤><")
    assert [ocr._comparator_shape(glyph(c, dpi)) for c in "=二三主过定2734办少个"] == [None] * 13


def test_comparators_numbers_and_codes_are_read_whole():
    # at 200 dpi the Chinese model alone read these "二 95%" (or "二959%"), "L人", "13020824P000219100011"
    texts = ["≥95%", "≤3500元/月", "≥14个", "≥1人", "达到 95%", "13020824P00021910001J"]
    assert read_cells(texts, 200) == texts


def test_a_label_one_unsure_character_off_is_put_right():
    def words(*pairs):
        return [(0, {"text": text, "conf": conf}) for text, conf in pairs]

    misread = words(("年度", 93), ("资金", 96), ("总", 92), ("客", 55))
    assert ocr._as_label("年度资金总客", misread) == "年度资金总额"
    assert ocr._as_label("其中：当年财政氢款", words(("其中", 90), ("：当年财政", 91), ("氢", 45), ("款", 90))) \
        == "其中：当年财政拨款"
    # read with confidence, the character stays: it may be a value one character from a label
    assert ocr._as_label("年度资金总客", words(("年度资金总客", 96))) == "年度资金总客"
    # a label of four characters is too short to tell: 时效指标 read 的效指标 is not the label 绩效指标
    assert ocr._as_label("的效指标", words(("的", 40), ("效指标", 95))) == "的效指标"


def test_the_second_look_keeps_the_surer_reading(monkeypatch):
    def region(text, conf):
        r = ocr._Region(box=(0, 0, 100, 30))
        r.segments = [(0, 0, 100, 30)]
        r.words = [(0, {"text": text, "conf": conf, "left": 0, "width": 100, "height": 30, "top": 0})]
        ocr._collect(r)
        return r

    sure, unsure, worse = region("日常工作", 95), region("月常工作", 50), region("文件要求", 60)
    second = {id(unsure): ("日常工作", 88), id(worse): ("文件机求", 30)}
    looked = []

    def read_stack(gray, stack, lang=ocr.LANG, config="", scale=1):
        assert scale == ocr.SECOND_LOOK_SCALE
        for r in stack:
            looked.append(r)
            text, conf = second[id(r)]
            r.words = [(0, {"text": text, "conf": conf, "left": 0, "width": 100, "height": 30, "top": 0})]

    monkeypatch.setattr(ocr, "_read_stack", read_stack)
    ocr._second_look(np.full((30, 100), 255, np.uint8), [sure, unsure, worse])
    assert looked == [unsure, worse]  # only what Tesseract was unsure of is read again
    assert [(r.lines[0][3], r.confidence) for r in (sure, unsure, worse)] == [
        ("日常工作", 95), ("日常工作", 88), ("文件要求", 60)]
