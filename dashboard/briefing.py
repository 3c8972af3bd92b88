"""简报: one report as a Word briefing (.docx) or slides (.pptx) an official can hand in as they are.

Officials retype KPI figures and paste PNGs one by one into their 情况简报 — the step where numbers get mistyped. Here
the content is assembled once from the modules the pages use (kpis, summary, charts, export, fmt), so every figure
in the file is the figure on screen, and then written by two writers that know only the content model below:

    Briefing = title, subtitle, sections, closing 数据来源 line
    Section  = heading + paragraphs + optional table + charts

SECTIONS lists the section builders in document order; a new kind of figure (预算执行 once 决算 reports load) is
one builder appended there. CHARTS names the chart builders, PAGE_CHARTS which of them each page's button carries.

Batch use (the same file as the 总览 button):

    python -m dashboard.briefing --db data/budget.duckdb --unit NAME --year 2023 [--kind 部门预算] --out x.docx
    python -m dashboard.briefing ... --pptx --out x.pptx
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path

if __name__ == "__main__":  # batch use: the query cache's 'No runtime found' notices are not for the operator
    import streamlit.logger

    streamlit.logger.set_log_level("error")

import pandas as pd  # noqa: E402
import plotly.graph_objects as go  # noqa: E402

from dashboard import charts, compare, execution, export, func_tree, kpis, provenance, queries, tables, ui, yoy  # noqa: E402
from dashboard.fmt import change_phrase, pct, share, wan  # noqa: E402
from dashboard.labels import is_final  # noqa: E402
from dashboard.state import Selection, unit_of  # noqa: E402
from dashboard.summary import briefing as summary_paragraph  # noqa: E402
from dashboard.summary import final_briefing  # noqa: E402

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
GENERATOR = "预算公开报告看板"

# Charts for the Word page are drawn narrower than the on-screen PNG (1100 px) so that, scaled to the 15.6 cm text
# width, the 13 px labels print at about 8 pt instead of 5 pt; slides are wide, so they keep the screen width.
DOC_CHART_WIDTH = 680
SLIDE_CHART_WIDTH = charts.EXPORT_WIDTH


# ------------------------------------------------------------------------------------------------------------------
# Content model: plain text only. Report text (unit, 科目, project names) stays text through both writers.
# ------------------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str | None = None          # '单位：万元' above the table
    numeric: tuple[int, ...] = ()     # column indexes right-aligned (amounts)
    footnote: str | None = None       # '注：…' below the table


@dataclass(frozen=True)
class Chart:
    key: str
    caption: str                      # what the figure shows, for the 图N caption and the slide title
    figure: go.Figure
    source: str


@dataclass(frozen=True)
class Section:
    heading: str
    paragraphs: tuple[str, ...] = ()
    table: Table | None = None
    charts: tuple[Chart, ...] = ()


@dataclass(frozen=True)
class Briefing:
    title: str
    subtitle: str
    sections: tuple[Section, ...]
    source_line: str
    kpi_table: Table | None = None    # also the first slide's table
    summary: str = ""                 # also the first slide's paragraph
    meta: dict[str, str] = field(default_factory=dict)

    @property
    def charts(self) -> list[Chart]:
        return [c for s in self.sections for c in s.charts]


# ------------------------------------------------------------------------------------------------------------------
# Content assembly from the pages' own modules
# ------------------------------------------------------------------------------------------------------------------
class Report:
    """Everything one briefing reads about one report, each query run (and cached) once."""

    def __init__(self, sel: Selection, units: Sequence[str] | None = None) -> None:
        self.sel = sel
        self.units = tuple(units) if units else None  # 单位对比: the units chosen on the page

    @cached_property
    def kpis(self) -> kpis.Kpis:
        return kpis.load(self.sel.doc_id)

    @cached_property
    def tree(self) -> pd.DataFrame:
        return func_tree.build(queries.func_lines(self.sel.doc_id, "expenditure"))

    @cached_property
    def projects(self) -> pd.DataFrame:
        return queries.projects(self.sel.doc_id)

    @cached_property
    def checks(self) -> pd.DataFrame:
        return queries.checks(self.sel.doc_id)

    @cached_property
    def failed(self) -> pd.DataFrame:
        return self.checks[self.checks["passed"] == False]  # noqa: E712 — NULL (not checked) is not a failure

    def context(self, kinds: Sequence[str]) -> charts.ChartContext:
        return provenance.context(self.sel, list(kinds))

    @cached_property
    def unit_docs(self) -> pd.DataFrame:
        """The unit's reports of the same kind (a 部门预算 is compared with a 部门预算), as the 同比变化 page takes them."""
        docs = queries.documents()
        docs = docs[(docs["unit_name"] == self.sel.unit_name)
                    & (docs["doc_type"].fillna("") == (self.sel.doc_type or ""))]
        return docs.dropna(subset=["fiscal_year"])

    @cached_property
    def years(self) -> list[int]:
        return sorted({int(y) for y in self.unit_docs["fiscal_year"]})

    @cached_property
    def yoy_rows(self) -> pd.DataFrame:
        return queries.yoy_func(self.sel.unit_name, self.sel.doc_type, "expenditure", "total")

    @cached_property
    def execution(self) -> execution.Execution:
        return execution.of_report(self.sel.doc_id)

    @cached_property
    def compare_view(self) -> tuple[pd.DataFrame, compare.Sources] | None:
        return _compare_view(self)


