"""`jixiao extract` on files that are not readable reports: clear message, exit 1, the rest still read."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

ROOT = Path(__file__).resolve().parent.parent
GOOD = ROOT / "samples" / "selfeval_dahongmen_2023.pdf"


def run_extract(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "extract.cli", "extract", *map(str, args)],
                          cwd=cwd, capture_output=True, text=True, timeout=600)


def make_pdf(path: Path, draw, **kwargs) -> Path:
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1, **kwargs)
    draw(pdf)
    pdf.showPage()
    pdf.save()
    return path


@pytest.fixture
def bad_files(tmp_path):
    corrupt = tmp_path / "corrupt.pdf"
    corrupt.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\ngarbage\x00\xff" * 3)
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes(GOOD.read_bytes()[:4000])
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    not_pdf = tmp_path / "notes.pdf"
    not_pdf.write_text("这不是 PDF", encoding="utf-8")
    letter = make_pdf(tmp_path / "letter.pdf", lambda c: c.drawString(72, 720, "Dear reader, no tables here."))
    scanned = make_pdf(tmp_path / "scanned.pdf", lambda c: c.rect(72, 72, 400, 600, fill=1))
    locked = make_pdf(tmp_path / "locked.pdf", lambda c: c.drawString(72, 720, "secret"),
                      encrypt="s3cret")
    legacy = tmp_path / "old.doc"
    legacy.write_bytes(b"\xd0\xcf\x11\xe0 legacy word")
    return {
        corrupt: "corrupt", truncated: None, empty: "empty file", not_pdf: "not a PDF",
        letter: "no report table found", scanned: "no text layer", locked: "encrypted",
        legacy: "corrupt or not a Word 97 file", tmp_path / "missing.pdf": "cannot read file",
    }


def test_bad_files_are_named_with_a_reason_and_good_files_still_extracted(bad_files):
    result = run_extract(*bad_files, GOOD)
    assert result.returncode == 1
    errors = {line.split(":", 1)[0].removeprefix("ERROR "): line
              for line in result.stderr.splitlines() if line.startswith("ERROR ")}
    for path, reason in bad_files.items():
        if reason:
            assert reason in errors[str(path)], result.stderr
    sources = {json.loads(line)["source"]["file"] for line in result.stdout.splitlines()}
    assert str(GOOD) in sources


def test_truncated_pdf_never_passes_silently(bad_files, tmp_path):
    truncated = tmp_path / "truncated.pdf"
    result = run_extract(truncated)
    records = [json.loads(line) for line in result.stdout.splitlines()]
    # Either the file is refused, or every record it yields says it is incomplete.
    assert result.returncode == 1 or all(r.get("extraction_warnings") for r in records)


def test_good_file_exits_zero():
    result = run_extract(GOOD)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("\n") >= 30


@pytest.mark.parametrize("args", [[], ["--jobs", "0", "x.pdf"]])
def test_usage_errors_exit_2(args):
    assert run_extract(*args).returncode == 2


def test_progress_line_counts_documents_and_never_touches_the_records(bad_files):
    [letter] = [path for path in bad_files if path.name == "letter.pdf"]
    result = run_extract("--progress", GOOD, letter, GOOD)
    assert result.stderr.rstrip().endswith("[3/3] 80 reports, 1 unreadable: " + GOOD.name)
    assert "\033[KERROR " in result.stderr  # (text mode reads the carriage return as a newline)
    assert result.stdout == run_extract(GOOD, letter, GOOD).stdout  # records alone
