"""支出构成: where the money goes by 功能分类 (类→款→项) and by 经济分类, plus “三公”经费."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, func_tree, notices, provenance, queries, state, tables, ui
from dashboard.fmt import wan
from dashboard.labels import amount_label, amount_word, table_kind

SCOPES = {"全部资金": "expenditure", "一般公共预算": "gp_expenditure"}
NATURES = {"合计": "total", "基本支出": "basic", "项目支出": "project"}

sel = state.require_selection()
ui.header(sel, "支出构成")
notices.unread_notice(sel.doc_id, ("expenditure", "gp_expenditure", "gp_basic_econ", "three_public", "operating_cost"),
                     unverified=False)  # said beside each figure below
ui.briefing_buttons(sel, "composition")
report = queries.report_tables(sel.doc_id)


def table_is_empty(kind: str) -> bool:
    """True when the report prints the table with 本表无数据."""
    rows = report[report["table_kind"] == kind]
    return not rows.empty and not rows["has_data"].fillna(False).any()


def set_focus(code: str | None) -> None:
    state.set_page_param("focus", code)


def drill_down() -> None:
    set_focus(st.session_state.get("drill") or None)


st.subheader("按功能分类")
st.caption(f"金额为报告所列{amount_label(sel.doc_type)}，单位万元。")
controls = st.columns([2, 3])
scope_label = controls[0].radio("资金范围", list(SCOPES), horizontal=True, key="scope")
nature_label = controls[1].radio("支出性质", list(NATURES), horizontal=True, key="nature")
kind, measure = SCOPES[scope_label], NATURES[nature_label]
tree = func_tree.of_report(sel.doc_id, kind)
notices.unverified_notice(sel.doc_id, (kind,))

if table_is_empty(kind):
    ui.empty(f"报告中的{table_kind(kind)}注明“本表无数据”。")
elif tree.empty:
    ui.empty(f"报告中没有{table_kind(kind)}，或该表没有按功能分类列示的金额。")
elif tree[func_tree.measure_column(measure)].fillna(0).sum() == 0:
    ui.empty(f"{scope_label}中没有{nature_label}。")
else:
    focus = state.page_param("focus")
    focus = focus if focus in set(tree["code"]) else None
    crumbs = st.container(horizontal=True, vertical_alignment="center")
    crumbs.button("全部科目", key="crumb_root", type="tertiary", on_click=set_focus, args=(None,),
                  icon=":material/home:", disabled=focus is None)
    for code, name in func_tree.ancestors(tree, focus):
        crumbs.button(f"› {code} {name}", key=f"crumb_{code}", type="tertiary", on_click=set_focus, args=(code,),
                      disabled=code == focus)
    column = func_tree.measure_column(measure)
    kids = func_tree.children(tree, focus or func_tree.ROOT)
    kids = kids[kids[column].fillna(0) > 0]
    if not kids.empty:
        labels = dict(zip(kids["code"], kids["name"], strict=False))
        st.session_state["drill"] = ""
        st.selectbox("展开下一级科目", ["", *labels], key="drill", on_change=drill_down,
                     format_func=lambda c: "请选择要展开的科目…" if not c else f"{c} {labels[c]}")

    ctx = provenance.context(sel, [kind])
    scope_prefix = "" if kind == "expenditure" else "一般公共预算"
    nature_word = "支出" if measure == "total" else nature_label
    left, right = st.columns([3, 2], gap="large")
    with left:
        fig = charts.func_treemap(tree, ctx, measure=measure, focus=focus,
                                  subject=f"{scope_prefix}{nature_word}功能分类构成")
        ui.chart(fig, sel, key="treemap")
        st.caption("点击色块可逐级展开，点击上方路径可返回上一级；下载的图片为当前选定科目的视图。")
    with right:
        items = func_tree.leaves(tree, measure, under=focus)
        focus_name = dict(func_tree.ancestors(tree, focus)).get(focus, "") if focus else ""
        subject = f"{focus_name}各项{nature_word}" if focus_name else f"{scope_prefix}各项{nature_word}排序"
        ui.chart(charts.ranked_bar(items["label"], items[column], ctx, subject), sel, key="items_bar")

    if measure == "total" and tree[["basic_yuan", "project_yuan"]].fillna(0).sum().sum() > 0:
        ui.chart(charts.nature_bar(tree, ctx, f"{scope_prefix}基本支出与项目支出（按类）"), sel, key="nature_bar")

    with st.expander("全部科目明细", expanded=False):
        ui.table(tables.func_table(tree), sel, key="func_table", subject=f"{table_kind(kind)}功能分类明细",
                 source=ctx.source)

st.subheader("按经济分类（一般公共预算基本支出）")
notices.unverified_notice(sel.doc_id, ("gp_basic_econ",))
econ_lines = queries.econ_lines(sel.doc_id)
items = tables.econ_items_of(sel.doc_id)
if table_is_empty("gp_basic_econ"):
    ui.empty("报告中的基本支出经济分类表注明“本表无数据”。")
elif items.empty:
    ui.empty("报告中没有基本支出经济分类表。")
else:
    total, personnel, public = tables.econ_split(econ_lines)
    parts = st.columns(3)
    with parts[0]:
        ui.kpi("基本支出（万元）", wan(total if total is not None else items["amount_yuan"].sum()))
    with parts[1]:
        ui.kpi("人员经费（万元）", wan(personnel))
    with parts[2]:
        ui.kpi("公用经费（万元）", wan(public))
    ctx = provenance.context(sel, ["gp_basic_econ"])
    ui.chart(charts.econ_bar(items, ctx, "一般公共预算基本支出经济分类"), sel, key="econ_bar")
    with st.expander("经济分类明细"):
        ui.table(tables.econ_table(items), sel, key="econ_table", subject="基本支出经济分类明细", source=ctx.source)

st.subheader("“三公”经费和机关运行经费")
three = queries.three_public(sel.doc_id)
cols = st.columns(2, gap="large")
for column, kind, empty_text in (
    (cols[0], "three_public", f"本单位无“三公”经费{amount_word(sel.doc_type)}（报告中该表注明“本表无数据”）。"),
    (cols[1], "operating_cost", "报告中的机关运行经费表注明“本表无数据”。"),
):
    with column:
        st.markdown(f"**{table_kind(kind)}**")
        notices.unverified_notice(sel.doc_id, (kind,))
        rows = three[three["table_kind"] == kind] if not three.empty else three
        if table_is_empty(kind) or rows.empty:
            ui.empty(empty_text if table_is_empty(kind) else f"报告中没有{table_kind(kind)}的数据。")
        else:
            ui.table(tables.three_public_table(rows), sel, key=f"t_{kind}", subject=table_kind(kind),
                     source=provenance.context(sel, [kind]).source)
