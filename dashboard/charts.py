"""The one chart module: the house Plotly style and every figure the dashboard draws.

Each builder takes plain data plus a ChartContext and returns a complete go.Figure — title with unit, year and
单位：万元, a source note under the plot, amounts in 万元 with thousands separators — so the figure on screen and
the PNG pasted into a briefing are the same object rendered twice.

Building a figure is the costliest step of most page views (Plotly validates every property it is given: 20–40 ms
per figure, several per page, on every rerun of every session), while its inputs rarely change. So each builder is
@shared: a figure is built once per distinct input and the same object is handed to every later caller — keyed by
the exact content of the arguments (their pickle), never by a name or version that could go stale, so a figure can
only be reused for inputs that are equal in every value, label and dtype. Figures returned by a builder are
therefore shared and must not be modified by callers (st.plotly_chart and kaleido only read them).
"""

from __future__ import annotations

import functools
import hashlib
import html
import logging
import pickle
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ParamSpec

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from dashboard import func_tree
from dashboard.fmt import pct, share, to_wan, wrap_label

FONT_FAMILY = "Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif"
TEMPLATE = "budget"
EXPORT_WIDTH = 1100
PALETTE = ["#1f4e79", "#c55a11", "#548235", "#7f6000", "#2e75b6", "#8e44ad", "#a5a5a5", "#b03a2e", "#117a65"]
BAR_COLOR = "#1f4e79"
AMOUNT = ",.2f"  # d3 format: thousands separators, 2 decimals
BAR_TOP_N = 20
LABEL_WRAP = 30
_BAR_PX = 20
_GAP_PX = 12
SHARED_FIGURES = 256  # figures kept per process (least recently used dropped); ≈ 10–100 KB each
_LARGE_INPUT_ROWS = 50_000  # inputs this big are not worth keying (and no chart of ours gets them)

P = ParamSpec("P")
log = logging.getLogger(__name__)
_figures: OrderedDict[tuple[str, bytes], go.Figure] = OrderedDict()
_figures_lock = threading.Lock()
_building: dict[tuple[str, bytes], threading.Lock] = {}

pio.templates[TEMPLATE] = go.layout.Template(
    layout=dict(
        font=dict(family=FONT_FAMILY, size=13, color="#1f2328"),
        title=dict(x=0.01, xanchor="left", xref="container", y=1, yanchor="top", yref="container",
                   pad=dict(t=16), font=dict(size=18, color="#111111")),
        paper_bgcolor="white",
        plot_bgcolor="white",
        colorway=PALETTE,
        separators=".,",
        hoverlabel=dict(font=dict(family=FONT_FAMILY, size=13), bgcolor="white"),
        legend=dict(orientation="h", x=0, xanchor="left", y=1.0, yanchor="bottom", font=dict(size=13)),
        xaxis=dict(showgrid=False, zeroline=False, showline=False, ticks=""),
        yaxis=dict(showgrid=False, zeroline=False, showline=False, ticks="", automargin=True),
        uniformtext=dict(minsize=11, mode="hide"),
    )
)


def _input_key(args: tuple, kwargs: dict) -> bytes | None:
    """SHA-256 of the pickled arguments — equal digests mean equal inputs, value for value (pickle round-trips
    them) — or None when an argument cannot be pickled or is too large to be worth it."""
    for value in (*args, *kwargs.values()):
        if isinstance(value, pd.DataFrame | pd.Series) and len(value) > _LARGE_INPUT_ROWS:
            return None
    try:
        data = pickle.dumps((args, sorted(kwargs.items())), protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError):
        # what pickle raises for an argument it cannot pickle (a lambda, a local function, a lock): build without
        # sharing. None of our callers passes one, so say so where it happens
        log.warning("chart inputs cannot be pickled; the figure is built without sharing", exc_info=True)
        return None
    return hashlib.sha256(data).digest()


