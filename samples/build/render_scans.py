"""Make "scanned" copies of the first pages of the two sample PDFs, and their expected records.

    python samples/build/render_scans.py [--out samples/eval/scans]

A scan has no text layer: each page is one image, as a scanner makes it. The pages are rendered from
the sample PDFs (pypdfium2) at 150, 200 and 300 dpi and then spoilt the way scans are: a small skew
(each page its own angle, up to ±2.5°), speckle, blur, JPEG compression, a page fed upside down
(180°) and one sideways (90°), and a red round seal stamped over a text cell (multiplied, as ink is:
the text under it stays dark). The subset is cut at page ends where whole reports end, so the
expected records are exactly the first records of the samples' expected files.

Grey pages are stored as greyscale JPEG (a few hundred kB a page at 300 dpi); the sealed page is in
colour, so a reader can tell the seal from the text. Deterministic: fixed seeds, no timestamps.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import random
from pathlib import Path

import numpy as np
import pdfplumber
import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageFilter, ImageFont

ROOT = Path(__file__).resolve().parents[2]
FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
DPIS = (150, 200, 300)
# (name, source PDF, its expected records, seal text, the cell the seal covers)
SOURCES = [
    ("targets", "samples/targets_yanshanlu_2024.pdf", "samples/targets_yanshanlu_2024.expected.jsonl",
     "唐山市丰润区燕山路街道办事处", "project_name"),
    ("selfeval", "samples/selfeval_dahongmen_2023.pdf", "samples/selfeval_dahongmen_2023.expected.jsonl",
     "北京市丰台区大红门街道办事处", "department"),
]
# pages per scan, each cut where a report ends: fewer at high resolution (a 300 dpi text page is
# about 450 kB of JPEG, and OCR time grows with the pixels)
PAGES = {("targets", 150): (1, 5), ("selfeval", 150): (1, 4), ("targets", 200): (1, 5),
         ("selfeval", 200): (1, 4), ("targets", 300): (9, 9), ("selfeval", 300): (1, 2)}
SKEWS = (1.5, -2.5, 0.8, -1.2, 2.0, -0.5)  # degrees, counter-clockwise; page i gets SKEWS[i % 6]
UPSIDE_DOWN, SIDEWAYS, SEALED = 2, 3, 1  # 1-based page numbers in every scan


def page_image(pdf: pdfium.PdfDocument, index: int, dpi: int, colour: bool) -> Image.Image:
    bitmap = pdf[index].render(scale=dpi / 72, grayscale=not colour)
    return bitmap.to_pil().convert("RGB" if colour else "L")


def stamp_seal(image: Image.Image, centre: tuple[float, float], dpi: int, text: str) -> Image.Image:
    """A round red seal (ring, text along the top arc, a star) multiplied onto the page."""
    size = int(1.6 / 2.54 * dpi * 2)  # a 3.2 cm seal, as offices use
    seal = Image.new("RGB", (size, size), "white")
    pen = ImageDraw.Draw(seal)
    red = (214, 38, 42)
    width = max(2, size // 45)
    pen.ellipse([width, width, size - width, size - width], outline=red, width=width)
    font = ImageFont.truetype(FONT, size // 9)
    radius = size / 2 - width * 2 - size // 16
    for i, char in enumerate(text):
        angle = math.radians(200 + i * 140 / max(1, len(text) - 1))  # along the upper arc
        glyph = Image.new("RGBA", (size // 8, size // 8), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((0, 0), char, font=font, fill=red)
        glyph = glyph.rotate(-math.degrees(angle) - 90, expand=True, resample=Image.BICUBIC)
        x = size / 2 + radius * math.cos(angle) - glyph.width / 2
        y = size / 2 + radius * math.sin(angle) - glyph.height / 2
        seal.paste(glyph, (int(x), int(y)), glyph)
    star = [(size / 2 + size / 7 * math.cos(math.radians(-90 + k * 36)) * (1 if k % 2 == 0 else 0.4),
             size / 2 + size / 7 * math.sin(math.radians(-90 + k * 36)) * (1 if k % 2 == 0 else 0.4))
            for k in range(10)]
    pen.polygon(star, fill=red)
    box = (int(centre[0] - size / 2), int(centre[1] - size / 2))
    region = image.crop((box[0], box[1], box[0] + size, box[1] + size))
    # ink multiplies: where the seal is red, the black text under it stays black
    mixed = (np.asarray(region, dtype=np.float32) * np.asarray(seal, dtype=np.float32) / 255).astype(np.uint8)
    image.paste(Image.fromarray(mixed), box)
    return image


def spoil(image: Image.Image, dpi: int, skew: float, rng: random.Random) -> Image.Image:
    """Skew, blur and speckle, as a flatbed scanner gives a page."""
    fill = "white" if image.mode == "RGB" else 255
    image = image.rotate(skew, resample=Image.BICUBIC, fillcolor=fill)
    image = image.filter(ImageFilter.GaussianBlur(0.4 * dpi / 300))
    pixels = np.array(image)
    noise = np.random.default_rng(rng.randrange(1 << 30))
    count = int(pixels.shape[0] * pixels.shape[1] * 0.0002)
    ys = noise.integers(0, pixels.shape[0], count)
    xs = noise.integers(0, pixels.shape[1], count)
    pixels[ys[: count // 2], xs[: count // 2]] = 60  # dark specks (dust)
    pixels[ys[count // 2:], xs[count // 2:]] = 255  # light specks (dropouts)
    # paper is never white: a slightly grey, uneven background (a smooth one, which JPEG keeps small)
    shade = np.linspace(0, 14, pixels.shape[0], dtype=np.float32)[:, None]
    if pixels.ndim == 3:
        shade = shade[:, :, None]
    pixels = np.clip(pixels.astype(np.float32) - 6 - shade, 0, 255).astype(np.uint8)
    return Image.fromarray(pixels)


def as_jpeg(image: Image.Image, quality: int) -> Image.Image:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    return Image.open(io.BytesIO(buffer.getvalue()))


def seal_centre(path: Path, page: int, record: dict, field: str, dpi: int) -> tuple[float, float]:
    """The middle of the last place ``record[field]`` begins on ``page``, in pixels at ``dpi``."""
    with pdfplumber.open(path) as pdf:
        found = pdf.pages[page - 1].search(record[field][:6])[-1]  # the cell, not the title or header
    return ((found["x0"] + found["x1"]) / 2 * dpi / 72, (found["top"] + found["bottom"]) / 2 * dpi / 72)


def render(out: Path) -> list[dict]:
    sets = []
    for name, source, expected, seal_text, seal_field in SOURCES:
        every = [json.loads(line) for line in (ROOT / expected).read_text(encoding="utf-8").splitlines()]
        pdf = pdfium.PdfDocument(str(ROOT / source))
        for dpi in DPIS:
            first, last = PAGES[name, dpi]
            records = [r for r in every if first <= r["source"]["pages"][1] and r["source"]["pages"][0] <= last]
            assert all(first <= r["source"]["pages"][0] and r["source"]["pages"][1] <= last for r in records), \
                "cut inside a report"
            jsonl = out / f"{name}_scan_{dpi}dpi.expected.jsonl"
            jsonl.write_text("".join(json.dumps({k: v for k, v in r.items() if k != "source"}, ensure_ascii=False)
                                     + "\n" for r in records), encoding="utf-8")
            rng = random.Random(f"{name}-{dpi}")
            images = []
            for number in range(1, last - first + 2):
                image = page_image(pdf, first + number - 2, dpi, colour=number == SEALED)
                if number == SEALED:
                    centre = seal_centre(ROOT / source, first, records[0], seal_field, dpi)
                    image = stamp_seal(image, centre, dpi, seal_text)
                image = spoil(image, dpi, SKEWS[(number - 1) % len(SKEWS)], rng)
                if number == UPSIDE_DOWN:
                    image = image.rotate(180)
                elif number == SIDEWAYS:
                    image = image.transpose(Image.Transpose.ROTATE_90)
                images.append(as_jpeg(image, quality=60))
            document = out / f"{name}_scan_{dpi}dpi.pdf"
            images[0].save(document, "PDF", resolution=dpi, save_all=True, append_images=images[1:])
            sets.append({"name": f"{name}_scan_{dpi}dpi", "family": "hebei_target" if name == "targets" else "national_selfeval",
                         "route": f"reportlab, rendered at {dpi} dpi as a scan: skew up to 2.5°, speckle, JPEG, "
                                  "a page upside down, a page sideways, a red seal over a text cell",
                         "compare": "content_cjk_spaces", "document": _relative(document),
                         "expected": _relative(jsonl)})
    return sets


def _relative(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def write_sets(path: Path, sets: list[dict]) -> None:
    """The set list, keeping each set's pinned ``min_f1`` (measured, see tests/test_eval_sets.py)."""
    pinned = {}
    if path.exists():
        pinned = {s["name"]: s["min_f1"] for s in json.loads(path.read_text(encoding="utf-8")) if "min_f1" in s}
    rows = [json.dumps({**s, **({"min_f1": pinned[s["name"]]} if s["name"] in pinned else {})}, ensure_ascii=False)
            for s in sets]
    path.write_text("[\n  " + ",\n  ".join(rows) + "\n]\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "samples" / "eval" / "scans")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    sets = render(args.out)
    write_sets(args.out.parent / "sets_scans.json", sets)
    for doc_set in sets:
        print(doc_set["document"], (ROOT / doc_set["document"]).stat().st_size // 1024, "kB")


if __name__ == "__main__":
    main()
