"""公开情况检查表 and 审查意见: what a district finance bureau's reviewer hands in for each report, written for them.

Each spring (预算) and autumn (决算) a reviewer fills one 检查表 per unit in Excel — title, unit, the report's file,
then one line per item of the form (及时性; 内容规范性: 封面, 目录, 主要职能, 机构设置, 名词解释, 编制说明 or
情况说明, each standard table by its printed title, 其他相关说明, 项目经费情况说明) with 符合要求 是/否, the problems
numbered, and a screenshot of the page each problem sits on. For 100+ units that is days of copying; here it is
written from the checks the ETL stored (dashboard/findings.py groups and judges them, dashboard/export/evidence.py
finds the file and boxes the words).

Layout: one worksheet row per problem. An item with several problems spans as many rows — its 序号, 检查项目 and
符合要求 cells merged down — and each row holds one numbered problem beside its own picture, so every picture sits
in the row of the problem it shows (and a row's height is its picture's). An item without problems is one row;
where the product cannot judge it (及时性, a part the report lacks, an unreadable table, nothing to check) it says
未核对 and why. A picture is the page cropped to the band around its red boxes when the whole page would not fit a
row (Excel rows stop at 409 points) — full width, so the lines read as printed.

Three steps, so the district run can spread the slow one over processes: `collect` reads the database (fast, in
the caller's process; no picture), `render` draws the pictures (one PDF opened once per report, each page read
once), then `sheet_xlsx` / `letter_docx` write the files. `report_sheet` / `report_letter` do all three for the
数据核对 page's download; `district` does them for a year's reports and writes 汇总.xlsx beside.
"""

from __future__ import annotations

import io
import os
import re
import secrets
import shutil
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd

from dashboard import queries
from dashboard.export import evidence
from dashboard.findings import NO, UNCHECKED, WHOLE, YES, Finding, Part, family, mismatch_text, review_by_table

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

NO_FILE = "原文件不在，无法截图"
NO_PAGE = "检查结果没有页码，未截图"
TIMELINESS = "及时性"
TIMELINESS_REASON = "公开时间本程序无法判断，请人工核对"
CONTENT = "内容规范性"
SUMMARY_NAME = "汇总.xlsx"

RESOLUTION = 110            # dpi a PDF page is drawn at (a 1,287 px wide landscape A4: small print stays legible)
SHOW_WIDTH_PX = 600         # a picture's width in the sheet, in screen pixels
SHOW_MAX_HEIGHT_PX = 520    # and its most height: Excel rows stop at 409 points (545 px)
PICTURE_COLUMN_CHARS = 88   # the 问题截图 column fits SHOW_WIDTH_PX (about 7 px per character of Calibri 11)
TEXT_COLUMN_CHARS = 46      # the 问题描述 column
WORKERS = 2
PNG_LEVEL = 3               # zlib level of the pictures: level 6 (Pillow's) takes 3× as long for 10% smaller files

# the district summary's columns: one per part of the form, whatever each family calls it
SUMMARY_PARTS = (("cover", "封面"), ("contents", "目录"), ("duties", "主要职能"), ("organisation", "机构设置"),
                 ("glossary", "名词解释"), ("explanation", "编制（情况）说明"), ("table", "报表"),
                 ("other", "其他说明"), ("projects_text", "项目经费（绩效）说明"), (WHOLE, "整份报告"))


class ReviewError(ValueError):
    """A request the command cannot carry out (an unknown unit or year, an output it cannot write); the message is
    one Chinese line for the user."""


# ------------------------------------------------------------------------------------------------------ the model

@dataclass
class Problem:
    """One numbered problem of an item, with what its picture shows (or why there is none)."""

    number: int
    text: str
    page: int | None
    inputs: dict | None                  # what evidence.finding_picture looks for; None: no picture to take
    png: bytes | None = None             # the picture as shown (cropped to fit a row), once rendered
    size: tuple[int, int] = (0, 0)       # its pixel size
    note: str = ""                       # why there is no picture, or what the picture could not box


@dataclass
class Item:
    """One line of the form: 检查项目, 符合要求 and its problems (or, where 未核对, why)."""

    number: str
    label: str
    verdict: str
    reason: str = ""
    problems: list[Problem] = field(default_factory=list)
    key: str = ""                         # the part (report_sections.section, WHOLE), for the summary's columns
    heading: bool = False                 # a group line (内容规范性) with no verdict of its own


