"""``extract_files`` with several workers gives exactly what one worker and ``extract_file`` give.

Whole documents go to the workers largest first, and a document is striped over the workers only
when fewer remain than there are jobs; none of that may change the records or their order.
"""

from pathlib import Path

from extract.pipeline import extract_file, extract_files

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = [
    ROOT / "samples" / "targets_yanshanlu_2024.pdf",  # small first: the large ones finish later
    ROOT / "samples" / "eval" / "selfeval_all.pdf",
    ROOT / "samples" / "eval" / "targets_word.docx",
    ROOT / "samples" / "eval" / "targets_word_page_breaks_libreoffice.pdf",
    ROOT / "samples" / "selfeval_dahongmen_2023.pdf",
]


def outcomes(docs) -> list[tuple[str, str, str | None, list[dict]]]:
    return [(d.file, d.sha256, d.error, d.records) for d in docs]


def test_two_jobs_give_the_records_of_one_job_in_input_order(tmp_path):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\ngarbage\x00\xff" * 3)
    paths = [*DOCUMENTS[:2], broken, *DOCUMENTS[2:]]
    one_by_one = outcomes(extract_file(p) for p in paths)
    assert outcomes(extract_files(paths, jobs=2)) == one_by_one
    assert outcomes(extract_files(paths, jobs=1)) == one_by_one
    assert [file for file, *_ in one_by_one] == [str(p) for p in paths]
    errors = [error for _, _, error, _ in one_by_one]
    assert errors[2] and all(e is None for i, e in enumerate(errors) if i != 2)
    assert all(records for i, (*_, records) in enumerate(one_by_one) if i != 2)


def test_unordered_documents_come_as_they_are_read(tmp_path):
    """Regression: in input order, a small document waiting behind a large one held every finished
    document in memory, and the ingest log stood at [1/357] for three and a half minutes."""
    paths = [DOCUMENTS[0], DOCUMENTS[1], DOCUMENTS[4]]  # 9, 107 and 39 pages: the largest is read first
    done = outcomes(extract_files(paths, jobs=2, ordered=False))
    assert sorted(done) == sorted(outcomes(extract_file(p) for p in paths))
    assert [Path(file).name for file, *_ in done][-1] == "selfeval_all.pdf"  # done last, not waited for


def test_a_single_pdf_striped_over_two_jobs_gives_the_same_records():
    path = ROOT / "samples" / "selfeval_dahongmen_2023.pdf"
    [striped] = extract_files([path], jobs=2)
    whole = extract_file(path)
    assert striped.error is None and len(striped.records) == 40
    assert outcomes([striped]) == outcomes([whole])


def test_a_worker_killed_by_a_signal_is_named_so(monkeypatch, tmp_path):
    """A parser that dies (here: SIGSEGV, as a crash in a C library would) costs its document only."""
    import os
    import signal

    import extract.pipeline

    reader = extract.pipeline.read_layouts

    def crash_on_targets(path, *args):
        if "targets" in str(path):
            os.kill(os.getpid(), signal.SIGSEGV)
        return reader(path, *args)

    monkeypatch.setattr(extract.pipeline, "read_layouts", crash_on_targets)  # the forked workers have it
    crashed, good = extract_files([DOCUMENTS[0], DOCUMENTS[4]], jobs=2)
    assert crashed.error.startswith("parser crashed (killed by SIGSEGV;") and not crashed.records
    assert good.error is None and len(good.records) == 40
