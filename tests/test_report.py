"""The analyst report (`jixiao report`, Dagster asset `analyst_report`) of the warehouse a real run of
the samples publishes, opened from disk in a real headless Chromium (Debian's /usr/bin/chromium,
driven by Playwright; never a downloaded browser): it loads with no error and no network, every
chart is drawn with data, the scorecard filters work, the rows are the mart's, and the source links
open the page they name."""

import contextlib
import io
import re
from pathlib import Path

import pytest
from conftest import query

from report.build import figure_queries

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def published(built) -> Path:
    _, warehouse, _ = built
    return warehouse.parent / "published" / warehouse.name


@pytest.fixture(scope="module")
def report(published, tmp_path_factory) -> Path:
    """`jixiao report --warehouse <published> --out DIR`; returns DIR."""
    from extract.cli import main

    out = tmp_path_factory.mktemp("report")
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        assert main(["report", "--warehouse", str(published), "--out", str(out)]) == 0
    assert str(out / "index.html") in printed.getvalue()
    return out


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Chromium is missing: `make system` installs it (apt-get install chromium)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


class Opened:
    """A page of the report, and what happened while it was open: console errors, uncaught
    exceptions, failed requests, every URL requested."""

    def __init__(self, browser, url: str):
        self.page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.errors, self.failed, self.requests = [], [], []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("requestfailed", lambda r: self.failed.append(r.url))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.goto(url)
        self.page.wait_for_function("document.body.dataset.drawn === document.getElementById('year').value")

    def select_year(self, year: int) -> None:
        self.page.select_option("#year", str(year))
        self.page.wait_for_function(f"document.body.dataset.drawn === '{year}'")

    def section(self, year: int):
        return self.page.locator(f'section.year[data-year="{year}"]')


@pytest.fixture
def opened(browser, report):
    page = Opened(browser, (report / "index.html").as_uri())
    yield page
    page.page.close()


def years_of(published: Path) -> list[int]:
    return [y for (y,) in query(published, "SELECT fiscal_year FROM marts.mart_department_year UNION "
                                           "SELECT fiscal_year FROM marts.mart_indicator_quality ORDER BY 1")]


def test_run_writes_the_report_beside_the_published_copy(built, published):
    _, _, summary = built
    index = published.parent / "report" / "index.html"
    assert f"Report (HTML, open in a browser): {index}" in summary
    assert index.exists() and (index.parent / "echarts.min.js").exists()
    assert (index.parent / "index.en.html").exists()


def test_figure_queries_are_documented_and_run(published):
    documented = (ROOT / "docs" / "queries.sql").read_text(encoding="utf-8")
    assert "report/figures.sql" in documented  # the analysts' file points at the one copy of the queries
    figures = figure_queries()
    assert {"overview", "money_by_office", "score_distribution", "scorecards", "findings", "target_vs_actual",
            "indicator_quality", "clone_groups"} <= set(figures)
    for name, (comment, sql) in figures.items():
        assert comment, f"report/figures.sql: {name} has no description"
        query(published, sql)


def test_loads_offline_without_errors(browser, report):
    for name in ("index.html", "index.en.html"):
        opened = Opened(browser, (report / name).as_uri())
        try:
            assert opened.errors == [] and opened.failed == []
            assert [u for u in opened.requests if not u.startswith(("file://", "data:", "blob:"))] == []
            assert {u.rsplit("/", 1)[1] for u in opened.requests} >= {name, "echarts.min.js", "report.js", "report.css"}
        finally:
            opened.page.close()
    html = (report / "index.html").read_text(encoding="utf-8")
    assert not re.search(r'(src|href)="(https?:)?//', html)  # nothing points off the disk


