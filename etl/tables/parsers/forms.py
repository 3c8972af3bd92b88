"""项目支出绩效目标表 (申报表 / 填报表): header fields, funding grid, text blocks and 绩效指标 of one form.

Two layouts share this parser and its output:

* a ruled grid (上海 PDFs: 项目名称 / 项目性质 / 项目资金总额 … and one 一级/二级/三级/指标值 grid), read cell by
  cell — a grid keeps its columns, so a form printing two scopes side by side is split by column;
* a text extraction of the 山西 申报表, whose indicator table prints two halves side by side (实施期 left, 年度
  right). A text line has lost the column positions, so the halves are told apart by the order the cells are
  read in (row by row, left to right), the 二级指标 label each half prints for its group, and the width at which
  each column wraps. A group whose cells fit that model in more than one way, or in none, is reported in the
  ingest report and not stored: an indicator filed under the wrong scope would be worse than a missing one.

Column widths of a text extraction are measured, not assumed, wherever the form itself shows them: the 总体目标
blocks by their own longest lines (_goal_splits). The four indicator columns cannot be measured from one form — a
plain extraction keeps no positions (its header line is the labels joined by single spaces) and a form's cells
rarely reach all four widths — so the widths measured on the 山西 template are used only for a form whose own
measurable widths (its 总体目标 blocks) are that template's; a form measuring otherwise is reported, its indicators
not stored (_indicator_widths).
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass, field
from decimal import Decimal

from etl.read import tokens
from etl.read.amounts import is_amount, is_blank, parse_amount, to_yuan
from etl.read.layout import RawTable
from etl.read.tokens import clean, display_width
from etl.tables.coverage import printed_amounts, produced_amounts
from etl.tables.parsers.common import Issue, Parsed

PERIOD, ANNUAL = "实施期", "年度"
LEVEL1 = ("产出指标", "效益指标", "满意度指标")
LEVEL2 = ("数量指标", "质量指标", "时效指标", "成本指标", "经济效益指标", "社会效益指标", "生态效益指标",
          "可持续影响指标", "服务对象满意度指标")
LEVEL1_OF = {"数量指标": "产出指标", "质量指标": "产出指标", "时效指标": "产出指标", "成本指标": "产出指标",
             "经济效益指标": "效益指标", "社会效益指标": "效益指标", "生态效益指标": "效益指标",
             "可持续影响指标": "效益指标", "服务对象满意度指标": "满意度指标"}
_VOCAB = sorted(LEVEL2 + LEVEL1, key=len, reverse=True)  # longest first: 服务对象满意度指标 before 满意度指标

# label (whitespace and trailing colon removed) → project_forms field
_GRID_LABELS = {
    "项目名称": "project_name", "主管部门": "department", "主管部门及代码": "department", "实施单位": "implementer",
    "项目属性": "attribute", "项目性质": "attribute", "项目期": "period", "计划开始日期": "_start",
    "计划完成日期": "_end", "实施期资金总额": "_total", "项目资金总额": "_total", "年度资金总额": "_annual",
    "年度资金申请总额": "_annual", "项目概况": "overview", "立项依据": "basis", "项目设立必要性": "necessity",
    "保证项目实施的制度、措施": "safeguards", "项目实施计划": "plan", "实施期总体目标": "goal_period",
    "项目总目标": "goal_period", "实施期目标": "goal_period", "年度总体目标": "goal_annual", "年度目标": "goal_annual",
}
_TEXT_LABELS = (("保证项目实施的制度、措施", "safeguards"), ("项目设立必要性", "necessity"), ("项目实施计划", "plan"),
                ("项目概况", "overview"), ("立项依据", "basis"))
_FORM_FIELDS = ("department", "implementer", "attribute", "period", "overview", "basis", "necessity", "safeguards",
                "plan", "goal_period", "goal_annual")
_SOURCE = re.compile(r"(资金|自筹|拨款)$")
_UNIT = re.compile(r"[（(](万元|元)[)）]")

# The 山西 template as measured on its text extraction (half-width units, a CJK character is 2): the width at which
# each indicator column wraps — 三级指标 and 指标值 of the 实施期 half, then of the 年度 half — and the widths of
# its 总体目标 blocks (实施期 left, 年度 right). A line within a few units of its column's width was wrapped; a
# shorter one ended its cell. Used only for a form whose own 总体目标 blocks measure the same (_indicator_widths).
_SHANXI_COLUMNS = {0: 24, 1: 34, 2: 14, 3: 19}
_SHANXI_GOALS = (80, 48)
# A wrapped line falls short of its column by up to ~6 units (禁则, digits narrower than a CJK cell); a line never
# exceeds it by more than 1.
_GOAL_SLACK = 6
_SENTENCE_END = "。！？；.!?;"
# a 指标值 that reads as one: a comparison or a number with its unit (≥40支, 100%, 5类, ≥30分钟/天)
_TARGET = re.compile(r"^(?:[≥≤＞＜><=＝]|不低于|不少于|不超过|不高于|大于|小于|约)?\s*\d+(?:\.\d+)?\s*"
                     r"(?:%|％|人次|万人次|分钟|小时|[个次场支人类项家名台套件处批期天万元户所座篇条])(?:/\S+)?$")
_MAX_READINGS = 1 << 14  # line-by-line readings of one indicator group worth enumerating
_STRONG = re.compile(r"^(?:[≥≤＞＜><=＝]\s*\d|\d+(?:\.\d+)?\s*[%％]$)")


def _norm_label(text: str | None) -> str:
    return clean(text).rstrip(":：")


def _cell_text(text: str | None) -> str:
    """A wrapped grid cell: the print's line breaks are not part of the text (Chinese has no word spaces)."""
    return (text or "").replace("\n", "").strip()


