"""Read a PDF's pages once each, in order, into ``PageLayout``s; say plainly why a file cannot be read."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from .layout import PageLayout, read_page


class UnreadableDocument(Exception):
    """The document cannot be read at all; the message is the reason shown to the user."""


def check_is_pdf(path: Path) -> None:
    with open(path, "rb") as fh:
        head = fh.read(1024)
    if not head:
        raise UnreadableDocument("empty file")
    if b"%PDF-" not in head:
        raise UnreadableDocument("not a PDF file (no %PDF- header)")


def read_pdf(path: Path, part: int = 0, parts: int = 1) -> Iterator[PageLayout]:
    """The layout of every ``parts``-th page from ``part`` on; each page is closed once read."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfplumber.utils.exceptions import PdfminerException

    check_is_pdf(path)
    try:
        pdf = pdfplumber.open(path)
        pages = pdf.pages
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise UnreadableDocument(f"encrypted PDF (password protected): {exc.__class__.__name__}")
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
            raise UnreadableDocument("encrypted PDF (password protected)")
        raise UnreadableDocument(f"corrupt or truncated PDF: {_describe(cause)}")
    except PDFSyntaxError as exc:
        raise UnreadableDocument(f"corrupt or truncated PDF: {_describe(exc)}")
    with pdf:
        if not pages:
            raise UnreadableDocument("PDF has no pages")
        for page in pages[part::parts]:
            try:
                yield read_page(page)
            finally:
                page.close()


def _describe(exc) -> str:
    text = str(exc).strip() or exc.__class__.__name__
    return text[:200]
