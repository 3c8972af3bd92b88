"""The reviewer's rules on reports with known errors: copies of a real sample, re-printed from its own reading
(tests/rerender.py), each with one error planted on a known page. Each planted error must be found — a failing
check of its rule, on its page, quoting the planted words — and nothing else may change: every other finding of the
copy is one the clean copy has (on the same page, or the page it moved to when a page was added or removed).

Why: the sample tests (tests/test_rules_words.py, tests/test_rules_structure.py) prove the rules find the errors the
samples happen to have and raise no false alarm on them; a planted error proves a rule finds an error where a real
report would print it — among a whole report's words and tables, read from a PDF — and that one error gives one
finding, not a cascade.

The clean copy itself is first shown to read as the original does: the same table rows and the same findings.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from etl.read.layout import Line
from etl.read.report import ParsedReport
from tests.rerender import Page, drop_page, insert_page, read_pages, render, render_each, repeat_page, replace_text
from tests.samples import SAMPLES, needs_samples

SAMPLE = "shanghai-putuo-welfare-home-2024-unit-budget.pdf"  # 16 pages, a 单位预算: 说明 on p6, 其他说明 on p16
TABLE_ROWS = ("summary_lines", "func_lines", "econ_lines", "three_public")


@dataclass(frozen=True)
class Planted:
    """One error: how to plant it in the clean pages, where it is found (rule, page), words its finding quotes (or,
    where the rule quotes nothing, its description says), and how the clean copy's pages move in this copy."""

    plant: Callable[[list[Page]], list[Page]]
    rule: str
    page: int
    quote: str
    moved: Callable[[int], int] = lambda page: page
    why_missed: str | None = None  # set where the rules do not find it alone (xfail, strict), with the reason


CASES: dict[str, Planted] = {
    # item 3 (职业年金): 35.35 → 38.38万元 is +8.57%; printed +9.57%
    "pct_vs_figures": Planted(lambda p: replace_text(p, 6, "38.38万元，比2023年预算执行数增加8.57%", "38.38万元，比2023年预算执行数增加9.57%"),
                              "prose.item_change_pct", 6, "9.57"),
    # item 6 (住房公积金): 33.74 → 33.58万元 falls; printed 增加
    "direction_vs_sign": Planted(lambda p: replace_text(p, 6, "比2023年预算执行数减少0.47%", "比2023年预算执行数增加0.47%"),
                                 "prose.direction_vs_figures", 6, "增加"),
    # item 1 (事业单位离退休) falls 1.39%; its reason names a rise
    "reason_opposite": Planted(lambda p: replace_text(p, 6, "人员去世。", "人员去世，生活补贴增加。"),
                               "prose.reason_direction", 6, "增加"),
    # item 4 compared with 2022 in a 2024 report
    "comparison_year": Planted(lambda p: replace_text(p, 6, "比2023年预算执行数增加3.84%", "比2022年预算执行数增加3.84%"),
                               "prose.comparison_years", 6, "2022年"),
    # item 2: the template's alternatives left in
    "alternatives": Planted(lambda p: replace_text(p, 6, "76.76万元，比2023年预算执行数增加8.57%",
                                                   "76.76万元，比2023年预算执行数增加（减少）8.57%"),
                            "prose.alternatives", 6, "增加（减少）"),
    # item 4: the reason left empty (page 16's 公务用车 already has one: this one is new)
    "empty_reason": Planted(lambda p: replace_text(p, 6, "3.84%。主要原因是：根据实际支出。", "3.84%。主要原因是。"),
                            "prose.empty_reason", 6, "主要原因是。"),
    # a 单位预算 whose 说明 calls itself 部门预算
    "family_word": Planted(lambda p: replace_text(p, 6, "2024年单位预算编制说明", "2024年部门预算编制说明"),
                           "structure.family_word", 6, "部门预算"),
    "doubled_stop": Planted(lambda p: replace_text(p, 3, "寄养有家老人的事业单位。", "寄养有家老人的事业单位。。"),
                            "structure.punctuation", 3, "。。"),
    "unclosed_quote": Planted(lambda p: replace_text(p, 4, "包括：院长室", "包括：“院长室"),
                              "structure.punctuation", 4, "“院长室"),
    # 三、政府采购预算情况's paragraph ends before 四、绩效目标设置情况 without its 。
    "no_full_stop": Planted(lambda p: replace_text(p, 16, "120.60万元。", "120.60万元"),
                            "structure.sentence_ends", 16, "120.60万元"),
    # an empty page between the 名词解释 (p5) and the 说明, which moves to p7
    "blank_page": Planted(lambda p: insert_page(p, 6), "structure.blank_pages", 6, "空白页",
                          moved=lambda page: page + (page >= 6)),
    # the 名词解释 printed twice
    "page_twice": Planted(lambda p: repeat_page(p, 5), "structure.repeated", 6, "名词解释",
                          moved=lambda page: page + (page >= 6)),
    # the 机构设置 page left out; 目录 still lists 二、单位机构设置
    "contents_without_body": Planted(lambda p: drop_page(p, 4), "structure.contents_found", 2, "单位机构设置",
                                     moved=lambda page: page - (page > 4)),
    # item 6's amount: the tables print 335,816元 for 2210201 (item 4's 738.66万元 already differs from its table)
    "amount_vs_table": Planted(lambda p: replace_text(p, 6, "住房公积金（项）”33.58万元", "住房公积金（项）”35.58万元"),
                               "prose.vs_tables", 6, "35.58万元"),
    # 四、绩效目标设置情况 gives its project a period that ended two years before the 2024 budget (a copied form)
    "period_ended": Planted(lambda p: replace_text(p, 16, "涉及项目预算资金262.00万元。",
                                                   "涉及项目预算资金262.00万元，实施周期：2021年-2022年。"),
                            "structure.project_periods", 16, "2021年-2022年"),
    # item 2 named with the catalogue's older 款 name (行政事业单位离退休, before 行政事业单位养老支出)
    "older_name": Planted(lambda p: replace_text(p, 6, "行政事业单位养老支出（款）机关事业单位基本养老保险缴费支出",
                                                 "行政事业单位离退休（款）机关事业单位基本养老保险缴费支出"),
                          "prose.item_names", 6, "行政事业单位离退休（款）"),
}


