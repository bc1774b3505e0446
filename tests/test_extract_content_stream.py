"""The fast content-stream reader gives exactly what pdfminer's parser gives, or hands the page back.

``extract/content_stream.py`` replaces pdfminer's tokenizer for speed; these tests hold it to
pdfminer's own output: token by token on generated streams (hypothesis), and object by object on
real pages, including a page with an inline image (which goes pdfminer's way).
"""

from types import MethodType

import pdfplumber
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pdfminer.pdfinterp import PDFContentParser
from pdfminer.pdftypes import PDFStream
from pdfminer.psparser import PSEOF, PSKeyword, PSLiteral

from extract.content_stream import Irregular, content_objects
from extract.evaluation import ROOT
from extract.layout import ruled_cells
from extract.pdf import _lean_object, _page_layout

SNIPPETS = [
    b"1", b"-2.5", b".5", b"+", b"-", b"1.", b"007", b"-.5", b".", b"1.2.3", b"--4", b"12abc",
    b"Tj", b"TJ", b"BT", b"ET", b"T*", b"'", b'"', b"d0", b"true", b"false", b"EI", b"re",
    b"/F1", b"/", b"/a#20b", b"/\xe9t\xe9", b"/Name.With-Dots",
    b"(abc)", b"(a(b)c)", b"(\\050)", b"(\\n\\t\\b\\f\\r\\\\)", b"(\\777)", b"(x\\\ny)", b"(\\q)",
    b"(\\0123)", b"(\\1)", b"(", b")", b"(\xff\x00)", b"(\\\r\n)",
    b"<48656C>", b"<4 8\n6>", b"<ABC>", b"<>", b"<G>", b"<", b">", b"<<", b">>",
    b"[", b"]", b"{", b"}", b"%comment\n", b"%c", b"\\", b"\x00", b"#", b"\x80",
    b"BI /W 1 /H 1 ID x EI", b"<< /MCID 0 >> BDC", b"<</A 1 /B>>",
]
SEPARATORS = [b" ", b"\n", b"", b"\r\n", b"\t"]


def pdfminer_objects(streams: list[bytes]) -> list:
    try:
        parser = PDFContentParser([PDFStream({}, data) for data in streams])
    except PSEOF:
        return []
    objects = []
    while True:
        try:
            objects.append(parser.nextobject()[1])
        except PSEOF:
            return objects


def typed(value):
    """A comparable form that tells True from 1 and 1 from 1.0."""
    if isinstance(value, list):
        return ["list", [typed(v) for v in value]]
    if isinstance(value, dict):
        return ["dict", {k: typed(v) for k, v in value.items()}]
    if isinstance(value, (PSKeyword, PSLiteral)):
        return [type(value).__name__, value.name]
    return [type(value).__name__, value]


def assert_same(streams: list[bytes]) -> None:
    try:
        got = content_objects(streams)
    except Irregular:
        return  # pdfminer's own parser reads this page
    assert typed(got) == typed(pdfminer_objects(streams))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(SNIPPETS), st.sampled_from(SEPARATORS)), max_size=25),
       st.lists(st.integers(min_value=0, max_value=400), max_size=2))
def test_same_objects_as_pdfminer_on_generated_streams(tokens, cuts):
    data = b"".join(token + separator for token, separator in tokens)
    bounds = sorted({min(c, len(data)) for c in cuts})
    streams = [data[a:b] for a, b in zip([0, *bounds], [*bounds, len(data)])]
    assert_same(streams)


@pytest.mark.parametrize("data", [
    b"BT /F1 9 Tf 56.8 797.5 Td <0102>Tj [<01>3<02>-7<03>]TJ ET",
    b"q 0.5 w 0 J 1 j 51.05 779.2 m 533.35 779.2 l S Q",
    b"BT (\\001\\002 a\\(b\\) \\\\) Tj T* ET",
    b"/Span << /MCID 3 /Alt (x) >> BDC EMC",
    b"[1 [2 [3]] {4 5}] true false null",
])
def test_same_objects_as_pdfminer_on_typical_streams(data):
    assert typed(content_objects([data])) == typed(pdfminer_objects([data]))


def test_what_is_not_mirrored_goes_to_pdfminer():
    for streams in ([b"BI /W 1 ID x EI"], [b"/a#20b"], [b"]"], [b"<< /A >>"], [b"(open"],
                    [b"/F1 /", b"F2"], [b"(a\\\r\nb)"], [b"(\\777)"]):
        with pytest.raises(Irregular):
            content_objects(streams)


def page_objects(page, fast: bool) -> dict:
    page.close()
    if fast:
        page._layout = _page_layout(page)
    return {kind: [comparable_object(o) for o in objects] for kind, objects in page.objects.items()}


def comparable_object(obj: dict) -> dict:
    """An inline image is named after its stream's id() and the stream has no equality: compare content."""
    if "stream" not in obj:
        return obj
    stream = obj["stream"]
    rest = {k: v for k, v in obj.items() if k not in ("stream", "name")}
    return {**rest, "stream": (stream.attrs, stream.rawdata)}


def committed_pdfs() -> list:
    return sorted(ROOT.glob("samples/*.pdf")) + sorted(ROOT.glob("samples/eval/*.pdf"))


@pytest.mark.parametrize("path", committed_pdfs(), ids=lambda p: p.name)
def test_pages_read_as_pdfplumber_reads_them(path):
    """First pages of every committed PDF: every object as pdfplumber converts it, and its tables."""
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages[:3]:
            want_objects = page_objects(page, fast=False)
            want_tables = [t.cells for t in page.find_tables()]
            assert page_objects(page, fast=True) == want_objects
            page.process_object = MethodType(_lean_object, page)
            page.close()
            page._layout = _page_layout(page)
            assert ruled_cells(page) == want_tables


def test_page_with_an_inline_image(tmp_path):
    canvas = pytest.importorskip("reportlab.pdfgen.canvas")
    image = pytest.importorskip("PIL.Image")

    path = tmp_path / "inline.pdf"
    pdf = canvas.Canvas(str(path))
    pdf.drawString(72, 720, "before (the image)")
    pdf.rect(72, 600, 200, 80)
    pdf.drawInlineImage(image.new("RGB", (2, 2), "red"), 72, 500, 20, 20)  # BI … ID … EI
    pdf.drawString(72, 480, "after")
    pdf.save()
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        want = page_objects(page, fast=False)
        assert want.get("image") and want.get("char")
        assert page_objects(page, fast=True) == want
