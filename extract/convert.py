"""Legacy Office files (.doc, .wps, .xls, .et) → .docx / .xlsx through LibreOffice, for the readers we have.

Word 97 (.doc) and Excel 97 (.xls) are the BIFF/OLE2 formats that many budget systems and units still
save; Kingsoft WPS Office's Writer (.wps) and Spreadsheets (.et) save the same formats under their
own names. LibreOffice (``soffice --headless --convert-to``, Debian packages libreoffice-writer-nogui
and libreoffice-calc-nogui) converts them into a private temporary directory, and the DOCX and XLSX
readers read the result; records name the original file.

Why .xls goes through LibreOffice too, though python-calamine reads BIFF and its merged ranges:
calamine 0.9.1 gives a cell's value but not its number format (a ``0.00%`` cell reads 1, not
100.00%; ``0.00`` reads 861.1, not 861.10), nor hidden rows and columns, nor borders. The converted
workbook keeps all of them, so an .xls reads exactly as the .xlsx it was saved from.

The conversion is untrusted work like parsing, under the same limits. soffice gets an address space
of ``JIXIAO_PARSE_MEMORY_MB`` of its own (measured with LibreOffice 7.4: a report converts in 512 MB;
in 450 MB or less soffice exits 0 having written nothing, or says the file "could not be loaded" as
of a corrupt one, so a failure under less than ``MIN_MEMORY_MB`` names the limit too), and the parse
time that is left (``DEADLINE``, set by the pipeline's worker; ``JIXIAO_PARSE_TIMEOUT`` when read
in-process). soffice runs in a process group of its own, killed whole on timeout; every conversion
has its own LibreOffice profile and TMPDIR inside its temporary directory, so concurrent conversions
never share a profile and nothing is left behind. A worker killed by the pipeline leaves that
directory: the pipeline's ``clean_up(worker_pid)`` kills the LibreOffice it started and removes it.

Tested with .doc and .xls files saved by LibreOffice and copies of them named .wps and .et
(tests/test_legacy_office.py); no file saved by WPS Office itself was at hand.
"""

from __future__ import annotations

import contextlib
import os
import resource
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # compound document: every Word 97 / Excel 97 / WPS / ET file
ZIP = b"PK\x03\x04"
# suffix → (what it is, LibreOffice's input filter, the format it becomes, the package that converts it).
# The input filter is forced: left to detect the type, LibreOffice reads any bytes as plain text.
KINDS = {
    ".doc": ("a Word 97", "MS Word 97", "docx", "libreoffice-writer-nogui"),
    ".wps": ("a WPS Writer (Word 97)", "MS Word 97", "docx", "libreoffice-writer-nogui"),
    ".xls": ("an Excel 97", "MS Excel 97", "xlsx", "libreoffice-calc-nogui"),
    ".et": ("a WPS Spreadsheets (Excel 97)", "MS Excel 97", "xlsx", "libreoffice-calc-nogui"),
}
PREFIX = "jixiao-convert-"
MIN_MEMORY_MB = 1024  # LibreOffice 7.4 needs 450-512 MB of address space for a small report; twice that to be sure
DEADLINE: float | None = None  # time.monotonic() by which parsing must end (set by the pipeline's worker)


class UnconvertibleDocument(Exception):
    pass


def target_suffix(path: Path) -> str:
    return "." + KINDS[path.suffix.lower()][2]