def shared(builder: Callable[P, go.Figure]) -> Callable[P, go.Figure]:
    """Build the figure once per distinct input and return that same object to every later call (module
    docstring). Concurrent first calls with one input build it once; the others wait for it."""

    @functools.wraps(builder)
    def build(*args: P.args, **kwargs: P.kwargs) -> go.Figure:
        digest = _input_key(args, kwargs)
        if digest is None:
            return builder(*args, **kwargs)
        key = (builder.__qualname__, digest)
        with _figures_lock:
            if key in _figures:
                _figures.move_to_end(key)
                return _figures[key]
            gate = _building.setdefault(key, threading.Lock())
        with gate:
            with _figures_lock:
                if key in _figures:
                    return _figures[key]
            fig = builder(*args, **kwargs)
            with _figures_lock:
                _figures[key] = fig
                _building.pop(key, None)
                while len(_figures) > SHARED_FIGURES:
                    _figures.popitem(last=False)
        return fig

    build.uncached = builder  # type: ignore[attr-defined] — tests compare a shared figure with a fresh build
    return build


@dataclass(frozen=True)
class ChartContext:
    """Who and when a chart is about, and where its numbers were printed."""

    unit: str
    year: int | None
    source: str
    kind: str = ""  # the report's type ('部门决算'), so a 决算's chart is never read as a budget's

    def title(self, subject: str, note: str | None = None) -> str:
        """Unit and year first, as briefing figures are captioned; 单位：万元 (and a reading note) on a smaller line."""
        year = f"{self.year}年" if self.year else ""
        unit, subject = plain(self.unit), plain(subject)
        head = f"{unit}{year}{plain(self.kind)}{subject}"
        if len(head) > 22:  # a half-width column holds about 22 characters of 18px title: the unit on a line alone
            head = f"{unit}<br>{year}{plain(self.kind)}{subject}"
        small = "单位：万元" + (f"；{plain(note)}" if note else "")
        return f"{head}<br><span style='font-size:13px;color:#555555'>{small}</span>"


def _wrap_note(text: str, width: int = 40) -> str:
    """Source notes are long; break them after 》，； (never inside a number) so they fit a half-width chart."""
    tokens = [t for t in re.split(r"(?<=[》，；])", text) if t]
    lines: list[str] = []
    for token in tokens:
        if lines and len(lines[-1]) + len(token) <= width:
            lines[-1] += token
        else:
            lines.extend(token[i : i + width] for i in range(0, len(token), width))
    return "<br>".join(plain(line) for line in lines)


def plain(text: str) -> str:
    """Report text as Plotly text: Plotly reads <b>, <a>, <span>… in any string as markup, so a unit or 科目 name
    must reach it escaped to be drawn as the characters it is."""
    return html.escape(str(text), quote=False)


# trace properties that carry names read from the report (labels, categories, hover data, legend entries)
_TEXT_PROPS = ("text", "labels", "ids", "parents", "customdata", "name", "x", "y", "hovertext")


def _escape_trace_text(value: object) -> object:
    """Escape strings, keeping the <br> our builders insert to wrap long names."""
    if isinstance(value, str):
        return plain(value).replace("&lt;br&gt;", "<br>")
    if isinstance(value, list | tuple):
        return type(value)(_escape_trace_text(v) for v in value)
    return value


def _escape_report_text(fig: go.Figure) -> None:
    for trace in fig.data:
        for prop in _TEXT_PROPS:
            value = getattr(trace, prop, None)
            if value is not None:
                trace[prop] = _escape_trace_text(value)
    for axis in (fig.layout.xaxis, fig.layout.yaxis):
        if axis.categoryarray is not None:
            axis.categoryarray = _escape_trace_text(axis.categoryarray)
    for note in fig.layout.annotations:  # annotation text is ours; its anchor may be a category name
        if note.xref == "x" and isinstance(note.x, str):
            note.x = _escape_trace_text(note.x)
        if note.yref == "y" and isinstance(note.y, str):
            note.y = _escape_trace_text(note.y)


