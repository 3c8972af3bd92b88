"""Which report is on screen, kept in the URL so a copied link reopens the same view.

The frame (app.py) owns the unit/year picker; pages read the resulting Selection. The URL is the source of truth
on the first run of a session (someone opened a shared link); afterwards the widgets are, and the URL follows them.
Units are listed once per unit key (etl/read/names.py): reports whose printed names differ only in spaces, bracket widths
or 其它/其他 are one unit, and a URL naming the unit by any of those printings opens it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from dashboard import generations, queries
from dashboard.frame import ensure_frame
from etl.read.names import name_key

_SELECTION = "selection"
_UNSAFE_FILE_CHARS = re.compile(r"[\\/:*?\"<>|\s]+")
_PROBLEM = "db_problem"


@dataclass(frozen=True)
class Selection:
    doc_id: str
    unit_name: str
    fiscal_year: int | None
    doc_type: str | None
    title: str | None


def file_stem(sel: Selection, subject: str) -> str:
    """'阳泉市文化和旅游局_2023年_支出功能分类构成' — a download's name that still says what it is once saved (the
    chart and table buttons, the 简报 files)."""
    year = f"{sel.fiscal_year}年" if sel.fiscal_year else ""
    return _UNSAFE_FILE_CHARS.sub("_", "_".join(p for p in (sel.unit_name, year, subject) if p))


def _year_key(year: object) -> str:
    return "unknown" if year is None or pd.isna(year) else str(int(year))


def _year_label(key: str) -> str:
    return "年度不详" if key == "unknown" else f"{key}年"


def unit_of(docs: pd.DataFrame, name: str | None) -> str | None:
    """The display name (queries.documents' unit_name) of the unit `name` means, or None: `name` may be the display
    name, the name any of the unit's reports prints (a former name unit_aliases maps), or a printing of either that
    differs only in what the name key folds (spaces, bracket widths, 其它/其他) — a link made from any report works."""
    key = name_key(name)
    if not key or docs.empty:
        return None
    hit = docs[docs["unit_key"] == key]
    if hit.empty:
        hit = docs[docs["printed_unit_name"].map(name_key) == key]
    return None if hit.empty else str(hit["unit_name"].iloc[0])


def _init_from_url(key: str, param: str, options: list[str],
                   resolve: Callable[[str], str | None] | None = None) -> None:
    """Seed a widget from the URL once per session, and again whenever the URL names another valid option (`resolve`
    maps what a URL may say to its option, so the option is what is remembered as seen)."""
    wanted = st.query_params.get(param)
    if resolve is not None and wanted is not None:
        wanted = resolve(wanted) or wanted
    seen_key = f"_url_{param}"
    if wanted in options and wanted != st.session_state.get(seen_key):
        st.session_state[key] = wanted
    st.session_state[seen_key] = wanted
    if st.session_state.get(key) not in options:
        st.session_state[key] = options[0]


def _problem_message(exc: Exception) -> str:
    if isinstance(exc, generations.DatabaseMissing):
        return (f"尚未找到预算数据库（{exc}）。请先运行 make db 导入 data/raw 中的报告，"
                "或设置环境变量 BUDGET_DB 指向已有的数据库文件。")
    return f"预算数据库无法打开，可能正在被导入程序写入或文件已损坏。请稍后刷新页面。（{exc}）"


def picker() -> Selection | None:
    """Sidebar picker of unit, year (and report kind when a unit has two in a year); None with a message if none."""
    st.session_state[_PROBLEM] = None
    try:
        generations.check_database()
        docs = queries.documents()
    except (generations.DatabaseMissing, generations.DatabaseUnreadable) as exc:
        st.session_state[_PROBLEM] = _problem_message(exc)
        st.session_state[_SELECTION] = None
        return None
    if docs.empty:
        st.session_state[_PROBLEM] = "数据库中还没有任何预算报告。请先运行 make db 导入报告。"
        st.session_state[_SELECTION] = None
        return None

    # a report whose unit could not be read is listed under its file, each on its own (never merged under “None”)
    unnamed = docs["unit_name"].isna()
    if unnamed.any():
        docs = docs.assign(unit_name=docs["unit_name"].where(~unnamed, "未读出单位（" + docs["source_file"].astype(str) + "）"))
    units = list(dict.fromkeys(docs["unit_name"].astype(str)))  # one entry per unit key (queries.documents)
    _init_from_url("pick_unit", "unit", units, lambda name: unit_of(docs, name))
    unit = st.sidebar.selectbox("单位", units, key="pick_unit")

    unit_docs = docs[docs["unit_name"] == unit]
    years = list(dict.fromkeys(_year_key(y) for y in unit_docs["fiscal_year"]))
    _init_from_url("pick_year", "year", years)
    year_key = st.sidebar.selectbox("年度", years, key="pick_year", format_func=_year_label)
    year_docs = unit_docs[unit_docs["fiscal_year"].map(_year_key) == year_key]

    kinds = [str(k) for k in dict.fromkeys(year_docs["doc_type"].fillna("预算报告"))]
    if len(kinds) > 1:
        _init_from_url("pick_kind", "kind", kinds)
        kind = st.sidebar.selectbox("报告类型", kinds, key="pick_kind")
        year_docs = year_docs[year_docs["doc_type"].fillna("预算报告") == kind]
        st.query_params["kind"] = kind
    elif "kind" in st.query_params:
        del st.query_params["kind"]

    row = year_docs.iloc[0]
    st.query_params["unit"] = unit
    st.query_params["year"] = year_key
    year = None if pd.isna(row["fiscal_year"]) else int(row["fiscal_year"])
    selection = Selection(
        doc_id=str(row["doc_id"]),
        unit_name=unit,
        fiscal_year=year,
        doc_type=None if pd.isna(row["doc_type"]) else str(row["doc_type"]),
        title=None if pd.isna(row["title"]) else str(row["title"]),
    )
    st.session_state[_SELECTION] = selection
    return selection


def require_selection() -> Selection:
    """The report to show; stops the page with the frame's plain message when there is none."""
    ensure_frame()
    selection = st.session_state.get(_SELECTION)
    if selection is None:
        st.info(st.session_state.get(_PROBLEM) or "请先在左侧选择单位和年度。")
        st.stop()
    return selection


def page_param(name: str) -> str | None:
    """A page-specific URL parameter (e.g. the open project), so deep links work below the page level too."""
    return st.query_params.get(name)


def set_page_param(name: str, value: str | None) -> None:
    if value is None:
        if name in st.query_params:
            del st.query_params[name]
    else:
        st.query_params[name] = value
