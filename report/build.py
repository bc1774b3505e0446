"""``jixiao report [--warehouse FILE] [--lang zh|en] [--out DIR]``: the published marts as a static
HTML report for analysts, DIR/index.html, that opens from disk (file://) with no network.

Per fiscal year: the overview (money, execution, score distribution), offices and departments
ranked by money and by score (printed next to recomputed), the project scorecards (filter, sort,
drill down to indicators), the data-quality findings with their evidence, targets against actuals
and the quality of the targets. Every project, indicator and finding links to its page in the
source document (report/sources.py).

Every figure and table is a named query of report/figures.sql (docs/queries.sql points there),
shown under it. Charts are Apache ECharts, its echarts.min.js vendored in report/static
(6.1.0: dist/echarts.min.js of the npm package ``echarts``, `npm pack echarts@6.1.0`, sha256
b66b25aeb4df84e33199dc21694014d336d222cbd9deb0e5a7c14bd6aa0d0fd0; Apache-2.0, its LICENSE, NOTICE
and the d3 licence beside it) and copied into DIR: no CDN. The chart options are written here as plain dicts rather than with pyecharts, whose
only job would be to produce the same JSON and whose pages load ECharts from a CDN by default — one
dependency fewer, nothing to patch. Labels are Chinese first, English in the same dict (LABELS):
DIR/index.html is in --lang, the other language beside it (index.en.html or index.zh.html), each
linking to the other.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

from extract.load import read_only

from .sources import Link, Sources

HERE = Path(__file__).resolve().parent
FIGURES = HERE / "figures.sql"
STATIC = HERE / "static"
ASSETS = ["echarts.min.js", "echarts.LICENSE.txt", "echarts.NOTICE.txt", "echarts.LICENSE-d3.txt",
          "report.js", "report.css"]
LANGS = ("zh", "en")

# Every label of the page, Chinese first: key → (中文, English).
LABELS: dict[str, tuple[str, str]] = {
    "title": ("预算绩效报告", "Budget performance report"),
    "subtitle": ("绩效自评与绩效目标数据仓库", "from the jixiao warehouse of self-evaluations and targets"),
    "other_lang": ("English", "中文"),
    "year": ("年度", "Fiscal year"),
    "source": ("数据来源", "Source"),
    "run": ("运行", "run"),
    "published": ("发布于", "published"),
    "nav_overview": ("概览", "Overview"),
    "nav_ranks": ("单位排名", "Offices"),
    "nav_scorecards": ("项目", "Projects"),
    "nav_findings": ("问题", "Findings"),
    "nav_tva": ("目标与完成", "Target vs actual"),
    "nav_quality": ("指标质量", "Target quality"),
    "nav_clones": ("疑似复制", "Cloned content"),
    "clones": ("疑似复制：项目间相同内容（SE-22）", "Cloned content between projects (SE-22)"),
    "clones_none": ("本年度未发现项目间相同内容。", "No project shares content with another this year."),
    "clone_group": ("复制组", "Clone group"),
    "shared_item": ("相同内容", "Shared item"),
    "overview": ("概览", "Overview"),
    "ranks": ("实施单位与主管部门排名", "Offices and departments ranked"),
    "scorecards": ("项目绩效自评", "Project scorecards"),
    "findings": ("数据质量问题", "Data-quality findings"),
    "tva": ("绩效目标与实际完成", "Target against actual"),
    "quality": ("指标质量：量化与套话", "Target quality: quantified vs boilerplate"),
    "projects": ("项目数", "Projects"),
    "annual_budget": ("全年预算数（元）", "Full-year budget (yuan)"),
    "executed": ("全年执行数（元）", "Executed (yuan)"),
    "execution_rate": ("执行率", "Execution rate"),
    "avg_score": ("平均得分", "Avg. score"),
    "avg_score_recomputed": ("平均重算得分", "Avg. recomputed"),
    "min_score": ("最低得分", "Min. score"),
    "scored_100": ("满分项目数", "Scored 100"),
    "no_survey": ("未开展满意度调查", "No satisfaction survey"),
    "quantified_share": ("量化指标占比", "Quantified share"),
    "target_tables": ("绩效目标表", "Target tables"),
    "open_findings": ("待处理问题", "Open findings"),
    "office": ("实施单位", "Office"),
    "department": ("主管部门", "Department"),
    "project": ("项目名称", "Project"),
    "score": ("总分", "Score"),
    "score_recomputed": ("重算总分", "Recomputed"),
    "difference": ("差异", "Difference"),
    "grade": ("等级", "Grade"),
    "grade_recomputed": ("重算等级", "Recomputed grade"),
    "status": ("得分状态", "Score status"),
    "indicators": ("指标数", "Indicators"),
    "not_done": ("未做数", "Not done"),
    "source_page": ("原文", "Source"),
    "page": ("第{n}页", "p. {n}"),
    "pdf": ("PDF", "PDF"),
    "file": ("原文件", "file"),
    "show_indicators": ("指标", "Indicators"),
    "level1": ("一级指标", "Level 1"),
    "level2": ("二级指标", "Level 2"),
    "level3": ("三级指标", "Level 3"),
    "target": ("年度指标值", "Target"),
    "actual": ("实际完成值", "Actual"),
    "weight": ("分值", "Weight"),
    "points": ("得分", "Points"),
    "points_recomputed": ("重算得分", "Recomputed"),
    "quantified": ("量化", "Quantified"),
    "filter": ("筛选", "Filter"),
    "filter_text": ("搜索项目、单位…", "Search project, office…"),
    "all_offices": ("全部单位", "All offices"),
    "all_grades": ("全部等级", "All grades"),
    "all_rules": ("全部规则", "All rules"),
    "shown": ("显示", "shown"),
    "of": ("共", "of"),
    "rule": ("规则", "Rule"),
    "severity": ("级别", "Severity"),
    "message": ("问题", "Finding"),
    "evidence": ("证据", "Evidence"),
    "field": ("字段", "Field"),
    "observed": ("实际值", "Observed"),
    "expected": ("规则要求", "Expected"),
    "ge_docs": ("Great Expectations 校验详情", "Great Expectations validation pages"),
    "match_status": ("匹配", "Match"),
    "target_in_target_table": ("目标表指标值", "Target (target table)"),
    "target_in_self_evaluation": ("自评表指标值", "Target (self-evaluation)"),
    "changed": ("已改动", "Changed"),
    "meets": ("达成", "Met"),
    "report_type": ("报表类型", "Report type"),
    "quantified_targets": ("量化指标", "Quantified"),
    "boilerplate_targets": ("套话指标", "Boilerplate"),
    "placeholder_names": ("占位名称", "Placeholder names"),
    "unknown_labels": ("未知标签", "Unknown labels"),
    "self_evaluation": ("绩效自评表", "self-evaluation"),
    "performance_target": ("绩效目标表", "target table"),
    "dept_subgoals": ("部门分项目标", "Department sub-goals"),
    "dept_subgoals_quantified": ("量化分项目标", "Quantified sub-goals"),
    "dept_score": ("部门整体自评得分", "Department self-score"),
    "query": ("查询（SQL）", "Query (SQL)"),
    "no_rows": ("本年度没有数据。", "No rows for this year."),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "met": ("达成", "met"),
    "missed": ("未达成", "missed"),
    "unknown": ("无法判断", "undecided"),
    "wan": ("万元", "10k yuan"),
    "count": ("数量", "count"),
    "band_none": ("未评分", "not scored"),
    "scored": ("已评分", "scored"),
    "partly_scored": ("部分评分", "partly scored"),
    "not_scored": ("未评分", "not scored"),
    "fig_money_by_office": ("各单位预算与执行（万元）", "Budget and spending by office (10k yuan)"),
    "budget_series": ("全年预算数", "Full-year budget"),  # the chart's unit is in its title: 万元
    "executed_series": ("全年执行数", "Executed"),
    "fig_score_distribution": ("得分分布（项目数）", "Score distribution (projects)"),
    "fig_score_by_office": ("各单位平均得分：自评与重算", "Average score by office: printed and recomputed"),
    "fig_findings_by_rule": ("按规则的问题数", "Open findings by rule"),
    "fig_findings_by_office": ("按单位的问题数", "Open findings by office"),
    "fig_tva": ("目标达成情况", "Approved targets met"),
    "fig_quality": ("各单位指标：量化与套话", "Targets by office: quantified and boilerplate"),
    "tbl_offices": ("实施单位", "Offices"),
    "tbl_departments": ("主管部门", "Departments"),
    "tbl_findings": ("问题明细", "Findings, one by one"),
    "tbl_tva": ("指标对照", "Indicators matched"),
    "tbl_quality": ("指标质量明细", "Target quality, by office"),
    "footer": ("由 jixiao report 生成；每个图表下方附查询，可在只读打开的已发布仓库中重现。",
               "Made by jixiao report; the query under each figure reproduces it on the published warehouse, "
               "opened read-only."),
    "back": ("返回报告", "back to the report"),
    "cut": ("仅列出前 {shown} 项，共 {total} 项；全部见下方查询（已发布仓库）或 Excel 工作簿。",
            "The first {shown} of {total} are listed; all of them: the query below, on the published warehouse, "
            "or the Excel workbook."),
    "more_members": ("另有 {n} 个项目", "{n} more projects"),
    "more_items": ("另有 {n} 项相同内容", "{n} more shared items"),
}


def t(key: str, lang: str, **values) -> str:
    zh, en = LABELS[key]
    text = zh if lang == "zh" else en
    return text.format(**values) if values else text


def figure_queries(path: Path = FIGURES) -> dict[str, tuple[str, str]]:
    """report/figures.sql: name → (its comment, its SQL), in file order."""
    text = path.read_text(encoding="utf-8")
    parts = re.split(r"^-- name: (\S+)\n", text, flags=re.M)[1:]
    out = {}
    for name, body in zip(parts[::2], parts[1::2]):
        lines = body.strip().splitlines()
        comment = " ".join(l[3:] for l in lines if l.startswith("-- "))
        out[name] = (comment, "\n".join(l for l in lines if not l.startswith("-- ")).strip())
    return out


def default_out(warehouse: Path) -> Path:
    """The report beside the published warehouse: warehouse/published/report."""
    return warehouse.parent / "report"


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def _stream(con: duckdb.DuckDBPyConnection, sql: str, params=None):
    """The rows of ``sql`` as dicts of plain values, fetched a batch at a time."""
    cursor = con.execute(sql, params)
    names = [d[0] for d in cursor.description]
    while batch := cursor.fetchmany(10_000):
        for row in batch:
            yield {k: _plain(v) for k, v in zip(names, row)}


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict[str, Any]]:
    return list(_stream(con, sql))


# The detail tables list at most max_listed() of their units a year (a project, a finding, an
# indicator pair, a clone group), in their query's order, so that the page opens in a browser and
# its size does not grow with the warehouse; a cut table says how many there are (Totals).
LISTED_UNIT = {"scorecards": "report_id", "findings": None, "target_vs_actual": None, "clone_groups": "clone_group_id"}
# The members a clone group's table shows side by side, and the shared items it lists.
CLONE_MEMBERS, CLONE_ITEMS = 12, 40


def max_listed() -> int:
    """``JIXIAO_REPORT_ROWS`` (default 2000): units a detail table lists per fiscal year."""
    return int(os.environ.get("JIXIAO_REPORT_ROWS", 2000))


def _listed(con: duckdb.DuckDBPyConnection, sql: str, unit: str | None,
            limit: int) -> tuple[list[dict[str, Any]], dict[int, int]]:
    """The rows of the first ``limit`` units (rows with the same ``unit`` column in a run, else each
    row) of each fiscal year, and the units per year in all; only what is listed is held."""
    out, units, last = [], {}, {}
    for row in _stream(con, sql):
        year = row["fiscal_year"]
        if unit is None or last.get(year) != row[unit]:
            last[year] = row[unit] if unit else None
            units[year] = units.get(year, 0) + 1
        if units[year] <= limit:
            out.append(row)
    return out, units


def _by_year(rows: list[dict]) -> dict[int, list[dict]]:
    out: dict[int, list[dict]] = {}
    for row in rows:
        out.setdefault(row["fiscal_year"], []).append(row)
    return out


def gather(con: duckdb.DuckDBPyConnection) -> tuple[dict[str, list[dict]], dict[str, dict[int, int]], Sources]:
    """Run every query of figures.sql (the detail tables cut to ``max_listed()`` a year); attach
    source links to projects, indicators and findings. Returns (rows, units per year of each
    detail table, sources)."""
    data, totals, limit = {}, {}, max_listed()
    for name, (_, sql) in figure_queries().items():
        if name in LISTED_UNIT:
            data[name], totals[name] = _listed(con, sql, LISTED_UNIT[name], limit)
        elif name == "indicators":  # those of the projects listed
            listed = {r["report_id"] for r in data["scorecards"]}
            data[name] = [row for row in _stream(con, sql) if row["report_id"] in listed]
        else:
            data[name] = _rows(con, sql)
    sources = Sources(dict(con.execute(
        "SELECT source_sha256, arg_max(source_file, loaded_at) FROM raw.documents GROUP BY 1").fetchall()))
    reports = {r[0]: r[1:] for r in con.execute(
        "SELECT report_id, source_sha256, page_first, page_last FROM raw.reports UNION ALL "
        "SELECT report_id, source_sha256, page_first, page_last FROM raw.department_reports").fetchall()}
    # the indicator labels of the reports the page links to, not of the whole warehouse
    linked = {r["report_id"] for r in data["scorecards"] + data["findings"]} | {
        r["self_evaluation_report_id"] for r in data["target_vs_actual"]}
    labels: dict[str, list[tuple[int, str | None]]] = {}
    for report_id, index, level3 in con.execute(
            "SELECT report_id, indicator_index, level3 FROM raw.indicators WHERE report_id IN (SELECT unnest(?)) "
            "ORDER BY report_id, indicator_index", [sorted(r for r in linked if r)]).fetchall():
        labels.setdefault(report_id, []).append((index, level3))
    located: dict[str, dict[Any, Link | None]] = {}

    def rows_of(report_id: str) -> dict[Any, Link | None]:
        """Links to every row of a report: its indicators by index, its 年度资金总额 and 总分 rows."""
        if report_id not in located:
            sha, first, last = reports.get(report_id, (None, None, None))
            items = labels.get(report_id, [])
            links = sources.locate(sha, first, last, [label for _, label in items])
            found = dict(zip((i for i, _ in items), links))
            found["total"] = sources.locate(sha, first, last, ["年度资金总额"])[0]
            found["score"] = sources.locate(sha, first, last, ["总分"])[0]
            located[report_id] = found
        return located[report_id]

    for row in data["scorecards"]:
        sha = row["source_sha256"]
        row["link"] = sources.locate(sha, row["page_first"], row["page_first"], [row["project_name"]])[0]
    for row in data["indicators"]:
        row["link"] = rows_of(row["report_id"]).get(row["indicator_index"])
    for row in data["findings"]:
        key = (row["row_key"] or "").rpartition("/")[2] if "/" in (row["row_key"] or "") else None
        link = None
        if row["report_id"] in reports:
            found = rows_of(row["report_id"])
            link = (found.get(int(key)) if key and key.isdigit() else found.get(key) if key else
                    found.get("score") if row["table_name"] == "fct_score" else None)
        row["link"] = link or sources.link(row["source_sha256"], row["page_first"])
    for row in data["target_vs_actual"]:
        report_id = row["self_evaluation_report_id"]
        row["link"] = rows_of(report_id).get(row["self_evaluation_indicator_index"]) if report_id in reports else None
    return data, totals, sources


def clone_tables(rows: list[dict]) -> list[dict]:
    """The clone groups of one year as tables: each group's members (the first CLONE_MEMBERS) as
    columns and its shared items (the first CLONE_ITEMS) as rows, each cell what that member prints;
    one pass over the rows, whatever the group's size."""
    groups: dict[Any, dict] = {}
    for row in rows:
        group = groups.setdefault(row["clone_group_id"], {
            "department_name": row["department_name"], "members": {}, "items": {}})
        group["members"].setdefault(row["project_name"], None)
        item = group["items"].setdefault(row["shared_text"], {
            "label": row["item_label"], "kind": row["item_kind"], "cells": {}})
        item["cells"].setdefault(row["project_name"], row["printed_text"] or row["shared_text"])
    tables = []
    for group in groups.values():
        members = list(group["members"])
        shown = members[:CLONE_MEMBERS]
        tables.append({"department_name": group["department_name"], "size": len(members), "members": shown,
                       "more_members": len(members) - len(shown), "more_items": max(len(group["items"]) - CLONE_ITEMS, 0),
                       "items": [{"label": i["label"], "kind": i["kind"], "cells": [i["cells"].get(m) for m in shown]}
                                 for i in list(group["items"].values())[:CLONE_ITEMS]]})
    return tables