@dataclass
class Sheet:
    """One report's 检查表, from the database; pictures are added by `render`."""

    doc_id: str
    unit: str
    year: int | None
    doc_type: str
    title: str
    source_file: str
    page_count: int | None
    items: list[Item]
    file: Path | None                     # the report's own file, sha256-proven; None: not at hand

    @property
    def heading(self) -> str:
        """“2026年度××区财政局部门预算公开情况检查表”."""
        year = f"{self.year}年度" if self.year else ""
        return f"{year}{self.unit}{self.doc_type}公开情况检查表"

    @property
    def problems(self) -> int:
        return sum(len(i.problems) for i in self.items)

    def counts(self) -> dict[str, int]:
        """Problems per part of the form (every table under 报表), for the district summary."""
        out = {key: 0 for key, _ in SUMMARY_PARTS}
        for item in self.items:
            if item.key in out:
                out[item.key] += len(item.problems)
        return out


# ------------------------------------------------------------------------------------------------------- collect

def _plain(value: object) -> object:
    """A DataFrame cell as a checks row holds it: NaN/NA → None, a float amount → its Decimal (2 places)."""
    if value is None or (not isinstance(value, str | Decimal) and pd.isna(value)):
        return None
    return value


def _check_row(row: dict) -> dict:
    out = {k: _plain(v) for k, v in row.items()}
    for key in ("expected", "actual"):
        if isinstance(out.get(key), float):
            out[key] = Decimal(str(round(out[key], 2)))
    if isinstance(out.get("page"), float):
        out["page"] = int(out["page"])
    return out


def problem_text(number: int, finding: Finding) -> str:
    """“1. 第9页：说明文字…；原文：“…”” — the page, what is wrong, and the words quoted or both figures; a problem
    seen in several places names the others."""
    first = finding.places[0] if finding.places else None
    page = f"第{first.page}页：" if first and first.page else ""
    text = f"{number}. {page}{finding.description.rstrip('。')}"
    detail = mismatch_text(finding)
    if detail:
        text += f"；{detail}"
    elif finding.quote:
        text += f"；原文：“{finding.quote}”"
    others = [p for p in finding.places[1:] if p.page or p.table]
    if others:
        where = "、".join(dict.fromkeys("，".join(x for x in (p.table, f"第{p.page}页" if p.page else "") if x)
                                        for p in others))
        text += f"（同一问题另见：{where}）"
    return text


def _picture_inputs(con: duckdb.DuckDBPyConnection, finding: Finding, rows: dict[str, dict]) -> dict | None:
    first = finding.places[0] if finding.places else None
    row = rows.get(first.check_id or "") if first else None
    if row is not None:
        return evidence.finding_inputs(con, row)
    if first is None:
        return None
    # a finding no check stands behind (a 目录 entry the body lacks): its quoted words on its page
    return {"page": first.page, "quote": finding.quote, "context": None, "figures": [], "unit": "元"}


def _item(con: duckdb.DuckDBPyConnection, number: str, part: Part, rows: dict[str, dict]) -> Item:
    item = Item(number, part.label, part.verdict, key=part.key)
    if part.verdict == UNCHECKED:
        item.reason = "；".join(x for x in (part.reason, *part.notes) if x)
    elif part.verdict == YES:
        item.reason = "；".join(part.notes)
    for n, finding in enumerate(part.findings, start=1):
        first = finding.places[0] if finding.places else None
        item.problems.append(Problem(n, problem_text(n, finding), first.page if first else None,
                                     _picture_inputs(con, finding, rows)))
    return item