def test_every_chart_is_drawn_with_data(opened, published):
    drawn = 0
    for year in years_of(published):
        opened.select_year(year)
        charts = opened.page.evaluate("""year => Array.from(
            document.querySelectorAll(`section.year[data-year="${year}"] .chart`)).map(el => {
              const chart = echarts.getInstanceByDom(el);
              const series = chart ? chart.getOption().series : [];
              return {id: el.id, canvas: !!el.querySelector('canvas'), width: el.clientWidth,
                      series: series.length, points: series.map(s => (s.data || []).filter(v => v !== null).length)};
            })""", year)
        for chart in charts:
            assert chart["canvas"] and chart["width"] > 0, chart
            assert chart["series"] and all(n > 0 for n in chart["points"]), chart
        drawn += len(charts)
        figures = opened.section(year).locator("figure.figure")
        # a figure is a chart or says its year has no rows
        assert figures.count() == len(charts) + opened.section(year).locator("figure.figure p.empty").count()
        assert opened.section(year).locator("details.query pre").count() >= figures.count()
    # the samples: money, score distribution, scores by office, findings by rule and office and
    # target quality in 2023; findings and target quality in 2024
    assert drawn >= 9
    assert opened.errors == [] and opened.failed == []


def test_the_rows_are_the_marts(opened, published):
    for year in years_of(published):
        opened.select_year(year)
        section = opened.section(year)
        (projects,) = query(published, f"SELECT count(*) FROM marts.mart_project_scorecard WHERE fiscal_year = {year}")[0]
        assert section.locator("table.scorecards > tbody > tr.project").count() == projects
        (findings,) = query(published, f"SELECT count(*) FROM marts.dq_findings WHERE status = 'open' AND fiscal_year = {year}")[0]
        assert section.locator("table.findings > tbody > tr.finding").count() == findings
        text = section.inner_text()
        for (office,) in query(published, f"SELECT office_name FROM marts.mart_office_year WHERE fiscal_year = {year}"):
            assert office in text
    (year, projects, offices) = query(published, "SELECT fiscal_year, count(*), count(DISTINCT office_name) "
                                                 "FROM marts.mart_project_scorecard GROUP BY 1 ORDER BY 2 DESC")[0]
    assert projects == 40 and offices == 7 and year == 2023  # the samples: 40 self-evaluations of 2023
    text = opened.section(2023).inner_text()
    for name in ("民生保障办公室", "城乡管理办公室", "党群工作办公室", "2023 年“重阳节”走访慰问经费"):
        assert name in text


def test_clone_groups_side_by_side(opened, published):
    """Each clone group of the year (mart_clone_groups): one table, a column per member, a row per
    shared item, every shared printing marked."""
    groups = query(published, "SELECT clone_group_id, count(DISTINCT project_name), count(DISTINCT shared_text), "
                              "count(*) FROM marts.mart_clone_groups WHERE fiscal_year = 2023 GROUP BY 1")
    assert len(groups) == 3  # the samples: goal text and rows, rows alone, and an amount 3457.17173(3)
    opened.select_year(2023)
    tables = opened.section(2023).locator("table.clones")
    assert tables.count() == len(groups)
    shapes = sorted((tables.nth(i).locator("thead th").count() - 1, tables.nth(i).locator("tbody tr").count(),
                     tables.nth(i).locator("mark").count()) for i in range(tables.count()))
    assert shapes == sorted((members, items, printed) for _, members, items, printed in groups)
    assert "3457.171733" in tables.nth(0).locator("..").inner_text()


def test_a_clone_group_member_without_an_item_gets_an_empty_cell(published, tmp_path):
    """Regression: a group in which one project does not print one of the group's shared items (a
    row the others share) crashed the build (`first` of no rows)."""
    import shutil

    import duckdb

    from report.build import build

    warehouse = tmp_path / published.name  # views name their catalog: the file name
    shutil.copy(published, warehouse)
    with duckdb.connect(str(warehouse)) as con:
        (group, project, text), = con.execute(
            "SELECT clone_group_id, max(project_name), shared_text FROM marts.mart_clone_groups "
            "WHERE clone_group_id IN (SELECT clone_group_id FROM marts.mart_clone_groups GROUP BY 1 "
            "HAVING count(DISTINCT project_name) >= 2) GROUP BY 1, 3 ORDER BY 1, 3 LIMIT 1").fetchall()
        con.execute("DELETE FROM marts.mart_clone_groups WHERE clone_group_id = ? AND project_name = ? "
                    "AND shared_text = ?", [group, project, text])
    build(warehouse, tmp_path / "out")
    page = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert re.search(r"<td>\s*</td>", page[page.index('class="clones'):])