def summary_text(report: Report) -> str:
    """The 总览 page's 情况摘要, built from the same inputs the page passes (top 3 科目, largest project, checks)."""
    sel, figures = report.sel, report.kpis
    if is_final(sel.doc_type):  # a 决算 is summed up by its execution, as the 总览 page does
        rows = report.execution.rows[["code", "name", "budget_yuan", "actual_yuan", "completion_pct", "budget_source"]]
        return final_briefing(sel.unit_name, sel.fiscal_year,
                              [tuple(None if pd.isna(x) else x for x in r) for r in rows.itertuples(index=False)],
                              figures.basic, figures.project, len(report.checks), len(report.failed))
    top = func_tree.leaves(report.tree).head(3)
    projects = report.projects
    return summary_paragraph(
        sel.unit_name,
        sel.fiscal_year,
        figures,
        list(zip(top["label"], top["total_yuan"], strict=False)),
        (projects["name"].iloc[0], projects["total_yuan"].iloc[0]) if not projects.empty else None,
        len(report.checks),
        len(report.failed),
    )


def kpi_table(report: Report) -> Table:
    """The 总览 cards as rows: amounts in 万元 exactly as the cards print them, shares and change beside them."""
    k = report.kpis
    change = change_phrase(k.change_yuan, k.change_pct) or "—"
    footnote = None
    if k.change_yuan is not None and k.change_source:
        footnote = (f"注：比上年增减为{k.change_source}所得。" if k.change_source.startswith("与")
                    else f"注：比上年增减取自{k.change_source}。")
    rows = [
        ("收入总计", wan(k.revenue_total), change),
        ("支出总计", wan(k.expenditure_total), change),
        ("本年收入", wan(k.current_revenue), _share_note(share(k.current_revenue, k.revenue_total), "收入总计")),
        ("上年结转", wan(k.carryover) if k.carryover is not None else "—",
         _share_note(k.carryover_share, "收入总计") if k.carryover is not None else "报告未列上年结转"),
        ("基本支出", wan(k.basic), _share_note(k.basic_share, "支出总计")),
        ("项目支出", wan(k.project), _share_note(k.project_share, "支出总计")),
        ("本年财政拨款", wan(k.fiscal), _share_note(k.fiscal_share, "收入总计")),
    ]
    return Table(("指标", "金额（万元）", "占比或比上年增减"), tuple(rows), note="单位：万元", numeric=(1,),
                 footnote=footnote)


def _share_note(value: float | None, of: str) -> str:
    return f"占{of}{pct(value)}" if value is not None else "—"


