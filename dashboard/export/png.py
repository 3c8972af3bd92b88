"""PNG of a figure: kaleido through the system Chromium, for the 下载图片 button and the 简报's pictures.

Kaleido 1.x drives a real Chromium via choreographer; starting it costs seconds, so one browser is kept warm per
process (kaleido's sync server) and calls are serialised, because that server answers one request at a time and
Streamlit runs sessions on several threads.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Sequence
from pathlib import Path

import kaleido
import plotly.graph_objects as go
from choreographer.errors import (
    BrowserClosedError,
    BrowserFailedError,
    ChannelClosedError,
    ChromeNotFoundError,
    DevtoolsProtocolError,
)
from kaleido.errors import JavascriptError, KaleidoError

from dashboard.charts import EXPORT_WIDTH

CHROMIUM_ENV = "BUDGET_CHROMIUM"
DEFAULT_CHROMIUM = "/usr/bin/chromium"
PNG_SCALE = 2
# What rendering raises when Chromium or kaleido fails, not our figure: no browser found or it would not start
# (ChromeNotFoundError, BrowserFailedError), it died or its pipe closed mid-render (BrowserClosedError,
# ChannelClosedError — an OSError), the DevTools protocol or kaleido's page answered with an error
# (DevtoolsProtocolError, JavascriptError, KaleidoError), or kaleido's own render timeout (TimeoutError). Kaleido
# also raises plain RuntimeErrors for a tab whose answer it cannot read. Every other error is a bug of ours and
# propagates.
RENDER_ERRORS: tuple[type[BaseException], ...] = (
    ChromeNotFoundError, BrowserFailedError, BrowserClosedError, ChannelClosedError, DevtoolsProtocolError,
    JavascriptError, KaleidoError, TimeoutError, RuntimeError,
)

log = logging.getLogger(__name__)

_lock = threading.Lock()
_warm_thread: threading.Thread | None = None


def chromium_path() -> str | None:
    """BUDGET_CHROMIUM, else Debian's /usr/bin/chromium; None lets choreographer search PATH/BROWSER_PATH."""
    configured = os.environ.get(CHROMIUM_ENV)
    if configured:
        return configured
    return DEFAULT_CHROMIUM if Path(DEFAULT_CHROMIUM).exists() else None


def _ensure_browser() -> None:
    # mathjax=False: our figures have no LaTeX, and the default would fetch MathJax from a CDN on every page load.
    kwargs: dict[str, object] = {"mathjax": False}
    path = chromium_path()
    if path:
        if not os.access(path, os.X_OK):
            # kaleido's sync server starts the browser on its own thread and, when that fails, leaves every later
            # call waiting for an answer that never comes: a browser we can tell is absent is refused here instead
            raise ChromeNotFoundError(f"no executable Chromium at {path} (set {CHROMIUM_ENV})")
        kwargs["path"] = path
    kaleido.start_sync_server(silence_warnings=True, **kwargs)


def figure_png(fig: go.Figure, *, scale: float = PNG_SCALE, width: int | None = None) -> bytes:
    """PNG bytes at scale× the figure's own size (width EXPORT_WIDTH unless the figure fixes one)."""
    layout_height = fig.layout.height or 500
    opts = {"format": "png", "scale": scale, "width": width or fig.layout.width or EXPORT_WIDTH,
            "height": layout_height}
    with _lock:
        _ensure_browser()
        return kaleido.calc_fig_sync(fig, opts=opts)


def warm_in_background() -> None:
    """Start the browser and render one tiny figure off the request path, so the first download is quick."""
    global _warm_thread
    if _warm_thread is not None:
        return

    def warm() -> None:
        try:
            figure_png(go.Figure(go.Bar(x=[1], y=["预热"])), scale=1, width=200)
        except RENDER_ERRORS:  # best effort: a real download meets the same failure and reports it
            log.warning("starting the PNG renderer (kaleido, Chromium at %s) failed", chromium_path(), exc_info=True)

    _warm_thread = threading.Thread(target=warm, name="kaleido-warm", daemon=True)
    _warm_thread.start()


def figure_pngs(figures: Sequence[go.Figure], *, width: int) -> list[bytes | None]:
    """Each figure as a PNG at 2×, or None where the renderer fails on it: a file of several charts (the 简报) still
    carries every other chart, its figures and tables, with a line saying so where one is missing. Each failure is
    logged with its traceback."""
    out: list[bytes | None] = []
    for fig in figures:
        try:
            out.append(figure_png(fig, width=width))
        except RENDER_ERRORS:
            meta = fig.layout.meta
            log.warning("rendering the chart %r as PNG failed; the file says so in its place",
                        meta.get("subject") if isinstance(meta, dict) else None, exc_info=True)
            out.append(None)
    return out
