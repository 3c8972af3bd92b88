"""Figure builders: the values plotted, the labels printed on them, and the briefing title/source text."""

from __future__ import annotations

import plotly.io as pio
import pytest

from dashboard import charts, func_tree, queries, tables
from tests import synthetic_db as syn

CTX = charts.ChartContext(unit=syn.UNIT, year=2023, source=f"资料来源：《{syn.TITLE}》表3“2023年预算支出总表”，第6页")


@pytest.fixture()
def tree(synthetic_db, use_db):
    use_db(synthetic_db)
    return func_tree.build(queries.func_lines(syn.DOC, "expenditure"))


def assert_house_style(fig, subject: str) -> None:
    title = fig.layout.title.text
    assert title.startswith(syn.UNIT) and "2023年" in title and subject in title and "单位：万元" in title
    assert fig.layout.template.layout.font.family == charts.FONT_FAMILY
    assert fig.layout.template.layout.font.family.startswith("Noto Sans CJK SC, Microsoft YaHei, PingFang SC")
    notes = [a.text.replace("<br>", "") for a in fig.layout.annotations]
    assert CTX.source in notes
    assert fig.layout.meta["subject"] == subject


def test_template_is_registered_with_cjk_font() -> None:
    layout = pio.templates[charts.TEMPLATE].layout
    assert layout.font.family == "Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif"
    assert layout.separators == ".,"


def test_ranked_bar_values_labels_and_shares(tree) -> None:
    leaves = func_tree.leaves(tree)
    fig = charts.ranked_bar(leaves["label"], leaves["total_yuan"], CTX, "支出最多的科目（项）",
                            share_base_yuan=12_000_000.0, share_of="支出总计")
    bar, labels = fig.data
    assert list(bar.x) == [600.0, 290.0, 150.0, 100.0, 50.0, 10.0]
    assert bar.text[0] == "600.00（50.00%）" and bar.text[-1] == "10.00（0.83%）"
    assert list(labels.text[:2]) == ["艺术表演团体", "旅游宣传"]
    assert list(bar.textposition) == ["inside", "inside", "outside", "outside", "outside", "outside"]
    assert "括号内为占支出总计的比重" in fig.layout.title.text
    assert list(bar.y) == sorted(bar.y)  # largest first, top to bottom (y measured downwards)
    assert fig.layout.yaxis.range[0] > fig.layout.yaxis.range[1]
    assert_house_style(fig, "支出最多的科目（项）")


def test_ranked_bar_folds_the_tail_into_one_bar() -> None:
    labels = [f"项目{i}" for i in range(25)]
    amounts = [float(100_000 * (25 - i)) for i in range(25)]
    fig = charts.ranked_bar(labels, amounts, CTX, "项目", top_n=20)
    bar, names = fig.data
    assert len(bar.x) == 20
    assert names.text[-1] == "其余6项"
    assert bar.x[-1] == pytest.approx(sum(range(1, 7)) * 10.0)
    assert bar.text[-1] == f"{sum(range(1, 7)) * 10:,.2f}"


def test_ranked_bar_thousands_separator() -> None:
    fig = charts.ranked_bar(["三团过渡期保障经费"], [22_194_000.0], CTX, "项目")
    assert fig.data[0].text[0] == "2,219.40"
    assert fig.data[0].hovertemplate.count(",.2f") == 1


def test_treemap_hierarchy_values_and_focus(tree) -> None:
    fig = charts.func_treemap(tree, CTX, focus="207")
    tm = fig.data[0]
    ids = list(tm.ids)
    assert ids[0] == func_tree.ROOT and tm.labels[0] == "支出合计"
    nodes = dict(zip(ids, zip(tm.parents, tm.values, [c[0] for c in tm.customdata], strict=True), strict=True))
    assert nodes["2070107"] == ("20701", 6_000_000.0, 600.0)
    assert nodes["207"][0] == func_tree.ROOT and nodes["207"][2] == 1050.0
    # tile areas add up so plotly never drops a parent smaller than its children
    assert nodes["20701"][1] == pytest.approx(nodes["2070101"][1] + nodes["2070107"][1] + nodes["2070113"][1])
    assert tm.values[0] == pytest.approx(12_000_000.0)
    assert tm.level == "207" and tm.branchvalues == "total"
    assert "%{customdata[0]:,.2f}" in tm.texttemplate
    assert fig.layout.uniformtext.mode == "hide" and fig.layout.uniformtext.minsize >= 10  # label threshold
    assert_house_style(fig, "支出功能分类构成")


def test_treemap_by_measure_drops_empty_branches(tree) -> None:
    fig = charts.func_treemap(tree, CTX, measure="project", subject="项目支出功能分类构成")
    tm = fig.data[0]
    assert "221" not in tm.ids and "2070107" in tm.ids  # 住房保障 has no 项目支出
    assert tm.labels[0] == "项目支出合计"
    assert tm.values[0] == pytest.approx(9_000_000.0)


def test_nature_bar_stacks_basic_and_project(tree) -> None:
    fig = charts.nature_bar(tree, CTX)
    basic, project, totals = fig.data
    assert (basic.name, project.name) == ("基本支出", "项目支出")
    assert basic.y[0] == "文化旅游体育与传媒支出"
    assert (basic.x[0], project.x[0], totals.x[0]) == (150.0, 900.0, 1050.0)
    assert totals.text[0] == "1,050.00"
    assert fig.layout.barmode == "stack"
    assert_house_style(fig, "基本支出与项目支出（按类）")


def test_econ_bar_groups_items(synthetic_db, use_db) -> None:
    use_db(synthetic_db)
    items = tables.econ_items(queries.econ_lines(syn.DOC))
    fig = charts.econ_bar(items, CTX, "一般公共预算基本支出经济分类")
    assert [t.name for t in fig.data] == ["工资福利支出", "商品和服务支出", "对个人和家庭的补助"]
    wages = fig.data[0]
    assert list(wages.y) == ["基本工资", "津贴补贴", "住房公积金"] and list(wages.x) == [150.0, 60.0, 40.0]
    assert fig.data[1].text[-1] == "0.50"  # 水费 keeps its label however small
    assert_house_style(fig, "一般公共预算基本支出经济分类")


def test_long_unit_names_break_the_title() -> None:
    ctx = charts.ChartContext(unit="上海市普陀区人民政府万里街道办事处", year=2024, source="资料来源：测试")
    title = ctx.title("支出功能分类构成")
    assert title.startswith("上海市普陀区人民政府万里街道办事处<br>2024年支出功能分类构成")