def collect(con: duckdb.DuckDBPyConnection, db_path: str | Path, doc_id: str, search: Sequence[Path] = ()) -> Sheet:
    """One report's 检查表 from the database — every item judged, every problem worded with what its picture should
    show — and the report's file where it is at hand. Raises ReviewError for a report the database lacks."""
    docs = queries.review_documents(con)
    mine = docs[docs["doc_id"] == doc_id]
    if mine.empty:
        raise ReviewError(f"数据库中没有这份报告（{doc_id}）")
    doc = {k: _plain(v) for k, v in mine.iloc[0].to_dict().items()}
    fam = family(doc.get("doc_type"))
    checks = queries.review_checks(con, doc_id)
    rows = {str(r["check_id"]): _check_row(r) for r in checks.to_dict("records")}
    parts = review_by_table(checks, queries.review_sections(con, doc_id), queries.review_contents(con, doc_id),
                            queries.review_tables(con, doc_id), fam)
    items = [Item("一", TIMELINESS, UNCHECKED, TIMELINESS_REASON, key="timeliness"),
             Item("二", CONTENT, "", heading=True)]
    n = 0
    for part in parts:
        if part.key == WHOLE and not part.findings:
            continue  # checks about the whole report that all passed: no line of the form
        n += 1
        item = _item(con, str(n), part, rows)
        if part.key == WHOLE:
            item.label = "其他问题（整份报告）"
        items.append(item)
    file = evidence.locate(db_path, doc, [Path(s) for s in search])
    year = doc.get("fiscal_year")
    return Sheet(doc_id, str(doc.get("unit_name") or doc.get("printed_unit_name") or ""),
                 int(year) if year is not None else None, str(doc.get("doc_type") or "预算"),
                 str(doc.get("title") or ""), str(doc.get("source_file") or ""),
                 int(doc["page_count"]) if doc.get("page_count") is not None else None, items, file)


# -------------------------------------------------------------------------------------------------------- render

@dataclass
class Shot:
    """A problem's page as drawn, before it is fitted to its row: the image with its red boxes, the boxes (PDF
    points for a PDF page, pixels for a text extraction) and what could not be boxed."""

    image: object            # PIL.Image.Image
    boxes: list
    note: str
    page: int | None
    pdf: bool


class _Pages:
    """One report's pictures: its PDF opened once and each page read and drawn once, however many problems sit on it.

    evidence.finding_picture opens the file and reads the page for every picture, which is what a page showing one
    finding wants; a 检查表 pictures every finding of the report, several often on one page (a 说明 page with five
    wrong figures), so it keeps one evidence.PdfPages for the report — the same drawing, one opening. A text
    extraction is cheap to read and goes through finding_picture unchanged."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.pdf: evidence.PdfPages | None = None
        self.done: dict[tuple, Shot] = {}

    def __enter__(self) -> _Pages:
        return self

    def __exit__(self, *_: object) -> None:
        if self.pdf is not None:
            self.pdf.close()
            self.pdf = None

    def shot(self, inputs: dict) -> Shot:
        figures = tuple(Decimal(f) for f in inputs.get("figures") or ())
        key = (inputs.get("page"), inputs.get("quote"), inputs.get("context"), figures, inputs.get("unit"))
        if key not in self.done:
            if self.path.suffix.lower() == ".pdf":
                self.done[key] = self._pdf(inputs.get("page"), inputs.get("quote"), inputs.get("context"), figures,
                                           inputs.get("unit") or "元")
            else:
                from PIL import Image

                picture = evidence.finding_picture(self.path, resolution=RESOLUTION, **inputs)
                self.done[key] = Shot(Image.open(io.BytesIO(picture.png)), list(picture.boxes), picture.note,
                                      picture.page, False)
        return self.done[key]

    def _pdf(self, page: int | None, quote: str | None, context: str | None, figures: tuple[Decimal, ...],
             unit: str) -> Shot:
        if self.pdf is None:
            self.pdf = evidence.PdfPages(self.path, RESOLUTION)
        img, n, drawn, notes = self.pdf.draw(page, quote, context, figures, unit)
        if not drawn:
            notes.append("未能定位到问题所在，显示整页，未加框")
        return Shot(img, drawn, "；".join(notes), n, True)


def fit(shot: Shot) -> tuple[bytes, tuple[int, int]]:
    """The picture as a row shows it, as PNG: SHOW_WIDTH_PX wide; where the whole page would be taller than a row
    may be, the full-width band around its boxes (centred on them), else the page, scaled down to fit (_shown)."""
    img = shot.image
    w, h = img.size  # type: ignore[attr-defined]
    scale = SHOW_WIDTH_PX / w
    if h * scale > SHOW_MAX_HEIGHT_PX and shot.boxes:
        band = int(SHOW_MAX_HEIGHT_PX / scale)
        factor = RESOLUTION / 72 if shot.pdf else 1.0  # a PDF page's boxes are in points, a text one's in pixels
        top = min(b[1] for b in shot.boxes) * factor
        bottom = max(b[3] for b in shot.boxes) * factor
        if bottom - top <= band - 20:
            start = int(max(0, min(h - band, (top + bottom) / 2 - band / 2)))
            img = img.crop((0, start, w, start + band))  # type: ignore[attr-defined]
    out = io.BytesIO()
    img.save(out, format="PNG", compress_level=PNG_LEVEL)  # type: ignore[attr-defined]
    return out.getvalue(), img.size  # type: ignore[attr-defined]


def _shown(size: tuple[int, int]) -> tuple[int, int]:
    """The on-sheet size of a picture of `size` pixels: SHOW_WIDTH_PX wide at most, SHOW_MAX_HEIGHT_PX tall."""
    w, h = size
    scale = min(SHOW_WIDTH_PX / w, SHOW_MAX_HEIGHT_PX / h, 1.0 if w <= SHOW_WIDTH_PX else SHOW_WIDTH_PX / w)
    return max(1, round(w * scale)), max(1, round(h * scale))


def render(sheet: Sheet) -> Sheet:
    """Every problem's picture (in place), or the reason there is none — the file not at hand, no page to show."""
    todo = [p for item in sheet.items for p in item.problems]
    if not todo:
        return sheet
    if sheet.file is None:
        for p in todo:
            p.note = NO_FILE
        return sheet
    pdf = sheet.file.suffix.lower() == ".pdf"
    with _Pages(sheet.file) as pages:
        for p in todo:
            if p.inputs is None or (pdf and not p.inputs.get("page")):
                p.note = NO_PAGE
                continue
            try:
                shot = pages.shot(p.inputs)
            except Exception as exc:  # a damaged page must not cost the other pictures (or the sheet): say so
                p.note = f"截图失败：{type(exc).__name__}"
                continue
            p.png, p.size = fit(shot)
            p.note = shot.note
    return sheet


