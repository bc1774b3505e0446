"""Build the evaluation documents of samples/eval/ from the transcribed records (all seed reports).

    python samples/build/render_eval.py

Three rendering routes over the same records, so that an extractor tuned to one producer is caught
on another: reportlab (``render_pdf.py``, a direct PDF), Word (``render_docx.py``, python-docx) and
Word converted by LibreOffice, the way many units turn their Word files into PDF; plus the
self-evaluations with another province's labels (Sichuan wording, 单位名称/填报日期 above the table),
and the target tables with rows that break across pages mid-row.
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
    # Word's default lets a row break across pages: the tail of each wrapped cell goes on the next page
    render_docx.SPLIT_ROWS = True
    docx_path = render_docx.render(targets, OUT / "targets_word_split_rows.docx", "beijing", TT_HEADER)
    render_docx.to_pdf(docx_path, OUT / "targets_word_split_rows_libreoffice.pdf")
    docx_path.unlink()  # the same Word content as targets_word.docx: only its PDF is a new case


if __name__ == "__main__":
    main()