def test_detail_tables_are_cut_per_year_and_say_so(published, tmp_path, monkeypatch):
    """At scale the page lists the first JIXIAO_REPORT_ROWS units of each detail table a year (its
    size no longer grows with the warehouse: 75 MB at 10 000 reports), with the indicators of the
    projects listed only, and says how many there are; a clone group lists CLONE_MEMBERS members."""
    from report.build import CLONE_MEMBERS, build, clone_tables

    monkeypatch.setenv("JIXIAO_REPORT_ROWS", "2")
    build(published, tmp_path, "en")
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    projects, findings = (query(published, sql)[0][0] for sql in (
        "SELECT count(*) FROM marts.mart_project_scorecard WHERE fiscal_year = 2023",
        "SELECT count(*) FROM marts.dq_findings WHERE status = 'open' AND fiscal_year = 2023"))
    section = page[page.index('data-year="2023"'):]
    section = section[:section.index("</section>")]
    assert len(re.findall(r'<tr class="row project"', section)) == 2
    assert f"The first 2 of {projects} are listed" in section
    assert f"The first 2 of {findings} are listed" in section
    listed = re.findall(r'data-report="([^"]+)"', section)
    indicators = query(published, "SELECT count(*) FROM marts.fct_indicator WHERE NOT is_empty_row "
                                  f"AND report_id IN ('{listed[0]}', '{listed[1]}')")[0][0]
    assert len(re.findall(r'<tr class="indicator"', section)) == indicators

    members = [{"clone_group_id": "g", "department_name": "d", "project_name": f"p{i:02}", "item_kind": "goal",
                "item_label": None, "shared_text": "same", "printed_text": None} for i in range(CLONE_MEMBERS + 3)]
    table, = clone_tables(members)
    assert (table["size"], len(table["members"]), table["more_members"]) == (CLONE_MEMBERS + 3, CLONE_MEMBERS, 3)
    assert table["items"] == [{"label": None, "kind": "goal", "cells": ["same"] * CLONE_MEMBERS}]


def test_filters_change_the_visible_rows(opened, published):
    opened.select_year(2023)
    section = opened.section(2023)
    rows = section.locator("table.scorecards > tbody > tr.project")
    visible = "table.scorecards > tbody > tr.project:not([hidden])"
    total = rows.count()
    office, n = query(published, "SELECT office_name, count(*) FROM marts.mart_project_scorecard WHERE fiscal_year = 2023 "
                                 "GROUP BY 1 ORDER BY 2, 1 LIMIT 1")[0]
    section.locator(".filters select[data-filter=office]").first.select_option(office)
    opened.page.wait_for_function(f"""() => document.querySelectorAll(
        'section.year[data-year="2023"] {visible}').length === {n}""")
    assert n < total and section.locator(".filters .shown").first.inner_text() == str(n)
    section.locator(".filters select[data-filter=office]").first.select_option("")
    section.locator(".filters input[data-filter=text]").first.fill("重阳节")
    (m,) = query(published, "SELECT count(*) FROM marts.mart_project_scorecard WHERE fiscal_year = 2023 "
                            "AND project_name LIKE '%重阳节%'")[0]
    opened.page.wait_for_function(f"""() => document.querySelectorAll(
        'section.year[data-year="2023"] {visible}').length === {m}""")
    assert 0 < m < total
    # a rule's findings alone
    rule, k = query(published, "SELECT rule_id, count(*) FROM marts.dq_findings WHERE status = 'open' "
                               "AND fiscal_year = 2023 GROUP BY 1 ORDER BY 2, 1 LIMIT 1")[0]
    section.locator(".filters select[data-filter=rule]").first.select_option(rule)
    opened.page.wait_for_function(f"""() => document.querySelectorAll(
        'section.year[data-year="2023"] table.findings > tbody > tr.finding:not([hidden])').length === {k}""")
    # sorting by budget puts the largest first
    section.locator("table.scorecards > thead th").nth(3).click()  # 全年预算数, ascending
    section.locator("table.scorecards > thead th").nth(3).click()  # descending
    (largest,) = query(published, "SELECT project_name FROM marts.mart_project_scorecard WHERE fiscal_year = 2023 "
                                  "AND project_name LIKE '%重阳节%' ORDER BY annual_budget_yuan DESC LIMIT 1")[0]
    assert largest in section.locator(f"{visible}").first.inner_text()