@contextlib.contextmanager
def converted(path: Path) -> Iterator[Path]:
    """The .docx/.xlsx that LibreOffice makes of ``path``, removed on exit with all LibreOffice wrote.

    A legacy-named file that is already a zip (a .docx saved as .doc) is given as it is."""
    suffix = path.suffix.lower()
    kind, infilter, out_format, package = KINDS[suffix]
    with open(path, "rb") as fh:
        head = fh.read(8)
    if head.startswith(ZIP):
        yield path
        return
    if head != OLE2:
        raise UnconvertibleDocument(f"corrupt or not {kind} file (no OLE2 compound-document signature)")
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise UnconvertibleDocument(f"legacy {suffix} file: LibreOffice (soffice) is not installed; "
                                    f"install {package} or convert to {out_format.upper()}/PDF")
    # in a worker, the parse time that is left; read in-process, the whole parse time limit
    timeout = (DEADLINE - time.monotonic() if DEADLINE is not None
               else float(os.environ.get("JIXIAO_PARSE_TIMEOUT", 600)))
    work = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-"))
    try:
        # a fixed ASCII name: the original's may start with "-" or hold characters soffice mangles
        source = work / f"source{suffix}"
        shutil.copyfile(path, source)
        (work / "out").mkdir()
        (work / "tmp").mkdir()
        command = [soffice, "--headless", "--norestore", "--nolockcheck",
                   f"-env:UserInstallation={(work / 'profile').as_uri()}",
                   f"--infilter={infilter}", "--convert-to", out_format, "--outdir", str(work / "out"), str(source)]
        memory_mb = int(os.environ.get("JIXIAO_PARSE_MEMORY_MB", 2048))
        output = _run(command, work, timeout, memory_mb)
        result = work / "out" / f"source.{out_format}"
        if not result.exists() or result.stat().st_size == 0:
            said = " ".join(line.strip() for line in output.splitlines()
                            if line.strip() and "javaldx" not in line)[:200]
            # Short of memory LibreOffice says what it says of a corrupt file ("source file could not
            # be loaded"), or nothing, and exits 0 either way: only the limit tells them apart.
            short = (f"; or short of memory: LibreOffice needs {MIN_MEMORY_MB} MB, "
                     f"JIXIAO_PARSE_MEMORY_MB is {memory_mb}") if memory_mb < MIN_MEMORY_MB else ""
            raise UnconvertibleDocument(
                f"LibreOffice could not convert this {suffix} file (corrupt or not {kind} file{short})"
                + (f": {said}" if said else ""))
        yield result
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _run(command: list[str], work: Path, timeout: float, memory_mb: int) -> str:
    """soffice's output; raises when it outlives ``timeout`` (its whole process group killed).
    Its address space is limited to ``memory_mb`` of its own: inherited, the worker's limit would
    count from the worker's size (hundreds of MB in a Dagster process), not from soffice's."""
    if timeout <= 0:
        raise UnconvertibleDocument(_late(timeout))
    marker = work / "pgid"

    def own_group() -> None:  # in the child, before exec: the pipeline's clean_up finds the group by it
        marker.write_text(str(os.getpid()))
        os.setpgid(0, 0)
        limit, hard = memory_mb * 1024 * 1024, resource.getrlimit(resource.RLIMIT_AS)[1]
        limit = limit if hard == resource.RLIM_INFINITY else min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    env = {**os.environ, "TMPDIR": str(work / "tmp"), "HOME": str(work / "tmp")}
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, env=env, preexec_fn=own_group)
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(process.pid)
        process.communicate()
        raise UnconvertibleDocument(_late(timeout)) from None
    except BaseException:  # MemoryError, KeyboardInterrupt: never leave LibreOffice running
        _kill_group(process.pid)
        process.wait()
        raise
    # soffice.bin may outlive oosplash (it never should): nothing of this conversion stays
    _kill_group(process.pid)
    return output.decode("utf-8", errors="replace")


def _late(timeout: float) -> str:
    return (f"converting with LibreOffice took longer than the {max(timeout, 0):g} s left of the "
            f"parse time limit (JIXIAO_PARSE_TIMEOUT)")


def _kill_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def clean_up(worker_pid: int) -> None:
    """After the pipeline killed worker ``worker_pid``: kill the LibreOffice it started, remove its files."""
    for work in Path(tempfile.gettempdir()).glob(f"{PREFIX}{worker_pid}-*"):
        try:
            _kill_group(int((work / "pgid").read_text()))
        except (OSError, ValueError):
            pass  # killed before soffice started: soffice, if forked, was still in the worker's group
        shutil.rmtree(work, ignore_errors=True)
