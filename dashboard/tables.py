"""Display tables: database rows reshaped into what an official reads (Chinese headers, 万元, sorted).

Money columns stay numeric (万元, rounded half-up to 2 decimals) so tables sort correctly; the page formats them
with thousands separators and the .xlsx export with a #,##0.00 number format.
"""

from __future__ import annotations

import pandas as pd

from dashboard import queries
from dashboard.fmt import to_wan
from dashboard.generations import per_report
from dashboard.labels import INDICATOR_LEVEL1_ORDER, PROJECT_FUNDS, table_kind
from etl.read.names import name_key

_WAN = "（万元）"


def _wan_series(values: pd.Series) -> pd.Series:
    return pd.Series([to_wan(v) for v in values], index=values.index, dtype="float64")


def func_table(tree: pd.DataFrame) -> pd.DataFrame:
    """Every 科目 in print order with 合计/基本支出/项目支出."""
    return pd.DataFrame(
        {
            "科目编码": tree["code"],
            "科目名称": tree["name"],
            "级次": tree["level_name"],
            "合计" + _WAN: _wan_series(tree["total_yuan"]),
            "基本支出" + _WAN: _wan_series(tree["basic_yuan"]),
            "项目支出" + _WAN: _wan_series(tree["project_yuan"]),
        }
    ).reset_index(drop=True)


def econ_items(lines: pd.DataFrame) -> pd.DataFrame:
    """Leaf rows of the 经济分类 table with their 类 (from print order) and whether they are 人员 or 公用经费.

    Returns columns group, name, gov_name, kind, amount_yuan, ordered by group as printed then amount.
    """
    columns = ["group", "name", "gov_name", "kind", "amount_yuan"]
    if lines.empty:
        return pd.DataFrame(columns=columns)
    rows = []
    group = "其他"
    ordered = lines.sort_values("row_no", na_position="last", kind="stable")
    for _, row_lines in ordered.groupby(["row_no", "econ_name"], sort=False, dropna=False):
        first = row_lines.iloc[0]
        name = str(first["econ_name"])
        if bool(first["is_group"]):
            if name not in ("合计", "总计"):
                group = name
            continue
        by_measure = dict(zip(row_lines["measure"], row_lines["amount_yuan"], strict=False))
        personnel = by_measure.get("personnel")
        public = by_measure.get("public")
        total = by_measure.get("total")
        if total is None or pd.isna(total):
            total = (0 if personnel is None or pd.isna(personnel) else personnel) + (
                0 if public is None or pd.isna(public) else public)
        has_personnel = personnel is not None and not pd.isna(personnel) and personnel != 0
        has_public = public is not None and not pd.isna(public) and public != 0
        kind = "人员经费" if has_personnel and not has_public else "公用经费" if has_public else None
        gov_name = first["gov_econ_name"]
        rows.append((group, name, None if pd.isna(gov_name) else gov_name, kind, float(total)))
    items = pd.DataFrame(rows, columns=columns)
    items = items[items["amount_yuan"] > 0]
    group_order = {g: i for i, g in enumerate(dict.fromkeys(items["group"]))}
    items = items.assign(_g=items["group"].map(group_order)).sort_values(["_g", "amount_yuan"],
                                                                        ascending=[True, False])
    return items.drop(columns="_g").reset_index(drop=True)


@per_report
def econ_items_of(doc_id: str) -> pd.DataFrame:
    """econ_items of one report's 经济分类 table, cached by the report's version: a row-by-row walk that cost
    支出构成 more than anything else on it once its figures were shared."""
    return econ_items(queries.econ_lines(doc_id))


def econ_table(items: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "经济分类（类）": items["group"],
            "经济科目": items["name"],
            "政府预算经济科目": items["gov_name"],
            "人员/公用经费": items["kind"],
            "金额" + _WAN: _wan_series(items["amount_yuan"]),
        }
    )


