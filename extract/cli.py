"""``jixiao extract [--jobs N] PATH...``, ``jixiao run``, ``jixiao export`` and ``jixiao report``.

``extract`` prints one JSON object per report on stdout (the contract) and ``ERROR <path>: <reason>``
on stderr for each file it cannot read; it exits 1 if any file could not be read, 2 on usage errors.
"""

from __future__ import annotations

import argparse
import json
import os
import sys


def extract_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="jixiao extract", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="+", metavar="PATH", help="PDF documents")
    parser.add_argument("--jobs", "-j", type=int, default=1, help="worker processes (default 1)")
    parser.add_argument("--progress", action=argparse.BooleanOptionalAction, default=sys.stderr.isatty(),
                        help="a progress line on stderr (default: when stderr is a terminal)")
    args = parser.parse_args(argv)
    if args.jobs < 1:
        parser.error("--jobs must be at least 1")

    from .pipeline import extract_files

    failed = reports = 0
    out = sys.stdout
    clear = "\r\033[K" if args.progress else ""  # messages overwrite the progress line, which is redrawn
    for done, doc in enumerate(extract_files(args.paths, jobs=args.jobs), start=1):
        reports += len(doc.records)
        if doc.error:
            failed += 1
            print(f"{clear}ERROR {doc.file}: {doc.error}", file=sys.stderr, flush=True)
        for record in doc.records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            for warning in record.get("extraction_warnings", []):
                print(f"{clear}WARNING {doc.file} pages {record['source']['pages']}: {warning}",
                      file=sys.stderr)
        out.flush()
        if args.progress:
            print(f"{clear}[{done}/{len(args.paths)}] {reports} reports, {failed} unreadable: "
                  f"{os.path.basename(doc.file)}", end="\n" if done == len(args.paths) else "",
                  file=sys.stderr, flush=True)
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    commands = {"extract": "extract PDF documents to report records (JSON Lines)",
                "run": "run the whole pipeline into the DuckDB warehouse",
                "export": "write the published marts as an Excel workbook, CSV or Parquet files",
                "report": "write the published marts as a static HTML report (opens offline)"}
    if not argv or argv[0] not in commands:
        print("usage: jixiao {extract,run,export,report} ...\n" + "\n".join(
            f"  {name:8} {text}" for name, text in commands.items()), file=sys.stderr)
        return 0 if argv[:1] in (["-h"], ["--help"]) else 2
    if argv[0] == "extract":
        try:
            return extract_main(argv[1:])
        except BrokenPipeError:  # `jixiao extract x.pdf | head`: the reader left, not an error
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 0
    if argv[0] == "export":
        from orchestration.export import main as export_main

        return export_main(argv[1:])
    if argv[0] == "report":
        from report.build import main as report_main

        return report_main(argv[1:])
    from orchestration.run import main as run_main  # heavy imports only for `run`

    return run_main(argv[1:])


if __name__ == "__main__":
    sys.exit(main())
