"""The app's pages, and the one step that puts every page inside app.py's frame from a server's first request.

Why the step exists (Streamlit 1.67, pinned): an entry script with a `pages/` folder beside it starts as a legacy
multipage app, and only "as soon as any session of your app executes the st.navigation command, your app will
ignore the pages/ directory (across all sessions)" (st.navigation's documentation). Until then a visitor of a deep
link (/composition?unit=…) is served pages/composition.py on its own: no picker, no navigation. Streamlit offers
no setting to skip the legacy mode (its config has none; `client.showSidebarNavigation` only hides the menu).
So a page run that did not come through app.py executes st.navigation itself — with the same pages, hidden —
which is that documented switch, and reruns: the rerun goes through app.py and lands on the same page, framed.
tests/test_frame.py fails when a Streamlit upgrade no longer needs this step or it stops working.
"""

from __future__ import annotations

import streamlit as st

_FRAMED = "_framed"


def pages() -> list[st.Page]:
    """Every page of the app in navigation order (app.py's st.navigation and ensure_frame use this one list)."""
    return [
        st.Page("pages/overview.py", title="总览", icon=":material/dashboard:", default=True),  # served at the root URL
        st.Page("pages/composition.py", title="支出构成", icon=":material/donut_large:", url_path="composition"),
        st.Page("pages/projects.py", title="项目", icon=":material/assignment:", url_path="projects"),
        st.Page("pages/yoy.py", title="同比变化", icon=":material/compare_arrows:", url_path="yoy"),
        st.Page("pages/execution.py", title="预算执行", icon=":material/rule:", url_path="execution"),
        st.Page("pages/compare.py", title="单位对比", icon=":material/leaderboard:", url_path="compare"),
        st.Page("pages/checks.py", title="数据核对", icon=":material/fact_check:", url_path="checks"),
        st.Page("pages/upload.py", title="导入", icon=":material/upload_file:", url_path="upload"),
    ]


def mark_framed() -> None:
    """Called by app.py just before it runs the page: this run came through the frame."""
    st.session_state[_FRAMED] = True


def ensure_frame() -> None:
    """First thing on every page: a run that did not come through app.py switches the app out of the legacy
    pages/ mode (see the module docstring) and reruns through app.py, on the same page and URL."""
    if st.session_state.pop(_FRAMED, False):
        return
    st.navigation(pages(), position="hidden")
    st.rerun()