def econ_split(lines: pd.DataFrame) -> tuple[float | None, float | None, float | None]:
    """合计, 人员经费 and 公用经费 (元) as printed on the table's 合计 row (not re-added: the print rounds)."""
    if lines.empty:
        return None, None, None
    total_rows = lines[lines["econ_name"].isin(["合计", "总计"])]
    values = dict(zip(total_rows["measure"], total_rows["amount_yuan"], strict=False))
    return values.get("total"), values.get("personnel"), values.get("public")


def funding_sources(row: pd.Series) -> str:
    """'一般公共预算、单位资金' — the funding columns with a non-zero amount."""
    names = [label for col, label in PROJECT_FUNDS.items() if col in row and not pd.isna(row[col]) and row[col]]
    return "、".join(names) or "—"


def fund_kind(carryover: object) -> str:
    """A project known only from its 绩效目标表 has no 本年/结转 flag: say nothing rather than guess."""
    if carryover is None or pd.isna(carryover):
        return "—"
    return "上年结转" if bool(carryover) else "本年预算"


def listed_from_forms(projects: pd.DataFrame) -> bool:
    """True where the report prints no project list and the projects come from its 绩效目标表."""
    return not projects.empty and bool((projects["listed_in"] == "绩效目标表").all())


def project_source_kinds(projects: pd.DataFrame) -> list[str]:
    """The table kinds a project list was read from, for its source note."""
    return ["performance_form"] if listed_from_forms(projects) else ["projects", "projects_carryover"]


def projects_table(projects: pd.DataFrame) -> pd.DataFrame:
    """All projects, largest first, with their share of all listed project spending. A list read from 绩效目标表
    has no 本年/结转 flag and no funding columns, so those columns are left out rather than shown empty."""
    total = projects["total_yuan"].fillna(0).sum()
    shares = [None if not total or pd.isna(v) else round(float(v) * 100 / total, 2) for v in projects["total_yuan"]]
    from_forms = listed_from_forms(projects)
    table = {
        "项目名称": projects["name"],
        "金额" + _WAN: _wan_series(projects["total_yuan"]),
        ("占所列项目合计（%）" if from_forms else "占项目支出（%）"): pd.Series(shares, index=projects.index,
                                                                          dtype="float64"),
    }
    if not from_forms:
        table["资金类型"] = [fund_kind(c) for c in projects["carryover"]]
        table["资金来源"] = [funding_sources(r) for _, r in projects.iterrows()]
    return pd.DataFrame(table).reset_index(drop=True)


def rows_for_project(frame: pd.DataFrame, column: str, name: str) -> pd.DataFrame:
    """Rows of a per-project table whose project name matches name despite wrapping or bracket width: by the key
    stored beside the name at ingest (etl.read.names), or the same key of `column` where a frame has none."""
    if frame.empty:
        return frame
    keys = frame["name_key"] if "name_key" in frame.columns else frame[column].map(name_key)
    return frame[keys == name_key(name)]


def funds_grid(funds: pd.DataFrame) -> pd.DataFrame:
    """资金来源 down, 实施期/年度 across, as the form prints it."""
    if funds.empty:
        return pd.DataFrame()
    grid = funds.assign(wan=_wan_series(funds["amount_yuan"])).pivot_table(
        index="source", columns="scope", values="wan", aggfunc="sum", sort=False)
    grid = grid.reindex(columns=[c for c in ("实施期", "年度") if c in grid.columns] +
                        [c for c in grid.columns if c not in ("实施期", "年度")])
    grid.columns = [f"{c}资金{_WAN}" for c in grid.columns]
    return grid.reset_index().rename(columns={"source": "资金来源"})


