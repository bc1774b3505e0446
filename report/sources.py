"""The source documents behind the report, one click from every row: each linked document copied to
DIR/sources/<sha256>.<ext>, each linked PDF page rendered to DIR/pages/<sha256>-<page>.png with a
small wrapper page (DIR/pages/<sha256>-<page>.html) that marks the row the link is about.

Where a row is on its page is found by its text: the row's label (三级指标, 项目名称, 总分 …) looked
up in the page's text layer (pypdfium2), whitespace and full-width forms ignored, rows of one
report in order so that a label printed twice (满意度) goes to the right row. The mark is the band
of the page the label's characters cover, across the width of the text; a label not found (a scan,
a label split oddly) links the page without a mark. Only linked pages are rendered.
"""

from __future__ import annotations

import hashlib
import html
import os
import re
import shutil
import unicodedata
from dataclasses import dataclass
from pathlib import Path

# Grayscale at 1.5× (108 dpi): small Chinese print stays legible, a page is ~100 kB; the PDF beside
# it keeps the colours (seals). Bump RENDER when the rendering changes: pages are re-rendered only
# when their file name changes.
SCALE = 1.5
RENDER = "r1"
WHITESPACE = re.compile(r"\s")


@dataclass(frozen=True)
class Link:
    """Where a row was read: a document (by content hash), a page and, when found, the row's band
    on the page as fractions of its width and height (x0, y0, x1, y1, from the top left)."""

    sha256: str
    page: int | None
    suffix: str
    band: tuple[float, float, float, float] | None = None

    @property
    def file(self) -> str:
        """The document itself, at the page for a PDF (the browser's viewer honours #page=N)."""
        name = f"sources/{self.sha256}{self.suffix}"
        return f"{name}#page={self.page}" if self.suffix == ".pdf" and self.page else name

    @property
    def view(self) -> str | None:
        """The rendered page, the row marked; None for a document that is no PDF."""
        if self.suffix != ".pdf" or not self.page:
            return None
        mark = "" if self.band is None else "#hl=" + ",".join(f"{v:.4f}" for v in self.band)
        return f"pages/{self.sha256}-{self.page}.html{mark}"


class _PageText:
    """A page's text with whitespace removed and NFKC-normalised, each character's box kept."""

    def __init__(self, page):
        import pypdfium2.raw as pdfium_c

        textpage = page.get_textpage()
        self.width, self.height = page.get_size()
        chars, boxes = [], []
        left = right = None
        for i in range(textpage.count_chars()):
            char = chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, i))
            for norm in unicodedata.normalize("NFKC", char):
                if WHITESPACE.match(norm):
                    continue
                box = textpage.get_charbox(i)
                chars.append(norm)
                boxes.append(box)
                left = box[0] if left is None else min(left, box[0])
                right = box[2] if right is None else max(right, box[2])
        self.text = "".join(chars)
        self.boxes = boxes
        self.left, self.right = left or 0.0, right or self.width

    def band(self, start: int, end: int) -> tuple[float, float, float, float]:
        bottom = min(b[1] for b in self.boxes[start:end]) - 2
        top = max(b[3] for b in self.boxes[start:end]) + 2
        return (max(0.0, (self.left - 4) / self.width), max(0.0, 1 - top / self.height),
                min(1.0, (self.right + 4) / self.width), min(1.0, 1 - bottom / self.height))


def needle(text: str | None, length: int = 10) -> str:
    """What to look for: the label without whitespace, NFKC, its first ``length`` characters."""
    norm = WHITESPACE.sub("", unicodedata.normalize("NFKC", text or ""))
    return norm[:length] if len(norm) >= 2 else ""


