"""charts.shared: a figure is built once per distinct input and shared — and only ever for equal inputs."""

from __future__ import annotations

import threading

import pandas as pd
import plotly.io as pio

from dashboard import charts, findings, tables
from tests import synthetic_db as syn

CTX = charts.ChartContext(unit=syn.UNIT, year=2023, source=f"资料来源：《{syn.TITLE}》表3，第6页")
LABELS = ["艺术表演团体", "旅游宣传", "行政运行"]
AMOUNTS = [6_000_000.0, 2_900_000.0, 1_500_000.0]


def spec(fig) -> str:
    return pio.to_json(fig, validate=False)


def test_same_input_returns_the_same_figure_identical_to_a_fresh_build() -> None:
    first = charts.ranked_bar(pd.Series(LABELS), pd.Series(AMOUNTS), CTX, "共享测试", share_base_yuan=1.2e7,
                              share_of="支出总计")
    again = charts.ranked_bar(pd.Series(LABELS), pd.Series(AMOUNTS), CTX, "共享测试", share_base_yuan=1.2e7,
                              share_of="支出总计")
    assert again is first  # equal content in new objects (each rerun builds new Series): the shared figure
    fresh = charts.ranked_bar.uncached(pd.Series(LABELS), pd.Series(AMOUNTS), CTX, "共享测试",
                                       share_base_yuan=1.2e7, share_of="支出总计")
    assert fresh is not first and spec(fresh) == spec(first)


def test_any_difference_in_the_input_builds_a_new_figure() -> None:
    base = charts.ranked_bar(LABELS, AMOUNTS, CTX, "差异测试")
    variants = [
        charts.ranked_bar(LABELS, [*AMOUNTS[:2], 1_500_100.0], CTX, "差异测试"),  # one 万元 cent
        charts.ranked_bar([*LABELS[:2], "行政运行 "], AMOUNTS, CTX, "差异测试"),  # one space in a name
        charts.ranked_bar(LABELS, AMOUNTS, charts.ChartContext(syn.UNIT, 2024, CTX.source), "差异测试"),
        charts.ranked_bar(LABELS, AMOUNTS, CTX, "差异测试", top_n=2),  # a keyword argument
        charts.ranked_bar(LABELS, [6_000_000, 2_900_000, 1_500_000], CTX, "差异测试"),  # int, not float
    ]
    assert all(v is not base for v in variants)
    assert len({id(v) for v in variants}) == len(variants)
    assert list(variants[0].data[0].x) == [600.0, 290.0, 150.01] and list(base.data[0].x) == [600.0, 290.0, 150.0]


def test_dataframe_inputs_are_keyed_by_values_and_dtypes() -> None:
    history = pd.DataFrame({"year": [2022, 2023, 2022, 2023], "name": ["甲", "甲", "乙", "乙"],
                            "amount_yuan": [1e6, 2e6, 3e6, 4e6]})
    fig = charts.trend_lines(history, CTX, "走势")
    assert charts.trend_lines(history.copy(), CTX, "走势") is fig
    changed = history.assign(amount_yuan=[1e6, 2e6, 3e6, 4.01e6])
    assert charts.trend_lines(changed, CTX, "走势") is not fig


def test_concurrent_first_calls_build_once(monkeypatch) -> None:
    calls = []
    gate = threading.Event()

    def slow(labels, amounts, ctx, subject):  # noqa: ANN001, ANN202
        calls.append(subject)
        gate.wait(5)
        return charts.go.Figure()

    shared = charts.shared(slow)
    results = []
    threads = [threading.Thread(target=lambda: results.append(shared(LABELS, AMOUNTS, CTX, "并发"))) for _ in range(4)]
    for t in threads:
        t.start()
    gate.set()
    for t in threads:
        t.join()
    assert calls == ["并发"] and len(results) == 4 and all(r is results[0] for r in results)


def test_least_recently_used_figures_are_dropped(monkeypatch) -> None:
    monkeypatch.setattr(charts, "SHARED_FIGURES", 3)
    figs = [charts.grouped_bar(["甲"], {"预算数": [float(i)]}, CTX, "容量") for i in range(5)]
    assert len(charts._figures) <= 3
    assert charts.grouped_bar(["甲"], {"预算数": [4.0]}, CTX, "容量") is figs[4]
    assert charts.grouped_bar(["甲"], {"预算数": [0.0]}, CTX, "容量") is not figs[0]


def test_unpicklable_input_is_built_every_time() -> None:
    def build(x, ctx):  # noqa: ANN001, ANN202
        return charts.go.Figure()

    shared = charts.shared(build)
    unpicklable = lambda: None  # noqa: E731
    assert shared(unpicklable, CTX) is not shared(unpicklable, CTX)


def test_cached_tables_equal_a_fresh_computation(synthetic_db, use_db) -> None:
    use_db(synthetic_db)
    from dashboard import queries

    pd.testing.assert_frame_equal(tables.econ_items_of(syn.DOC), tables.econ_items(queries.econ_lines(syn.DOC)))
    pd.testing.assert_frame_equal(findings.checks_table_of(syn.DOC, "budget"),
                                  findings.checks_table(queries.checks(syn.DOC), "budget"))
    assert not tables.econ_items_of(syn.DOC).empty