def indicator_tree(indicators: pd.DataFrame, scope: str) -> list[tuple[str, list[tuple[str, list[tuple[str, str]]]]]]:
    """[(一级, [(二级, [(三级, 指标值)])])] for one scope, in the form's order (产出→效益→满意度)."""
    rows = indicators[indicators["scope"] == scope]
    rows = rows[rows["level3"].notna() & (rows["level3"].astype(str).str.strip() != "")]
    level1_rank = {name: i for i, name in enumerate(INDICATOR_LEVEL1_ORDER)}
    result = []
    level1_names = sorted(dict.fromkeys(rows["level1"].fillna("其他指标")), key=lambda n: level1_rank.get(n, 99))
    for level1 in level1_names:
        in1 = rows[rows["level1"].fillna("其他指标") == level1]
        groups = []
        for level2, in2 in in1.groupby(in1["level2"].fillna("—"), sort=False):
            groups.append((str(level2), [(str(a), "" if pd.isna(b) else str(b))
                                         for a, b in zip(in2["level3"], in2["target"], strict=False)]))
        result.append((str(level1), groups))
    return result


def indicators_table(indicators: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "范围": indicators["scope"],
            "一级指标": indicators["level1"],
            "二级指标": indicators["level2"],
            "三级指标": indicators["level3"],
            "指标值": indicators["target"],
        }
    ).reset_index(drop=True)


def procurement_table(rows: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "经济分类": rows["econ_class"],
            "采购品目": rows["item"],
            "数量": rows["quantity"],
            "金额" + _WAN: _wan_series(rows["amount_yuan"]),
        }
    ).reset_index(drop=True)


def failed_checks_about(checks: pd.DataFrame, project: str) -> list[str]:
    """Descriptions of the failed checks that name this project (its form's funding grid, its list entry)."""
    if checks.empty:
        return []
    failed = checks[checks["passed"] == False]  # noqa: E712 — NULL (not checked) is not a failure
    key = name_key(project)
    return [str(d) for d in failed["description"].dropna() if key and key in name_key(str(d))]


def report_tables_table(tables: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "表号": tables["table_no"].fillna(""),
            "表名": tables["title"].fillna(tables["table_kind"].map(table_kind)),
            "类别": tables["table_kind"].map(table_kind),
            "页码": _page_text(tables["page_from"]),
            "有无数据": ["有数据" if bool(v) else "本表无数据" for v in tables["has_data"].fillna(False)],
        }
    ).reset_index(drop=True)


def three_public_table(rows: pd.DataFrame) -> pd.DataFrame:
    """“三公”经费和机关运行经费, one line per item with its 合计 column."""
    if rows.empty:
        return pd.DataFrame(columns=["项目", "金额" + _WAN])
    totals = rows[rows["measure"].fillna("total") == "total"]
    if totals.empty:
        totals = rows
    first = totals.groupby("item", sort=False)["amount_yuan"].first()
    # the ETL joins row labels of nested rows with '/', e.g. 机关运行经费/阳泉市文化和旅游局: show the last level
    items = [str(i).split("/")[-1] for i in first.index]
    return pd.DataFrame({"项目": items, "金额" + _WAN: _wan_series(first.reset_index(drop=True))})


def issues_table(issues: pd.DataFrame) -> pd.DataFrame:
    """Problems the ETL recorded while reading the report, errors first; repeats folded into one line with a count."""
    frame = pd.DataFrame(
        {
            "级别": issues["severity"].map({"error": "错误", "warning": "提示"}).fillna(issues["severity"]),
            "所在表": issues["table_kind"].map(lambda k: table_kind(k) if isinstance(k, str) and k else "—"),
            "页码": _page_text(issues["page"]),
            "说明": issues["message"].fillna(""),
        }
    )
    folded = frame.groupby(["级别", "所在表", "说明"], sort=False, dropna=False).agg(
        页码=("页码", lambda p: "、".join(dict.fromkeys(x for x in p if x)) or ""), 次数=("说明", "size"))
    return folded.reset_index()[["级别", "所在表", "页码", "次数", "说明"]]


def _page_text(pages: pd.Series) -> pd.Series:
    """Page numbers as text, blank where unknown (a text extraction has no pages), never 'None'."""
    return pd.Series(["" if pd.isna(p) else str(int(p)) for p in pages], index=pages.index, dtype="object")
