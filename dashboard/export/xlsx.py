""".xlsx of a table (openpyxl), for the 下载表格 button: a workbook an official can forward as it is."""

from __future__ import annotations

import io

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from etl.read.tokens import display_width


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
