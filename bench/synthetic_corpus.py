"""Synthetic corpus: N realistic reports recombined from the transcribed sample records, as PDFs.

    .venv/bin/python bench/synthetic_corpus.py --reports N --out DIR [--seed S] [--jobs 2]

Every report is a real transcribed record (samples/records/) with its project name, department,
year, money and indicator rows varied:
- a self-evaluation takes a real record, a new 主管部门 (a Fengtai street office), a year 2021–2024,
  the core of its real project name (year prefix stripped) with the new year and sometimes the
  funding level another real name carries (（市属）, （中央）, ...), its money scaled by one factor (so 执行率 and scores
  stay as printed), in one report of five a 执行率 below 100 % (executed and 分值 follow it), and
  each indicator row swapped for a real row of the same 一级/二级 and 分值 (总分 moves by the
  difference of the scores);
- a target table (about one report in eight) likewise, with a Fengrun street office's 本级 unit,
  a new 项目编码, the budget and spend plan scaled together.
Reports are grouped into documents the way they are published: one department and year per PDF,
5–60 self-evaluations (a 决算) or 5–25 target tables (a 预算). Everything follows from --seed; the
PDFs are drawn by samples/build/render_pdf.py, the renderer of the samples, in --jobs processes.
Prints documents, reports, pages and seconds.
"""

from __future__ import annotations

import argparse
import copy
import random
import re
import sys
import time
from collections.abc import Iterator
from multiprocessing import Pool
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "samples" / "build"))

import render_pdf  # noqa: E402

SELFEVAL = ROOT / "samples/records/selfeval_dahongmen_2023.jsonl"
TARGETS = ROOT / "samples/records/targets_yanshanlu_2024.jsonl"
YEARS = (2021, 2022, 2023, 2024)
# Street offices (街道办事处) of the two districts the seed publications come from.
FENGTAI = ("大红门", "南苑", "东铁匠营", "西罗园", "右安门", "马家堡", "和义", "东高地", "卢沟桥", "新村",
           "丰台", "长辛店", "云岗", "方庄", "太平桥", "宛平城", "青塔", "五里店", "看丹", "玉泉营")
FENGRUN = ("燕山路", "太平路", "浭阳", "新城道")
SIZES = {"self_evaluation": (5, 60), "performance_target": (5, 25)}  # reports per document
YEAR_PREFIX = re.compile(r"^(?:20)?\d{2}(?:-20\d{2})?\s*(?:年度|年)?\s*")
QUALIFIER = re.compile(r"（[^（）]+）$")


class Recombiner:
    """Makes varied records from the real ones; one instance per corpus, driven by one RNG."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.selfeval, self.targets = render_pdf.read_records(SELFEVAL), render_pdf.read_records(TARGETS)
        # the funding levels among the real names' qualifiers: （中央）, （市属）, （市级）
        self.qualifiers = sorted({m.group() for r in self.selfeval
                                  if (m := QUALIFIER.search(r["project_name"])) and len(m.group()) == 4})
        self.pool: dict[tuple, list[dict]] = {}  # (report type, level1, level2, weight) -> real rows
        for rec in self.selfeval + self.targets:
            for row in rec["indicators"]:
                if row["level3"] is not None:
                    key = (rec["report_type"], row["level1"], row["level2"], row.get("weight"))
                    self.pool.setdefault(key, []).append(row)
        self.used: set[tuple] = set()

    def name(self, real: str, department: str, year: int, sep: str = " ") -> str:
        """The real name's core with the new year (when the real one had a year) and maybe a qualifier."""
        core = YEAR_PREFIX.sub("", real)
        name = (f"{year}{sep}年" if core != real else "") + core
        if not QUALIFIER.search(name) and self.rng.random() < 0.25:
            name += self.rng.choice(self.qualifiers)
        n, unique = 1, name
        while (department, year, unique) in self.used:  # an index keeps names apart within a unit-year
            n += 1
            unique = f"{name}（{n}）"
        self.used.add((department, year, unique))
        return unique

    def scale(self) -> float:
        return 10 ** self.rng.uniform(-0.7, 0.7)

    def rows(self, rec: dict) -> tuple[list[dict], float]:
        """Each indicator row swapped for a real one of the same levels and weight; the score change."""
        out, delta = [], 0.0
        for row in rec["indicators"]:
            key = (rec["report_type"], row["level1"], row["level2"], row.get("weight"))
            new = dict(self.rng.choice(self.pool[key])) if row["level3"] is not None else dict(row)
            new["level1"], new["level2"] = row["level1"], row["level2"]  # keep the merged-cell runs
            if rec["report_type"] == "self_evaluation":
                delta += (new["score"] or 0) - (row["score"] or 0)
            out.append(new)
        return out, delta

    def self_evaluation(self, street: str, year: int) -> dict:
        base = self.rng.choice(self.selfeval)
        rec = copy.deepcopy(base)
        department = f"{street}街道办事处"
        rec["fiscal_year"] = year
        if rec["department"].endswith("大红门街道办事处"):
            rec["department"] = rec["department"].replace("大红门", street)
        rec["implementing_unit"] = rec["implementing_unit"].replace("大红门", street)
        rec["project_name"] = self.name(base["project_name"], department, year)
        for key in ("goal_planned", "goal_actual"):
            if rec[key]:
                rec[key] = rec[key].replace(str(base["fiscal_year"]), str(year)).replace("大红门", street)
        k = self.scale()
        rate = round(self.rng.uniform(0.6, 0.995), 3) if self.rng.random() < 0.2 else None
        delta = 0.0
        for f in rec["funding"]:
            for amount in ("initial_budget", "annual_budget", "executed"):
                if f[amount]:
                    f[amount] = round(f[amount] * k, 4)
            if rate is not None and f["executed"] and f["annual_budget"]:
                f["executed"] = round(f["annual_budget"] * rate, 4)
                if f["execution_rate"] is not None:
                    f["execution_rate"] = rate
                if f["score"] is not None and f["weight"] is not None:
                    new = round(f["weight"] * rate, 2)
                    if f["source"] == "total":
                        delta += new - f["score"]
                    f["score"] = new
        rec["indicators"], moved = self.rows(rec)
        if rec["total_score"] is not None:
            rec["total_score"] = round(rec["total_score"] + delta + moved, 2)
        return rec

    def performance_target(self, street: str, code: str, year: int) -> dict:
        base = self.rng.choice(self.targets)
        rec = copy.deepcopy(base)
        rec["fiscal_year"] = year
        rec["unit_code"], rec["unit_name"] = code, f"丰润区{street}办事处本级"
        rec["project_name"] = self.name(base["project_name"], rec["unit_name"], year, sep="")
        tail = base["project_code"][-1]
        rec["project_code"] = f"{base['project_code'][:6]}{year % 100:02d}P{self.rng.randrange(10 ** 11):011d}{tail}"
        k = self.scale()
        for key in ("budget_total", "budget_fiscal", "budget_other"):
            if rec[key]:
                rec[key] = round(rec[key] * k, 2)
        for p in rec["spend_plan"]:
            p["value"] = round(p["value"] * k, 2)
        old = str(base["fiscal_year"])
        rec["purpose"] = rec["purpose"] and rec["purpose"].replace(old, str(year))
        rec["goals"] = [g.replace(old, str(year)) for g in rec["goals"]]
        rec["indicators"], _ = self.rows(rec)
        for row in rec["indicators"]:
            row["target"] = row["target"] and row["target"].replace(old, str(year))
        return rec


