"""Tables whose figures a page cannot vouch for: a page that would use one says so, next to its figures, and why.

Two kinds. An 'unparsed' table was recognised but not read exactly: it is stored with its problem and none of its
rows, and without a notice a page would show its figures as missing or 0 with no reason. An 'unverified' table's
rows are stored, but its own arithmetic (parent = Σ children, 合计 = Σ columns, …) failed, so a figure may sit in the
wrong row or column: shown without a notice it would look as sure as a confirmed one. Pages, the briefing
(dashboard/export/content.py) and 数据核对 all take the wording from here, so it is the same everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from . import queries
from .fmt import md_escape
from .labels import table_kind

UNVERIFIED = "此表数字未通过表内勾稽核对，可能有误："


def _name(t: pd.Series) -> str:
    """'收入总表（第4页）': the table as a reader finds it in the report."""
    page = f"（第{int(t['page_from'])}页）" if not pd.isna(t["page_from"]) else ""
    return f"{table_kind(t['table_kind'])}{page}"


def _of(tables: pd.DataFrame, status: str, kinds: Sequence[str] | None) -> pd.DataFrame:
    if tables.empty or "status" not in tables:
        return tables.iloc[0:0]
    rows = tables[tables["status"] == status]
    return rows if kinds is None else rows[rows["table_kind"].isin(list(kinds))]


def unread_tables(tables: pd.DataFrame, kinds: Sequence[str] | None = None) -> list[str]:
    """'收入总表（第4页）：“合计”行：金额无法识别 “3O0.00”' for each unparsed table of `kinds` (all when None)."""
    return [f"{_name(t)}：{t['problem'] or '原因未记录'}" for _, t in _of(tables, "unparsed", kinds).iterrows()]


def unverified_tables(tables: pd.DataFrame, kinds: Sequence[str] | None = None) -> list[str]:
    """'支出总表（第6页）：此表数字未通过表内勾稽核对，可能有误：表内勾稽不成立：…' for each unverified table of `kinds`
    (all when None) — the one wording pages, the briefing and 数据核对 print beside such a table's figures."""
    return [f"{_name(t)}：{UNVERIFIED}{t['problem'] or '原因未记录'}"
            for _, t in _of(tables, "unverified", kinds).iterrows()]


def _warn_unverified(lines: Sequence[str]) -> None:
    if lines:
        text = md_escape(lines[0]) if len(lines) == 1 else "\n".join(f"- {md_escape(x)}" for x in lines)
        st.warning(text, icon=":material/rule:")


def unverified_notice(doc_id: str, kinds: Sequence[str] | None = None) -> None:
    """A warning beside figures drawn from `kinds`, naming each of those tables whose own arithmetic failed."""
    _warn_unverified(unverified_tables(queries.report_tables(doc_id), kinds))


def unread_notice_units(fiscal_year: int, units: Sequence[str], kinds: Sequence[str]) -> None:
    """The same warnings for pages that set several units side by side: each unit's unreadable and unverified tables."""
    frame = queries.flagged_tables(fiscal_year)
    frame = frame[frame["unit_name"].isin(list(units))] if not frame.empty else frame
    groups = list(frame.groupby("unit_name", sort=False)) if not frame.empty else []
    unread = [f"{u}：{x}" for u, group in groups for x in unread_tables(group, kinds)]
    if unread:
        st.warning("以下表格未能解析，相关单位的对应数字缺失：\n\n" + "\n".join(f"- {md_escape(x)}" for x in unread),
                   icon=":material/warning:")
    _warn_unverified([f"{u}：{x}" for u, group in groups for x in unverified_tables(group, kinds)])


def unread_notice(doc_id: str, kinds: Sequence[str] | None = None, *, unverified: bool = True) -> None:
    """A warning naming each table this page would use that could not be read, with the reason; and, unless the page
    puts them beside each figure itself (unverified=False, then unverified_notice there), each whose arithmetic
    failed."""
    tables = queries.report_tables(doc_id)
    lines = unread_tables(tables, kinds)
    if lines:
        st.warning("以下表格未能解析，本页相关数字缺失（其余数据照常导入）：\n\n"
                   + "\n".join(f"- {md_escape(x)}" for x in lines), icon=":material/warning:")
    if unverified:
        _warn_unverified(unverified_tables(tables, kinds))


def internal_share(tables: pd.DataFrame) -> tuple[int, int] | None:
    """(tables whose own arithmetic holds, tables with data read): 表内勾稽成立 9/10 张表 on 数据核对. None where no
    table carries a parsed/unverified status (a database written before tables were checked on their own)."""
    if tables.empty or "status" not in tables:
        return None
    status = tables["status"]
    read = int(status.isin(["parsed", "unverified"]).sum())
    return (int((status == "parsed").sum()), read) if read else None


def internal_notice(doc_id: str) -> None:
    """数据核对's line on the tables' own arithmetic: the share that holds, and each table where it does not."""
    tables = queries.report_tables(doc_id)
    found = internal_share(tables)
    if found is None:
        return
    ok, read = found
    head = f"表内勾稽成立 {ok}/{read} 张表"
    lines = unverified_tables(tables)
    if not lines:
        st.success(f"{head}（各表的合计与分项、上级与下级科目相符）。", icon=":material/check_circle:")
    else:
        st.warning(f"{head}。以下表格的数字未通过表内勾稽核对，可能有误：\n\n"
                   + "\n".join(f"- {md_escape(x)}" for x in lines), icon=":material/rule:")
