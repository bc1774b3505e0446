"""GE Data Docs that open offline: the scripts, styles and font the pages load, from beside them.

GE 1.24 writes the CDN addresses into its page templates (render/view/templates/page.j2,
index_page.j2, js_script_imports.j2, top_navbar.j2 and the inlined data_docs_default_styles.css);
a site's custom views and styles are loaded *after* the package's templates, so they cannot
replace them. So, once GE has built the site, ``localize`` points every page at the same files
vendored in ``expectations/static/vendor`` (from ``npm pack``, licences beside them; see the
README there), copied to ``<docs>/static/vendor``, by relative paths (file:// works).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

VENDOR = Path(__file__).resolve().parent / "static" / "vendor"

# CDN address → the vendored files (relative to static/vendor) that replace it.
ASSETS: dict[str, list[str]] = {
    "https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css":
        ["bootstrap-4.3.1/css/bootstrap.min.css"],
    "https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js":
        ["bootstrap-4.3.1/js/bootstrap.min.js"],
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.css":
        ["bootstrap-table-1.19.1/bootstrap-table.min.css"],
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.js":
        ["bootstrap-table-1.19.1/bootstrap-table.min.js"],
    "https://unpkg.com/bootstrap-table@1.19.1/dist/extensions/filter-control/bootstrap-table-filter-control.min.js":
        ["bootstrap-table-1.19.1/extensions/filter-control/bootstrap-table-filter-control.min.js"],
    # the pages ask for 1.19.0's stylesheet of the extension: the same rules as 1.19.1's, byte for byte
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.css":
        ["bootstrap-table-1.19.1/extensions/filter-control/bootstrap-table-filter-control.css"],
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.min.css":
        ["bootstrap-table-1.19.1/extensions/filter-control/bootstrap-table-filter-control.css"],
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/css/bootstrap-datepicker.min.css":
        ["bootstrap-datepicker-1.9.0/css/bootstrap-datepicker.min.css"],
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/js/bootstrap-datepicker.min.js":
        ["bootstrap-datepicker-1.9.0/js/bootstrap-datepicker.min.js"],
    "https://cdn.jsdelivr.net/npm/@forevolve/bootstrap-dark@1.1.0/dist/css/bootstrap-prefers-dark.css":
        ["bootstrap-dark-1.1.0/css/bootstrap-prefers-dark.min.css"],
    "https://code.jquery.com/jquery-3.7.1.min.js": ["jquery-3.7.1/jquery.min.js"],
    "https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js":
        ["popper.js-1.12.9/umd/popper.min.js"],
    # every icon GE draws is a solid one (fas fa-check-circle, fa-times, fa-comment, …)
    "https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/css/all.min.css":
        ["fontawesome-free-6.6.0/css/fontawesome.min.css", "fontawesome-free-6.6.0/css/solid.min.css"],
    # Vega draws only the charts of distribution expectations and profiling, which no suite uses
    # (tests/test_dq_docs.py fails when a page calls vegaEmbed: vendor Vega then).
    "https://cdn.jsdelivr.net/npm/vega@5": [],
    "https://cdn.jsdelivr.net/npm/vega-lite@5": [],
    "https://cdn.jsdelivr.net/npm/vega-embed@6": [],
}
# <script src="…"></script> or <link … href="…">: the whole tag (a CDN tag's integrity and crossorigin
# attributes would block the file under file://)
TAG = re.compile(r'<script\b[^>]*\bsrc="(https?://[^"]+)"[^>]*>\s*</script>|<link\b[^>]*\bhref="(https?://[^"]+)"[^>]*>')
# the GE logo (navigation bar <img>, inlined stylesheet) from the GE web-assets bucket
LOGO = re.compile(r"https://great-expectations-web-assets\.s3\.us-east-2\.amazonaws\.com/[\w.-]+(\?[^\"')]*)?")
# GE's own static files at the depth GE guessed (a validation page's favicon is one folder short)
STATIC_REF = re.compile(r'(src|href)="(?:\./|(?:\.\./)+)static/')


def localize(docs: Path) -> None:
    """Copy the vendored files into ``docs/static/vendor`` and point every page of ``docs`` at them."""
    shutil.copytree(VENDOR, docs / "static" / "vendor", dirs_exist_ok=True)
    for page in docs.rglob("*.html"):
        up = "../" * (len(page.relative_to(docs).parts) - 1)
        page.write_text(localize_html(page.read_text(encoding="utf-8"), up), encoding="utf-8")


def localize_html(html: str, up: str) -> str:
    """``html`` with its CDN scripts, stylesheets and logo replaced by the local copies; ``up`` is the
    way from the page to the docs root (``""``, ``"../"``, …). An unknown CDN address is left as is."""
    def tag(match: re.Match) -> str:
        url = match.group(1) or match.group(2)
        if url not in ASSETS:
            return match.group(0)
        if match.group(1):
            return "".join(f'<script src="{up}static/vendor/{path}"></script>' for path in ASSETS[url])
        return "".join(f'<link rel="stylesheet" href="{up}static/vendor/{path}">' for path in ASSETS[url])

    html = TAG.sub(tag, html)
    html = LOGO.sub(f"{up}static/images/logo-long.png", html)
    return STATIC_REF.sub(lambda m: f'{m.group(1)}="{up}static/', html)


def rule_pages(docs: Path) -> dict[tuple[str, str], str]:
    """(table_name, rule_id) of a finding → the GE validation page of its rule in the newest run,
    relative to ``docs``: for a findings list to link each finding to its detail."""
    from .suites import SUITES

    pages = {}
    for suite in SUITES:
        runs = sorted((docs / "validations" / suite.label).rglob("*.html"), key=lambda page: page.parent.name)
        for contract in suite.contracts if runs else []:
            pages.setdefault((suite.table, contract.rule_id), runs[-1].relative_to(docs).as_posix())
    return pages
