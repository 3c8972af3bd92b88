"""What a 简报 says: one report's figures, summary, charts and checks as a plain content model, assembled from the
modules the pages use (kpis, summary, charts, compare, execution, fmt) — so every figure in the file is the figure
on screen. Officials retype KPI figures and paste PNGs one by one into their 情况简报, the step where numbers get
mistyped; here nothing is retyped.

    Briefing = title, subtitle, sections, closing 数据来源 line
    Section  = heading + paragraphs + optional table + charts

Two writers know only this model: dashboard/export/word.py (公文 layout) and dashboard/export/slides.py. SECTIONS
lists the section builders in document order; a new kind of figure is one builder appended there. CHARTS names the
chart builders, PAGE_CHARTS which of them each page's button carries.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd
import plotly.graph_objects as go

from dashboard import (
    charts,
    compare,
    execution,
    findings,
    func_tree,
    kpis,
    notices,
    provenance,
    queries,
    state,
    tables,
    yoy,
)
from dashboard.export import png
from dashboard.fmt import change_phrase, pct, share, wan
from dashboard.labels import is_final
from dashboard.state import Selection
from dashboard.summary import briefing as summary_paragraph
from dashboard.summary import final_briefing

GENERATOR = "预算公开报告看板"  # the files' author and last editor


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
    note: str | None = None           # '注：…此表数字未通过表内勾稽核对…' under the figure (notices.py)


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

    @cached_property
    def review(self) -> list[findings.Part]:
        """The 数据核对 page's 检查表: parts in the reviewer's order, each with its findings (dashboard/findings.py)."""
        return findings.review_of(self.sel.doc_id, findings.family(self.sel.doc_type))

    def context(self, kinds: Sequence[str]) -> charts.ChartContext:
        return provenance.context(self.sel, list(kinds))

    @cached_property
    def tables(self) -> pd.DataFrame:
        return queries.report_tables(self.sel.doc_id)

    def unverified(self, kinds: Sequence[str]) -> str | None:
        """'注：支出总表（第6页）：此表数字未通过表内勾稽核对，可能有误：…' for figures drawn from `kinds`, None where
        every one of those tables' own arithmetic holds — the line the page shows beside the same figures."""
        return _note(notices.unverified_tables(self.tables, kinds))

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
    unverified = report.unverified(KPI_KINDS)
    if unverified:
        footnote = f"{footnote}\n{unverified}" if footnote else unverified
    return Table(("指标", "金额（万元）", "占比或比上年增减"), tuple(rows), note="单位：万元", numeric=(1,),
                 footnote=footnote)


KPI_KINDS = ("summary", "revenue", "expenditure", "fiscal_summary")  # where kpis.load finds the headline figures


def _note(lines: Sequence[str]) -> str | None:
    return "注：" + "；".join(lines) + "。" if lines else None


def _share_note(value: float | None, of: str) -> str:
    return f"占{of}{pct(value)}" if value is not None else "—"


# --- charts: each builder returns None where the report lacks the data (the page shows a notice there instead) ---
def _chart_composition(r: Report) -> Chart | None:
    if r.tree.empty or r.tree["total_yuan"].fillna(0).sum() == 0:
        return None
    ctx = r.context(["expenditure"])
    return Chart("composition", "支出功能分类构成", charts.func_treemap(r.tree, ctx, subject="支出功能分类构成"),
                 ctx.source, r.unverified(["expenditure"]))


def _chart_top_items(r: Report) -> Chart | None:
    leaves = func_tree.leaves(r.tree)
    if leaves.empty:
        return None
    ctx = r.context(["expenditure"])
    fig = charts.ranked_bar(leaves["label"].head(10), leaves["total_yuan"].head(10), ctx, "支出最多的科目（项）",
                            share_base_yuan=r.kpis.expenditure_total, share_of="支出总计")
    return Chart("top_items", "支出最多的科目（项）", fig, ctx.source, r.unverified(["expenditure"]))


def _chart_all_items(r: Report) -> Chart | None:
    leaves = func_tree.leaves(r.tree)
    if leaves.empty:
        return None
    ctx = r.context(["expenditure"])
    fig = charts.ranked_bar(leaves["label"], leaves["total_yuan"], ctx, "各项支出排序")
    return Chart("items", "各项支出排序", fig, ctx.source, r.unverified(["expenditure"]))


def _chart_top_projects(r: Report) -> Chart | None:
    if r.projects.empty:
        return None
    kinds = tables.project_source_kinds(r.projects)
    ctx = r.context(kinds)
    fig = charts.ranked_bar(r.projects["name"].head(10), r.projects["total_yuan"].head(10), ctx, "金额最大的项目",
                            share_base_yuan=r.kpis.project, share_of="项目支出")
    return Chart("top_projects", "金额最大的项目", fig, ctx.source, r.unverified(kinds))


