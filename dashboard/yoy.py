"""同比变化: the yoy_func / facts rows reshaped into what the 同比变化 page shows.

Two kinds of "last year" exist and must never be mixed silently: 上年预算 is what last year's report budgeted (its
own tables, loaded as a separate report), 上年预算执行数 is what this year's report says was actually spent (its
prose). Every frame here names which one a column holds.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from dashboard.charts import ChartContext
from dashboard.compare import report_source
from dashboard.fmt import to_wan
from dashboard.kpis import fact_pct, fact_yuan
from dashboard.state import Selection

_WAN = "（万元）"
STEP_LIMIT = 12  # waterfall bars beyond this are folded into one '其余N个科目' bar
_CHILD_LEN = {None: 3, 3: 5, 5: 7}


@dataclass(frozen=True)
class Waterfall:
    """Last year's total, the change of each child 科目, this year's total (元); residual closes rounding gaps."""

    start_yuan: float
    end_yuan: float
    labels: list[str]
    changes_yuan: list[float]


def _num(value: object) -> float:
    return 0.0 if value is None or pd.isna(value) else float(value)


def of_year(rows: pd.DataFrame, year: int) -> pd.DataFrame:
    """One year's rows of yoy_func, codes as strings."""
    out = rows[rows["fiscal_year"] == year].copy()
    out["code"] = out["code"].astype(str)
    return out.reset_index(drop=True)


def children(rows: pd.DataFrame, parent: str | None) -> pd.DataFrame:
    """The 类 (parent None), the 款 of a 类 or the 项 of a 款 — including those budgeted in only one of the years."""
    length = _CHILD_LEN.get(len(parent) if parent else None)
    if length is None:
        return rows.iloc[0:0]
    kids = rows[rows["code"].str.len() == length]
    if parent:
        kids = kids[kids["code"].str.startswith(parent)]
    return kids.sort_values("code").reset_index(drop=True)


def names(rows: pd.DataFrame) -> dict[str, str]:
    return dict(zip(rows["code"].astype(str), rows["name"].astype(str), strict=False))


def qualified(codes: Sequence[str], label: dict[str, str]) -> list[str]:
    """Names, with the parent's name added where two listed 科目 share one (一般行政管理事务 sits under many 款)."""
    plain = [label.get(c, "") for c in codes]
    counts = pd.Series(plain, dtype="object").value_counts()
    return [f"{name}（{label.get(code[:-2], code)}）" if counts.get(name, 0) > 1 and len(code) > 3 else name
            for name, code in zip(plain, codes, strict=True)]


def _wan(yuan: float | None) -> float | None:
    """元 → 万元 for a table cell; -0.00 (a rounding artefact) reads as 0.00."""
    value = to_wan(yuan)
    return None if value is None else value + 0.0


def _unique(labels: Sequence[str], codes: Sequence[str]) -> list[str]:
    """Waterfall rows are categories: two 科目 named alike (一般行政管理事务) must not merge into one bar."""
    counts = pd.Series(list(labels)).value_counts()
    return [f"{label}（{code}）" if counts[label] > 1 else label for label, code in zip(labels, codes, strict=True)]


def waterfall(rows: pd.DataFrame, parent: str | None) -> Waterfall | None:
    """Prior total → this year's total through each child's change, largest increase first.

    The ends are the parent's own printed amounts (or the sum of the 类 at the top), so the chart agrees with the
    reports; a gap between the parent's change and its children's (rounding in print) gets its own labelled bar.
    """
    kids = children(rows, parent)
    if kids.empty:
        return None
    if parent:
        row = rows[rows["code"] == parent]
        start = _num(row["prior_amount_yuan"].iloc[0]) if not row.empty else _num(kids["prior_amount_yuan"].sum())
        end = _num(row["amount_yuan"].iloc[0]) if not row.empty else _num(kids["amount_yuan"].sum())
    else:
        start, end = _num(kids["prior_amount_yuan"].sum()), _num(kids["amount_yuan"].sum())
    kids = kids.assign(change=[_num(a) - _num(p) for a, p in zip(kids["amount_yuan"], kids["prior_amount_yuan"],
                                                                   strict=True)])
    kids = kids[kids["change"] != 0].sort_values("change", ascending=False, kind="stable")
    labels = _unique(qualified(list(kids["code"]), names(rows)), list(kids["code"]))
    changes = [float(c) for c in kids["change"]]
    if len(changes) > STEP_LIMIT:
        keep = sorted(range(len(changes)), key=lambda i: -abs(changes[i]))[: STEP_LIMIT - 1]
        keep.sort()
        rest = [i for i in range(len(changes)) if i not in keep]
        labels = [labels[i] for i in keep] + [f"其余{len(rest)}个科目"]
        changes = [changes[i] for i in keep] + [sum(changes[i] for i in rest)]
    residual = round((end - start) - sum(changes), 2)
    if abs(residual) >= 0.01:
        labels.append("与上级科目合计的差额")
        changes.append(residual)
    return Waterfall(start, end, labels, changes)


