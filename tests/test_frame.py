"""The one Streamlit behaviour dashboard/frame.py works around, pinned on a two-page app generated here.

Streamlit 1.67 starts an entry script with a pages/ folder beside it as a legacy multipage app: until some session
has executed st.navigation, a first visitor of /deep is served pages/deep.py on its own, without the entry
script's frame; once one has, every session is framed ("As soon as any session of your app executes the
st.navigation command, your app will ignore the pages/ directory (across all sessions)", st.navigation's docs).
ensure_frame relies on exactly that. When a Streamlit upgrade changes either half, this test fails and says what
to do. That the app's own deep links are framed is tested in tests/test_concurrency.py (several first visitors
at once on a fresh server).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .fixtures.app_server import serve, settled, system_chromium

pytestmark = pytest.mark.browser

ENTRY = """import streamlit as st

page = st.navigation([st.Page("pages/home.py", default=True), st.Page("pages/deep.py", url_path="deep")])
st.sidebar.title("FRAME")
page.run()
"""


def generated_app(folder: Path) -> Path:
    (folder / "pages").mkdir(parents=True)
    (folder / "pages" / "home.py").write_text('import streamlit as st\n\nst.title("HOME")\n', encoding="utf-8")
    (folder / "pages" / "deep.py").write_text('import streamlit as st\n\nst.title("DEEP")\n', encoding="utf-8")
    app = folder / "app.py"
    app.write_text(ENTRY, encoding="utf-8")
    return app


def visit(context, url: str, title: str) -> bool:
    """Open url in a new tab (a new session); True when the entry script's frame is around the page."""
    tab = context.new_page()
    try:
        tab.goto(url)
        tab.locator("[data-testid='stMain'] h1", has_text=title).first.wait_for(timeout=60_000)
        settled(tab)
        return "FRAME" in tab.locator("body").inner_text()
    finally:
        tab.close()


def test_streamlit_serves_pages_scripts_bare_until_a_session_runs_st_navigation(tmp_path: Path) -> None:
    app = generated_app(tmp_path / "app")
    with system_chromium() as (_, browser), serve(tmp_path / "none.duckdb", tmp_path / "streamlit.log",
                                                  app=app) as (base, _):
        context = browser.new_context()
        first = visit(context, f"{base}/deep", "DEEP")
        root = visit(context, f"{base}/", "HOME")
        later = visit(context, f"{base}/deep", "DEEP")
        context.close()
    assert root, "the entry script's frame is missing at the root URL"
    assert not first, ("Streamlit now frames a pages/ script from a fresh server's first request: the legacy pages/ "
                       "mode is gone, so dashboard/frame.ensure_frame's workaround can be deleted")
    assert later, ("after a session ran st.navigation, Streamlit still serves pages/ scripts bare: the documented "
                   "switch dashboard/frame.ensure_frame relies on no longer works — first visitors of deep links "
                   "would get pages without the app's frame")