# --- charts: each builder returns None where the report lacks the data (the page shows a notice there instead) ---
def _chart_composition(r: Report) -> Chart | None:
    if r.tree.empty or r.tree["total_yuan"].fillna(0).sum() == 0:
        return None
    ctx = r.context(["expenditure"])
    return Chart("composition", "支出功能分类构成", charts.func_treemap(r.tree, ctx, subject="支出功能分类构成"),
                 ctx.source)


def _chart_top_items(r: Report) -> Chart | None:
    leaves = func_tree.leaves(r.tree)
    if leaves.empty:
        return None
    ctx = r.context(["expenditure"])
    fig = charts.ranked_bar(leaves["label"].head(10), leaves["total_yuan"].head(10), ctx, "支出最多的科目（项）",
                            share_base_yuan=r.kpis.expenditure_total, share_of="支出总计")
    return Chart("top_items", "支出最多的科目（项）", fig, ctx.source)


def _chart_all_items(r: Report) -> Chart | None:
    leaves = func_tree.leaves(r.tree)
    if leaves.empty:
        return None
    ctx = r.context(["expenditure"])
    fig = charts.ranked_bar(leaves["label"], leaves["total_yuan"], ctx, "各项支出排序")
    return Chart("items", "各项支出排序", fig, ctx.source)


def _chart_top_projects(r: Report) -> Chart | None:
    if r.projects.empty:
        return None
    ctx = r.context(tables.project_source_kinds(r.projects))
    fig = charts.ranked_bar(r.projects["name"].head(10), r.projects["total_yuan"].head(10), ctx, "金额最大的项目",
                            share_base_yuan=r.kpis.project, share_of="项目支出")
    return Chart("top_projects", "金额最大的项目", fig, ctx.source)


def _chart_projects(r: Report) -> Chart | None:
    if r.projects.empty:
        return None
    ctx = r.context(tables.project_source_kinds(r.projects))
    total = float(r.projects["total_yuan"].fillna(0).sum())
    share_of = "所列项目合计" if tables.listed_from_forms(r.projects) else "项目支出合计"
    fig = charts.ranked_bar(r.projects["name"], r.projects["total_yuan"], ctx, "项目支出（按项目）",
                            share_base_yuan=total, share_of=share_of)
    return Chart("projects", "项目支出（按项目）", fig, ctx.source)


def _chart_nature(r: Report) -> Chart | None:
    if r.tree.empty or r.tree[["basic_yuan", "project_yuan"]].fillna(0).sum().sum() == 0:
        return None
    ctx = r.context(["expenditure"])
    subject = "基本支出与项目支出（按类）"
    return Chart("nature", subject, charts.nature_bar(r.tree, ctx, subject), ctx.source)


def _chart_econ(r: Report) -> Chart | None:
    items = tables.econ_items(queries.econ_lines(r.sel.doc_id))
    if items.empty:
        return None
    ctx = r.context(["gp_basic_econ"])
    subject = "一般公共预算基本支出经济分类"
    return Chart("econ", subject, charts.econ_bar(items, ctx, subject), ctx.source)


def _chart_yoy(r: Report) -> Chart | None:
    """The 同比变化 page's default waterfall (全部资金, by 类) where last year's report of the unit is loaded."""
    year = r.sel.fiscal_year
    if year is None or year - 1 not in r.years:
        return None
    this_year = yoy.of_year(r.yoy_rows, year)
    if this_year.empty or this_year["change_yuan"].isna().all():
        return None
    flow = yoy.waterfall(this_year, None)
    if flow is None:
        return None
    pair = r.unit_docs[r.unit_docs["fiscal_year"].isin([year, year - 1])]
    ctx = yoy.context(r.sel, pair, ["expenditure"], year=year)
    subject = "支出比上年增减（按类）"
    fig = charts.yoy_waterfall(flow.labels, flow.changes_yuan, flow.start_yuan, flow.end_yuan, ctx, subject,
                               start_label=f"{year - 1}年预算", end_label=f"{year}年预算")
    return Chart("yoy", subject, fig, ctx.source)


