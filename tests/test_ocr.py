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
