"""Render a whole budget book (部门预算) with the sample target tables inside it, and its expected records.

    python samples/build/render_book.py [--out samples/eval/books]

A 部门预算 publication is one long PDF: a cover, a table of contents (which names every 绩效目标表),
the department's overview (prose), dozens of budget tables per unit (收支总表, 一般公共预算支出表,
项目支出预算表 with a 项目名称 column and a row per project …), the notes on the budget, then the
项目支出绩效目标表 as an annex, 名词解释, and more 项目支出预算表 as appended tables. The target
tables are drawn by ``render_pdf.py`` (the same layout as ``samples/targets_yanshanlu_2024.pdf``), so
the expected records are the transcribed ones (``samples/records/``) with the book's page numbers.
Deterministic: the same records give a byte-identical PDF. Needs fonts-wqy-zenhei.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import render_pdf as R  # noqa: E402
from render_pdf import Cell, Report, Row  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
HEADER = "唐山市丰润区燕山路街道办事处2024年部门预算"
UNITS = ["丰润区燕山路办事处本级", "燕山路街道综合行政执法队", "燕山路街道便民服务中心", "燕山路街道社区卫生服务站",
         "燕山路街道退役军人服务站", "燕山路街道综合文化站", "燕山路街道城市管理服务中心", "燕山路街道社会事务服务中心",
         "燕山路街道安全生产监督站", "燕山路街道农业农村服务站", "燕山路街道劳动保障事务所", "燕山路街道网格管理中心"]
UNITS += [f"燕山路街道{name}社区居民委员会" for name in
          ("光华", "新华", "建设", "幸福", "和平", "友谊", "永安", "兴隆", "文化", "胜利", "朝阳", "团结")]
FUNCTIONS = [("201", "一般公共服务支出"), ("20101", "人大事务"), ("2010101", "行政运行"), ("20103", "政府办公厅（室）及相关机构事务"),
             ("2010301", "行政运行"), ("2010302", "一般行政管理事务"), ("2010350", "事业运行"), ("2010399", "其他政府办公厅（室）及相关机构事务支出"),
             ("207", "文化旅游体育与传媒支出"), ("20701", "文化和旅游"), ("2070109", "群众文化"), ("208", "社会保障和就业支出"),
             ("20805", "行政事业单位养老支出"), ("2080505", "机关事业单位基本养老保险缴费支出"), ("2080506", "机关事业单位职业年金缴费支出"),
             ("20808", "抚恤"), ("2080801", "死亡抚恤"), ("20828", "退役军人管理事务"), ("2082850", "事业运行"),
             ("210", "卫生健康支出"), ("21011", "行政事业单位医疗"), ("2101101", "行政单位医疗"), ("2101102", "事业单位医疗"),
             ("2101103", "公务员医疗补助"), ("212", "城乡社区支出"), ("21201", "城乡社区管理事务"), ("2120101", "行政运行"),
             ("2120104", "城管执法"), ("2120199", "其他城乡社区管理事务支出"), ("21205", "城乡社区环境卫生"),
             ("2120501", "城乡社区环境卫生"), ("221", "住房保障支出"), ("22102", "住房改革支出"), ("2210201", "住房公积金")]
ECONOMIC = [("301", "工资福利支出"), ("30101", "基本工资"), ("30102", "津贴补贴"), ("30103", "奖金"), ("30107", "绩效工资"),
            ("30108", "机关事业单位基本养老保险缴费"), ("30109", "职业年金缴费"), ("30110", "职工基本医疗保险缴费"),
            ("30112", "其他社会保障缴费"), ("30113", "住房公积金"), ("302", "商品和服务支出"), ("30201", "办公费"),
            ("30202", "印刷费"), ("30205", "水费"), ("30206", "电费"), ("30207", "邮电费"), ("30211", "差旅费"),
            ("30213", "维修（护）费"), ("30216", "培训费"), ("30217", "公务接待费"), ("30228", "工会经费"),
            ("30229", "福利费"), ("30231", "公务用车运行维护费"), ("30239", "其他交通费用"), ("303", "对个人和家庭的补助"),
            ("30302", "退休费"), ("30305", "生活补助"), ("30309", "奖励金")]
PROJECT_WORDS = (["社区", "街道", "辖区", "城乡", "老旧小区", "背街小巷", "公共区域", "便民服务", "网格化", "应急"],
                 ["环境卫生整治", "绿化养护", "办公设备购置", "道路维修", "安全生产检查", "文化活动", "消防设施维护",
                  "信息化建设", "档案整理", "人员培训", "困难群众救助", "垃圾清运", "路灯维护", "防汛物资储备"])
PROSE = {
    "一、部门职责": [
        "燕山路街道办事处是丰润区人民政府的派出机关，在区委、区政府领导下，负责辖区内党的建设、经济发展、"
        "城市管理、社会事务、平安建设和社区建设等工作。",
        "（一）贯彻执行党和国家的路线方针政策以及上级党委、政府的决策部署，研究制定辖区经济社会发展规划并组织实施。",
        "（二）统筹辖区社会治理，推进网格化服务管理，做好矛盾纠纷排查化解、信访稳定和安全生产监管工作。",
        "（三）负责辖区城市管理和环境卫生工作，组织开展市容市貌整治、背街小巷改造和老旧小区提升。",
        "（四）做好民政、社会保障、退役军人服务、卫生健康、文化体育等公共服务工作，保障困难群众基本生活。",
        "（五）指导社区居民委员会建设，推进社区服务设施建设，组织居民开展自治活动。",
        "（六）完成区委、区政府交办的其他任务。"],
    "二、机构设置": [
        "燕山路街道办事处内设党政综合办公室、党建工作办公室、社会治理办公室、经济发展办公室、城市管理办公室、"
        "社会事务办公室六个机构，下设综合行政执法队、便民服务中心等事业单位十一个。",
        "纳入本部门2024年部门预算编制范围的单位共十二个，包括办事处本级和所属十一个事业单位。"],
    "三、部门预算收支总体情况": [
        "按照综合预算的原则，本部门所有收入和支出均纳入部门预算管理。收入包括一般公共预算拨款收入、政府性基金预算拨款收入、"
        "财政专户管理资金收入和单位资金收入；支出包括一般公共服务支出、社会保障和就业支出、卫生健康支出、城乡社区支出和住房保障支出等。",
        "2024年收支总预算与上年相比有所增加，主要是城市管理和社区服务类项目增加。"],
    "四、一般公共预算当年拨款支出情况": [
        "一般公共预算当年拨款主要用于保障机构正常运转和履行职能，其中基本支出用于人员经费和日常公用经费，"
        "项目支出用于完成特定行政工作任务和事业发展目标。"],
    "五、“三公”经费、会议费和培训费支出情况": [
        "本部门2024年“三公”经费预算较上年减少，主要是严格执行中央八项规定精神，压减公务接待和公务用车运行维护费用。"],
    "六、政府采购情况": ["2024年本部门政府采购预算主要用于办公设备、环境卫生服务和物业管理服务的采购。"],
    "七、国有资产占用情况": ["截至上年底，本部门共有车辆二辆，单位价值五十万元以上通用设备零台（套）。"],
    "八、预算绩效管理情况": [
        "按照全面实施预算绩效管理的要求，本部门对全部项目支出设定了绩效目标，绩效目标随部门预算一并公开，见附件。"],
}
GLOSSARY = [
    ("财政拨款收入", "指区级财政当年拨付的资金。"),
    ("一般公共预算", "指对以税收为主体的财政收入，安排用于保障和改善民生、推动经济社会发展、维护国家安全、维持国家机构正常运转等方面的收支预算。"),
    ("政府性基金预算", "指对依照法律、行政法规的规定在一定期限内向特定对象征收、收取或者以其他方式筹集的资金，专项用于特定公共事业发展的收支预算。"),
    ("基本支出", "指为保障机构正常运转、完成日常工作任务而发生的人员支出和公用支出。"),
    ("项目支出", "指在基本支出之外为完成特定行政任务和事业发展目标所发生的支出。"),
    ("“三公”经费", "指用财政拨款安排的因公出国（境）费、公务用车购置及运行维护费和公务接待费。"),
    ("机关运行经费", "指为保障行政单位（含参照公务员法管理的事业单位）运行用于购买货物和服务等的各项资金。"),
]


def heading(text: str, size: float = 14) -> Row:
    return Row([Cell(R.TABLE_X0, R.TABLE_X1, text, align="l", size=size)], ruled=False)


def paragraph(text: str) -> Row:
    return Row([Cell(R.TABLE_X0, R.TABLE_X1, text, align="l", size=10.5)], ruled=False)


def gap(height: float) -> Row:
    return Row([], ruled=False, height=height)


def prose(title: str, paragraphs: list[str]) -> Report:
    return Report(title, R.layout([heading(title), *map(paragraph, paragraphs)]), 2)


def money(rng: random.Random, top: float) -> str:
    return f"{rng.uniform(0, top):.2f}"


def table(title: str, unit: str, widths: list[float], header: list[str], rows: list[list[str]]) -> Report:
    """A budget table as the books print it: title, unit line, one header row, a row per line item."""
    edges = R.cols(*widths)
    out = [heading(title), Row([Cell(R.TABLE_X0, R.TABLE_X1 - 90, f"单位名称：{unit}", align="l"),
                                Cell(R.TABLE_X1 - 90, R.TABLE_X1, "单位：万元", align="r")], ruled=False),
           Row(R.cells(edges, *header))]
    for row in rows:
        out.append(Row([Cell(edges[k], edges[k + 1], text, align="l" if k < 2 else "r")
                        for k, text in enumerate(row)]))
    return Report(title, R.layout(out), 3)


def budget_tables(unit: str, rng: random.Random, projects: int) -> list[Report]:
    """The tables a 部门预算 prints for one unit."""
    funcs = [[code, name, *(money(rng, 500) for _ in range(3))] for code, name in FUNCTIONS]
    econ = [[code, name, *(money(rng, 200) for _ in range(3))] for code, name in ECONOMIC]
    names = sorted({f"{rng.choice(PROJECT_WORDS[0])}{rng.choice(PROJECT_WORDS[1])}项目" for _ in range(projects * 3)})
    names = rng.sample(names, min(projects, len(names)))
    project_rows = [[unit, name, rng.choice(["专项业务类", "运转类", "其他事业发展类"]),
                     *(money(rng, 120) for _ in range(4))] for name in names]
    income = [["一般公共预算拨款收入", money(rng, 3000), "一般公共服务支出", money(rng, 2000)],
              ["政府性基金预算拨款收入", money(rng, 300), "社会保障和就业支出", money(rng, 500)],
              ["财政专户管理资金收入", "0.00", "卫生健康支出", money(rng, 300)],
              ["单位资金收入", money(rng, 100), "城乡社区支出", money(rng, 1500)],
              ["上年结转结余", money(rng, 50), "住房保障支出", money(rng, 200)],
              ["收入总计", money(rng, 4000), "支出总计", money(rng, 4000)]]
    return [
        table("表一 部门收支总表", unit, [150, 90, 150], ["收入项目", "预算数", "支出项目", "预算数"], income),
        table("表二 部门收入总表", unit, [60, 170, 90, 100], ["科目编码", "科目名称", "合计", "一般公共预算拨款", "政府性基金"], funcs),
        table("表三 部门支出总表", unit, [60, 170, 90, 100], ["科目编码", "科目名称", "合计", "基本支出", "项目支出"], funcs),
        table("表四 一般公共预算支出表", unit, [60, 170, 90, 100], ["科目编码", "科目名称", "合计", "基本支出", "项目支出"], funcs),
        table("表五 一般公共预算基本支出表", unit, [60, 170, 90, 100], ["经济科目编码", "经济科目名称", "合计", "人员经费", "公用经费"], econ),
        table("表六 项目支出预算表", unit, [80, 130, 55, 50, 65, 50],
              ["单位名称", "项目名称", "项目类型", "合计", "一般公共预算拨款", "政府性基金", "其他资金"], project_rows),
    ]


@dataclass
class Section:
    """Reports (tables, prose) paginated together; a section starts on a new page."""
    name: str
    reports: list[Report]
    placements: list = None
    first_page: int = 0
    scanned: bool = False  # drawn as one image per page, with no text layer (a page from a scanner)

    @property
    def pages(self) -> int:
        return max(p.page for placed in self.placements for p in placed)


def toc(entries: list[tuple[str, int]]) -> Report:
    rows = [Row([Cell(R.TABLE_X0, R.TABLE_X1, "目    录", size=16)], ruled=False), gap(10)]
    for title, page in entries:
        indent = 0 if title.startswith(("第", "附件")) else 20
        rows.append(Row([Cell(R.TABLE_X0 + indent, R.TABLE_X1 - 40, title, align="l", size=10.5),
                         Cell(R.TABLE_X1 - 40, R.TABLE_X1, str(page), align="r", size=10.5)], ruled=False))
    return Report("目录", R.layout(rows), 2)


def cover(title: str) -> Report:
    return Report("封面", R.layout([gap(220), Row([Cell(R.TABLE_X0, R.TABLE_X1, title, size=22)], ruled=False),
                                    gap(40), Row([Cell(R.TABLE_X0, R.TABLE_X1, "2024年2月", size=14)], ruled=False)]), 1)


def build(targets: list[dict], units_before: int = 14, units_after: int = 10, projects: int = 80,
          selfevals: list[dict] | None = None) -> tuple[list[Section], list[tuple[dict, Section, int]]]:
    """The book's sections, and each report record with its section and its index there."""
    rng = random.Random(2024)
    reports = [R.performance_target(r, n) for n, r in enumerate(targets, 1)]
    annex = [Report("附件", R.layout([heading("附件：2024年项目支出绩效目标表")]), 1), *reports]
    records = [(rec, k + 1) for k, rec in enumerate(targets)]
    sections = [Section("封面", [cover(HEADER)]), Section("目录", [])]
    sections.append(Section("第一部分 部门概况", [prose(t, p) for t, p in list(PROSE.items())[:2]]))
    for unit in UNITS[:units_before]:
        sections.append(Section(f"第二部分 {unit}", budget_tables(unit, rng, projects)))
    sections.append(Section("第三部分 部门预算情况说明", [prose(t, p) for t, p in list(PROSE.items())[2:]]))
    # right after a page that names 绩效目标 (so it is read, not skipped): a list of projects
    sections.append(Section("表七 部门项目支出预算汇总表", [budget_tables(UNITS[0], rng, projects)[-1]]))
    sections.append(Section("附件：2024年项目支出绩效目标表", annex))
    report_section = sections[-1]
    if selfevals:
        sections.append(Section("附件：2023年度项目支出绩效自评表", [R.self_evaluation(r) for r in selfevals]))
    selfeval_section = sections[-1] if selfevals else None
    sections.append(Section("第四部分 名词解释", [prose("名词解释", [f"{i}.{term}：{text}" for i, (term, text)
                                                                  in enumerate(GLOSSARY, 1)])]))
    for unit in UNITS[units_before:units_before + units_after]:
        sections.append(Section(f"附表 {unit}", budget_tables(unit, rng, projects)))
    entries = lambda: [(s.name, s.first_page) for s in sections[2:]] + [  # noqa: E731
        (f"{n}.{rec['project_name']}绩效目标表", report_section.first_page) for n, rec in enumerate(targets, 1)]
    sections[1].reports = [toc(entries())]  # page numbers do not change its length
    number(sections)
    sections[1].reports = [toc(entries())]
    number(sections)
    found = [(rec, report_section, k) for rec, k in records]
    found += [(rec, selfeval_section, k) for k, rec in enumerate(selfevals or [])]
    return sections, found