def _chart_trend(r: Report) -> Chart | None:
    if len(r.years) < 2:
        return None
    history = yoy.history(r.yoy_rows, r.years)
    if history.empty:
        return None
    ctx = yoy.context(r.sel, r.unit_docs, ["expenditure"], year=None)
    subject = f"{r.years[0]}—{r.years[-1]}年各类支出"
    return Chart("trend", subject, charts.trend_lines(history, ctx, subject), ctx.source)


def _compare_view(r: Report) -> tuple[pd.DataFrame, compare.Sources] | None:
    """The 单位对比 page's figures and source notes for the units chosen there (or its default choice)."""
    year = r.sel.fiscal_year
    if year is None:
        return None
    docs = queries.documents()
    docs = docs[docs["fiscal_year"] == year].reset_index(drop=True)
    figures = compare.figures(docs)
    units = list(r.units) if r.units else compare.default_units(figures, r.sel.unit_name)
    if len(units) < 2:
        return None
    docs = docs[docs["unit_name"].isin(units)].reset_index(drop=True)
    return figures[figures["unit"].isin(units)].reset_index(drop=True), compare.Sources(docs, year)


def _chart_compare_totals(r: Report) -> Chart | None:
    found = r.compare_view
    if found is None:
        return None
    figures, sources = found
    listed = figures["expenditure"].notna()
    ctx = sources.context(["summary", "expenditure"])
    fig = charts.ranked_bar(list(figures.loc[listed, "label"]), list(figures.loc[listed, "expenditure"]), ctx,
                            "支出总计对比")
    return Chart("compare_totals", "支出总计对比", fig, ctx.source)


def _chart_compare_nature(r: Report) -> Chart | None:
    found = r.compare_view
    if found is None:
        return None
    figures, sources = found
    ctx = sources.context(["expenditure"])
    fig = charts.share_stack(list(figures["label"]), {"基本支出": list(figures["basic"]),
                                                      "项目支出": list(figures["project"])}, ctx,
                             "基本支出与项目支出占比", of="基本支出与项目支出之和")
    return Chart("compare_nature", "基本支出与项目支出占比", fig, ctx.source)


def _chart_compare_costs(r: Report) -> Chart | None:
    found = r.compare_view
    if found is None:
        return None
    figures, sources = found
    ctx = sources.context(["gp_basic_econ"])
    fig = charts.share_stack(list(figures["label"]), {"人员经费": list(figures["personnel"]),
                                                      "公用经费": list(figures["public"])}, ctx,
                             "人员经费与公用经费占比", of="一般公共预算基本支出")
    return Chart("compare_costs", "人员经费与公用经费占比", fig, ctx.source)


def _chart_compare_three(r: Report) -> Chart | None:
    found = r.compare_view
    if found is None:
        return None
    figures, sources = found
    ctx = sources.context(["three_public", "operating_cost"])
    fig = charts.grouped_bar(list(figures["label"]), {"“三公”经费": list(figures["three_public"]),
                                                      "机关运行经费": list(figures["operating_cost"])}, ctx,
                             "“三公”经费和机关运行经费")
    return Chart("compare_three", "“三公”经费和机关运行经费", fig, ctx.source)


CHARTS: dict[str, Callable[[Report], Chart | None]] = {
    "composition": _chart_composition,
    "top_items": _chart_top_items,
    "items": _chart_all_items,
    "top_projects": _chart_top_projects,
    "projects": _chart_projects,
    "nature": _chart_nature,
    "econ": _chart_econ,
    "yoy": _chart_yoy,
    "trend": _chart_trend,
    "compare_totals": _chart_compare_totals,
    "compare_nature": _chart_compare_nature,
    "compare_costs": _chart_compare_costs,
    "compare_three": _chart_compare_three,
}

