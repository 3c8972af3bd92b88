"""The types every ETL step shares — an issue, a parsed report, a check result — in a module that imports none of
the steps, so parsers, prose, rules and the pipeline all depend on it and never on each other (no import circle).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from etl.read.layout import Line, RawTable


@dataclass
class Issue:
    severity: str  # error / warning
    message: str
    page: int | None = None


@dataclass
class Comparison:
    """One instance of a rule: two figures that the report says are equal (or, with `text`, a finding about its
    words). A rule's relation yields these; the evaluator turns each into a `checks` row with its tolerance."""

    key: str                      # check_id: stable across runs, unique within the report
    expected: Decimal | None
    actual: Decimal | None
    cells: int = 1                # printed cells summed on the side that is summed (tolerance)
    page: int | None = None
    table_kind: str | None = None  # where to look; defaults to the rule's first table
    fields: dict = field(default_factory=dict)  # placeholders of the rule's description template
    tolerance: Decimal | None = None  # set by a relation that knows its figures' printed precision
    passed: bool | None = None   # set only by a relation that judges words, not amounts (expected/actual NULL)
    blocked: str | None = None   # the kind of an unreadable table this comparison needed: recorded as not run
    section: str | None = None   # the part of the report the finding is about (report_sections.section); the rule's
                                 # own section where None
    quote: str | None = None     # the offending words (at most 40 characters) of a finding about words


@dataclass
class ParsedReport:
    """Everything the database will hold about one file, in memory; nothing is written until the whole is read."""

    doc: dict
    tables: list[dict] = field(default_factory=list)
    rows: dict[str, list[dict]] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    checks: list[dict] = field(default_factory=list)
    raw_tables: list[tuple[str, RawTable]] = field(default_factory=list)
    prose: list[Line] = field(default_factory=list)
    # comparisons a parser made while reading (sub-totals it does not store as rows), evaluated with the rules
    parser_comparisons: list[tuple[str, Comparison]] = field(default_factory=list)
    seconds: float = 0.0
    # the words stage (etl/words/review.py): the report's parts and what its 说明 states, for the rules
    section_map: Any = None       # etl.words.sections.SectionMap; typed loosely, it belongs to a later stage
    statements: list[dict] = field(default_factory=list)  # statements rows with their character spans

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def unparsed(self) -> list[dict]:
        """The recognised tables that could not be read exactly (status unparsed), in report order."""
        return [t for t in self.tables if t.get("status") == "unparsed"]
