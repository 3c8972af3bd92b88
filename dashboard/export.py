"""Downloads: PNG of a figure (kaleido through the system Chromium) and .xlsx of a table (openpyxl).

Kaleido 1.x drives a real Chromium via choreographer; starting it costs seconds, so one browser is kept warm per
process (kaleido's sync server) and calls are serialised, because that server answers one request at a time and
Streamlit runs sessions on several threads.
"""

from __future__ import annotations

import io
import os
import threading
from pathlib import Path

import kaleido
import pandas as pd
import plotly.graph_objects as go
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from dashboard.charts import EXPORT_WIDTH
from etl.read.tokens import display_width

CHROMIUM_ENV = "BUDGET_CHROMIUM"
DEFAULT_CHROMIUM = "/usr/bin/chromium"
PNG_SCALE = 2

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
        except Exception:  # noqa: BLE001 — warming is best effort; a real download reports its own error
            pass

    _warm_thread = threading.Thread(target=warm, name="kaleido-warm", daemon=True)
    _warm_thread.start()


def _cell_value(value: object) -> object:
    """pandas NA/NaN → empty cell; numpy scalars → Python numbers openpyxl can write."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def frame_xlsx(
    frame: pd.DataFrame,
    *,
    title: str,
    note: str | None = "单位：万元",
    source: str | None = None,
    sheet: str = "数据",
) -> bytes:
    """A workbook an official can forward as is: title and unit above the table, source below, 2-decimal money."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet[:31]
    ws.cell(row=1, column=1, value=title).font = Font(bold=True, size=14)
    ws.cell(row=2, column=1, value=note or "").font = Font(color="555555")
    header_row = 4
    for col, name in enumerate(frame.columns, start=1):
        cell = ws.cell(row=header_row, column=col, value=str(name))
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE6F0")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for r, row in enumerate(frame.itertuples(index=False), start=header_row + 1):
        for col, value in enumerate(row, start=1):
            ws.cell(row=r, column=col, value=_cell_value(value))
    last_row = header_row + len(frame)
    for idx, column in enumerate(frame.columns, start=1):
        letter = get_column_letter(idx)
        if pd.api.types.is_float_dtype(frame[column]):
            for r in range(header_row + 1, last_row + 1):
                ws.cell(row=r, column=idx).number_format = "#,##0.00"
        width = max([display_width(column)] + [display_width("" if v is None else v) for v in frame.iloc[:, idx - 1]])
        ws.column_dimensions[letter].width = min(max(10, width + 2), 60)
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    if source:
        ws.cell(row=last_row + 2, column=1, value=source).font = Font(color="666666", size=9)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
