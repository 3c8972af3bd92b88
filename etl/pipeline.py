"""One report file → everything the database holds about it, in memory; nothing is written here.

The same steps for PDF and text: read → segment → classify → one parser per table kind → metadata → checks.

What only some files need is imported when one needs it — the PDF reader (and pdfplumber) for a PDF, the text
reader for a text, a kind's parser for the first table of that kind, the 决算 prose parser for a 决算 — so a
one-file `ingest` starts without loading (or, without cached bytecode, compiling) code it will not run.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import time
from collections.abc import Callable
from pathlib import Path

from etl.checks.rules import RULES, evaluate
from etl.read import tokens
from etl.read.amounts import is_amount, parse_amount
from etl.read.errors import RefusedInput
from etl.read.layout import Line, RawTable, Source
from etl.read.report import Issue, ParsedReport
from etl.tables import kinds as K
from etl.tables.classify import classify
from etl.tables.coverage import printed_amounts, produced_amounts
from etl.tables.parsers.common import Parsed, amount_columns
from etl.tables.segment import segment
from etl.words.facts import only_budgets, parse_facts
from etl.words.metadata import read_metadata
from etl.words.review import read_words

__all__ = ["ParsedReport", "parse_report", "file_digest", "read_source", "PARSERS", "YEAR_UNKNOWN", "year_note",
           "UNVERIFIED", "internal_rules", "verify_tables"]

# A report whose year cannot be read is never loaded as a year unknown: every view and check is by year.
YEAR_UNKNOWN = "未能从报告中读出预算年度，请用 --year 指定（例如 --year 2024）"
_YEAR_NOTE = re.compile(r"^(年度按.+指定为\d{4}|报告印有\d{4}年度，.+未使用)$")

Parser = Callable[[RawTable, str], Parsed]
# One parser per table kind, as the registry names it, each loaded the first time a table of its kind is read
# (parser_for); a test may put its own in place, before or after.
PARSERS: dict[str, Parser] = {}
ProseParser = Callable[[list[Line], ParsedReport], list[dict]]


def parser_for(kind: str) -> Parser | None:
    """The parser of a kind (None: the registry names none), imported on first use: a report loads the parser
    modules of the kinds it prints, not all of them."""
    if kind not in PARSERS:
        entry = K.BY_KEY.get(kind)
        loaded = entry.load_parser() if entry is not None else None
        if loaded is None:
            return None
        PARSERS[kind] = loaded
    return PARSERS[kind]


def final_facts(prose: list[Line], report: ParsedReport) -> list[dict]:
    """etl.words.facts_final.parse_final_facts, which reads a 决算 only (a 预算 gets nothing from it): imported
    only when the report is a 决算, so a 预算's ingest does not load it."""
    if "决算" not in (report.doc.get("doc_type") or ""):
        return []
    from etl.words.facts_final import parse_final_facts

    return parse_final_facts(prose, report)


# a 决算's prose is read by its own parser; the 预算 one would take its 年初预算 for 预算安排
PROSE_PARSERS: list[ProseParser] = [only_budgets(parse_facts), final_facts]


