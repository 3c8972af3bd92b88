"""单位对比: the headline structure of several units' reports of one year, side by side.

Every figure is taken exactly where the unit's own pages take it (kpis for 支出总计/基本/项目, the 经济分类表's 合计 row
for 人员/公用经费, the “三公”/机关运行经费 tables), so a unit's number here is the number on its 总览 and 支出构成.
The picking is done in SQL for the whole year at once (queries.year_*), so a year of hundreds of reports costs a
few statements; tests/test_compare_fast.py holds it to the per-report functions' figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pandas as pd
import plotly.graph_objects as go

from dashboard import charts, provenance, queries
from dashboard.charts import ChartContext
from dashboard.fmt import share, to_wan

_WAN = "（万元）"
FIGURES = ["unit", "label", "doc_id", "expenditure", "basic", "project", "personnel", "public", "three_public",
           "operating_cost", "three_public_note"]
_NUMBERS = FIGURES[3:-1]
_EMPTY_NOTE = "“三公”经费表注明“本表无数据”，按0计"


def _year_figures(year: int) -> pd.DataFrame:
    """All reports of one year, one row each, from one statement per kind of figure: a year of 200 units is four
    cached queries, not thousands of per-report ones."""
    frame = queries.year_totals(year)
    for part in (queries.year_econ(year), queries.year_three_public(year)):
        frame = frame.merge(part, on="doc_id", how="left", validate="one_to_one")
    return frame


def figures(docs: pd.DataFrame) -> pd.DataFrame:
    """One row per report (元), in docs' order; a unit with two reports that year is labelled with its report kind.
    docs are reports of known years (the page never compares a report whose year is unknown)."""
    years = [_year_figures(int(year)) for year in docs["fiscal_year"].dropna().unique()]
    found = pd.concat(years, ignore_index=True) if years else pd.DataFrame(columns=["doc_id", *_NUMBERS,
                                                                                     "three_public_empty"])
    rows = docs[["doc_id", "unit_name", "doc_type"]].astype({"doc_id": str}).merge(
        found, on="doc_id", how="left", validate="one_to_one")
    unit = rows["unit_name"].astype(str)
    twice = unit.duplicated(keep=False) & rows["doc_type"].notna()
    label = unit.where(~twice, unit + "（" + rows["doc_type"].astype(str) + "）")
    empty = rows["three_public_empty"].fillna(False).astype(bool)
    out = rows.assign(unit=unit, label=label, three_public_note=empty.map({True: _EMPTY_NOTE, False: ""}))
    return out.astype(dict.fromkeys(_NUMBERS, "float64"))[FIGURES].reset_index(drop=True)


def default_units(frame: pd.DataFrame, selected: str, limit: int = 10) -> list[str]:
    """The selected unit and the largest others by 支出总计 (ties by name), in the frame's order: with hundreds of
    units a chart of every one is unreadable, and a reader comparing a unit wants it beside the big ones first."""
    size = frame.groupby("unit", sort=False)["expenditure"].max().rename_axis("unit").reset_index()
    others = size[size["unit"] != selected].sort_values(["expenditure", "unit"], ascending=[False, True],
                                                         na_position="last", kind="stable")
    keep = set(others["unit"].head(limit - 1 if selected in set(size["unit"]) else limit)) | {selected}
    return [u for u in size["unit"] if u in keep]


def _pct(part: object, whole: object) -> float | None:
    value = share(None if part is None or pd.isna(part) else float(part),
                  None if whole is None or pd.isna(whole) else float(whole))
    return None if value is None else round(value, 2)


def structure_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Size and 基本/项目 structure, one row per unit (narrow enough to read without scrolling sideways)."""
    return pd.DataFrame(
        {
            "单位": frame["label"],
            "支出总计" + _WAN: [to_wan(v) for v in frame["expenditure"]],
            "基本支出" + _WAN: [to_wan(v) for v in frame["basic"]],
            "项目支出" + _WAN: [to_wan(v) for v in frame["project"]],
            "基本支出占基本与项目之和（%）": [_pct(b, b + p if pd.notna(b) and pd.notna(p) else None)
                           for b, p in zip(frame["basic"], frame["project"], strict=True)],
            "项目支出占基本与项目之和（%）": [_pct(p, b + p if pd.notna(b) and pd.notna(p) else None)
                           for b, p in zip(frame["basic"], frame["project"], strict=True)],
        }
    )


def costs_table(frame: pd.DataFrame) -> pd.DataFrame:
    """人员/公用经费 (一般公共预算基本支出), “三公”经费 and 机关运行经费, one row per unit."""
    return pd.DataFrame(
        {
            "单位": frame["label"],
            "人员经费" + _WAN: [to_wan(v) for v in frame["personnel"]],
            "公用经费" + _WAN: [to_wan(v) for v in frame["public"]],
            "人员经费占人员与公用之和（%）": [_pct(a, a + b if pd.notna(a) and pd.notna(b) else None)
                           for a, b in zip(frame["personnel"], frame["public"], strict=True)],
            "“三公”经费" + _WAN: [to_wan(v) for v in frame["three_public"]],
            "机关运行经费" + _WAN: [to_wan(v) for v in frame["operating_cost"]],
        }
    )


