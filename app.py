"""预算公开报告看板 — the frame: page navigation, the unit/year picker, and a warm PNG renderer.

Run with `streamlit run app.py` (BUDGET_DB selects the database, default data/budget.duckdb).
"""

from __future__ import annotations

import streamlit as st

from dashboard import export, state

st.set_page_config(page_title="预算公开报告看板", page_icon=":material/account_balance:", layout="wide")

pages = [
    st.Page("pages/overview.py", title="总览", icon=":material/dashboard:", default=True),  # served at the root URL
    st.Page("pages/composition.py", title="支出构成", icon=":material/donut_large:", url_path="composition"),
    st.Page("pages/projects.py", title="项目", icon=":material/assignment:", url_path="projects"),
    st.Page("pages/yoy.py", title="同比变化", icon=":material/compare_arrows:", url_path="yoy"),
    st.Page("pages/execution.py", title="预算执行", icon=":material/rule:", url_path="execution"),
    st.Page("pages/compare.py", title="单位对比", icon=":material/leaderboard:", url_path="compare"),
    st.Page("pages/checks.py", title="数据核对", icon=":material/fact_check:", url_path="checks"),
    st.Page("pages/upload.py", title="导入", icon=":material/upload_file:", url_path="upload"),
]
current = st.navigation(pages)

with st.sidebar:
    st.subheader("选择报告")
selection = state.picker()
if selection is not None:
    st.sidebar.caption(f"《{selection.title or '标题不详'}》")
    export.warm_in_background()
st.sidebar.caption("金额单位：万元。数据来自单位公开的预算报告，经程序提取并核对。")

state.mark_framed()
current.run()
