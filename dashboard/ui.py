"""Page building blocks: chart with PNG download, table with .xlsx download, the 简报 buttons, KPI card, empty
state, text block.

Pages compose these so every chart and table on every page gets the same download buttons, number formats and
empty-state wording without repeating the wiring.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import evidence_view, findings
from dashboard.export import content, png, slides, word, xlsx
from dashboard.fmt import md_escape
from dashboard.labels import report_kind
from dashboard.state import Selection, file_stem

KPI_HEIGHT = 124  # one height for every card, with or without a delta line, so rows line up
_PLOTLY_CONFIG = {
    "displaylogo": False,
    "locale": "zh-CN",
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d", "toImage"],
}


# Static CSS only (no report text): metric values at a size where '123,456.78' fits a quarter-width card.
_CSS = """<style>
[data-testid="stMetricValue"] { font-size: 1.9rem; }
[data-testid="stMetricDelta"] { font-size: 0.85rem; }
</style>"""


def header(sel: Selection, page_title: str) -> None:
    st.html(_CSS)
    st.title(page_title)
    year = f"{sel.fiscal_year}年" if sel.fiscal_year else "年度不详"
    st.caption(md_escape(f"{sel.unit_name} · {year} · {report_kind(sel.doc_type)} · 《{sel.title or '标题不详'}》"))


def empty(message: str) -> None:
    """The one way to say 'nothing to show here' — a plain sentence, never a traceback or a blank space."""
    st.info(md_escape(message), icon=":material/info:")  # messages quote unit and 科目 names: report text


def chart(fig: go.Figure, sel: Selection, *, key: str) -> None:
    """The figure as designed (theme=None keeps the house style on screen) and a server-rendered PNG download."""
    subject = (fig.layout.meta or {}).get("subject", "图表")
    st.plotly_chart(fig, theme=None, key=f"chart_{key}", config=_PLOTLY_CONFIG)
    st.download_button(
        "下载图片（PNG）",
        data=lambda: png.figure_png(fig),
        file_name=f"{file_stem(sel, subject)}.png",
        mime="image/png",
        key=f"png_{key}",
        on_click="ignore",
        icon=":material/download:",
        help="服务器端按2倍分辨率生成，可直接粘贴到简报中",
    )


def _column_config(frame: pd.DataFrame) -> dict[str, object]:
    config: dict[str, object] = {}
    for col in frame.columns:
        name = str(col)
        if name.endswith("（万元）"):
            config[name] = st.column_config.NumberColumn(name, format="%,.2f")
        elif name.endswith("（%）"):
            config[name] = st.column_config.NumberColumn(name, format="%.2f%%")
    return config


def table(
    frame: pd.DataFrame,
    sel: Selection,
    *,
    key: str,
    subject: str,
    source: str | None = None,
    height: int | None = None,
) -> None:
    """Sortable table with money columns formatted, plus an .xlsx download carrying title, unit and source.

    Short tables show every row (no inner scrollbar to discover); long ones scroll inside a fixed height.
    """
    height = height or min(38 + 35 * max(len(frame), 1), 740)
    st.dataframe(frame, hide_index=True, column_config=_column_config(frame), height=height, key=f"table_{key}",
                 placeholder="—")  # a blank cell reads as a dash, never Streamlit's grey "None"
    has_money = any(str(c).endswith("（万元）") for c in frame.columns)
    year = f"{sel.fiscal_year}年" if sel.fiscal_year else ""
    st.download_button(
        "下载表格（Excel）",
        data=lambda: xlsx.frame_xlsx(
            frame, title=f"{sel.unit_name}{year}{subject}", note="单位：万元" if has_money else None, source=source
        ),
        file_name=f"{file_stem(sel, subject)}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"xlsx_{key}",
        on_click="ignore",
        icon=":material/table_view:",
    )



def briefing_buttons(sel: Selection, page: str, *, units: Sequence[str] | None = None) -> None:
    """生成简报（Word） and 生成汇报（PPT）: this page's charts with the report's summary, KPIs and checks
    (dashboard/export/content.py). The file is generated only when a button is clicked, so the page renders as fast
    as without them."""
    stem = content.file_stem(sel, page)
    units = tuple(units) if units else None
    cols = st.columns([1, 1, 3])
    cols[0].download_button("生成简报（Word）", data=lambda: word.docx_bytes(sel, page, units),
                            file_name=f"{stem}.docx", mime=word.DOCX_MIME, key=f"briefing_docx_{page}",
                            on_click="ignore", icon=":material/description:",
                            help="本页图表、摘要、主要指标和核对结果，A4公文版式，可直接编辑")
    cols[1].download_button("生成汇报（PPT）", data=lambda: slides.pptx_bytes(sel, page, units),
                            file_name=f"{stem}.pptx", mime=slides.PPTX_MIME, key=f"briefing_pptx_{page}",
                            on_click="ignore", icon=":material/slideshow:", help="首页为主要指标和摘要，其后每页一张图")

def kpi(
    label: str,
    value: str,
    *,
    delta: str | None = None,
    description: str | None = None,
    arrow: bool = False,
    help: str | None = None,
) -> None:
    """A bordered metric. Deltas stay grey: a bigger budget is neither good nor bad news in itself, and shares
    ("占支出总计 11.74%") get no arrow because they are not changes."""
    st.metric(label, value, delta=delta, delta_color="off", delta_arrow="auto" if arrow else "off",
              delta_description=description, help=help, border=True, height=KPI_HEIGHT)


def text_block(label: str, text: str | None) -> None:
    """A labelled passage of report text, escaped so the report's own punctuation never becomes markup."""
    st.markdown(f"**{label}**")
    if text and str(text).strip():
        st.markdown(md_escape(text))
    else:
        st.caption("（报告未填写）")


