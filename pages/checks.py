"""数据核对: does the report add up? Every 勾稽关系 check, failures first, with the table and page to look at."""

from __future__ import annotations

import streamlit as st

from dashboard import provenance, queries, state, tables, ui
from dashboard.fmt import md_escape, wan

sel = state.require_selection()
ui.header(sel, "数据核对")

checks = queries.checks(sel.doc_id)
if checks.empty:
    ui.empty("本报告还没有核对结果。")
else:
    failed = int((checks["passed"] == False).sum())  # noqa: E712 — pandas element-wise comparison
    unknown = int(checks["passed"].isna().sum())
    cards = st.columns(3)
    with cards[0]:
        ui.kpi("核对项目", f"{len(checks)}项")
    with cards[1]:
        ui.kpi("通过", f"{len(checks) - failed - unknown}项")
    with cards[2]:
        ui.kpi("未通过", f"{failed}项")
    if failed:
        st.error(f"有{failed}项核对未通过，已排在表格最前面。差额为“实际”减“应为”。", icon=":material/error:")
    else:
        st.success("报告中的表内、表间关系全部核对一致（允许印刷四舍五入造成的尾差）。", icon=":material/check_circle:")
    shown = tables.checks_table(checks)
    # each failure in full: the description names the report's own words, too long for a table cell
    misses = [i for i, ok in enumerate(checks["passed"]) if ok == False]  # noqa: E712 — NULL is not a failure
    for i in misses[:20]:
        row, cells = checks.iloc[i], shown.iloc[i]
        with st.container(border=True):
            st.markdown(md_escape(cells["核对内容"]))
            where = "，".join(p for p in (cells["所在表"], f"第{cells['页码']}页" if cells["页码"] else "") if p)
            st.caption(f"应为 {wan(row['expected'], suffix=True)}，实际 {wan(row['actual'], suffix=True)}，"
                       f"差额 {wan(row['actual'] - row['expected'], suffix=True)}" + (f" · {md_escape(where)}" if where else ""))
    if len(misses) > 20:
        st.caption(f"另有{len(misses) - 20}项未通过，见下表。")
    filters = st.columns([1, 2])
    only_failed = filters[0].toggle("只看未通过", value=False, key="only_failed", disabled=not failed)
    table_names = ["全部表", *dict.fromkeys(shown["所在表"])]
    table_pick = filters[1].selectbox("所在表", table_names, key="check_table")
    if only_failed:
        shown = shown[shown["结果"] != "通过"]
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