def _chart_projects(r: Report) -> Chart | None:
    if r.projects.empty:
        return None
    kinds = tables.project_source_kinds(r.projects)
    ctx = r.context(kinds)
    total = float(r.projects["total_yuan"].fillna(0).sum())
    share_of = "所列项目合计" if tables.listed_from_forms(r.projects) else "项目支出合计"
    fig = charts.ranked_bar(r.projects["name"], r.projects["total_yuan"], ctx, "项目支出（按项目）",
                            share_base_yuan=total, share_of=share_of)
    return Chart("projects", "项目支出（按项目）", fig, ctx.source, r.unverified(kinds))


def _chart_nature(r: Report) -> Chart | None:
    if r.tree.empty or r.tree[["basic_yuan", "project_yuan"]].fillna(0).sum().sum() == 0:
        return None
    ctx = r.context(["expenditure"])
    subject = "基本支出与项目支出（按类）"
    return Chart("nature", subject, charts.nature_bar(r.tree, ctx, subject), ctx.source, r.unverified(["expenditure"]))


def _chart_econ(r: Report) -> Chart | None:
    items = tables.econ_items(queries.econ_lines(r.sel.doc_id))
    if items.empty:
        return None
    ctx = r.context(["gp_basic_econ"])
    subject = "一般公共预算基本支出经济分类"
    return Chart("econ", subject, charts.econ_bar(items, ctx, subject), ctx.source, r.unverified(["gp_basic_econ"]))


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
    return Chart("yoy", subject, fig, ctx.source, r.unverified(["expenditure"]))


def _chart_trend(r: Report) -> Chart | None:
    if len(r.years) < 2:
        return None
    history = yoy.history(r.yoy_rows, r.years)
    if history.empty:
        return None
    ctx = yoy.context(r.sel, r.unit_docs, ["expenditure"], year=None)
    subject = f"{r.years[0]}—{r.years[-1]}年各类支出"
    return Chart("trend", subject, charts.trend_lines(history, ctx, subject), ctx.source,
                 r.unverified(["expenditure"]))


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


def _chart_compare(plot: compare.Plot) -> Callable[[Report], Chart | None]:
    """The 单位对比 page's chart `plot` for the units chosen there — one builder for its four charts."""
    def draw(r: Report) -> Chart | None:
        found = r.compare_view
        if found is None:
            return None
        figures, sources = found
        return Chart(plot.key, plot.subject, compare.figure(plot, figures, sources),
                     sources.context(list(plot.kinds)).source, _units_unverified(r, list(figures["unit"]), plot.kinds))

    return draw


def _units_unverified(r: Report, units: Sequence[str], kinds: Sequence[str]) -> str | None:
    """The 单位对比 page's line for the units compared: each unit's tables of `kinds` whose arithmetic failed."""
    if r.sel.fiscal_year is None:
        return None
    frame = queries.flagged_tables(r.sel.fiscal_year)
    frame = frame[frame["unit_name"].isin(list(units))] if not frame.empty else frame
    return _note([f"{u}：{x}" for u, group in frame.groupby("unit_name", sort=False)
                  for x in notices.unverified_tables(group, kinds)] if not frame.empty else [])


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
} | {plot.key: _chart_compare(plot) for plot in compare.PLOTS}

# Which charts each page's button carries: the page's own charts in their default view.
PAGE_CHARTS: dict[str, tuple[str, ...]] = {
    "overview": ("composition", "top_items", "top_projects", "nature", "econ", "yoy"),
    "composition": ("composition", "items", "nature", "econ"),
    "projects": ("projects",),
    "yoy": ("yoy", "trend"),
    "compare": tuple(plot.key for plot in compare.PLOTS),
    "execution": (),  # its chart travels in the 预算执行 section, which every page's button carries for a 决算
}


