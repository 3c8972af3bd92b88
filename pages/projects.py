"""项目: every project, searchable and sortable; one project's 绩效目标申报表 in full."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import charts, notices, provenance, queries, state, tables, ui
from dashboard.fmt import md_escape, pct, share, wan
from dashboard.labels import FORM_TEXT

sel = state.require_selection()
ui.header(sel, "项目")
notices.unread_notice(sel.doc_id, ("projects", "projects_carryover", "performance_form", "procurement"))
ui.briefing_buttons(sel, "projects")

projects = queries.projects(sel.doc_id)
if projects.empty:
    ui.empty("本单位本年度报告中没有项目支出明细表（或该表注明“本表无数据”）。")
    st.stop()

total = float(projects["total_yuan"].fillna(0).sum())
carried = projects["carryover"].fillna(False).astype(bool)
from_forms = tables.listed_from_forms(projects)
if from_forms:
    st.caption(f"本报告未列项目支出明细表；以下是报告所附{len(projects)}张绩效目标表的项目，金额为表中的年度资金总额。")
cards = st.columns(3)
with cards[0]:
    if from_forms:
        ui.kpi("项目个数", f"{len(projects)}个", description="编报绩效目标的项目")
    else:
        ui.kpi("项目个数", f"{len(projects)}个", delta=f"{int(carried.sum())}个", description="其中上年结转")
with cards[1]:
    ui.kpi("所列项目合计（万元）" if from_forms else "项目支出合计（万元）", wan(total))
with cards[2]:
    if from_forms:
        ui.kpi("最大项目（万元）", wan(projects["total_yuan"].max()),
               delta=pct(share(projects["total_yuan"].max(), total)), description="占所列项目合计")
    else:
        ui.kpi("本年预算安排的项目（万元）", wan(projects.loc[~carried, "total_yuan"].sum()),
               delta=pct(share(projects.loc[~carried, "total_yuan"].sum(), total)), description="占项目支出")

ctx = provenance.context(sel, tables.project_source_kinds(projects))
share_of = "所列项目合计" if from_forms else "项目支出合计"
with st.expander("项目金额图", expanded=False):
    ui.chart(charts.ranked_bar(projects["name"], projects["total_yuan"], ctx, "项目支出（按项目）",
                               share_base_yuan=total, share_of=share_of), sel, key="projects_bar")

st.subheader("项目清单")
query = st.text_input("搜索项目", key="q", placeholder="输入项目名称或申报表中的词语，多个词用空格分隔",
                      help="在项目名称、绩效目标申报表正文和绩效指标中查找，须包含全部词语")
words = tuple(query.split())
shown = projects
if words:
    found = set(queries.search_projects(sel.doc_id, words)["name"])
    shown = projects[projects["name"].isin(found)]
    st.caption(f"共{len(projects)}个项目，找到{len(shown)}个。")
if shown.empty:
    ui.empty(f"没有找到包含“{' '.join(words)}”的项目。")
    st.stop()
ui.table(tables.projects_table(shown), sel, key="projects", subject="项目支出清单", source=ctx.source)

st.subheader("项目详情")
names = list(shown["name"])
wanted = state.page_param("project")
if st.session_state.get("project_pick") not in names:
    st.session_state["project_pick"] = wanted if wanted in names else names[0]
chosen = st.selectbox("选择项目", names, key="project_pick")
state.set_page_param("project", chosen)
row = shown[shown["name"] == chosen].iloc[0]

st.markdown(f"#### {md_escape(chosen)}")
info = st.columns(2 if from_forms else 4)
with info[0]:
    ui.kpi("年度资金总额（万元）" if from_forms else "预算金额（万元）", wan(row["total_yuan"]))
with info[1]:
    ui.kpi(f"占{share_of}", pct(share(row["total_yuan"], total)))
if not from_forms:
    with info[2]:
        ui.kpi("资金类型", tables.fund_kind(row["carryover"]))
    with info[3]:
        ui.kpi("资金来源", tables.funding_sources(row))

report = queries.report_tables(sel.doc_id)
all_forms = queries.project_forms(sel.doc_id)
forms = tables.rows_for_project(all_forms, "project_name", chosen)
if forms.empty and all_forms.empty and (report["table_kind"] == "performance_form").any():
    count = int((report["table_kind"] == "performance_form").sum())
    ui.empty(f"报告附有{count}张绩效目标申报表，但数据库中还没有提取其内容，暂无法显示。")
elif forms.empty:
    note = "上年结转项目通常不附申报表。" if tables.fund_kind(row["carryover"]) == "上年结转" else ""
    ui.empty(f"报告中没有附该项目的绩效目标申报表。{note}")
else:
    form = forms.iloc[0]

    def text(value: object) -> str:
        return "" if value is None or pd.isna(value) else str(value)

    st.markdown("##### 绩效目标申报表")
    # the report's own arithmetic about this project (form total vs its sources, project list vs form) where it fails
    misses = tables.failed_checks_about(queries.checks(sel.doc_id), chosen)
    for description in misses:
        st.warning(f"核对未通过：{md_escape(description)}（详见“数据核对”页）", icon=":material/error:")
    ui.facts_grid([
        ("主管部门", text(form["department"])),
        ("实施单位", text(form["implementer"])),
        ("项目属性", text(form["attribute"])),
        ("项目期", text(form["period"])),
        ("实施期资金总额", wan(form["total_funds_yuan"], suffix=True)),
        ("年度资金总额", wan(form["annual_funds_yuan"], suffix=True)),
    ])

    st.markdown("##### 资金来源")
    grid = tables.funds_grid(tables.rows_for_project(queries.project_funds(sel.doc_id), "project_name", chosen))
    if grid.empty:
        ui.empty("申报表中没有列示资金来源。")
    else:
        ui.table(grid, sel, key="funds", subject=f"{chosen}资金来源")

    st.markdown("##### 项目情况")
    filled = {column: label for column, label in FORM_TEXT.items() if text(form[column]).strip()}
    if not filled:
        st.caption("该申报表没有项目概况、立项依据等说明栏目。")
    else:
        tabs = st.tabs(list(FORM_TEXT.values()))
        for tab, (column, label) in zip(tabs, FORM_TEXT.items(), strict=True):
            with tab:
                ui.text_block(label, text(form[column]))

    st.markdown("##### 绩效目标")
    goals = st.columns(2, gap="large")
    with goals[0]:
        ui.text_block("实施期总体目标", text(form["goal_period"]))
    with goals[1]:
        ui.text_block("年度总体目标", text(form["goal_annual"]))

    st.markdown("##### 绩效指标")
    indicator_rows = tables.rows_for_project(queries.indicators(sel.doc_id), "project_name", chosen)
    if indicator_rows.empty:
        ui.empty("申报表中没有绩效指标。")
    else:
        present = [s for s in ("实施期", "年度") if (indicator_rows["scope"] == s).any()]
        scopes = st.columns(2, gap="large")
        for column, scope in zip(scopes, present, strict=False):
            with column:
                st.markdown(f"**{scope}指标**")
                ui.indicator_list(tables.indicator_tree(indicator_rows, scope))
        with st.expander("绩效指标表"):
            ui.table(tables.indicators_table(indicator_rows), sel, key="indicators", subject=f"{chosen}绩效指标")

st.markdown("##### 政府采购")
all_lines = queries.procurement(sel.doc_id)
lines = tables.rows_for_project(all_lines, "project", chosen)
if not lines.empty:
    ui.table(tables.procurement_table(lines), sel, key="procurement", subject=f"{chosen}政府采购预算",
             source=provenance.context(sel, ["procurement"]).source)
elif all_lines.empty and not (report["table_kind"] == "procurement").any():
    ui.empty("报告中没有政府采购预算明细表。")
elif all_lines.empty:
    ui.empty("报告附有政府采购预算明细表，但数据库中还没有提取其内容，暂无法显示。")
else:
    ui.empty("该项目没有政府采购预算明细。")
