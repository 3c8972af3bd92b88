"""The report read as a finance-bureau reviewer reads it: its parts (the section map) and what each sentence of the
说明 states (statements), both kept on the parsed report for the rules and written as rows for the dashboard.

Runs after the tables are parsed, since a statement is resolved to the table cell it speaks of."""

from __future__ import annotations

from etl.read.layout import RawTable, Source
from etl.read.report import ParsedReport
from etl.words.sections import family, map_sections
from etl.words.statements import read_statements


def read_words(report: ParsedReport, source: Source, tables: list[RawTable], kinds: list[str]) -> None:
    """Adds report.section_map and the rows report_sections, contents_entries and statements."""
    doc_id = report.doc["doc_id"]
    smap = map_sections(source, report.prose, tables, kinds, family(report.doc.get("doc_type")))
    report.section_map = smap
    report.rows["report_sections"] = smap.rows(doc_id)
    report.rows["contents_entries"] = smap.contents_rows(doc_id)
    statements = read_statements(report.prose, report, smap.section_of)
    report.statements = statements  # with their character spans, which rules quote from
    report.rows["statements"] = [{k: v for k, v in s.items() if k != "spans"} | {"doc_id": doc_id}
                                 for s in statements]
