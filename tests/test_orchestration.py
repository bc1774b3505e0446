"""Dagster: the definitions load; the inbox sensor fires on change only; a contract violation in a
record becomes a finding and a failed (non-blocking) asset check, through real dbt and GE runs."""

import json
import shutil
from pathlib import Path

import duckdb
import pytest
from dagster import AssetKey, DagsterInstance, build_sensor_context

ROOT = Path(__file__).resolve().parent.parent


def test_definitions_load():
    from orchestration.definitions import defs

    job = defs.resolve_job_def("warehouse_job")
    assert defs.resolve_schedule_def("nightly_warehouse").cron_schedule == "0 2 * * *"
    assert defs.resolve_sensor_def("inbox_sensor").job_name == job.name
    graph = defs.resolve_asset_graph()
    keys = {k.to_user_string() for k in graph.get_all_asset_keys()}
    assert {"raw/documents", "raw/reports", "marts/fct_score", "marts/mart_office_year",
            "marts/dq_findings", "published_warehouse"} <= keys
    # one partition per document, read by one writer at a time, all of them in one run
    raw = graph.get(AssetKey(["raw", "reports"]))
    assert raw.partitions_def.name == "documents" and raw.backfill_policy.max_partitions_per_run is None
    # a DuckDB writer locks out every other process: each step that opens the file is in one pool,
    # and the job runs one step at a time; the extraction steps (documents → result files) are not,
    # so that they may run side by side on other executors
    assert {op.name for op in job.graph.iterate_op_defs() if op.pool != "warehouse"} == {
        "extract_documents", "collect_results"}
    assert job.executor_def.config_schema.resolve_config({}).value["config"]["max_concurrent"] == 1
    checks = {(c.asset_key.to_user_string(), c.name) for c in graph.asset_check_keys}
    assert {("marts/fct_indicator", "dq_contracts"), ("marts/fct_funding", "dq_contracts"),
            ("marts/fct_score", "dq_contracts")} <= checks
    # dbt sources are the raw tables the ingest assets write: lineage is connected
    assert AssetKey(["raw", "reports"]) in graph.get(AssetKey(["staging", "stg_reports"])).parent_keys


def test_the_ui_tells_the_story():
    """Named groups (never `default`), keys by layer, kinds and owners on every asset of the job."""
    from orchestration.definitions import defs

    graph = defs.resolve_asset_graph()
    job = {k for k in defs.resolve_job_def("warehouse_job").asset_layer.executable_asset_keys}
    nodes = {k.to_user_string(): graph.get(k) for k in job}
    groups = {key: node.group_name for key, node in nodes.items()}
    assert groups["raw/reports"] == "ingest" and groups["staging/stg_reports"] == "staging"
    assert groups["intermediate/int_reports"] == "intermediate" and groups["staging/office_aliases"] == "staging"
    assert groups["marts/fct_score"] == groups["marts/dim_office"] == groups["marts/quarantined_documents"] == "facts"
    assert groups["marts/mart_office_year"] == groups["marts/mart_dq_office_year"] == "marts"
    assert groups["marts/dq_findings"] == "quality"
    assert groups["published_warehouse"] == groups["marts_workbook"] == "publish"
    assert "default" not in set(groups.values())
    # int_* models are no staging models, whatever schema they are built in
    assert not [k for k in nodes if k.startswith("staging/int_")]
    assert {k for k in nodes if k.startswith("intermediate/")} >= {"intermediate/int_reports", "intermediate/int_indicators"}
    assert {k: n.owners for k, n in nodes.items() if n.owners != ["team:data-engineering"]} == {}
    assert {k for k, n in nodes.items() if not n.kinds} == set()
    assert {"dbt", "duckdb"} <= nodes["marts/fct_score"].kinds and "excel" in nodes["marts_workbook"].kinds
    # raw.goals feeds the target tables' facts; mart_dq_office_year is a dbt model on the findings
    assert AssetKey(["raw", "goals"]) in graph.get(AssetKey(["staging", "stg_goals"])).parent_keys
    assert AssetKey(["staging", "stg_goals"]) in graph.get(AssetKey(["marts", "fct_project_budget"])).parent_keys
    assert AssetKey(["marts", "dq_findings"]) in graph.get(AssetKey(["marts", "mart_dq_office_year"])).parent_keys
    assert AssetKey(["marts", "mart_dq_office_year"]) in graph.get(AssetKey(["published_warehouse"])).parent_keys
    assert AssetKey(["published_warehouse"]) in graph.get(AssetKey(["marts_workbook"])).parent_keys