@dataclass
class _Form:
    fields: dict[str, str | None] = field(default_factory=dict)
    unit: str = "元"
    total: Decimal | None = None
    annual: Decimal | None = None
    funds: list[tuple[str, str, Decimal]] = field(default_factory=list)  # scope, source, printed amount
    indicators: list[tuple[str, str | None, str | None, str, str]] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.fields.get("project_name") or ""

    def warn(self, message: str, page: int | None = None) -> None:
        self.issues.append(Issue("warning", f"绩效目标表“{self.name or '?'}”：{message}", page))


def parse_form(raw: RawTable, kind: str) -> Parsed:
    """One 绩效目标表 → a project_forms row, its project_funds and indicators rows."""
    out = Parsed()
    aligned = bool(raw.rows) and raw.rows[0].aligned
    form = _from_grid(raw) if aligned else _from_text(raw)
    out.issues.extend(form.issues)
    name = form.name
    if not name:
        out.issues.append(Issue("warning", f"“{raw.title}”（第{raw.page_from or '?'}页）未找到项目名称，未导入", raw.page_from))
        out.consumed = printed_amounts(raw)
        return out
    row = {"project_name": name, "page": raw.page_from,
           "total_funds_yuan": to_yuan(form.total, form.unit), "annual_funds_yuan": to_yuan(form.annual, form.unit)}
    for f in _FORM_FIELDS:
        row[f] = form.fields.get(f) or None
    out.add("project_forms", row)
    for scope, source, amount in form.funds:
        out.add("project_funds", {"project_name": name, "scope": scope, "source": source,
                                  "amount_yuan": to_yuan(amount, form.unit)})
    seen: dict[str, int] = {}
    for scope, l1, l2, l3, target in form.indicators:
        seen[scope] = seen.get(scope, 0) + 1
        out.add("indicators", {"project_name": name, "scope": scope, "level1": l1, "level2": l2, "level3": l3,
                               "target": target, "row_no": seen[scope]})
    out.has_data = True
    # A form is not a column table: its amounts are the funding block, each verified above to reach a field or a
    # project_funds row (else an issue). The pipeline's cell count is therefore balanced here, not re-derived.
    out.consumed = printed_amounts(raw) - produced_amounts(out.rows)
    return out


# ------------------------------------------------------------------------------------------------ ruled grid


