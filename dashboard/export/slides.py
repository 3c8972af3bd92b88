"""The 简报 as slides (python-pptx, 16:9): the KPIs and the summary first, a 决算's 预算执行 next, then one chart
per slide with its title and source, then the checks — for the 汇报 an official presents rather than files.

Knows only the content model (dashboard/export/content.py); python-pptx is imported when a file is written, not
when a page that carries the button is shown.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from dashboard.charts import EXPORT_WIDTH
from dashboard.export.content import GENERATOR, NO_IMAGE, Briefing, Chart, Table, build, render_charts
from dashboard.state import Selection

PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
SLIDE_CHART_WIDTH = EXPORT_WIDTH  # slides are wide: charts keep the on-screen width
SLIDE_IN = (13.333, 7.5)  # 16:9
SLIDE_CHECK_ROWS = 6  # problems on the 数据核对 slide: each row holds a sentence, more would run off the slide
CHECK_SHARES = (0.12, 0.46, 0.26, 0.16)  # 部分, 问题, 原文或数字, 所在位置


def _pptx_run(paragraph, text: str, *, font: str = "微软雅黑", size: float = 16, bold: bool = False,
              color: tuple[int, int, int] = (0x1F, 0x23, 0x28)) -> None:
    """A run with the East Asian face set (a:ea) beside the Latin one: python-pptx's font.name sets a:latin only."""
    from pptx.dml.color import RGBColor
    from pptx.util import Pt

    run = paragraph.add_run()
    run.text = text
    run.font.size, run.font.bold = Pt(size), bold
    run.font.name = font
    run.font.color.rgb = RGBColor(*color)
    r_pr = run._r.get_or_add_rPr()
    for tag in ("a:ea", "a:cs"):
        el = r_pr.find(f"{{http://schemas.openxmlformats.org/drawingml/2006/main}}{tag[2:]}")
        if el is None:
            el = r_pr.makeelement(f"{{http://schemas.openxmlformats.org/drawingml/2006/main}}{tag[2:]}", {})
            r_pr.append(el)
        el.set("typeface", font)


def _text_box(slide, left: float, top: float, width: float, height: float, text: str, **style) -> None:
    from pptx.enum.text import MSO_ANCHOR
    from pptx.util import Inches

    box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
    frame = box.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = MSO_ANCHOR.TOP
    _pptx_run(frame.paragraphs[0], text, **style)


def _slide_table(slide, table: Table, left: float, top: float, width: float,
                 shares: Sequence[float] | None = None, size: float = 13) -> None:
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Inches

    rows, cols = len(table.rows) + 1, len(table.columns)
    shape = slide.shapes.add_table(rows, cols, Inches(left), Inches(top), Inches(width), Inches(0.42 * rows))
    grid = shape.table
    shares = shares or ([0.24, 0.24, 0.52] if cols == 3 else [1 / cols] * cols)
    for i, s in enumerate(shares):
        grid.columns[i].width = Inches(width * s)
    for i, name in enumerate(table.columns):
        cell = grid.cell(0, i)
        cell.text_frame.paragraphs[0].alignment = PP_ALIGN.CENTER
        _pptx_run(cell.text_frame.paragraphs[0], name, size=14, bold=True, color=(0xFF, 0xFF, 0xFF))
    for r, values in enumerate(table.rows, start=1):
        for i, value in enumerate(values):
            p = grid.cell(r, i).text_frame.paragraphs[0]
            p.alignment = PP_ALIGN.RIGHT if i in table.numeric else PP_ALIGN.LEFT
            _pptx_run(p, value, size=size)


def _slide_picture(slide, png: bytes, left: float, top: float, width: float, height: float) -> None:
    from PIL import Image
    from pptx.util import Inches

    w_px, h_px = Image.open(io.BytesIO(png)).size
    scale = min(width / w_px, height / h_px)
    w, h = w_px * scale, h_px * scale
    slide.shapes.add_picture(io.BytesIO(png), Inches(left + (width - w) / 2), Inches(top), Inches(w), Inches(h))