# Which charts each page's button carries: the page's own charts in their default view.
PAGE_CHARTS: dict[str, tuple[str, ...]] = {
    "overview": ("composition", "top_items", "top_projects", "nature", "econ", "yoy"),
    "composition": ("composition", "items", "nature", "econ"),
    "projects": ("projects",),
    "yoy": ("yoy", "trend"),
    "compare": ("compare_totals", "compare_nature", "compare_costs", "compare_three"),
    "execution": (),  # its chart travels in the 预算执行 section, which every page's button carries for a 决算
}


# --- sections, in document order; each returns None where it has nothing to say ---
def _section_summary(r: Report, page: str) -> Section | None:
    # the paragraph points readers of the dashboard to its 数据核对 page; in the file, that part is below
    text = summary_text(r).replace("详见“数据核对”页", "详见下文“数据核对”部分")
    return Section("总体情况", (text or "报告中没有可供摘要的收支数据。",))


def _section_kpis(r: Report, page: str) -> Section | None:
    return Section("主要指标", table=kpi_table(r))


def _section_charts(r: Report, page: str) -> Section | None:
    found = tuple(c for c in (CHARTS[key](r) for key in PAGE_CHARTS[page]) if c is not None)
    return Section("主要图表", charts=found) if found else None


def _section_execution(r: Report, page: str) -> Section | None:
    """A 决算's 预算执行: the 预算执行 page's totals, chart and biggest differences with the report's own reasons."""
    if not is_final(r.sel.doc_type):
        return None
    ex = r.execution
    heading = "预算执行情况"
    if ex.rows.empty:
        return Section(heading, ("报告中没有可读的一般公共预算财政拨款支出决算表，无法对照预算。",))
    paragraphs = []
    t = ex.total
    if t is not None and pd.notna(t["actual_yuan"]):
        text = f"一般公共预算财政拨款支出决算{wan(t['actual_yuan'], suffix=True)}"
        if pd.notna(t["budget_yuan"]):
            text += f"，年初预算{wan(t['budget_yuan'], suffix=True)}，完成年初预算的{pct(t['completion_pct'])}"
            if pd.notna(t["difference_yuan"]) and t["difference_yuan"] != 0:
                word = "少" if t["difference_yuan"] < 0 else "多"
                text += f"，决算比年初预算{word}{wan(abs(t['difference_yuan']), suffix=True)}"
            text += f"（预算数来源：{'、'.join(ex.sources) or '未列示'}）"
        else:
            text += "；报告未列一般公共预算财政拨款支出的年初预算"
        paragraphs.append(text + "。")
    if ex.items.empty:
        paragraphs.append("报告没有按科目列出年初预算，无法逐项对照。")
        return Section(heading, tuple(paragraphs))
    paragraphs.append("决算与年初预算差别最大的科目（项级）及报告所述原因见下表。")
    rows = tuple(
        (side, f"{row['code']} {row['name']}", wan(row["budget_yuan"]), wan(row["actual_yuan"]),
         pct(row["completion_pct"]), execution.reason(row))
        for side, frame in (("低于预算", ex.under), ("超过预算", ex.over)) for _, row in frame.iterrows()
    )
    table = Table(("情况", "科目", "年初预算", "支出决算", "完成预算", "报告所述原因"), rows, note="单位：万元",
                  numeric=(2, 3, 4)) if rows else None
    ctx = r.context(["gp_expenditure"])
    chart = Chart("execution", execution.CHART_SUBJECT, execution.chart(ex, ctx), ctx.source)
    return Section(heading, tuple(paragraphs), table=table, charts=(chart,))


def _section_checks(r: Report, page: str) -> Section | None:
    total, failed = len(r.checks), r.failed
    if not total:
        return Section("数据核对", ("本报告还没有核对结果。",))
    if failed.empty:
        return Section("数据核对", (f"报告表间勾稽关系核对{total}项，全部通过（允许印刷四舍五入造成的尾差）。",))
    shown = tables.checks_table(r.checks)
    shown = shown[shown["结果"] == "未通过"]
    rows = tuple(
        (str(row["核对内容"]), _wan_cell(row["应为（万元）"]), _wan_cell(row["实际（万元）"]), _wan_cell(row["差额（万元）"]),
         str(row["所在表"]), str(row["页码"]) or "—")
        for _, row in shown.iterrows()
    )
    table = Table(("核对内容", "应为", "实际", "差额", "所在表", "页码"), rows, note="单位：万元；差额为“实际”减“应为”",
                  numeric=(1, 2, 3, 5))
    return Section("数据核对", (f"报告表间勾稽关系核对{total}项，其中{len(failed)}项未通过，列表如下，请对照原报告核实。",),
                   table=table)


