"""Hostile input is contained: each bad file costs one document, with a reason, never the run.

Every file here is real and made by the test (a zlib bomb, objects nested 100,000 deep, 2,000
pages, zip bombs, text that looks like SQL): each yields a ``Document`` whose ``error`` names the
cause (or the right records), no exception reaches the caller, nothing runs past its limit, and a
good report read in the same ``extract_files`` call is still extracted.
"""

from __future__ import annotations

import copy
import gc
import io
import json
import re
import struct
import subprocess
import sys
import threading
import zipfile
import zlib
from decimal import Decimal
from pathlib import Path

import docx
import pytest

from extract import pipeline
from extract.evaluation import as_labelled
from extract.layout import PageLayout
from extract.pdf import TOO_DEEP, read_pdf
from extract.pipeline import extract_file, extract_files

ROOT = Path(__file__).resolve().parent.parent
OUT_OF_MEMORY = "parser ran out of memory (limit JIXIAO_PARSE_MEMORY_MB)"
SQL, HTML, TEMPLATE, DOLLAR = "'); DROP TABLE raw.reports; --", "<script>alert(1)</script>", "{{ var }}", "$1"
DEEP = 100_000

# ---------------------------------------------------------------------------------------------
# Making the files
# ---------------------------------------------------------------------------------------------


def write_pdf(path: Path, objects: list, info: bytes | None = None) -> Path:
    """A PDF with a correct xref: object n is ``objects[n-1]``, bytes or (stream dict, data chunks)."""
    with open(path, "wb") as fh:
        fh.write(b"%PDF-1.7\n")
        offsets = []
        for number, body in enumerate(objects, 1):
            offsets.append(fh.tell())
            fh.write(b"%d 0 obj\n" % number)
            if isinstance(body, tuple):
                head, chunks = body
                chunks = [chunks] if isinstance(chunks, bytes) else chunks
                fh.write(head[:-2] + b" /Length %d >>\nstream\n" % sum(map(len, chunks)))
                fh.writelines(chunks)
                fh.write(b"\nendstream")
            else:
                fh.write(body)
            fh.write(b"\nendobj\n")
        if info is not None:
            offsets.append(fh.tell())
            fh.write(b"%d 0 obj\n%s\nendobj\n" % (len(objects) + 1, info))
        xref = fh.tell()
        fh.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1))
        fh.writelines(b"%010d 00000 n \n" % offset for offset in offsets)
        fh.write(b"trailer\n<< /Size %d /Root 1 0 R" % (len(offsets) + 1))
        if info is not None:
            fh.write(b" /Info %d 0 R" % len(offsets))
        fh.write(b" >>\nstartxref\n%d\n%%%%EOF\n" % xref)
    return path


FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
HELLO = b"BT /F1 12 Tf 72 720 Td (hello) Tj ET"


def one_page(path: Path, contents: tuple, resources: bytes = b"<< /Font << /F1 5 0 R >> >>",
             page: bytes = b"", more: tuple = (FONT,)) -> Path:
    """Catalog 1, pages 2, page 3, its content stream 4, then ``more`` (5: the font by default)."""
    return write_pdf(path, [
        b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources " + resources
        + b" /Contents 4 0 R" + page + b" >>", contents, *more])


