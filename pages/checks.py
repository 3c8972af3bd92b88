"""数据核对: the report read as a finance bureau's 公开情况检查表 — each part in the reviewer's order, 符合要求 是/否 (or
未核对), one finding per real problem with the quoted words or both figures and, opened, its page with the words or
cells boxed in red; the 检查表 and 审查意见 to download; and every check below."""

from __future__ import annotations

import streamlit as st

from dashboard import findings, notices, provenance, queries, state, tables, ui

sel = state.require_selection()
ui.header(sel, "数据核对")
notices.unread_notice(sel.doc_id, unverified=False)  # listed with the share below
notices.internal_notice(sel.doc_id)

checks = queries.checks(sel.doc_id)
if checks.empty:
    ui.empty("本报告还没有核对结果。")
else:
    family = findings.family(sel.doc_type)
    parts = findings.review_of(sel.doc_id, family)
    found = [f for p in parts for f in p.findings]
    failed = sum(p.failed for p in parts)
    unknown = sum(p.not_run for p in parts)
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
        st.error(f"发现{len(found)}处问题（{failed}项核对未通过；同一原因在多项核对中出现的算作一处），"
                 f"涉及{sum(p.verdict == findings.NO for p in parts)}个部分。", icon=":material/error:")
    else:
        st.success("报告中已核对的各部分全部核对一致，符合要求（金额允许印刷四舍五入造成的尾差）。",
                   icon=":material/check_circle:")

    st.subheader("公开情况检查表")
    st.caption("按财政局逐份审核公开报告的顺序列出各部分；“未核对”指报告中没有这一部分，或没有可据以核对的内容。"
               "报表部分的问题逐条注明所在表和页码。")
    ui.review_downloads(sel)
    ui.table(findings.checklist(parts), sel, key="review", subject="公开情况检查表")
    st.caption("每处问题可展开“查看原页”，看到报告原页上用红框标出的文字或数字。")
    for n, part in enumerate(parts, 1):
        ui.review_part(n, part, sel.doc_id)

    st.subheader("核对明细")
    shown = findings.checks_table_of(sel.doc_id, family)
    filters = st.columns([1, 2, 2])
    only_failed = filters[0].toggle("只看未通过", value=False, key="only_failed", disabled=not failed)
    part_pick = filters[1].selectbox("部分", ["全部部分", *dict.fromkeys(shown["部分"])], key="check_part")
    table_pick = filters[2].selectbox("所在表", ["全部表", *dict.fromkeys(shown["所在表"])], key="check_table")
    if only_failed:
        shown = shown[shown["结果"] == "未通过"]
    if part_pick != "全部部分":
        shown = shown[shown["部分"] == part_pick]
    if table_pick != "全部表":
        shown = shown[shown["所在表"] == table_pick]
    st.caption("金额带单位：两数相差不足0.01万元时以元列示，以免显示为差额0.00。")
    ui.table(shown, sel, key="checks", subject="数据核对结果", height=None if len(shown) <= 15 else 560,
             source=provenance.source_note(sel.title, queries.report_tables(sel.doc_id), []))

st.subheader("提取过程中的问题")
issues = queries.ingest_issues(sel.doc_id)
if issues.empty:
    ui.empty("提取本报告时没有记录到问题。")
else:
    ui.table(tables.issues_table(issues), sel, key="issues", subject="提取问题")