def _finish(
    fig: go.Figure, ctx: ChartContext, subject: str, height: int, *, legend: bool = False, note: str | None = None
) -> go.Figure:
    """Apply the house template, title, source note and margins shared by every figure; height is the plot's."""
    _escape_report_text(fig)  # before the source note is added: that annotation is escaped where it is built
    title = ctx.title(subject, note)
    title_lines = title.count("<br>") + 1
    note = _wrap_note(ctx.source)
    note_lines = note.count("<br>") + 1
    top = 38 + 26 * title_lines + (34 if legend else 0)
    bottom = 24 + 16 * note_lines
    total = height + top + bottom
    fig.update_layout(
        template=TEMPLATE,
        # 14px of air above the title: a PNG pasted into Word has no page padding of its own
        title=dict(text=title, y=1 - 14 / total),
        height=total,
        margin=dict(l=12, r=24, t=top, b=bottom),
        meta=dict(subject=subject),
    )
    fig.add_annotation(
        text=note, showarrow=False, xref="paper", yref="paper", x=0, y=0, xanchor="left", yanchor="top",
        yshift=-14, align="left", font=dict(size=11, color="#666666"),
    )
    return fig


def _wan_list(values: Sequence[float | None]) -> list[float]:
    return [to_wan(v) or 0.0 for v in values]


def _text_positions(values: Sequence[float]) -> list[str]:
    """Inside the bar only where the bar is long enough to hold its label, else just after its end."""
    top = max(values, default=0) or 1
    return ["inside" if v >= 0.45 * top else "outside" for v in values]


@shared
def ranked_bar(
    labels: Sequence[str],
    amounts_yuan: Sequence[float],
    ctx: ChartContext,
    subject: str,
    *,
    share_base_yuan: float | None = None,
    share_of: str = "",
    top_n: int = BAR_TOP_N,
) -> go.Figure:
    """Horizontal bars, largest on top, each labelled with its amount (and its share of share_of when given).

    Beyond top_n the rest are summed into one '其余N项' bar so small items don't become unreadable slivers; the
    page lists every item in the table below the chart.
    """
    data = pd.DataFrame({"label": list(labels), "yuan": [float(a or 0) for a in amounts_yuan]})
    data = data.sort_values("yuan", ascending=False, kind="stable").reset_index(drop=True)
    if len(data) > top_n:
        rest = data.iloc[top_n - 1 :]
        data = pd.concat(
            [data.iloc[: top_n - 1], pd.DataFrame({"label": [f"其余{len(rest)}项"], "yuan": [rest["yuan"].sum()]})],
            ignore_index=True,
        )
    wan_values = _wan_list(data["yuan"])
    texts = []
    for yuan, value in zip(data["yuan"], wan_values, strict=True):
        text = f"{value:,.2f}"
        if share_base_yuan:
            text += f"（{pct(share(yuan, share_base_yuan))}）"
        texts.append(text)
    # Names go on their own line above each bar (y is measured in pixels): long Chinese names then need no
    # squeezed axis margin, and the chart keeps its full width for the bars.
    names = [wrap_label(label, LABEL_WRAP, max_lines=2) for label in data["label"]]
    label_y, bar_y, cursor = [], [], 0.0
    for name in names:
        label_y.append(cursor + 2)
        cursor += 2 + 17 * (name.count("<br>") + 1)
        bar_y.append(cursor + _BAR_PX / 2)
        cursor += _BAR_PX + _GAP_PX
    fig = go.Figure(
        [
            go.Bar(
                x=wan_values, y=bar_y, width=_BAR_PX, orientation="h", marker_color=BAR_COLOR, text=texts,
                textposition=_text_positions(wan_values), insidetextanchor="end", textfont=dict(size=13),
                insidetextfont=dict(color="white"), outsidetextfont=dict(color="#1f2328"), constraintext="none",
                cliponaxis=False,
                customdata=list(data["label"]), hovertemplate="%{customdata}<br>%{x:" + AMOUNT + "}万元<extra></extra>",
            ),
            go.Scatter(
                x=[0] * len(names), y=label_y, mode="text", text=names, textposition="bottom right",
                textfont=dict(size=13, color="#333333"), hoverinfo="skip", cliponaxis=False, showlegend=False,
            ),
        ]
    )
    fig.update_xaxes(showticklabels=False, range=[0, max(wan_values, default=1) * 1.3], fixedrange=True)
    fig.update_yaxes(showticklabels=False, range=[cursor, 0], fixedrange=True)
    fig.update_layout(uniformtext=dict(mode=False), showlegend=False, bargap=0)
    note = f"括号内为占{share_of}的比重" if share_base_yuan and share_of else None
    return _finish(fig, ctx, subject, int(cursor), note=note)


