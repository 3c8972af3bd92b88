"""政府采购预算明细表: one row per purchase line, its 合计 and group rows verified against the lines.

The 山西 table has 20 columns (单位编码, 单位名称, 项目名称, 部门支出经济分类, 支出项目类别, 资金来源, 资金性质,
政府采购品目, 采购数量, 单价, 是否面向中小/小微企业, 预算总计 and its split by source) and prints grouped rows:
合计, then per unit (057 [057]…), then per 支出项目类别 (公用经费, 其他运转类, 专项项目), then the lines. In a text
extraction a line spreads over several text lines (unit, project and 经济分类 first, the wrapped 类别 after, the
amounts last), so a line is read from its unit code to the first text line carrying amounts.

A 经济分类 wrapped in its column (‘[30299]其他商品和’ + ‘服务支出’) is re-joined by the column's width as this table
measures it (_econ_width), not a width taken from another template's print.

A line's amount is its 预算总计: the largest figure it prints, since 单价 × 数量 and every source column are
parts of it; the other figures are checked against it rather than stored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from etl.read.amounts import is_amount, parse_amount, rounding_tolerance, to_yuan
from etl.read.layout import RawTable
from etl.read.report import Comparison
from etl.read.tokens import clean, display_width
from etl.tables.coverage import printed_amounts, produced_amounts
from etl.tables.parsers.common import Issue, Parsed

_PROJECT = re.compile(r"^\d{6,}[A-Za-z]\w*-(.*)$")  # 14030022057Y200000019-公用经费项目
_ECON = re.compile(r"^\[(\d{3,7})\](.*)$")  # [30202]印刷费
_HEADING = re.compile(r"^\s*([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|第[一二三四五六七八九十]+部分)")
D0 = Decimal(0)


@dataclass
class _Tok:
    text: str
    line: int
    first: bool
    last: bool


@dataclass
class _Line:
    """One purchase line being read: its pieces until the text line that carries its amounts."""

    unit: str
    unit_name: str
    page: int | None
    toks: list[_Tok] = field(default_factory=list)


@dataclass
class _Group:
    label: str
    kind: str  # total / unit / category
    amount: Decimal
    page: int | None
    lines: list[Decimal] = field(default_factory=list)
    unit: str | None = None


def parse_procurement(raw: RawTable, kind: str) -> Parsed:
    """Rows of the 政府采购预算明细表 → procurement rows; sub-totals become checks."""
    out = Parsed()
    if raw.rows and raw.rows[0].aligned:
        _grid(raw, out)
    else:
        _text(raw, out)
    out.has_data = bool(out.rows.get("procurement"))
    # quantities, unit codes, 单价 and the per-source split are figures of the line, verified by the checks above
    out.consumed = printed_amounts(raw) - produced_amounts(out.rows)
    return out


def _numbers(words: list[str]) -> tuple[list[str], list[str]]:
    labels, nums = [], []
    for w in words:
        (nums if is_amount(w) else labels).append(w)
    return labels, nums


def _econ_width(raw: RawTable) -> int:
    """The 经济分类 column's width (half-width units) as this table shows it: its longest 经济分类 line, or its header
    label where that is wider (a label printed on one line fits its column). A text extraction keeps no positions,
    so the column is as wide as the widest thing printed in it, and a line that wide was wrapped (_finish). A table
    none of whose 经济分类 wrapped shows no width: its longest line is taken as wrapped unless the header label is
    wider; the same code read as two names is then reported (_check_econ_names), a code printed once is not."""
    widths = [display_width(w) for h in raw.header for c in h for w in (c or "").split() if "经济分类" in w]
    for r in raw.rows:
        words = (r.cells[0] or "").split()
        is_unit = len(words) >= 2 and words[0].isdigit() and words[1].startswith(f"[{words[0]}]")
        widths += [display_width(w) for w in (words[2:] if is_unit else words) if _ECON.match(w)]
    return max(widths, default=0)


def _text(raw: RawTable, out: Parsed) -> None:
    unit = raw.unit_printed or "万元"
    econ_width = _econ_width(raw)
    groups: list[_Group] = []
    cur: _Line | None = None
    for n, r in enumerate(raw.rows):
        line = (r.cells[0] or "").strip()
        words = line.split()
        if not words:
            continue
        if cur is None and _HEADING.match(line):
            break  # the report's prose resumes after the table
        is_unit = len(words) >= 2 and words[0].isdigit() and words[1].startswith(f"[{words[0]}]")
        body = words[2:] if is_unit else words
        _, nums = _numbers(body)
        has_project = any(_PROJECT.match(w) for w in body)
        if is_unit and (has_project or not nums):
            if cur is not None:
                out.issues.append(Issue("warning", f"{raw.title}：单位“{cur.unit_name}”的采购行没有金额，未导入", cur.page))
            cur = _Line(unit=words[0], unit_name=re.sub(r"^\[\d+\]", "", words[1]), page=r.page)
        elif cur is None:
            if nums:
                labels, _ = _numbers(body)
                label = "".join(labels) if not is_unit else re.sub(r"^\[\d+\]", "", words[1])
                gkind = "total" if re.fullmatch(r"合计|总计", label) else "unit" if is_unit else "category"
                groups.append(_Group(label, gkind, _max(nums), r.page, unit=words[0] if is_unit else None))
            elif line not in ("返回目录",):
                out.issues.append(Issue("warning", f"{raw.title}：无法归入任何采购行的文字“{line}”", r.page))
            continue
        cur.toks.extend(_Tok(w, n, k == 0, k == len(body) - 1) for k, w in enumerate(body))
        if nums:
            _finish(cur, raw, unit, groups, out, econ_width)
            cur = None
    if cur is not None:
        out.issues.append(Issue("warning", f"{raw.title}：单位“{cur.unit_name}”的最后一个采购行没有金额，未导入", cur.page))
    _check_econ_names(raw, out)
    _group_checks(groups, raw, unit, out)


def _check_econ_names(raw: RawTable, out: Parsed) -> None:
    """A 经济分类 code has one name: where its lines read as different names (‘其他商品和服务支出’ and ‘其他商品和’),
    the widths this table measures do not tell its wrapped lines from the others, and the names are not stored."""
    names: dict[str, set[str]] = {}
    for row in out.rows.get("procurement", []):
        if row["econ_class"]:
            code, _, name = row["econ_class"].partition(" ")
            names.setdefault(code, set()).add(name)
    for code, found in names.items():
        if len(found) > 1:
            out.issues.append(Issue("warning", f"{raw.title}：经济分类[{code}]在各行读出不同名称（{'／'.join(sorted(found))}），"
                                               "其折行无法按列宽确定，该分类名称未导入", raw.page_from))
            for row in out.rows["procurement"]:
                if row["econ_class"] and row["econ_class"].partition(" ")[0] == code:
                    row["econ_class"] = None


def _max(nums: list[str]) -> Decimal:
    return max(parse_amount(n) or D0 for n in nums)


def _finish(line: _Line, raw: RawTable, unit: str, groups: list[_Group], out: Parsed, econ_width: int) -> None:
    toks = line.toks
    # the text line carrying the amounts holds 资金来源, 资金性质, 品目, then 数量 and the figures
    k = next(i for i, t in enumerate(toks) if t.line == toks[-1].line)
    marks = [i for i, t in enumerate(toks) if _PROJECT.match(t.text) or _ECON.match(t.text)]
    k = max(k, marks[-1] + 1) if marks and marks[-1] >= k else k
    head, tail = toks[:k], toks[k:]
    labels, nums = _numbers([t.text for t in tail])
    p = next((i for i, t in enumerate(head) if _PROJECT.match(t.text)), None)
    e = next((i for i, t in enumerate(head) if _ECON.match(t.text)), None)
    if p is None:
        out.issues.append(Issue("warning", f"{raw.title}：单位“{line.unit_name}”的一行没有项目编码，未导入", line.page))
        return
    line.unit_name += "".join(t.text for t in head[:p])
    project = _PROJECT.match(head[p].text).group(1) + "".join(t.text for t in head[p + 1 : e if e is not None else len(head)])
    econ = None
    if e is not None:
        m = _ECON.match(head[e].text)
        name, j = m.group(2), e
        # a line within one unit of the column's width was wrapped (a CJK character more would not fit)
        while j + 1 < len(head) and head[j].last and head[j + 1].first and display_width(head[j].text) >= econ_width - 1:
            j += 1
            name += head[j].text
        econ = f"{m.group(1)} {name}".strip()
    if len(labels) != 3:
        out.issues.append(Issue("warning", f"{raw.title}：“{project}”的资金来源、资金性质、采购品目读出{len(labels)}项"
                                           f"（{' '.join(labels)}），品目取最后一项", line.page))
    item = labels[-1] if labels else None
    qty = nums[0] if nums and re.fullmatch(r"\d+", nums[0]) else None
    figures = [parse_amount(n) or D0 for n in (nums[1:] if qty is not None else nums)]
    if not figures:
        out.issues.append(Issue("warning", f"{raw.title}：“{project}”没有预算金额，未导入", line.page))
        return
    total = max(figures)
    at = 1 if len(figures) >= 2 and qty is not None and Decimal(qty) * figures[0] == figures[1] else figures.index(total)
    rest = figures[at + 1 :]
    tol = rounding_tolerance(unit, max(len(rest), 1))
    if rest:
        # 预算总计 = 政府预算资金合计 + 财政专户 + 单位资金, and 政府预算资金合计 = its own parts
        options = [sum(rest, D0) - rest[0], sum(rest, D0)] if len(rest) > 1 else [rest[0]]
        actual = next((a for a in options if abs(to_yuan(a - total, unit)) <= tol), options[0])
        out.comparisons.append(("procurement.line", Comparison(
            f"procurement:line:{len(out.rows.get('procurement', []))}", to_yuan(total, unit), to_yuan(actual, unit),
            max(len(rest), 1), line.page, "procurement", {"name": f"{project}（{item or ''}）"}, tolerance=tol)))
    out.add("procurement", {"project": project, "econ_class": econ, "item": item, "quantity": qty,
                            "amount_yuan": to_yuan(total, unit), "page": line.page, "_unit": line.unit})
    cats = [g for g in groups if g.kind == "category"]
    if cats:
        cats[-1].lines.append(total)
    for g in groups:
        if g.kind == "total" or (g.kind == "unit" and line.unit.startswith(g.unit or "")):
            g.lines.append(total)


def _group_checks(groups: list[_Group], raw: RawTable, unit: str, out: Parsed) -> None:
    for n, g in enumerate(groups):
        what = {"total": "合计", "unit": f"单位“{g.label}”小计", "category": f"“{g.label}”小计"}[g.kind]
        out.comparisons.append(("procurement.subtotal", Comparison(
            f"procurement:{g.kind}:{n}", to_yuan(g.amount, unit), to_yuan(sum(g.lines, D0), unit),
            max(len(g.lines), 1), g.page, "procurement", {"row": what},
            tolerance=rounding_tolerance(unit, max(len(g.lines), 1)))))
    for row in out.rows.get("procurement", []):
        row.pop("_unit", None)


# ------------------------------------------------------------------------------------------------ ruled grid

_GRID_COLS = {"project": ("项目名称",), "econ": ("经济分类",), "item": ("采购品目", "品目"), "qty": ("采购数量", "数量"),
              "total": ("预算总计", "合计", "金额")}


def _grid(raw: RawTable, out: Parsed) -> None:
    """A ruled table: columns by their header words; a row with a project and an amount is a line."""
    unit = raw.unit_printed or "元"
    width = max(len(r.cells) for r in raw.rows)
    cols: dict[str, int] = {}
    for key, words in _GRID_COLS.items():
        for h in raw.header:
            for j, c in enumerate(h):
                text = clean(c)
                if j not in cols.values() and any(w in text for w in words) and key not in cols:
                    cols[key] = j
    if "project" not in cols or "total" not in cols:
        out.issues.append(Issue("warning", f"{raw.title}：表头中找不到项目名称或预算金额列，采购行未导入", raw.page_from))
        return
    last: dict[str, str] = {}
    total_row: Decimal | None = None
    lines: list[Decimal] = []
    for r in raw.rows:
        cells = list(r.cells) + [None] * (width - len(r.cells))

        def cell(key: str, cells: list = cells) -> str | None:
            j = cols.get(key)
            v = cells[j] if j is not None else None
            if v is None and key in ("project", "econ"):
                return last.get(key)  # a merged cell continues the one above
            return clean(v) if v else None

        amount_text = cell("total")
        first = next((clean(c) for c in cells if c and c.strip()), "")
        if first in ("合计", "总计") and amount_text and is_amount(amount_text):
            total_row = parse_amount(amount_text)
            continue
        project = cell("project")
        if not project or not amount_text or not is_amount(amount_text):
            continue
        last.update({"project": project, "econ": cell("econ") or ""})
        amount = parse_amount(amount_text) or D0
        m = _PROJECT.match(project)
        econ = cell("econ")
        if econ and (em := _ECON.match(econ)):
            econ = f"{em.group(1)} {em.group(2)}"
        out.add("procurement", {"project": m.group(1) if m else project, "econ_class": econ, "item": cell("item"),
                                "quantity": cell("qty"), "amount_yuan": to_yuan(amount, unit), "page": r.page})
        lines.append(amount)
    if total_row is not None:
        out.comparisons.append(("procurement.subtotal", Comparison(
            "procurement:total:0", to_yuan(total_row, unit), to_yuan(sum(lines, D0), unit), max(len(lines), 1),
            raw.page_from, "procurement", {"row": "合计"}, tolerance=rounding_tolerance(unit, max(len(lines), 1)))))