# --- charts: ECharts options ------------------------------------------------------------------

def _bars(categories: list[str], series: list[tuple[str, list]], horizontal: bool = False,
          value_name: str = "", stack: bool = False, scale: bool = False) -> dict:
    value_axis = {"type": "value", "name": value_name, "scale": scale}
    category_axis = {"type": "category", "data": categories, "axisLabel": {"interval": 0}}
    if horizontal:
        category_axis["inverse"] = True  # the first row on top, as in the table
    return {
        "animation": False,  # a figure is drawn at once: the same on every open, nothing to wait for
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "legend": {"top": 0},
        "grid": {"left": 8, "right": 40, "top": 36, "bottom": 8, "containLabel": True},
        "xAxis": value_axis if horizontal else category_axis,
        "yAxis": category_axis if horizontal else value_axis,
        "series": [{"type": "bar", "name": name, "data": values, **({"stack": "all"} if stack else {}),
                    "label": {"show": not stack, "position": "right" if horizontal else "top"}}
                   for name, values in series],
    }


def charts_for_year(data: dict[str, list[dict]], year: int, lang: str) -> dict[str, dict]:
    """The figures of one year that have rows: figure name → ECharts option."""
    def rows(name):
        return [r for r in data[name] if r["fiscal_year"] == year]

    out = {}
    if money := rows("money_by_office"):
        out["money_by_office"] = _bars(
            [r["office_name"] for r in money],
            [(t("budget_series", lang), [r["annual_budget_wan"] for r in money]),
             (t("executed_series", lang), [r["executed_wan"] for r in money])], horizontal=True, value_name=t("wan", lang))
    if bands := rows("score_distribution"):
        out["score_distribution"] = _bars(
            [t("band_none", lang) if r["band"] == 0 else r["band_label"] for r in bands],
            [(t("score", lang), [r["printed"] for r in bands]),
             (t("score_recomputed", lang), [r["recomputed"] for r in bands])], value_name=t("projects", lang))
    if scores := rows("score_by_office"):
        out["score_by_office"] = _bars(
            [r["office_name"] for r in scores],
            [(t("avg_score", lang), [r["avg_total_score"] for r in scores]),
             (t("avg_score_recomputed", lang), [r["avg_total_score_recomputed"] for r in scores])],
            horizontal=True, scale=True)
    if by_rule := rows("findings_by_rule"):
        rules = [r["rule_id"] for r in by_rule]
        out["findings_by_rule"] = _bars(rules, [
            (severity, [r["open_findings"] if r["severity"] == severity else 0 for r in by_rule])
            for severity in sorted({r["severity"] for r in by_rule})], stack=True, value_name=t("count", lang))
    if by_office := rows("findings_by_office"):
        out["findings_by_office"] = _bars([r["office_name"] for r in by_office],
                                          [(t("open_findings", lang), [r["open_findings"] for r in by_office])],
                                          horizontal=True)
    if outcomes := rows("target_vs_actual_summary"):
        out["target_vs_actual_summary"] = {
            "animation": False, "tooltip": {"trigger": "item"}, "legend": {"top": 0},
            "series": [{"type": "pie", "radius": ["35%", "65%"], "top": 24,
                        "data": [{"name": t(r["outcome"], lang), "value": r["indicators"]} for r in outcomes]}]}
    if quality := rows("indicator_quality"):
        out["indicator_quality"] = _bars(
            [f"{r['office_name']} · {t(r['report_type'], lang) if r['report_type'] in LABELS else r['report_type']}"
             for r in quality],
            [(t("indicators", lang), [r["indicators"] for r in quality]),
             (t("quantified_targets", lang), [r["quantified_targets"] for r in quality]),
             (t("boilerplate_targets", lang), [r["boilerplate_targets"] for r in quality])], horizontal=True)
    return out


