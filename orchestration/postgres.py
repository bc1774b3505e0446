"""The warehouse on PostgreSQL: the raw ledger mirrored into ``raw_build``, dbt building into
``staging_build`` and ``marts_build``, and publication by renaming the three schemas in one transaction.

Readers only ever query ``raw``, ``staging`` and ``marts``. PostgreSQL DDL is transactional, so they
see the previous build or the new one, whole; views follow a renamed schema (they hold its tables'
OIDs, not their names). The writer's DuckDB ledger (``JIXIAO_LEDGER``) stays the record of what was
read: ``raw_build`` is rebuilt from it on every build that has something new.
"""

from __future__ import annotations

import contextlib
import io
import os
import time
import re
from datetime import date, datetime
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import duckdb

from extract.load import DDL

SCHEMAS = ("raw", "staging", "marts")  # what readers query; the writer builds each as <schema>_build
BUILD = "_build"
CHUNK = 20_000  # rows per COPY


@contextlib.contextmanager
def connect(url: str):
    """A psycopg2 connection, closed on leaving (psycopg2's own ``with`` only ends the transaction)."""
    import psycopg2

    con = psycopg2.connect(url)
    try:
        yield con
    finally:
        con.close()


def dbt_env(url: str) -> dict[str, str]:
    """The variables dbt_project/profiles.yml reads for its postgres target, from the warehouse URL."""
    from psycopg2.extensions import parse_dsn

    dsn = parse_dsn(url)
    env = {"JIXIAO_DBT_TARGET": "postgres"}
    for key, var in (("host", "HOST"), ("port", "PORT"), ("user", "USER"), ("password", "PASSWORD"),
                     ("dbname", "DBNAME")):
        if dsn.get(key):
            env[f"JIXIAO_PG_{var}"] = dsn[key]
    return env


def redacted(url: str) -> str:
    """The URL without its password (in the netloc or as ?password=), for logs and summaries."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, host = netloc.rsplit("@", 1)
        netloc = userinfo.split(":", 1)[0] + "@" + host
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query) if k != "password"], safe="/")
    return urlunsplit(parts._replace(netloc=netloc, query=query))


def raw_ddl(schema: str) -> str:
    """The raw layer's DDL (extract/load.py, plain SQL both databases read) for schema ``schema``."""
    return re.sub(r"\braw(?=[.;])", schema, DDL)


def _exists(cur, relation: str) -> bool:
    cur.execute("SELECT to_regclass(%s) IS NOT NULL", [relation])
    return cur.fetchone()[0]


def _columns(cur, schema: str, table: str) -> list[str]:
    cur.execute("SELECT column_name FROM information_schema.columns WHERE table_schema = %s AND table_name = %s "
                "ORDER BY ordinal_position", [schema, table])
    return [c for (c,) in cur.fetchall()]


def _documents_of(schema: str, table: str, columns: list[str], shas: str) -> str | None:
    """A condition on ``<schema>.<table>`` keeping the rows of the documents in ``shas`` (a subquery or
    list), or None when the table's rows belong to no one document."""
    if "source_sha256" in columns:
        return f"source_sha256 IN ({shas})"
    if "report_id" in columns:
        return (f"report_id IN (SELECT report_id FROM {schema}.reports WHERE source_sha256 IN ({shas}) "
                f"UNION ALL SELECT report_id FROM {schema}.department_reports WHERE source_sha256 IN ({shas}))")
    return None


