"""Legacy Office files (.doc, .wps, .xls, .et) are converted by a real LibreOffice and read as the
DOCX/XLSX they become: the same records as the modern file they were saved from, the original named
in ``source.file``; and every way a conversion fails is a reason that names what went wrong, with
no LibreOffice process and no temporary directory left behind.

The .doc is LibreOffice's own Word 97 save of the Word evaluation set; the .wps is a copy of it
under WPS Writer's name (WPS saves Word 97-compatible files as .wps); the .xls is LibreOffice's
Excel 97 save of a workbook set, the .et a copy of it under WPS Spreadsheets' name. No file saved by
WPS Office itself was at hand.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from extract import convert
from extract.evaluation import ROOT, comparable
from extract.pipeline import extract_file, extract_files

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")

WORD = ROOT / "samples/eval/targets_word.docx"
WORKBOOK = ROOT / "samples/eval/workbooks/targets_sheets.xlsx"


def save_as(source: Path, out_dir: Path, fmt: str) -> Path:
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(["soffice", "--headless", f"-env:UserInstallation={Path(profile).as_uri()}",
                        "--convert-to", fmt, "--outdir", str(out_dir), str(source)],
                       check=True, capture_output=True, timeout=300)
    return out_dir / f"{source.stem}.{fmt}"


@pytest.fixture(scope="module")
def legacy(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("legacy")
    doc = save_as(WORD, out, "doc")
    xls = save_as(WORKBOOK, out, "xls")
    files = {"doc": doc, "xls": xls}
    files["wps"] = Path(shutil.copyfile(doc, out / "targets_word.wps"))
    files["et"] = Path(shutil.copyfile(xls, out / "targets_sheets.et"))
    return files


def content(records: list[dict]) -> list[dict]:
    return [comparable(r, "content") for r in records]


def leftovers() -> tuple[list[str], list[str]]:
    """LibreOffice processes of a conversion, and conversion directories, still there."""
    processes = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if convert.PREFIX in cmdline:
            processes.append(f"{pid}: {cmdline[:120]}")
    return processes, [p.name for p in Path(tempfile.gettempdir()).glob(f"{convert.PREFIX}*")]


def test_word_97_and_wps_read_as_the_docx(legacy):
    want = content(extract_file(WORD).records)
    assert len(want) == 15
    # two workers at once: each conversion has its own LibreOffice profile
    docs = list(extract_files([legacy["doc"], legacy["wps"]], jobs=2))
    for doc, path in zip(docs, (legacy["doc"], legacy["wps"])):
        assert doc.error is None, doc.error
        assert content(doc.records) == want
        assert {r["source"]["file"] for r in doc.records} == {str(path)}
        assert all("extraction_warnings" not in r for r in doc.records)
    assert leftovers() == ([], [])


def test_excel_97_and_et_read_as_the_xlsx(legacy):
    want = content(extract_file(WORKBOOK).records)
    assert len(want) == 15
    for path in (legacy["xls"], legacy["et"]):
        doc = extract_file(path)
        assert doc.error is None, doc.error
        assert content(doc.records) == want
        assert doc.records[0]["source"]["file"] == str(path)
    assert leftovers() == ([], [])


def test_a_docx_saved_under_a_legacy_name_is_read_as_it_is(tmp_path):
    renamed = Path(shutil.copyfile(WORD, tmp_path / "renamed.doc"))
    assert content(extract_file(renamed).records) == content(extract_file(WORD).records)


def test_without_libreoffice_the_reason_says_what_to_install(legacy, monkeypatch):
    monkeypatch.setenv("PATH", "")
    assert extract_file(legacy["doc"]).error == (
        "legacy .doc file: LibreOffice (soffice) is not installed; install libreoffice-writer-nogui "
        "or convert to DOCX/PDF")
    assert extract_file(legacy["et"]).error == (
        "legacy .et file: LibreOffice (soffice) is not installed; install libreoffice-calc-nogui "
        "or convert to XLSX/PDF")


def test_corrupt_files_are_named(legacy, tmp_path):
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    (tmp_path / "torn.doc").write_bytes(legacy["doc"].read_bytes()[:3000])
    (tmp_path / "noise.doc").write_bytes(ole + os.urandom(4096))
    (tmp_path / "page.xls").write_text("<html><body><table><tr><td>1</td></tr></table></body></html>")
    (tmp_path / "empty.wps").write_bytes(b"")
    reasons = {p.name: extract_file(p).error for p in sorted(tmp_path.iterdir())}
    cannot = "LibreOffice could not convert this .doc file (corrupt or not a Word 97 file): "
    assert reasons["torn.doc"].startswith(cannot) and reasons["noise.doc"].startswith(cannot)
    assert reasons["page.xls"] == "corrupt or not an Excel 97 file (no OLE2 compound-document signature)"
    assert reasons["empty.wps"] == "corrupt or not a WPS Writer (Word 97) file (no OLE2 compound-document signature)"
    assert leftovers() == ([], [])


def test_a_conversion_past_its_time_is_killed_whole(legacy, monkeypatch):
    # the worker's own limit: LibreOffice needs about a second, it gets 0.3 s
    monkeypatch.setattr(convert, "DEADLINE", time.monotonic() + 0.3)
    with pytest.raises(convert.UnconvertibleDocument, match=r"took longer than the 0\.\d+ s left of the parse "
                                                             r"time limit \(JIXIAO_PARSE_TIMEOUT\)"):
        with convert.converted(legacy["doc"]):
            pass
    assert leftovers() == ([], [])
    # the pipeline's limit: the worker is killed (maybe while soffice runs), and what it started with it
    monkeypatch.setattr(convert, "DEADLINE", None)
    for timeout in ("0.000001", "0.5"):
        monkeypatch.setenv("JIXIAO_PARSE_TIMEOUT", timeout)
        [doc] = list(extract_files([legacy["doc"]]))
        assert "JIXIAO_PARSE_TIMEOUT" in doc.error, doc.error
        time.sleep(0.2)  # SIGKILLed processes are reaped by init
        assert leftovers() == ([], [])


def test_the_conversion_runs_under_the_memory_limit(legacy, monkeypatch):
    # LibreOffice converts under the parse memory limit (it needs some 500 MB of address space) …
    monkeypatch.setenv("JIXIAO_PARSE_MEMORY_MB", "1024")
    [doc] = list(extract_files([legacy["xls"]]))
    assert doc.error is None and len(doc.records) == 15
    # … and without enough, it writes nothing, which is said
    monkeypatch.setenv("JIXIAO_PARSE_MEMORY_MB", "200")
    [doc] = list(extract_files([legacy["xls"]]))
    assert doc.error.startswith("LibreOffice could not convert this .xls file (corrupt or not an Excel 97 file; "
                                "or short of memory: LibreOffice needs 1024 MB, JIXIAO_PARSE_MEMORY_MB is 200)"), doc.error
    assert leftovers() == ([], [])


def test_sets_list_the_xls_renderings():
    sets = json.loads((ROOT / "samples/eval/sets_workbooks.json").read_text(encoding="utf-8"))
    assert {Path(s["document"]).suffix for s in sets} == {".xlsx", ".xls"}