def _from_grid(raw: RawTable) -> _Form:
    form = _Form()
    rows = [list(h) for h in raw.header] + [list(r.cells) for r in raw.rows]
    header_at = next((i for i, r in enumerate(rows) if any(_norm_label(c) == "一级指标" for c in r)), len(rows))
    annual_col: int | None = None
    for i in range(header_at):
        cells = rows[i]
        for j, c in enumerate(cells):
            label = _norm_label(c)
            if (m := _UNIT.search(label)) and label.startswith("项目资金"):
                form.unit = m.group(1)
                continue
            key = _GRID_LABELS.get(label)
            if key == "_annual":
                annual_col = j
            source = re.sub(r"^其中[:：]?", "", label) if key is None and _SOURCE.search(label) else None
            if key is None and not source:
                continue
            value = _value_right(cells, j)
            if value is None and key is not None and not key.startswith("_"):
                below = rows[i + 1][j] if i + 1 < header_at and j < len(rows[i + 1]) else None
                value = _cell_text(below) or None
            if key in ("_total", "_annual") or source:
                amount = _grid_amount(value, label, form, raw.page_from)
                if key == "_total":
                    form.total = amount
                elif key == "_annual":
                    form.annual = amount
                elif amount is not None:
                    scope = ANNUAL if annual_col is not None and j >= annual_col else PERIOD
                    form.funds.append((scope, source, amount))
            elif key in ("_start", "_end"):
                form.fields[key] = value
            elif key and value and not form.fields.get(key):
                form.fields[key] = value
    start, end = form.fields.pop("_start", None), form.fields.pop("_end", None)
    if not form.fields.get("period") and (start or end):
        form.fields["period"] = f"{start or ''}至{end or ''}"
    if header_at < len(rows):
        _grid_indicators(rows[header_at], rows[header_at + 1 :], form, raw.page_from)
    return form


def _value_right(cells: list[str | None], j: int) -> str | None:
    for c in cells[j + 1 :]:
        if c is None:
            continue
        label = _norm_label(c)
        if label in _GRID_LABELS or (_SOURCE.search(label) and not is_amount(c)):
            return None
        return _cell_text(c) or None
    return None


def _grid_amount(value: str | None, label: str, form: _Form, page: int | None) -> Decimal | None:
    if value is None or is_blank(value):
        return None
    try:
        return parse_amount(value)
    except ValueError:
        form.warn(f"“{label}”的金额“{value}”无法识别", page)
        return None


def _grid_indicators(header: list[str | None], body: list[list[str | None]], form: _Form, page: int | None) -> None:
    labels = [_norm_label(c) for c in header]
    c1 = labels.index("一级指标")
    l2 = [j for j, t in enumerate(labels) if t == "二级指标"]
    l3 = [j for j, t in enumerate(labels) if t == "三级指标"]
    tv = [j for j, t in enumerate(labels) if "指标值" in t]
    if not (len(l2) == len(l3) == len(tv)) or len(l3) not in (1, 2):
        form.warn(f"指标表表头“{' '.join(t for t in labels if t)}”无法识别，指标未导入", page)
        return
    scopes = [ANNUAL] if len(l3) == 1 else [PERIOD, ANNUAL]
    level1: str | None = None
    level2: dict[int, str | None] = {}
    for cells in body:
        cells = cells + [None] * (len(header) - len(cells))
        if any(_norm_label(c) == "三级指标" for c in cells):
            continue  # the header repeated on a continuation page
        if cells[c1] is not None and _cell_text(cells[c1]):
            level1 = _cell_text(cells[c1])
        for k, scope in enumerate(scopes):
            if cells[l2[k]] is not None and _cell_text(cells[l2[k]]):
                level2[k] = _cell_text(cells[l2[k]])
            l3_text, target = _cell_text(cells[l3[k]]), _cell_text(cells[tv[k]])
            if not l3_text and not target:
                continue
            if not l3_text:
                form.warn(f"指标值“{target}”没有对应的三级指标，未导入", page)
                continue
            form.indicators.append((scope, level1, level2.get(k), l3_text, target))


# ------------------------------------------------------------------------------------- text extraction (山西)


