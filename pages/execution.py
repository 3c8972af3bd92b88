"""预算执行: how a 决算's 一般公共预算 was executed against its budget — by 科目, with the report's own reasons."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import charts, execution, notices, provenance, queries, state, ui
from dashboard.fmt import md_escape, pct, share, to_wan, wan

sel = state.require_selection()
ui.header(sel, "预算执行")

if "决算" not in (sel.doc_type or ""):
    finals = queries.final_of(sel.unit_name, sel.fiscal_year) if sel.fiscal_year else pd.DataFrame()
    if finals is not None and not finals.empty:
        ui.empty(f"本页读决算报告。{sel.unit_name}{sel.fiscal_year}年已导入{finals['doc_type'].iloc[0]}，"
                 "请在左侧“报告类型”中选择它。")
    else:
        ui.empty("本页读决算报告（部门决算/单位决算），对照预算看执行情况。当前所选是预算报告，"
                 "该单位该年度尚未导入决算。")
    st.stop()

notices.unread_notice(sel.doc_id, ("gp_expenditure", "three_public"))
ex = execution.of_report(sel.doc_id)
rows, total, reasons = ex.rows, ex.total, ex.reasons
if rows.empty:
    ui.empty("报告中没有可读的一般公共预算财政拨款支出决算表，无法对照预算。")
    st.stop()
ui.briefing_buttons(sel, "execution")

source_kinds = ["gp_expenditure"]
ctx = provenance.context(sel, source_kinds)
sources = ex.sources
source_text = "、".join(sources) if sources else "报告未列预算数"

st.subheader("总体执行情况")
word = ex.total_word  # 全年预算 where the 决算 prints it, else 年初预算; each figure under it is that budget
cols = st.columns(5)
with cols[0]:
    ui.kpi(f"{word}（万元）", wan(None if total is None else total["budget_yuan"]),
           help=f"预算来源：{total['budget_source']}，第{total['budget_page']}页" if total is not None
           and total["budget_source"] else "报告未列一般公共预算财政拨款支出的预算数")
with cols[1]:
    ui.kpi("支出决算（万元）", wan(None if total is None else total["actual_yuan"]),
           help="一般公共预算财政拨款支出决算表合计")
with cols[2]:
    ui.kpi(f"完成{word}", pct(None if total is None else total["completion_pct"]),
           delta=None if total is None else wan(total["difference_yuan"], suffix=True),
           description="决算减预算" if total is not None and pd.notna(total["difference_yuan"]) else None)
lines = queries.func_lines(sel.doc_id, "gp_expenditure")
basic = lines[(lines["code"].isna()) & (lines["measure"] == "basic")]["amount_yuan"].sum()
project = lines[(lines["code"].isna()) & (lines["measure"] == "project")]["amount_yuan"].sum()
with cols[3]:
    ui.kpi("其中基本支出（万元）", wan(basic), delta=pct(share(basic, basic + project)), description="占支出决算")
with cols[4]:
    ui.kpi("其中项目支出（万元）", wan(project), delta=pct(share(project, basic + project)), description="占支出决算")
st.caption(md_escape(f"预算数来源：{source_text}。决算列有全年预算（调整预算数/全年预算数）的，以全年预算对照——"
                     "年内新设或追加经费的单位，年初预算可能为0；否则同一年度的预算报告导入后以预算报告（年初预算）为准，"
                     "未导入时用决算所列的年初预算数。“决算报告所列”指说明中未写明年初或全年的预算数。"))

items = ex.items
st.subheader("各科目执行情况")
if items.empty:
    ui.empty("报告没有按科目列出预算数，无法逐项对照。")
else:
    ui.chart(execution.chart(ex, ctx), sel, key="execution_bar")
    under, over = ex.under, ex.over
    left, right = st.columns(2)
    for column, frame, head in ((left, under, "决算低于预算最多"), (right, over, "决算超过预算最多")):
        with column:
            st.markdown(f"**{head}**")
            if frame.empty:
                st.caption("无")
            for _, r in frame.iterrows():
                why = execution.reason(r)
                budget = execution.budget_word([r["budget_source"]])
                st.markdown(md_escape(f"{r['code']} {r['name']}：{budget}{wan(r['budget_yuan'])}万元，决算"
                                      f"{wan(r['actual_yuan'])}万元（{pct(r['completion_pct'])}）。原因：{why}"))

table = pd.DataFrame({
    "科目编码": rows["code"].fillna(""),
    "科目名称": rows["name"].fillna("合计"),
    f"{ex.rows_word}（万元）": [to_wan(v) for v in rows["budget_yuan"]],
    "支出决算（万元）": [to_wan(v) for v in rows["actual_yuan"]],
    "差额（万元）": [to_wan(v) for v in rows["difference_yuan"]],
    "完成预算（%）": rows["completion_pct"],
    "预算来源": rows["budget_source"].fillna("未列示"),
    "预算页码": rows["budget_page"],
    "决算页码": rows["actual_page"],
})
table = table.merge(reasons.rename(columns={"code": "科目编码", "reason": "报告所述原因"})[["科目编码", "报告所述原因"]],
                    on="科目编码", how="left")
st.subheader("预算执行明细")
ui.table(table, sel, key="execution_table", subject="一般公共预算预算执行明细", source=ctx.source)

tp = queries.three_public(sel.doc_id)
tp = tp[(tp["table_kind"] == "three_public") & tp["measure"].isin(["budget", "actual"])]
st.subheader("“三公”经费预算与决算")
if tp.empty:
    ui.empty("报告的“三公”经费表未列预算数与决算数。")
else:
    order = ["合计", "因公出国（境）费", "公务用车购置及运行费", "公务用车购置费", "公务用车运行维护费", "公务接待费"]
    present = [i for i in order if i in set(tp["item"])]
    cell = {(i, m): v for i, m, v in zip(tp["item"], tp["measure"], tp["amount_yuan"], strict=True)}
    if not any(m == "actual" for _, m in cell):
        st.caption("决算数各栏均为空白：报告未列“三公”经费支出。")
    fig = charts.grouped_bar(present, {"预算数": [cell.get((i, "budget")) for i in present],
                                       "决算数": [cell.get((i, "actual")) for i in present]},
                             provenance.context(sel, ["three_public"]), "“三公”经费预算与决算")
    ui.chart(fig, sel, key="three_public_bar")

balances = queries.final_balances(sel.doc_id)
st.subheader("结转和结余")
if balances.empty:
    ui.empty("报告的收入支出决算总表未列年初、年末结转和结余。")
else:
    cols = st.columns(max(len(balances), 1))
    for col, (_, b) in zip(cols, balances.iterrows(), strict=False):
        with col:
            where = "收入支出决算总表" if b["table_kind"] == "final_summary" else "财政拨款收入支出决算总表"
            ui.kpi(f"{b['item']}（万元）", wan(b["amount_yuan"]), help=f"{where}，第{b['page']}页")
