"""同比变化: how this year's budget differs from last year's — by 科目, by 类 over the years, in the report's own
words about last year, and project by project."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, notices, queries, state, ui, yoy
from dashboard.fmt import md_escape
from dashboard.labels import amount_label, amount_word, table_kind

SCOPES = {"全部资金": "expenditure", "一般公共预算": "gp_expenditure"}

sel = state.require_selection()
ui.header(sel, "同比变化")
notices.unread_notice(sel.doc_id, ("expenditure", "gp_expenditure", "gov_fund_expenditure", "soe_capital", "projects", "projects_carryover"))
ui.briefing_buttons(sel, "yoy")
doc_word = amount_word(sel.doc_type)  # a 决算 is compared with last year's 决算, and says so
if sel.fiscal_year is None:
    ui.empty(f"本报告的{doc_word}年度不详，无法与上年比较。")
    st.stop()

year, last = sel.fiscal_year, sel.fiscal_year - 1
all_docs = queries.documents()
unit_docs = all_docs[(all_docs["unit_name"] == sel.unit_name) & (all_docs["doc_type"].fillna("") == (sel.doc_type or ""))]
unit_docs = unit_docs.dropna(subset=["fiscal_year"])  # one report type: a 部门预算 is compared with a 部门预算
years = sorted({int(y) for y in unit_docs["fiscal_year"]})
prior_loaded = last in years
pair_docs = unit_docs[unit_docs["fiscal_year"].isin([year, last])]

if "yoy_scope" not in st.session_state:
    st.session_state["yoy_scope"] = next((k for k, v in SCOPES.items() if v == state.page_param("scope")), "全部资金")
scope_label = st.radio("资金范围", list(SCOPES), horizontal=True, key="yoy_scope",
                       help="全部资金取支出总表；一般公共预算取一般公共预算支出表")
kind = SCOPES[scope_label]
state.set_page_param("scope", None if kind == "expenditure" else kind)
rows = queries.yoy_func(sel.unit_name, sel.doc_type, kind, "total")
this_year = yoy.of_year(rows, year)

st.subheader(f"{last}年{doc_word}→{year}年{doc_word}：按科目增减")
if not prior_loaded:
    later = [y for y in years if y > year]
    hint = f"可在左侧选择{later[0]}年，查看{later[0]}年与{year}年的比较。" if later else ""
    ui.empty(f"尚未导入{sel.unit_name}{last}年的报告，无法按科目逐项比较。{hint}"
             "下方“报告文字说明的上年数据”列出本年报告自己写明的上年数字。")
elif this_year.empty:
    ui.empty(f"两年的报告中都没有{table_kind(kind)}的科目金额。")
elif this_year["change_yuan"].isna().all():  # the prior report lacks this table: unknown, not "all new"
    ui.empty(f"{last}年的报告中没有{table_kind(kind)}，无法按科目比较；可改选另一资金范围。")
else:
    label = yoy.names(this_year)
    classes = list(yoy.children(this_year, None)["code"])
    wanted = state.page_param("drill") or ""
    if "yoy_class" not in st.session_state:
        st.session_state["yoy_class"] = wanted[:3] if wanted[:3] in classes else ""
    if st.session_state["yoy_class"] not in ["", *classes]:
        st.session_state["yoy_class"] = ""
    pick = st.columns(2)
    chosen_class = pick[0].selectbox("展开类", ["", *classes], key="yoy_class",
                                     format_func=lambda c: "全部类" if not c else f"{c} {label[c]}")
    items = list(yoy.children(this_year, chosen_class)["code"]) if chosen_class else []
    if "yoy_item" not in st.session_state:
        st.session_state["yoy_item"] = wanted[:5] if len(wanted) >= 5 and wanted[:5] in items else ""
    if st.session_state["yoy_item"] not in ["", *items]:
        st.session_state["yoy_item"] = ""
    chosen_item = pick[1].selectbox("展开款", ["", *items], key="yoy_item", disabled=not items,
                                    format_func=lambda c: "该类全部款" if not c else f"{c} {label[c]}")
    drill = chosen_item or chosen_class or None
    state.set_page_param("drill", drill)

    flow = yoy.waterfall(this_year, drill)
    ctx = yoy.context(sel, pair_docs, [kind], year=year)
    scope_word = "" if kind == "expenditure" else "一般公共预算"
    where = f"{label[drill]}" if drill else f"{scope_word}支出"
    level_word = {None: "类", 3: "款", 5: "项"}[len(drill) if drill else None]
    if flow is None:
        ui.empty(f"“{label[drill]}”下没有更细的科目。")
    else:
        fig = charts.yoy_waterfall(flow.labels, flow.changes_yuan, flow.start_yuan, flow.end_yuan, ctx,
                                   f"{where}比上年增减（按{level_word}）", start_label=f"{last}年{doc_word}",
                                   end_label=f"{year}年{doc_word}")
        ui.chart(fig, sel, key="waterfall")
        st.caption(f"两端为{last}年、{year}年报告{table_kind(kind)}所列{amount_label(sel.doc_type)}，中间为各{level_word}的增减额；"
                   "增减为0的科目未画出。")

    changed = yoy.leaves(this_year, drill)
    under = f"“{label[drill]}”下" if drill else ""
    for increases, word, key in ((True, "增加", "yoy_up"), (False, "减少", "yoy_down")):
        st.markdown(f"**{md_escape(under)}{word}最多的科目**")
        biggest = yoy.biggest(changed, year, increases=increases, label=label)
        if biggest.empty:
            ui.empty(f"没有比上年{word}的科目。")
        else:
            ui.table(biggest, sel, key=key, subject=f"比上年{word}最多的科目", source=ctx.source)
    with st.expander("全部科目增减明细"):
        ui.table(yoy.change_table(this_year, year), sel, key="yoy_all", subject="各科目比上年增减",
                 source=ctx.source)

st.subheader("报告文字说明的上年数据")
facts = queries.facts(sel.doc_id)
st.caption(f"以下数字摘自{year}年报告的文字说明，不是{last}年报告的表格数。报告所说的“上年预算执行数”是{last}年实际执行的数，"
           f"与{last}年报告中的“{last}年预算”是两回事，并列给出而不相互替代。")
headline = yoy.prose_changes(facts, year)
if headline.empty:
    ui.empty("本年报告的文字说明中没有与上年比较的总体数字。")
else:
    ui.table(headline, sel, key="prose_changes", subject="报告文字所述与上年比较", source=f"资料来源：《{sel.title}》文字说明")
gp_rows = yoy.of_year(queries.yoy_func(sel.unit_name, sel.doc_type, "gp_expenditure", "total"), year)
items_said = yoy.prose_items(facts, gp_rows, year, prior_loaded=prior_loaded)
if items_said.empty:
    ui.empty("本年报告的文字说明没有逐科目写明上年预算执行数。")
else:
    heading = f"{last}年预算、{last}年执行数与{year}年预算" if prior_loaded else f"{last}年执行数与{year}年预算"
    st.markdown(f"**各科目：{heading}**")
    if prior_loaded:
        st.caption(f"“{yoy.executed_column(year)}”摘自{year}年报告文字；“{yoy.prior_budget_column(year)}”取自{last}年报告的"
                   "一般公共预算支出表。两者不同属正常：执行中会追加或调减预算。")
    else:
        st.caption(f"未导入{last}年的报告，因此只有本年报告文字所述的{last}年执行数，没有{last}年的预算数。")
    ui.table(items_said, sel, key="prose_items", subject="各科目上年预算执行数（报告文字）",
             source=f"资料来源：《{sel.title}》文字说明" + ("；上年预算取自上年报告一般公共预算支出表" if prior_loaded else ""))

st.subheader("各类支出历年变化")
history = yoy.history(rows, years)
if len(years) < 2:
    ui.empty(f"只导入了{sel.unit_name}一个年度（{years[0] if years else year}年）的报告，画不出历年变化。"
             "导入其他年度的报告后，这里会显示各类支出逐年的走势。")
elif history.empty:
    ui.empty(f"各年度报告中都没有{table_kind(kind)}的类级金额。")
else:
    ctx = yoy.context(sel, unit_docs, [kind], year=None)
    span = f"{years[0]}—{years[-1]}年"
    ui.chart(charts.trend_lines(history, ctx, f"{span}各类{'' if kind == 'expenditure' else '一般公共预算'}支出"), sel,
             key="trend")
    with st.expander("各类支出历年数据"):
        ui.table(yoy.history_table(history), sel, key="history_table", subject="各类支出历年数据", source=ctx.source)
    missing = [y for y in range(years[0], years[-1] + 1) if y not in years]
    if missing:
        st.caption("未导入的年度：" + "、".join(f"{y}年" for y in missing) + "（图中直接连接相邻的已导入年度）。")

st.subheader("项目增减")
if not prior_loaded:
    ui.empty(f"未导入{last}年的报告，无法比较项目。")
else:
    project_rows = queries.yoy_projects(sel.unit_name, sel.doc_type, year)
    if project_rows.empty:
        ui.empty(f"{last}年和{year}年的报告都没有项目支出明细表，无法逐个比较项目。")
    else:
        counts = project_rows["status"].value_counts()
        cards = st.columns(3)
        for card, status, text in zip(cards, ("新增", "结束", "延续"),
                                      ("本年新列的项目", "上年有、本年未列的项目", "两年都有的项目"), strict=True):
            with card:
                ui.kpi(f"{status}项目", f"{int(counts.get(status, 0))}个", help=text)
        st.caption("项目按名称配对（空格、全角半角括号、“其它”与“其他”的差别不计）；名称有其他变化的项目会分别列为“结束”和“新增”，不作猜测配对。")
        ui.table(yoy.project_table(project_rows, year), sel, key="yoy_projects", subject="项目比上年增减",
                 source=yoy.context(sel, pair_docs, ["projects", "projects_carryover"], year=year).source)