def inflating_to(pattern: bytes, megabytes: int, wbits: int = 15) -> list[bytes]:
    """A deflate stream (zlib, or raw for wbits=-15) of ``pattern`` repeated to ``megabytes`` MB.

    One megabyte is compressed once: after a full flush the compressor starts afresh, so every
    further megabyte compresses to the same bytes and is written as a copy. The zlib checksum of
    the whole is combined from the one block's (Adler-32: a += a1 - 1, b += b1 + len * (a - 1)).
    """
    block = pattern * ((1 << 20) // len(pattern))
    comp = zlib.compressobj(9, zlib.DEFLATED, wbits)
    first = comp.compress(block) + comp.flush(zlib.Z_FULL_FLUSH)
    again = comp.compress(block) + comp.flush(zlib.Z_FULL_FLUSH)
    end = comp.flush()
    if wbits < 0:
        return [first, again * (megabytes - 1), end]
    one = zlib.adler32(block)
    a1, b1 = one & 0xFFFF, one >> 16
    a, b = a1, b1
    for _ in range(megabytes - 1):
        a, b = (a + a1 - 1) % 65521, (b + b1 + len(block) * (a - 1)) % 65521
    return [first, again * (megabytes - 1), end[:-4], ((b << 16) | a).to_bytes(4, "big")]


def nested_array(depth: int) -> bytes:
    return b"[" * depth + b"0" + b"]" * depth


def nested_dict(depth: int) -> bytes:
    return b"<< /A " * depth + b"0" + b" >>" * depth


def with_update(source: Path, path: Path, page_extra: bytes, info: bytes) -> Path:
    """``source`` (a reportlab PDF) with an incremental update: page 1 gets ``page_extra`` in its
    dictionary and the document a new Info dictionary. The original bytes are left as they are."""
    data = source.read_bytes()
    page = re.search(rb"\n(\d+) 0 obj\n(<<(?:(?!endobj).)*?/Type /Page\n>>)\nendobj", data, re.S)
    number, body = page.groups()
    size = int(re.findall(rb"/Size (\d+)", data)[-1])
    root = re.findall(rb"/Root (\d+) 0 R", data)[-1]
    previous = re.findall(rb"startxref\s+(\d+)", data)[-1]
    update, offsets = bytearray(b"\n"), {}
    for objid, text in ((int(number), body[:-2] + page_extra + b" >>"), (size, info)):
        offsets[objid] = len(data) + len(update)
        update += b"%d 0 obj\n%s\nendobj\n" % (objid, text)
    xref = len(data) + len(update)
    update += b"xref\n" + b"".join(b"%d 1\n%010d 00000 n \n" % (o, offsets[o]) for o in sorted(offsets))
    update += b"trailer\n<< /Size %d /Root %s 0 R /Info %d 0 R /Prev %s >>\nstartxref\n%d\n%%%%EOF\n" % (
        size + 1, root, size, previous, xref)
    path.write_bytes(data + bytes(update))
    return path


def write_zip(path: Path, members: dict[str, tuple[list[bytes], int, int]]) -> Path:
    """A zip of already deflated members: name → (raw deflate chunks, CRC-32, inflated size)."""
    with open(path, "wb") as fh:
        central = []
        for name, (chunks, crc, size) in members.items():
            offset, packed, encoded = fh.tell(), sum(map(len, chunks)), name.encode()
            fh.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, packed, size,
                                 len(encoded), 0) + encoded)
            fh.writelines(chunks)
            central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc,
                                       packed, size, len(encoded), 0, 0, 0, 0, 0, offset) + encoded)
        start = fh.tell()
        fh.writelines(central)
        fh.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central),
                             fh.tell() - start, start, 0))
    return path


def deflated(data: bytes) -> tuple[list[bytes], int, int]:
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    return [comp.compress(data) + comp.flush()], zlib.crc32(data), len(data)