def test_a_raw_partition_shows_its_own_rows(tmp_path):
    from dagster import materialize

    from orchestration.assets.ingest import raw_tables
    from orchestration.automation import all_documents, sync_partitions
    from orchestration.resources import Warehouse

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in ("selfeval_dahongmen_2023.pdf", "targets_yanshanlu_2024.pdf"):
        shutil.copy(ROOT / "samples" / name, inbox / name)
    warehouse = Warehouse(path=str(tmp_path / "w.duckdb"), inbox=str(inbox))
    with DagsterInstance.ephemeral() as instance:
        keys = sync_partitions(instance, warehouse)
        result = materialize([raw_tables], instance=instance, resources={"warehouse": warehouse},
                             tags=all_documents(keys))
    rows = {(m.asset_key.to_user_string(), m.partition): m.metadata
            for m in result.asset_materializations_for_node("raw_tables")}
    own = {key: metadata["dagster/row_count"].value for key, metadata in rows.items()}
    assert own[("raw/reports", "selfeval_dahongmen_2023.pdf")] == 40
    assert own[("raw/reports", "targets_yanshanlu_2024.pdf")] == 15
    assert own[("raw/documents", "targets_yanshanlu_2024.pdf")] == 1
    assert own[("raw/spend_plan", "selfeval_dahongmen_2023.pdf")] == 0  # a self-evaluation has no spending plan
    assert own[("raw/spend_plan", "targets_yanshanlu_2024.pdf")] > 0
    # the whole table's count is there too, under its own name
    assert rows[("raw/reports", "targets_yanshanlu_2024.pdf")]["table_rows"].value == 55
    # the run's summary once, on raw.documents, not copied onto every table's partitions
    assert rows[("raw/documents", "targets_yanshanlu_2024.pdf")]["documents_seen"].value == 2
    assert "documents_seen" not in rows[("raw/reports", "targets_yanshanlu_2024.pdf")]


def test_inbox_sensor_fires_on_change_only(tmp_path):
    from orchestration.automation import inbox_sensor
    from orchestration.resources import Warehouse

    warehouse = Warehouse(path=str(tmp_path / "w.duckdb"), inbox=str(tmp_path))
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.4 one")
    with DagsterInstance.ephemeral() as instance:
        context = build_sensor_context(instance=instance, resources={"warehouse": warehouse})
        first = inbox_sensor(context)
        assert first.run_key and instance.get_dynamic_partitions("documents") == ["a.pdf"]
        context.update_cursor(context.cursor)  # as the daemon would persist it
        assert "unchanged" in inbox_sensor(context).skip_message
        (tmp_path / "sub").mkdir()
        (tmp_path / "sub" / "b.pdf").write_bytes(b"%PDF-1.4 two")
        (tmp_path / "a.pdf").unlink()
        second = inbox_sensor(context)
        assert second.run_key not in (None, first.run_key)
        # a partition per document, the removed one gone; the run covers them all
        assert instance.get_dynamic_partitions("documents") == ["sub/b.pdf"]
        assert second.tags["dagster/asset_partition_range_start"] == "sub/b.pdf"