def scan_image():
    """A grey page with the dark strokes of a table: what a scanner gives, no text in it."""
    from PIL import Image, ImageDraw

    image = Image.new("L", (827, 1169), 235)  # A4 at 100 dpi: fine enough to OCR
    pen = ImageDraw.Draw(image)
    for y in range(166, 1000, 55):
        pen.line([(78, y), (750, y)], fill=40, width=2)
    for x in (78, 250, 500, 750):
        pen.line([(x, 166), (x, 1001)], fill=40, width=2)
    return image


def number(sections: list[Section]) -> None:
    """Paginate each section and give it its first page in the book."""
    page = 1
    for section in sections:
        section.placements = R.paginate(section.reports)
        section.first_page, page = page, page + section.pages


def draw(path: Path, sections: list[Section]) -> None:
    c = R.canvas.Canvas(str(path), pagesize=R.A4, invariant=1, pageCompression=1, initialFontName=R.FONT)
    c.setTitle(path.stem)
    c.setAuthor("jixiao")
    c.setCreator("jixiao samples/build/render_book.py")
    for section in sections:
        for local in range(1, section.pages + 1):
            if section.scanned:
                c.drawInlineImage(scan_image(), 0, 0, R.PAGE_W, R.PAGE_H)
                c.showPage()
                continue
            R.draw_furniture(c, section.first_page + local - 1, HEADER)
            c.setLineWidth(0.5)
            for report, placed in zip(section.reports, section.placements):
                for s, row in enumerate(report.rows):
                    for cell in row.cells:
                        for k, (seg_page, seg_top, seg_h) in enumerate(R.segments_of(report.rows, placed, s, cell.span)):
                            if seg_page != local:
                                continue
                            if row.ruled:
                                c.rect(cell.x0, R.PAGE_H - seg_top - seg_h, cell.x1 - cell.x0, seg_h, stroke=1, fill=0)
                            if k == 0:
                                R.draw_text(c, cell, seg_top, seg_h)
            c.showPage()
    c.save()