def leaves(rows: pd.DataFrame, under: str | None = None) -> pd.DataFrame:
    """The most detailed 科目 (usually 项) below `under`, where the year-on-year change is really decided."""
    codes = list(rows["code"])
    is_leaf = [not any(o != c and o.startswith(c) for o in codes) for c in codes]
    out = rows[is_leaf]
    if under:
        out = out[out["code"].str.startswith(under)]
    return out.reset_index(drop=True)


def change_table(rows: pd.DataFrame, year: int, label: dict[str, str] | None = None) -> pd.DataFrame:
    """科目 with both years' budgets (each from its own report), the change in 万元 and %, and what is new.

    label: names of every 科目 of the year, so a 项 named like its neighbours is told apart by its 款."""
    prior, now = f"{year - 1}年预算", f"{year}年预算"
    notes = []
    for amount, prior_amount in zip(rows["amount_yuan"], rows["prior_amount_yuan"], strict=True):
        if pd.isna(prior_amount) or (prior_amount == 0 and _num(amount) != 0):
            notes.append("上年未安排")
        elif pd.isna(amount) or (amount == 0 and _num(prior_amount) != 0):
            notes.append("本年未安排")
        else:
            notes.append("")
    return pd.DataFrame(
        {
            "科目编码": rows["code"].astype(str),
            "科目名称": qualified(list(rows["code"].astype(str)), label or names(rows)),
            prior + _WAN: [_wan(v) for v in rows["prior_amount_yuan"]],
            now + _WAN: [_wan(v) for v in rows["amount_yuan"]],
            "增减额" + _WAN: [_wan(_num(a) - _num(p)) for a, p in zip(rows["amount_yuan"], rows["prior_amount_yuan"],
                                                                        strict=True)],
            "增减（%）": pd.Series(rows["change_pct"].to_numpy(), dtype="float64"),
            "说明": notes,
        }
    )


def biggest(rows: pd.DataFrame, year: int, *, increases: bool, n: int = 10,
            label: dict[str, str] | None = None) -> pd.DataFrame:
    """The n largest increases (or decreases) among the leaf 科目, by amount."""
    table = change_table(rows, year, label)
    column = "增减额" + _WAN
    table = table[table[column] > 0] if increases else table[table[column] < 0]
    return table.sort_values(column, ascending=not increases, kind="stable").head(n).reset_index(drop=True)


def history(rows: pd.DataFrame, years: Sequence[int]) -> pd.DataFrame:
    """Each 类 in every loaded year whose report prints this table (0 where that year's table does not budget the
    类; a year whose report lacks the table is left out, not drawn as 0): year, code, name, yuan."""
    printed = {int(y) for y, a in zip(rows["fiscal_year"], rows["amount_yuan"], strict=True) if not pd.isna(a)}
    years = [y for y in years if y in printed]
    classes = rows[rows["code"].astype(str).str.len() == 3]
    label = names(classes.sort_values("fiscal_year"))
    amounts = {(int(y), str(c)): _num(a) for y, c, a in zip(classes["fiscal_year"], classes["code"],
                                                             classes["amount_yuan"], strict=True) if not pd.isna(a)}
    out = [(y, code, label[code], amounts.get((y, code), 0.0)) for code in sorted(label) for y in sorted(years)]
    frame = pd.DataFrame(out, columns=["year", "code", "name", "amount_yuan"])
    keep = frame.groupby("code")["amount_yuan"].transform(lambda s: s.abs().sum() > 0)
    return frame[keep].reset_index(drop=True)