def mirror_raw(ledger: duckdb.DuckDBPyConnection, pg) -> dict[str, int]:
    """Rebuild ``raw_build`` (the raw layer: extract/load.py's DDL) from the ledger's ``raw`` tables, in
    one transaction; returns rows copied from the ledger per table.

    Incremental by document: the rows of a document the published ``raw`` holds as the ledger does
    (same sha256, file name, load time and reader) are copied inside PostgreSQL; only the others
    cross over, by COPY. ``documents`` and ``ingestion_runs`` (one row a document or a run) are copied
    whole. The leftovers of a build that died (the three ``*_build`` schemas) are dropped first.
    Every table's row count is checked against the ledger's before the transaction commits."""
    tables = [t for (t,) in ledger.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'raw' "
        "AND table_type = 'BASE TABLE' ORDER BY 1").fetchall()]
    key = "SELECT source_sha256, source_file, loaded_at, extractor_version FROM raw.documents"
    ledger_docs = {row[0]: row[1:] for row in ledger.execute(key).fetchall()}
    copied = {}
    with pg, pg.cursor() as cur:
        cur.execute("DROP SCHEMA IF EXISTS " + ", ".join(s + BUILD for s in SCHEMAS) + " CASCADE")
        cur.execute(raw_ddl("raw" + BUILD))
        # the raw layer's tables; the ledger's others are the writer's own state (e.g. alerts sent)
        tables = [t for t in tables if _exists(cur, f"raw{BUILD}.{t}")]
        kept = []
        if _exists(cur, "raw.documents"):
            cur.execute(key)
            kept = [sha for sha, *rest in cur.fetchall() if ledger_docs.get(sha) == tuple(rest)]
        cur.execute("CREATE TEMPORARY TABLE kept_documents (sha256 VARCHAR PRIMARY KEY) ON COMMIT DROP")
        _copy(cur, "kept_documents", ["sha256"], [(sha,) for sha in kept])
        changed = sorted(set(ledger_docs) - set(kept))
        for table in tables:
            columns = [c for (c,) in ledger.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = 'raw' "
                "AND table_name = ? ORDER BY ordinal_position", [table]).fetchall()]
            listed = ", ".join(f'"{c}"' for c in columns)
            select = f"SELECT {listed} FROM raw.{table}"
            keep = _documents_of("raw", table, columns, "SELECT sha256 FROM kept_documents")
            if (kept and keep and table not in ("documents", "ingestion_runs")
                    and _columns(cur, "raw", table) == columns):
                cur.execute(f"INSERT INTO raw{BUILD}.{table} ({listed}) {select} WHERE {keep}")
                cross = _documents_of("raw", table, columns, "SELECT unnest($changed::VARCHAR[])")
                rows = ledger.execute(f"{select} WHERE {cross}", {"changed": changed})
            else:
                rows = ledger.execute(select)
            copied[table] = _copy(cur, f"raw{BUILD}.{table}", columns, iter(lambda: rows.fetchmany(CHUNK), []))
            cur.execute(f"SELECT count(*) FROM raw{BUILD}.{table}")
            built, = cur.fetchone()
            expected, = ledger.execute(f"SELECT count(*) FROM raw.{table}").fetchone()
            if built != expected:
                raise RuntimeError(f"raw{BUILD}.{table} holds {built} rows, the ledger's raw.{table} {expected}: "
                                   "the published raw tables differ from the ledger; nothing was changed")
    return copied


def _copy(cur, relation: str, columns: list[str], chunks) -> int:
    """COPY rows (an iterable of lists of rows, or one list) into ``relation``; returns how many."""
    if isinstance(chunks, list):
        chunks = [chunks]
    count, listed = 0, ", ".join(f'"{c}"' for c in columns)
    for chunk in chunks:
        if not chunk:
            continue
        text = io.StringIO()
        for row in chunk:
            text.write("\t".join(_text(v, relation) for v in row) + "\n")
        text.seek(0)
        cur.copy_expert(f"COPY {relation} ({listed}) FROM STDIN", text)
        count += len(chunk)
    return count


def _text(value, relation: str) -> str:
    """A value in COPY's text format."""
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if "\x00" in text:  # PostgreSQL's text types cannot hold it: say where, rather than fail obscurely
        raise ValueError(f"{relation}: a value holds a NUL character, which PostgreSQL cannot store: {text[:80]!r}")
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def publish(pg, ledger: duckdb.DuckDBPyConnection, run_id: str) -> None:
    """Swap the ``*_build`` schemas in for the published ones, in one transaction.

    ``raw_build.ingestion_runs`` first takes the ledger's runs with ``run_id`` marked published: what
    the next run compares with (ingest.published_state), true only once the swap has committed.
    A reader's open transaction holds locks on the tables it read: the swap waits for it (up to
    ``lock_timeout``, then tries again) rather than changing data under it."""
    columns = [c for (c,) in ledger.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = 'raw' "
        "AND table_name = 'ingestion_runs' ORDER BY ordinal_position").fetchall()]
    runs = ledger.execute(f"SELECT {', '.join(columns)} FROM raw.ingestion_runs").fetchall()
    from psycopg2.errors import LockNotAvailable

    deadline = time.monotonic() + float(os.environ.get("JIXIAO_PG_PUBLISH_WAIT", 600))
    while True:
        try:
            return _swap(pg, columns, runs, run_id)
        except LockNotAvailable:
            # a reader's transaction still holds the published tables; waiting for the lock in one go
            # would queue every new reader behind the swap, so wait in short turns
            if time.monotonic() > deadline:
                raise RuntimeError("cannot publish: readers held the published tables for longer than "
                                   "JIXIAO_PG_PUBLISH_WAIT seconds; the published warehouse is unchanged") from None


def _swap(pg, columns: list[str], runs: list[tuple], run_id: str) -> None:
    with pg, pg.cursor() as cur:
        cur.execute("SET LOCAL lock_timeout = '2s'")
        missing = [s + BUILD for s in SCHEMAS if not _schema_exists(cur, s + BUILD)]
        if missing:
            raise RuntimeError(f"cannot publish: schema {', '.join(missing)} missing (the build did not finish, or "
                               "another run published it); the published warehouse is unchanged")
        cur.execute(f"DELETE FROM raw{BUILD}.ingestion_runs")
        _copy(cur, f"raw{BUILD}.ingestion_runs", columns, runs)
        cur.execute(f"UPDATE raw{BUILD}.ingestion_runs SET outcome = 'published' WHERE run_id = %s", [run_id])
        _grant_readers(cur)
        cur.execute("DROP SCHEMA IF EXISTS " + ", ".join(SCHEMAS) + " CASCADE")
        for schema in SCHEMAS:
            cur.execute(f"ALTER SCHEMA {schema}{BUILD} RENAME TO {schema}")