@shared
def func_treemap(
    tree: pd.DataFrame,
    ctx: ChartContext,
    *,
    measure: str = "total",
    focus: str | None = None,
    subject: str = "支出功能分类构成",
    total_yuan: float | None = None,
) -> go.Figure:
    """类→款→项 treemap; focus opens it at one 科目 with the path bar as the way back up.

    Tile areas come from the leaves so a parent is never smaller than its children (the printed 万元 figures can
    differ by a cent after rounding); the labels show the printed amounts.
    """
    col = func_tree.measure_column(measure)
    nodes = tree[tree[col].fillna(0) > 0]
    leaf_rows = nodes[nodes["is_leaf"]]
    area: dict[str, float] = {}
    parents = dict(zip(nodes["code"], nodes["parent"], strict=False))
    for code, value in zip(leaf_rows["code"], leaf_rows[col], strict=False):
        node = code
        while True:
            area[node] = area.get(node, 0.0) + float(value)
            if node == func_tree.ROOT:
                break
            node = parents.get(node, func_tree.ROOT)
    kept = nodes[nodes["code"].isin(area)]
    root_total = total_yuan if total_yuan is not None else area.get(func_tree.ROOT, 0.0)
    ids = [func_tree.ROOT, *kept["code"]]
    names = [f"{'支出' if measure == 'total' else ''}{_MEASURE_ROOT[measure]}", *kept["name"]]
    printed = [to_wan(root_total) or 0.0, *_wan_list(kept[col])]
    codes = ["", *kept["code"]]
    fig = go.Figure(
        go.Treemap(
            ids=ids,
            labels=names,
            parents=["", *kept["parent"]],
            values=[area.get(i, 0.0) for i in ids],
            branchvalues="total",
            level=focus if focus in area else None,
            customdata=list(zip(printed, codes, strict=True)),
            texttemplate="<b>%{label}</b><br>%{customdata[0]:" + AMOUNT + "}",
            hovertemplate="%{customdata[1]} %{label}<br>%{customdata[0]:" + AMOUNT
            + "}万元<br>占上级 %{percentParent:.2%}<extra></extra>",
            textfont=dict(size=14),
            pathbar=dict(visible=True, side="top", textfont=dict(size=13)),
            tiling=dict(pad=2),
            marker=dict(line=dict(width=1, color="white")),
            root=dict(color="#f3f4f6"),
            sort=True,
            maxdepth=3,
        )
    )
    # label threshold: a tile too small for an 11px label shows none (the table below lists every 科目)
    fig.update_layout(treemapcolorway=PALETTE, uniformtext=dict(minsize=11, mode="hide"))
    return _finish(fig, ctx, subject, 480)


_MEASURE_ROOT = {"total": "合计", "basic": "基本支出合计", "project": "项目支出合计"}


@shared
def nature_bar(tree: pd.DataFrame, ctx: ChartContext, subject: str = "基本支出与项目支出（按类）") -> go.Figure:
    """Stacked 基本/项目 per 类 with the total at the end of each bar: where running costs end and projects begin."""
    classes = tree[tree["level"] == 1].copy()
    classes["sort"] = classes["total_yuan"].fillna(classes["basic_yuan"].fillna(0) + classes["project_yuan"].fillna(0))
    classes = classes.sort_values("sort", ascending=False)
    labels = [wrap_label(n, 12) for n in classes["name"]]
    fig = go.Figure()
    for col, name, color in (("basic_yuan", "基本支出", "#2e75b6"), ("project_yuan", "项目支出", "#c55a11")):
        values = _wan_list(classes[col])
        fig.add_trace(
            go.Bar(
                name=name, x=values, y=labels, orientation="h", marker_color=color,
                text=[f"{v:,.2f}" if v else "" for v in values], textposition="inside", insidetextanchor="middle",
                textangle=0, textfont=dict(color="white"), hovertemplate=name + " %{x:" + AMOUNT + "}万元<extra></extra>",
            )
        )
    totals = _wan_list(classes["sort"])
    fig.add_trace(
        go.Scatter(
            # the template's leading en space keeps the total off the bar's end
            x=totals, y=labels, mode="text", text=[f"{v:,.2f}" for v in totals], texttemplate="\u2002%{text}",
            textposition="middle right",
            showlegend=False, hoverinfo="skip", cliponaxis=False,
        )
    )
    fig.update_layout(barmode="stack", legend=dict(traceorder="normal"))
    fig.update_xaxes(showticklabels=False, range=[0, max(totals, default=1) * 1.2])
    fig.update_yaxes(autorange="reversed")
    return _finish(fig, ctx, subject, max(120, 20 + 40 * len(classes)), legend=True)


