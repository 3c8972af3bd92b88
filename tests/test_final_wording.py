"""A 决算 on the dashboard and in the briefing: amounts are called 决算数 (never 预算数), chart titles name the
部门决算, and the briefing carries the 预算执行 figures of the real 财政局 2024 决算, read back from the .docx."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from docx import Document
from streamlit.testing.v1 import AppTest

from dashboard import briefing
from dashboard.labels import amount_label, amount_word, report_kind

from .samples import SAMPLES, build_db
from .test_briefing import tiny_png

APP = str(Path(__file__).resolve().parents[1] / "app.py")
FINANCE = SAMPLES / "final" / "shanghai-putuo-finance-2024-dept-final.pdf"
UNIT = "上海市普陀区财政局"
needs_final = pytest.mark.skipif(not FINANCE.exists(), reason=f"the 决算 sample is read from {FINANCE.parent}, absent here")


def test_amount_words_follow_the_report_type():
    assert [amount_label(t) for t in ("部门决算", "单位决算", "部门预算", None)] == ["决算数", "决算数", "预算数", "预算数"]
    assert amount_word("单位决算") == "决算" and report_kind(None) == "报告" and report_kind("部门决算") == "部门决算"


@pytest.fixture(scope="module")
def final_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # the session's one parse of the 决算 (tests/fixtures/parsed.py), written to this module's database
    return build_db(tmp_path_factory.mktemp("final_wording") / "final.duckdb", [FINANCE])


def _page(db: Path, monkeypatch: pytest.MonkeyPatch, page: str) -> AppTest:
    monkeypatch.setenv("BUDGET_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["unit"], at.query_params["year"] = UNIT, "2024"
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _texts(at: AppTest) -> list[str]:
    return ([e.value for e in at.markdown] + [e.value for e in at.caption] + [e.value for e in at.subheader]
            + [e.value for e in at.info] + [m.label for m in at.metric] + [e.value for e in at.title])


@needs_final
@pytest.mark.parametrize("page", ["pages/overview.py", "pages/composition.py"])
def test_final_pages_say_juesuan(final_db, monkeypatch, page):
    at = _page(final_db, monkeypatch, page)
    texts = _texts(at)
    assert any("金额为报告所列决算数" in t for t in texts), texts
    assert not any("预算数" in t for t in texts), [t for t in texts if "预算数" in t]
    assert any("部门决算" in c.value for c in at.caption)  # the header says which report is on screen
    titles = [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]
    assert titles and all("2024年部门决算" in t for t in titles), titles


@needs_final
def test_briefing_carries_the_execution_figures(final_db, monkeypatch, output_dir):
    monkeypatch.setenv("BUDGET_DB", str(final_db))
    sel, note = briefing.select(UNIT, 2024)
    assert note is None and sel.doc_type == "部门决算"
    content = briefing.build(sel, "execution")
    headings = [s.heading for s in content.sections]
    assert "预算执行情况" in headings
    assert content.title == f"{UNIT}2024年部门决算情况简报"
    data = briefing.to_docx(content, [(c, tiny_png()) for c in content.charts])
    (output_dir / "briefing_finance_final.docx").write_bytes(data)
    doc = Document(io.BytesIO(data))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert ("一般公共预算财政拨款支出决算2,940.05万元，年初预算2,993.92万元，完成年初预算的98.20%，"
            "决算比年初预算少53.87万元（预算数来源：年初预算）") in text
    assert "支出预算" not in text  # the summary of a 决算 is its execution, not a budget's paragraph
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "情况")
    rows = [[c.text for c in r.cells] for r in table.rows[1:]]
    under = [r for r in rows if r[0] == "低于预算"]
    assert under[0][1] == "2010601 行政运行" and under[0][5] == "人员进出及退休变化，减少人员经费开支"
    assert len(under) <= 3 and all(r[0] in ("低于预算", "超过预算") for r in rows)
    assert any("一般公共预算各项（项级科目）预算执行" in c.caption for c in content.charts)


@needs_final
def test_execution_page_has_the_briefing_buttons(final_db, monkeypatch):
    at = _page(final_db, monkeypatch, "pages/execution.py")
    labels = [b.proto.label for b in at.get("download_button")]
    assert "生成简报（Word）" in labels and "生成汇报（PPT）" in labels


@needs_final
def test_yoy_page_compares_finals_with_finals(final_db, monkeypatch):
    at = _page(final_db, monkeypatch, "pages/yoy.py")
    heads = [s.value for s in at.subheader]
    assert "2023年决算→2024年决算：按科目增减" in heads, heads
    assert not any("预算数" in t for t in _texts(at))


@needs_final
def test_briefing_slides_carry_the_execution_figures(final_db, monkeypatch):
    from pptx import Presentation

    monkeypatch.setenv("BUDGET_DB", str(final_db))
    sel, _ = briefing.select(UNIT, 2024)
    content = briefing.build(sel, "execution")
    deck = Presentation(io.BytesIO(briefing.to_pptx(content, [(c, tiny_png()) for c in content.charts])))
    slide = next(s for s in deck.slides
                 if any(sh.has_text_frame and sh.text_frame.text == "预算执行情况" for sh in s.shapes))
    text = " ".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)
    assert "完成年初预算的98.20%" in text
    cells = [c.text for sh in slide.shapes if sh.has_table for r in sh.table.rows for c in r.cells]
    assert "2010601 行政运行" in cells and "人员进出及退休变化，减少人员经费开支" in cells