def deflated_bomb(pattern: bytes, megabytes: int) -> tuple[list[bytes], int, int]:
    block = pattern * ((1 << 20) // len(pattern))
    crc = 0
    for _ in range(megabytes):  # about 0.35 s a gigabyte
        crc = zlib.crc32(block, crc)
    return inflating_to(pattern, megabytes, wbits=-15), crc, len(block) * megabytes


def limit_memory(monkeypatch, mb: int = 512, timeout: int = 60) -> None:
    # on top of what the forked worker inherits (pytest, duckdb, reportlab... are mapped in it)
    monkeypatch.setenv("JIXIAO_PARSE_MEMORY_MB", str(mb))
    monkeypatch.setenv("JIXIAO_PARSE_TIMEOUT", str(timeout))


@pytest.fixture(scope="session")
def reports(tmp_path_factory, render) -> dict:
    """Two one-report self-evaluations rendered like the samples: "good" as transcribed, and
    "hostile" with cells that look like SQL, HTML, a template and a regex back-reference."""
    records = render.read_records(ROOT / "samples" / "records" / "selfeval_dahongmen_2023.jsonl")
    hostile = copy.deepcopy(records[0])
    hostile.update(project_name=SQL, department=HTML, implementing_unit=TEMPLATE, project_lead=DOLLAR,
                   goal_planned=f"为 5 名老人发放慰问金 {SQL}", goal_actual=f"{HTML} {TEMPLATE}")
    first, second, third = hostile["indicators"][:3]
    first.update(level3=SQL, deviation=HTML)
    second.update(level3=TEMPLATE, deviation=DOLLAR)
    third.update(actual=DOLLAR)
    out = tmp_path_factory.mktemp("reports")
    made = {}
    for name, record in (("good", records[1]), ("hostile", hostile)):
        render.render_set(name, [record], "北京市丰台区人民政府大红门街道办事处2023年度部门决算", out)
        made[name] = (out / f"{name}.pdf", record)
    return made


def extract(paths, jobs: int = 1) -> dict[str, object]:
    return {Path(doc.file).name: doc for doc in extract_files(paths, jobs=jobs)}


def assert_good(doc, record: dict) -> None:
    assert doc.error is None
    [got] = doc.records
    assert as_labelled({k: v for k, v in got.items() if k != "source"}, record) == record  # v1 labels


# ---------------------------------------------------------------------------------------------
# 1. Decompression bombs
# ---------------------------------------------------------------------------------------------


def bombs(tmp_path: Path) -> list[Path]:
    """A content stream, a form drawn twice deflated, and an object stream read while opening the
    file, each inflating to 4 GB."""
    content = one_page(tmp_path / "content_bomb.pdf",  # 6 MB inflating to 4 GB of "0 0 m "
                       (b"<< /Filter /FlateDecode >>", inflating_to(b"0 0 m ", 4096)))
    twice = b"".join(inflating_to(b"\0", 4096))  # 4 MB, deflated once more: 12 KB
    form = one_page(tmp_path / "form_bomb.pdf", (b"<< >>", b"/X Do " + HELLO),
                    resources=b"<< /Font << /F1 5 0 R >> /XObject << /X 6 0 R >> >>",
                    more=(FONT, (b"<< /Type /XObject /Subtype /Form /BBox [0 0 9 9] "
                                 b"/Filter [/FlateDecode /FlateDecode] >>", zlib.compress(twice, 9))))
    # No xref: pdfminer finds the object stream while opening the file, and inflates it then.
    opening = tmp_path / "objstm_bomb.pdf"
    stream = zlib.compress(b"".join(inflating_to(b" ", 4096)), 9)
    opening.write_bytes(b"%%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
                        b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
                        b"5 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter [/FlateDecode /FlateDecode] "
                        b"/Length %d >>\nstream\n%s\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%%%EOF\n"
                        % (len(stream), stream))
    assert content.stat().st_size < 8 << 20
    return [content, form, opening]


def test_decompression_bombs_are_refused_at_the_stream_cap(tmp_path, reports, monkeypatch):
    monkeypatch.setenv("JIXIAO_MAX_STREAM_MB", "64")
    limit_memory(monkeypatch, 512, timeout=60)
    content, form, opening = bombs(tmp_path)
    runs = one_page(tmp_path / "run_length_bomb.pdf",  # 1.2 MB of runs of 128 spaces: 77 MB
                    (b"<< /Filter /RunLengthDecode >>", b"\x81 " * 600_000 + b"\x80"))
    good, record = reports["good"]
    docs = extract([content, good, form, opening, runs], jobs=1)
    bomb = "decompression bomb: a stream inflates past 64 MB (limit JIXIAO_MAX_STREAM_MB)"
    assert (docs["run_length_bomb.pdf"].error, docs["run_length_bomb.pdf"].records) == (f"page 1: {bomb}", [])
    assert (docs["content_bomb.pdf"].error, docs["content_bomb.pdf"].records) == (f"page 1: {bomb}", [])
    assert (docs["form_bomb.pdf"].error, docs["form_bomb.pdf"].records) == (f"page 1: {bomb}", [])
    assert (docs["objstm_bomb.pdf"].error, docs["objstm_bomb.pdf"].records) == (bomb, [])
    assert_good(docs["good.pdf"], record)


def test_past_a_cap_set_too_high_the_memory_limit_stops_them(tmp_path, reports, monkeypatch):
    monkeypatch.setenv("JIXIAO_MAX_STREAM_MB", "8192")
    limit_memory(monkeypatch, 512, timeout=60)
    content, form, opening = bombs(tmp_path)
    good, record = reports["good"]
    docs = extract([content, good, form, opening], jobs=1)
    for name in ("content_bomb.pdf", "form_bomb.pdf", "objstm_bomb.pdf"):
        assert (docs[name].error, docs[name].records) == (OUT_OF_MEMORY, []), name
    assert_good(docs["good.pdf"], record)


WORKER_PEAK = """
import json, resource, sys
from extract.pipeline import extract_files
docs = list(extract_files(sys.argv[1:], jobs=2))
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024  # the largest worker's, in MB
print(json.dumps({"errors": [doc.error for doc in docs], "records": [len(doc.records) for doc in docs],
                  "worker_peak_mb": peak}))
"""


def test_a_2_gb_bomb_costs_its_worker_less_than_1_gb(tmp_path, reports, monkeypatch):
    """Issue 14: a 2 GB bomb peaked at 1.86 GB before the memory limit stopped it. With the default
    limits, each worker's peak resident size (measured by the kernel) stays under 1 GB, and the
    file is named as a bomb."""
    for name in ("JIXIAO_MAX_STREAM_MB", "JIXIAO_PARSE_MEMORY_MB", "JIXIAO_PARSE_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    bomb = one_page(tmp_path / "bomb_2gb.pdf", (b"<< /Filter /FlateDecode >>", inflating_to(b"0 0 m ", 2048)))
    good, _ = reports["good"]
    # A process of its own: its children are the two workers only (this one's have run dbt and more).
    result = subprocess.run([sys.executable, "-c", WORKER_PEAK, str(bomb), str(good)], cwd=ROOT,
                            capture_output=True, text=True, check=True)
    outcome = json.loads(result.stdout)
    assert outcome["errors"] == [
        "page 1: decompression bomb: a stream inflates past 256 MB (limit JIXIAO_MAX_STREAM_MB)", None]
    assert outcome["records"] == [0, 1]
    assert outcome["worker_peak_mb"] < 1024, outcome


# ---------------------------------------------------------------------------------------------
# 2. Objects nested 100,000 deep
# ---------------------------------------------------------------------------------------------


def test_deeply_nested_objects_never_reach_the_caller(tmp_path, reports, monkeypatch):
    good, record = reports["good"]
    # Where nothing reads them (an annotation, the Info dictionary), the report is read as usual.
    annotated = with_update(good, tmp_path / "annotated.pdf",
                            b" /Annots [<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A "
                            + nested_array(DEEP) + b" >>]",
                            b"<< /Title " + nested_dict(DEEP) + b" >>")
    # Where the reader walks them, the document is refused as nested too deeply.
    resources = one_page(tmp_path / "resources.pdf", (b"<< >>", HELLO), resources=(
        b"<< /Font << /F1 5 0 R >> /ColorSpace << /C " + nested_array(DEEP) + b" >> >>"))
    rotate = one_page(tmp_path / "rotate.pdf", (b"<< >>", HELLO), page=b" /Rotate " + nested_array(DEEP))
    forms = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
             b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /X 5 0 R >> >> "
             b"/Contents 4 0 R >>", (b"<< >>", b"/X Do")]
    forms += [(b"<< /Type /XObject /Subtype /Form /BBox [0 0 9 9] "
               b"/Resources << /XObject << /X %d 0 R >> >> >>" % (n + 1), b"/X Do")
              for n in range(5, 5005)]  # each form draws the next, 5,000 deep
    forms = write_pdf(tmp_path / "forms.pdf", forms)
    tree = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    tree += [b"<< /Type /Pages /Kids [%d 0 R] /Count 1 >>" % (n + 1) for n in range(2, 20_002)]
    tree += [b"<< /Type /Page /MediaBox [0 0 595 842] /Contents 20003 0 R >>", (b"<< >>", HELLO)]
    tree = write_pdf(tmp_path / "page_tree.pdf", tree)  # a page under 20,000 levels of /Pages
    limit_memory(monkeypatch, 512, timeout=120)
    docs = extract([annotated, resources, rotate, forms, tree, good])
    assert_good(docs["annotated.pdf"], record)
    assert_good(docs["good.pdf"], record)
    assert docs["resources.pdf"].error == f"page 1: {TOO_DEEP}"
    assert docs["forms.pdf"].error == f"page 1: {TOO_DEEP}"
    assert docs["rotate.pdf"].error == TOO_DEEP
    assert docs["page_tree.pdf"].error == TOO_DEEP
    # Read in this process too (extract_file, as the evaluation and the bench do): no RecursionError
    # escapes, and this process goes on.
    for path in (rotate, forms):
        assert TOO_DEEP in extract_file(path).error


# ---------------------------------------------------------------------------------------------
# 3. 2,000 pages
# ---------------------------------------------------------------------------------------------


def two_thousand_pages(path: Path) -> Path:
    """Odd pages share one stream of 40 lines of text (some 50 ms a page), even pages one empty stream."""
    lines = b"".join(b"(row %02d of a long page: 0123456789 abcdefghij ABCDEFGHIJ) '\n" % i
                     for i in range(40))
    kids = b" ".join(b"%d 0 R" % (6 + i) for i in range(2000))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [" + kids + b"] /Count 2000 >>",
               (b"<< >>", b"BT /F1 9 Tf 11 TL 30 810 Td " + lines + b"ET"), (b"<< >>", b""), FONT]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                b"/Resources << /Font << /F1 5 0 R >> >> /Contents %d 0 R >>" % (3 if i % 2 == 0 else 4)
                for i in range(2000)]
    return write_pdf(path, objects)


