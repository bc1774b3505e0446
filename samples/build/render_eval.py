"""Build the evaluation documents of samples/eval/ from the transcribed records (all seed reports).

    python samples/build/render_eval.py

Three rendering routes over the same records, so that an extractor tuned to one producer is caught
on another: reportlab (``render_pdf.py``, a direct PDF), Word (``render_docx.py``, python-docx) and
Word converted by LibreOffice, the way many units turn their Word files into PDF; plus the
self-evaluations with another province's labels (Sichuan wording, 单位名称/填报日期 above the table),
and both report types with rows that break across pages mid-row (Word's default): the page break
then cuts cells, labels and merged 一级/二级 cells in two.
``samples/eval/sets.json`` lists every set with its expected records and how it is compared. Needs
the CJK font (fonts-wqy-zenhei) and LibreOffice (libreoffice-writer-nogui).
"""

from __future__ import annotations

from pathlib import Path

import render_docx
import render_pdf

ROOT = Path(__file__).resolve().parents[2]
RECORDS = ROOT / "samples/records"
OUT = ROOT / "samples/eval"
SE_HEADER = "北京市丰台区人民政府大红门街道办事处2023年度部门决算"
TT_HEADER = "唐山市丰润区燕山路街道办事处2024年部门预算"


def main() -> None:
    OUT.mkdir(exist_ok=True)
    selfeval = render_pdf.read_records(RECORDS / "selfeval_dahongmen_2023.jsonl")
    targets = render_pdf.read_records(RECORDS / "targets_yanshanlu_2024.jsonl")
    render_pdf.register_font()
    render_pdf.describe("selfeval_all", render_pdf.render_set("selfeval_all", selfeval, SE_HEADER, OUT))
    for name, records, variant, header in [
        ("selfeval_word", selfeval, "beijing", SE_HEADER),
        ("selfeval_sichuan_word", selfeval, "sichuan", "2023年度部门决算"),
        ("targets_word", targets, "beijing", TT_HEADER),
    ]:
        docx_path = render_docx.render(records, OUT / f"{name}.docx", variant, header)
        render_docx.to_pdf(docx_path, OUT / f"{name}_libreoffice.pdf")
        print(f"{docx_path.relative_to(ROOT)} (+ _libreoffice.pdf): {len(records)} reports")
    # Word's default lets a row break across pages: the rest of each cut cell goes on the next page
    render_docx.SPLIT_ROWS = True
    split_rows("selfeval_word_split_rows", selfeval, SE_HEADER)
    split_rows("targets_word_split_rows", targets, TT_HEADER)
    # Goal lines in 16 pt and reports 13 and 14 moved down put page breaks inside a budget row's
    # labels (预算规模及资|金用途, 其中：财政资|金), inside a numbered goal and inside the indicator
    # header (指标值确定|依据).
    render_docx.GOAL_FONT_PT, render_docx.SPACE_BEFORE = 16, {13: 65, 14: 305}
    split_rows("targets_word_page_breaks", targets, TT_HEADER)
    render_docx.GOAL_FONT_PT, render_docx.SPACE_BEFORE = None, {}
    # Narrow 一级/二级 columns (their labels wrap: 一级指|标) and every report started lower by another
    # offset: page breaks land inside the indicator header row (its vertical 绩效指标 label and the
    # labels' second lines on the next page), inside the funding block, the goals and 项目名称 itself.
    render_docx.NARROW_LEVELS, render_docx.STAGGER_PT = True, 13
    split_rows("selfeval_word_header_breaks", selfeval, SE_HEADER)
    render_docx.NARROW_LEVELS, render_docx.STAGGER_PT = False, None
    render_docx.SPLIT_ROWS = False


def split_rows(name: str, records: list[dict], header: str) -> None:
    """Only the PDF is kept: python-docx writes the same content as the Word set of these records."""
    docx_path = render_docx.render(records, OUT / f"{name}.docx", "beijing", header)
    render_docx.to_pdf(docx_path, OUT / f"{name}_libreoffice.pdf")
    docx_path.unlink()
    print(f"{name}_libreoffice.pdf: {len(records)} reports")


if __name__ == "__main__":
    main()
