"""Failed checks as a reviewer's 公开情况检查表: the report's parts in the order the form lists them, each marked
符合要求 是/否 (or 未核对), with one finding per real problem under the part it is about.

A district finance bureau fills one 检查表 per report, part by part — 封面, 目录, 主要职能, 机构设置, 名词解释, 编制说明
(a 决算's 情况说明), each standard table, 其他相关说明, 项目经费情况说明 — so the page and the briefing read in that order
and name each part as the report's family does (etl/words/sections.py `label`).

One misprinted cell fails several checks — its 款 against its 项, the 类 above, the 收支总表 beside it — each with the
same difference. Within a part those failures are one finding: grouped by the size of the difference (exact, in 元),
shown once with both figures and the list of places. A finding about words is one per rule and quoted words (the same
leftover “增加（减少）” is one problem wherever it stands). A difference smaller than 0.01万元 is shown in 元 (差额 1元),
where 万元 would read “9,499.58 vs 9,499.58, 差额 -0.00” (dashboard/fmt.py).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd

from etl.words.sections import SECTIONS, family, label

from . import queries
from .fmt import amount, compared, difference, is_small_difference
from .generations import per_report
from .labels import table_kind

# the reviewer's order (公开情况检查表): etl/words/sections.py lists the parts in it
REVIEW_ORDER: tuple[str, ...] = SECTIONS
WHOLE = "report"  # findings about the whole report (a part the rules name but the form does not, or none)
WHOLE_LABEL = "整份报告"

YES, NO, UNCHECKED = "是", "否", "未核对"


@dataclass
class Place:
    description: str
    table: str
    page: int | None
    quote: str | None = None
    table_kind: str | None = None     # the table the check is about (registry key), for the line per printed table
    check_id: str | None = None       # the check it came from, so a picture of the place can be asked for


@dataclass
class Finding:
    description: str
    expected: Decimal | None
    actual: Decimal | None
    places: list[Place] = field(default_factory=list)
    section: str = "table"
    quote: str | None = None

    @property
    def difference(self) -> str:
        return difference_text(self.expected, self.actual)

    @property
    def where(self) -> str:
        """'表3 支出总表，第6页' — the first place it shows up, as a reviewer cites it."""
        first = self.places[0] if self.places else None
        if first is None:
            return ""
        return "，".join(p for p in (first.table, f"第{first.page}页" if first.page else "") if p)


@dataclass
class Part:
    """One line of the 检查表: a part of the report, whether it 符合要求, and the problems found in it."""

    key: str                          # report_sections.section, or WHOLE
    label: str                        # as the report's family names it (编制说明 / 情况说明)
    verdict: str                      # 是 / 否 / 未核对
    reason: str                       # why 未核对 (or the count behind 是), for the line beside the verdict
    pages: str                        # '第3—5页' where the body prints it
    findings: list[Finding] = field(default_factory=list)
    passed: int = 0
    failed: int = 0
    not_run: int = 0
    notes: list[str] = field(default_factory=list)  # 目录列有“名词解释”，正文中没有 …

    @property
    def problems(self) -> str:
        return f"{len(self.findings)}处问题" if self.findings else ""


def _decimal(value: object) -> Decimal | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    return Decimal(str(value))




def part_label(section: str, fam: str = "budget") -> str:
    """The Chinese name of a part for the report's family; 整份报告 for findings about the whole report."""
    return WHOLE_LABEL if section == WHOLE else label(section, fam)


def amount_text(yuan: Decimal | None, *, small: bool) -> str:
    """An amount in 万元; in 元 where the finding is about less than 0.01万元 (so both figures differ visibly)."""
    return amount(yuan, small=small)


def difference_text(expected: Decimal | None, actual: Decimal | None) -> str:
    """'差额 1元', '差额 -0.5元', '差额 12.30万元' — never '-0.00万元' for a difference that exists."""
    diff = difference(expected, actual)
    return f"差额 {diff}" if diff else ""


def figures_text(f: Finding) -> str:
    """'应为 X，实际 Y，差额 Z' in the unit that shows the difference."""
    if f.expected is None or f.actual is None:
        return ""
    expected, actual, diff = compared(f.expected, f.actual)
    return f"应为 {expected}，实际 {actual}，差额 {diff}"


# ---------------------------------------------------------------------------------------------- descriptions
_REPEATED_WORD = re.compile(r"(?<![^\s：:“])(\S+) \1(?=\s|=|等于|（|$)")
_EQUALS = re.compile(r"\s*=\s*")


def readable(description: object) -> str:
    """A check's description as a sentence: a row named 合计 is not said twice (“合计 合计 = …” → “合计等于…”) and a
    formula's '=' reads 等于 — so descriptions written by an earlier build read as well as the current ones."""
    text = " ".join(str(description or "").split())
    text = _REPEATED_WORD.sub(r"\1", text)
    return _EQUALS.sub("等于", text)


