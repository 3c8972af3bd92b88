"""数据核对: does the report add up? One finding per real problem, with both figures and every place it shows up."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import findings, notices, provenance, queries, state, tables, ui
from dashboard.fmt import md_escape

sel = state.require_selection()
ui.header(sel, "数据核对")
notices.unread_notice(sel.doc_id)

checks = queries.checks(sel.doc_id)
if checks.empty:
    ui.empty("本报告还没有核对结果。")
else:
    failed = int(checks["passed"].map(lambda p: not pd.isna(p) and not bool(p)).sum())
    unknown = int(checks["passed"].isna().sum())
    found = findings.findings(checks)
    cards = st.columns(4)
    with cards[0]:
        ui.kpi("核对项目", f"{len(checks)}项")
    with cards[1]:
        ui.kpi("通过", f"{len(checks) - failed - unknown}项")
    with cards[2]:
        ui.kpi("未通过", f"{failed}项", description=f"归为{len(found)}处问题" if found else None)
    with cards[3]:
        ui.kpi("未核对", f"{unknown}项", description="所需的表未能解析" if unknown else None)
    if found:
        st.error(f"发现{len(found)}处问题（{failed}项核对未通过；同一差额在多项核对中出现的算作一处）。",
                 icon=":material/error:")
    else:
        st.success("报告中的表内、表间关系全部核对一致（允许印刷四舍五入造成的尾差）。", icon=":material/check_circle:")
    for f in found[:20]:
        with st.container(border=True):
            st.markdown(md_escape(f.description))
            first = f.places[0]
            where = "，".join(p for p in (first.table, f"第{first.page}页" if first.page else "") if p)
            figures = findings.figures_text(f)
            st.caption(" · ".join(md_escape(x) for x in (figures, where) if x))
            if len(f.places) > 1:
                st.caption(f"同一差额还出现在另外{len(f.places) - 1}项核对中：")
                st.markdown("\n".join(
                    f"- {md_escape(p.description)}" + (f"（{md_escape(p.table)}" if p.table else "")
                    + (f"，第{p.page}页" if p.page else "") + ("）" if p.table else "")
                    for p in f.places[1:]))
    if len(found) > 20:
        st.caption(f"另有{len(found) - 20}处问题，见下表。")
    shown = tables.checks_table_of(sel.doc_id)
    filters = st.columns([1, 2])
    only_failed = filters[0].toggle("只看未通过", value=False, key="only_failed", disabled=not failed)
    table_names = ["全部表", *dict.fromkeys(shown["所在表"])]
    table_pick = filters[1].selectbox("所在表", table_names, key="check_table")
    if only_failed:
        shown = shown[shown["结果"] == "未通过"]
    if table_pick != "全部表":
        shown = shown[shown["所在表"] == table_pick]
    ui.table(shown, sel, key="checks", subject="数据核对结果", height=None if len(shown) <= 15 else 560,
             source=provenance.source_note(sel.title, queries.report_tables(sel.doc_id), []))

st.subheader("提取过程中的问题")
issues = queries.ingest_issues(sel.doc_id)
if issues.empty:
    ui.empty("提取本报告时没有记录到问题。")
else:
    ui.table(tables.issues_table(issues), sel, key="issues", subject="提取问题")