# --- the page ---------------------------------------------------------------------------------

def _years(data: dict[str, list[dict]]) -> list[int]:
    return sorted({r["fiscal_year"] for rows in data.values() for r in rows if r.get("fiscal_year") is not None},
                  reverse=True)


def _environment():
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True,
                             trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)
    env.filters["yuan"] = lambda v: "" if v is None else f"{v:,.2f}"
    env.filters["pct"] = lambda v: "" if v is None else f"{v:.1%}"
    env.filters["num"] = lambda v: "" if v is None else f"{v:g}" if isinstance(v, float) else str(v)
    return env


def render(data: dict[str, list[dict]], totals: dict[str, dict[int, int]], lang: str, provenance: dict[str, Any],
           other: str, ge_docs: str | None) -> str:
    years = _years(data)
    scored = [y for y in years if any(r["fiscal_year"] == y for r in data["scorecards"])]
    charts = {f"{year}-{name}": option for year in years for name, option in charts_for_year(data, year, lang).items()}
    by_year = {name: _by_year(rows) for name, rows in data.items()}
    indicators_of: dict[str, list[dict]] = {}
    for row in data["indicators"]:
        indicators_of.setdefault(row["report_id"], []).append(row)
    clones = {year: clone_tables(rows) for year, rows in by_year["clone_groups"].items()}
    grades = sorted({r["grade_printed"] for r in data["scorecards"] if r["grade_printed"]}, key="优良中差".find)
    return _environment().get_template("index.html.j2").render(
        lang=lang, t=lambda key, **v: t(key, lang, **v), tr=lambda v: t(v, lang) if v in LABELS else (v or ""), years=years, default_year=(scored or years or [None])[0],
        data=by_year, totals=totals, limit=max_listed(), indicators_of=indicators_of, clones=clones, charts=charts, charts_json=json.dumps(charts, ensure_ascii=False).replace("</", "<\\/"),
        queries=figure_queries(), provenance=provenance, other=other, grades=grades, ge_docs=ge_docs)


