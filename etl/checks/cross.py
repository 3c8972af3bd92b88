"""Relations between two reports in the database (the rule family 跨报告): a figure one report states about another
report's year against what that report prints.

These need the database, not one parsed file, so they read a `DbView` (the written report and its counterparts)
instead of a `View`; the rows that use them live in the one rule table (etl/checks/rules.py) like every other rule. A
counterpart that is not loaded — or is loaded twice, so that it is not clear which one is meant — gives no
comparison: nothing to compare is no finding.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

import duckdb

from etl.checks.budget import fmt_figure, prose_tolerance, prose_yuan
from etl.read.amounts import rounding_tolerance
from etl.read.report import Comparison
from etl.read.units import yuan_per


@dataclass
class DbView:
    """One loaded report (`doc`: doc_id, unit_name, fiscal_year, doc_type, source_file, title) and reads of any
    report of the database. Its counterparts are the reports of its unit as unit_keys keys it (aliases and every
    printing of the name that differs only in spaces, bracket widths or 其它/其他 included); a finding names each
    report by the unit name that report prints, so its text does not change when another printing is loaded."""

    con: duckdb.DuckDBPyConnection
    doc: dict

    def __post_init__(self) -> None:
        row = self.con.execute("SELECT unit_key, printed_unit_name FROM unit_keys WHERE doc_id = ?",
                               [self.doc["doc_id"]]).fetchone()
        if row is not None:
            self.doc = dict(self.doc, unit_key=row[0], unit_name=row[1])

    def counterpart(self, year: int, doc_type: str) -> dict | None:
        """The one report of this unit for `year` and `doc_type`; None if none or more than one is loaded."""
        rows = self.con.execute(
            "SELECT u.doc_id, u.printed_unit_name, u.fiscal_year, u.doc_type, d.source_file FROM unit_keys u "
            "JOIN documents d USING (doc_id) WHERE u.unit_key = ? AND u.fiscal_year = ? AND u.doc_type = ?",
            [self.doc.get("unit_key"), year, doc_type]).fetchall()
        if len(rows) != 1:
            return None
        return dict(zip(("doc_id", "unit_name", "fiscal_year", "doc_type", "source_file"), rows[0], strict=True))

    def cells(self, doc_id: str, kind: str, measure: str) -> dict[str, dict]:
        """code → amount (元), page, name and printed unit of one column of a 功能分类 table."""
        rows = self.con.execute(
            "SELECT f.code, SUM(f.amount_yuan), min(f.page), min(f.name), count(*), min(t.unit_printed) "
            "FROM func_lines f LEFT JOIN report_tables t ON t.doc_id = f.doc_id AND t.table_kind = f.table_kind "
            "WHERE f.doc_id = ? AND f.table_kind = ? AND f.measure = ? AND f.code IS NOT NULL "
            "AND f.amount_yuan IS NOT NULL GROUP BY f.code",
            [doc_id, kind, measure]).fetchall()
        return {c: {"amount": a, "page": p, "name": n, "cells": k, "unit": u or "元"} for c, a, p, n, k, u in rows}

    def facts(self, key: str, doc_id: str | None = None, coded: bool = True) -> list[dict]:
        rows = self.con.execute(
            "SELECT code, value, page, decimals, sentence FROM facts WHERE doc_id = ? AND key = ? "
            "AND (code IS NOT NULL OR NOT ?) AND value IS NOT NULL ORDER BY page, code, sentence",
            [doc_id or self.doc["doc_id"], key, coded]).fetchall()
        return [dict(zip(("code", "value", "page", "decimals", "sentence"), r, strict=True)) for r in rows]

    def total(self, doc_id: str, kind: str, measure: str) -> dict | None:
        """The 合计 row (no code) of one column of a 功能分类 table, as `cells` gives a code."""
        rows = self.con.execute(
            "SELECT f.amount_yuan, f.page, min(t.unit_printed) FROM func_lines f LEFT JOIN report_tables t "
            "ON t.doc_id = f.doc_id AND t.table_kind = f.table_kind WHERE f.doc_id = ? AND f.table_kind = ? "
            "AND f.measure = ? AND f.code IS NULL AND f.amount_yuan IS NOT NULL GROUP BY f.amount_yuan, f.page",
            [doc_id, kind, measure]).fetchall()
        if len(rows) != 1:
            return None
        return {"amount": rows[0][0], "page": rows[0][1], "cells": 1, "unit": rows[0][2] or "元"}


CrossRelation = Callable[[DbView], Iterator[Comparison]]


def doc_label(doc: dict) -> str:
    """How a finding names a report: unit, year, type and the file it was loaded from."""
    return f"{doc['unit_name']}{doc['fiscal_year']}年{doc['doc_type']}（{doc['source_file']}）"


def _tol(cell: dict) -> Decimal:
    return rounding_tolerance(cell["unit"] if cell["unit"] in ("元", "万元", "亿元") else "元", cell["cells"])


def _wan(yuan: Decimal) -> str:
    return fmt_figure(float(yuan / yuan_per("万元")))


def _fields(v: DbView, other: dict, page: int | None, other_page: int | None, code: str, name: str | None,
            figure: Decimal, other_figure: Decimal) -> dict:
    return {"doc": doc_label(v.doc), "other": doc_label(other), "page": page, "other_page": other_page,
            "code": code, "name": name or "", "figure": _wan(figure), "other_figure": _wan(other_figure)}


def final_initial_vs_budget(v: DbView) -> Iterator[Comparison]:
    """A 决算's 年初预算数 column per 科目 is the budget the same unit's 预算 report of that year printed."""
    other = v.counterpart(v.doc["fiscal_year"], v.doc["doc_type"].replace("决算", "预算"))
    if other is None:
        return
    budget = v.cells(other["doc_id"], "gp_expenditure", "total")
    for code, mine in sorted(v.cells(v.doc["doc_id"], "gp_expenditure", "budget_initial").items()):
        theirs = budget.get(code)
        if theirs is None:
            continue
        yield Comparison(f"cross:budget_initial:{code}", theirs["amount"], mine["amount"], page=mine["page"],
                         table_kind="gp_expenditure", tolerance=_tol(mine) + _tol(theirs),
                         fields=_fields(v, other, mine["page"], theirs["page"], code, mine["name"],
                                        mine["amount"], theirs["amount"]))


def _prose_items_vs(v: DbView, other: dict | None, fact_key: str, prefix: str) -> Iterator[Comparison]:
    """Each coded prose figure `fact_key` of this report against the 一般公共预算 table of `other`, 科目 by 科目."""
    if other is None:
        return
    printed = v.cells(other["doc_id"], "gp_expenditure", "total")
    seen: dict[str, int] = {}
    for f in v.facts(fact_key):
        theirs = printed.get(f["code"])
        if theirs is None:
            continue
        n = seen[f["code"]] = seen.get(f["code"], 0) + 1
        mine = prose_yuan(f["value"])
        yield Comparison(f"cross:{prefix}:{f['code']}:{n}", theirs["amount"], mine, page=f["page"],
                         table_kind=None, tolerance=prose_tolerance(f["decimals"]) + _tol(theirs),
                         fields=_fields(v, other, f["page"], theirs["page"], f["code"], theirs["name"],
                                        mine, theirs["amount"]))


def final_prose_budget_vs_budget(v: DbView) -> Iterator[Comparison]:
    """The 决算 prose's “年初预算为X万元” for a 科目 is what that year's 预算 report printed for it."""
    other = v.counterpart(v.doc["fiscal_year"], v.doc["doc_type"].replace("决算", "预算"))
    yield from _prose_items_vs(v, other, "item_budget", "prose_budget")


def budget_prior_executed_vs_final(v: DbView) -> Iterator[Comparison]:
    """A 预算's “上年预算执行数为Y万元” for a 科目 is what the unit's 决算 of that year printed as spent on it."""
    other = v.counterpart(v.doc["fiscal_year"] - 1, v.doc["doc_type"].replace("预算", "决算"))
    yield from _prose_items_vs(v, other, "item_prior_executed", "prior_executed")


def budget_prior_gp_vs_prior_year(v: DbView) -> Iterator[Comparison]:
    """A 预算's “一般公共预算拨款支出预算X万元，比上年预算增加Y万元” states last year's budget, X − Y: that is the 合计
    of the previous year's 预算 report where it is loaded, else the 年初预算 the previous year's 决算 states."""
    year, doc_type = v.doc["fiscal_year"] - 1, v.doc["doc_type"]
    other = v.counterpart(year, doc_type)
    prior: dict | None = None
    what = ""
    if other is not None:
        prior, what = v.total(other["doc_id"], "gp_expenditure", "total"), "一般公共预算支出表合计"
    if prior is None:
        other = v.counterpart(year, doc_type.replace("预算", "决算"))
        stated = v.facts("gp_budget", other["doc_id"], coded=False) if other is not None else []
        if len(stated) != 1:
            return
        f = stated[0]
        prior = {"amount": prose_yuan(f["value"]), "page": f["page"], "tol": prose_tolerance(f["decimals"])}
        what = "说明文字一般公共预算财政拨款支出年初预算"
    changes = {f["sentence"]: f for f in v.facts("gp_current_change", coded=False)}
    for n, cur in enumerate(v.facts("gp_current", coded=False), 1):
        change = changes.get(cur["sentence"])
        if change is None:
            continue
        stated = prose_yuan(cur["value"]) - prose_yuan(change["value"])
        tol = prose_tolerance(cur["decimals"]) + prose_tolerance(change["decimals"]) + (
            prior["tol"] if "tol" in prior else _tol(prior))
        yield Comparison(f"cross:prior_gp:{n}", prior["amount"], stated, page=cur["page"], table_kind=None,
                         tolerance=tol,
                         fields=dict(_fields(v, other, cur["page"], prior["page"], "", "", stated, prior["amount"]),
                                     current=fmt_figure(cur["value"]), change=fmt_figure(change["value"]),
                                     what=what))