def resident_mb() -> int:
    with open("/proc/self/status") as fh:
        return int(re.search(r"VmRSS:\s+(\d+) kB", fh.read()).group(1)) // 1024


def test_a_2000_page_pdf_is_stopped_at_the_time_limit_and_its_layouts_let_go(tmp_path, reports, monkeypatch):
    big = two_thousand_pages(tmp_path / "pages2000.pdf")
    good, record = reports["good"]

    def odd_pages_never_end(path, part=0, parts=1):
        yield from read_pdf(path, part, parts)
        if Path(path) == big and part == 0:
            threading.Event().wait()  # only the time limit ends this worker, however fast the machine

    monkeypatch.setattr(pipeline, "read_pdf", odd_pages_never_end)  # the forked workers inherit it
    monkeypatch.setenv("JIXIAO_PARSE_TIMEOUT", "10")
    gc.collect()
    before = resident_mb()
    seen = {}
    # Two workers stripe the pages: the even (empty) pages come back, the odd ones never do and are
    # stopped at 10 s; the good report is read meanwhile.
    for doc in extract_files([big, good], jobs=2):
        gc.collect()
        seen[Path(doc.file).name] = (doc, sum(type(o) is PageLayout for o in gc.get_objects()))
    big_doc, _ = seen["pages2000.pdf"]
    assert big_doc.error == "parsing took longer than 10 s (limit JIXIAO_PARSE_TIMEOUT)"
    assert big_doc.records == []
    good_doc, layouts_alive = seen["good.pdf"]
    assert_good(good_doc, record)
    # By the time the next document is handed out, the layouts of the rejected one are gone:
    # at most the good report's own page is still referenced.
    assert layouts_alive <= 1
    gc.collect()
    assert sum(type(o) is PageLayout for o in gc.get_objects()) == 0
    assert resident_mb() - before < 50  # the pages were read in the workers, not here


