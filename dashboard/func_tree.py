"""功能分类 rows reshaped into a 类→款→项 tree with one column per measure.

The ETL stores one row per (科目, amount column); charts and tables want one row per 科目 with 合计/基本/项目 side
by side and a parent link. Parents come from the code itself (7 digits → first 5 → first 3), which holds for every
template because the ETL joins split 类/款/项 columns into one code.
"""

from __future__ import annotations

import pandas as pd

from dashboard import queries
from dashboard.generations import per_report

ROOT = "root"
_MEASURES = {"total": "total_yuan", "basic": "basic_yuan", "project": "project_yuan"}
_LEVEL_NAMES = {1: "类", 2: "款", 3: "项"}


def parent_code(code: str) -> str:
    """'2070107' → '20701' → '207' → ROOT."""
    if len(code) > 5:
        return code[:5]
    if len(code) > 3:
        return code[:3]
    return ROOT


@per_report
def of_report(doc_id: str, table_kind: str) -> pd.DataFrame:
    """build() of one report's 功能分类 table, cached by the report's version (the pages' hottest computation)."""
    return build(queries.func_lines(doc_id, table_kind))


def build(lines: pd.DataFrame) -> pd.DataFrame:
    """One row per coded 科目: code, name, level, parent, total/basic/project (元), is_leaf.

    A row whose measure is NULL (a column the ETL couldn't name) is ignored; a 科目 printed with no amount at all
    is dropped, so the tree only holds what the report actually budgets.
    """
    columns = ["code", "name", "level", "level_name", "parent", *_MEASURES.values(), "is_leaf", "page", "row_no"]
    if lines.empty:
        return pd.DataFrame(columns=columns)
    coded = lines[lines["code"].notna() & lines["measure"].isin(list(_MEASURES))]
    if coded.empty:
        return pd.DataFrame(columns=columns)
    wide = coded.pivot_table(index="code", columns="measure", values="amount_yuan", aggfunc="sum")
    wide = wide.rename(columns=_MEASURES).reindex(columns=list(_MEASURES.values()))
    meta = coded.groupby("code").agg(name=("name", "first"), level=("level", "first"), page=("page", "min"),
                                     row_no=("row_no", "min"))
    tree = meta.join(wide).reset_index()
    tree["code"] = tree["code"].astype(str)
    tree = tree[tree[list(_MEASURES.values())].fillna(0).abs().sum(axis=1) > 0].copy()
    tree["level"] = tree["code"].str.len().map({3: 1, 5: 2, 7: 3}).fillna(tree["level"]).astype(int)
    tree["level_name"] = tree["level"].map(_LEVEL_NAMES).fillna("")
    tree["parent"] = tree["code"].map(parent_code)
    known = set(tree["code"])
    # a 款 the print left out would orphan its 项: hang them on the nearest printed ancestor instead
    tree["parent"] = [p if p in known or p == ROOT else (parent_code(p) if parent_code(p) in known else ROOT)
                      for p in tree["parent"]]
    tree["is_leaf"] = ~tree["code"].isin(set(tree["parent"]))
    tree = tree.sort_values(["row_no", "code"], na_position="last").reset_index(drop=True)
    return tree[columns]


def measure_column(measure: str) -> str:
    """'basic' → 'basic_yuan'; the page switch speaks measure names, the tree stores columns."""
    return _MEASURES[measure]


def leaves(tree: pd.DataFrame, measure: str = "total", under: str | None = None) -> pd.DataFrame:
    """Leaf 科目 (usually 项) with a positive amount in measure, largest first, optionally below one 科目."""
    col = _MEASURES[measure]
    rows = tree[tree["is_leaf"] & (tree[col].fillna(0) > 0)]
    if under and under != ROOT:
        rows = rows[rows["code"].str.startswith(under)]
    rows = rows.sort_values(col, ascending=False).reset_index(drop=True)
    return rows.assign(label=_unique_labels(tree, rows))


def _unique_labels(tree: pd.DataFrame, rows: pd.DataFrame) -> list[str]:
    """Names, qualified by the parent's name where two 项 share one (行政运行 exists under most 款)."""
    names = dict(zip(tree["code"], tree["name"], strict=False))
    counts = rows["name"].value_counts()
    return [f"{name}（{names.get(parent, parent)}）" if counts.get(name, 0) > 1 else str(name)
            for name, parent in zip(rows["name"], rows["parent"], strict=False)]


def children(tree: pd.DataFrame, code: str) -> pd.DataFrame:
    return tree[tree["parent"] == code]


def ancestors(tree: pd.DataFrame, code: str | None) -> list[tuple[str, str]]:
    """(code, name) from the top 类 down to code itself — the breadcrumb trail."""
    names = dict(zip(tree["code"], tree["name"], strict=False))
    trail: list[tuple[str, str]] = []
    while code and code != ROOT and code in names:
        trail.append((code, names[code]))
        code = parent_code(code)
    return list(reversed(trail))
