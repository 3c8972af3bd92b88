"""One report file → everything the database holds about it, in memory; nothing is written here.

The same steps for PDF and text: read → segment → classify → one parser per table kind → metadata → checks.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import form_checks  # noqa: F401  (registers the form and prose checks in checks.EXTRA_CHECKS)
from .checks import run_checks
from .classify import KIND_LABELS, classify
from .coverage import printed_amounts, produced_amounts
from .errors import RefusedInput
from .facts import parse_facts
from .facts_final import only_budgets, parse_final_facts
from .layout import Line, RawTable, Source
from .metadata import read_metadata
from .parsers.common import Issue, Parsed
from .parsers.econ import parse_econ
from .parsers.forms import parse_form
from .parsers.func import parse_func
from .parsers.procurement import parse_procurement
from .parsers.projects import parse_projects
from .parsers.summary import parse_summary
from .parsers.three_public import parse_three_public
from .read_pdf import read_pdf
from .read_text import read_text
from .segment import segment

Parser = Callable[[RawTable, str], Parsed]
# Parsers for the report's prose (facts) and the forms/procurement tables plug in here by kind.
PARSERS: dict[str, Parser] = {
    "summary": parse_summary,
    "final_summary": parse_summary,
    "fiscal_summary": parse_summary,
    "revenue": parse_func,
    "expenditure": parse_func,
    "gp_expenditure": parse_func,
    "gov_fund_revenue": parse_func,
    "gov_fund_expenditure": parse_func,
    "soe_capital": parse_func,
    "gp_basic_econ": parse_econ,
    "three_public": parse_three_public,
    "operating_cost": parse_three_public,
    "projects": parse_projects,
    "projects_carryover": parse_projects,
    "performance_form": parse_form,
    "procurement": parse_procurement,
}
ProseParser = Callable[[list[Line], "ParsedReport"], list[dict]]
PROSE_PARSERS: list[ProseParser] = [only_budgets(parse_facts), parse_final_facts]
# every 部门/单位预算 template publishes these; a missing one is worth telling the reader
EXPECTED_KINDS = {"summary", "revenue", "expenditure", "fiscal_summary", "gp_expenditure", "gp_basic_econ", "three_public"}
CORE_KINDS = {"summary", "revenue", "expenditure", "fiscal_summary", "gp_expenditure", "gp_basic_econ"}


@dataclass
class ParsedReport:
    doc: dict
    tables: list[dict] = field(default_factory=list)
    rows: dict[str, list[dict]] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    checks: list[dict] = field(default_factory=list)
    raw_tables: list[tuple[str, RawTable]] = field(default_factory=list)
    prose: list[Line] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]


def file_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_source(path: Path, data: bytes, progress: Callable[[int, int], None] | None = None) -> Source:
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return read_pdf(path, progress)
    if suffix in (".txt", ".text"):
        if data[:5] == b"%PDF-":
            raise RefusedInput("扩展名为.txt，但内容是PDF")
        return read_text(path)
    raise RefusedInput(f"不支持的文件类型“{suffix or '无扩展名'}”（只接受 .pdf 和 .txt）")


def _settle_units(tables: list[RawTable], kinds: list[str], report: ParsedReport) -> None:
    """A table that prints no 单位 is read in the unit the report's other tables print — said, never silent;
    with no unit printed anywhere its amounts cannot be trusted, which is an error."""
    printed = [t.unit_printed for t in tables if t.unit_printed]
    common = max(set(printed), key=printed.count) if printed else None
    for t, kind in zip(tables, kinds, strict=True):
        if t.unit_printed or kind in ("unrecognised", "performance_form") or t.no_data_note or not t.rows:
            continue
        if common is None:
            report.issues.append(Issue("error", f"“{t.title}”没有印金额单位（元/万元），无法换算", t.page_from))
            continue
        t.unit_printed = common
        report.issues.append(Issue("warning", f"“{t.title}”没有印金额单位，按本报告其他表的单位（{common}）读取", t.page_from))


def parse_report(path: Path, display_name: str | None = None,
                 progress: Callable[[int, int], None] | None = None) -> ParsedReport:
    """Parse one file. Raises RefusedInput when it is not a readable budget report. `progress(page, pages)` is
    called after each PDF page (the upload page shows it)."""
    started = time.perf_counter()
    data = path.read_bytes()
    if not data:
        raise RefusedInput("文件为空（0字节）")
    sha = file_digest(data)
    source = read_source(path, data, progress)
    seg = segment(source)
    kinds = [classify(t.title) for t in seg.tables]
    if not any(k in CORE_KINDS for k in kinds):
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
    if meta.fiscal_year is None:
        report.issues.append(Issue("warning", "未能从报告中读出预算年度"))
    _settle_units(seg.tables, kinds, report)
    table_checks: list[dict] = []
    for seq, (raw, kind) in enumerate(zip(seg.tables, kinds, strict=True)):
        report.raw_tables.append((kind, raw))
        parser = PARSERS.get(kind)
        has_data = False
        row_count = 0
        if kind == "unrecognised":
            report.issues.append(Issue("warning", f"未识别的表：“{raw.title}”（第{raw.page_from or '?'}页），未导入", raw.page_from))
        elif raw.no_data_note:
            has_data = False
        elif parser is None:
            report.issues.append(Issue("warning", f"“{raw.title}”已识别为{kind}，本版本尚不解析其内容", raw.page_from))
            has_data = bool(raw.rows)
        else:
            parsed = parser(raw, kind)
            for i in parsed.issues:
                i.page = i.page or raw.page_from
            printed, produced = printed_amounts(raw), produced_amounts(parsed.rows) + parsed.consumed
            if printed != produced and not parsed.issues:
                parsed.issues.append(Issue("error", f"“{raw.title}”印有{printed}个金额，导入{produced}个：有金额未能归入表格",
                                           raw.page_from))
            report.issues.extend(parsed.issues)
            for target, rows in parsed.rows.items():
                for r in rows:
                    r["doc_id"] = doc_id
                report.rows.setdefault(target, []).extend(rows)
                row_count += len(rows)
            has_data = parsed.has_data
            table_checks.extend(parsed.checks)
        extra_kinds = sorted({r["table_kind"] for rows in (parsed.rows.values() if parser and not raw.no_data_note
                                                               and kind != "unrecognised" else [])
                              for r in rows if r.get("table_kind") not in (None, kind)})
        for extra in extra_kinds:
            # one printed table holding two contract tables (上海: “三公”经费 with 机关运行经费)
            report.tables.append({
                "doc_id": doc_id, "seq": seq, "table_kind": extra, "table_no": raw.table_no, "title": raw.title,
                "unit_printed": raw.unit_printed, "page_from": raw.page_from, "page_to": raw.page_to,
                "has_data": True, "row_count": sum(1 for rows in parsed.rows.values() for r in rows
                                                   if r.get("table_kind") == extra),
            })
        report.tables.append({
            "doc_id": doc_id, "seq": seq, "table_kind": kind, "table_no": raw.table_no, "title": raw.title,
            "unit_printed": raw.unit_printed, "page_from": raw.page_from, "page_to": raw.page_to,
            "has_data": has_data, "row_count": row_count,
        })
    found = {t["table_kind"] for t in report.tables}
    for kind in sorted(EXPECTED_KINDS - found):
        report.issues.append(Issue("warning", f"未找到{KIND_LABELS[kind]}：报告可能缺表，相关核对无法进行"))
    for prose_parser in PROSE_PARSERS:
        for row in prose_parser(seg.prose, report):
            row["doc_id"] = doc_id
            report.rows.setdefault("facts", []).append(row)
    report.checks = [dict(c, doc_id=doc_id) for c in run_checks(report) + table_checks]
    report.seconds = time.perf_counter() - started
    return report