def mismatch_text(f: Finding) -> str:
    """The line under an amount finding's description: its description says what should hold, this says it does
    not — '不符：应为 X，实际 Y，差额 Z' — so the card reads as a problem, not as the rule."""
    figures = figures_text(f)
    return f"不符：{figures}" if figures else ""


# ---------------------------------------------------------------------------------------------- grouping
def section_of(row: pd.Series | dict) -> str:
    """The part a check is about: checks.section where the rules set it; for checks written before they did, the
    tables (a table_kind), the 说明 (a prose rule) or the whole report."""
    section = row.get("section")
    if isinstance(section, str) and section:
        return section if section in REVIEW_ORDER else WHOLE
    kind = row.get("table_kind")
    if isinstance(kind, str) and kind:
        return "table"
    rule = str(row.get("rule") or row.get("check_id") or "")
    return "explanation" if "prose" in rule else WHOLE


def _table_label(row: pd.Series) -> str:
    label_ = table_kind(row.get("table_kind")) if isinstance(row.get("table_kind"), str) else ""
    number = row.get("table_no")
    if label_ and isinstance(number, str) and number.strip():
        number = number.strip()
        label_ = f"{number if '表' in number else '表' + number} {label_}"
    return label_


def _failed(passed: object) -> bool:
    return passed is not None and not pd.isna(passed) and not bool(passed)


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def findings(checks: pd.DataFrame) -> list[Finding]:
    """Failed checks (passed False; NULL is not run) grouped into findings, in the order the checks come: within a
    part, one per difference (amounts) or per rule and quoted words (words)."""
    out: list[Finding] = []
    if checks.empty:
        return out
    by_cause: dict[tuple, Finding] = {}
    failed = checks[checks["passed"].map(_failed)]
    for _, row in failed.iterrows():
        expected, actual = _decimal(row.get("expected")), _decimal(row.get("actual"))
        page = row.get("page")
        description = readable(row.get("description"))
        place = Place(description, _table_label(row), None if page is None or pd.isna(page) else int(page),
                      table_kind=_text(row.get("table_kind")), check_id=_text(row.get("check_id")))
        section = section_of(row)
        quote = _text(row.get("quote"))
        place.quote = quote
        keys: list[tuple] = []
        if expected is not None and actual is not None and actual != expected:
            keys = [(section, "amount", abs(actual - expected))]
        elif expected is None and actual is None:  # words: the same sentence, or the same words, is one cause
            rule = str(row.get("rule") or "")
            keys = [(section, "said", rule, description)] + ([(section, "quoted", rule, quote)] if quote else [])
        known = next((by_cause[k] for k in keys if k in by_cause), None)
        if known is not None:
            known.places.append(place)
            for k in keys:
                by_cause.setdefault(k, known)
            continue
        finding = Finding(description, expected, actual, [place], section, quote)
        for k in keys:
            by_cause[k] = finding
        out.append(finding)
    return out


def _pages(frame: pd.DataFrame) -> str:
    starts = [int(p) for p in frame["page_from"].dropna()] if "page_from" in frame else []
    ends = [int(p) for p in frame["page_to"].dropna()] if "page_to" in frame else []
    if not starts:
        return ""
    first, last = min(starts), max(ends + starts)
    return f"第{first}页" if first == last else f"第{first}—{last}页"