def notes(frame: pd.DataFrame) -> list[str]:
    """'阳泉市文化和旅游局：“三公”经费表注明本表无数据' — why a unit shows 0 where its table is empty."""
    return [f"{label}：{note}" for label, note in zip(frame["label"], frame["three_public_note"], strict=True) if note]


def _head(title: str | None) -> str:
    return provenance.source_note(title, pd.DataFrame(), []).removeprefix("资料来源：")


def _table_source(title: str | None, report: pd.DataFrame, kind: str) -> str:
    """The table, page of one kind in one report ('' where the report has none), without the report's title."""
    return provenance.source_note(title, report, [kind]).removeprefix("资料来源：").removeprefix(_head(title))


def report_source(title: str | None, doc_id: str, kinds: list[str]) -> str:
    """'《title》table, page；table, page' for one report, each printed table named once even where it serves two
    kinds (上海's one “三公”经费和机关运行经费 table is both three_public and operating_cost)."""
    report = queries.report_tables(doc_id)
    return _head(title) + "；".join(dict.fromkeys(p for p in (_table_source(title, report, k) for k in kinds) if p))


class Sources:
    """The source notes of one view: the compared reports' tables come from one year-wide query, read once, and
    each report's table of a kind is described once, however many charts and tables the page notes it under."""

    def __init__(self, docs: pd.DataFrame, year: int | None) -> None:
        self.year = year
        ids = [str(d) for d in docs["doc_id"]]
        tables = queries.year_report_tables(year) if year is not None else pd.DataFrame(columns=["doc_id"])
        tables = tables[tables["doc_id"].isin(ids)]
        by_doc = {str(d): t.drop(columns="doc_id") for d, t in tables.groupby("doc_id", sort=False)}
        empty = tables.drop(columns="doc_id").iloc[0:0]
        self._reports = [(str(unit), None if pd.isna(title) else str(title), by_doc.get(doc_id, empty))
                         for doc_id, unit, title in zip(ids, docs["unit_name"], docs["title"], strict=True)]
        self._tables: dict[tuple[int, str], str] = {}
        self._notes: dict[tuple[str, ...], ChartContext] = {}

    def _table(self, at: int, kind: str) -> str:
        if (at, kind) not in self._tables:
            _, title, report = self._reports[at]
            self._tables[at, kind] = _table_source(title, report, kind)
        return self._tables[at, kind]

    def context(self, kinds: list[str]) -> ChartContext:
        """Source note naming each unit's report and table: Shanghai titles do not name the unit themselves."""
        if tuple(kinds) not in self._notes:
            parts = []
            for at, (unit, title, _) in enumerate(self._reports):
                named = dict.fromkeys(p for p in (self._table(at, k) for k in kinds) if p)
                # '，' after the unit: the note wraps after punctuation, so the title never starts a line with '》'
                parts.append(f"{unit}，{_head(title)}{'；'.join(named)}")
            self._notes[tuple(kinds)] = ChartContext(unit="各单位", year=self.year,
                                                     source="资料来源：" + "；".join(parts))
        return self._notes[tuple(kinds)]


def context(docs: pd.DataFrame, year: int | None, kinds: list[str]) -> ChartContext:
    """One note on its own; a page noting several charts builds Sources once and asks it for each."""
    return Sources(docs, year).context(kinds)


@dataclass(frozen=True)
class Plot:
    """One chart of 单位对比, as the page and the 简报 both draw it: its subject (title and caption), the table
    kinds its source note names, the figures() columns it draws (with their legend names) and how — ranked: one bar
    per unit with a figure, units without one left out (never a 0.00 bar); share: one 100% bar per unit split into
    the series (`of` names the whole); grouped: the series side by side, a missing figure labelled 未列示."""

    key: str
    subject: str
    kinds: tuple[str, ...]
    series: tuple[tuple[str, str], ...]
    style: Literal["ranked", "share", "grouped"]
    of: str = ""


TOTALS = Plot("compare_totals", "支出总计对比", ("summary", "expenditure"), (("支出总计", "expenditure"),), "ranked")
NATURE = Plot("compare_nature", "基本支出与项目支出占比", ("expenditure",),
              (("基本支出", "basic"), ("项目支出", "project")), "share", of="基本支出与项目支出之和")
COSTS = Plot("compare_costs", "人员经费与公用经费占比", ("gp_basic_econ",),
             (("人员经费", "personnel"), ("公用经费", "public")), "share", of="一般公共预算基本支出")
THREE = Plot("compare_three", "“三公”经费和机关运行经费", ("three_public", "operating_cost"),
             (("“三公”经费", "three_public"), ("机关运行经费", "operating_cost")), "grouped")
PLOTS = (TOTALS, NATURE, COSTS, THREE)


def figure(plot: Plot, frame: pd.DataFrame, sources: Sources) -> go.Figure:
    """The chart `plot` describes for the units of frame (figures() rows); its source note is
    sources.context(plot.kinds)."""
    ctx = sources.context(list(plot.kinds))
    if plot.style == "ranked":
        (_, column), = plot.series
        listed = frame[column].notna()
        return charts.ranked_bar(list(frame.loc[listed, "label"]), list(frame.loc[listed, column]), ctx,
                                 plot.subject)
    labels = list(frame["label"])
    series = {name: list(frame[column]) for name, column in plot.series}
    if plot.style == "share":
        return charts.share_stack(labels, series, ctx, plot.subject, of=plot.of)
    return charts.grouped_bar(labels, series, ctx, plot.subject)