@shared
def econ_bar(items: pd.DataFrame, ctx: ChartContext, subject: str = "基本支出经济分类") -> go.Figure:
    """Items of 人员经费/公用经费 as bars coloured by their 类 (工资福利支出, 商品和服务支出, …), largest first.

    items: columns group, name, amount_yuan, kind (人员经费/公用经费), in display order.
    """
    fig = go.Figure()
    order = [wrap_label(n, 12) for n in items["name"]]
    for i, (group, rows) in enumerate(items.groupby("group", sort=False)):
        values = _wan_list(rows["amount_yuan"])
        kinds = rows["kind"].fillna("")
        fig.add_trace(
            go.Bar(
                name=str(group), x=values, y=[wrap_label(n, 12) for n in rows["name"]], orientation="h",
                marker_color=PALETTE[i % len(PALETTE)], text=[f"{v:,.2f}" for v in values], textposition="outside",
                cliponaxis=False, customdata=list(kinds),
                hovertemplate="%{y}（%{customdata}）<br>%{x:" + AMOUNT + "}万元<extra></extra>",
            )
        )
    values = _wan_list(items["amount_yuan"])
    fig.update_xaxes(showticklabels=False, range=[0, max(values, default=1) * 1.18])
    fig.update_yaxes(autorange="reversed", categoryorder="array", categoryarray=order)
    fig.update_layout(bargap=0.25, uniformtext=dict(mode=False))
    return _finish(fig, ctx, subject, max(160, 20 + 26 * len(items)), legend=True)


INCREASE_COLOR = "#c55a11"
DECREASE_COLOR = "#2e75b6"


@shared
def yoy_waterfall(
    labels: Sequence[str],
    changes_yuan: Sequence[float],
    start_yuan: float,
    end_yuan: float,
    ctx: ChartContext,
    subject: str,
    *,
    start_label: str,
    end_label: str,
) -> go.Figure:
    """Last year's total, each 科目's increase (orange) or decrease (blue), this year's total, top to bottom.

    Changes are usually a few percent of the total, so when bars would be slivers the axis starts near the
    smallest running total instead of 0 — and the title says so, because the two total bars are then cut short.
    """
    start, end = to_wan(start_yuan) or 0.0, to_wan(end_yuan) or 0.0
    steps = _wan_list(changes_yuan)
    names = [wrap_label(n, 16, max_lines=2) for n in (start_label, *labels, end_label)]
    running = [start]
    for step in steps:
        running.append(running[-1] + step)
    lo, hi = min(running + [end]), max(running + [end])
    span = max(hi - lo, abs(hi) * 0.02, 0.01)
    cut = lo > 0 and span < 0.5 * hi
    note = "橙色为增加，蓝色为减少" + ("；两端总额条在≈处截断，以便看清增减" if cut else "")
    fig = go.Figure(
        go.Waterfall(
            orientation="h", y=names, x=[start, *steps, end],
            measure=["absolute", *["relative"] * len(steps), "total"],
            text=[f"{start:,.2f}", *[f"{s:+,.2f}" for s in steps], f"{end:,.2f}"],
            textposition=["inside", *["outside"] * len(steps), "inside"], insidetextanchor="end",
            textfont=dict(size=13), insidetextfont=dict(color="white"), cliponaxis=False,
            increasing=dict(marker=dict(color=INCREASE_COLOR)), decreasing=dict(marker=dict(color=DECREASE_COLOR)),
            totals=dict(marker=dict(color=BAR_COLOR)),
            connector=dict(line=dict(color="#b0b0b0", width=1, dash="dot")),
            hovertemplate="%{y}<br>%{text}万元<extra></extra>",
        )
    )
    x_range = [lo - 0.45 * span, hi + 0.3 * span] if cut else [min(0.0, lo) * 1.25, max(hi, 0.0) * 1.2 or 1.0]
    if cut:  # a break mark on the two shortened total bars, so nobody reads their length as their size
        for name in (names[0], names[-1]):
            fig.add_annotation(x=x_range[0] + 0.04 * (x_range[1] - x_range[0]), y=name, xref="x", yref="y",
                               text="≈", showarrow=False, font=dict(color="white", size=22))
    fig.update_xaxes(showticklabels=False, range=x_range, fixedrange=True)
    fig.update_yaxes(autorange="reversed", type="category", fixedrange=True)
    fig.update_layout(showlegend=False, uniformtext=dict(mode=False))
    return _finish(fig, ctx, subject, max(160, 44 * len(names)), note=note)


