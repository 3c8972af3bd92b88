"""单位对比: the headline structure of several units' reports of one year, side by side.

Every figure is taken exactly where the unit's own pages take it (kpis for 支出总计/基本/项目, the 经济分类表's 合计 row
for 人员/公用经费, the “三公”/机关运行经费 tables), so a unit's number here is the number on its 总览 and 支出构成.
"""

from __future__ import annotations

import pandas as pd

from dashboard import kpis, provenance, queries, tables
from dashboard.charts import ChartContext
from dashboard.fmt import share, to_wan

_WAN = "（万元）"
FIGURES = ["unit", "label", "doc_id", "expenditure", "basic", "project", "personnel", "public", "three_public",
           "operating_cost", "three_public_note"]


def _no_data(report: pd.DataFrame, kind: str) -> bool:
    rows = report[report["table_kind"] == kind]
    return not rows.empty and not rows["has_data"].fillna(False).any()


def _three_public(doc_id: str) -> tuple[float | None, float | None, str]:
    """“三公”经费合计 and 机关运行经费; a table printed as 本表无数据 means the unit budgets none (0)."""
    report = queries.report_tables(doc_id)
    rows = queries.three_public(doc_id)
    total_rows = rows[(rows["table_kind"] == "three_public") & (rows["item"] == "合计") & (rows["measure"] == "total")]
    cost_rows = rows[(rows["table_kind"] == "operating_cost") & (rows["item"] == "机关运行经费")
                     & (rows["measure"] == "total")]
    note = ""
    if not total_rows.empty:
        three = float(total_rows["amount_yuan"].iloc[0])
    elif _no_data(report, "three_public"):
        three, note = 0.0, "“三公”经费表注明“本表无数据”，按0计"
    else:
        three = None
    if not cost_rows.empty:
        cost = float(cost_rows["amount_yuan"].iloc[0])
    elif _no_data(report, "operating_cost"):
        cost = 0.0
    else:
        cost = None
    return three, cost, note


def figures(docs: pd.DataFrame) -> pd.DataFrame:
    """One row per report (元); a unit with two reports that year is labelled with its report kind."""
    repeated = docs["unit_name"].duplicated(keep=False)
    out = []
    for (_, doc), twice in zip(docs.iterrows(), repeated, strict=True):
        doc_id = str(doc["doc_id"])
        head = kpis.load(doc_id)
        _, personnel, public = tables.econ_split(queries.econ_lines(doc_id))
        three, cost, note = _three_public(doc_id)
        unit = str(doc["unit_name"])
        label = f"{unit}（{doc['doc_type']}）" if twice and not pd.isna(doc["doc_type"]) else unit
        out.append((unit, label, doc_id, head.expenditure_total, head.basic, head.project, personnel, public, three,
                    cost, note))
    return pd.DataFrame(out, columns=FIGURES)


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
            "基本支出占比（%）": [_pct(b, b + p if pd.notna(b) and pd.notna(p) else None)
                           for b, p in zip(frame["basic"], frame["project"], strict=True)],
            "项目支出占比（%）": [_pct(p, b + p if pd.notna(b) and pd.notna(p) else None)
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
            "人员经费占比（%）": [_pct(a, a + b if pd.notna(a) and pd.notna(b) else None)
                           for a, b in zip(frame["personnel"], frame["public"], strict=True)],
            "“三公”经费" + _WAN: [to_wan(v) for v in frame["three_public"]],
            "机关运行经费" + _WAN: [to_wan(v) for v in frame["operating_cost"]],
        }
    )


def notes(frame: pd.DataFrame) -> list[str]:
    """'阳泉市文化和旅游局：“三公”经费表注明本表无数据' — why a unit shows 0 where its table is empty."""
    return [f"{label}：{note}" for label, note in zip(frame["label"], frame["three_public_note"], strict=True) if note]


def report_source(title: str | None, doc_id: str, kinds: list[str]) -> str:
    """'《title》table, page；table, page' for one report, each printed table named once even where it serves two
    kinds (上海's one “三公”经费和机关运行经费 table is both three_public and operating_cost)."""
    report = queries.report_tables(doc_id)
    head = provenance.source_note(title, report.iloc[0:0], []).removeprefix("资料来源：")
    parts = [provenance.source_note(title, report, [kind]).removeprefix("资料来源：").removeprefix(head)
             for kind in kinds]
    return head + "；".join(dict.fromkeys(p for p in parts if p))


def context(docs: pd.DataFrame, year: int | None, kinds: list[str]) -> ChartContext:
    """Source note naming each unit's report and table: Shanghai titles do not name the unit themselves."""
    parts = []
    for _, doc in docs.iterrows():
        title = None if pd.isna(doc["title"]) else str(doc["title"])
        # '，' after the unit: the note wraps after punctuation, so the report title never starts a line with '》'
        parts.append(f"{doc['unit_name']}，{report_source(title, str(doc['doc_id']), kinds)}")
    return ChartContext(unit="各单位", year=year, source="资料来源：" + "；".join(parts))