def to_pptx(briefing: Briefing, images: Sequence[tuple[Chart, bytes | None]] | None = None) -> bytes:
    """Slides: the KPIs and the summary first, then one chart per slide with its title and source, then checks."""
    from pptx import Presentation
    from pptx.util import Inches

    images = list(images) if images is not None else render_charts(briefing, SLIDE_CHART_WIDTH)
    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(SLIDE_IN[0]), Inches(SLIDE_IN[1])
    deck.core_properties.title, deck.core_properties.author = briefing.title, GENERATOR
    blank = deck.slide_layouts[6]
    grey = (0x55, 0x55, 0x55)

    slide = deck.slides.add_slide(blank)
    _text_box(slide, 0.5, 0.3, 12.3, 0.7, briefing.title, font="黑体", size=28, bold=True)
    _text_box(slide, 0.5, 0.95, 12.3, 0.4, briefing.subtitle, size=14, color=grey)
    if briefing.kpi_table is not None:  # the notes go above the table: rows grow when a change figure wraps
        note = "；".join(n for n in ("单位：万元", (briefing.kpi_table.footnote or "").replace("。\n注：", "；").removeprefix("注：").rstrip("。")) if n)
        _text_box(slide, 0.5, 1.4, 6.6, 0.35, note, size=11, color=grey)
        _slide_table(slide, briefing.kpi_table, 0.5, 1.8, 6.6)
    _text_box(slide, 7.4, 1.5, 5.45, 5.2, briefing.summary, size=15)
    _text_box(slide, 0.5, 6.85, 12.3, 0.5, briefing.source_line, size=10, color=grey)

    execution_section = next((s for s in briefing.sections if s.heading == "预算执行情况"), None)
    if execution_section is not None:  # a 决算's budget-vs-actual figures and reasons, before its charts
        slide = deck.slides.add_slide(blank)
        _text_box(slide, 0.5, 0.25, 12.3, 0.6, execution_section.heading, font="黑体", size=24, bold=True)
        _text_box(slide, 0.5, 0.95, 12.3, 1.1, " ".join(execution_section.paragraphs), size=16)
        if execution_section.table is not None:
            _text_box(slide, 0.5, 2.05, 12.3, 0.35, execution_section.table.note or "", size=11, color=grey)
            _slide_table(slide, execution_section.table, 0.5, 2.4, 12.3)
        _text_box(slide, 0.5, 6.85, 12.3, 0.5, briefing.source_line, size=10, color=grey)

    for chart, png in images:
        slide = deck.slides.add_slide(blank)
        _text_box(slide, 0.5, 0.25, 12.3, 0.6, f"{briefing.meta.get('unit', '')}{briefing.meta.get('year', '')}"
                  f"{chart.caption}", font="黑体", size=24, bold=True)
        if png is None:
            _text_box(slide, 0.5, 3.2, 12.3, 0.6, NO_IMAGE, size=16, color=grey)
        else:
            _slide_picture(slide, png, 0.5, 0.95, 12.3, 5.15 if chart.note else 5.75)
        if chart.note:  # the figure's table failed its own arithmetic: said under the figure, as on the page
            _text_box(slide, 0.5, 6.15, 12.3, 0.6, chart.note, size=12, color=(0x9A, 0x4D, 0x00))
        _text_box(slide, 0.5, 6.8, 12.3, 0.55, chart.source, size=11, color=grey)

    checks = next((s for s in briefing.sections if s.heading == "数据核对"), None)
    if checks is not None:  # the problems as 数据核对 groups them: one row per cause, with its part
        slide = deck.slides.add_slide(blank)
        _text_box(slide, 0.5, 0.25, 12.3, 0.6, "数据核对", font="黑体", size=24, bold=True)
        _text_box(slide, 0.5, 0.95, 12.3, 0.6, checks.paragraphs[0], size=15)
        if len(checks.paragraphs) > 1:  # each part's 是/否/未核对
            _text_box(slide, 0.5, 1.6, 12.3, 0.7, " ".join(checks.paragraphs[1:]), size=12, color=grey)
        if checks.table is not None:
            shown = Table(checks.table.columns, checks.table.rows[:SLIDE_CHECK_ROWS], checks.table.note,
                          checks.table.numeric)
            _slide_table(slide, shown, 0.5, 2.45, 12.3, shares=CHECK_SHARES, size=11)
            if len(checks.table.rows) > SLIDE_CHECK_ROWS:
                _text_box(slide, 0.5, 6.4, 12.3, 0.4,
                          f"另有{len(checks.table.rows) - SLIDE_CHECK_ROWS}处问题，见Word简报。", size=12, color=grey)
        _text_box(slide, 0.5, 6.85, 12.3, 0.5, briefing.source_line, size=10, color=grey)
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def pptx_bytes(sel: Selection, page: str = "overview", units: Sequence[str] | None = None) -> bytes:
    """What the 生成汇报（PPT） button downloads (and the batch command writes with --pptx)."""
    return to_pptx(build(sel, page, units=units))