def _from_text(raw: RawTable) -> _Form:
    form = _Form()
    lines = [(h[0] or "").strip() for h in raw.header] + [(r.cells[0] or "").strip() for r in raw.rows]
    page = raw.page_from
    section = "head"
    texts: dict[str, list[str]] = {}
    goal_lines: list[str] = []
    goal_inline: str | None = None
    indicator_lines: list[str] = []
    halves = 2
    for line in lines:
        if not line:
            continue
        if section == "indicators":
            if line.startswith("负责人"):
                section = "done"
            else:
                indicator_lines.append(line)
            continue
        if section == "done":
            continue
        if "一级指标" in line and "三级指标" in line:
            halves = 2 if line.count("三级指标") == 2 else 1
            section = "indicators"
            continue
        in_head = section in ("head", "name", "funds")
        if in_head and (m := re.match(r"^项目名称\s*(.*)$", line)):
            form.fields["project_name"] = m.group(1).strip()
            section = "name"
        elif in_head and (m := re.match(r"^主管部门(?:及代码)?\s*(.*?)\s*(?:实施单位\s*(.*))?$", line)):
            form.fields["department"], form.fields["implementer"] = m.group(1) or None, m.group(2) or None
            section = "head"
        elif in_head and (m := re.match(r"^项目属性\s*(.*?)\s*(?:项目期\s*(.*))?$", line)):
            form.fields["attribute"], form.fields["period"] = m.group(1) or None, m.group(2) or None
            section = "head"
        elif in_head and (line.startswith("项目资金") or re.fullmatch(r"[（(](万元|元)[)）]", line)):
            if m := _UNIT.search(line):
                form.unit = m.group(1)
        elif in_head and "资金总额" in line:
            _text_totals(line, form, page)
            section = "funds"
        elif label := next((lb for lb in _TEXT_LABELS if line.startswith(lb[0])), None):
            section = label[1]
            rest = line[len(label[0]) :].strip()
            texts[section] = [rest] if rest else []
        elif re.fullmatch(r"实施期目标\s*年度目标", line):
            section = "goals_head"
        elif line.startswith("总体目标"):
            section = "goals"
            goal_inline = line[len("总体目标") :].strip() or None
        elif section == "funds":
            _text_source_line(line, form, page)
        elif section == "name" and "project_name" in form.fields:
            form.fields["project_name"] += line  # a name wrapped onto the next line
        elif section in dict(_TEXT_LABELS).values():
            texts[section].append(line)
        elif section == "goals":
            goal_lines.append(line)
    for key, parts in texts.items():
        form.fields[key] = "".join(parts) or None
    while goal_lines and len(goal_lines[-1]) == 1 and goal_lines[-1] in "绩效指标":
        goal_lines.pop()  # the vertical 绩/效/指/标 label of the indicator block
    goal_widths = _text_goals(goal_inline, goal_lines, form, page)
    if indicator_lines:
        wrap, why = _indicator_widths(goal_widths)
        if wrap is None:
            form.warn(f"指标表{why}，指标未导入", page)
        else:
            _text_indicators(indicator_lines, halves, form, page, wrap)
    elif form.name:
        form.warn("未找到绩效指标表", page)
    return form


def _text_totals(line: str, form: _Form, page: int | None) -> None:
    for label, amount in _label_amounts(line, form, page):
        if label.startswith("实施期") or label.startswith("项目资金"):
            form.total = amount
        elif label.startswith("年度"):
            form.annual = amount
        else:
            form.warn(f"资金总额行“{line}”中的“{label}”无法识别", page)


def _text_source_line(line: str, form: _Form, page: int | None) -> None:
    """‘其中：中央财政资金 0 其中：中央财政资金 0’: the first label is the 实施期 column, the second the 年度 one."""
    pairs = _label_amounts(line, form, page, keep_blank=True)
    if len(pairs) != 2:
        if any(a is not None for _, a in pairs):
            form.warn(f"资金来源行“{line}”不是左右两列，金额未导入", page)
        return
    for scope, (label, amount) in zip((PERIOD, ANNUAL), pairs, strict=True):
        if amount is not None:
            form.funds.append((scope, re.sub(r"^其中[:：]?", "", label), amount))


def _label_amounts(line: str, form: _Form, page: int | None, keep_blank: bool = False) -> list[tuple[str, Decimal | None]]:
    """Labels with the amount printed after each (None where the cell is blank), in print order."""
    pairs: list[tuple[str, Decimal | None]] = []
    for p in tokens.pieces(line):
        if p.kind == "text":
            pairs.extend((w.rstrip(":："), None) for w in p.text.split())
        elif p.kind == "amount":
            if not pairs or pairs[-1][1] is not None:
                form.warn(f"金额“{p.text}”前没有项目（“{line}”）", page)
                continue
            pairs[-1] = (pairs[-1][0], parse_amount(p.text))
    return pairs if keep_blank else [(lb, a) for lb, a in pairs if a is not None]


