"""Peak memory of one extraction worker per document: what JIXIAO_PARSE_MEMORY_MB must allow.

Each document is read as the pipeline's worker reads it (forked from this process, the whole
document, OCR and LibreOffice included), one at a time. Printed per document: the worker's peak
resident size (ru_maxrss, from the kernel), and its address-space growth over what it inherited
(VmPeak - VmSize at the fork: what the worker's limit counts). LibreOffice and Tesseract run as
processes of their own and are not counted here (soffice has its own limit, extract/convert.py).

    .venv/bin/python bench/worker_memory.py                 # every sample and evaluation document
    .venv/bin/python bench/worker_memory.py FILE...
"""

from __future__ import annotations

import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extract.pipeline import _document, _read_safely, sha256_of  # noqa: E402

SUFFIXES = {".pdf", ".docx", ".xlsx", ".xlsm", ".csv", ".doc", ".xls", ".wps", ".et"}


def status(field: str) -> int:
    with open("/proc/self/status") as fh:
        return next(int(line.split()[1]) // 1024 for line in fh if line.startswith(field + ":"))


def measure(path: Path) -> tuple[int, int, float, str]:
    """(peak RSS MB, address-space growth MB, seconds, outcome) of a worker reading ``path``."""
    reader, writer = os.pipe()
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(reader)
            inherited = status("VmSize")
            doc = _document(str(path), sha256_of(path), [_read_safely(path, 0, 1)])
            outcome = doc.error or f"{len(doc.records)} records"
            os.write(writer, f"{status('VmPeak') - inherited}\t{outcome}".encode())
        finally:
            os._exit(0)
    os.close(writer)
    with os.fdopen(reader) as fh:
        grown, outcome = fh.read().split("\t", 1)
    _, _, usage = os.wait4(pid, 0)
    return usage.ru_maxrss // 1024, int(grown), time.monotonic() - start, outcome


def main(paths: list[str]) -> None:
    files = [Path(p) for p in paths] or sorted(
        p for p in (ROOT / "samples").rglob("*") if p.suffix.lower() in SUFFIXES)
    print(f"this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB resident, "
          f"{status('VmSize')} MB address space")
    print(f"{'peak RSS MB':>11} {'AS growth MB':>12} {'s':>6}  document (outcome)")
    worst = (0, 0)
    for path in files:
        rss, grown, seconds, outcome = measure(path)
        worst = max(worst[0], rss), max(worst[1], grown)
        print(f"{rss:>11} {grown:>12} {seconds:>6.1f}  {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}"
              f" ({outcome[:60]})", flush=True)
    print(f"largest: {worst[0]} MB resident, {worst[1]} MB address space grown")


if __name__ == "__main__":
    main(sys.argv[1:])