def test_drill_down_and_source_pages(opened, published, report):
    opened.select_year(2023)
    section = opened.section(2023)
    row = section.locator("table.scorecards > tbody > tr.project").first
    report_id = row.get_attribute("data-report")
    page_first, sha = query(published, f"SELECT page_first, source_sha256 FROM raw.reports WHERE report_id = '{report_id}'")[0]
    # the project's PDF link: the document copied into the report, at the project's page
    pdf = row.locator("a.pdf").get_attribute("href")
    assert pdf == f"sources/{sha}.pdf#page={page_first}"
    assert (report / pdf.split("#")[0]).read_bytes()[:5] == b"%PDF-"
    # its indicators, each with its page
    row.locator("button.toggle").click()
    detail = section.locator("table.scorecards > tbody > tr.detail").first
    detail.wait_for(state="visible")
    (indicators,) = query(published, f"SELECT count(*) FROM marts.fct_indicator WHERE report_id = '{report_id}' "
                                     "AND NOT is_empty_row")[0]
    assert detail.locator("tr.indicator").count() == indicators > 0
    pages = [int(re.search(r"#page=(\d+)", a.get_attribute("href")).group(1))
             for a in detail.locator("tr.indicator a.pdf").all()]
    page_last = query(published, f"SELECT page_last FROM raw.reports WHERE report_id = '{report_id}'")[0][0]
    assert len(pages) == indicators and all(page_first <= p <= page_last for p in pages)
    # every project, indicator and finding links to its source
    for kind in ("tr.project", "tr.indicator", "tr.finding"):
        rows = opened.page.locator(f"main {kind}")
        assert rows.count() > 0 and opened.page.locator(f"main {kind} td.links a.src").count() == rows.count(), kind
    # the rendered page opens, its row marked
    view = row.locator("a.src").get_attribute("href")
    assert view.startswith(f"pages/{sha}-{page_first}.html#hl=")
    opened.page.goto((report / view.split("#")[0]).as_uri() + "#" + view.split("#")[1])
    opened.page.wait_for_function("document.querySelector('.sheet img').complete "
                                  "&& document.querySelector('.sheet img').naturalWidth > 0")
    opened.page.wait_for_selector(".mark", state="visible")
    box = opened.page.locator(".mark").bounding_box()
    assert box["width"] > 100 and 5 < box["height"] < 200
    assert opened.page.locator("a.pdf").get_attribute("href") == f"../sources/{sha}.pdf#page={page_first}"
    assert opened.errors == [] and opened.failed == []
    # only linked pages are rendered
    linked = set(re.findall(r'href="pages/([^"#]+)\.html', (report / "index.html").read_text(encoding="utf-8")))
    assert {p.name.split(".")[0] for p in (report / "pages").glob("*.png")} == linked


def test_english(browser, report):
    opened = Opened(browser, (report / "index.en.html").as_uri())
    try:
        assert opened.page.locator("section.year:not([hidden]) h2.scorecards").inner_text() == "Project scorecards"
        assert opened.page.locator("#lang").get_attribute("href") == "index.html"
    finally:
        opened.page.close()


def test_the_nightly_job_writes_the_report():
    from dagster import AssetKey

    from orchestration.definitions import defs

    graph = defs.resolve_asset_graph()
    node = graph.get(AssetKey(["analyst_report"]))
    assert node.group_name == "publish" and node.kinds == {"html"} and node.owners == ["team:data-engineering"]
    assert AssetKey(["published_warehouse"]) in node.parent_keys
    job = defs.resolve_job_def("warehouse_job").asset_layer.executable_asset_keys
    assert AssetKey(["analyst_report"]) in job
