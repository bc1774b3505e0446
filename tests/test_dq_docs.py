"""The GE Data Docs a reviewer opens: offline (no CDN), each failed rule with its id, severity and
Chinese explanation, its failing rows with the project and pages they are about."""

import re
import shutil
from pathlib import Path
from urllib.parse import unquote

import duckdb
import pytest

from expectations.docs import ASSETS, localize_html, rule_pages
from expectations.run import docs_path, run_checks
from test_expectations import FACTS

# What a page loads (not an <a href>, which only links): scripts, stylesheets, icons, images, CSS url()
LOADS = re.compile(r'<(?:script|img|link|source|iframe)\b[^>]*?\b(?:src|href)="([^"]*)"|url\(\s*[\'"]?([^\'")]+)')


def loaded(text: str) -> list[str]:
    return [a or b for a, b in LOADS.findall(text)]


def check_offline(docs: Path) -> None:
    """No page or vendored stylesheet loads anything from the network; everything it loads is on disk."""
    pages = list(docs.rglob("*.html"))
    assert pages and (docs / "index.html") in pages
    for sheet in [*pages, *(docs / "static" / "vendor").rglob("*.css")]:
        text = sheet.read_text(encoding="utf-8")
        assert "vegaEmbed" not in text, f"{sheet} draws a Vega chart: vendor Vega (expectations/docs.py)"
        for ref in loaded(text):
            if ref.startswith(("data:", "#")):
                continue
            assert not re.match(r"(https?:)?//", ref), f"{sheet} loads {ref} from the network"
            target = (sheet.parent / unquote(ref.split("?")[0].split("#")[0])).resolve()
            assert target.is_file(), f"{sheet} loads {ref}, which is not there"
            assert target.is_relative_to(docs.resolve()), f"{sheet} loads {ref} from outside the docs"


def text_of(page: Path) -> str:
    """The page's text (tags dropped, entities kept as written)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def docs(tmp_path_factory) -> Path:
    """The Data Docs of a GE run on the hand-made facts of tests/test_expectations.py."""
    folder = tmp_path_factory.mktemp("dq_docs")
    with duckdb.connect(str(folder / "facts.duckdb")) as con:
        con.execute(FACTS)
    run_checks(folder / "facts.duckdb", folder / "dq_docs")
    return folder / "dq_docs"


def test_the_docs_open_offline(docs):
    check_offline(docs)
    assert {p.name for p in (docs / "static" / "vendor").rglob("LICENSE*")} >= {"LICENSE", "LICENSE.txt"}


def test_a_failed_rule_shows_its_id_severity_explanation_and_where(docs):
    [page] = (docs / "validations" / "fct_indicator").rglob("*.html")
    text = text_of(page)
    # the row of the expectation: rule id · severity · 中文说明 (expected), then its unexpected rows
    row = text[text.index("SE-06 · HARD · 指标得分超过分值"):]
    assert row.startswith("SE-06 · HARD · 指标得分超过分值 — score_minus_weight &lt;= 0")
    header = "Unexpected Value Count report_id indicator_index project document pages"
    assert header in row
    # 'over', indicator 1: 12 of 10 points, in 某项目 on pages 3–4 of a.pdf
    assert row[row.index(header) + len(header):].split()[:7] == ["2.0", "1", "over", "1", "某项目", "a.pdf", "3–4"]
    assert "SE-10 · WARN · 满意度调查未做，分值未得" in text
    # the expectation page carries the rule as a note too
    assert "<strong>SE-10</strong> · WARN · 满意度调查未做，分值未得" in (
        docs / "expectations" / "fct_indicator.html").read_text(encoding="utf-8")


def test_each_rule_of_a_finding_has_its_validation_page(docs):
    pages = rule_pages(docs)
    assert "SE-10 · WARN" in (docs / pages["fct_indicator", "SE-10"]).read_text(encoding="utf-8")
    assert "X-02 · WARN" in (docs / pages["fct_funding", "X-02"]).read_text(encoding="utf-8")
    assert pages["fct_score", "EX-01"] != pages["fct_project_budget", "EX-01"]


def test_localize_html_points_cdn_tags_at_the_vendored_copies():
    page = ('<link rel="stylesheet" href="https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/css/all.min.css">'
            '<script src="https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js" '
            'integrity="sha384-x" crossorigin="anonymous"></script>'
            '<script src="https://cdn.jsdelivr.net/npm/vega@5"></script>'
            '<img src="https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/logo-long.png?d=1"/>'
            '<link rel="shortcut icon" href="../../../static/images/favicon.ico"/>'
            '<a href="https://greatexpectations.io">GX</a>')
    assert localize_html(page, "../../") == (
        '<link rel="stylesheet" href="../../static/vendor/fontawesome-free-6.6.0/css/fontawesome.min.css">'
        '<link rel="stylesheet" href="../../static/vendor/fontawesome-free-6.6.0/css/solid.min.css">'
        '<script src="../../static/vendor/popper.js-1.12.9/umd/popper.min.js"></script>'
        '<img src="../../static/images/logo-long.png"/>'
        '<link rel="shortcut icon" href="../../static/images/favicon.ico"/>'
        '<a href="https://greatexpectations.io">GX</a>')
    vendor = Path(__file__).resolve().parent.parent / "expectations" / "static" / "vendor"
    assert all((vendor / path).is_file() for paths in ASSETS.values() for path in paths)


def test_the_pipeline_writes_offline_docs_naming_projects_and_pages(built):
    """`jixiao run` on the sample documents: the Data Docs beside the warehouse open offline, and each
    rule with open findings is shown with its id, severity and explanation and the projects, files and
    pages of its failing rows (GE lists the first ten rows per unexpected value)."""
    _, warehouse, _ = built
    docs = docs_path(warehouse)
    check_offline(docs)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rules = con.execute(
            "SELECT rule_id, severity, message_zh, list((project_name, source_file, page_first, page_last)) "
            "FROM marts.dq_findings WHERE status = 'open' AND project_name IS NOT NULL "
            "GROUP BY ALL ORDER BY ALL").fetchall()
    assert rules
    pages = " ".join(text_of(p) for p in (docs / "validations").rglob("*.html"))
    for rule_id, severity, message_zh, places in rules:
        assert f"{rule_id} · {severity} · {message_zh}" in pages
        shown = [(project, Path(file).name, str(first) if last in (None, first) else f"{first}–{last}")
                 for project, file, first, last in places]
        assert any(all(part in pages for part in place) for place in shown), (rule_id, shown)


def test_the_index_page_loads_without_errors_in_chromium(docs):
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).is_file():
        pytest.skip("no chromium at /usr/bin/chromium (the static checks above ran)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed "
                                   "(the static checks above ran)")
    errors, failed = [], []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"])
        try:
            page = browser.new_page()
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("requestfailed", lambda r: failed.append(r.url))
            page.on("request", lambda r: failed.append(r.url) if not r.url.startswith(("file:", "data:")) else None)
            for html in [docs / "index.html", *(docs / "validations" / "fct_indicator").rglob("*.html")]:
                page.goto(html.as_uri(), wait_until="load")
                assert page.evaluate("typeof jQuery === 'function' && typeof $.fn.bootstrapTable === 'function'")
                assert page.evaluate("document.fonts.ready.then(() => [...document.fonts].some("
                                     "f => f.family.includes('Font Awesome') && f.status === 'loaded'))")
        finally:
            browser.close()
    assert errors == [] and failed == []
