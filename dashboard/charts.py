"""The one chart module: the house Plotly style and every figure the dashboard draws.

Each builder takes plain data plus a ChartContext and returns a complete go.Figure — title with unit, year and
单位：万元, a source note under the plot, amounts in 万元 with thousands separators — so the figure on screen and
the PNG pasted into a briefing are the same object rendered twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

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
_ROW_PX = 30

pio.templates[TEMPLATE] = go.layout.Template(
    layout=dict(
        font=dict(family=FONT_FAMILY, size=13, color="#1f2328"),
        title=dict(x=0.01, xanchor="left", y=0.98, yanchor="top", font=dict(size=18, color="#111111")),
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


@dataclass(frozen=True)
class ChartContext:
    """Who and when a chart is about, and where its numbers were printed."""

    unit: str
    year: int | None
    source: str

    def title(self, subject: str) -> str:
        """Unit and year first, as briefing figures are captioned; 单位：万元 on its own smaller line."""
        year = f"{self.year}年" if self.year else ""
        head = f"{self.unit}{year}{subject}"
        if len(head) > 26:
            head = f"{self.unit}{year}<br>{subject}"
        return f"{head}<br><span style='font-size:13px;color:#555555'>单位：万元</span>"


def _finish(fig: go.Figure, ctx: ChartContext, subject: str, height: int) -> go.Figure:
    """Apply the house template, title, source note and margins shared by every figure."""
    title = ctx.title(subject)
    top = 40 + 26 * title.count("<br>") + 26
    fig.update_layout(
        template=TEMPLATE,
        title=dict(text=title),
        height=height,
        margin=dict(l=12, r=24, t=top + 20, b=56),
        meta=dict(subject=subject),
    )
    fig.add_annotation(
        text=ctx.source, showarrow=False, xref="paper", yref="paper", x=0, y=0, xanchor="left", yanchor="top",
        yshift=-24, align="left", font=dict(size=11, color="#666666"),
    )
    return fig


def _wan_list(values: Sequence[float | None]) -> list[float]:
    return [to_wan(v) or 0.0 for v in values]


def ranked_bar(
    labels: Sequence[str],
    amounts_yuan: Sequence[float],
    ctx: ChartContext,
    subject: str,
    *,
    share_base_yuan: float | None = None,
    share_label: str = "",
    top_n: int = BAR_TOP_N,
) -> go.Figure:
    """Horizontal bars, largest on top, each labelled with its amount (and share when a base is given).

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
            text += f"（{share_label}{pct(share(yuan, share_base_yuan))}）"
        texts.append(text)
    fig = go.Figure(
        go.Bar(
            x=wan_values,
            y=[wrap_label(label) for label in data["label"]],
            orientation="h",
            marker_color=BAR_COLOR,
            text=texts,
            textposition="outside",
            cliponaxis=False,
            customdata=list(data["label"]),
            hovertemplate="%{customdata}<br>%{x:" + AMOUNT + "}万元<extra></extra>",
        )
    )
    longest = max((len(t) for t in texts), default=0)
    fig.update_xaxes(showticklabels=False, range=[0, max(wan_values, default=1) * (1.12 + 0.012 * longest)])
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(uniformtext=dict(mode=False))
    lines = sum(label.count("<br>") + 1 for label in fig.data[0].y)
    height = max(300, 150 + _ROW_PX * len(data) + 14 * (lines - len(data)))
    return _finish(fig, ctx, subject, height)


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
        )
    )
    fig.update_layout(treemapcolorway=PALETTE)
    return _finish(fig, ctx, subject, 560)


_MEASURE_ROOT = {"total": "合计", "basic": "基本支出合计", "project": "项目支出合计"}


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
                textfont=dict(color="white"), hovertemplate=name + " %{x:" + AMOUNT + "}万元<extra></extra>",
            )
        )
    totals = _wan_list(classes["sort"])
    fig.add_trace(
        go.Scatter(
            x=totals, y=labels, mode="text", text=[f"{v:,.2f}" for v in totals], textposition="middle right",
            showlegend=False, hoverinfo="skip", cliponaxis=False,
        )
    )
    fig.update_layout(barmode="stack", legend=dict(y=1.0))
    fig.update_xaxes(showticklabels=False, range=[0, max(totals, default=1) * 1.2])
    fig.update_yaxes(autorange="reversed")
    return _finish(fig, ctx, subject, max(280, 170 + 40 * len(classes)))


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
    return _finish(fig, ctx, subject, max(320, 170 + 26 * len(items)))