def _text_goals(inline: str | None, lines: list[str], form: _Form, page: int | None
                ) -> tuple[int | None, int | None] | None:
    """实施期总体目标 prints left (wide), 年度总体目标 right (narrow); the text reads the left block first, so the
    two are told apart by where the lines stop being as wide as the left column (see _goal_splits).

    Returns the two blocks' widths as this form measures them — a block's longest line where the block wrapped (a
    single line shows no width: None) — or None when the goals were not split (nothing measured)."""
    if inline:
        parts = inline.split()
        if len(parts) == 2 and not lines:
            form.fields["goal_period"], form.fields["goal_annual"] = parts
            return None
        lines = [parts[0], *lines] if len(parts) == 1 else [inline, *lines]
    if not lines:
        return None
    splits = _goal_splits(lines)
    if len(splits) > 1:
        # a text ends at a sentence end: of two readings fitting the widths, keep the one whose 实施期 text does
        ended = [k for k in splits if lines[k - 1][-1] in _SENTENCE_END]
        splits = ended if len(ended) == 1 else splits
    if len(splits) != 1:
        why = "无法分开" if not splits else f"有{len(splits)}种同样合理的分法"
        form.warn(f"实施期总体目标与年度总体目标{why}，两者均未导入", page)
        return None
    k = splits[0]
    form.fields["goal_period"] = "".join(lines[:k])
    form.fields["goal_annual"] = "".join(lines[k:]) or None
    left, right = lines[:k], lines[k:]
    return (max(map(display_width, left)) if len(left) > 1 else None,
            max(map(display_width, right)) if len(right) > 1 else None)


def _indicator_widths(goals: tuple[int | None, int | None] | None) -> tuple[dict[int, int] | None, str]:
    """The indicator columns' wrap widths for a text form, or why they cannot be known.

    A plain text extraction keeps no column positions, and one form's indicator cells seldom reach each of the four
    widths, so the columns cannot be measured from the form; the 山西 template's measured widths are therefore used,
    but only where nothing the form does measure contradicts that template: its 总体目标 blocks, laid out by the
    same template, must be as wide as the 山西 ones. A form measuring otherwise comes from another template, whose
    indicator columns would be misread at the 山西 widths. (A form whose goal blocks never wrap measures nothing
    and is read at the 山西 widths, as every form before widths were checked.)"""
    for measured, expected, side in zip(goals or (None, None), _SHANXI_GOALS, ("实施期", "年度"), strict=True):
        if measured is not None and not expected - _GOAL_SLACK <= measured <= expected + 1:
            return None, (f"为无列位置的文本，列宽无从量出；本表{side}总体目标栏宽{measured}，"
                          f"与已知模板（山西，{expected}）不符")
    return _SHANXI_COLUMNS, ""


def _goal_splits(lines: list[str]) -> list[int]:
    """Every k for which lines[:k] reads as the left block and lines[k:] as the right one: in each block every line
    but its last is wrapped (about as wide as its column), and no line is wider than its column.

    The widths are the form's own, not a template's: the left (实施期, wide) block is as wide as the longest goal
    line, the right one as its own longest line. A template whose right block were the wider fits no split, and is
    reported rather than split at the wrong line."""
    widths = [display_width(ln) for ln in lines]
    left_width = max(widths)

    def fits(ws: list[int], wrap: int) -> bool:
        return all(w <= wrap + 1 for w in ws) and all(w >= wrap - _GOAL_SLACK for w in ws[:-1])

    return [k for k in range(1, len(lines) + 1)
            if fits(widths[:k], left_width) and fits(widths[k:], max(widths[k:], default=0))]


# --- the two-half indicator table


@dataclass
class _Piece:
    text: str
    line: int
    first: bool  # nothing printed before it on its line
    last: bool  # nothing printed after it on its line
    marker: str | None = None  # "L1" / "L2" for a 一级 / 二级 label


@dataclass
class _Group:
    level1: str | None
    level2: str
    pieces: list[_Piece] = field(default_factory=list)
    right_at: int | None = None  # where the 年度 half's label was read (pieces before it are the 实施期 half's)


def _split_markers(p: _Piece) -> list[_Piece]:
    """‘服务对象满意度指标市民满意度’: a 二级 label glued to the cell after it (or a cell glued before one)."""
    for word in _VOCAB:
        if p.text == word:
            return [_Piece(p.text, p.line, p.first, p.last, "L2" if word in LEVEL2 else "L1")]
    for word in _VOCAB:
        if p.text.startswith(word) and len(p.text) > len(word):
            head = _Piece(word, p.line, p.first, False, "L2" if word in LEVEL2 else "L1")
            return [head, *_split_markers(_Piece(p.text[len(word) :], p.line, False, p.last))]
    for word in LEVEL2:
        if p.text.endswith(word) and len(p.text) > len(word):
            return [_Piece(p.text[: -len(word)], p.line, p.first, False), _Piece(word, p.line, False, p.last, "L2")]
    return [p]


