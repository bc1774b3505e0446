"""Read a scanned page (an image and no text layer) into the same ``PageLayout`` a text page gives.

The template reader never learns that a page was a scan: it gets ruled cells and loose lines in
PDF points, as from ``layout.read_page``. What is done to the page image, in order:

1. render it with pdfium at the scan's own resolution (at most 300 dpi), and bring it to a working
   resolution of 300 dpi (Tesseract reads CJK poorly below about 20 px a character);
2. grey it with the red seal taken out: a reddish pixel is replaced by its red channel, in which red
   ink is light and the black text under a stamp stays dark;
3. turn it upright (Tesseract's orientation detection, ``--psm 0``) and deskew it (the angle that
   makes the rows of ink, above all the long table rules, sharpest);
4. find the table rules by morphology, snap them to a grid, and make the cells: a cell is a run of
   grid cells bounded by rules on all sides (a missing rule segment between two grid cells merges
   them);
5. OCR every cell, and every strip of text outside the tables, in ONE Tesseract run: the crops are
   stacked into a column with gaps between them, so each line Tesseract finds belongs to one crop.
   One process per page instead of one per cell (a cell-by-cell run paid Tesseract's start and the
   model load, about 0.15 s, a hundred times a page) and each crop is still read on its own;
6. look again where the Chinese model is unsure or blind: the crops with a word it was unsure of
   are read once more at 1.5 times the size and the surer reading is kept (``_second_look``); a
   ≥ or ≤, which the model cannot read at all (二, =, 过 …), is recognised by its glyph's shape
   (``_comparator_shape``); numbers ("95%" of "≥95%" too) and codes (13020824P00021910001J) are
   read again by the English model with only their characters allowed; and a cell one unsure
   character away from a form's label of five characters or more becomes that label (``_as_label``).

Tesseract runs with ``OMP_THREAD_LIMIT=1``: its OpenMP threads make no page faster here, make results
depend on scheduling, and would make two workers fight over the cores. A Tesseract child runs in the
worker's process group, so the pipeline's kill on a timeout ends it too (``tests/test_ocr.py``).

A numeric cell (or a code) read with low confidence becomes a page warning naming the cell (row
and column labels as printed), which ``pipeline._document`` puts on the report.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass

import cv2
import numpy as np
import pypdfium2
import pytesseract

from .layout import Cell, PageLayout, Table, TextLine, make_bands

os.environ["OMP_THREAD_LIMIT"] = "1"  # inherited by every Tesseract child (see the docstring)

WORK_DPI = 300
MAX_RENDER_DPI = 300
MIN_DPI = 70  # below this a scan cannot be read at all (a 10 pt character under 10 pixels)
MAX_IMAGE_PIXELS = 120_000_000  # an embedded image bigger than this (A3 at 600 dpi is 70 M) is refused
MAX_PAGE_PIXELS = 60_000_000  # the page at working resolution (A4 at 300 dpi is 8.7 M, A2 35 M)
LOW_CONFIDENCE = 75  # a numeric cell with a word below this (Tesseract's 0-100) is warned about
SECOND_LOOK_BELOW = 80  # a region with a word below this confidence is read again, larger (90: slower, no better)
SECOND_LOOK_SCALE = 1.5  # how much larger (1.33 and 2 do about as well on the scan sets; 1 is worse)
LANG = "chi_sim"
PSM = int(os.environ.get("JIXIAO_OCR_PSM", 6))


class UnreadableScan(Exception):
    """The scanned page cannot be OCR'd (too large, …); the message names the page and why."""


def needs_ocr(page) -> bool:
    """A page with no text layer and an image on it: a scan (a page with neither is blank)."""
    return not page.chars and bool(page.images)


def read_scanned_page(page) -> PageLayout:
    """OCR one pdfplumber page (``needs_ocr``) into a ``PageLayout`` with ``reader="ocr"``."""
    number = page.page_number
    dpi = _render_dpi(page)
    gray = _without_seal(_render(page, dpi))
    scale = WORK_DPI / dpi
    if abs(scale - 1) > 0.05:
        gray = cv2.resize(gray, None, fx=scale, fy=scale,
                          interpolation=cv2.INTER_CUBIC if scale > 1 else cv2.INTER_AREA)
    gray = _upright(gray)
    gray = _rotate(gray, _skew_angle(gray))
    px = WORK_DPI / 72  # pixels per point
    ink = _binarize(gray)
    horizontal, vertical = _rules(ink, px)
    tables = [table for box in _table_boxes(horizontal, vertical, px)
              if (table := _table(number, box, horizontal, vertical, px))]
    text_ink = _despeckled(ink & ~_ruling(horizontal, vertical, tables, px))
    clean = np.where(text_ink > 0, gray, 255).astype(np.uint8)
    regions = [_Region(cell=cell, box=_inside(cell, px)) for table in tables for cell in table.cells]
    regions += [_Region(box=box) for box in _loose_strips(text_ink, tables, px)]
    _read_regions(clean, text_ink, regions, px)
    lines = []
    for region in regions:
        if region.cell is not None:
            _fill_cell(region, px)
        else:
            lines += [TextLine(number, top / px, x0 / px, x1 / px, text) for top, x0, x1, text, _ in region.lines if text]
    lines.sort(key=lambda line: (line.top, line.x0))
    for table in tables:
        make_bands(table)
    chars = sum(len(c.text.replace("\n", "")) for t in tables for c in t.cells) + sum(len(ln.text) for ln in lines)
    height, width = gray.shape
    layout = PageLayout(number, width / px, height / px, tables, lines, chars, reader="ocr")
    layout.warnings += _confidence_warnings(number, tables, regions)
    return layout