def history_table(history: pd.DataFrame) -> pd.DataFrame:
    """The line chart's numbers, one row per 类 and one 万元 column per year, for the small 类 the chart squeezes."""
    if history.empty:
        return pd.DataFrame()
    wide = history.pivot_table(index=["code", "name"], columns="year", values="amount_yuan", aggfunc="sum")
    out = pd.DataFrame({"科目编码": [c for c, _ in wide.index], "科目名称": [n for _, n in wide.index]})
    for year in wide.columns:
        out[f"{int(year)}年{_WAN}"] = [_wan(v) for v in wide[year]]
    return out


# Prose figures: (label, value key, change key, change-% key, stated-prior key)
_PROSE = (
    ("收入预算总计", "revenue_total", "revenue_change", "revenue_change_pct", None),
    ("支出预算总计", "expenditure_total", "expenditure_change", "expenditure_change_pct", None),
    ("财政拨款收入", "fiscal_revenue", "fiscal_revenue_change", None, None),
    ("财政拨款支出", "fiscal_expenditure", "fiscal_expenditure_change", None, None),
    ("一般公共预算当年拨款", "gp_current", "gp_current_change", "gp_current_change_pct", None),
    ("政府性基金拨款支出", "gov_fund_expenditure", "gov_fund_expenditure_change", None, None),
    ("国有资本经营预算拨款支出", "soe_expenditure", "soe_expenditure_change", None, None),
    ("“三公”经费", "three_public_total", "three_public_change", None, None),
    ("机关运行经费", "operating_cost", "operating_cost_change", "operating_cost_change_pct", "operating_cost_prior"),
)


def _same_sentence(facts: pd.DataFrame, key: str, sentence: str | None) -> pd.DataFrame:
    rows = facts[facts["key"] == key]
    if sentence is not None and (rows["sentence"] == sentence).any():
        rows = rows[rows["sentence"] == sentence]
    return rows


_BASE = re.compile(r"(?:比|较|与)(?:上年|上一年|\d{4}年(?:度)?)(?:（[^）]*）)?(?:的[\d,.]+万元)?(?P<what>预算执行数|执行数|决算数|预算数|预算)?")


def comparison_base(sentence: str) -> str:
    """What the sentence compares with: 上年预算 and 上年预算执行数 are different figures, and many sentences
    ("比上年增加…") do not say which — then the page says so instead of guessing."""
    m = _BASE.search(sentence or "")
    what = m.group("what") if m else None
    if not what:
        return "报告未写明"
    if "执行" in what:
        return "上年预算执行数"
    if "决算" in what:
        return "上年决算数"
    return "上年预算"


def prose_changes(facts: pd.DataFrame, year: int) -> pd.DataFrame:
    """The report's own sentences about last year (比上年增减, 上年数), one row per figure, with the sentence.

    A prior figure the prose only implies (本年数 − 增减额) is marked as worked out, not as stated.
    """
    rows = []
    for label, value_key, change_key, pct_key, prior_key in _PROSE:
        change_rows = facts[facts["key"] == change_key] if change_key else facts.iloc[0:0]
        prior_rows = facts[facts["key"] == prior_key] if prior_key else facts.iloc[0:0]
        if change_rows.empty and prior_rows.empty:
            continue
        sentence = (change_rows if not change_rows.empty else prior_rows)["sentence"].iloc[0]
        value = fact_yuan(_same_sentence(facts, value_key, sentence), value_key)
        change = fact_yuan(change_rows, change_key) if not change_rows.empty else None
        stated_prior = fact_yuan(prior_rows, prior_key) if prior_key and not prior_rows.empty else None
        change_pct = fact_pct(_same_sentence(facts, pct_key, sentence), pct_key) if pct_key else None
        if stated_prior is not None:
            prior, how = stated_prior, "报告直接写明"
        elif value is not None and change is not None and value - change >= 0:
            prior, how = value - change, "按本年数减增减额推算"
        elif value is not None and change is not None:
            prior, how = None, "无法推算：报告所述增减额大于本年数，原文可能有误"
        else:
            prior, how = None, ""
        if change is None and value is not None and prior is not None:
            change = value - prior
        rows.append((label, comparison_base(str(sentence)), _wan(value), _wan(change), change_pct, _wan(prior), how,
                     str(sentence)))
    frame = pd.DataFrame(rows, columns=["指标", "比较基数", f"{year}年" + _WAN, "比上年增减" + _WAN, "增减（%）",
                                        f"{year - 1}年" + _WAN, f"{year - 1}年数来源", "报告原文"])
    return frame.astype({"增减（%）": "float64"})