def _wan_cell(value: object) -> str:
    """A 万元 number already rounded by tables.checks_table, spelled as everywhere else."""
    if value is None or pd.isna(value):
        return "—"
    return f"{float(value):,.2f}"


SECTIONS: tuple[Callable[[Report, str], Section | None], ...] = (
    _section_summary,
    _section_kpis,
    _section_execution,
    _section_charts,
    _section_checks,
)


def build(sel: Selection, page: str = "overview", *, units: Sequence[str] | None = None) -> Briefing:
    """The briefing of one report with the charts of one page (see PAGE_CHARTS)."""
    if page not in PAGE_CHARTS:
        raise ValueError(f"unknown page {page!r}")
    report = Report(sel, units)
    sections = tuple(s for s in (make(report, page) for make in SECTIONS) if s is not None)
    year = f"{sel.fiscal_year}年" if sel.fiscal_year else ""
    kind = sel.doc_type or "预算"
    title = f"{sel.unit_name}{year}{kind}情况简报"
    doc = f"《{sel.title}》" if sel.title else "公开报告"
    source = queries.documents()
    source = source[source["doc_id"] == sel.doc_id]
    file_name = "" if source.empty or pd.isna(source["source_file"].iloc[0]) else str(source["source_file"].iloc[0])
    source_line = f"数据来源：{sel.unit_name}公开的{doc}" + (f"（文件 {file_name}）" if file_name else "") + \
        "，经程序提取并与报告自身的表间关系核对；金额单位为万元，保留两位小数（四舍五入）。"
    kpi = next((s.table for s in sections if s.heading == "主要指标"), None)
    summary = next((s.paragraphs[0] for s in sections if s.heading == "总体情况"), "")
    return Briefing(title, f"（根据{doc}整理）", sections, source_line, kpi, summary,
                    meta={"unit": sel.unit_name, "year": year, "kind": kind})


def file_stem(sel: Selection, page: str = "overview") -> str:
    """'阳泉市文化和旅游局_2023年_情况简报' — what the file still says once saved to a desktop."""
    return ui.file_stem(sel, "情况简报" if page == "overview" else f"{PAGE_TITLES.get(page, page)}简报")


PAGE_TITLES = {"overview": "总览", "composition": "支出构成", "projects": "项目", "yoy": "同比变化", "compare": "单位对比",
               "execution": "预算执行"}


# ------------------------------------------------------------------------------------------------------------------
# Images
# ------------------------------------------------------------------------------------------------------------------
NO_IMAGE = "（此图未能生成，请在看板上查看或下载该图。）"


def render_charts(briefing: Briefing, width: int) -> list[tuple[Chart, bytes | None]]:
    """Each chart as a PNG at 2× through the warm kaleido renderer (export.figure_png). A chart the renderer fails
    on becomes None — the file still carries every figure, table and the other charts, with a line saying so."""
    out: list[tuple[Chart, bytes | None]] = []
    for chart in briefing.charts:
        try:
            out.append((chart, export.figure_png(chart.figure, width=width)))
        except Exception:  # noqa: BLE001 — kaleido/Chromium failures are many kinds; the rest of the file stands
            out.append((chart, None))
    return out


# ------------------------------------------------------------------------------------------------------------------
# Word writer
# ------------------------------------------------------------------------------------------------------------------
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
                       line=20, after=10)
    _paragraph(document, briefing.source_line, size=12, line=22, before=12, indent=True, color=(0x44, 0x44, 0x44))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# ------------------------------------------------------------------------------------------------------------------