# --------------------------------------------------------------------------------------------------------- .xlsx

def _text_height(text: str, chars: int) -> float:
    """Points a wrapped cell of `chars` columns needs (display width counts a 汉字 as two)."""
    from etl.read.tokens import display_width

    per_line = max(chars - 2, 1)
    lines = sum(max(1, -(-display_width(line) // per_line)) for line in (text or "").split("\n"))
    return max(20.0, lines * 15.0 + 6)


def sheet_xlsx(sheet: Sheet) -> bytes:
    """The 检查表 as a workbook: title, unit and file, then 序号 | 检查项目 | 符合要求 | 问题描述 | 问题截图, one row per
    problem (its picture anchored in that row), an item's own cells merged over its problems."""
    from openpyxl import Workbook
    from openpyxl.drawing.image import Image as XlImage
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    wb = Workbook()
    ws = wb.active
    ws.title = "检查表"
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="center")
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    widths = {"A": 7, "B": 26, "C": 10, "D": TEXT_COLUMN_CHARS, "E": PICTURE_COLUMN_CHARS}
    for letter, width in widths.items():
        ws.column_dimensions[letter].width = width

    ws.merge_cells("A1:E1")
    ws["A1"] = sheet.heading
    ws["A1"].font = Font(bold=True, size=16)
    ws["A1"].alignment = centre
    ws.row_dimensions[1].height = 32
    for r, (name, value) in enumerate((("被检查单位", sheet.unit), ("报告文件", sheet.source_file)), start=2):
        ws.cell(r, 1, name).font = Font(bold=True)
        ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=5)
        ws.cell(r, 2, value)
        for c in range(1, 6):
            ws.cell(r, c).border = border
            ws.cell(r, c).alignment = wrap
        ws.row_dimensions[r].height = 22
    header = 4
    for c, name in enumerate(("序号", "检查项目", "符合要求", "问题描述", "问题截图"), start=1):
        cell = ws.cell(header, c, name)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE6F0")
        cell.alignment = centre
        cell.border = border
    ws.freeze_panes = ws.cell(header + 1, 1)
    verdict_font = {NO: Font(bold=True, color="C00000"), YES: Font(color="006100"), UNCHECKED: Font(color="7F7F7F")}
    row = header + 1
    for item in sheet.items:
        span = max(1, len(item.problems))
        first = row
        ws.cell(row, 1, item.number).alignment = centre
        ws.cell(row, 2, item.label).alignment = Alignment(vertical="center", wrap_text=True,
                                                          indent=0 if item.heading or item.number in "一二" else 1)
        if item.heading:
            ws.cell(row, 2).font = Font(bold=True)
        else:
            ws.cell(row, 3, item.verdict).alignment = centre
            ws.cell(row, 3).font = verdict_font.get(item.verdict, Font())
        if item.number in ("一", "二"):
            ws.cell(row, 2).font = Font(bold=True)
        for k in range(span):
            r = row + k
            problem = item.problems[k] if item.problems else None
            text = problem.text if problem else item.reason
            if problem and problem.png is not None and problem.note:  # what the picture could not box
                text += f"\n（截图说明：{problem.note}）"
            ws.cell(r, 4, text or None).alignment = wrap
            height = _text_height(text, TEXT_COLUMN_CHARS)
            if problem is not None and problem.png is not None:
                image = XlImage(io.BytesIO(problem.png))
                image.width, image.height = _shown(problem.size)
                ws.add_image(image, f"E{r}")
                height = max(height, image.height * 0.75 + 6)
            elif problem is not None:
                ws.cell(r, 5, problem.note or NO_FILE).alignment = wrap
            ws.row_dimensions[r].height = min(409.0, height)
            for c in range(1, 6):
                ws.cell(r, c).border = border
        if span > 1:
            for c in (1, 2, 3):
                ws.merge_cells(start_row=first, start_column=c, end_row=first + span - 1, end_column=c)
        row += span
    ws.cell(row + 1, 1, "说明：“未核对”为本程序无法判断的项目，需人工核对；问题截图中红框为问题所在位置。").font = \
        Font(color="666666", size=9)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToHeight = 0
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --------------------------------------------------------------------------------------------------------- .docx

def letter_docx(sheet: Sheet) -> bytes:
    """The same content as a 审查意见 in the briefing's 公文 layout (dashboard/export/word.py): title, the unit
    addressed, one numbered heading per item with problems, each problem a paragraph with its picture below, then
    what the product could not check."""
    from docx import Document
    from docx.shared import Cm

    from dashboard.export import word as w
    from dashboard.export.content import GENERATOR

    document = Document()
    w._default_fonts(document)
    w._font_table_fallbacks(document)
    props = document.core_properties
    props.title = f"{sheet.unit}{sheet.year or ''}年度{sheet.doc_type}公开情况审查意见"
    props.author = props.last_modified_by = GENERATOR
    section = document.sections[0]
    section.page_width, section.page_height = Cm(w.PAGE_CM[0]), Cm(w.PAGE_CM[1])
    section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = map(Cm, w.MARGINS_CM)
    section.footer_distance = Cm(2.5)
    w._page_number_footer(section)

    title = w._paragraph(document, "", align="center", line=36, after=6)
    year = f"{sheet.year}年度" if sheet.year else ""
    w._set_run_font(title.add_run(f"关于{sheet.unit}"), w.TITLE_FONT, size=22)
    title.runs[-1].add_break()
    w._set_run_font(title.add_run(f"{year}{sheet.doc_type}公开情况的审查意见"), w.TITLE_FONT, size=22)
    w._paragraph(document, f"{sheet.unit}：", align="left", before=12)
    with_problems = [i for i in sheet.items if i.problems]
    report = f"《{sheet.title}》" if sheet.title else f"{year}{sheet.doc_type}"
    source = f"（文件：{sheet.source_file}）" if sheet.source_file else ""
    if with_problems:
        opening = (f"经对你单位公开的{report}{source}逐项审查，共发现问题{sheet.problems}处，涉及"
                   f"{len(with_problems)}个检查项目，具体如下：")
    else:
        opening = f"经对你单位公开的{report}{source}逐项审查，本程序核对的项目未发现问题。"
    w._paragraph(document, opening, indent=True)
    figure = 0
    for n, item in enumerate(with_problems):
        number = w._CN_NUMBERS[n] if n < 10 else str(n + 1)
        w._paragraph(document, f"{number}、{item.label}", font=w.HEADING_FONT, align="left", indent=True, before=6,
                     keep_next=True)
        for problem in item.problems:
            w._paragraph(document, problem.text, indent=True, keep_next=problem.png is not None)
            if problem.png is not None:
                figure += 1
                w._picture(document, problem.png)
                caption = f"图{figure}　{item.label}问题{problem.number}" + (
                    f"（第{problem.page}页）" if problem.page else "")
                w._paragraph(document, caption, font=w.HEADING_FONT, size=12, align="center", line=20, after=6)
                if problem.note:
                    w._paragraph(document, f"截图说明：{problem.note}", size=12, align="center", line=20, after=6)
            elif problem.note:
                w._paragraph(document, f"（{problem.note}）", size=12, align="center", line=20, after=6)
    unchecked = [i for i in sheet.items if i.verdict == UNCHECKED]
    if unchecked:
        listed = "；".join(f"{i.label}（{i.reason}）" if i.reason else i.label for i in unchecked)
        w._paragraph(document, f"以下项目本程序未能核对，请人工审查：{listed}。", indent=True, before=6)
    if with_problems:
        w._paragraph(document, "请对照上述问题逐项核实，及时整改。", indent=True, before=6)
    today = date.today()
    w._paragraph(document, f"{today.year}年{today.month}月{today.day}日", align="right", before=24)
    w._paragraph(document, f"本意见由{GENERATOR}根据报告文件自动核对生成，请审查人员复核后使用。", size=12, line=22,
                 before=12, indent=True, color=(0x44, 0x44, 0x44))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# -------------------------------------------------------------------------------------------------- one report

def report_sheet(con: duckdb.DuckDBPyConnection, db_path: str | Path, doc_id: str,
                 search: Sequence[Path] = ()) -> bytes:
    """One report's 公开情况检查表 (.xlsx), pictures and all; a report whose file is not at hand gets
    “原文件不在，无法截图” in its picture cells, never an error."""
    return sheet_xlsx(render(collect(con, db_path, doc_id, search)))


def report_letter(con: duckdb.DuckDBPyConnection, db_path: str | Path, doc_id: str,
                  search: Sequence[Path] = ()) -> bytes:
    """One report's 审查意见 (.docx): the 检查表's problems as a letter to the unit, 公文 layout."""
    return letter_docx(render(collect(con, db_path, doc_id, search)))


# ------------------------------------------------------------------------------------------------- a district

_UNSAFE = re.compile(r"[\\/:*?\"<>|\x00-\x1f\x7f]+")


def safe_name(*words: str, suffix: str = ".xlsx") -> str:
    """A file name from the unit and family: no path separators, no characters Windows refuses, no leading dot,
    short enough for every file system (about 80 characters)."""
    stem = _UNSAFE.sub("_", "-".join(w.strip() for w in words if w and w.strip())).strip(" ._") or "报告"
    return stem[:80] + suffix


@dataclass
class Written:
    """One report's line in 汇总.xlsx."""

    doc_id: str
    unit: str
    doc_type: str
    pages: int | None
    counts: dict[str, int]
    total: int
    file_name: str
    file_at_hand: bool


def _write_one(sheet: Sheet, path: Path) -> Written:
    """Render and write one 检查表 (a worker process's task: pictures are the slow part)."""
    path.write_bytes(sheet_xlsx(render(sheet)))
    return Written(sheet.doc_id, sheet.unit, sheet.doc_type, sheet.page_count, sheet.counts(), sheet.problems,
                   path.name, sheet.file is not None or sheet.problems == 0)


def summary_xlsx(written: Sequence[Written], year: int, kind: str | None = None) -> bytes:
    """汇总.xlsx: one row per report, most problems first — unit, family, pages, problems per part, total, and a link
    to its 检查表 in the same folder."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = Workbook()
    ws = wb.active
    ws.title = "汇总"
    columns = ["序号", "单位", "报告类型", "页数", *[name for _, name in SUMMARY_PARTS], "问题合计", "检查表", "问题截图"]
    ws.cell(1, 1, f"{year}年度{kind or ''}公开情况检查汇总（共{len(written)}份报告）").font = Font(bold=True, size=14)
    for c, name in enumerate(columns, start=1):
        cell = ws.cell(3, c, name)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE6F0")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ordered = sorted(written, key=lambda x: (-x.total, x.unit, x.doc_type))
    for n, wr in enumerate(ordered, start=1):
        r = 3 + n
        values = [n, wr.unit, wr.doc_type, wr.pages, *[wr.counts.get(k, 0) for k, _ in SUMMARY_PARTS], wr.total]
        for c, value in enumerate(values, start=1):
            ws.cell(r, c, value)
        link = ws.cell(r, len(values) + 1, wr.file_name)
        link.hyperlink = wr.file_name  # relative: the sheets lie beside this file
        link.style = "Hyperlink"
        ws.cell(r, len(values) + 2, "有" if wr.file_at_hand else "原文件不在")
    widths = [6, 34, 10, 6, *[8] * len(SUMMARY_PARTS), 9, 40, 11]
    for c, width in enumerate(widths, start=1):
        ws.column_dimensions[ws.cell(3, c).column_letter].width = width
    ws.row_dimensions[3].height = 36
    ws.freeze_panes = "C4"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


ProgressFn = Callable[[int, int, str], None]


def _terminal_bar(total: int):  # -> contextmanager yielding an advance(done, total, name) function
    from contextlib import contextmanager

    @contextmanager
    def bar():
        if total < 2 or not sys.stderr.isatty():
            yield None
            return
        from rich import progress as rp
        from rich.console import Console

        columns = (rp.TextColumn("检查表"), rp.BarColumn(), rp.MofNCompleteColumn(), rp.TimeElapsedColumn(),
                   rp.TextColumn("剩余"), rp.TimeRemainingColumn(), rp.TextColumn("{task.description}"))
        with rp.Progress(*columns, console=Console(stderr=True), transient=True) as p:
            task = p.add_task("", total=total)
            yield lambda done, _total, name: p.update(task, completed=done, description=name)

    return bar()


def _place(tmp: Path, out_dir: Path) -> None:
    """Move the finished folder into place: a rename where out_dir does not exist (or is empty), else file by file
    into it (each a rename on the same file system) — never a half-written file under a final name."""
    if out_dir.is_dir() and not any(out_dir.iterdir()):
        out_dir.rmdir()
    if not out_dir.exists():
        os.replace(tmp, out_dir)
        return
    for f in sorted(tmp.iterdir()):
        os.replace(f, out_dir / f.name)
    tmp.rmdir()


def district(con: duckdb.DuckDBPyConnection, db_path: str | Path, year: int, out_dir: str | Path,
             kind: str | None = None, search: Sequence[Path] = (), progress: ProgressFn | bool | None = None,
             workers: int = WORKERS) -> list[Written]:
    """One 检查表 per report of `year` (of one `kind`, e.g. 部门预算, where given) and 汇总.xlsx beside them, in
    out_dir. Written into a temporary folder beside out_dir and moved into place at the end: an interrupted run
    leaves nothing half written. Pictures are drawn in `workers` processes (the database is read here, once).

    `progress`: a function told (done, total, unit) after each report; None draws a bar on a terminal (rich);
    False nothing. Returns the summary's lines, most problems first. Raises ReviewError for a year (or kind) the
    database has no report of, and for an out_dir that cannot be written."""
    out_dir = Path(out_dir)
    docs = queries.review_documents(con, year, kind)
    if docs.empty:
        raise ReviewError(no_report_message(con, year=year, kind=kind))
    if out_dir.exists() and not out_dir.is_dir():
        raise ReviewError(f"输出位置 {out_dir} 已是一个文件，不是文件夹")
    parent = out_dir.resolve().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        # a plain mkdir (not mkdtemp, whose 0700 the folder would keep once renamed): the umask's permissions
        tmp = parent / f".{out_dir.name}.{os.getpid()}.{secrets.token_hex(4)}.part"
        tmp.mkdir()
    except OSError as exc:
        raise ReviewError(f"无法写入 {out_dir}：不能在 {parent} 中建立文件夹（{exc.strerror or exc}）") from exc
    try:
        names: set[str] = set()

        def jobs() -> Iterator[tuple[Sheet, Path]]:  # collected one by one while the workers draw the earlier ones
            for doc_id in docs["doc_id"]:
                sheet = collect(con, db_path, str(doc_id), search)
                name = safe_name(sheet.unit, sheet.doc_type)
                if name in names or name == SUMMARY_NAME:
                    name = safe_name(sheet.unit, sheet.doc_type, sheet.doc_id[:8])
                names.add(name)
                yield sheet, tmp / name

        written = _run(jobs(), len(docs), progress, workers)
        (tmp / SUMMARY_NAME).write_bytes(summary_xlsx(written, year, kind))
        _place(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return sorted(written, key=lambda x: (-x.total, x.unit, x.doc_type))


def _run(jobs: Iterator[tuple[Sheet, Path]], total: int, progress: ProgressFn | bool | None,
         workers: int) -> list[Written]:
    """Write every job's sheet: here where there are few, else in `workers` spawned processes, each job submitted as
    soon as it is collected (the workers start and draw while the database is still being read)."""
    written: list[Written] = []
    with _terminal_bar(total if progress is None else 0) as bar:
        tell = progress if callable(progress) else bar
        if workers <= 1 or total <= 2:
            for sheet, path in jobs:
                written.append(_write_one(sheet, path))
                if tell:
                    tell(len(written), total, sheet.unit)
            return written
        import multiprocessing

        import streamlit.logger

        pending: set[Future] = set()

        def drain(block: bool) -> None:
            done, _ = wait(pending, timeout=None if block else 0, return_when=FIRST_COMPLETED)
            for future in done:
                pending.discard(future)
                written.append(future.result())
                if tell:
                    tell(len(written), total, written[-1].unit)

        # spawned, not forked: the caller's process holds a DuckDB connection and may run threads. Each worker
        # quiets the query cache's 'No runtime found' notices before it imports this module.
        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                                 initializer=streamlit.logger.set_log_level, initargs=("error",)) as pool:
            try:
                for sheet, path in jobs:
                    pending.add(pool.submit(_write_one, sheet, path))
                    drain(False)
                while pending:
                    drain(True)
            except BaseException:
                for f in pending:
                    f.cancel()
                raise
    return written


# ------------------------------------------------------------------------------------------------ finding reports

def no_report_message(con: duckdb.DuckDBPyConnection, *, unit: str | None = None, year: int | None = None,
                      kind: str | None = None) -> str:
    """Why nothing matched, in one line, with what the database does hold (briefly: a few names, the years)."""
    years = queries.review_years(con)
    held = "、".join(f"{y}年（{n}份）" if y is not None else f"年度不详（{n}份）" for y, n in years) or "（无）"
    if unit is not None:
        units = queries.review_documents(con, None, None, unit)
        if units.empty:
            names = list(dict.fromkeys(queries.review_documents(con, year)["unit_name"].astype(str))) or \
                list(dict.fromkeys(queries.review_documents(con)["unit_name"].astype(str)))
            shown = "、".join(names[:8]) + (f"等{len(names)}个" if len(names) > 8 else "")
            where = f"{year}年" if year is not None and not queries.review_documents(con, year).empty else ""
            return f"数据库中没有单位“{unit}”的报告；{where}已有的单位：{shown or '（无）'}"
        their = "、".join(dict.fromkeys(f"{int(y)}年{t or ''}" for y, t in
                                        zip(units["fiscal_year"], units["doc_type"], strict=True) if pd.notna(y)))
        return f"数据库中没有“{unit}”{year or ''}{'年' if year else ''}的{kind or '报告'}；该单位已有：{their or '年度不详'}"
    if kind is not None and not queries.review_documents(con, year).empty:
        kinds = "、".join(dict.fromkeys(queries.review_documents(con, year)["doc_type"].fillna("预算").astype(str)))
        return f"数据库中没有{year}年的{kind}；该年度已有：{kinds}"
    return f"数据库中没有{year}年的报告；已有的年度：{held}"


def find_report(con: duckdb.DuckDBPyConnection, unit: str, year: int, kind: str | None = None) -> pd.Series:
    """The one report of unit/year (/kind): ReviewError when there is none, or more than one to choose from."""
    docs = queries.review_documents(con, year, kind, unit)
    if docs.empty:
        raise ReviewError(no_report_message(con, unit=unit, year=year, kind=kind))
    if len(docs) > 1:
        kinds = "、".join(docs["doc_type"].fillna("预算").astype(str))
        raise ReviewError(f"“{unit}”{year}年有多份报告（{kinds}），请用 --kind 指定其一")
    return docs.iloc[0]


__all__ = ["DOCX_MIME", "NO_FILE", "XLSX_MIME", "Item", "Problem", "ReviewError", "Sheet", "Written", "collect",
           "district", "find_report", "fit", "letter_docx", "no_report_message", "render", "report_letter",
           "report_sheet", "safe_name", "sheet_xlsx", "summary_xlsx"]