def plan(reports: int, seed: int) -> list[dict]:
    """The documents: kind, header and records; about one report in eight is a target table."""
    return list(planned(reports, seed))


def planned(reports: int, seed: int) -> Iterator[dict]:
    """``plan``'s documents one at a time (100 000 reports' records would take a gigabyte at once)."""
    gen = Recombiner(seed)
    rng = gen.rng
    count, done, targets = 0, 0, 0
    while done < reports:
        kind = "performance_target" if targets * 8 < done else "self_evaluation"
        size = min(reports - done, rng.randint(*SIZES[kind]))
        year = rng.choice(YEARS)
        if kind == "self_evaluation":
            street = rng.choice(FENGTAI)
            records = [gen.self_evaluation(street, year) for _ in range(size)]
            header = f"北京市丰台区人民政府{street}街道办事处{year}年度部门决算"
        else:
            n = rng.randrange(len(FENGRUN))
            records = [gen.performance_target(FENGRUN[n], f"4350{n + 1:02d}", year) for _ in range(size)]
            header = f"唐山市丰润区{FENGRUN[n]}街道办事处{year}年部门预算"
            targets += size
        count += 1
        yield {"kind": kind, "header": header, "records": records,
               "name": f"doc{count:05d}_{'selfeval' if kind == 'self_evaluation' else 'targets'}_{year}"}
        done += size


def render(job: tuple[dict, str]) -> int:
    """Draw one document with the samples' renderer; its page count."""
    doc, out = job
    render_pdf.register_font()
    if doc["kind"] == "self_evaluation":
        reports = [render_pdf.self_evaluation(r) for r in doc["records"]]
    else:
        reports = [render_pdf.performance_target(r, n) for n, r in enumerate(doc["records"], 1)]
    placements = render_pdf.paginate(reports)
    render_pdf.draw(Path(out) / f"{doc['name']}.pdf", reports, placements, doc["header"])
    return placements[-1][-1].page


def generate(reports: int, out: Path, seed: int = 0, jobs: int = 2) -> dict:
    """Write the corpus into ``out``; documents, reports, pages and seconds."""
    start = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    docs = plan(reports, seed)
    jobs_ = [(d, str(out)) for d in sorted(docs, key=lambda d: -len(d["records"]))]  # big ones first
    if jobs > 1:
        with Pool(jobs) as pool:
            pages = sum(pool.imap_unordered(render, jobs_))
    else:
        pages = sum(map(render, jobs_))
    return {"documents": len(docs), "reports": sum(len(d["records"]) for d in docs), "pages": pages,
            "targets": sum(len(d["records"]) for d in docs if d["kind"] == "performance_target"),
            "seconds": time.perf_counter() - start}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, required=True, help="reports to generate")
    parser.add_argument("--out", type=Path, required=True, help="folder for the PDFs (created)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=2, help="rendering processes (default 2)")
    args = parser.parse_args(argv)
    s = generate(args.reports, args.out, args.seed, args.jobs)
    print(f"{s['documents']} documents, {s['reports']} reports ({s['targets']} target tables), "
          f"{s['pages']} pages in {s['seconds']:.1f} s -> {args.out}")


if __name__ == "__main__":
    main()
