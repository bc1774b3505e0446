"""The department-level labelled set: seed 004's 部门整体绩效目标 (prose) followed by its first
target tables, as Word and as LibreOffice PDF, with the expected records.

    python samples/build/render_department.py

Input: ``samples/records/department_goals_yanshanlu_2024.txt`` — the seed's first part as printed,
one paragraph a line (the DOCX dump's bookmark markers removed, and its one break inside a word of
三、工作保障措施 undone) — and the first ``TARGETS`` target records of
``samples/records/targets_yanshanlu_2024.jsonl`` (the seed's second part, already transcribed).
The expected department record is transcribed here from the paragraphs by their printed structure
(heading, （一） name, 绩效目标： / 绩效指标： lines), independently of the extractor, and was checked
by eye against the seed. Output in ``samples/eval/department/``: ``<name>.docx``, ``<name>.pdf``
(LibreOffice, body text 12 pt so that paragraphs wrap and the block runs over a page break) and
``<name>.expected.jsonl``. The page header carries the publication's name, as the sample PDFs' do.
The prose alone, as PDF, is also ``samples/department/department_goals_yanshanlu_2024.pdf``: the
bundled inbox's department-level document (``make run``).
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

sys.path.insert(0, str(Path(__file__).resolve().parent))
import render_docx  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
TRANSCRIPT = ROOT / "samples/records/department_goals_yanshanlu_2024.txt"
TARGET_RECORDS = ROOT / "samples/records/targets_yanshanlu_2024.jsonl"
OUT = ROOT / "samples/eval/department"
NAME = "yanshanlu_2024_department_goals"
PUBLICATION = "唐山市丰润区燕山路街道办事处2024年部门预算"
TARGETS = 2
SAMPLE = ROOT / "samples/department/department_goals_yanshanlu_2024.pdf"  # in the bundled inbox
_HEADING = re.compile(r"^(第[一二三四五六七八九十]+部分|部门整体绩效目标|[一二三四五六七八九十]+、)")
_SUB = re.compile(r"^（([一二三四五六七八九十]+)）(.*)$")


def transcribe(paragraphs: list[str]) -> dict:
    """The expected record, from the printed structure of the first part."""
    record = {"contract_version": "2", "template": "hebei_department_goals", "report_type": "department_goals",
              "fiscal_year": 2024, "unit_name": "唐山市丰润区燕山路街道办事处", "overall_goal": None,
              "subgoals": []}
    section = None
    for p in paragraphs:
        if p.startswith(("一、", "二、", "三、")):
            section = p[:2]
        elif section == "一、":
            record["overall_goal"] = p
        elif section == "二、" and _SUB.match(p):
            record["subgoals"].append({"name": _SUB.match(p).group(2), "goal": None, "indicator": None})
        elif section == "二、" and p.startswith(("绩效目标：", "绩效指标：")):
            record["subgoals"][-1]["goal" if p.startswith("绩效目标") else "indicator"] = p[5:]
    return record


def render(paragraphs: list[str], targets: list[dict], out: Path) -> Path:
    document = docx.Document()
    style = document.styles["Normal"]
    style.font.size = Pt(9)  # the tables as the sample target documents set them; prose runs are 12 pt
    style.font.name = "SimSun"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "SimSun")
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin = section.bottom_margin = Cm(2.5)
    section.header.paragraphs[0].text = PUBLICATION
    render_docx.page_number_footer(section)
    for text in paragraphs:
        p = document.add_paragraph()
        if text in ("第一部分", "部门整体绩效目标"):
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.add_run(text).font.size = Pt(16)
        else:
            p.paragraph_format.first_line_indent = Pt(24) if not _HEADING.match(text) else None
            run = p.add_run(text)
            run.font.size = Pt(12)
            run.bold = bool(_HEADING.match(text))
        p.paragraph_format.space_after = Pt(4)
    if targets:
        document.add_page_break()
        for text in ("第二部分", "预算项目绩效目标"):
            render_docx.heading(document, text)
    for number, rec in enumerate(targets, 1):
        render_docx.performance_target(document, rec, number)
    document.core_properties.created = document.core_properties.modified = render_docx.FIXED_TIME
    document.save(out)
    render_docx._fix_zip_times(out)
    return out


def main() -> None:
    paragraphs = [line for line in TRANSCRIPT.read_text(encoding="utf-8").splitlines() if line.strip()]
    targets = [json.loads(line) for line in TARGET_RECORDS.read_text(encoding="utf-8").splitlines()][:TARGETS]
    targets = [{k: v for k, v in r.items() if k != "seed_report"} for r in targets]
    OUT.mkdir(parents=True, exist_ok=True)
    expected = [transcribe(paragraphs), *targets]
    (OUT / f"{NAME}.expected.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in expected), encoding="utf-8")
    out = render(paragraphs, targets, OUT / f"{NAME}.docx")
    # for `make run`: the department goals alone (the target tables are in targets_yanshanlu_2024.pdf
    # already; twice in the inbox they would be two publications of the same projects)
    SAMPLE.parent.mkdir(parents=True, exist_ok=True)
    alone = render(paragraphs, [], SAMPLE.with_suffix(".docx"))
    if shutil.which("soffice"):
        render_docx.to_pdf(out, out.with_suffix(".pdf"))
        render_docx.to_pdf(alone, SAMPLE)
        alone.unlink()
    print(out, "+ .pdf" if shutil.which("soffice") else "(no soffice: DOCX only)")


if __name__ == "__main__":
    main()