def file_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_source(path: Path, data: bytes, progress: Callable[[int, int], None] | None = None) -> Source:
    """The file's blocks, by its reader: each reader is imported here, so a text file never loads pdfplumber."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        from etl.read.pdf import read_pdf

        return read_pdf(path, progress)
    if suffix in (".txt", ".text"):
        if data[:5] == b"%PDF-":
            raise RefusedInput("扩展名为.txt，但内容是PDF")
        from etl.read.text import read_text

        return read_text(path)
    raise RefusedInput(f"不支持的文件类型“{suffix or '无扩展名'}”（只接受 .pdf 和 .txt）")


def _settle_units(tables: list[RawTable], kinds: list[str], report: ParsedReport,
                  conflicts: dict[int, str] | None = None) -> dict[int, str]:
    """A table that prints no 单位 is read in the unit the report's other tables print — said, never silent;
    with no unit printed anywhere, or two different ones over it on its page (`conflicts`, by the table's index:
    segment's unit_problems), its amounts cannot be trusted: that table is not read (id(table) → why)."""
    printed = [t.unit_printed for t in tables if t.unit_printed]
    common = max(set(printed), key=printed.count) if printed else None
    problems: dict[int, str] = {}
    for n, (t, kind) in enumerate(zip(tables, kinds, strict=True)):
        if t.unit_printed or kind in (K.UNRECOGNISED, "performance_form") or not _has_amounts(t):
            continue
        if conflicts and n in conflicts:
            problems[id(t)] = conflicts[n]
            continue
        if common is None:
            problems[id(t)] = "没有印金额单位（元/万元），无法换算"
            continue
        t.unit_printed = common
        report.issues.append(Issue("warning", f"“{t.title}”没有印金额单位，按本报告其他表的单位（{common}）读取", t.page_from))
    return problems


def _has_amounts(raw: RawTable) -> bool:
    """Does the table print any amount? A ruled grid whose cells are all blank or labels (an empty table printed
    as a grid, 注：本表无数据) has none — it is empty, not unreadable. 科目编码 cells are codes, not amounts."""
    if raw.no_data_note and _all_zero(raw):
        return False  # 本表无数据 printed over a grid of 0.00: nothing to read, and nothing contradicts the note
    if printed_amounts(raw):
        return True
    if not raw.rows or not raw.rows[0].aligned:
        return False
    cols, _ = amount_columns(raw)
    codes = {c.index for c in cols if c.role == "code"}
    return any(is_amount(cell) for r in raw.rows for i, cell in enumerate(r.cells) if i not in codes and cell)


def _all_zero(raw: RawTable) -> bool:
    """Every figure the table prints (科目编码 aside) is a zero."""
    figures: list[str] = []
    for r in raw.rows:
        if r.aligned:
            figures += [c for c in r.cells if c and is_amount(c)]
        else:
            _, rest = tokens.leading_code(r.cells[0] or "")
            figures += [p.text for p in tokens.pieces(rest) if p.kind == "amount"]
    figures = [f for f in figures if not re.fullmatch(r"\s*(\d{3}|\d{5}|\d{7})\s*", f)]  # 科目编码 in a wrapped line
    return bool(figures) and all(parse_amount(f) == 0 for f in figures)


def _table_row(report: ParsedReport, seq: int, raw: RawTable, kind: str, **values) -> dict:
    row = {"doc_id": report.doc["doc_id"], "seq": seq, "table_kind": kind, "table_no": raw.table_no,
           "title": raw.title, "unit_printed": raw.unit_printed, "page_from": raw.page_from, "page_to": raw.page_to,
           "has_data": False, "row_count": 0, "status": None, "problem": None, "note": raw.note}
    row.update(values)
    return row


def _read_table(report: ParsedReport, seq: int, raw: RawTable, kind: str,
                unit_problem: str | None) -> list[tuple[str, dict]]:
    """One table → its report_tables row(s) and, where it reads exactly, its rows. A table that cannot be read
    exactly is `unparsed` with its problem and gives no rows at all (never a guess); one that prints no amount is
    `empty`; the rest of the report loads either way."""
    if kind == K.UNRECOGNISED:
        report.issues.append(Issue("warning", f"未识别的表：“{raw.title}”（第{raw.page_from or '?'}页），未导入", raw.page_from))
        report.tables.append(_table_row(report, seq, raw, kind, has_data=bool(raw.rows)))
        return []
    parser = parser_for(kind)
    problem = unit_problem
    if problem is None and parser is None:
        problem = "本版本尚不解析这种表"
    if problem is None and not _has_amounts(raw):
        report.tables.append(_table_row(report, seq, raw, kind, status="empty"))
        return []
    parsed = Parsed()
    if problem is None:
        parsed = parser(raw, kind)
        for i in parsed.issues:
            i.page = i.page or raw.page_from
        printed, produced = printed_amounts(raw), produced_amounts(parsed.rows) + parsed.consumed
        if printed != produced and not parsed.errors:
            parsed.issues.append(Issue("error", f"印有{printed}个金额，导入{produced}个：有金额未能归入表格",
                                       raw.page_from))
        errors = [i.message for i in parsed.issues if i.severity == "error"]
        if errors:
            more = f"（另有{len(errors) - 1}处）" if len(errors) > 1 else ""
            problem = re.sub(r"^（(.+?)）：", r"“\1”行：", errors[0].removeprefix(raw.title).lstrip("：")) + more
        report.issues.extend(parsed.issues)
    if problem is not None:
        report.issues.append(Issue("error", f"“{raw.title}”未能解析，未导入：{problem}", raw.page_from))
        report.tables.append(_table_row(report, seq, raw, kind, status="unparsed", problem=problem))
        return []
    doc_id = report.doc["doc_id"]
    row_count = 0
    added = []
    for target, rows in parsed.rows.items():
        for r in rows:
            r["doc_id"] = doc_id
            added.append((target, r))
        report.rows.setdefault(target, []).extend(rows)
        row_count += len(rows)
    report.parser_comparisons.extend(parsed.comparisons)
    extra_kinds = sorted({r["table_kind"] for rows in parsed.rows.values() for r in rows
                          if r.get("table_kind") not in (None, kind)})
    for extra in extra_kinds:
        # one printed table holding two contract tables (上海: “三公”经费 with 机关运行经费)
        n = sum(1 for rows in parsed.rows.values() for r in rows if r.get("table_kind") == extra)
        report.tables.append(_table_row(report, seq, raw, extra, has_data=True, row_count=n, status="parsed"))
    report.tables.append(_table_row(report, seq, raw, kind, has_data=parsed.has_data, row_count=row_count,
                                    status="parsed" if parsed.has_data else "empty"))
    return added


UNVERIFIED = "unverified"  # report_tables.status: stored, but the table's own arithmetic does not confirm it
# A rule relating one table alone that is no test of where its amounts were read: a 决算 spending more than its
# budget (“三公”经费超预算) is a finding about the spending, and the amounts still add up where they were placed.
_NOT_PLACEMENT = frozenset({"three_public.within_budget"})


def internal_rules() -> dict[str, str]:
    """The rules that check one table's own arithmetic (rule id → the table's kind): a table failing any of them
    most likely had its amounts placed in the wrong columns or rows, so its numbers cannot be stored as read.
    Rules about words (tolerance ``words``), notes and other reports are no such test."""
    return {r.id: r.tables[0] for r in RULES
            if len(r.tables) == 1 and r.tolerance in ("cells", "given") and not r.database
            and not r.id.startswith("notes.") and r.id not in _NOT_PLACEMENT}


def _failing_table(report: ParsedReport, kind: str, page: int | None) -> list[dict]:
    """The parsed table(s) of `kind` a failing check is about: where a report prints several (绩效目标表), the one
    whose pages hold the check's page; when the page does not tell them apart, all of them (never none)."""
    tables = [t for t in report.tables if t["table_kind"] == kind and t["status"] in ("parsed", UNVERIFIED)]
    if len(tables) > 1 and page is not None:
        on_page = [t for t in tables if t["page_from"] is not None
                   and t["page_from"] <= page <= (t["page_to"] or t["page_from"])]
        return on_page or tables
    return tables


def _failures(report: ParsedReport) -> list[tuple[dict, list[dict]]]:
    """Each parsed table whose own arithmetic fails, with its failing checks."""
    internal = internal_rules()
    failures: dict[int, tuple[dict, list[dict]]] = {}
    for c in report.checks:
        kind = internal.get(c["rule"])
        if kind is None or c["passed"] is not False:
            continue
        for t in _failing_table(report, kind, c.get("page")):
            failures.setdefault(id(t), (t, []))[1].append(c)
    return list(failures.values())


def retry_by_arithmetic(report: ParsedReport, raws: list[RawTable], added: dict[int, list[tuple[str, dict]]]) -> None:
    """A text table that fails its own arithmetic is read once more with its amounts placed by the arithmetic alone
    (the spaces between them not taken as a bound on the blank cells between: a print or extraction may space
    columns unevenly). The new reading is kept only when its own checks then hold — at least one of them, none
    failing — and every other check of the report that held still holds; otherwise the first reading stands and
    verify_tables marks it. Tables whose parser compares sub-totals of its own (procurement, project lists) are not
    re-read: those comparisons belong to one reading."""
    internal = internal_rules()
    for t, _ in _failures(report):
        seq = t["seq"]
        raw = raws[seq]
        if not raw.spacing or not raw.rows or raw.rows[0].aligned:
            continue
        trial = ParsedReport(doc=report.doc)
        rows = _read_table(trial, seq, dataclasses.replace(raw, spacing=False), t["table_kind"], None)
        if not rows or trial.parser_comparisons or any(x["status"] != "parsed" for x in trial.tables):
            continue
        before, issues = report.checks, len(report.issues)
        saved = {target: list(report.rows.get(target, [])) for target, _ in [*added[seq], *rows]}
        _swap_rows(report, added[seq], rows)
        report.checks = [dict(c, doc_id=report.doc["doc_id"]) for c in evaluate(report)]
        del report.issues[issues:]  # what evaluating the trial said again: the first evaluation said it already
        held = {c["check_id"] for c in report.checks if c["passed"] is True}
        own = [c for c in report.checks if internal.get(c["rule"]) == t["table_kind"]]
        lost = [c for c in before if c["passed"] is True and internal.get(c["rule"]) != t["table_kind"]
                and c["check_id"] not in held]
        if lost or any(x["seq"] == seq for x, _ in _failures(report)) or not any(c["passed"] is True for c in own):
            report.rows.update(saved)  # the first reading, in its order
            report.checks = before
            continue
        report.tables[:] = [x for x in report.tables if x["seq"] != seq] + trial.tables
        report.tables.sort(key=lambda x: x["seq"])
        added[seq] = rows
        report.issues.append(Issue("warning", f"“{t['title'] or K.label(t['table_kind'])}”按本表勾稽确定了金额所在列"
                                   "（行内空格所示的列与本表合计不符）", t["page_from"]))


def _swap_rows(report: ParsedReport, old: list[tuple[str, dict]], new: list[tuple[str, dict]]) -> None:
    gone = {id(r) for _, r in old}
    for target in {t for t, _ in old}:
        report.rows[target] = [r for r in report.rows[target] if id(r) not in gone]
    for target, r in new:
        report.rows.setdefault(target, []).append(r)


def _mark_unverified(report: ParsedReport, t: dict, problem: str, why: str = "") -> None:
    """The one way a stored table is set `unverified`: its status, its problem and the warning that says so."""
    t["status"] = UNVERIFIED
    t["problem"] = problem
    report.issues.append(Issue("warning", f"“{t['title'] or K.label(t['table_kind'])}”已导入，但本表数字未经本表勾稽证实"
                               f"（{problem}）{why}", t["page_from"]))


def _unconfirmed(report: ParsedReport) -> None:
    """A parsed table with data whose kind has rules of its own arithmetic, none of which could be checked on it (its
    合计 and parent rows not read — a page of it lost, say): nothing confirms its numbers, so it is `unverified` too."""
    internal = internal_rules()
    for t in report.tables:
        if t["status"] != "parsed" or not t["has_data"] or t["table_kind"] not in internal.values():
            continue
        held = [c for c in report.checks if internal.get(c["rule"]) == t["table_kind"] and c["passed"] is True
                and any(x is t for x in _failing_table(report, t["table_kind"], c.get("page")))]
        if held:
            continue
        _mark_unverified(report, t, "表内勾稽无法核对：本表的合计、上级科目等关系一项也未能核对（可能缺少合计行）")


# the row tables whose every printed table closes with (or opens on) a total row, and the field naming a row
_TOTAL_ROW = re.compile(r"^(?:合计|总计|.{0,10}总计|.{0,6}合计)$")
_TOTAL_FIELDS = {"summary_lines": "item", "func_lines": "name", "econ_lines": "econ_name"}


def _without_total(report: ParsedReport, rows_of: dict[int, list[tuple[str, dict]]]) -> None:
    """A table of a kind that always prints its 合计/总计 row, read without one: rows of it were lost (a page its
    reading could not join, say) — its numbers may be incomplete, so it is `unverified`, never silently short."""
    for t in report.tables:
        rows = rows_of.get(t["seq"], [])
        named = [r.get(_TOTAL_FIELDS[target]) or "" for target, r in rows if target in _TOTAL_FIELDS]
        if t["status"] != "parsed" or not t["has_data"] or not named:
            continue
        if any(_TOTAL_ROW.match(tokens.clean(name)) for name in named):
            continue
        _mark_unverified(report, t, "未读到本表的合计（总计）行：表格可能未读完整")


def verify_tables(report: ParsedReport, rows_of: dict[int, list[tuple[str, dict]]] | None = None) -> None:
    """After the rules ran: a parsed table whose own arithmetic fails is `unverified` — its rows stay stored (a
    reader can see what was read), but its status and problem say the report's own sums do not confirm them, and
    a warning says so (the file loads, as with a table that could not be read). So is one whose internal checks
    could none of them be run. A table stored as `parsed` is thereby one whose internal checks hold, at least one
    of them (or whose kind has none)."""
    for t, failed in _failures(report):
        _mark_unverified(report, t, f"表内勾稽不成立：{len(failed)}项，如：{failed[0]['description']}",
                         "：金额可能未读入正确的行列，也可能报告本身印错")
    _unconfirmed(report)
    if rows_of is not None:
        _without_total(report, rows_of)


def _settle_year(report: ParsedReport, year: int | None, said: str) -> None:
    """The report's year is the one it prints; only when it prints none does the given one (`--year`, the 导入
    page's field) stand in — said in its line and its issues. No year at all refuses the file (YEAR_UNKNOWN)."""
    printed = report.doc["fiscal_year"]
    flag = said.startswith("-")  # an option is set off by spaces: 年度按 --year 指定为2024
    if printed is None:
        if year is None:
            raise RefusedInput(YEAR_UNKNOWN)
        report.doc["fiscal_year"] = year
        report.issues.append(Issue("warning", f"年度按{f' {said} ' if flag else said}指定为{year}"))
    elif year is not None and year != printed:
        given = f"{said} {year} " if flag else f"{said}{year}"
        report.issues.append(Issue("warning", f"报告印有{printed}年度，{given}未使用"))


def year_note(report: ParsedReport) -> str | None:
    """What the line of a loaded file says about a given year (used, or not used because the report prints one)."""
    return next((i.message for i in report.issues if _YEAR_NOTE.match(i.message)), None)


def parse_report(path: Path, display_name: str | None = None,
                 progress: Callable[[int, int], None] | None = None, year: int | None = None,
                 year_said: str = "--year") -> ParsedReport:
    """Parse one file. Raises RefusedInput when it is not a readable budget report, or prints no year and none is
    given (`year`, named in messages as `year_said`). `progress(page, pages)` is called after each PDF page (the
    upload page shows it)."""
    started = time.perf_counter()
    data = path.read_bytes()
    if not data:
        raise RefusedInput("文件为空（0字节）")
    sha = file_digest(data)
    source = read_source(path, data, progress)
    seg = segment(source)
    kinds = [classify(t.title) for t in seg.tables]
    if not any(k in K.core() for k in kinds):
        raise RefusedInput("不是预算公开报告：没有找到收支总表、收入/支出总表等任何预算表")
    meta = read_metadata(source, [t.title for t in seg.tables])
    doc_id = sha[:16]
    report = ParsedReport(doc={
        "doc_id": doc_id, "unit_name": meta.unit_name, "fiscal_year": meta.fiscal_year, "doc_type": meta.doc_type,
        "title": meta.title, "source_file": display_name or path.name, "sha256": sha,
        "page_count": source.page_count, "source_kind": source.kind,
    }, prose=seg.prose)
    if meta.unit_name is None:
        report.issues.append(Issue("warning", "未能从报告中读出单位名称"))
    unit_problems = _settle_units(seg.tables, kinds, report, seg.unit_problems)
    added: dict[int, list[tuple[str, dict]]] = {}
    for seq, (raw, kind) in enumerate(zip(seg.tables, kinds, strict=True)):
        report.raw_tables.append((kind, raw))
        added[seq] = _read_table(report, seq, raw, kind, unit_problems.get(id(raw)))
    if not any(t["table_kind"] in K.core() and t["status"] != "unparsed" for t in report.tables):
        unread = "；".join(f"{K.label(t['table_kind'])}：{t['problem']}" for t in report.unparsed)
        raise RefusedInput(f"没有一张预算表能完整读出，文件未导入（{unread}）")
    _settle_year(report, year, year_said)
    for prose_parser in PROSE_PARSERS:
        for row in prose_parser(seg.prose, report):
            row["doc_id"] = doc_id
            report.rows.setdefault("facts", []).append(row)
    read_words(report, source, seg.tables, kinds)  # its parts and its statements, for the reviewer's rules
    family = K.family_of(meta.doc_type)
    for kind in K.required(family):
        if not any(t["table_kind"] == kind for t in report.tables):  # also a finding (report.required_tables)
            report.issues.append(Issue("warning", f"未找到{K.label(kind)}：报告可能缺表，相关核对无法进行"))
    report.checks = [dict(c, doc_id=doc_id) for c in evaluate(report)]
    retry_by_arithmetic(report, seg.tables, added)
    verify_tables(report, added)
    if report.unparsed:
        report.issues.append(Issue("warning", f"{len(report.unparsed)}张表未能解析，其数据未导入，需要它们的核对记为未核对："
                                   + "；".join(f"{K.label(t['table_kind'])}（{t['problem']}）" for t in report.unparsed)))
    report.seconds = time.perf_counter() - started
    return report