def executed_column(year: int) -> str:
    """Last year's 执行数 as this year's report states it in words."""
    return f"{year - 1}年执行数（{year}年报告）{_WAN}"


def prior_budget_column(year: int) -> str:
    """Last year's 预算 as last year's own report prints it in its table."""
    return f"{year - 1}年预算（{year - 1}年报告）{_WAN}"


def prose_items(facts: pd.DataFrame, gp_rows: pd.DataFrame, year: int, *, prior_loaded: bool) -> pd.DataFrame:
    """Each 科目 whose explanation states last year's 执行数, beside — never instead of — last year's 预算.

    The 执行数 comes from this year's prose (facts item_prior_executed); the 预算 from last year's own report
    (yoy_func, 一般公共预算支出表), shown only when that report is loaded.
    """
    executed = facts[(facts["key"] == "item_prior_executed") & facts["code"].notna()]
    if executed.empty:
        return pd.DataFrame()
    label = names(gp_rows)
    shown_names = dict(zip(executed["code"].astype(str), qualified(list(executed["code"].astype(str)), label),
                           strict=True))
    table_now = dict(zip(gp_rows["code"], gp_rows["amount_yuan"], strict=False))
    table_prior = dict(zip(gp_rows["code"], gp_rows["prior_amount_yuan"], strict=False))
    out = []
    for _, fact in executed.iterrows():
        code = str(fact["code"])
        one = facts[facts["code"] == code]
        amount = fact_yuan(one, "item_amount")
        if amount is None:
            amount = None if pd.isna(table_now.get(code)) else table_now.get(code)
        executed_yuan = fact_yuan(one, "item_prior_executed")
        row: dict[str, object] = {"科目编码": code, "科目名称": shown_names.get(code, "")}
        if prior_loaded:  # last year's two figures next to each other, the 预算 first as it came first
            budget = table_prior.get(code)
            budget = None if budget is None or pd.isna(budget) else float(budget)
            row[prior_budget_column(year)] = _wan(budget)
            row[executed_column(year)] = _wan(executed_yuan)
            row["执行数减预算" + _WAN] = (_wan(executed_yuan - budget)
                                       if budget is not None and executed_yuan is not None else None)
        else:
            row[executed_column(year)] = _wan(executed_yuan)
        row[f"{year}年预算" + _WAN] = _wan(amount)
        row["比执行数增减" + _WAN] = (_wan(amount - executed_yuan) if amount is not None and executed_yuan is not None
                                   else None)
        row["比执行数增减（%）"] = fact_pct(one, "item_change_pct")
        out.append(row)
    return pd.DataFrame(out).sort_values("科目编码").reset_index(drop=True)


def project_table(rows: pd.DataFrame, year: int) -> pd.DataFrame:
    """Projects matched by exact name; a renamed project shows as one 结束 and one 新增, never guessed together."""
    return pd.DataFrame(
        {
            "状态": rows["status"],
            "项目名称": rows["name"],
            f"{year - 1}年" + _WAN: [_wan(v) for v in rows["prior_total_yuan"]],
            f"{year}年" + _WAN: [_wan(v) for v in rows["total_yuan"]],
            "增减额" + _WAN: [_wan(v) for v in rows["change_yuan"]],
            "增减（%）": pd.Series(rows["change_pct"].to_numpy(), dtype="float64"),
        }
    )


def context(sel: Selection, docs: pd.DataFrame, kinds: Sequence[str], *, year: int | None) -> ChartContext:
    """A chart drawn from several of the unit's reports names each report (newest first) in its source note."""
    parts = []
    for _, doc in docs.sort_values("fiscal_year", ascending=False).iterrows():
        title = None if pd.isna(doc["title"]) else str(doc["title"])
        parts.append(report_source(title, str(doc["doc_id"]), list(kinds)))
    return ChartContext(unit=sel.unit_name, year=year, source="资料来源：" + "；".join(parts), kind=sel.doc_type or "")