# ---------------------------------------------------------------------------------------------
# 4. Zip bombs, broken Word files, files that are not what their name says
# ---------------------------------------------------------------------------------------------


def test_zip_bombs_broken_docx_and_misnamed_files(tmp_path, reports, monkeypatch):
    buffer = io.BytesIO()
    word = docx.Document()
    word.add_paragraph("hello")
    word.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    members = {name: deflated(data) for name, data in parts.items()}
    head = parts["word/document.xml"].split(b"<w:body>")[0]  # the XML declaration and <w:document>

    def docx_with(name: str, document) -> Path:
        return write_zip(tmp_path / name, {**members, "word/document.xml": document})

    chunks, crc, size = deflated_bomb(b"<w:p/>", 2048)  # 3 MB, 2 GB inflated
    bomb = docx_with("bomb.docx", (chunks, crc, size))
    docx_with("lying.docx", (chunks, crc, 10 << 20))  # its directory says 10 MB
    docx_with("invalid.docx", deflated(head + b"<w:body><w:p><w:r><w:t>cut off"))
    docx_with("deep.docx", deflated(head + b"<w:body>" + b"<w:sdt><w:sdtContent>" * DEEP + b"<w:p/>"
                                    + b"</w:sdtContent></w:sdt>" * DEEP + b"</w:body></w:document>"))
    entities = b"".join(b'<!ENTITY e%d "%s">' % (i, (b"&e%d;" % (i - 1) if i else b"ha") * 10)
                        for i in range(10))  # "billion laughs": &e9; is 10^10 "ha"
    docx_with("laughs.docx", deflated(b'<?xml version="1.0"?><!DOCTYPE d [' + entities + b"]>"
                                      + head.split(b"?>", 1)[1] + b"<w:body><w:p><w:r><w:t>&e9;</w:t>"
                                      b"</w:r></w:p></w:body></w:document>"))
    plain = write_zip(tmp_path / "plain.docx", members)
    html = b"<!DOCTYPE html>\n<html><head><title>404</title></head><body>Not Found</body></html>\n"
    (tmp_path / "page.docx").write_bytes(html)
    (tmp_path / "page.pdf").write_bytes(html)
    (tmp_path / "word.pdf").write_bytes(plain.read_bytes())
    (tmp_path / "bomb.pdf").write_bytes(bomb.read_bytes())
    limit_memory(monkeypatch, 512, timeout=60)
    good, record = reports["good"]
    names = ["bomb.docx", "lying.docx", "invalid.docx", "deep.docx", "laughs.docx", "plain.docx",
             "page.docx", "page.pdf", "word.pdf", "bomb.pdf"]
    docs = extract([*(tmp_path / name for name in names), good])
    reasons = {name: docs[name].error for name in names}
    assert all(docs[name].records == [] for name in names)
    assert reasons["bomb.docx"].startswith("zip bomb: word/document.xml would inflate to 2047 MB")
    assert reasons["lying.docx"] == OUT_OF_MEMORY
    # libxml2's own words follow: "Premature end of data ...", "Excessive depth in document: 256 ...",
    # "Maximum entity amplification factor exceeded ..." (lxml 6; other versions word them otherwise)
    for name in ("invalid.docx", "deep.docx", "laughs.docx"):
        assert reasons[name].startswith("corrupt Word document (invalid XML): "), name
    assert "depth" in reasons["deep.docx"]
    assert "entit" in reasons["laughs.docx"].lower()
    assert reasons["plain.docx"].startswith("no report table found")
    assert reasons["page.docx"] == "corrupt or not a Word document: PackageNotFoundError"
    assert reasons["page.pdf"] == (
        "not a PDF file (no %PDF- header; it is an HTML page, e.g. a download link's error page)")
    assert reasons["word.pdf"] == reasons["bomb.pdf"] == (
        "not a PDF file (no %PDF- header; it is a ZIP archive, e.g. a Word .docx renamed .pdf)")
    assert_good(docs["good.pdf"], record)