def indicator_list(groups: list[tuple[str, list[tuple[str, list[tuple[str, str]]]]]]) -> None:
    """一级 → 二级 → 三级：指标值 as a nested list, the way the 申报表 groups them."""
    if not groups:
        st.caption("（未填写绩效指标）")
        return
    lines: list[str] = []
    for level1, level2_groups in groups:
        lines.append(f"- **{md_escape(level1)}**")
        for level2, items in level2_groups:
            lines.append(f"    - {md_escape(level2)}")
            for name, target in items:
                lines.append(f"        - {md_escape(name)}：**{md_escape(target) or '—'}**")
    st.markdown("\n".join(lines))


def facts_grid(pairs: list[tuple[str, str]], columns: int = 3) -> None:
    """Short labelled values (主管部门, 项目期, …) in a grid; values are report text, so escaped."""
    cells = st.columns(columns)
    for i, (label, value) in enumerate(pairs):
        with cells[i % columns]:
            st.caption(label)
            st.markdown(md_escape(value) if value else "—")


# ------------------------------------------------------------------------------------------------ 数据核对 (检查表)
FINDINGS_PER_PART = 20  # findings shown as cards in one part; the rest are in the table below
_VERDICT_ICON = {findings.YES: ":material/check_circle:", findings.NO: ":material/error:",
                 findings.UNCHECKED: ":material/help:"}
_CN_ORDINAL = "一二三四五六七八九十"


def finding(f: findings.Finding, doc_id: str | None = None) -> None:
    """One problem: what it is, then the words it quotes (or the two figures) and where it stands — and, given its
    report, its page as a picture on demand (原页)."""
    with st.container(border=True):
        st.markdown(md_escape(f.description))
        quote = f"原文：“{f.quote}”" if f.quote else ""
        st.caption(" · ".join(md_escape(x) for x in (quote, findings.mismatch_text(f), f.where) if x))
        if len(f.places) > 1:
            st.caption(f"同一问题还出现在另外{len(f.places) - 1}处：")
            st.markdown("\n".join(
                f"- {md_escape(p.description)}"
                + (f"（{'，'.join(md_escape(x) for x in (p.table, f'第{p.page}页' if p.page else '') if x)}）"
                   if p.table or p.page else "")
                + (f"：“{md_escape(p.quote)}”" if p.quote and p.quote != f.quote else "")
                for p in f.places[1:]))
        if doc_id is not None:
            check_id = evidence_view.check_id_of(doc_id, f)
            if check_id is not None:
                page = f.places[0].page if f.places else None
                _page_picture(doc_id, check_id, f"查看原页（第{page}页）" if page else "查看原页")


@st.fragment
def _page_picture(doc_id: str, check_id: str, label: str) -> None:
    """原页, drawn only once the reader opens it: the expander reruns this fragment alone (not the page), and the
    picture is kept per report version, so a page of findings renders no picture it does not show."""
    box = st.expander(label, key=f"page_of_{doc_id}_{check_id}", on_change="rerun", icon=":material/image:")
    if not box.open:
        return
    with box:
        with st.spinner("正在生成原页图片…"):
            pic = evidence_view.page_picture(doc_id, check_id)
        if pic.png:
            st.image(pic.png, width="stretch")
            st.caption(md_escape(pic.note) if pic.note else "红框处即问题所在。")
        else:
            st.info(md_escape(pic.note), icon=":material/image_not_supported:")


def review_part(n: int, part: findings.Part, doc_id: str | None = None) -> None:
    """One line of the 检查表, opened where the part 不符合要求."""
    number = _CN_ORDINAL[n - 1] if 0 < n <= len(_CN_ORDINAL) else str(n)
    title = f"{number}、{part.label}　符合要求：{part.verdict}" + (f"（{part.problems}）" if part.findings else "")
    with st.expander(title, expanded=part.verdict == findings.NO, icon=_VERDICT_ICON[part.verdict]):
        st.caption(" · ".join(md_escape(x) for x in (part.pages, part.reason) if x))
        if part.notes:
            st.markdown("\n".join(f"- {md_escape(note)}" for note in part.notes))
        for f in part.findings[:FINDINGS_PER_PART]:
            finding(f, doc_id)
        if len(part.findings) > FINDINGS_PER_PART:
            st.caption(f"另有{len(part.findings) - FINDINGS_PER_PART}处问题，见下方核对明细。")


def review_downloads(sel: Selection) -> bool:
    """下载公开情况检查表（Excel） and 下载审查意见（Word）: the reviewer's two files of this report, each problem with its
    page picture. Written only when a button is clicked. False where this build has no writer for them."""
    if not evidence_view.has_review_files():
        return False
    cols = st.columns([1, 1, 3])
    cols[0].download_button("下载公开情况检查表（Excel）", data=lambda: evidence_view.review_sheet(sel.doc_id),
                            file_name=f"{file_stem(sel, '公开情况检查表')}.xlsx",
                            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                            key="review_sheet", on_click="ignore", icon=":material/table_view:",
                            help="逐部分列出是否符合要求，每处问题附原页截图")
    cols[1].download_button("下载审查意见（Word）", data=lambda: evidence_view.review_letter(sel.doc_id),
                            file_name=f"{file_stem(sel, '审查意见')}.docx", mime=word.DOCX_MIME,
                            key="review_letter", on_click="ignore", icon=":material/description:",
                            help="按检查表写成的审查意见，每处问题附原页截图")
    return True