# PowerPoint writer
# ------------------------------------------------------------------------------------------------------------------
SLIDE_IN = (13.333, 7.5)  # 16:9


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


def _slide_table(slide, table: Table, left: float, top: float, width: float) -> None:
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Inches

    rows, cols = len(table.rows) + 1, len(table.columns)
    shape = slide.shapes.add_table(rows, cols, Inches(left), Inches(top), Inches(width), Inches(0.42 * rows))
    grid = shape.table
    shares = [0.24, 0.24, 0.52] if cols == 3 else [1 / cols] * cols
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
            _pptx_run(p, value, size=13)


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
        note = "；".join(n for n in ("单位：万元", (briefing.kpi_table.footnote or "").removeprefix("注：").rstrip("。")) if n)
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
            _slide_picture(slide, png, 0.5, 0.95, 12.3, 5.75)
        _text_box(slide, 0.5, 6.8, 12.3, 0.55, chart.source, size=11, color=grey)

    checks = next((s for s in briefing.sections if s.heading == "数据核对"), None)
    if checks is not None:
        slide = deck.slides.add_slide(blank)
        _text_box(slide, 0.5, 0.25, 12.3, 0.6, "数据核对", font="黑体", size=24, bold=True)
        _text_box(slide, 0.5, 0.95, 12.3, 0.9, " ".join(checks.paragraphs), size=16)
        if checks.table is not None:
            shown = Table(checks.table.columns, checks.table.rows[:10], checks.table.note, checks.table.numeric)
            _slide_table(slide, shown, 0.5, 1.8, 12.3)
            if len(checks.table.rows) > 10:
                _text_box(slide, 0.5, 6.4, 12.3, 0.4, f"另有{len(checks.table.rows) - 10}项未通过，见Word简报。",
                          size=12, color=grey)
        _text_box(slide, 0.5, 6.85, 12.3, 0.5, briefing.source_line, size=10, color=grey)
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def docx_bytes(sel: Selection, page: str = "overview", units: Sequence[str] | None = None) -> bytes:
    """What the 生成简报（Word） button downloads (and the batch command writes)."""
    return to_docx(build(sel, page, units=units))


def pptx_bytes(sel: Selection, page: str = "overview", units: Sequence[str] | None = None) -> bytes:
    """What the 生成汇报（PPT） button downloads (and the batch command writes with --pptx)."""
    return to_pptx(build(sel, page, units=units))


# ------------------------------------------------------------------------------------------------------------------
# Page buttons
# ------------------------------------------------------------------------------------------------------------------
def buttons(sel: Selection, page: str, *, units: Sequence[str] | None = None) -> None:
    """The two download buttons; the file is generated only when one is clicked, so the page renders as fast as
    without them."""
    import streamlit as st

    stem = file_stem(sel, page)
    units = tuple(units) if units else None
    cols = st.columns([1, 1, 3])
    cols[0].download_button("生成简报（Word）", data=lambda: docx_bytes(sel, page, units), file_name=f"{stem}.docx",
                            mime=DOCX_MIME, key=f"briefing_docx_{page}", on_click="ignore",
                            icon=":material/description:",
                            help="本页图表、摘要、主要指标和核对结果，A4公文版式，可直接编辑")
    cols[1].download_button("生成汇报（PPT）", data=lambda: pptx_bytes(sel, page, units), file_name=f"{stem}.pptx",
                            mime=PPTX_MIME, key=f"briefing_pptx_{page}", on_click="ignore",
                            icon=":material/slideshow:", help="首页为主要指标和摘要，其后每页一张图")


# ------------------------------------------------------------------------------------------------------------------
# Batch command
# ------------------------------------------------------------------------------------------------------------------
class SelectionError(ValueError):
    """The unit/year/kind asked for is not in the database; the message is for the user, in Chinese."""