def _pieces(lines: list[str]) -> list[_Piece]:
    pieces: list[_Piece] = []
    for n, line in enumerate(lines):
        words = line.split()
        for k, w in enumerate(words):
            pieces.extend(_split_markers(_Piece(w, n, k == 0, k == len(words) - 1)))
    # a label wrapped in its narrow column: ‘服务对象满意度指’ + ‘标’
    merged: list[_Piece] = []
    i = 0
    while i < len(pieces):
        p = pieces[i]
        nxt = pieces[i + 1] if i + 1 < len(pieces) else None
        if p.marker is None and p.last and nxt is not None and nxt.first and len(p.text) >= 2:
            word = next((w for w in _VOCAB if w.startswith(p.text) and w != p.text
                         and (nxt.text.startswith(w[len(p.text):]))), None)
            if word:
                tail = nxt.text[len(word) - len(p.text) :]
                merged.append(_Piece(word, p.line, p.first, not tail, "L2" if word in LEVEL2 else "L1"))
                if tail:
                    merged.extend(_split_markers(_Piece(tail, nxt.line, False, nxt.last)))
                i += 2
                continue
        merged.append(p)
        i += 1
    return merged


def _text_indicators(lines: list[str], halves: int, form: _Form, page: int | None, wrap: dict[int, int]) -> None:
    pieces = _pieces(lines)
    lexicon = {p.text for p in pieces if p.marker is None}
    groups: list[_Group] = []
    level1: str | None = None
    stray: list[str] = []
    for p in pieces:
        if p.marker == "L1":
            level1 = p.text
        elif p.marker == "L2":
            cur = groups[-1] if groups else None
            if halves == 2 and cur is not None and cur.level2 == p.text and cur.right_at is None:
                cur.right_at = len(cur.pieces)
            else:
                if level1 is not None and LEVEL1_OF[p.text] != level1:
                    form.warn(f"二级指标“{p.text}”印在一级指标“{level1}”下", page)
                groups.append(_Group(level1 or LEVEL1_OF[p.text], p.text))
        elif groups:
            groups[-1].pieces.append(p)
        else:
            stray.append(p.text)
    if stray:
        form.warn(f"指标表中“{' '.join(stray)}”不在任何二级指标下，未导入", page)
    for g in groups:
        rows = _solve_group(g, halves, lexicon, wrap)
        if isinstance(rows, str) and halves == 2 and g.right_at is not None:
            rows = _solve_lines(g, lexicon) or rows
        if isinstance(rows, str):
            text = " ".join(p.text for p in g.pieces)
            form.warn(f"{g.level2}（{text}）{rows}，该组指标未导入", page)
            continue
        for scope, l3, target in rows:
            form.indicators.append((scope, g.level1, g.level2, l3, target))