# ---------------------------------------------------------------------------------------------
# 5. Cell text that looks like SQL, HTML or a template
# ---------------------------------------------------------------------------------------------


def test_cell_text_like_sql_or_html_is_stored_verbatim(tmp_path, reports):
    from extract.load import connect, load_document

    (hostile, record), (good, good_record) = reports["hostile"], reports["good"]
    docs = extract([hostile, good])
    assert_good(docs["hostile.pdf"], record)
    warehouse = tmp_path / "jixiao.duckdb"
    with connect(warehouse) as con:
        tables = con.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'raw' "
                             "ORDER BY 1").fetchall()
        for doc in docs.values():
            load_document(con, doc, "test")
        load_document(con, docs["hostile.pdf"], "test")  # loading again replaces its rows
    with connect(warehouse) as con:
        assert con.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'raw' "
                           "ORDER BY 1").fetchall() == tables
        assert con.execute("SELECT count(*), count(DISTINCT source_file) FROM raw.reports").fetchone() == (2, 2)
        assert con.execute("SELECT count(*) FROM raw.documents WHERE status = 'ok'").fetchone() == (2,)
        assert con.execute("SELECT count(*) FROM raw.indicators").fetchone() == (
            len(record["indicators"]) + len(good_record["indicators"]),)
        sha = docs["hostile.pdf"].sha256
        row = con.execute("SELECT project_name, department, implementing_unit, project_lead, goal_planned, "
                          "goal_actual, record_json FROM raw.reports WHERE source_sha256 = ?", [sha]).fetchone()
        assert row[:6] == (SQL, HTML, TEMPLATE, DOLLAR, f"为 5 名老人发放慰问金 {SQL}", f"{HTML} {TEMPLATE}")
        stored = json.loads(row[6])
        assert as_labelled({k: v for k, v in stored.items() if k != "source"}, record) == record
        indicators = con.execute(
            "SELECT level3, actual, deviation FROM raw.indicators i JOIN raw.reports r USING (report_id) "
            "WHERE r.source_sha256 = ? ORDER BY indicator_index LIMIT 3", [sha]).fetchall()
        assert indicators == [(SQL, "达到目标", HTML), (TEMPLATE, "达到目标", DOLLAR),
                              ("重阳节前发放完成", DOLLAR, None)]