# -- the page image ---------------------------------------------------------------------------------

def _render_dpi(page) -> float:
    """The scan's own resolution (that of its largest image), at most ``MAX_RENDER_DPI``."""
    largest = max(page.images, key=lambda im: im["srcsize"][0] * im["srcsize"][1])
    width_px, height_px = (int(v) for v in largest["srcsize"])
    if width_px * height_px > MAX_IMAGE_PIXELS:
        raise UnreadableScan(f"page {page.page_number}: scanned image of {width_px}×{height_px} pixels is too "
                             f"large to OCR (limit {MAX_IMAGE_PIXELS // 1_000_000} megapixels)")
    shown = max(largest["x1"] - largest["x0"], 1e-3) / 72  # inches on the page
    dpi = min(width_px / shown, MAX_RENDER_DPI)
    # the whole page at working resolution: a poster-sized page is refused, not rendered
    page_pixels = (float(page.width) / 72 * WORK_DPI) * (float(page.height) / 72 * WORK_DPI)
    if page_pixels > MAX_PAGE_PIXELS:
        raise UnreadableScan(f"page {page.page_number}: page of {float(page.width):.0f}×{float(page.height):.0f} pt "
                             f"is too large to OCR ({page_pixels / 1e6:.0f} megapixels at {WORK_DPI} dpi, "
                             f"limit {MAX_PAGE_PIXELS // 1_000_000})")
    if dpi < MIN_DPI:
        raise UnreadableScan(f"page {page.page_number}: scanned at {dpi:.0f} dpi, too coarse to OCR "
                             f"(at least {MIN_DPI} dpi)")
    return dpi


def _render(page, dpi: float) -> np.ndarray:
    """The page in BGR at ``dpi``, rendered by pdfium from the file pdfplumber has open."""
    source = page.pdf.path if getattr(page.pdf, "path", None) else page.pdf.stream
    if not isinstance(source, (str, os.PathLike)):
        source.seek(0)
    document = pypdfium2.PdfDocument(source)
    try:
        bitmap = document[page.page_number - 1].render(scale=dpi / 72)
        image = bitmap.to_numpy()
        return np.ascontiguousarray(image[:, :, :3])  # BGR(x): the padding byte dropped
    finally:
        document.close()


def _without_seal(bgr: np.ndarray) -> np.ndarray:
    """Grey, with red ink as light as its red channel: the seal fades, text under it stays dark."""
    gray = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY)
    blue, green, red = (bgr[:, :, i].astype(np.int16) for i in range(3))
    reddish = (red - np.maximum(green, blue)) > 40
    if reddish.any():
        gray = np.where(reddish, bgr[:, :, 2], gray).astype(np.uint8)
    return gray