def _solve_lines(g: _Group, lexicon: set[str]) -> list[tuple[str, str, str]] | None:
    """The halves of a group with different row counts (实施期 1 row, 年度 2): its rows are not read alternately,
    so each text line is taken as one row of one half (2 cells) or a 实施期 row then a 年度 row (4 cells), the lines
    of each half in order. Only for groups with no wrapped cell (every line reads as 2 or 4 cells), and only where
    exactly one assignment of the 2-cell lines keeps each half's 三级指标 distinct; else None (reported by the caller)."""
    by_line: dict[int, list[_Piece]] = {}
    for p in g.pieces:
        by_line.setdefault(p.line, []).append(p)
    line_options: list[list[tuple[int, list[str]]]] = []
    for pieces in by_line.values():
        texts = [p.text for p in pieces]
        if len(texts) in (2, 4):
            line_options.append([(0, texts)])
            continue
        if len(texts) not in (1, 3):
            return None
        opts = [(cost, [*texts[:i], t[:k], t[k:], *texts[i + 1 :]])
                for i, t in enumerate(texts) for k, cost in _split_options(t, lexicon)]
        if not opts:
            return None
        line_options.append(opts)
    free_lines = sum(1 for opts in line_options if any(len(c) == 2 for _, c in opts))
    if math.prod(len(o) for o in line_options) << free_lines > _MAX_READINGS:
        return None  # too many ways to try: reported by the caller rather than searched
    readings: dict[tuple, int] = {}
    for choice in itertools.product(*line_options):
        cells = [c for _, c in choice]
        split_cost = sum(cost for cost, _ in choice)
        free = [i for i, c in enumerate(cells) if len(c) == 2]
        for sides in itertools.product((0, 1), repeat=len(free)):
            side_of = dict(zip(free, sides, strict=True))
            halves: tuple[list[tuple[str, str]], list[tuple[str, str]]] = ([], [])
            for i, c in enumerate(cells):
                if len(c) == 4:
                    halves[0].append((c[0], c[1]))
                    halves[1].append((c[2], c[3]))
                else:
                    halves[side_of[i]].append((c[0], c[1]))
            if not all(halves) or any(len({r[0] for r in h}) != len(h) for h in halves):
                continue
            cost = split_cost + sum(1 for h in halves for l3, _ in h if _TARGET.match(l3))
            key = (tuple(halves[0]), tuple(halves[1]))
            readings[key] = min(cost, readings.get(key, cost))
    if not readings:
        return None
    best = min(readings.values())
    found = [k for k, c in readings.items() if c == best]
    if len(found) != 1:
        return None
    left, right = found[0]
    return [(PERIOD, l3, t) for l3, t in left] + [(ANNUAL, l3, t) for l3, t in right]


def _split_options(text: str, lexicon: set[str]) -> list[tuple[int, int]]:
    """Where a 指标值 may be glued to its 三级指标 (‘推介会高质量完成率100%’, ‘繁荣群众文化可持续性可持续’), with the
    cost of reading it so: a comparison or a percentage is almost never part of a 三级指标 (free); a number with
    its unit, or a text that stands alone elsewhere in the form, only where nothing else fits (1)."""
    points = []
    for k in range(2, len(text)):
        head, tail = text[:k], text[k:]
        if head[-1].isdigit() or head[-1] in ".≥≤＞＜><=＝" or _TARGET.match(head):
            continue
        if _TARGET.match(tail):
            points.append((k, 0 if _STRONG.match(tail) else 1))
        elif tail in lexicon and tail != text:
            points.append((k, 1))
    return points


@dataclass
class _Cell:
    col: int
    text: str
    line: int
    tail_width: int  # width of its last printed line
    tail_last: bool  # its last printed line ended the text line
    lines: int = 1


def _full(wrap: dict[int, int], col: int, width: int) -> bool:
    """A line this wide in this column was wrapped (a character more would not fit; 禁则 may move one back)."""
    return wrap[col] - 2 <= width <= wrap[col] + 1