def review(checks: pd.DataFrame, sections: pd.DataFrame | None = None, contents: pd.DataFrame | None = None,
           fam: str = "budget") -> list[Part]:
    """The 检查表 of one report: every part in the reviewer's order (whether printed or not), then the findings about
    the whole report. A part is 否 where a check about it failed, 是 where checks about it ran and passed, and 未核对
    where the report lacks it or nothing about it could be judged (no rule reads it, or its table was unreadable).
    Parts the 目录 lists but the body lacks are named in a note; where no rule judged the 目录 against the body, each
    such entry is the 目录's finding."""
    sections = sections if sections is not None else pd.DataFrame(columns=["section", "page_from", "page_to"])
    contents = contents if contents is not None else pd.DataFrame(columns=["title", "page", "section", "found"])
    mapped = not sections.empty
    present = set(sections["section"].dropna()) if mapped else set()
    checks = checks.copy()
    checks["_part"] = [section_of(r) for r in checks.to_dict("records")] if not checks.empty else []
    found = findings(checks)
    missing = contents[contents["found"].map(lambda f: f is not None and not pd.isna(f) and not bool(f))] \
        if not contents.empty else contents
    parts: list[Part] = []
    for key in (*REVIEW_ORDER, WHOLE):
        mine = checks[checks["_part"] == key] if not checks.empty else checks
        passed = int(mine["passed"].map(lambda p: p is not None and not pd.isna(p) and bool(p)).sum()) \
            if not mine.empty else 0
        failed = int(mine["passed"].map(_failed).sum()) if not mine.empty else 0
        not_run = len(mine) - passed - failed
        part = Part(key, part_label(key, fam), UNCHECKED, "", "", [f for f in found if f.section == key],
                    passed, failed, not_run)
        if key != WHOLE and mapped:
            part.pages = _pages(sections[sections["section"] == key])
        listed = missing[missing["section"] == key] if not missing.empty else missing
        for _, entry in listed.iterrows():
            page = entry.get("page")
            at = f"（第{int(page)}页）" if page is not None and not pd.isna(page) else ""
            part.notes.append(f"目录列有“{entry['title']}”{at}，正文中没有")
        if key == "contents" and not missing.empty and mine.empty:
            # no rule compared the 目录 with the body in this database: its unmatched entries are the findings
            for _, entry in missing.iterrows():
                part.findings.append(Finding(f"目录列有“{entry['title']}”，正文中没有", None, None,
                                             [Place(f"目录列有“{entry['title']}”，正文中没有", "", None)],
                                             "contents", str(entry["title"])[:40]))
        if key == WHOLE and mine.empty:
            continue  # no finding about the whole report: no line for it
        _judge(part, printed=key in present or key == WHOLE or not mapped)
        parts.append(part)
    return parts


def _judge(part: Part, *, printed: bool) -> None:
    if part.findings:
        part.verdict, part.reason = NO, part.problems
    elif part.passed:
        part.verdict, part.reason = YES, f"{part.passed}项核对均通过"
    elif not printed:
        part.reason = "报告中没有这一部分"
    elif part.not_run:
        part.reason = "所需的表未能解析"
    else:
        part.reason = "没有可核对的内容"


# ---------------------------------------------------------------------------------------------- one line per table
_YEAR_PREFIX = re.compile(r"^\s*(?:19|20)\d{2}\s*年度?\s*")
OTHER_TABLES = "报表（其他）"


def printed_title(title: object) -> str:
    """A table's title as the 检查表 names it: as printed, without the leading year the sheet's own title states
    (“2024年部门收入预算总表” → “部门收入预算总表”), so every year's sheet names the same table alike."""
    text = " ".join(str(title or "").split())
    return _YEAR_PREFIX.sub("", text) or text


