"""Landscape pages: a landscape page size, and a portrait page turned by /Rotate with its content
drawn turned back (what printing a landscape section to PDF often makes). Both read exactly like
the portrait rendering of the same reports."""

from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape

from extract.evaluation import as_labelled, comparable, read_jsonl
from extract.pipeline import extract_file

ROOT = Path(__file__).resolve().parent.parent
HEADER = "北京市丰台区人民政府大红门街道办事处2023年度部门决算"


def records(render) -> list[dict]:
    # a report that breaks across pages, and the reports around it
    return render.read_records(ROOT / "samples" / "records" / "selfeval_dahongmen_2023.jsonl")[:4]


def on_landscape_pages(render, monkeypatch) -> None:
    width, height = landscape(A4)
    for name, value in {"A4": (width, height), "PAGE_W": width, "PAGE_H": height,
                        "BODY_BOTTOM": height - 72.0}.items():
        monkeypatch.setattr(render, name, value)


def read(pdf: Path) -> tuple[list[dict], list[dict]]:
    """(records extracted, records expected), compared on content and pages (not file or sha256)."""
    doc = extract_file(pdf)
    assert doc.error is None and not any("extraction_warnings" in r for r in doc.records)

    def side(records):
        return [comparable(r, "content") | {"pages": r["source"]["pages"]} for r in records]
    got, expected = side(doc.records), side(read_jsonl(pdf.with_suffix(".expected.jsonl")))
    return [as_labelled(g, w) for g, w in zip(got, expected)] + got[len(expected):], expected


def test_landscape_page_size(render, monkeypatch, tmp_path):
    on_landscape_pages(render, monkeypatch)
    made = render.render_set("landscape", records(render), HEADER, tmp_path)
    assert made["pages"] > 2  # the reports break across the shorter pages
    got, expected = read(made["pdf"])
    assert got == expected


def test_portrait_page_rotated_to_landscape(render, monkeypatch, tmp_path):
    on_landscape_pages(render, monkeypatch)
    width, height = landscape(A4)
    plain = render.canvas.Canvas

    class Turned(plain):
        """Portrait media box, /Rotate 90, and the landscape drawing mapped into it."""

        def __init__(self, path, pagesize, **kw):
            super().__init__(path, pagesize=(height, width), **kw)
            self._turn()

        def _turn(self):
            self.setPageRotation(90)
            self.transform(0, 1, -1, 0, height, 0)  # (x, y) drawn → shown upright after the turn

        def showPage(self):
            super().showPage()
            self._turn()

    monkeypatch.setattr(render.canvas, "Canvas", Turned)
    made = render.render_set("rotated", records(render), HEADER, tmp_path)
    assert b"/Rotate 90" in made["pdf"].read_bytes()
    got, expected = read(made["pdf"])
    assert got == expected