def _grant_readers(cur) -> None:
    """Reading rights for the roles in ``JIXIAO_PG_READERS`` (comma-separated): each publication's
    schemas are new ones, so rights granted on the previous ones do not carry over."""
    from psycopg2.sql import SQL, Identifier

    for role in filter(None, (r.strip() for r in os.environ.get("JIXIAO_PG_READERS", "").split(","))):
        for schema in SCHEMAS:
            cur.execute(SQL("GRANT USAGE ON SCHEMA {0} TO {1}; GRANT SELECT ON ALL TABLES IN SCHEMA {0} TO {1}")
                        .format(Identifier(schema + BUILD), Identifier(role)))


def _schema_exists(cur, schema: str) -> bool:
    cur.execute("SELECT count(*) FROM pg_namespace WHERE nspname = %s", [schema])
    return cur.fetchone()[0] > 0


# PostgreSQL's types (format_type) as DuckDB's in the published copy; any other type as text. A
# numeric without its precision (a sum of amounts) keeps its digits as a decimal, not as a double.
DUCKDB_TYPES = {"smallint": "SMALLINT", "integer": "INTEGER", "bigint": "BIGINT", "boolean": "BOOLEAN",
                "real": "FLOAT", "double precision": "DOUBLE", "numeric": "DECIMAL(38,10)", "date": "DATE",
                "timestamp without time zone": "TIMESTAMP", "timestamp with time zone": "TIMESTAMPTZ"}


def copy_marts(url: str, con: duckdb.DuckDBPyConnection, scratch: Path) -> dict[str, int]:
    """The published ``marts`` schema (tables and views, as tables) into the DuckDB copy ``con``,
    which the workbook and the report read: each relation through a CSV file in ``scratch``, one at a
    time. Returns rows per relation."""
    copied = {}
    with connect(url) as pg, pg, pg.cursor() as cur:
        cur.execute("SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute AS a "
                    "JOIN pg_class AS c ON c.oid = a.attrelid JOIN pg_namespace AS n ON n.oid = c.relnamespace "
                    "WHERE n.nspname = 'marts' AND c.relkind IN ('r', 'v', 'm', 'p') AND a.attnum > 0 "
                    "AND NOT a.attisdropped ORDER BY c.relname, a.attnum")
        relations: dict[str, list[tuple[str, str]]] = {}
        for relation, column, kind in cur.fetchall():
            relations.setdefault(relation, []).append((column, kind))
        con.execute("DROP SCHEMA IF EXISTS marts CASCADE")
        con.execute("CREATE SCHEMA marts")
        for relation, columns in relations.items():
            con.execute(f'CREATE TABLE marts."{relation}" ('
                        + ", ".join(f'"{name}" {_duckdb_type(kind)}' for name, kind in columns) + ")")
            csv = scratch / f".{relation}.{os.getpid()}.csv"
            try:
                with open(csv, "w", encoding="utf-8") as out:
                    cur.copy_expert(f'COPY (SELECT * FROM marts."{relation}") TO STDOUT WITH (FORMAT csv)', out)
                # PostgreSQL's CSV: NULL an empty field, an empty text a quoted one ("")
                con.execute(f"COPY marts.\"{relation}\" FROM '{str(csv).replace(chr(39), chr(39) * 2)}' "
                            "(FORMAT csv, HEADER false, DELIM ',', QUOTE '\"', ESCAPE '\"', AUTO_DETECT false, "
                            "allow_quoted_nulls false)")
            finally:
                csv.unlink(missing_ok=True)
            copied[relation] = con.execute(f'SELECT count(*) FROM marts."{relation}"').fetchone()[0]
    return copied


def _duckdb_type(kind: str) -> str:
    decimal = re.fullmatch(r"numeric\((\d+),(\d+)\)", kind)
    if decimal and int(decimal[1]) <= 38:
        return f"DECIMAL({decimal[1]},{decimal[2]})"
    return DUCKDB_TYPES.get(kind, "VARCHAR")


def published_state(url: str) -> tuple[str, str] | None:
    """(raw_state, build_version) of the last publication on PostgreSQL, or None."""
    with connect(url) as pg, pg, pg.cursor() as cur:
        if not _exists(cur, "raw.ingestion_runs"):
            return None
        cur.execute("SELECT raw_state, build_version FROM raw.ingestion_runs WHERE outcome = 'published' "
                    "ORDER BY finished_at DESC LIMIT 1")
        return cur.fetchone()
