"""Reading a whole budget book: pages/s on the book next to pages/s on its report pages alone.

    .venv/bin/python bench/budget_book.py [--repeat 3] [--without-triage]

The book is ``samples/eval/books/budget_book_2024.pdf`` (211 pages: cover, contents, budget tables,
prose, the 15 target tables on pages 122-130; ``samples/build/render_book.py``); the report pages
alone are ``samples/targets_yanshanlu_2024.pdf`` (the same 15 tables drawn the same way, 9 pages).
Each is read whole in this process (``extract_file``: every page, then the reports), best of
``--repeat`` runs. The triage (``extract/triage.py``) is timed alone too, which splits the book's
time into what a skipped page costs (its share of the text pass) and what a read page costs.
``--without-triage`` also reads the book with every page laid out, as before the triage.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extract import pdf as pdf_module  # noqa: E402
from extract.pipeline import extract_file  # noqa: E402
from extract.triage import skipped_pages  # noqa: E402

BOOK = ROOT / "samples/eval/books/budget_book_2024.pdf"
REPORTS_ALONE = ROOT / "samples/targets_yanshanlu_2024.pdf"


def best_time(function, repeat: int) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - start)
    return best, result


def page_count(path: Path) -> int:
    import pypdfium2

    pdf = pypdfium2.PdfDocument(str(path))
    try:
        return len(pdf)
    finally:
        pdf.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--without-triage", action="store_true", help="also read the book with no page skipped")
    args = parser.parse_args(argv)
    extract_file(REPORTS_ALONE)  # warm: imports, label caches

    book_pages, alone_pages = page_count(BOOK), page_count(REPORTS_ALONE)
    book_s, book_doc = best_time(lambda: extract_file(BOOK), args.repeat)
    alone_s, alone_doc = best_time(lambda: extract_file(REPORTS_ALONE), args.repeat)
    triage_s, skipped = best_time(lambda: skipped_pages(BOOK, book_pages), args.repeat)
    assert book_doc.error is None and alone_doc.error is None
    read = book_pages - len(skipped)
    per_skipped = triage_s / book_pages  # every page's text is read once; a skipped page costs no more
    per_read = (book_s - triage_s) / read + per_skipped
    book_rate, alone_rate = book_pages / book_s, alone_pages / alone_s

    print(f"{'document':<46} {'pages':>5} {'reports':>7} {'seconds':>8} {'pages/s':>8}")
    print(f"{'book (' + BOOK.name + ')':<46} {book_pages:>5} {len(book_doc.records):>7} {book_s:>8.3f} {book_rate:>8.1f}")
    print(f"{'report pages alone (' + REPORTS_ALONE.name + ')':<46} {alone_pages:>5} {len(alone_doc.records):>7} "
          f"{alone_s:>8.3f} {alone_rate:>8.1f}")
    print(f"book pages/s / report pages alone pages/s: {book_rate / alone_rate:.1f}x (done when >= 5x)")
    print(f"pages skipped: {len(skipped)} of {book_pages}; read: {read}")
    print(f"triage (pdfium text of every page, in a child process): {triage_s * 1000:.0f} ms")
    print(f"time per skipped page: {per_skipped * 1000:.2f} ms; per read page: {per_read * 1000:.1f} ms")
    if args.without_triage:
        real = pdf_module.skipped_pages
        pdf_module.skipped_pages = lambda path, count: {}
        try:
            plain_s, plain_doc = best_time(lambda: extract_file(BOOK), 1)
        finally:
            pdf_module.skipped_pages = real
        print(f"book with every page laid out: {plain_s:.3f} s, {book_pages / plain_s:.1f} pages/s, "
              f"{len(plain_doc.records)} reports")


if __name__ == "__main__":
    main()
