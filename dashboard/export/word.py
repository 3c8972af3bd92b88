"""The 简报 as a Word file laid out like a 公文 (GB/T 9704): A4 and its margins, 小标宋 title, 黑体 headings, 仿宋
body, page numbers in the footer, every run naming its Chinese face and every CJK face declared with a fallback —
so the file opens right in Word and WPS on a government desktop and can be edited and handed in as it is.

Knows only the content model (dashboard/export/content.py); python-docx is imported when a file is written, not
when a page that carries the button is shown.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import UTC, datetime

from dashboard.export.content import (
    CHECKS_COLUMNS,
    GENERATOR,
    NO_IMAGE,
    Briefing,
    Chart,
    Table,
    build,
    render_charts,
)
from dashboard.state import Selection

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# Charts for the Word page are drawn narrower than the on-screen PNG (charts.EXPORT_WIDTH, 1100 px) so that, scaled
# to the 15.6 cm text width, the 13 px labels print at about 8 pt instead of 5 pt.
DOC_CHART_WIDTH = 680

# Fonts Word and WPS on a Chinese desktop resolve; altName in the font table names the fallback where the first
# choice is not installed (方正小标宋简体 is common on government PCs, 宋体 everywhere).
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
SUBTITLE_FONT = "楷体_GB2312"
PAGE_NO_FONT = "宋体"
LATIN_FONT = "Times New Roman"
FONT_FALLBACKS = {TITLE_FONT: "宋体", BODY_FONT: "仿宋", SUBTITLE_FONT: "楷体", HEADING_FONT: "SimHei",
                  PAGE_NO_FONT: "SimSun"}

PAGE_CM = (21.0, 29.7)                      # A4 portrait
MARGINS_CM = (3.7, 3.5, 2.8, 2.6)           # top, bottom, left, right (GB/T 9704 公文 layout)
TEXT_WIDTH_CM = PAGE_CM[0] - MARGINS_CM[2] - MARGINS_CM[3]
TEXT_HEIGHT_CM = PAGE_CM[1] - MARGINS_CM[0] - MARGINS_CM[1]
_CN_NUMBERS = "一二三四五六七八九十"


def _set_run_font(run, east_asian: str, latin: str | None = None, size: float | None = None,
                  bold: bool | None = None, color: tuple[int, int, int] | None = None) -> None:
    """Latin and East Asian faces on the run itself: Word picks the face per character class, and a run with only
    w:ascii set would show its Chinese in the document default."""
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    run.font.name = latin or east_asian
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:hAnsi"), latin or east_asian)
    fonts.set(qn("w:cs"), latin or east_asian)
    if size is not None:
        run.font.size = Pt(size)
    if bold is not None:
        run.font.bold = bold
    if color is not None:
        run.font.color.rgb = RGBColor(*color)


def _paragraph(container, text: str, *, font: str = BODY_FONT, size: float = 16, bold: bool = False,
               align: str = "justify", indent: bool = False, line: float | None = 28, before: float = 0,
               after: float = 0, color: tuple[int, int, int] | None = None, keep_next: bool = False):
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Pt

    p = container.add_paragraph()
    p.alignment = {"justify": WD_ALIGN_PARAGRAPH.JUSTIFY, "center": WD_ALIGN_PARAGRAPH.CENTER,
                   "left": WD_ALIGN_PARAGRAPH.LEFT, "right": WD_ALIGN_PARAGRAPH.RIGHT}[align]
    fmt = p.paragraph_format
    if line:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(line)
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    if indent:
        fmt.first_line_indent = Pt(2 * size)
    fmt.keep_with_next = keep_next
    if text:
        _set_run_font(p.add_run(text), font, LATIN_FONT if font == BODY_FONT else None, size, bold, color)
    return p


def _font_table_fallbacks(document) -> None:
    """Declare each CJK face in word/fontTable.xml with its altName, so a desktop without 方正小标宋简体 or
    仿宋_GB2312 substitutes 宋体 / 仿宋 instead of a Latin default."""
    from lxml import etree

    ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    part = next(p for p in document.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml")
    root = etree.fromstring(part.blob)
    present = {f.get(f"{{{ns}}}name") for f in root.findall(f"{{{ns}}}font")}
    for name, alt in FONT_FALLBACKS.items():
        if name in present:
            continue
        font = etree.SubElement(root, f"{{{ns}}}font", {f"{{{ns}}}name": name})
        etree.SubElement(font, f"{{{ns}}}altName", {f"{{{ns}}}val": alt})
        etree.SubElement(font, f"{{{ns}}}charset", {f"{{{ns}}}val": "86"})  # GB2312
        etree.SubElement(font, f"{{{ns}}}family", {f"{{{ns}}}val": "auto" if name != HEADING_FONT else "modern"})
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)  # plain Part: no API


def _default_fonts(document) -> None:
    """Document defaults in the body face too, so text Word adds later (a typed line) matches."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    normal = document.styles["Normal"]
    normal.font.name = LATIN_FONT
    normal.font.size = Pt(16)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), BODY_FONT)