# ---------------------------------------------------------------------------------------------------- the copies


@pytest.fixture(scope="module")
def copies(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ParsedReport]:
    """The sample's clean re-print and one copy per planted error, printed with one Chromium launch and each parsed
    once, in this process while the next is printed: a copy parses in about a second, less than a worker process
    takes to start."""
    sample = SAMPLES / SAMPLE
    if not sample.exists():
        pytest.skip(f"{SAMPLE} is read from {SAMPLES}, absent here")
    from tests.fixtures.parsed import parsed

    folder = tmp_path_factory.mktemp("planted")
    clean = read_pages(sample)
    jobs = [(folder / "clean.pdf", clean)] + [(folder / f"{name}.pdf", case.plant(clean)) for name, case in CASES.items()]
    return {path.stem: parsed(path) for path in render_each(jobs)}


@pytest.fixture(scope="module")
def original() -> ParsedReport:
    from tests.fixtures.parsed import parsed

    return parsed(SAMPLES / SAMPLE)


def findings(report: ParsedReport, moved: Callable[[int], int] = lambda page: page) -> Counter:
    """The report's findings — every check that failed or could not run — as (rule, page, words): the words are
    its quote, or its description (whose 第n页 moves too) where it quotes nothing;
    `moved` puts each on the page it is printed on in a copy with pages added or removed."""
    def words(c: dict) -> str:
        return c["quote"] or re.sub(r"第(\d+)页", lambda m: f"第{moved(int(m[1]))}页", c["description"])
    return Counter((c["rule"], moved(c["page"]) if c["page"] is not None else None, words(c))
                   for c in report.checks if c["passed"] is not True)


def table_rows(report: ParsedReport) -> dict[str, list]:
    """Each table's rows by content: sorted, doc_id left out (it is the file's digest)."""
    return {k: sorted(repr(sorted((f, v) for f, v in row.items() if f != "doc_id")) for row in report.rows.get(k, []))
            for k in TABLE_ROWS}


# ---------------------------------------------------------------------------------------------------- the clean copy


@needs_samples
def test_the_clean_copy_reads_as_the_original(copies, original) -> None:
    clean = copies["clean"]
    assert clean.doc["page_count"] == original.doc["page_count"]
    assert {k: len(v) for k, v in table_rows(clean).items()} == {k: len(v) for k, v in table_rows(original).items()}
    assert table_rows(clean) == table_rows(original)
    assert findings(clean) == findings(original)
    failing = [(c["rule"], c["page"], c["description"]) for c in original.checks if c["passed"] is False]
    assert failing and sorted(failing) == sorted((c["rule"], c["page"], c["description"]) for c in clean.checks
                                                 if c["passed"] is False)


# ---------------------------------------------------------------------------------------------------- each error


def _params() -> list:
    return [pytest.param(name, id=name, marks=[pytest.mark.xfail(strict=True, reason=case.why_missed)]
                         if case.why_missed else []) for name, case in CASES.items()]


@needs_samples
@pytest.mark.parametrize("name", _params())
def test_the_planted_error_is_found_on_its_page_and_nothing_else_changes(copies, name: str) -> None:
    case = CASES[name]
    before = findings(copies["clean"], case.moved)
    after = findings(copies[name])
    new, lost = after - before, before - after
    found = [f for f in new if f[0] == case.rule and f[1] == case.page and case.quote in f[2]]
    assert found, f"{name}: no {case.rule} finding on page {case.page} quoting “{case.quote}”; new: {sorted(new)}"
    assert sorted(new.elements()) == sorted(found), f"{name}: other new findings: {sorted(set(new) - set(found))}"
    assert not lost, f"{name}: findings of the clean copy gone: {sorted(lost)}"


# ---------------------------------------------------------------------------------------------------- what is not re-printed


def test_a_reprinted_min_reads_back_as_min(tmp_path: Path) -> None:
    """Chromium's PDF maps 民 to the radical ⺠ (U+2EA0); the reader folds it back like the other radicals."""
    from etl.pipeline import read_source

    text = "预算主管部门：上海市普陀区人民政府万里街道办事处"
    path, = render([(tmp_path / "min.pdf", [Page([Line(text, 1)])])])
    assert [b.text for b in read_source(path, path.read_bytes()).blocks if isinstance(b, Line)] == [text]
