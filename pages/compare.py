"""单位对比: several units' budgets of one year side by side — size, 基本/项目 and 人员/公用 structure, “三公”
经费 and 机关运行经费."""

from __future__ import annotations

import streamlit as st

from dashboard import compare, notices, queries, state, ui
from dashboard.fmt import md_escape
from dashboard.labels import amount_word, is_final
from dashboard.state import Selection

sel = state.require_selection()
st.title("单位对比")
if sel.fiscal_year is None:
    ui.empty(f"本报告的{amount_word(sel.doc_type)}年度不详，无法与同年度的其他单位对比。")
    st.stop()

year = sel.fiscal_year
st.caption(f"{year}年各单位{amount_word(sel.doc_type)}报告并列比较；年度随左侧所选报告而定。")
docs = queries.documents()
docs = docs[docs["fiscal_year"] == year]
docs = docs[docs["doc_type"].map(is_final) == is_final(sel.doc_type)].reset_index(drop=True)  # 决算 beside 决算
options = list(dict.fromkeys(docs["unit_name"].astype(str)))
if len(options) < 2:
    ui.empty(f"数据库中{year}年只有{sel.unit_name}一个单位的报告，没有可对比的单位。"
             "请在“导入”页导入同一年度其他单位的报告，或在左侧换一个年度。")
    st.stop()

year_figures = compare.figures(docs)  # every report of the year: a few year-wide queries, however many units
default = compare.default_units(year_figures, sel.unit_name)
chosen = st.multiselect(f"参加对比的单位（{year}年，共{len(options)}个）", options, default=default,
                        key=f"compare_units_{year}", placeholder="请选择要对比的单位")
if len(default) < len(options):
    st.caption(f"{year}年共有{len(options)}个单位的报告；默认列出{md_escape(sel.unit_name)}和支出总计最大的{len(default) - 1}个"
               "单位，其余单位可在上面的选择框中添加。")
else:
    st.caption(f"{year}年共有{len(options)}个单位的报告，已全部列出。")
if len(chosen) < 2:
    ui.empty("请至少选择两个单位。")
    st.stop()
ui.briefing_buttons(sel, "compare", units=chosen)
notices.unread_notice_units(year, chosen, ("expenditure", "gp_basic_econ", "three_public", "operating_cost", "summary"))

docs = docs[docs["unit_name"].isin(chosen)].reset_index(drop=True)
figures = year_figures[year_figures["unit"].isin(chosen)].reset_index(drop=True)  # a unit's reports come together
sources = compare.Sources(docs, year)
group = Selection(doc_id=sel.doc_id, unit_name="各单位", fiscal_year=year, doc_type=None, title=None)

st.subheader("支出总计")
ui.chart(compare.figure(compare.TOTALS, figures, sources), group, key="totals")
listed = figures["expenditure"].notna()  # a unit whose report gives no 支出总计 gets no bar, never a 0.00 one
if not listed.all():
    st.caption(md_escape("报告中未列示支出总计、未画入上图的单位：" + "、".join(figures.loc[~listed, "label"])))

st.subheader("基本支出与项目支出")
ui.chart(compare.figure(compare.NATURE, figures, sources), group, key="basic_project")

st.subheader("人员经费与公用经费")
ui.chart(compare.figure(compare.COSTS, figures, sources), group, key="personnel_public")

st.subheader("“三公”经费和机关运行经费")
ui.chart(compare.figure(compare.THREE, figures, sources), group, key="three_public")

st.subheader("对比表")
st.caption("各单位数字取自各自的报告：支出总计取收支总表，基本/项目支出取支出总表，人员/公用经费取一般公共预算基本支出"
           "经济分类表，“三公”经费和机关运行经费取相应的表；表中注明“本表无数据”的按0计。")
ui.table(compare.structure_table(figures), group, key="compare_structure", subject="支出规模与结构对比",
         source=sources.context(["summary", "expenditure"]).source)
ui.table(compare.costs_table(figures), group, key="compare_costs", subject="人员公用经费和三公经费对比",
         source=sources.context(["gp_basic_econ", "three_public", "operating_cost"]).source)
for note in compare.notes(figures):
    st.caption(md_escape(note))
