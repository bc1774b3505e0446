"""Alerts reach a real HTTP receiver started here (Apprise's json:// webhook): once per item,
in Chinese, without the channel's secret, and a channel that is down is retried, never fatal."""

from pathlib import Path

import duckdb
import pytest

from expectations.run import run_checks, write_findings
from orchestration.alerts import send_alerts

from conftest import webhook
from test_expectations import FACTS


@pytest.fixture
def receiver():
    """(url, received bodies) of a local webhook."""
    with webhook("/hook?token=s3cret") as hook:
        yield hook


@pytest.fixture
def warehouse(tmp_path) -> Path:
    path = tmp_path / "w.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute(FACTS)
        con.execute("CREATE SCHEMA raw; CREATE TABLE raw.documents (source_sha256 VARCHAR, "
                    "source_file VARCHAR, status VARCHAR, error VARCHAR, quarantine_reason VARCHAR); "
                    "INSERT INTO raw.documents VALUES ('abc', '/inbox/broken.pdf', 'error', 'corrupt or truncated PDF', "
                    "NULL), ('def', '/inbox/good.pdf', 'ok', NULL, NULL)")
    write_findings(path, run_checks(path))
    return path


def test_new_findings_arrive_once_in_chinese_without_the_secret(warehouse, receiver):
    url, received = receiver
    assert send_alerts(warehouse, [url]) == {f"json#{url_id(url)}": "sent"}
    [alert] = received
    assert alert["title"] == "绩效数据质量：新发现 38 条问题，1 个文件无法读取"
    body = alert["message"]
    assert "HARD 14，WARN 24，INFO 0" in body and "SE-06 指标得分超过分值（共 1 条）：某项目（a.pdf 第 3 页）" in body
    assert "broken.pdf：corrupt or truncated PDF" in body and "s3cret" not in body

    assert send_alerts(warehouse, [url]) == {f"json#{url_id(url)}": "nothing new"}
    assert len(received) == 1


def test_a_channel_that_is_down_does_not_fail_and_is_retried(warehouse, receiver):
    url, received = receiver
    down = "json://127.0.0.1:9/hook"  # discard port: nothing listens
    assert send_alerts(warehouse, [down, url]) == {
        f"json#{url_id(down)}": "failed", f"json#{url_id(url)}": "sent"}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        sent_to_down = con.execute("SELECT count(*) FROM raw.alerts_sent WHERE channel = ?",
                                   [url_id(down)]).fetchone()[0]
    assert sent_to_down == 0  # all of it goes out again on the next run


def url_id(url):
    from orchestration.alerts import channel_id

    return channel_id(url)


def test_a_quarantined_document_is_alerted_once(warehouse, receiver):
    """A document read incompletely (quarantined) goes out once, with its reason, like an unreadable one."""
    url, received = receiver
    send_alerts(warehouse, [url])
    with duckdb.connect(str(warehouse)) as con:
        con.execute("INSERT INTO raw.documents VALUES ('ghi', '/inbox/cut.pdf', 'ok', NULL, "
                    "'report 1 (pages 1-1): 总分 row not found: the table may be cut off')")
    assert send_alerts(warehouse, [url]) == {f"json#{url_id(url)}": "sent"}
    alert = received[-1]
    assert alert["title"] == "绩效数据质量：新发现 0 条问题，0 个文件无法读取，1 个文件读取不完整（已隔离）"
    assert "- cut.pdf：report 1 (pages 1-1): 总分 row not found: the table may be cut off" in alert["message"]
    assert send_alerts(warehouse, [url]) == {f"json#{url_id(url)}": "nothing new"}
    assert len(received) == 2
