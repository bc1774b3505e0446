"""One bad document does not stop the night, and unscored reports are a state: `jixiao run` over an
inbox holding a good sample publication next to documents rendered with the samples' generator —
one cut off before its 总分 row (read incompletely), one printed without 主管部门, one with every
得分 cell empty. Real extraction, raw load, `dbt build`, Great Expectations, publication and alerts.

Regression tests for two runs that published nothing: the blocking check
`raw/reports:extraction_complete` stopped the one, `not_null_int_report_units_department` the other.
"""

import copy
import dataclasses
from pathlib import Path

import pytest
from conftest import ROOT, query, run_pipeline, webhook

HEADER = "北京市丰台区人民政府大红门街道办事处2023年度部门决算"


@pytest.fixture(scope="module")
def receiver():
    """(url, received bodies) of a local webhook (Apprise json://)."""
    with webhook() as hook:
        yield hook


@pytest.fixture(scope="module")
def night(tmp_path_factory, render, receiver):
    """(warehouse, summary, {name: sha256}, alerts received) of one `jixiao run`."""
    records = render.read_records(ROOT / "samples" / "records" / "selfeval_dahongmen_2023.jsonl")
    inbox = tmp_path_factory.mktemp("inbox")
    (inbox / "targets_yanshanlu_2024.pdf").write_bytes((ROOT / "samples" / "targets_yanshanlu_2024.pdf").read_bytes())
    no_department = copy.deepcopy(records[1])
    no_department["department"] = None
    unscored = copy.deepcopy(records[2])  # 总分 printed with its 分值, every 得分 cell empty
    unscored["total_score"] = None
    for row in unscored["funding"] + unscored["indicators"]:
        row["score"] = None
        row.pop("score_text", None)
    render.render_set("no_department", [no_department], HEADER, inbox)
    render.render_set("unscored", [unscored], HEADER, inbox)
    with pytest.MonkeyPatch.context() as patch:
        draw = render.self_evaluation  # the last row of a self-evaluation is its 总分 row: cut it off
        patch.setattr(render, "self_evaluation", lambda rec: (lambda r: dataclasses.replace(r, rows=r.rows[:-1]))(draw(rec)))
        # six reports of 23 (over the fifth at which the old blocking check stopped the night)
        render.render_set("cut_off", records[3:9], HEADER, inbox)
    for expected in inbox.glob("*.expected.jsonl"):
        expected.unlink()
    warehouse = tmp_path_factory.mktemp("warehouse") / "jixiao.duckdb"
    url, received = receiver
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("JIXIAO_ALERT_URLS", url)
        summary = run_pipeline(inbox, warehouse)  # asserts the exit code: 0
    sha = dict(query(warehouse, "SELECT regexp_extract(source_file, '([^/]+)\\.pdf$', 1), source_sha256 "
                                "FROM raw.documents"))
    return warehouse, summary, sha, received


def reports_of(warehouse: Path, sha256: str, table: str) -> int:
    return query(warehouse, f"SELECT count(*) FROM {table} WHERE report_id LIKE '{sha256[:16]}-%'")[0][0]


def test_a_document_read_incompletely_is_quarantined_and_the_rest_published(night):
    warehouse, summary, sha, _ = night
    published = warehouse.parent / "published" / warehouse.name
    assert "Documents: 4 ok (1 read incompletely: quarantined, left out of the marts)" in summary
    assert "QUARANTINED " in summary and "cut_off.pdf: report 1 (pages 1-1): 总分 row not found" in summary
    assert "report 6 (pages " in summary
    assert query(warehouse, "SELECT outcome FROM raw.ingestion_runs") == [("published",)]
    # listed with the reason, in the copy analysts open
    [(file, reason, regression)] = query(published, "SELECT source_file, reason, is_reader_regression "
                                                    "FROM marts.quarantined_documents")
    assert file.endswith("cut_off.pdf") and not regression
    assert len(reason.splitlines()) == 6
    assert all(line.endswith("): 总分 row not found: the table may be cut off") for line in reason.splitlines())
    # kept in raw with its rows and warnings, in no model
    cut = sha["cut_off"]
    assert query(warehouse, f"SELECT DISTINCT extraction_warnings FROM raw.reports WHERE source_sha256 = '{cut}'") == [
        ("总分 row not found: the table may be cut off",)]
    assert reports_of(warehouse, cut, "raw.reports") == 6
    assert reports_of(warehouse, cut, "raw.indicators") > 0
    for table in ("staging.int_reports", "marts.fct_funding", "marts.fct_indicator", "marts.fct_score",
                  "marts.mart_project_scorecard", "marts.dq_findings"):
        assert reports_of(warehouse, cut, table) == 0, table
    # the rest is published
    assert query(published, "SELECT count(*) FROM marts.fct_project_budget") == [(15,)]
    assert query(published, "SELECT count(*) FROM marts.fct_score") == [(2,)]


