"""预算公开报告看板 — the frame: page navigation, the unit/year picker, and a warm PNG renderer.

Run with `streamlit run app.py` (BUDGET_DB selects the database, default data/budget.duckdb; BUDGET_TIMINGS=FILE
records each script run's time there, see dashboard/timing.py).
"""

from __future__ import annotations

import streamlit as st

from dashboard import frame, state, timing
from dashboard.export import png

st.set_page_config(page_title="预算公开报告看板", page_icon=":material/account_balance:", layout="wide")

with timing.script_run() as run:
    current = st.navigation(frame.pages())
    run.page = current.url_path

    with st.sidebar:
        st.subheader("选择报告")
    selection = state.picker()
    if selection is not None:
        st.sidebar.caption(f"《{selection.title or '标题不详'}》")
        png.warm_in_background()
    st.sidebar.caption("金额单位：万元。数据来自单位公开的预算、决算报告，经程序提取并核对。")

    frame.mark_framed()
    current.run()
