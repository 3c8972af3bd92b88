"""Issue 23: a table whose rows are stored but whose own arithmetic failed (status 'unverified') is named beside
every figure drawn from it — on each page that uses it, in 数据核对's share of tables that hold, and in the briefing —
so a number that may sit in the wrong row is never shown as sure as a confirmed one."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import briefing, notices
from dashboard.export import content, slides, word
from tests import synthetic_db as syn

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PROBLEM = "表内勾稽不成立：1项，如：“207 文化旅游体育与传媒支出”1,050.00 ≠ 下级合计1,040.00"
LINE = notices.UNVERIFIED + PROBLEM


@pytest.fixture(scope="module")
def unverified_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The synthetic database with statuses as the ETL writes them, and its 支出总表 unverified."""
    path = syn.build(tmp_path_factory.mktemp("unverified") / "unverified.duckdb")
    con = duckdb.connect(str(path))
    try:
        con.execute("UPDATE report_tables SET status = CASE WHEN has_data THEN 'parsed' ELSE 'empty' END")
        con.execute("UPDATE report_tables SET status = 'unverified', problem = ? "
                    "WHERE doc_id = ? AND table_kind = 'expenditure'", [PROBLEM, syn.DOC])
    finally:
        con.close()
    return path


@pytest.fixture()
def db(unverified_db: Path, use_db) -> Path:
    return use_db(unverified_db)


def run_page(page: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["unit"] = syn.UNIT
    at.query_params["year"] = "2023"
    at.run()
    if page != "pages/overview.py":
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def warnings(at: AppTest) -> list[str]:
    return [w.value for w in at.warning]


def test_the_lines_name_the_table_its_page_and_the_problem(db: Path) -> None:
    frame = duckdb.connect(str(db), read_only=True).execute(
        "SELECT table_kind, page_from, status, problem FROM report_tables WHERE doc_id = ?", [syn.DOC]).df()
    assert notices.unverified_tables(frame, ("expenditure",)) == [f"支出总表（第6页）：{LINE}"]
    assert notices.unverified_tables(frame, ("gp_basic_econ", "projects")) == []
    assert notices.unread_tables(frame) == []  # an unverified table is read: it is not reported as missing
    parsed = int((frame["status"] == "parsed").sum())
    assert notices.internal_share(frame) == (parsed, parsed + 1)
    assert notices.internal_share(frame.assign(status=None)) is None  # a database written before the check


@pytest.mark.parametrize("page", ["pages/composition.py", "pages/overview.py", "pages/yoy.py", "pages/compare.py"])
def test_pages_using_the_table_say_so_beside_its_figures(db: Path, page: str) -> None:
    shown = warnings(run_page(page))
    assert sum(LINE.replace("“", "").replace("”", "") in w.replace("“", "").replace("”", "") for w in shown) == 1, \
        shown


def test_composition_says_it_by_the_function_chart_not_by_the_others(db: Path) -> None:
    at = run_page("pages/composition.py")
    texts = [(type(e).__name__, getattr(e, "value", None)) for e in at.main]
    flagged = [n for n, (_, v) in enumerate(texts) if isinstance(v, str) and notices.UNVERIFIED in v]
    econ = next(n for n, (_, v) in enumerate(texts) if isinstance(v, str) and v == "按经济分类（一般公共预算基本支出）")
    assert len(flagged) == 1 and flagged[0] < econ  # under 按功能分类, before the 经济分类 figures


def test_a_page_not_using_the_table_says_nothing_of_it(db: Path) -> None:
    assert not any(notices.UNVERIFIED in w for w in warnings(run_page("pages/projects.py")))


def test_checks_page_shows_the_share_and_lists_the_table(db: Path) -> None:
    frame = duckdb.connect(str(db), read_only=True).execute(
        "SELECT status FROM report_tables WHERE doc_id = ?", [syn.DOC]).df()
    parsed = int((frame["status"] == "parsed").sum())
    shown = warnings(run_page("pages/checks.py"))
    share = [w for w in shown if f"表内勾稽成立 {parsed}/{parsed + 1} 张表" in w]
    assert len(share) == 1 and "支出总表（第6页）" in share[0] and "207 文化旅游体育与传媒支出" in share[0], shown


def test_briefing_carries_the_line_under_each_figure_from_the_table(db: Path) -> None:
    sel, _ = briefing.select(syn.UNIT, 2023)
    made = content.build(sel, "composition")
    notes = {c.key: c.note for c in made.charts}
    for key in ("composition", "items", "nature"):  # drawn from the 支出总表
        assert notes[key] and LINE in notes[key], notes
    assert notes["econ"] is None  # the 经济分类 table's arithmetic holds
    assert made.kpi_table is not None and LINE in (made.kpi_table.footnote or "")
    summary = next(s for s in made.sections if s.heading == "总体情况")
    assert any(LINE in p for p in summary.paragraphs[1:])
    checks = next(s for s in made.sections if s.heading == "数据核对")
    assert any("表内勾稽成立" in p and LINE in p for p in checks.paragraphs)

    data = word.to_docx(made, [(c, None) for c in made.charts])  # no renderer needed for the words
    from io import BytesIO

    from docx import Document
    text = "\n".join(p.text for p in Document(BytesIO(data)).paragraphs)
    assert text.count(LINE) >= len(made.charts) - 1  # under every figure of the 支出总表, besides the 经济分类 one

    from pptx import Presentation

    deck = Presentation(BytesIO(slides.to_pptx(made, [(c, None) for c in made.charts])))
    said = [s for s in deck.slides if any(LINE in sh.text_frame.text for sh in s.shapes if sh.has_text_frame)]
    assert len(said) >= len(made.charts) - 1


def test_a_briefing_without_unverified_tables_carries_no_line(synthetic_db: Path, use_db) -> None:
    use_db(synthetic_db)
    sel, _ = briefing.select(syn.UNIT, 2023)
    made = content.build(sel, "composition")
    assert all(c.note is None for c in made.charts)
    assert notices.UNVERIFIED not in (made.kpi_table.footnote or "")