@dataclass
class _Printed:
    title: str
    kinds: set[str] = field(default_factory=set)
    spans: list[tuple[int, int]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # why a table of this title could not be read


def _spans(frame_row: dict) -> tuple[int, int] | None:
    start, end = frame_row.get("page_from"), frame_row.get("page_to")
    if start is None or pd.isna(start):
        return None
    return int(start), int(end) if end is not None and not pd.isna(end) else int(start)


def table_parts(part: Part, checks: pd.DataFrame, tables: pd.DataFrame) -> list[Part]:
    """The 报表 line of the 检查表 as a reviewer fills it: one line per table the report prints, named by its printed
    title (《部门收入预算总表》; a title printed for several forms, as each 绩效目标表 is, is one line), in printed order.

    A finding belongs to the table of its first place (its table_kind, or the table printed on its page for a finding
    about a page, such as a blank one); a finding about a table the report does not print (a required table missing)
    is a line of its own under the table's registry name, and one that no table claims goes to 报表（其他）. A table
    is 否 with a finding, 未核对 where it could not be read (why, from report_tables.problem) or nothing about it was
    checked, else 是."""
    printed: dict[str, _Printed] = {}
    by_kind: dict[str, _Printed] = {}
    for row in tables.to_dict("records") if not tables.empty else []:
        kind = _text(row.get("table_kind"))
        if not kind or kind == "unrecognised":
            continue
        title = printed_title(row.get("title")) or table_kind(kind)
        entry = printed.setdefault(title, _Printed(title))
        entry.kinds.add(kind)
        by_kind.setdefault(kind, entry)
        span = _spans(row)
        if span:
            entry.spans.append(span)
        if row.get("status") == "unparsed":
            entry.problems.append(_text(row.get("problem")) or "金额未能全部识别")
    homes: dict[int, list[Finding]] = {}
    extra: dict[str, list[Finding]] = {}
    for f in part.findings:
        home = next((by_kind[p.table_kind] for p in f.places if p.table_kind in by_kind), None)
        if home is None:
            home = next((e for p in f.places if p.page for e in printed.values()
                         if any(a <= p.page <= b for a, b in e.spans)), None)
        if home is not None:
            homes.setdefault(id(home), []).append(f)
            continue
        missing = next((p.table_kind for p in f.places if p.table_kind), None)
        extra.setdefault(f"《{table_kind(missing)}》" if missing else OTHER_TABLES, []).append(f)
    about = checks[[section_of(r) == "table" for r in checks.to_dict("records")]] if not checks.empty else checks
    out: list[Part] = []
    for entry in printed.values():
        mine = about[about["table_kind"].isin(entry.kinds)] if not about.empty else about
        passed = int(mine["passed"].map(lambda p: p is not None and not pd.isna(p) and bool(p)).sum()) \
            if not mine.empty else 0
        failed = int(mine["passed"].map(_failed).sum()) if not mine.empty else 0
        starts = [a for a, _ in entry.spans]
        ends = [b for _, b in entry.spans]
        pages = "" if not starts else f"第{min(starts)}页" if min(starts) == max(ends) else \
            f"第{min(starts)}—{max(ends)}页"
        line = Part("table", f"《{entry.title}》", UNCHECKED, "", pages, homes.get(id(entry), []), passed, failed,
                    len(mine) - passed - failed)
        if line.findings:
            line.verdict, line.reason = NO, line.problems
        elif entry.problems:
            line.reason = "未能解析：" + "；".join(dict.fromkeys(entry.problems))
        elif passed:
            line.verdict, line.reason = YES, f"{passed}项核对均通过"
        else:
            line.reason = "没有可核对的内容"
        out.append(line)
    for name, found in extra.items():
        reason = "报告中没有这张表" if name != OTHER_TABLES else ""
        out.append(Part("table", name, NO, "；".join(r for r in (reason, f"{len(found)}处问题") if r), "", found,
                        0, len(found), 0))
    if not out:  # no table printed, nothing said about one: the 报表 line as review() judged it
        out.append(part)
    return out


def review_by_table(checks: pd.DataFrame, sections: pd.DataFrame | None, contents: pd.DataFrame | None,
                    tables: pd.DataFrame, fam: str = "budget") -> list[Part]:
    """review() with its 报表 line split into one line per printed table (table_parts): the 检查表 as a district
    reviewer hands it in."""
    out: list[Part] = []
    for part in review(checks, sections, contents, fam):
        out += table_parts(part, checks, tables) if part.key == "table" else [part]
    return out


def checks_table(checks: pd.DataFrame, fam: str = "budget") -> pd.DataFrame:
    """Every check as the page lists it: its part, result, sentence, quoted words, 应为/实际/差额 with their unit (元
    where they differ by less than 0.01万元, so no row shows 差额 0.00), table and page. Failures first (the query
    orders them)."""
    rows = []
    for r in checks.to_dict("records"):
        passed = r.get("passed")
        result = "未核对" if passed is None or pd.isna(passed) else "通过" if bool(passed) else "未通过"
        expected, actual, diff = compared(_decimal(r.get("expected")), _decimal(r.get("actual")))
        page = r.get("page")
        rows.append({
            "部分": part_label(section_of(r), fam),
            "结果": result,
            "核对内容": readable(r.get("description") or r.get("check_id")),
            "原文": _text(r.get("quote")) or "",
            "应为": expected,
            "实际": actual,
            "差额": diff,
            "所在表": _table_label(pd.Series(r)) or "—",
            "页码": "" if page is None or pd.isna(page) else str(int(page)),
        })
    columns = ["部分", "结果", "核对内容", "原文", "应为", "实际", "差额", "所在表", "页码"]
    return pd.DataFrame(rows, columns=columns)


def checklist(parts: list[Part]) -> pd.DataFrame:
    """The 检查表 itself, one line per part: 符合要求 是/否/未核对, what was found (or why not judged), its pages."""
    return pd.DataFrame(
        [{"部分": p.label, "符合要求": p.verdict, "情况": "；".join([p.reason, *p.notes]) if p.reason else "；".join(p.notes),
          "页码": p.pages} for p in parts],
        columns=["部分", "符合要求", "情况", "页码"],
    )


@per_report
def review_of(doc_id: str, fam: str) -> list[Part]:
    """review() of one report, cached by the report's version."""
    return review(queries.checks(doc_id), queries.report_sections(doc_id), queries.contents_entries(doc_id), fam)


@per_report
def checks_table_of(doc_id: str, fam: str) -> pd.DataFrame:
    """checks_table of one report, cached by the report's version (数据核对 lists hundreds of rows)."""
    return checks_table(queries.checks(doc_id), fam)


__all__ = ["NO", "OTHER_TABLES", "UNCHECKED", "YES", "Finding", "Part", "Place", "checks_table", "family",
           "figures_text", "checklist", "checks_table_of", "findings", "is_small_difference", "review_of",
           "mismatch_text", "part_label", "printed_title", "readable", "review", "review_by_table", "table_parts"]
