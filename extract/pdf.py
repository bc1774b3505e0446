"""Read a PDF's pages once each, in order, into ``PageLayout``s; say plainly why a file cannot be read.

pdfplumber and pdfminer are imported with this module, not when the first page is read: the
pipeline's workers are forked from a process that has imported it, so they do not each pay the
import again (a fifth of a second per document and part).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import MethodType

import pdfplumber
from pdfminer.layout import LTChar, LTLine, LTPage, LTRect
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfplumber.page import Page, PDFPageAggregatorWithMarkedContent
from pdfplumber.utils.exceptions import PdfminerException

from . import streams
from .content_stream import FastInterpreter
from .layout import PageLayout, read_page
from .ocr import needs_ocr, read_scanned_page
from .streams import DecompressionBomb
from .triage import skipped_pages

streams.install()  # every stream pdfminer inflates is capped (JIXIAO_MAX_STREAM_MB), here and in the workers


class UnreadableDocument(Exception):
    """The document cannot be read at all; the message is the reason shown to the user."""


# Objects nested deeper than Python's recursion limit (an array or dictionary nested thousands
# deep, a form drawing a form drawing a form ...): pdfminer's parser reads them, but pdfplumber
# and pdfminer walk them recursively, and the RecursionError surfaced as "parser failed: ...".
TOO_DEEP = "objects nested too deeply to read (malformed or hostile PDF: recursion limit)"


def check_is_pdf(path: Path) -> None:
    with open(path, "rb") as fh:
        head = fh.read(1024)
    if not head:
        raise UnreadableDocument("empty file")
    if b"%PDF-" not in head:
        raise UnreadableDocument("not a PDF file (no %PDF- header" + _sniff(head) + ")")


def _sniff(head: bytes) -> str:
    """What a file named .pdf that is no PDF seems to be, for the reason shown to the user."""
    if head.startswith(b"PK\x03\x04"):
        return "; it is a ZIP archive, e.g. a Word .docx renamed .pdf"
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith((b"<!doctype html", b"<html")) or b"<html" in start[:512]:
        return "; it is an HTML page, e.g. a download link's error page"
    return ""


def read_pdf(path: Path, part: int = 0, parts: int = 1) -> Iterator[PageLayout]:
    """The layout of every ``parts``-th page from ``part`` on; each page is closed once read."""
    check_is_pdf(path)
    try:
        pdf = pdfplumber.open(path)
        pages = pdf.pages
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise UnreadableDocument(f"encrypted PDF (password protected): {exc.__class__.__name__}")
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, DecompressionBomb):  # in an object or xref stream
            raise UnreadableDocument(str(cause)) from None
        if isinstance(cause, MemoryError):  # a bomb in an object or xref stream: not "corrupt"
            raise cause
        if isinstance(cause, RecursionError):
            raise UnreadableDocument(TOO_DEEP) from None
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
            raise UnreadableDocument("encrypted PDF (password protected)")
        raise UnreadableDocument(f"corrupt or truncated PDF: {_describe(cause)}")
    except PDFSyntaxError as exc:
        raise UnreadableDocument(f"corrupt or truncated PDF: {_describe(exc)}")
    except RecursionError:  # pdfplumber resolves a page's boxes recursively (resolve_all)
        raise UnreadableDocument(TOO_DEEP) from None
    with pdf:
        if not pages:
            raise UnreadableDocument("PDF has no pages")
        # decided for every page, in each stripe: a page is kept when the one before it held a report
        skipped = skipped_pages(path, len(pages))
        for page in pages[part::parts]:
            if page.page_number in skipped:  # no report on it (triage): an empty layout keeps its number
                yield PageLayout(page.page_number, float(page.width), float(page.height), [], [],
                                 skipped[page.page_number])
                continue
            page.process_object = MethodType(_lean_object, page)
            try:
                page._layout = _page_layout(page)
                layout = read_scanned_page(page) if needs_ocr(page) else read_page(page)
            except RecursionError:
                raise UnreadableDocument(f"page {page.page_number}: {TOO_DEEP}") from None
            except DecompressionBomb as exc:  # a content, font or form stream
                raise UnreadableDocument(f"page {page.page_number}: {exc}") from None
            finally:
                page.close()
            yield layout


def _page_layout(page) -> LTPage:
    """pdfplumber's ``Page.layout``, interpreted with the faster content-stream reader."""
    device = PDFPageAggregatorWithMarkedContent(page.pdf.rsrcmgr, pageno=page.page_number,
                                                laparams=page.pdf.laparams)
    try:
        FastInterpreter(page.pdf.rsrcmgr, device).process_page(page.page_obj)
    except MemoryError:
        # A decompression bomb (a content, font or form stream inflating past the worker's memory
        # limit) must reach the pipeline as MemoryError, which it reports as the memory limit;
        # wrapped, it read as "parser failed: PdfminerException: Unable to allocate output buffer."
        raise
    except RecursionError:
        raise  # read_pdf names it
    except Exception as exc:
        raise PdfminerException(exc)
    return device.get_result()


def _lean_object(page, obj) -> dict:
    """pdfplumber's conversion of a layout object, cut short for the kinds that fill a report page.

    Chars, rects and lines get only what the layout and the table finder read (text and box);
    pdfplumber's full conversion resolves every colour and path point too, about a fifth of the
    time per page. Anything else goes the full way.
    """
    kind = type(obj)
    if kind not in (LTChar, LTRect, LTLine):
        return Page.process_object(page, obj)
    mb_x0, mb_top = page.mediabox[:2]
    top = page.height - obj.y1 + mb_top
    attrs = {"page_number": page.page_number, "x0": obj.x0 + mb_x0, "x1": obj.x1 + mb_x0,
             "y0": obj.y0, "y1": obj.y1, "top": top, "bottom": page.height - obj.y0 + mb_top,
             "doctop": page.initial_doctop + top, "width": obj.width, "height": obj.height}
    if kind is LTChar:
        return {**attrs, "object_type": "char", "text": obj.get_text(), "size": obj.size,
                "fontname": obj.fontname, "upright": obj.upright, "adv": obj.adv, "matrix": obj.matrix}
    return {**attrs, "object_type": "rect" if kind is LTRect else "line", "linewidth": obj.linewidth,
            "stroke": obj.stroke, "fill": obj.fill, "pts": [page.point2coord(pt) for pt in obj.pts]}


def _describe(exc) -> str:
    text = str(exc).strip() or exc.__class__.__name__
    return text[:200]