def test_schedule_and_sensor_never_start_a_second_run(tmp_path):
    from dagster import DagsterRunStatus, build_schedule_context, instance_for_test

    from orchestration.automation import inbox_sensor, nightly_schedule, warehouse_job
    from orchestration.definitions import defs
    from orchestration.resources import Warehouse

    warehouse = Warehouse(path=str(tmp_path / "w.duckdb"), inbox=str(tmp_path))
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.4 one")
    job = defs.resolve_job_def(warehouse_job.name)
    # A schedule needs a persistent instance. Dagster keeps the last one's storage as a process-wide
    # default for loading definitions later, so its folder must outlive this test (tmp_path does).
    (tmp_path / "dagster_home").mkdir()
    (tmp_path / "dagster_home" / "dagster.yaml").write_text("")
    with instance_for_test(temp_dir=str(tmp_path / "dagster_home")) as instance:
        schedule_context = build_schedule_context(instance=instance, resources={"warehouse": warehouse})
        assert nightly_schedule(schedule_context).tags["dagster/asset_partition_range_end"] == "a.pdf"
        instance.create_run_for_job(job, status=DagsterRunStatus.STARTED)
        assert "in progress" in nightly_schedule(schedule_context).skip_message
        sensor_context = build_sensor_context(instance=instance, resources={"warehouse": warehouse})
        assert "in progress" in inbox_sensor(sensor_context).skip_message


@pytest.fixture
def violating_warehouse(tmp_path, monkeypatch):
    """Raw tables holding the sample's first report, with one indicator scored above its weight and
    a warning of the reader."""
    from extract.load import Document, connect, load_document

    record = json.loads((ROOT / "samples" / "selfeval_dahongmen_2023.expected.jsonl")
                        .read_text(encoding="utf-8").splitlines()[0])
    indicator = record["indicators"][0]
    indicator["score"] = indicator["weight"] + 5
    # a warning that leaves the report complete (a warning that a part was not read would quarantine it)
    record["extraction_warnings"] = ["number out of range, stored as NULL: indicators[3].score = 1E+15"]
    path = tmp_path / "w.duckdb"
    with connect(path) as con:
        load_document(con, Document("x.pdf", "a" * 64, [record]), "test")
    monkeypatch.setenv("JIXIAO_WAREHOUSE", str(path))
    return path, record


def test_violating_record_becomes_finding_and_failed_check(violating_warehouse):
    from dagster import materialize

    from orchestration.assets import quality, warehouse
    from orchestration.resources import Warehouse, dbt_resource

    path, record = violating_warehouse
    result = materialize(
        [warehouse.warehouse_models, quality.dq_findings, *quality.dq_checks],
        resources={"warehouse": Warehouse(path=str(path), inbox=str(path.parent)),
                   "dbt": dbt_resource()},
        instance=DagsterInstance.ephemeral(), raise_on_error=False)
    assert result.success  # a finding is never a crash
    with duckdb.connect(str(path), read_only=True) as con:
        rows = con.execute("SELECT rule_id, severity, kind, row_key, observed FROM marts.dq_findings "
                           "WHERE rule_id IN ('SE-06', 'EX-01') ORDER BY rule_id").fetchall()
    assert rows == [("EX-01", "WARN", "extraction", "aaaaaaaaaaaaaaaa-001", "1"),
                    ("SE-06", "HARD", "document", "aaaaaaaaaaaaaaaa-001/1", "5")]
    # each model's materialisation carries its row count; a mart's, a preview of its rows
    built = {m.asset_key.to_user_string(): m.metadata for m in result.asset_materializations_for_node("warehouse_models")}
    assert built["marts/fct_indicator"]["dagster/row_count"].value == len(record["indicators"])
    preview = built["marts/fct_indicator"]["preview"].value
    assert len(preview.records) == min(10, len(record["indicators"]))
    assert {r.data["report_id"] for r in preview.records} == {"aaaaaaaaaaaaaaaa-001"}
    assert "indicator_code" in {c.name for c in preview.schema.columns}
    assert built["intermediate/int_reports"]["dagster/row_count"].value == 1 and "preview" not in built["intermediate/int_reports"]
    checks = {e.asset_check_key.asset_key.to_user_string(): e.passed
              for e in result.get_asset_check_evaluations()}
    assert checks["marts/fct_indicator"] is False