def _provenance(con: duckdb.DuckDBPyConnection, warehouse: Path) -> dict[str, Any]:
    run = con.execute("SELECT run_id, finished_at FROM raw.ingestion_runs WHERE outcome = 'published' "
                      "ORDER BY finished_at DESC LIMIT 1").fetchone()
    return {"warehouse": warehouse.name, "run_id": run[0] if run else None,
            "published": f"{run[1]:%Y-%m-%d %H:%M} UTC" if run and run[1] else None}


def _write(target: Path, text: str) -> None:
    partial = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, target)


def build(warehouse: Path, out: Path, lang: str = "zh") -> dict[str, int]:
    """Write the report of ``warehouse`` (opened read-only) into ``out``: index.html in ``lang``,
    the other language beside it, the assets, the linked documents and pages. Returns counts."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    with read_only(str(warehouse)) as con:
        data, totals, sources = gather(con)
        provenance = _provenance(con, warehouse)
    for name in ASSETS:
        shutil.copyfile(STATIC / name, out / name)
    written = sources.write(out, title=t("back", lang))
    # the GE validation pages, when they were written (beside the report, or beside the writer's
    # warehouse, expectations/run.py's default): linked from the findings, never needed
    ge = next((p for p in (out.parent / "dq_docs" / "index.html", warehouse.parent.parent / "dq_docs" / "index.html")
               if p.exists()), None)
    ge_docs = Path(os.path.relpath(ge, out)).as_posix() if ge else None
    other_lang = LANGS[1 - LANGS.index(lang)]
    other_file = f"index.{other_lang}.html"
    for stale in out.glob("index.*.html"):
        if stale.name != other_file:
            stale.unlink()
    _write(out / other_file, render(data, totals, other_lang, provenance, "index.html", ge_docs))
    _write(out / "index.html", render(data, totals, lang, provenance, other_file, ge_docs))  # last: a whole report
    return {"years": len(_years(data)), "projects": len(data["scorecards"]), "indicators": len(data["indicators"]),
            "findings": len(data["findings"]), **written}


def main(argv: list[str] | None = None) -> int:
    from orchestration.export import default_warehouse, no_warehouse

    parser = argparse.ArgumentParser(prog="jixiao report", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--warehouse", type=Path,
                        help="DuckDB file to read (default: the published copy, $JIXIAO_PUBLISHED or "
                             "warehouse/published/jixiao.duckdb)")
    parser.add_argument("--lang", choices=LANGS, default="zh", help="language of index.html (default zh)")
    parser.add_argument("--out", type=Path, metavar="DIR",
                        help="folder to write the report into (default: report/ beside the warehouse)")
    args = parser.parse_args(argv)
    warehouse = (args.warehouse or default_warehouse()).resolve()
    if not warehouse.exists():
        print(no_warehouse("jixiao report", warehouse), file=sys.stderr)
        return 1
    out = (args.out or default_out(warehouse)).resolve()
    counts = build(warehouse, out, args.lang)
    print(f"{counts['projects']} projects, {counts['findings']} findings, {counts['pages']} source pages, "
          f"from {warehouse}:\n  {out / 'index.html'}")
    return 0