def select(unit: str, year: int | None, kind: str | None = None) -> tuple[Selection, str | None]:
    """The report the sidebar picker would show for unit/year/kind, plus a note when a choice was made for the user."""
    docs = queries.documents()
    display = unit_of(docs, unit)  # any printing of the unit's name, as a link's ?unit= takes it
    rows = docs[docs["unit_name"] == display]
    if rows.empty:
        names = "、".join(dict.fromkeys(docs["unit_name"].astype(str)))
        raise SelectionError(f"数据库中没有单位“{unit}”的报告。已有的单位：{names or '（无）'}")
    if year is not None:
        found = rows[rows["fiscal_year"] == year]
        if found.empty:
            years = "、".join(f"{int(y)}年" for y in rows["fiscal_year"].dropna().unique())
            raise SelectionError(f"数据库中没有{unit}{year}年的报告。已有的年度：{years or '年度不详'}")
        rows = found
    elif rows["fiscal_year"].notna().any():
        rows = rows[rows["fiscal_year"] == rows["fiscal_year"].max()]
    kinds = list(dict.fromkeys(rows["doc_type"].fillna("预算报告").astype(str)))
    note = None
    if kind is not None:
        rows = rows[rows["doc_type"].fillna("预算报告") == kind]
        if rows.empty:
            raise SelectionError(f"数据库中没有{unit}{year or ''}{'年' if year else ''}的{kind}。已有：{'、'.join(kinds)}")
    elif len(kinds) > 1:
        note = f"{unit}该年度有{'、'.join(kinds)}，已选{kinds[0]}；可用 --kind 指定。"
    row = rows.iloc[0]
    return Selection(
        doc_id=str(row["doc_id"]),
        unit_name=str(row["unit_name"]),
        fiscal_year=None if pd.isna(row["fiscal_year"]) else int(row["fiscal_year"]),
        doc_type=None if pd.isna(row["doc_type"]) else str(row["doc_type"]),
        title=None if pd.isna(row["title"]) else str(row["title"]),
    ), note


def _quiet_streamlit() -> None:
    """The query cache works outside a server but logs 'No runtime found' on every query; batch output stays clean."""
    import logging
    import warnings

    warnings.filterwarnings("ignore")
    for name in ("streamlit", "streamlit.runtime.caching.cache_data_api",
                 "streamlit.runtime.scriptrunner_utils.script_run_context"):
        logging.getLogger(name).setLevel(logging.ERROR)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m dashboard.briefing",
                                 description="生成一份报告的情况简报（Word）或汇报（PPT），与看板上的按钮生成的文件相同。")
    ap.add_argument("--db", type=Path, help="预算数据库文件（默认 BUDGET_DB 或 data/budget.duckdb）")
    ap.add_argument("--unit", required=True, help="单位名称")
    ap.add_argument("--year", type=int, help="预算年度（默认最近一年）")
    ap.add_argument("--kind", help="报告类型，如 部门预算、单位预算（同一年度有两种时）")
    ap.add_argument("--page", default="overview", choices=[p for p in PAGE_CHARTS if p != "compare"],
                    help="按哪一页的图表生成（默认 overview 总览）")
    ap.add_argument("--pptx", action="store_true", help="生成PPT而不是Word")
    ap.add_argument("--out", type=Path, required=True, help="输出文件")
    args = ap.parse_args(argv)
    _quiet_streamlit()
    if args.db is not None:
        os.environ[queries.DB_ENV] = str(args.db)
    try:
        sel, note = select(args.unit, args.year, args.kind)
    except SelectionError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    except queries.DatabaseMissing as exc:
        print(f"错误：找不到预算数据库（{exc}）。请用 --db 指定，或先运行 make db 导入报告。", file=sys.stderr)
        return 1
    except queries.DatabaseUnreadable as exc:
        print(f"错误：预算数据库无法打开（{exc}）。", file=sys.stderr)
        return 1
    if note:
        print(note, file=sys.stderr)
    data = pptx_bytes(sel, args.page) if args.pptx else docx_bytes(sel, args.page)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_name(args.out.name + ".part")
    tmp.write_bytes(data)
    tmp.replace(args.out)  # never a half-written file under the asked name
    print(f"已生成 {args.out}（{len(data) // 1024} KB）")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