def test_only_a_reader_regression_fails_the_blocking_check(tmp_path):
    """A document read incompletely for the first time is quarantined and the run goes on; the
    blocking check fails only when the same content, read completely by an earlier reader version,
    reads incompletely now. Reading it again with the new reader accepts the new reading."""
    from orchestration.assets.quality import extraction_complete
    from orchestration.definitions import defs
    from orchestration.resources import Warehouse

    from extract.load import Document, connect, load_document

    [check] = [c for c in defs.resolve_asset_graph().asset_check_keys if c.name == "extraction_complete"]
    assert defs.resolve_asset_graph().get_check_spec(check).blocking

    path = tmp_path / "w.duckdb"
    complete = json.loads((ROOT / "samples" / "selfeval_dahongmen_2023.expected.jsonl")
                          .read_text(encoding="utf-8").splitlines()[0])
    half_read = {**complete, "funding": [], "indicators": [], "total_weight": None, "total_score": None,
                 "extraction_warnings": ["indicator table (绩效指标) not found"]}

    def check():
        result = extraction_complete(warehouse=Warehouse(path=str(path), inbox=str(tmp_path)))
        return result.passed, result.metadata["regressions"].value, result.metadata["quarantined"].value

    with connect(path) as con:
        load_document(con, Document("new.pdf", "b" * 64, [half_read]), "v1")  # new and incomplete
        load_document(con, Document("known.pdf", "a" * 64, [complete]), "v1")
    assert check() == (True, 0, 1)
    with connect(path) as con:  # reader v2 reads the known document incompletely: a regression
        load_document(con, Document("known.pdf", "a" * 64, [half_read]), "v2")
        assert con.execute("SELECT previous_version, previously_complete, quarantine_reason FROM raw.documents "
                           "WHERE source_file = 'known.pdf'").fetchone() == (
            "v1", True, "report 1 (pages 1-1): indicator table (绩效指标) not found; funding rows (项目资金) "
                        "not found")
    assert check() == (False, 1, 2)
    with connect(path) as con:  # read again by v2 (reread: true): the new reading is accepted
        load_document(con, Document("known.pdf", "a" * 64, [half_read]), "v2")
    assert check() == (True, 0, 2)


def test_inbox_leaves_out_folders_marked_skip(tmp_path):
    from orchestration.resources import Warehouse

    (tmp_path / "2023").mkdir()
    (tmp_path / "eval" / "deep").mkdir(parents=True)
    for name in ("a.pdf", "2023/b.docx", "eval/c.pdf", "eval/deep/d.pdf", "notes.txt"):
        (tmp_path / name).write_bytes(b"x")
    (tmp_path / "eval" / ".jixiao-skip").write_text("")
    warehouse = Warehouse(path=str(tmp_path / "w.duckdb"), inbox=str(tmp_path))
    assert [p.relative_to(tmp_path).as_posix() for p in warehouse.documents()] == ["2023/b.docx", "a.pdf"]
    # the bundled samples: the sample publications (and the Tangshan one's department goals), not the
    # evaluation sets
    bundled = Warehouse(path=str(tmp_path / "w.duckdb"), inbox=str(ROOT / "samples"))
    assert [p.name for p in bundled.documents()] == ["department_goals_yanshanlu_2024.pdf",
                                                     "selfeval_dahongmen_2023.pdf", "targets_yanshanlu_2024.pdf"]


def test_instance_settings_allow_one_writer(tmp_path):
    """orchestration/dagster.yaml (what `make dagster` installs): runs queue, and one step of the
    `warehouse` pool runs at a time (op granularity: limits enforced on the steps of a run)."""
    shutil.copy(ROOT / "orchestration" / "dagster.yaml", tmp_path)
    with DagsterInstance.from_config(str(tmp_path)) as instance:
        config = instance.get_concurrency_config()
        assert config.run_queue_config.max_concurrent_runs == 1
        assert config.pool_config.default_pool_limit == 1
        assert config.pool_config.pool_granularity.value == "op"
