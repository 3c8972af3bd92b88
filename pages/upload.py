"""导入: add reports from the browser. Each file is read with a visible progress bar and ends in one plain line —
loaded (unit, year, tables, checks) or refused with the reason; a refused file leaves the database untouched.

Works without a database (the first upload creates it), so it never asks for a selected report.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from dashboard import queries, state
from dashboard.fmt import md_escape
from dashboard.uploads import Result, describe, ingest

_RESULTS = "upload_results"
_REPLACE = "upload_replace"
_WITH_YEAR = "upload_with_year"  # the file whose 按此年度导入 was clicked
_YEARS = "upload_years"  # file → the year typed for it: kept for a later 替换 or 再试一次 of the same file

state.ensure_frame()
st.title("导入报告")
st.caption("上传单位或部门的预算公开报告（PDF，或由PDF提取的TXT文本），可一次选择多个文件。"
           "程序逐表读取并核对报告自身的勾稽关系；无法识别的文件不会写入数据库。")

results: dict[str, Result] = st.session_state.setdefault(_RESULTS, {})
years: dict[str, int] = st.session_state.setdefault(_YEARS, {})
files = st.file_uploader("选择报告文件（PDF 或 TXT）", type=["pdf", "txt"], accept_multiple_files=True,
                         key="upload_files", help="单个文件不超过50 MB；上传的文件按内容命名保存在数据库旁的 uploads 文件夹中")


def run_ingest(file: UploadedFile, replace: bool = False, year: int | None = None) -> Result:
    """Ingest one uploaded file under a progress bar that counts PDF pages as they are read; the bar goes away
    when done, and the file's result line (below) says what happened."""
    slot = st.empty()
    with slot.container(border=True):
        st.markdown(f"正在导入 **{md_escape(file.name)}** …")
        bar = st.progress(0.0, text="正在读取文件…")

        other = {"line": "另一个导入正在进行", "total": 0.0}  # who holds the database, and the whole wait

        def progress(page: int, pages: int) -> None:
            bar.progress(min(page / pages, 1.0) if pages else 1.0, text=f"已读取第{page}页，共{pages}页")

        def on_busy(line: str) -> None:  # another import holds the database: say who at once, then count down
            other["line"] = line
            bar.progress(0.0, text=line)

        def on_wait(left: float) -> None:  # the bar fills as the wait runs out
            other["total"] = other["total"] or left
            bar.progress(min(max(1 - left / other["total"], 0.0), 1.0),
                         text=f"{other['line']}。等待它结束，最多再等{left:.0f}秒…")

        result = ingest(file.getvalue(), file.name, progress=progress, replace=replace, on_busy=on_busy,
                        on_wait=on_wait, year=year)
        bar.progress(1.0, text=result.progress_text)
    slot.empty()
    return result


def try_again(file_id: str) -> None:
    """A callback: forget the 'busy' result, so the next run imports the file again."""
    results.pop(file_id, None)


def ask_to_replace(file_id: str) -> None:
    """A callback, so the request survives the rerun that redraws the page around the new database."""
    st.session_state[_REPLACE] = file_id


def load_with_year(file_id: str) -> None:
    """A callback: the year typed for a file that prints none, and the request to import it again with it."""
    year = st.session_state.get(f"year_{file_id}")
    if year is not None:
        years[file_id] = int(year)
        st.session_state[_WITH_YEAR] = file_id


replace_id = st.session_state.pop(_REPLACE, None)
with_year_id = st.session_state.pop(_WITH_YEAR, None)
loaded_now: list[Result] = []
for file in files or []:
    if file.file_id not in results or file.file_id in (replace_id, with_year_id):
        results[file.file_id] = run_ingest(file, replace=file.file_id == replace_id, year=years.get(file.file_id))
        if results[file.file_id].status == "loaded":
            loaded_now.append(results[file.file_id])

if loaded_now:
    newest = loaded_now[-1]
    # point the sidebar picker at the report just loaded, then redraw everything against the new database
    if newest.unit_name:
        st.query_params["unit"] = newest.unit_name
    if newest.fiscal_year:
        st.query_params["year"] = str(newest.fiscal_year)
    st.rerun()

for file in files or []:
    result = results.get(file.file_id)
    if result is None:
        continue
    describe(file.name, result)
    if result.status == "busy":
        st.button("再试一次", key=f"retry_{file.file_id}", icon=":material/refresh:", on_click=try_again,
                  args=(file.file_id,))
    if result.needs_year:
        # never a guess: the field starts empty, and the button waits for a year
        st.number_input("这份报告的预算年度", min_value=1990, max_value=2100, value=None, step=1, format="%d",
                        placeholder="例如 2024", key=f"year_{file.file_id}")
        st.button("按此年度导入", key=f"with_year_{file.file_id}", icon=":material/event:", on_click=load_with_year,
                  args=(file.file_id,), disabled=st.session_state.get(f"year_{file.file_id}") is None)
    if result.can_replace:
        st.button(f"以此文件替换已导入的{result.unit_name}{result.fiscal_year}年报告", key=f"replace_{file.file_id}",
                  icon=":material/swap_horiz:", on_click=ask_to_replace, args=(file.file_id,))

st.subheader("数据库中已有的报告")
try:
    queries.check_database()
    docs = queries.documents()
except queries.DatabaseMissing:
    st.info("还没有数据库：导入第一份报告时会自动建立。", icon=":material/info:")
except queries.DatabaseUnreadable as exc:
    st.warning(f"预算数据库暂时无法打开（{exc}）。请稍后刷新页面。", icon=":material/warning:")
else:
    if docs.empty:
        st.info("数据库中还没有任何报告。", icon=":material/info:")
    else:
        listing = docs.rename(columns={"unit_name": "单位", "fiscal_year": "年度", "doc_type": "报告类型",
                                       "title": "报告标题", "source_file": "文件名"})
        listing["页数"] = ["文本" if pd.isna(n) else f"{int(n)}页" for n in docs["page_count"]]
        st.dataframe(listing[["单位", "年度", "报告类型", "报告标题", "文件名", "页数"]], hide_index=True,
                     column_config={"年度": st.column_config.NumberColumn(format="%d")}, key="loaded_docs")
