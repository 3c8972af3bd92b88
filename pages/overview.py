"""总览: the headline figures, an auto-written briefing paragraph, and the biggest 科目 and projects."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import charts, func_tree, kpis, notices, provenance, queries, state, tables, ui
from dashboard.fmt import md_escape, pct, share, signed_change, wan
from dashboard.labels import amount_label
from dashboard.summary import briefing, final_briefing

sel = state.require_selection()
ui.header(sel, "总览")
notices.unread_notice(sel.doc_id, ("summary", "revenue", "expenditure", "fiscal_summary", "gp_expenditure", "projects", "projects_carryover"))

figures = kpis.load(sel.doc_id)
tree = func_tree.of_report(sel.doc_id, "expenditure")
top_items = func_tree.leaves(tree).head(3)
project_rows = queries.projects(sel.doc_id)
check_rows = queries.checks(sel.doc_id)

st.subheader("情况摘要")
if "决算" in (sel.doc_type or ""):
    execution = queries.budget_vs_actual(sel.doc_id)
    paragraph = final_briefing(
        sel.unit_name,
        sel.fiscal_year,
        [tuple(None if pd.isna(x) else x for x in r) for r in execution[
            ["code", "name", "budget_yuan", "actual_yuan", "completion_pct", "budget_source"]].itertuples(index=False)],
        figures.basic,
        figures.project,
        len(check_rows),
        int((check_rows["passed"] == False).sum()),  # noqa: E712 — pandas element-wise comparison
    )
else:
    paragraph = briefing(
        sel.unit_name,
        sel.fiscal_year,
        figures,
        list(zip(top_items["label"], top_items["total_yuan"], strict=False)),
        (project_rows["name"].iloc[0], project_rows["total_yuan"].iloc[0]) if not project_rows.empty else None,
        len(check_rows),
        int((check_rows["passed"] == False).sum()),  # noqa: E712 — pandas element-wise comparison
    )
with st.container(border=True):
    st.markdown(md_escape(paragraph) if paragraph else "报告中没有可供摘要的收支数据。")
ui.briefing_buttons(sel, "overview")

st.subheader("主要指标")
st.caption(f"金额为报告所列{amount_label(sel.doc_type)}，单位万元。")
change = signed_change(figures.change_yuan, figures.change_pct)
change_help = f"上年比较来源：{figures.change_source}" if figures.change_source else "报告未说明与上年的比较"
row1 = st.columns(4)
with row1[0]:
    ui.kpi("收入总计（万元）", wan(figures.revenue_total), delta=change, description="同比" if change else None,
           arrow=True, help=change_help)
with row1[1]:
    ui.kpi("支出总计（万元）", wan(figures.expenditure_total), delta=change,
           description="同比" if change else None, arrow=True, help=change_help)
with row1[2]:
    ui.kpi("本年收入（万元）", wan(figures.current_revenue),
           delta=pct(share(figures.current_revenue, figures.revenue_total)), description="占收入总计")
with row1[3]:
    if figures.carryover is None:
        ui.kpi("上年结转（万元）", "—", description="报告未列上年结转")
    else:
        ui.kpi("上年结转（万元）", wan(figures.carryover), delta=pct(figures.carryover_share), description="占收入总计")
row2 = st.columns(4)
with row2[0]:
    ui.kpi("基本支出（万元）", wan(figures.basic), delta=pct(figures.basic_share), description="占支出总计",
           help="保障机构正常运转的人员经费和公用经费")
with row2[1]:
    ui.kpi("项目支出（万元）", wan(figures.project), delta=pct(figures.project_share), description="占支出总计",
           help="为完成特定工作任务安排的支出")
with row2[2]:
    ui.kpi("财政拨款占收入总计", pct(figures.fiscal_share), delta=wan(figures.fiscal, suffix=True),
           description="本年财政拨款", help="本年一般公共预算、政府性基金预算、国有资本经营预算拨款合计占收入总计的比重")
with row2[3]:
    if project_rows.empty:
        ui.kpi("项目个数", "—", description="报告未列项目")
    elif tables.listed_from_forms(project_rows):
        ui.kpi("项目个数", f"{len(project_rows)}个", description="编报绩效目标的项目")
    else:
        carried = int(project_rows["carryover"].fillna(False).sum())
        ui.kpi("项目个数", f"{len(project_rows)}个", delta=f"{carried}个", description="其中上年结转")

st.subheader("支出最多的科目")
leaves = func_tree.leaves(tree)
if leaves.empty:
    ui.empty("报告中没有按功能分类列示的支出明细。")
else:
    fig = charts.ranked_bar(
        leaves["label"].head(10), leaves["total_yuan"].head(10),
        provenance.context(sel, ["expenditure"]), "支出最多的科目（项）",
        share_base_yuan=figures.expenditure_total, share_of="支出总计",
    )
    ui.chart(fig, sel, key="top_items")

st.subheader("金额最大的项目")
if project_rows.empty:
    ui.empty("本单位本年度报告中没有项目支出明细。")
else:
    fig = charts.ranked_bar(
        project_rows["name"].head(10), project_rows["total_yuan"].head(10),
        provenance.context(sel, tables.project_source_kinds(project_rows)), "金额最大的项目",
        share_base_yuan=figures.project, share_of="项目支出",
    )
    ui.chart(fig, sel, key="top_projects")

with st.expander("报告包含的表"):
    report = queries.report_tables(sel.doc_id)
    if report.empty:
        ui.empty("数据库中没有记录本报告的表格目录。")
    else:
        ui.table(tables.report_tables_table(report), sel, key="report_tables", subject="报告表格目录")