def render(path: Path, targets: list[dict], expected: Path | None = None, **kw) -> list[dict]:
    """Write the book and return its expected records (``source`` with the book's page numbers)."""
    R.register_font()
    sections, found = build(targets, **kw)
    return write(path, sections, found, expected)


def write(path: Path, sections: list[Section], found: list[tuple[dict, Section, int]],
          expected: Path | None = None) -> list[dict]:
    """Draw numbered ``sections``; the records of ``found`` (record, its section, its index there)
    with ``source``: the file, its sha256 and the book's pages of each report."""
    draw(path, sections)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    try:
        file = path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        file = str(path)
    records = []
    for rec, section, k in found:
        placed = section.placements[k]
        pages = [section.first_page + placed[0].page - 1, section.first_page + placed[-1].page - 1]
        records.append({**rec, "source": {"file": file, "sha256": digest, "pages": pages}})
    if expected is not None:
        with open(expected, "w", encoding="utf-8") as out:
            out.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    total = sum(s.pages for s in sections)
    print(f"{file}: {total} pages, {len(records)} reports" + (
        f" on pages {records[0]['source']['pages'][0]}-{records[-1]['source']['pages'][1]}" if records else ""))
    return records


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "samples/eval/books")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    targets = R.read_records(ROOT / "samples/records/targets_yanshanlu_2024.jsonl")
    render(args.out / "budget_book_2024.pdf", targets, args.out / "budget_book_2024.expected.jsonl")


if __name__ == "__main__":
    main()
