"""Tables the ETL recognised but could not read exactly: a page that would use one says so, and why.

Such a table is stored with status 'unparsed' and its problem, and none of its rows; without this notice a page
would show its figures as missing or 0 with no reason.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from . import queries
from .fmt import md_escape
from .labels import table_kind


def unread_tables(tables: pd.DataFrame, kinds: Sequence[str] | None = None) -> list[str]:
    """'收入总表（第4页）：“合计”行：金额无法识别 “3O0.00”' for each unparsed table of `kinds` (all when None)."""
    if tables.empty or "status" not in tables:
        return []
    out = []
    for _, t in tables[tables["status"] == "unparsed"].iterrows():
        if kinds is not None and t["table_kind"] not in kinds:
            continue
        page = f"（第{int(t['page_from'])}页）" if not pd.isna(t["page_from"]) else ""
        out.append(f"{table_kind(t['table_kind'])}{page}：{t['problem'] or '原因未记录'}")
    return out


def unread_notice_units(fiscal_year: int, units: Sequence[str], kinds: Sequence[str]) -> None:
    """The same warning for pages that set several units side by side: each unit's unreadable tables."""
    frame = queries.unparsed_tables(fiscal_year)
    frame = frame[frame["unit_name"].isin(list(units))] if not frame.empty else frame
    lines = [f"{u}：{x}" for u, group in frame.groupby("unit_name", sort=False) for x in unread_tables(
        group.assign(status="unparsed"), kinds)] if not frame.empty else []
    if lines:
        st.warning("以下表格未能解析，相关单位的对应数字缺失：\n\n" + "\n".join(f"- {md_escape(x)}" for x in lines),
                   icon=":material/warning:")


def unread_notice(doc_id: str, kinds: Sequence[str] | None = None) -> None:
    """A warning naming each table this page would use that could not be read, with the reason."""
    lines = unread_tables(queries.report_tables(doc_id), kinds)
    if lines:
        st.warning("以下表格未能解析，本页相关数字缺失（其余数据照常导入）：\n\n"
                   + "\n".join(f"- {md_escape(x)}" for x in lines), icon=":material/warning:")
