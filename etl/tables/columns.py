"""What each column of a table holds: a label, a code, or an amount with its measure (contract vocabulary).

PDF grids give one label path per column (header rows joined with '/'). A text extraction loses the column
geometry, so its amount columns are the measures its header names, in the national template's column order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from etl.read.tokens import clean

# label words → measure; first match wins, so specific phrases come before the words they contain
MEASURES: list[tuple[str, str]] = [
    # 决算 columns (收入决算表 / 支出决算表 / 政府性基金…收入支出决算表): before the words they contain
    ("上缴上级", "remit_superior"),
    ("附属单位上缴", "affiliated_remit"),
    ("对附属单位补助", "affiliated_subsidy"),
    ("上级补助", "superior_subsidy"),
    ("经营支出", "operating_expense"),
    ("年初结转", "opening_balance"),
    ("年末结转", "closing_balance"),
    # 年初预算 is the budget passed at the start of the year; 调整预算数 / 调整后预算数 / 全年预算数 the budget after the
    # year's adjustments — kept apart, since a unit founded during the year has a 年初预算 of 0
    ("年初预算", "budget_initial"),
    ("调整后预算", "budget_adjusted"),
    ("调整预算", "budget_adjusted"),
    ("全年预算", "budget_adjusted"),
    ("决算数", "total"),
    ("基本支出", "basic"),
    ("项目支出", "project"),
    ("人员经费", "personnel"),
    ("公用经费", "public"),
    ("上年结转", "carryover"),
    ("上年财政拨款结转", "carryover"),
    ("当年预算安排", "current_year"),
    ("当年财政拨款", "current_year"),
    ("本年预算", "current_year"),
    ("一般公共预算", "general_budget"),
    ("政府性基金", "gov_fund"),
    ("国有资本经营", "soe_capital"),
    ("财政专户", "special_account"),
    ("单位资金", "unit_funds"),
    ("事业单位经营收入", "operating_income"),
    ("经营收入", "operating_income"),
    ("事业收入", "business_income"),
    ("其他收入", "other_income"),
    ("财政拨款收入", "fiscal_appropriation"),
    ("财政拨款", "fiscal_appropriation"),
    ("合计", "total"),
    ("小计", "total"),
    ("总计", "total"),
    ("预算数", "total"),
    ("金额", "total"),
]
# labels that are a measure only as the whole label: 本年收入 over 年初结转和结余 … 年末结转和结余 is the year's
# revenue, but 本年收入合计 (收入决算表) is the table's total
WHOLE_LABELS: dict[str, str] = {"本年收入": "current_revenue", "本年支出": "total"}
# a text header's columns follow this order (the national 部门预算 templates print them so)
CANONICAL_ORDER = [
    "opening_balance", "current_revenue", "total", "current_year", "fiscal_appropriation", "superior_subsidy",
    "general_budget", "gov_fund", "soe_capital", "special_account", "business_income", "operating_income",
    "affiliated_remit", "other_income", "unit_funds", "carryover", "budget_initial", "budget_adjusted",
    "basic", "project", "remit_superior", "operating_expense", "affiliated_subsidy", "personnel", "public",
    "closing_balance",
]
_CODE_LABEL = re.compile(r"编码|^类$|^款$|^项$|^科目代码$")
_NAME_LABEL = re.compile(r"名称|^项目$|^科目$|^单位$")


def measure_of(label: str) -> str | None:
    """The contract measure a column label names (first vocabulary word found), or None for a label that is not one."""
    t = clean(label)
    if re.fullmatch(r"\d{4}年(预算数?)?", t):
        return "total"
    if t in WHOLE_LABELS:
        return WHOLE_LABELS[t]
    for word, measure in MEASURES:
        if word in t:
            return measure
    return None


@dataclass
class Column:
    index: int
    label: str
    role: str  # code / name / amount
    measure: str | None
    side: int = 0  # two-sided tables (收支总表): 0 收入, 1 支出


def _paths(header: list[list[str | None]], width: int) -> list[list[str]]:
    # None is a merged cell: under a label or a vertical merge it continues downwards (no new label);
    # otherwise it continues the label to its left (a horizontal span)
    filled: list[list[str | None]] = []
    origin: list[list[str]] = []
    for r, row in enumerate(header):
        row = list(row) + [None] * (width - len(row))
        out: list[str | None] = []
        how: list[str] = []
        for j, cell in enumerate(row):
            if cell is not None:
                out.append(cell)
                how.append("text")
            elif r > 0 and origin[r - 1][j] in ("text", "up"):
                out.append(None)
                how.append("up")
            else:
                out.append(out[j - 1] if j > 0 else None)
                how.append("left")
        filled.append(out)
        origin.append(how)
    paths = []
    for j in range(width):
        path: list[str] = []
        for row in filled:
            t = clean(row[j])
            if t and (not path or path[-1] != t):
                path.append(t)
        paths.append(path)
    return paths


def grid_columns(header: list[list[str | None]], width: int) -> list[Column]:
    """Columns of a ruled table from its header rows; merged cells inherit the label they sit under."""
    cols: list[Column] = []
    side = 0
    seen_name = False
    for j, path in enumerate(_paths(header, width)):
        label = "/".join(path)
        leaf = path[-1] if path else ""
        measure = None
        for part in reversed(path):
            measure = measure_of(part)
            if measure:
                break
        if measure is None and len(path) > 1:
            # a label wrapped over header lines (本年收入合 / 计, 附属单 / 位上 / 缴收入): its pieces read together
            measure = next((m for k in range(2, len(path) + 1) if (m := measure_of("".join(path[-k:])))), None)
        if path and _CODE_LABEL.search(leaf):
            role = "code"
        elif path and (_NAME_LABEL.search(leaf) or (measure is None and not _is_amount_word(leaf))):
            role = "name"
        else:
            role = "amount"
        if role == "name":
            if seen_name and cols and cols[-1].role == "amount":
                side += 1
            seen_name = True
        cols.append(Column(index=j, label=label, role=role, measure=measure if role == "amount" else None, side=side))
    return cols


def _is_amount_word(text: str) -> bool:
    return bool(re.search(r"预算|经费|支出|收入|资金|拨款|费|数", text))


def text_columns(header_text: str) -> list[Column]:
    """Amount columns named in a text header, in canonical order; each measure once."""
    joined = clean(header_text)
    found: list[list[str]] = []
    pos = 0
    # scan left to right, longest vocabulary word at each position
    words = sorted(MEASURES, key=lambda w: -len(w[0]))
    while pos < len(joined):
        for word, measure in words:
            if joined.startswith(word, pos):
                known = [f for f in found if f[1] == measure]
                if known:
                    known[0][0] = word  # the lower header level names the column
                else:
                    found.append([word, measure])
                pos += len(word)
                break
        else:
            pos += 1
    measures = {m for _, m in found}
    if measures & {"general_budget", "gov_fund", "soe_capital"}:
        # 财政拨款 over 一般公共预算/政府性基金/国有资本经营 is a group heading, not a column
        found = [f for f in found if f[1] != "fiscal_appropriation"]
    found.sort(key=lambda f: CANONICAL_ORDER.index(f[1]))
    return [Column(index=i, label=w, role="amount", measure=m) for i, (w, m) in enumerate(found)]
