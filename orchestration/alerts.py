"""Alerts after each run: new findings, unreadable documents and documents quarantined because they
were read incompletely, sent once to every channel.

Channels are Apprise URLs in ``JIXIAO_ALERT_URLS`` (space- or comma-separated), e.g.
``dingtalk://token/``, ``wecombot://key``, ``feishu://token/``, ``mailtos://user:pass@host``,
``slack://…``, ``json://host/path`` (a generic JSON webhook). What each channel has been sent is
recorded in ``raw.alerts_sent`` under a hash of its URL (never the URL: it holds the token), so an
item reaches a channel once, and a channel that fails gets it again on the next run. A failing
channel is logged and never fails the run.

With the warehouse on PostgreSQL the findings and documents are read from the published ``marts`` and
``raw`` schemas, and ``raw.alerts_sent`` is kept in the writer's DuckDB ledger (the writer's state:
what readers query has no need of it).
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from extract.config import POSTGRES_SCHEMES

log = logging.getLogger(__name__)

TOP_ITEMS = 10
DDL = """
CREATE SCHEMA IF NOT EXISTS raw;
CREATE TABLE IF NOT EXISTS raw.alerts_sent (
    channel VARCHAR NOT NULL, item VARCHAR NOT NULL, sent_at TIMESTAMP NOT NULL,
    PRIMARY KEY (channel, item)
)
"""


def channel_urls() -> list[str]:
    return [u for u in re.split(r"[\s,]+", os.environ.get("JIXIAO_ALERT_URLS", "")) if u]


def channel_id(url: str) -> str:
    return hashlib.sha256(url.encode()).hexdigest()[:16]


# What may be news, each row led by its item id in raw.alerts_sent: open findings, unreadable documents,
# and documents quarantined (once per document and content: the same file read incompletely again is
# not news). The same SQL on DuckDB and PostgreSQL.
ITEMS = ["""
    SELECT finding_id, severity, rule_id, message_zh, observed, expected,
           source_file, page_first, project_name
    FROM marts.dq_findings
    WHERE status = 'open'
    ORDER BY CASE severity WHEN 'HARD' THEN 0 WHEN 'WARN' THEN 1 ELSE 2 END, rule_id, row_key
""", """
    SELECT 'document:' || source_sha256, source_file, error FROM raw.documents
    WHERE status = 'error'
    ORDER BY source_file
""", """
    SELECT 'quarantine:' || source_sha256, source_file, quarantine_reason FROM raw.documents
    WHERE status = 'ok' AND quarantine_reason IS NOT NULL
    ORDER BY source_file
