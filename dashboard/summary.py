"""The auto-written briefing paragraph on 总览.

Written from the database every time (never a template with numbers in it), in the register of a budget
explanation so it can be pasted into a briefing: totals and change, where the money goes, 基本/项目, the largest
project, and whether the report's own arithmetic holds.
"""

from __future__ import annotations

from collections.abc import Sequence

from dashboard.execution import budget_word
from dashboard.fmt import change_phrase, pct, share, wan
from dashboard.kpis import Kpis


def briefing(
    unit: str,
    year: int | None,
    kpis: Kpis,
    top_items: Sequence[tuple[str, float]],
    top_project: tuple[str, float] | None,
    checks_total: int,
    checks_failed: int,
) -> str:
    """One paragraph; any sentence whose figures the report lacks is left out rather than guessed."""
    year_text = f"{year}年" if year else ""
    sentences: list[str] = []

    if kpis.expenditure_total is not None:
        head = f"{unit}{year_text}支出预算{wan(kpis.expenditure_total, suffix=True)}"
        change = change_phrase(kpis.change_yuan, kpis.change_pct)
        if change:
            head += f"，{change}"
        parts = [
            f"{name}{wan(amount, suffix=True)}，占{pct(share(amount, kpis.expenditure_total))}"
            for name, amount in top_items
            if amount
        ]
        if parts:
            head += "；其中" + "；".join(parts)
        sentences.append(head + "。")

    funding = []
    if kpis.current_revenue is not None:
        funding.append(f"本年收入{wan(kpis.current_revenue, suffix=True)}")
    if kpis.carryover:
        funding.append(f"上年结转{wan(kpis.carryover, suffix=True)}")
    if funding and kpis.revenue_total is not None:
        sentence = f"收入总计{wan(kpis.revenue_total, suffix=True)}，其中" + "、".join(funding)
        if kpis.fiscal_share is not None:
            sentence += f"；本年财政拨款占收入总计的{pct(kpis.fiscal_share)}"
        sentences.append(sentence + "。")

    nature = []
    if kpis.basic is not None:
        nature.append(f"基本支出{wan(kpis.basic, suffix=True)}（{pct(kpis.basic_share)}）")
    if kpis.project is not None:
        nature.append(f"项目支出{wan(kpis.project, suffix=True)}（{pct(kpis.project_share)}）")
    if nature:
        sentences.append("按支出性质分，" + "，".join(nature) + "。")

    if top_project is not None:
        name, amount = top_project
        sentences.append(f"金额最大的项目是“{name}”，{wan(amount, suffix=True)}。")

    sentences.append(checks_sentence(checks_total, checks_failed))
    return "".join(sentences)


def final_briefing(
    unit: str,
    year: int | None,
    execution: Sequence[tuple[str | None, str, float | None, float | None, float | None, str | None]],
    basic: float | None,
    project: float | None,
    checks_total: int,
    checks_failed: int,
) -> str:
    """The 决算's paragraph: 支出决算X万元，完成年初预算的Y%；基本/项目；the 科目 furthest under and over budget.
    `execution` rows are (code, name, budget_yuan, actual_yuan, completion_pct, budget_source), the 合计 with code
    None. A sentence whose figures the report lacks is left out rather than guessed."""
    year_text = f"{year}年" if year else ""
    sentences: list[str] = []
    total = next((r for r in execution if r[0] is None), None)
    if total is not None and total[3] is not None:
        head = f"{unit}{year_text}一般公共预算财政拨款支出决算{wan(total[3], suffix=True)}"
        if total[2] is not None and total[4] is not None:
            word = budget_word([total[5]])  # 全年预算 / 年初预算 / 预算: the budget the figure really is
            where = "据预算报告" if total[5] == "预算报告" else "据决算报告所列"
            head += f"，完成{word}的{pct(total[4])}（{where}，{word}{wan(total[2], suffix=True)}）"
        nature = []
        if basic is not None:
            nature.append(f"基本支出{wan(basic, suffix=True)}")
        if project is not None:
            nature.append(f"项目支出{wan(project, suffix=True)}")
        if nature:
            head += "；其中" + "，".join(nature)
        sentences.append(head + "。")
    items = [r for r in execution if r[0] and len(r[0]) == 7 and r[2] is not None and r[3] is not None]
    under = sorted((r for r in items if r[3] < r[2]), key=lambda r: r[3] - r[2])
    over = sorted((r for r in items if r[3] > r[2]), key=lambda r: r[2] - r[3])
    if under:
        c, name, b, a, p, _ = under[0]
        sentences.append(f"决算低于预算最多的是{name}（{c}），预算{wan(b, suffix=True)}、决算{wan(a, suffix=True)}，"
                         f"完成{pct(p)}。")
    if over:
        c, name, b, a, p, _ = over[0]
        sentences.append(f"决算超过预算最多的是{name}（{c}），预算{wan(b, suffix=True)}、决算{wan(a, suffix=True)}。")
    sentences.append(checks_sentence(checks_total, checks_failed))
    return "".join(sentences)


def checks_sentence(checks_total: int, checks_failed: int) -> str:
    """The closing sentence of every paragraph (预算 and 决算 alike), so both say a failed check the same way."""
    if not checks_total:
        return ""
    if checks_failed:
        return f"报告表间勾稽关系核对{checks_total}项，其中{checks_failed}项未通过，详见“数据核对”页。"
    return f"报告表间勾稽关系核对{checks_total}项，全部通过。"