class Sources:
    """The documents a report links to: found by their content hash in raw.documents' paths."""

    def __init__(self, paths: dict[str, str]):
        self.paths = {sha: Path(path) for sha, path in paths.items()}
        self._checked: dict[str, bool] = {}
        self._pdfs: dict[str, object] = {}
        self._text: dict[tuple[str, int], _PageText | None] = {}
        self.linked: set[tuple[str, int]] = set()
        self.files: set[str] = set()

    def available(self, sha: str | None) -> bool:
        """The file is still where it was read and is still the same content."""
        if not sha or sha not in self.paths:
            return False
        if sha not in self._checked:
            path = self.paths[sha]
            ok = path.is_file()
            if ok:
                digest = hashlib.sha256()
                with open(path, "rb") as fh:
                    for block in iter(lambda: fh.read(1 << 20), b""):
                        digest.update(block)
                ok = digest.hexdigest() == sha
            self._checked[sha] = ok
        return self._checked[sha]

    def _pdf(self, sha: str):
        if sha not in self._pdfs:
            import pypdfium2 as pdfium

            try:
                self._pdfs[sha] = pdfium.PdfDocument(str(self.paths[sha]))
            except pdfium.PdfiumError:
                self._pdfs[sha] = None
        return self._pdfs[sha]

    def _page_text(self, sha: str, page: int) -> _PageText | None:
        key = (sha, page)
        if key not in self._text:
            pdf = self._pdf(sha)
            self._text[key] = _PageText(pdf[page - 1]) if pdf is not None and 0 < page <= len(pdf) else None
        return self._text[key]

    def _suffix(self, sha: str) -> str:
        return self.paths[sha].suffix.lower()

    def link(self, sha: str | None, page: int | None, band=None) -> Link | None:
        """A link to ``page`` of the document ``sha`` (its copy and its rendered page are written
        by :meth:`write`); None when the document is gone."""
        if not self.available(sha):
            return None
        suffix = self._suffix(sha)
        self.files.add(sha)
        if suffix == ".pdf" and page and self._pdf(sha) is not None and 0 < page <= len(self._pdf(sha)):
            self.linked.add((sha, page))
        else:
            band = None
            page = page if suffix == ".pdf" else None
        return Link(sha, page, suffix, band)

    def locate(self, sha: str | None, first: int | None, last: int | None, labels: list[str | None]) -> list[Link | None]:
        """Links to the rows of one report, in order: each label looked for from where the previous
        one was found (then from the report's first page), on pages ``first`` … ``last``."""
        if not self.available(sha) or self._suffix(sha) != ".pdf" or not first:
            return [self.link(sha, first) for _ in labels]
        last = max(first, last or first)
        cursor = (first, 0)
        links = []
        for label in labels:
            found = self._find(sha, needle(label), cursor, last) or self._find(sha, needle(label), (first, 0), last)
            if found is None:
                links.append(self.link(sha, first))
                continue
            page, start, end = found
            cursor = (page, end)
            links.append(self.link(sha, page, self._page_text(sha, page).band(start, end)))
        return links

    def _find(self, sha: str, text: str, cursor: tuple[int, int], last: int) -> tuple[int, int, int] | None:
        if not text:
            return None
        page, offset = cursor
        while page <= last:
            page_text = self._page_text(sha, page)
            if page_text is None:
                return None
            at = page_text.text.find(text, offset)
            if at >= 0:
                return page, at, at + len(text)
            page, offset = page + 1, 0
        return None

    def write(self, out: Path, title: str = "") -> dict[str, int]:
        """Copy the linked documents and render the linked pages into ``out``; remove those of an
        earlier report that are no longer linked. Returns counts."""
        sources, pages = out / "sources", out / "pages"
        sources.mkdir(parents=True, exist_ok=True)
        pages.mkdir(parents=True, exist_ok=True)
        keep_sources, keep_pages = set(), set()
        for sha in sorted(self.files):
            name = f"{sha}{self._suffix(sha)}"
            keep_sources.add(name)
            target = sources / name
            if not target.exists():  # named by content: an existing copy is the same file
                partial = target.with_name(f".{name}.tmp")
                shutil.copyfile(self.paths[sha], partial)
                os.replace(partial, target)
        for sha, page in sorted(self.linked):
            stem = f"{sha}-{page}"
            image = f"{stem}.{RENDER}.png"
            keep_pages |= {image, f"{stem}.html"}
            if not (pages / image).exists():
                bitmap = self._pdf(sha)[page - 1].render(scale=SCALE, grayscale=True)
                partial = pages / f".{image}.tmp"
                bitmap.to_pil().save(partial, format="PNG")
                os.replace(partial, pages / image)
            (pages / f"{stem}.html").write_text(PAGE.format(
                title=html.escape(f"{self.paths[sha].name} — {page}"), image=image, pdf=f"{sha}.pdf", page=page,
                name=html.escape(self.paths[sha].name), report=html.escape(title)), encoding="utf-8")
        for folder, keep in ((sources, keep_sources), (pages, keep_pages)):
            for stale in folder.iterdir():
                if stale.name not in keep:
                    stale.unlink()
        for pdf in self._pdfs.values():
            if pdf is not None:
                pdf.close()
        self._pdfs.clear()
        self._text.clear()
        return {"documents": len(keep_sources), "pages": len(self.linked)}


# The wrapper of one rendered page: the image, the row marked from the link's #hl=x0,y0,x1,y1.
PAGE = """<!doctype html>
<html lang="zh"><head><meta charset="utf-8"><title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="../report.css"></head>
<body class="page-view">
<nav><a href="../index.html">← {report}</a> · {name} · 第 {page} 页 (page {page}) ·
<a class="pdf" href="../sources/{pdf}#page={page}">PDF</a></nav>
<div class="sheet"><img src="{image}" alt="第 {page} 页 page {page}"><div class="mark" hidden></div></div>
<script>
function mark() {{
  var m = /hl=([0-9.]+),([0-9.]+),([0-9.]+),([0-9.]+)/.exec(location.hash), el = document.querySelector(".mark");
  if (!m) {{ el.hidden = true; return; }}
  el.style.left = m[1] * 100 + "%"; el.style.top = m[2] * 100 + "%";
  el.style.width = (m[3] - m[1]) * 100 + "%"; el.style.height = (m[4] - m[2]) * 100 + "%";
  el.hidden = false;
  el.scrollIntoView({{block: "center"}});
}}
window.addEventListener("hashchange", mark);
document.querySelector(".sheet img").addEventListener("load", mark);
mark();
</script>
</body></html>
"""