"""]


def _items(con: duckdb.DuckDBPyConnection, postgres: str) -> list[list[tuple]]:
    """ITEMS, from the DuckDB warehouse (``con``) or the published PostgreSQL one."""
    if not postgres:
        return [con.execute(sql).fetchall() for sql in ITEMS]
    from .postgres import connect

    with connect(postgres) as pg, pg, pg.cursor() as cur:
        items = []
        for sql in ITEMS:
            cur.execute(sql)
            items.append(cur.fetchall())
        return items


def message(findings: list[tuple], documents: list[tuple], warehouse: Path | str,
            quarantined: list[tuple] = ()) -> tuple[str, str]:
    """(title, body) in Chinese: counts by severity, the top items, where to read the rest
    (``warehouse``: the DuckDB file, or the PostgreSQL URL without its password)."""
    counts = {s: sum(1 for f in findings if f[1] == s) for s in ("HARD", "WARN", "INFO")}
    partial = f"，{len(quarantined)} 个文件读取不完整（已隔离）" if quarantined else ""
    title = f"绩效数据质量：新发现 {len(findings)} 条问题，{len(documents)} 个文件无法读取{partial}"
    lines = [f"jixiao 本次运行新发现 {len(findings)} 条数据质量问题（"
             + "，".join(f"{s} {n}" for s, n in counts.items()) + f"），{len(documents)} 个文件无法读取{partial}。"]
    if findings:
        # one example per contract, HARD first, so that one frequent rule does not hide the rest
        examples, counts_by_contract = {}, {}
        for finding in findings:
            contract = (finding[2], finding[3])
            examples.setdefault(contract, finding)
            counts_by_contract[contract] = counts_by_contract.get(contract, 0) + 1
        lines.append("主要问题（每条规则一例）：")
        for contract, finding in list(examples.items())[:TOP_ITEMS]:
            _, severity, rule, text, observed, expected, file, page, project = finding
            where = f"{project or '?'}（{Path(file).name if file else '?'} 第 {page or '?'} 页）"
            lines.append(f"- [{severity}] {rule} {text}（共 {counts_by_contract[contract]} 条）："
                         f"{where}，实际 {observed}，应为 {expected}")
        if len(examples) > TOP_ITEMS:
            lines.append(f"……另有 {len(examples) - TOP_ITEMS} 条规则")
    if documents:
        lines.append("无法读取的文件：")
        lines += [f"- {Path(file).name}：{error}" for _, file, error in documents[:TOP_ITEMS]]
    if quarantined:
        lines.append("读取不完整、已隔离的文件（保留在 raw，不计入事实表和汇总表，见 marts.quarantined_documents）：")
        lines += [f"- {Path(file).name}：{reason.splitlines()[0]}"
                  + (f"（另有 {len(reason.splitlines()) - 1} 份报表）" if len(reason.splitlines()) > 1 else "")
                  for _, file, reason in quarantined[:TOP_ITEMS]]
    opener = f"psql '{warehouse}'" if str(warehouse).startswith(POSTGRES_SCHEMES) else f"duckdb -readonly {warehouse}"
    lines.append(f"完整列表：marts.dq_findings（{opener}）")
    return title, "\n".join(lines)


def send_alerts(warehouse: Path, urls: list[str] | None = None, readers: Path | str | None = None,
                postgres: str = "") -> dict[str, str]:
    """Send what is new to each channel; returns {channel kind#id: sent | nothing new | failed}.

    ``readers`` is the file the message tells people to open (the published copy). With ``postgres``
    (the warehouse's URL) the items are read there, and ``warehouse`` is the ledger."""
    import apprise

    urls = channel_urls() if urls is None else urls
    outcome = {}
    if postgres:
        from .postgres import redacted

        readers = redacted(postgres)
    with duckdb.connect(str(warehouse)) as con:
        con.execute(DDL)
        items = _items(con, postgres) if urls else []
        for url in urls:
            channel = channel_id(url)
            label = f"{url.split(':', 1)[0]}#{channel}"  # the scheme only: the rest may be a secret
            sent = {item for (item,) in con.execute(
                "SELECT item FROM raw.alerts_sent WHERE channel = ?", [channel]).fetchall()}
            findings, documents, quarantined = ([row for row in rows if row[0] not in sent] for rows in items)
            if not findings and not documents and not quarantined:
                outcome[label] = "nothing new"
                continue
            title, body = message(findings, documents, readers or warehouse, quarantined)
            notifier = apprise.Apprise()
            try:
                sent = notifier.add(url) and bool(notifier.notify(body=body, title=title))
            except Exception as exc:  # a broken channel must not fail the run
                log.warning("alert channel %s raised %s", label, exc.__class__.__name__)
                sent = False
            if not sent:
                log.warning("alert channel %s failed; its items are retried on the next run", label)
                outcome[label] = "failed"
                continue
            now = datetime.now(timezone.utc).replace(tzinfo=None)
            con.executemany("INSERT OR IGNORE INTO raw.alerts_sent VALUES (?, ?, ?)",
                            [[channel, item[0], now] for item in [*findings, *documents, *quarantined]])
            outcome[label] = "sent"
    return outcome