def _page_number_footer(section) -> None:
    """'— 1 —' centred in the footer: a PAGE field, so Word and WPS number every page themselves."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    footer = section.footer
    p = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER

    def run(text: str = ""):
        r = p.add_run(text)
        _set_run_font(r, PAGE_NO_FONT, LATIN_FONT, 14)
        return r

    run("— ")
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        r = run()
        if kind:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            r._element.append(fld)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            r._element.append(instr)
        else:
            r.text = text
    run(" —")


def _repeat_header(row) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)
    cant_split = OxmlElement("w:cantSplit")
    tr_pr.append(cant_split)


def _cell_text(cell, text: str, *, bold: bool = False, align: str = "left", size: float = 12) -> None:
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT

    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    p = cell.paragraphs[0]
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    p.alignment = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
                   "right": WD_ALIGN_PARAGRAPH.RIGHT}[align]
    p.paragraph_format.space_before = p.paragraph_format.space_after = Pt(2)
    _set_run_font(p.add_run(text), HEADING_FONT if bold else BODY_FONT, LATIN_FONT, size)


def _table(document, table: Table, widths_cm: Sequence[float] | None = None) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.shared import Cm

    if table.note:
        _paragraph(document, table.note, size=12, align="right", line=20, keep_next=True)
    t = document.add_table(rows=1, cols=len(table.columns))
    t.style = "Table Grid"
    t.autofit = False
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    _repeat_header(t.rows[0])
    for i, name in enumerate(table.columns):
        _cell_text(t.rows[0].cells[i], name, bold=True, align="center")
    for values in table.rows:
        cells = t.add_row().cells
        for i, value in enumerate(values):
            _cell_text(cells[i], value, align="right" if i in table.numeric else "left")
    if widths_cm:
        for column, width in zip(t.columns, widths_cm, strict=True):
            column.width = Cm(width)  # w:gridCol, which LibreOffice and WPS lay out by
        for row in t.rows:
            for cell, width in zip(row.cells, widths_cm, strict=True):
                cell.width = Cm(width)
    if table.footnote:
        for cell in t.rows[-1].cells:  # the note travels with the table's last row, never alone on a new page
            for p in cell.paragraphs:
                p.paragraph_format.keep_with_next = True
        _paragraph(document, table.footnote, size=12, line=20, before=3)


def _table_widths(table: Table) -> list[float] | None:
    if table.columns == ("指标", "金额（万元）", "占比或比上年增减"):
        return [3.6, 4.0, TEXT_WIDTH_CM - 7.6]
    if table.columns == CHECKS_COLUMNS:  # 部分 narrow, the problem wide, the quote or figures beside it
        return [2.2, 6.4, 4.2, TEXT_WIDTH_CM - 12.8]
    if len(table.columns) == 6:
        return [5.0, 2.3, 2.3, 2.1, 2.7, TEXT_WIDTH_CM - 14.4]
    return None


def _picture(document, png: bytes) -> None:
    """Scaled to the text width; a chart taller than the text block is scaled to its height instead."""
    from docx.shared import Cm
    from PIL import Image

    w_px, h_px = Image.open(io.BytesIO(png)).size
    width = TEXT_WIDTH_CM
    if width * h_px / w_px > TEXT_HEIGHT_CM - 2:
        width = (TEXT_HEIGHT_CM - 2) * w_px / h_px
    p = _paragraph(document, "", align="center", line=None, keep_next=True)
    run = p.add_run()
    _set_run_font(run, BODY_FONT, LATIN_FONT)  # every run names its faces, the picture's too
    run.add_picture(io.BytesIO(png), width=Cm(width))


def _title_lines(briefing: Briefing) -> tuple[str, str]:
    """Unit on the first line, year and kind on the second, where the whole would not fit one line at 22 pt."""
    unit = briefing.meta.get("unit", "")
    if len(briefing.title) <= 19 or not unit or not briefing.title.startswith(unit):
        return briefing.title, ""
    return unit, briefing.title[len(unit):]


def to_docx(briefing: Briefing, images: Sequence[tuple[Chart, bytes | None]] | None = None) -> bytes:
    """The briefing as a Word file laid out like a 公文: A4, GB/T 9704 margins, 小标宋 title, 黑体 headings, 仿宋 body."""
    from docx import Document
    from docx.shared import Cm

    images = list(images) if images is not None else render_charts(briefing, DOC_CHART_WIDTH)
    png = {id(chart): data for chart, data in images}
    document = Document()
    _default_fonts(document)
    _font_table_fallbacks(document)
    props = document.core_properties
    props.title, props.author, props.last_modified_by = briefing.title, GENERATOR, GENERATOR
    props.subject, props.comments = briefing.subtitle, briefing.source_line
    props.created = props.modified = datetime.now(UTC).replace(microsecond=0, tzinfo=None)
    section = document.sections[0]
    section.page_width, section.page_height = Cm(PAGE_CM[0]), Cm(PAGE_CM[1])
    section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = map(Cm, MARGINS_CM)
    section.footer_distance = Cm(2.5)
    _page_number_footer(section)

    title = _paragraph(document, "", align="center", line=36, after=6)
    head, tail = _title_lines(briefing)
    _set_run_font(title.add_run(head), TITLE_FONT, size=22)
    if tail:  # a 公文 title breaks between meaningful parts, never one character onto its own line
        title.runs[-1].add_break()
        _set_run_font(title.add_run(tail), TITLE_FONT, size=22)
    _paragraph(document, briefing.subtitle, font=SUBTITLE_FONT, size=14, align="center", line=26, after=12)
    figure_no = 0
    for n, part in enumerate(briefing.sections):
        _paragraph(document, f"{_CN_NUMBERS[n] if n < 10 else n + 1}、{part.heading}", font=HEADING_FONT, size=16,
                   align="left", indent=True, before=6, keep_next=True)
        for text in part.paragraphs:
            _paragraph(document, text, indent=True)
        if part.table is not None:
            _table(document, part.table, _table_widths(part.table))
        for chart in part.charts:
            figure_no += 1
            if png.get(id(chart)) is None:
                _paragraph(document, NO_IMAGE, align="center", keep_next=True)
            else:
                _picture(document, png[id(chart)])
            _paragraph(document, f"图{figure_no}　{chart.caption}", font=HEADING_FONT, size=12, align="center",
                       line=20, after=4 if chart.note else 10, keep_next=bool(chart.note))
            if chart.note:  # the figure's table failed its own arithmetic: said under the figure, as on the page
                _paragraph(document, chart.note, size=12, line=20, after=10)
    _paragraph(document, briefing.source_line, size=12, line=22, before=12, indent=True, color=(0x44, 0x44, 0x44))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def docx_bytes(sel: Selection, page: str = "overview", units: Sequence[str] | None = None) -> bytes:
    """What the 生成简报（Word） button downloads (and the batch command writes)."""
    return to_docx(build(sel, page, units=units))