# ---------------------------------------------------------------------------------------------
# 6. Numbers no column can hold
# ---------------------------------------------------------------------------------------------


def test_numbers_out_of_range_load_as_null_and_are_named_in_the_record(tmp_path, reports):
    """Regression: a 21-digit score or a target of 99999999 亿元 made the raw load raise a
    ConversionException, which failed the whole run."""
    from extract.document import Document
    from extract.load import connect, load_document

    record = copy.deepcopy(reports["good"][1])
    record["indicators"][0].update(score=10**20, target="99999999 亿元")
    record["funding"][0]["executed"] = 10**15
    record["source"] = {"file": "odd.pdf", "sha256": "b" * 64, "pages": [1, 1]}
    with connect(tmp_path / "jixiao.duckdb") as con:
        assert load_document(con, Document("odd.pdf", "b" * 64, [record]), "test") == 1
        score, weight, target_num, target_yuan = con.execute(
            "SELECT score, weight, target_value, target_value_yuan FROM raw.indicators "
            "JOIN raw.indicator_values USING (report_id, indicator_index) WHERE indicator_index = 1").fetchone()
        executed, annual = con.execute("SELECT executed, annual_budget FROM raw.funding WHERE row_index = 1").fetchone()
        stored = json.loads(con.execute("SELECT record_json FROM raw.reports").fetchone()[0])
    assert (score, executed, target_yuan) == (None, None, None)
    assert weight == Decimal(str(record["indicators"][0]["weight"]))
    assert target_num == Decimal("99999999")
    assert annual == Decimal(str(record["funding"][0]["annual_budget"]))
    assert stored["extraction_warnings"] == [
        "number out of range, stored as NULL: funding[1].executed = 1000000000000000",
        "number out of range, stored as NULL: indicators[1].score = 100000000000000000000",
        "number out of range, stored as NULL: indicators[1].target_value_yuan = 9999999900000000",
        "number out of range, stored as NULL: indicators[1].target_annual_yuan = 9999999900000000",
    ]


def test_a_nul_character_is_replaced_and_named(tmp_path, reports):
    """Regression: a glyph mapped to U+0000 was stored as is; on PostgreSQL the mirror refused it
    and with it the whole night's publication."""
    from extract.document import Document
    from extract.load import connect, load_document, quarantine_reason

    record = copy.deepcopy(reports["good"][1])
    record["project_name"] = "社区\x00养老服务"
    record["indicators"][1]["level3"] = "\x00覆盖率"
    record["source"] = {"file": "nul.pdf", "sha256": "c" * 64, "pages": [1, 1]}
    with connect(tmp_path / "jixiao.duckdb") as con:
        assert load_document(con, Document("nul.pdf", "c" * 64, [record]), "test") == 1
        name, level3, stored = con.execute(
            "SELECT project_name, level3, record_json FROM raw.reports JOIN raw.indicators USING (report_id) "
            "WHERE indicator_index = 2").fetchone()
        quarantined = con.execute("SELECT quarantine_reason FROM raw.documents").fetchone()[0]
    assert (name, level3) == ("社区\ufffd养老服务", "\ufffd覆盖率")
    stored = json.loads(stored)
    assert "\x00" not in json.dumps(stored, ensure_ascii=False)
    assert stored["extraction_warnings"][-2:] == ["NUL character read as U+FFFD: project_name",
                                                  "NUL character read as U+FFFD: indicators[2].level3"]
    assert quarantined is None and quarantine_reason([stored]) is None  # marked, named, and published