def test_the_quarantined_document_is_alerted_once(night, receiver):
    from orchestration.alerts import send_alerts

    warehouse, _, _, received = night
    [alert] = received
    assert alert["title"].endswith("1 个文件读取不完整（已隔离）")
    assert "- cut_off.pdf：report 1 (pages 1-1): 总分 row not found: the table may be cut off（另有 5 份报表）" in alert["message"]
    url, _ = receiver
    assert list(send_alerts(warehouse, [url]).values()) == ["nothing new"]


def test_a_report_without_department_is_a_finding_not_a_failed_build(night):
    warehouse, summary, sha, _ = night
    report = f"{sha['no_department'][:16]}-001"
    assert query(warehouse, f"SELECT department FROM staging.int_report_units WHERE report_id = '{report}'") == [
        (None,)]
    assert query(warehouse, f"""
        SELECT rule_id, severity, kind, status FROM marts.dq_findings
        WHERE report_id = '{report}' AND rule_id = 'SE-25'""") == [("SE-25", "WARN", "document", "open")]
    # in the facts and marts, under the one "not printed" department
    assert query(warehouse, f"""
        SELECT d.department_name, m.projects FROM marts.fct_score s
        JOIN marts.dim_department d USING (department_key)
        JOIN marts.mart_department_year m USING (department_key)
        WHERE s.report_id = '{report}'""") == [(None, 1)]
    assert "SE-25 WARN document   fct_score" in summary


def test_a_report_with_every_score_empty_is_not_scored(night):
    warehouse, summary, sha, _ = night
    unscored, scored = f"{sha['unscored'][:16]}-001", f"{sha['no_department'][:16]}-001"
    status = query(warehouse, """
        SELECT report_id, score_status, total_score, score_sum, score_recomputed_sum, total_score_recomputed,
               grade_printed, grade_recomputed
        FROM marts.fct_score ORDER BY report_id""")
    by_report = {r[0]: r[1:] for r in status}
    assert by_report[unscored] == ("not_scored", None, None, None, None, None, None)
    assert by_report[scored][0] == "scored" and by_report[scored][-1] is not None  # graded
    assert query(warehouse, f"SELECT score_status, total_score_recomputed, grade_recomputed "
                            f"FROM marts.mart_project_scorecard WHERE report_id = '{unscored}'") == [
        ("not_scored", None, None)]
    # its office-year: one project, unscored, none of its indicators counted as marked down
    assert query(warehouse, f"""
        SELECT m.projects, m.projects_not_scored, m.avg_total_score, m.avg_total_score_recomputed,
               m.indicators_not_full_score
        FROM marts.mart_office_year m JOIN marts.fct_score s USING (office_key, fiscal_year)
        WHERE s.report_id = '{unscored}'""") == [(1, 1, None, None, 0)]
    # a state, not a failure: no extraction finding, no 总分 finding
    assert query(warehouse, f"""
        SELECT rule_id FROM marts.dq_findings
        WHERE report_id = '{unscored}' AND rule_id IN ('SE-24', 'SE-07', 'EX-01', 'SE-06')""") == []


@pytest.mark.parametrize("change, reasons", [
    ({}, []),
    # the document's own, not an incomplete reading
    ({"department": None, "implementing_unit": None}, []),
    ({"total_score": None}, []),  # 总分 printed with its 分值 only: unscored
    # a template with no 分值, 得分 or 总分 at all (专项资金绩效目标自评表)
    ({"funding": [{"source": "total"}], "indicators": [{"level3": "某指标"}], "total_weight": None,
      "total_score": None}, []),
    ({"extraction_warnings": ["number out of range, stored as NULL: indicators[2].score = 1E+15"]}, []),
    ({"extraction_warnings": ["label '联系电话' on page 1 has no value cell"]}, []),
    # a part of the tables not read
    ({"total_weight": None, "total_score": None}, ["总分 row not found: the table may be cut off"]),
    ({"extraction_warnings": ["unplaced cell on page 2, row '项目数量': '9'"]},
     ["unplaced cell on page 2, row '项目数量': '9'"]),
    ({"indicators": []}, ["indicator table (绩效指标) not found"]),
    ({"funding": [{"source": "current_year"}]}, ["funding block without its total row (年度资金总额 / 总额)"]),
    ({"funding": [{"source": "total"}, {"source": "total"}]}, ["funding row read more than once: total"]),
    ({"fiscal_year": None}, ["fiscal year not found"]),
    ({"project_name": " "}, ["project name (项目名称) is empty"]),
])
def test_what_quarantines_a_report(change, reasons):
    from extract.load import incomplete_reasons

    record = {"report_type": "self_evaluation", "fiscal_year": 2023, "project_name": "某项目",
              "department": "某部门", "implementing_unit": "某办公室", "funding": [{"source": "total", "weight": 10}],
              "indicators": [{"level3": "某指标", "weight": 90}], "total_weight": 100, "total_score": 95}
    assert incomplete_reasons({**record, **change}) == reasons