@shared
def trend_lines(history: pd.DataFrame, ctx: ChartContext, subject: str) -> go.Figure:
    """Each 类 across the loaded years; the latest amount printed at the end of its line.

    history: columns year, name, amount_yuan (one row per 类 and year).
    """
    years = sorted(int(y) for y in history["year"].unique())
    x_labels = [f"{y}年" for y in years]
    fig = go.Figure()
    latest = history[history["year"] == years[-1]].sort_values("amount_yuan", ascending=False) if years else history
    top = max(_wan_list(history["amount_yuan"]), default=0.0) or 1.0
    labelled: list[float] = []
    for i, name in enumerate(latest["name"]):
        rows = history[history["name"] == name].sort_values("year")
        values = _wan_list(rows["amount_yuan"])
        # end labels only where they don't pile onto a bigger line's label (hover still shows every value)
        show = all(abs(values[-1] - v) >= 0.05 * top for v in labelled)
        if show:
            labelled.append(values[-1])
        fig.add_trace(
            go.Scatter(
                x=[f"{int(y)}年" for y in rows["year"]], y=values, name=str(name), mode="lines+markers+text",
                line=dict(color=PALETTE[i % len(PALETTE)], width=2.5), marker=dict(size=8),
                text=[""] * (len(values) - 1) + [f"{values[-1]:,.2f}" if show else ""], textposition="middle right",
                textfont=dict(size=12), cliponaxis=False,
                hovertemplate=plain(str(name)) + "<br>%{x}：%{y:" + AMOUNT + "}万元<extra></extra>",
            )
        )
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=x_labels, showline=True,
                     linecolor="#cccccc", range=[-0.15, len(years) - 1 + 0.35], fixedrange=True)
    fig.update_yaxes(tickformat=",.0f", showgrid=True, gridcolor="#eeeeee", rangemode="tozero", fixedrange=True)
    fig.update_layout(legend=dict(traceorder="normal"), uniformtext=dict(mode=False))
    legend_rows = 1 + len(latest) // 4
    return _room_for_ticks(_finish(fig, ctx, subject, 340 + 22 * (legend_rows - 1), legend=True))


@shared
def share_stack(
    units: Sequence[str], parts: dict[str, Sequence[float | None]], ctx: ChartContext, subject: str, *, of: str
) -> go.Figure:
    """One 100% bar per unit split into parts (基本/项目, 人员/公用): units of any size compare by structure."""
    labels = [wrap_label(u, 14, max_lines=2) for u in units]
    totals = [sum(float(v or 0) for v in values) for values in zip(*parts.values(), strict=True)]
    fig = go.Figure()
    colors = [BAR_COLOR, INCREASE_COLOR, *PALETTE[2:]]
    for i, (name, values) in enumerate(parts.items()):
        shares = [share(float(v or 0), t) or 0.0 for v, t in zip(values, totals, strict=True)]
        amounts = _wan_list([float(v or 0) for v in values])
        fig.add_trace(
            go.Bar(
                name=name, x=shares, y=labels, orientation="h", marker_color=colors[i % len(colors)],
                text=[pct(s) if s else "" for s in shares], textposition="inside", insidetextanchor="middle",
                textangle=0, textfont=dict(color="white", size=13), customdata=amounts,
                hovertemplate=name + " %{x:.2f}%<br>%{customdata:" + AMOUNT + "}万元<extra></extra>",
            )
        )
    fig.update_layout(barmode="stack", legend=dict(traceorder="normal"), uniformtext=dict(minsize=11, mode="hide"))
    fig.update_xaxes(range=[0, 100], ticksuffix="%", showticklabels=True, fixedrange=True)
    fig.update_yaxes(autorange="reversed", fixedrange=True)
    return _room_for_ticks(
        _finish(fig, ctx, subject, max(120, 20 + 52 * len(units)), legend=True, note=f"条内为占{of}的比重"))