# --- sections, in document order; each returns None where it has nothing to say ---
def _section_summary(r: Report, page: str) -> Section | None:
    # the paragraph points readers of the dashboard to its 数据核对 page; in the file, that part is below
    text = summary_text(r).replace("详见“数据核对”页", "详见下文“数据核对”部分")
    note = r.unverified((*KPI_KINDS, "gp_expenditure", "projects", "projects_carryover"))
    return Section("总体情况", (text or "报告中没有可供摘要的收支数据。", *((note,) if note else ())))


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
        bw = ex.total_word  # 全年预算 / 年初预算 / 预算, as the figure is
        if pd.notna(t["budget_yuan"]):
            text += f"，{bw}{wan(t['budget_yuan'], suffix=True)}，完成{bw}的{pct(t['completion_pct'])}"
            if pd.notna(t["difference_yuan"]) and t["difference_yuan"] != 0:
                word = "少" if t["difference_yuan"] < 0 else "多"
                text += f"，决算比{bw}{word}{wan(abs(t['difference_yuan']), suffix=True)}"
            text += f"（预算数来源：{'、'.join(ex.sources) or '未列示'}）"
        else:
            text += "；报告未列一般公共预算财政拨款支出的预算数"
        paragraphs.append(text + "。")
    if ex.items.empty:
        paragraphs.append("报告没有按科目列出预算数，无法逐项对照。")
        return Section(heading, tuple(paragraphs))
    paragraphs.append(f"决算与{ex.items_word}差别最大的科目（项级）及报告所述原因见下表。")
    rows = tuple(
        (side, f"{row['code']} {row['name']}", wan(row["budget_yuan"]), wan(row["actual_yuan"]),
         pct(row["completion_pct"]), execution.reason(row))
        for side, frame in (("低于预算", ex.under), ("超过预算", ex.over)) for _, row in frame.iterrows()
    )
    table = Table(("情况", "科目", ex.items_word, "支出决算", "完成预算", "报告所述原因"), rows, note="单位：万元",
                  numeric=(2, 3, 4)) if rows else None
    ctx = r.context(["gp_expenditure"])
    chart = Chart("execution", execution.CHART_SUBJECT, execution.chart(ex, ctx), ctx.source,
                  r.unverified(["gp_expenditure", "three_public"]))
    return Section(heading, tuple(paragraphs), table=table, charts=(chart,))


CHECKS_COLUMNS = ("部分", "问题", "原文或数字", "所在位置")


def _section_checks(r: Report, page: str) -> Section | None:
    """数据核对 as the page groups it: each part's 是/否/未核对 in the reviewer's order, then one row per problem (one
    per cause, with its part) — never every failed check, which would list one misprinted cell five times."""
    heading = "数据核对"
    total, failed = len(r.checks), r.failed
    internal = _internal_line(r)
    if not total:
        return Section(heading, ("本报告还没有核对结果。", *internal))
    parts = r.review
    verdicts = "；".join(f"{p.label}：{p.verdict}" + (f"（{p.problems}）" if p.findings else "") for p in parts)
    checklist = f"按公开情况检查表逐部分核对，各部分是否符合要求——{verdicts}。"
    found = [(p, f) for p in parts for f in p.findings]
    if failed.empty and not found:
        return Section(heading, (f"报告表间勾稽关系核对{total}项，全部通过（允许印刷四舍五入造成的尾差）。", checklist,
                                 *internal))
    rows = tuple((p.label, f.description, _evidence(f), _where(f)) for p, f in found)
    table = Table(CHECKS_COLUMNS, rows, note="差额为“实际”减“应为”；两数相差不足0.01万元的以元列示")
    lead = (f"报告表间勾稽关系核对{total}项，其中{len(failed)}项未通过，归为{len(found)}处问题"
            "（同一原因在多项核对中出现的算作一处），按报告各部分列表如下，请对照原报告核实。")
    return Section(heading, (lead, checklist, *internal), table=table)


def _internal_line(r: Report) -> tuple[str, ...]:
    """数据核对's 表内勾稽成立 9/10 张表 and each table where it fails, as the page says it; nothing for a database
    whose tables carry no such status."""
    found = notices.internal_share(r.tables)
    if found is None:
        return ()
    lines = notices.unverified_tables(r.tables)
    tail = "。" + "；".join(lines) if lines else "（各表的合计与分项、上级与下级科目相符）"
    return (f"表内勾稽成立 {found[0]}/{found[1]} 张表{tail}。",)


def _evidence(f: findings.Finding) -> str:
    """The words a finding quotes, or its two figures and their difference (in 元 below 0.01万元)."""
    if f.quote:
        return f"“{f.quote}”"
    return findings.mismatch_text(f) or "—"


def _where(f: findings.Finding) -> str:
    more = f"，另有{len(f.places) - 1}处同一问题" if len(f.places) > 1 else ""
    return (f.where or "—") + more


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
    return state.file_stem(sel, "情况简报" if page == "overview" else f"{PAGE_TITLES.get(page, page)}简报")


PAGE_TITLES = {"overview": "总览", "composition": "支出构成", "projects": "项目", "yoy": "同比变化", "compare": "单位对比",
               "execution": "预算执行"}


# ------------------------------------------------------------------------------------------------------------------
# Images
# ------------------------------------------------------------------------------------------------------------------
NO_IMAGE = "（此图未能生成，请在看板上查看或下载该图。）"


def render_charts(briefing: Briefing, width: int) -> list[tuple[Chart, bytes | None]]:
    """Each chart as a PNG at 2× through the warm kaleido renderer. A chart the renderer fails on (Chromium missing,
    crashed, timed out: png.RENDER_ERRORS, logged there) becomes None, and the writers put NO_IMAGE in its place —
    the file still carries every figure, table and the other charts."""
    charts_ = briefing.charts
    return list(zip(charts_, png.figure_pngs([c.figure for c in charts_], width=width), strict=True))