def _solve_group(g: _Group, halves: int, lexicon: set[str], wrap: dict[int, int]) -> list[tuple[str, str, str]] | str:
    """The one most plausible way to read a group's pieces as rows of (三级, 指标值) per half, or why there is none.

    Cells are read row by row, left to right (实施期 三级, 指标值, 年度 三级, 指标值); every reading that fits is
    scored by its departures from how the print normally looks — a line as wide as its column not continued, a
    single line wider than its column, a glued 指标值 split or left glued, a 指标值-looking text read as a 三级,
    a 指标值 exactly as wide as a wrapped 三级 line — and ties go to the reading whose two halves share more 指标值.
    A reading no better than another is not chosen: the group is reported instead."""
    per_row = 2 * halves
    if halves == 2 and g.right_at is None:
        return "只印出一侧的二级指标，实施期与年度无法分开" if g.pieces else []
    split_at = g.right_at if halves == 2 else len(g.pieces)
    seq = [(0 if k < split_at else 1, p) for k, p in enumerate(g.pieces)]
    options = [[(None, 0), *_split_options(p.text, lexicon)] for _, p in seq]
    found: list[tuple[int, list[_Cell]]] = []
    best_cost = [10**9]

    def col_of(n_left: int, side: int, n: int) -> int:
        if side == 0:
            return n % per_row
        return ((2 if n_left == 2 else 0) + n - n_left) % per_row

    def cell_cost(cell: _Cell) -> int:
        c = 0
        if cell.lines == 1 and cell.tail_width > wrap[cell.col] + 1:
            c += 1  # a single line wider than its column
        if cell.col % 2 == 0 and _TARGET.match(cell.text):
            c += 1  # a 指标值 read as a 三级指标
        if cell.col % 2 == 0 and any(_STRONG.match(cell.text[k:]) and not cell.text[k - 1].isdigit()
                                     for k in range(2, len(cell.text))):
            c += 1  # a comparison or percentage left glued to a 三级指标
        return c

    def dfs(i: int, cells: list[_Cell], n_left: int, cost: int) -> None:
        if cost > best_cost[0]:
            return
        if i == len(seq):
            if not seq or seq[-1][0] == 0:
                n_left = len(cells)
            total = len(cells)
            if halves == 2:
                ok = n_left in (0, 2) and (total % per_row == 0 or total == n_left)
            else:
                ok = total % per_row == 0
            cost += sum(cell_cost(c) for c in cells)
            if ok and cost <= best_cost[0]:
                if cost < best_cost[0]:
                    best_cost[0] = cost
                    found.clear()
                found.append((cost, [*cells]))
            return
        side, p = seq[i]
        if side == 1 and (i == 0 or seq[i - 1][0] == 0):
            n_left = len(cells)
            if halves == 2 and n_left not in (0, 2):
                return
        if side == 0 and halves == 2 and len(cells) >= 2:
            return
        prev = cells[-1] if cells else None
        same_side = prev is not None and (side == 0 or len(cells) > n_left)
        wrapped = same_side and prev.tail_last and p.first and _full(wrap, prev.col, prev.tail_width)
        for opt, split_cost in options[i]:
            frags = [p.text] if opt is None else [p.text[:opt], p.text[opt:]]
            for join in ([True, False] if wrapped else [False]):
                c = split_cost + (1 if wrapped and not join else 0)
                if not join and prev is not None and prev.col % 2 == 1 and prev.tail_last and p.first and (
                        _full(wrap, 0, prev.tail_width) or _full(wrap, 2, prev.tail_width)):
                    c += 1  # a 指标值 exactly as wide as a wrapped 三级指标 line, with the next line after it
                new = [*cells]
                ok = True
                for k, frag in enumerate(frags):
                    is_last = p.last and k == len(frags) - 1
                    w = display_width(frag)
                    if k == 0 and join:
                        last = new[-1]
                        if w > wrap[last.col] + 1:
                            ok = False  # a continuation line is never wider than its column
                            break
                        new[-1] = _Cell(last.col, last.text + frag, p.line, w, is_last, last.lines + 1)
                        continue
                    col = col_of(n_left, side, len(new))
                    if col == 0 and new and new[-1].line == p.line:
                        ok = False  # a row never starts in the middle of a printed line
                        break
                    new.append(_Cell(col, frag, p.line, w, is_last))
                if ok:
                    dfs(i + 1, new, n_left, cost + c)

    dfs(0, [], 0, 0)
    if not found:
        return "的单元格无法按左右两半逐行对齐" if halves == 2 else "的单元格无法按行对齐"
    readings: dict[tuple, list[_Cell]] = {}
    for _, cells in found:
        readings.setdefault(tuple((c.col, c.text) for c in cells), cells)
    if len(readings) > 1 and halves == 2:
        scored = sorted(((_shared_targets(cells), key) for key, cells in readings.items()), reverse=True)
        if scored[0][0] > scored[1][0]:
            readings = {scored[0][1]: readings[scored[0][1]]}
    if len(readings) > 1:
        return f"有{len(readings)}种同样合理的读法"
    cells = next(iter(readings.values()))
    out: list[tuple[str, str, str]] = []
    scope_of = {0: PERIOD, 2: ANNUAL} if halves == 2 else {0: ANNUAL}
    for k in range(0, len(cells), 2):
        pair = cells[k : k + 2]
        if len(pair) != 2 or pair[0].col % 2 != 0:
            return "的单元格无法按行对齐"
        out.append((scope_of[pair[0].col], pair[0].text, pair[1].text))
    for scope in {s for s, _, _ in out}:
        names = [l3 for s, l3, _ in out if s == scope]
        if len(names) != len(set(names)):
            return f"在{scope}一侧读出重复的三级指标，左右两半可能错位"
    return out


def _shared_targets(cells: list[_Cell]) -> int:
    left = [c.text for c in cells if c.col == 1]
    right = [c.text for c in cells if c.col == 3]
    return sum(min(left.count(t), right.count(t)) for t in set(left))