@shared
def grouped_bar(units: Sequence[str], series: dict[str, Sequence[float | None]], ctx: ChartContext,
                subject: str) -> go.Figure:
    """Several amounts per unit side by side (“三公”经费, 机关运行经费), each bar labelled in 万元."""
    labels = [wrap_label(u, 14, max_lines=2) for u in units]
    fig = go.Figure()
    top = 0.0
    for i, (name, values) in enumerate(series.items()):
        amounts = [to_wan(v) for v in values]
        shown = [a or 0.0 for a in amounts]
        top = max([top, *shown])
        fig.add_trace(
            go.Bar(
                name=name, x=shown, y=labels, orientation="h", marker_color=PALETTE[i % len(PALETTE)],
                text=["未列示" if a is None else f"{a:,.2f}" for a in amounts], textposition="outside",
                textfont=dict(size=13), cliponaxis=False,
                hovertemplate=name + " %{x:" + AMOUNT + "}万元<extra></extra>",
            )
        )
    fig.update_xaxes(showticklabels=False, range=[0, (top or 1) * 1.25], fixedrange=True)
    fig.update_yaxes(autorange="reversed", fixedrange=True)
    fig.update_layout(barmode="group", bargap=0.3, legend=dict(traceorder="normal"), uniformtext=dict(mode=False))
    return _finish(fig, ctx, subject, max(140, 20 + 34 * len(units) * len(series)), legend=True)


def _room_for_ticks(fig: go.Figure, px: int = 26) -> go.Figure:
    """_finish leaves room for the source note only; a chart with x tick labels needs a line more, or the note
    would be printed over the ticks."""
    fig.update_layout(height=fig.layout.height + px, margin=dict(b=fig.layout.margin.b + px))
    for note in fig.layout.annotations:
        if note.yref == "paper" and note.y == 0:
            note.yshift = (note.yshift or 0) - px
    return fig


@shared
def execution_bar(labels: Sequence[str], budget_yuan: Sequence[float | None], actual_yuan: Sequence[float | None],
                  ctx: ChartContext, subject: str, *, budget_name: str = "年初预算") -> go.Figure:
    """预算 against 决算 per 科目, side by side, each pair labelled with its completion % (决算 ÷ 预算): the rows
    come in the order given (the page sorts them by how far they missed their budget)."""
    names = [wrap_label(x, 16, max_lines=2) for x in labels]
    budget = [to_wan(v) for v in budget_yuan]
    actual = [to_wan(v) for v in actual_yuan]
    fig = go.Figure()
    for i, (name, values) in enumerate(((budget_name, budget), ("支出决算", actual))):
        texts = []
        for b, a in zip(budget, actual, strict=True):
            value = b if i == 0 else a
            text = "未列示" if value is None else f"{value:,.2f}"
            if i == 1 and a is not None and b:
                text += f"（{pct(share(a, b))}）"
            texts.append(text)
        fig.add_trace(go.Bar(
            name=name, x=[v or 0.0 for v in values], y=names, orientation="h", marker_color=PALETTE[i],
            text=texts, textposition="outside", textfont=dict(size=13), cliponaxis=False,
            hovertemplate=name + " %{x:" + AMOUNT + "}万元<extra></extra>",
        ))
    top = max([v or 0.0 for v in budget + actual], default=0.0)
    fig.update_xaxes(showticklabels=False, range=[0, (top or 1) * 1.35], fixedrange=True)
    fig.update_yaxes(autorange="reversed", fixedrange=True)
    fig.update_layout(barmode="group", bargap=0.3, legend=dict(traceorder="normal"), uniformtext=dict(mode=False))
    return _finish(fig, ctx, subject, max(140, 20 + 30 * len(names) * 2), legend=True,
                   note="括号内为完成预算的比例")