def _upright(gray: np.ndarray) -> np.ndarray:
    """The page turned by the multiple of 90° that Tesseract's orientation detection finds: first
    on a half-size image (a second), and where that finds a turn it is unsure of (confidence under
    1.5), again at full size (several seconds, and sure: 2.5 and more on the scan sets)."""
    small = cv2.resize(gray, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    rotate, confidence = _orientation(small, WORK_DPI // 2)
    if rotate and confidence < 1.5:
        rotate, confidence = _orientation(gray, WORK_DPI)
    if not rotate or confidence < 1.5:
        return gray
    # "Rotate" is the clockwise turn that makes the page upright
    turn = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}[rotate]
    return cv2.rotate(gray, turn)


def _orientation(gray: np.ndarray, dpi: int) -> tuple[int, float]:
    """(clockwise turn, confidence) from Tesseract's ``--psm 0``; (0, 0) when it cannot tell."""
    try:
        osd = pytesseract.image_to_osd(gray, config=f"--psm 0 --dpi {dpi} -c min_characters_to_try=20")
    except pytesseract.TesseractError:  # too few characters to tell: a blank or near-blank page
        return 0, 0.0
    rotate = re.search(r"Rotate: (\d+)", osd)
    confidence = re.search(r"Orientation confidence: ([\d.]+)", osd)
    return (int(rotate.group(1)), float(confidence.group(1))) if rotate and confidence else (0, 0.0)


def _binarize(gray: np.ndarray) -> np.ndarray:
    """Ink 255, paper 0 (Otsu: scans are evenly lit enough, and it adds no noise to blank paper)."""
    _, ink = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return ink


def _skew_angle(gray: np.ndarray) -> float:
    """The angle (degrees, within ±4) at which the rows of ink are sharpest: table rules and text
    lines then fall into single rows of pixels. Coarse on a quarter-size image, then fine."""
    ink = _binarize(gray)

    def sharpness(image: np.ndarray, angle: float) -> float:
        rows = _rotate(image, angle, fill=0).sum(axis=1, dtype=np.float64)
        return float(np.square(np.diff(rows)).sum())

    small = cv2.resize(ink, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)
    best = max(np.arange(-4.0, 4.01, 0.25), key=lambda a: sharpness(small, a))
    half = cv2.resize(ink, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    best = max(np.arange(best - 0.25, best + 0.26, 0.05), key=lambda a: sharpness(half, a))
    return float(round(best, 2))


def _rotate(image: np.ndarray, angle: float, fill: int = 255) -> np.ndarray:
    if abs(angle) < 0.01:
        return image
    height, width = image.shape
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    return cv2.warpAffine(image, matrix, (width, height), flags=cv2.INTER_LINEAR,
                          borderMode=cv2.BORDER_CONSTANT, borderValue=fill)


def _despeckled(ink: np.ndarray) -> np.ndarray:
    """Ink without specks of dust: components smaller than a decimal point at 6 pt."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    small = stats[:, cv2.CC_STAT_AREA] < max(4, int((WORK_DPI / 300) ** 2 * 10))
    small[0] = False
    return np.where(small[labels], 0, ink).astype(np.uint8)


# -- table rules and cells --------------------------------------------------------------------------

def _rules(ink: np.ndarray, px: float) -> tuple[np.ndarray, np.ndarray]:
    """Horizontal and vertical rules: ink runs longer than any stroke of a character (12 pt)."""
    length = int(12 * px)
    horizontal = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1)))
    vertical = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, length)))
    # bridge what JPEG and dropouts broke
    horizontal = cv2.morphologyEx(horizontal, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (int(3 * px), 1)))
    vertical = cv2.morphologyEx(vertical, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (1, int(3 * px))))
    return horizontal, vertical


def _table_boxes(horizontal: np.ndarray, vertical: np.ndarray, px: float) -> list[tuple[int, int, int, int]]:
    """(x0, y0, x1, y1) of each connected frame of rules that has both kinds and some size."""
    grid = cv2.dilate(horizontal | vertical, np.ones((5, 5), np.uint8))
    count, _, stats, _ = cv2.connectedComponentsWithStats(grid, connectivity=8)
    boxes = []
    for i in range(1, count):
        x, y, w, h = stats[i, :4]
        if w > 30 * px and h > 12 * px:
            boxes.append((int(x), int(y), int(x + w), int(y + h)))
    return sorted(boxes, key=lambda b: (b[1], b[0]))


def _positions(mask: np.ndarray, axis: int, minimum: float) -> list[int]:
    """Centres of the rules in ``mask`` across ``axis`` (0: rows of a horizontal mask)."""
    profile = mask.sum(axis=1 - axis, dtype=np.int64) / 255
    rows = np.flatnonzero(profile >= minimum)
    positions, run = [], []
    for r in rows:
        if run and r - run[-1] > 2:
            positions.append(int(round(np.mean(run))))
            run = []
        run.append(r)
    if run:
        positions.append(int(round(np.mean(run))))
    return positions


def _coverage(mask: np.ndarray, fixed: int, start: int, end: int, horizontal: bool, reach: int) -> float:
    """The share of the span [start, end] along a rule at ``fixed`` that the rule mask covers."""
    inset = min(reach + 1, max(0, (end - start) // 4))
    start, end = start + inset, end - inset
    if end <= start:
        return 1.0
    lo, hi = max(0, fixed - reach), fixed + reach + 1
    band = mask[lo:hi, start:end] if horizontal else mask[start:end, lo:hi].T
    return float((band.max(axis=0) > 0).mean()) if band.size else 0.0


def _table(number: int, box, horizontal: np.ndarray, vertical: np.ndarray, px: float) -> Table | None:
    """The cells of one frame of rules, in PDF points."""
    x0, y0, x1, y1 = box
    h_mask, v_mask = horizontal[y0:y1, x0:x1], vertical[y0:y1, x0:x1]
    ys = _positions(h_mask, 0, 10 * px)
    xs = _positions(v_mask, 1, 8 * px)
    if len(ys) < 2 or len(xs) < 2:
        return None
    reach = max(2, int(1.5 * px))
    rows, cols = len(ys) - 1, len(xs) - 1
    parent = list(range(rows * cols))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def has_h(y: int, c: int) -> bool:
        return _coverage(h_mask, ys[y], xs[c], xs[c + 1], True, reach) > 0.6

    def has_v(x: int, r: int) -> bool:
        return _coverage(v_mask, xs[x], ys[r], ys[r + 1], False, reach) > 0.6

    for r in range(rows):
        for c in range(cols):
            if c + 1 < cols and not has_v(c + 1, r):
                parent[find(r * cols + c + 1)] = find(r * cols + c)
            if r + 1 < rows and not has_h(r + 1, c):
                parent[find((r + 1) * cols + c)] = find(r * cols + c)
    groups: dict[int, list[tuple[int, int]]] = {}
    for r in range(rows):
        for c in range(cols):
            groups.setdefault(find(r * cols + c), []).append((r, c))
    cells = []
    for members in groups.values():
        r0, r1 = min(r for r, _ in members), max(r for r, _ in members) + 1
        c0, c1 = min(c for _, c in members), max(c for _, c in members) + 1
        # a region outside the frame (a table that is not a rectangle) has no rule on some side
        closed = (all(has_h(r0, c) for c in range(c0, c1)) and all(has_h(r1, c) for c in range(c0, c1))
                  and all(has_v(c0, r) for r in range(r0, r1)) and all(has_v(c1, r) for r in range(r0, r1)))
        if closed and len(members) == (r1 - r0) * (c1 - c0):
            cells.append(Cell((x0 + xs[c0]) / px, (y0 + ys[r0]) / px, (x0 + xs[c1]) / px, (y0 + ys[r1]) / px))
    if len(cells) < 2:
        return None
    cells.sort(key=lambda c: (c.top, c.x0))
    return Table(number, min(c.x0 for c in cells), min(c.top for c in cells),
                 max(c.x1 for c in cells), max(c.bottom for c in cells), cells)


def _ruling(horizontal: np.ndarray, vertical: np.ndarray, tables: list[Table], px: float) -> np.ndarray:
    """What to erase before OCR: the rules of the tables, and long lines anywhere (a page header's
    rule). Not every long stroke: a title's characters have strokes longer than a rule's minimum."""
    mask = np.zeros_like(horizontal)
    for table in tables:
        y0, y1, x0, x1 = (int(v * px) for v in (table.top, table.bottom, table.x0, table.x1))
        pad = int(2 * px)
        window = (slice(max(0, y0 - pad), y1 + pad), slice(max(0, x0 - pad), x1 + pad))
        mask[window] = horizontal[window] | vertical[window]
    count, labels, stats, _ = cv2.connectedComponentsWithStats(horizontal, connectivity=8)
    long = stats[:, cv2.CC_STAT_WIDTH] > 60 * px
    long[0] = False
    mask |= np.where(long[labels], 255, 0).astype(np.uint8)
    return cv2.dilate(mask, np.ones((5, 5), np.uint8))


def _inside(cell: Cell, px: float) -> tuple[int, int, int, int]:
    """The cell's inside in pixels, clear of its rules."""
    pad = int(1.2 * px)
    return (int(cell.x0 * px) + pad, int(cell.top * px) + pad, int(cell.x1 * px) - pad, int(cell.bottom * px) - pad)


def _loose_strips(ink: np.ndarray, tables: list[Table], px: float) -> list[tuple[int, int, int, int]]:
    """Boxes of the ink rows outside every table: lines of loose text, each read as a crop."""
    outside = ink.copy()
    margin = int(2 * px)
    for table in tables:
        outside[max(0, int(table.top * px) - margin):int(table.bottom * px) + margin,
                max(0, int(table.x0 * px) - margin):int(table.x1 * px) + margin] = 0
    profile = (outside > 0).sum(axis=1)
    rows = np.flatnonzero(profile > 0)
    strips, start, last = [], None, None
    for r in rows:
        if start is not None and r - last > int(2 * px):
            strips.append((start, last + 1))
            start = None
        if start is None:
            start = r
        last = r
    if start is not None:
        strips.append((start, last + 1))
    boxes = []
    for top, bottom in strips:
        if bottom - top < 3 * px:  # a stray mark, not a line of text
            continue
        columns = np.flatnonzero(outside[top:bottom].any(axis=0))
        boxes.append((int(columns[0]), top, int(columns[-1]) + 1, bottom))
    return boxes


# -- OCR ---------------------------------------------------------------------------------------------

@dataclass
class _Region:
    box: tuple[int, int, int, int]  # pixels on the page
    cell: Cell | None = None
    segments: list = None  # its lines of ink, (x0, y0, x1, y1) page pixels, top to bottom
    lines: list = None  # (top, x0, x1, text, bottom) in page pixels, one per segment read
    confidence: float | None = None  # the lowest word confidence, for a region with text
    words: list = None  # (segment index, word) from Tesseract

    def __post_init__(self):
        self.segments, self.lines, self.words = [], [], []


_GAP = 48  # pixels between two crops in the stacked image: more than a line's spacing
_SEPARATION = 20  # pixels between the lines of one cell laid side by side: a word break
_MAX_STACK = 30000  # Tesseract refuses images over 32767 pixels high


def _segments(ink: np.ndarray, box: tuple[int, int, int, int], px: float) -> list[tuple[int, int, int, int]]:
    """The lines of ink in ``box``, each cut to its ink, top to bottom. A run of rows that is much
    thinner than the others (the gap inside 三 or a dot) joins its nearer neighbour."""
    x0, y0, x1, y1 = box
    if x1 <= x0 or y1 <= y0:
        return []
    crop = ink[y0:y1, x0:x1] > 0
    rows = np.flatnonzero(crop.any(axis=1))
    if len(rows) < 2 or crop.sum() < 6:
        return []
    runs, start = [], rows[0]
    for previous, row in zip(rows, rows[1:]):
        if row - previous > 1:
            runs.append([start, previous + 1])
            start = row
    runs.append([start, rows[-1] + 1])
    tall = max(r[1] - r[0] for r in runs)
    merged = True
    while merged and len(runs) > 1:
        merged = False
        for i, (top, bottom) in enumerate(runs):
            if bottom - top < 0.45 * tall:
                gap_up = top - runs[i - 1][1] if i else 1 << 30
                gap_down = runs[i + 1][0] - bottom if i + 1 < len(runs) else 1 << 30
                j = i - 1 if gap_up <= gap_down else i + 1
                runs[min(i, j)] = [min(runs[i][0], runs[j][0]), max(runs[i][1], runs[j][1])]
                del runs[max(i, j)]
                merged = True
                break
    segments = []
    for top, bottom in runs:
        if bottom - top < 1.5 * px:  # a stray mark
            continue
        columns = np.flatnonzero(crop[top:bottom].any(axis=0))
        segments.append((x0 + int(columns[0]), y0 + top, x0 + int(columns[-1]) + 1, y0 + bottom))
    return segments


def _read_regions(gray: np.ndarray, ink: np.ndarray, regions: list[_Region], px: float) -> None:
    """OCR every region with text, each as one line (a cell's lines side by side, so that a line of
    one character is read with its neighbours), the lines stacked into one image per page; then a
    second look at what Tesseract was unsure of, and numbers and codes read again."""
    todo = []
    for region in regions:
        region.segments = _segments(ink, region.box, px)
        if region.segments:
            todo.append(region)
    _read_stacks(gray, todo)
    for region in todo:
        _mark_comparators(gray, region)
        _collect(region)
    _second_look(gray, todo)
    _reread_numbers(gray, todo)
    _reread_codes(gray, todo)


def _read_stacks(gray: np.ndarray, regions: list[_Region], lang: str = LANG, config: str = "",
                 scale: float = 1) -> None:
    """``_read_stack`` over the regions, in as few stacks as Tesseract's height limit allows."""
    stack, height = [], 0
    for region in regions:
        h = max(s[3] - s[1] for s in region.segments)
        if stack and (height + h + _GAP) * scale > _MAX_STACK:
            _read_stack(gray, stack, lang, config, scale)
            stack, height = [], 0
        stack.append(region)
        height += h + _GAP
    if stack:
        _read_stack(gray, stack, lang, config, scale)


def _second_look(gray: np.ndarray, regions: list[_Region]) -> None:
    """Read the regions that Tesseract was unsure of (a word below ``SECOND_LOOK_BELOW``) again at
    ``SECOND_LOOK_SCALE`` times the size, and keep the reading it is surer of (its least sure word
    surer than the first reading's, the same number of lines). The Chinese model misreads a few
    characters of a line at one size and not at another (丰泪区 / 丰润区, 月常 / 日常, 文件机求 /
    文件要求), and says so by its confidence; about one region in eight is read twice."""
    doubtful = [r for r in regions if r.confidence is not None and r.confidence < SECOND_LOOK_BELOW]
    if not doubtful:
        return
    first = {id(r): (r.words, r.lines, r.confidence) for r in doubtful}
    for region in doubtful:
        region.words, region.lines, region.confidence = [], [], None
    _read_stacks(gray, doubtful, scale=SECOND_LOOK_SCALE)
    for region in doubtful:
        _mark_comparators(gray, region)
        _collect(region)
        words, lines, confidence = first[id(region)]
        if region.confidence is None or len(region.lines) != len(lines) or region.confidence <= confidence:
            region.words, region.lines, region.confidence = words, lines, confidence


def _looks_numeric(region: _Region) -> bool:
    text = "".join(line[3] for line in region.lines)
    return bool(text) and len(region.segments) == 1 and _NUMBERISH.fullmatch(text) is not None


_CODE = re.compile(r"[0-9A-Za-z()\[\]{}|]{8,}")  # as the Chinese model reads one: 13020824PO0O021910001j
_CODE_LETTERS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _is_code(text: str) -> bool:
    """A code of digits and capital letters (a project code, 13020824P00021910001J), as OCR may
    read it: eight characters or more, six digits or more, a letter, no space."""
    return (_CODE.fullmatch(text) is not None and len(re.findall(r"\d", text)) >= 6
            and re.search(r"[A-Za-z]", text) is not None)


def _looks_like_code(region: _Region) -> bool:
    return (region.cell is not None and len(region.segments) == 1
            and _is_code("".join(line[3] for line in region.lines)))


def _reread_codes(gray: np.ndarray, regions: list[_Region]) -> None:
    """Read the cells that look like codes again with the English model, digits and capital letters
    only: the Chinese model reads a J as ")" or "j" and an 0 as O. Where the two readings differ
    otherwise, the cell keeps the lower confidence (a warning, ``_confidence_warnings``)."""
    codes = [r for r in regions if _looks_like_code(r)]
    if not codes:
        return
    first = {id(r): (r.words, r.lines, r.confidence) for r in codes}
    for region in codes:
        region.words, region.lines, region.confidence = [], [], None
    _read_stacks(gray, codes, lang="eng", config=f"-c tessedit_char_whitelist={_CODE_LETTERS}")
    for region in codes:
        _collect(region)
        text = "".join(line[3] for line in region.lines)
        words, lines, confidence = first[id(region)]
        if not re.fullmatch(f"[{_CODE_LETTERS}]{{8,}}", text):
            region.words, region.lines, region.confidence = words, lines, confidence
        elif _code_key(text) != _code_key("".join(line[3] for line in lines)) and confidence is not None:
            # the two models read it differently: as sure as the less sure of them, so that a
            # misread code is warned about whichever of them its English reading was sure of
            region.confidence = min(region.confidence or 0, confidence)


def _code_key(text: str) -> str:
    return text.upper().replace("O", "0")


def _compared_number(region: _Region) -> tuple[str, int] | None:
    """(the comparator, the page column where it ends) for a cell of one line that is a comparator
    and a number, "≥95%", whose comparator's glyph was found (``_mark_comparators``); else None."""
    if region.cell is None or len(region.segments) != 1 or len(region.lines) != 1:
        return None
    text = region.lines[0][3]
    if text[:1] not in _COMPARATORS or _NUMBERISH.fullmatch(text[1:]) is None or not re.search(r"\d", text):
        return None
    first = min((w for _, w in region.words), key=lambda w: w["left"])
    end = first.get("comparator_end")
    return (text[0], end) if end is not None and end < region.segments[0][2] - 2 else None


def _reread_numbers(gray: np.ndarray, regions: list[_Region]) -> None:
    """Read the numbers again with the English model and digits only: the Chinese model reads
    "100%" as "1009%" or "100%6", "95%" as "959%", and a lone 0 as O; this one does not. Read again
    are the cells that look like numbers, and the number after the comparator of a cell that is a
    comparator and a number ("≥95%": the number from where the comparator's glyph ends)."""
    cells = [r for r in regions if r.cell is not None and _looks_numeric(r)]
    numeric = {id(r) for r in cells}
    compared = []  # (cell, comparator, a region of its number alone)
    for region in regions:
        if id(region) not in numeric and (found := _compared_number(region)) is not None:
            x0, y0, x1, y1 = region.segments[0]
            part = _Region(box=(found[1], y0, x1, y1))
            part.segments = [part.box]
            compared.append((region, found[0], part))
    todo = cells + [part for *_, part in compared]
    if not todo:
        return
    first = {id(r): (r.words, r.lines, r.confidence) for r in cells}
    for region in cells:
        region.words, region.lines, region.confidence = [], [], None
    _read_stacks(gray, todo, lang="eng", config="-c tessedit_char_whitelist=0123456789.,%-")
    for region in cells:
        _collect(region)
        text = "".join(line[3] for line in region.lines)
        if numeric_text(text) is None:  # the digits-only reading is no number either: keep the first
            region.words, region.lines, region.confidence = first[id(region)]
    for region, comparator, part in compared:
        _collect(part)
        number = "".join(line[3] for line in part.lines)
        if numeric_text(number) is not None and part.words:
            first = min((w for _, w in region.words), key=lambda w: w["left"])
            sign = dict(first, text=comparator, width=first["comparator_end"] - first["left"])
            top, x0, x1, _, bottom = region.lines[0]
            words = [sign] + sorted((w for _, w in part.words), key=lambda w: w["left"])
            region.lines = [(top, x0, x1, _line_text(words), bottom)]
            region.confidence = part.confidence


_COMPARATORS = "≥≤><"


def _mark_comparators(gray: np.ndarray, region: _Region) -> None:
    """≥, ≤, > or < for a word's first character where its glyph has the shape of one and a number
    follows. The Chinese model has no ≥ or ≤ (they are not in its character set): it reads them as
    >, <, =, 二, 主, 过, 定 …, so the glyph itself is looked at (``_comparator_shape``)."""
    for index, segment in enumerate(region.segments):
        words = sorted((w for i, w in region.words if i == index), key=lambda w: w["left"])
        for i, word in enumerate(words):
            text = word["text"]
            head = 2 if text[1:2] in ("=", "二") else 1  # ≥ read as two characters: ">=", "≥="
            after = text[head:] or (words[i + 1]["text"] if i + 1 < len(words) else "")
            if not after[:1].isdigit():
                continue
            found = _glyph_at(gray, segment, word["left"])
            if found is None:
                continue
            glyph, end = found
            if glyph.shape[0] > 0.9 * (segment[3] - segment[1]):
                continue  # as tall as the line: a character, not a sign
            shape = _comparator_shape(glyph)
            if shape is None or (head == 2 and shape not in "≥≤"):
                continue
            word["text"] = shape + text[head:]
            word["comparator_end"] = end
            if not text[head:]:  # a word of its own: its box as wide as the glyph, for the gap after it
                word["width"] = end - word["left"]


def _glyph_at(gray: np.ndarray, segment, left: int) -> tuple[np.ndarray, int] | None:
    """The first glyph on the segment's line from about ``left`` (a run of columns with ink), cut
    to its ink, and the page column just past it. Ink is what is darker than halfway between the
    line's darkest pixel and white: thinner than the page's Otsu ink, which at 150 dpi joins the
    bar of a ≥ to its chevron."""
    x0, y0, x1, y1 = segment
    start = max(x0, left - 3)
    crop = gray[y0:y1, start:x1]
    if not crop.size:
        return None
    crop = crop < (int(crop.min()) + 255) // 2
    columns = np.flatnonzero(crop.any(axis=0))
    if not len(columns):
        return None
    first = last = int(columns[0])
    while last + 1 < crop.shape[1] and crop[:, last + 1].any():
        last += 1
    glyph = crop[:, first:last + 1]
    rows = np.flatnonzero(glyph.any(axis=1))
    return glyph[rows[0]:rows[-1] + 1], start + last + 1


def _comparator_shape(glyph: np.ndarray) -> str | None:
    """"≥", "≤", ">" or "<" when the glyph (ink True, cut to its ink) is a chevron, with or without
    a bar under it; None for anything else. A chevron: two straight arms that meet at a point, so
    that (for ">") the ink's top edge falls and its bottom edge rises from left to right, spanning
    the height at the open side, a point in the middle at the other, and hollow between the arms.
    "=" and 二 have a row of ink across the glyph, and so have the digits that a bar ends."""
    height, width = glyph.shape
    if height < 6 or width < 5 or not 0.5 <= width / height <= 1.8:
        return None
    body, bar = glyph, False
    cover = glyph.mean(axis=1)
    across = np.flatnonzero(cover >= 0.75)
    if len(across) and across[0] >= 0.6 * height:  # a bar at the bottom
        top = across[0]
        while top > 0 and cover[top - 1] >= 0.5:  # its upper edge, half inked
            top -= 1
        if height - top > 0.35 * height:
            return None
        body, bar = glyph[:top], True
        blank = np.flatnonzero(~body.any(axis=1))
        if len(blank) and blank[-1] >= 0.5 * top:  # the gap over the bar: the bar's fringe goes
            body = body[:blank[-1]]
        rows = np.flatnonzero(body.any(axis=1))
        if not len(rows):
            return None
        body = body[rows[0]:rows[-1] + 1]
    counts = body.sum(axis=0)
    kept = np.flatnonzero(counts >= max(2, 0.3 * np.median(counts)))  # not a stray pixel at an end
    if not len(kept):
        return None
    body = body[:, kept[0]:kept[-1] + 1]
    bh, bw = body.shape
    if bh < 5 or bw < 4 or (body.mean(axis=1) > 0.6).any():
        return None
    for mirrored, sign in ((False, ">"), (True, "<")):
        b = body[:, ::-1] if mirrored else body
        columns = [np.flatnonzero(b[:, c]) for c in range(bw)]
        if any(len(c) == 0 for c in columns):
            continue
        runs = [np.split(c, np.flatnonzero(np.diff(c) > 1) + 1) for c in columns]
        if any(len(r) > 2 for r in runs) or max(len(run) for r in runs[:bw // 2] for run in r) > 0.5 * bh:
            continue  # three strokes across a column, or one down it on the open side: no chevron
        tops = np.array([c[0] for c in columns])
        bottoms = np.array([c[-1] for c in columns])
        slack = max(1, bh // 10)
        if (np.diff(tops) < -slack).sum() + (np.diff(bottoms) > slack).sum() > max(1, bw // 10):
            continue  # the edges are not straight arms closing in
        quarter = max(1, bw // 4)
        if tops[:quarter].min() > 0.2 * bh or bottoms[:quarter].max() < 0.8 * bh:
            continue  # the open side does not span the height
        if tops[-quarter:].min() < 0.25 * bh or bottoms[-quarter:].max() > 0.75 * bh:
            continue  # no point in the middle
        if not (np.diff(columns[quarter]) > 1).any():
            continue  # not hollow between the arms
        return {">": "≥", "<": "≤"}[sign] if bar else sign
    return None


def _read_stack(gray: np.ndarray, stack: list[_Region], lang: str = LANG, config: str = "",
                scale: float = 1) -> None:
    """One Tesseract run over the regions' lines, one region a row, the image ``scale`` times the
    page's size; each word goes back to its region (by its middle's row) and its segment (by its
    middle's column)."""
    rows = []  # (top, bottom, region, [(x start in the row, segment)])
    for region in stack:
        h = max(s[3] - s[1] for s in region.segments)
        rows.append((h, region))
    width = max(sum(s[2] - s[0] + _SEPARATION for s in r.segments) for _, r in rows) + 2 * _GAP
    height = sum(h + _GAP for h, _ in rows) + _GAP
    canvas = np.full((height, width), 255, np.uint8)
    places = []
    y = _GAP
    for h, region in rows:
        x = _GAP
        starts = []
        for i, (x0, y0, x1, y1) in enumerate(region.segments):
            dy = y + (h - (y1 - y0)) // 2  # each line centred on the row
            canvas[dy:dy + y1 - y0, x:x + x1 - x0] = gray[y0:y1, x0:x1]
            starts.append((x, x + x1 - x0, i, dy))
            x += x1 - x0 + _SEPARATION
        places.append((y, y + h, region, starts))
        y += h + _GAP
    if scale != 1:  # read larger: the words' boxes are brought back to the page's pixels below
        canvas = cv2.resize(canvas, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
    data = pytesseract.image_to_data(canvas, lang=lang, output_type=pytesseract.Output.DICT,
                                     config=f"--psm {PSM} --dpi {WORK_DPI} -c preserve_interword_spaces=1 {config}")
    if scale != 1:
        for k in ("left", "top", "width", "height"):
            data[k] = [int(round(v / scale)) for v in data[k]]
    for i, text in enumerate(data["text"]):
        if data["level"][i] != 5 or not text.strip():
            continue
        left, top, width_, height_ = data["left"][i], data["top"][i], data["width"][i], data["height"][i]
        middle_y, middle_x = top + height_ / 2, left + width_ / 2
        home = next((p for p in places if p[0] - _GAP / 2 <= middle_y < p[1] + _GAP / 2), None)
        if home is None:
            continue
        _, _, region, starts = home
        start, _, index, dy = min(starts, key=lambda s: 0 if s[0] <= middle_x < s[1] + _SEPARATION / 2
                                  else min(abs(middle_x - s[0]), abs(middle_x - s[1])) + 1)
        x0, y0, _, _ = region.segments[index]
        word = {"text": text.strip(), "conf": float(data["conf"][i]), "height": height_,
                "left": left - start + x0, "width": width_, "top": top - dy + y0}
        region.words.append((index, word))


def _collect(region: _Region) -> None:
    """The region's words → its lines (one per segment) and its lowest confidence."""
    region.lines = []
    for index, (x0, y0, x1, y1) in enumerate(region.segments):
        words = sorted((w for i, w in region.words if i == index), key=lambda w: w["left"])
        if not words:
            continue
        region.lines.append((y0, x0, x1, _line_text(words).lstrip("”’\"'").rstrip("“‘\"'"), y1))
        low = min(w["conf"] for w in words)
        region.confidence = low if region.confidence is None else min(region.confidence, low)


# -- text --------------------------------------------------------------------------------------------

_CJK = r"\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef“”‘’"
_IS_CJK = re.compile(f"[{_CJK}]")
_ASCII = re.compile(r"[\x21-\x7e]")
_FULL_WIDTH = {",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "?": "？", "!": "！"}
_NUMBERISH = re.compile(r"[\dOoDlI|.,，。．%％\s+-]*[\dOo][\dOoDlI|.,，。．%％\s+-]*")
_NUMERIC = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?$")
_DIGIT_LOOKALIKES = str.maketrans({"O": "0", "o": "0", "D": "0", "l": "1", "I": "1", "|": "1", "，": ",",
                                   "。": ".", "．": ".", "％": "%", "、": ","})


def _line_text(words: list[dict]) -> str:
    """Words of one line → text as the text layer would give it: no space between CJK characters,
    a space where a wide gap touches a Latin letter or digit (as ``layout._line_text``; wider
    after ≥ or ≤)."""
    out = ""
    previous = None
    for word in words:
        text = word["text"]
        if previous is not None:
            gap = word["left"] - (previous["left"] + previous["width"])
            size = max(previous["height"], word["height"], 1)
            # ≥ and ≤ are set wide, their glyph narrow: the gap after one is wider than a word's
            wide = 0.5 if out[-1] in _COMPARATORS else 0.3
            if gap > size * wide and (_ASCII.match(text[0]) or _ASCII.match(out[-1])):
                out += " "
        out += text
        previous = word
    return normalise(out)


def normalise(text: str) -> str:
    """OCR text in the text layer's conventions: no space between CJK characters, and the CJK
    punctuation that Tesseract reads as its ASCII twin (",", ":", "(") full-width next to CJK."""
    chars = list(text)
    quotes = 0
    for i, char in enumerate(chars):
        before = text[:i].rstrip()[-1:]
        after = text[i + 1:].lstrip()[:1]
        if (char in _FULL_WIDTH or char == '"') and (_IS_CJK.match(before) or _IS_CJK.match(after)):
            if char == '"':
                chars[i], quotes = "“”"[quotes % 2], quotes + 1
            else:
                chars[i] = _FULL_WIDTH[char]
    text = re.sub(f"(?<=[{_CJK}]) +(?=[{_CJK}])", "", "".join(chars))
    return re.sub(r"(?<=\d)%\d(?!\d)", "%", text)  # "95%6": the model reads a % as %6


def numeric_text(text: str) -> str | None:
    """The cell as a number when it reads as one once the usual OCR confusions are undone (O→0,
    l→1, a full-width comma or stop): only a cell with a digit that becomes wholly numeric, so that
    no word is ever turned into digits."""
    if not re.search(r"\d", text) and text.strip() not in ("O", "o"):  # a lone O in a number cell is 0
        return None
    fixed = re.sub(r"\s+", "", text).translate(_DIGIT_LOOKALIKES)
    return fixed if _NUMERIC.match(fixed) else None


def _fill_cell(region: _Region, px: float) -> None:
    cell = region.cell
    texts = [line[3] for line in region.lines if line[3]]
    if len(texts) == 1 and (number := numeric_text(texts[0])) is not None:
        texts = [number]
    cell.text = _as_label("\n".join(texts), region.words)
    if region.lines:
        last = region.lines[-1]
        size = last[4] - last[0]
        cell.text_to_bottom = cell.bottom * px - last[4] < size / 2


LABEL_UNSURE = 90  # a character in a word below this confidence may be put right by a form's label


def _as_label(text: str, words: list) -> str:
    """The cell's text with one character put right where the text is one character away from a
    label that the templates print (``labels.LABEL_KEYS``: 年度资金总客 → 年度资金总额, 实际完成什 →
    实际完成值) and Tesseract was unsure of that character (a word below ``LABEL_UNSURE``): a
    misread label leaves its whole row or column unread. Only labels of five characters or more
    (时效指标, an indicator's name, read 的效指标 is not the label 绩效指标), one character, and
    where no other label is as close; a value one character from a label would also need a doubt
    on just that character."""
    from .labels import key

    found = key(text)
    if len(found) < 5 or found in _label_keys():
        return text
    unsure = "".join(w["text"] for _, w in words if w["conf"] < LABEL_UNSURE)
    fixes = set()
    for label in _label_keys():
        if len(label) != len(found):
            continue
        differ = [i for i, (a, b) in enumerate(zip(found, label)) if a != b]
        if len(differ) == 1 and found[differ[0]] in unsure and text.count(found[differ[0]]) == 1:
            fixes.add((found[differ[0]], label[differ[0]], label))
    if len(fixes) != 1:
        return text
    (wrong, right, label), = fixes
    fixed = text.replace(wrong, right)
    return fixed if key(fixed) == label else text


def _label_keys() -> frozenset[str]:
    from .labels import LABEL_KEYS

    return frozenset().union(*LABEL_KEYS.values())


def _confidence_warnings(number: int, tables: list[Table], regions: list[_Region]) -> list[str]:
    """A numeric cell (or a code's) Tesseract was unsure of, named by its row and column labels."""
    warnings = []
    for region in regions:
        cell = region.cell
        if cell is None or region.confidence is None or region.confidence >= LOW_CONFIDENCE:
            continue
        if numeric_text(cell.text) is None and not _is_code(cell.text):
            continue
        table = next(t for t in tables if cell in t.cells)
        warnings.append(f"OCR low confidence ({region.confidence:.0f}) on page {number}, "
                        f"row '{_row_label(table, cell)}', column '{_column_label(table, cell)}': '{cell.text}'")
    return warnings


def _row_label(table: Table, cell: Cell) -> str:
    """What names the cell's row: the text under the indicator-name column (三级指标 …) to its left,
    else a row label of a template (年度资金总额), else the nearest text to its left."""
    from .labels import LABEL_KEYS, key

    labels = frozenset().union(*LABEL_KEYS.values())
    left = [c for c in sorted(table.bands[cell.band_first], key=lambda c: -c.x0)
            if c.x1 <= cell.x0 + 1 and c.text and numeric_text(c.text) is None]
    named = next((c for c in left if key(_column_label(table, c)) in ("三级指标", "指标名称")), None)
    named = named or next((c for c in left if key(c.text) in labels), None)
    named = named or (left[0] if left else None)
    return named.text.replace("\n", "") if named else ""


def _column_label(table: Table, cell: Cell) -> str:
    """The text of the nearest cell above, over the cell's middle, that is a column label of a
    template, else the nearest that is no number."""
    from .labels import LABEL_KEYS, key

    labels = frozenset().union(*LABEL_KEYS.values())
    above = [other.text.replace("\n", "") for band in reversed(table.bands[:cell.band_first]) for other in band
             if other.x0 <= cell.xmid <= other.x1 and other.band_last < cell.band_first
             and other.text and numeric_text(other.text) is None]
    return next((text for text in above if key(text) in labels), above[0] if above else "")
