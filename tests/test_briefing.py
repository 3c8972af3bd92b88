"""简报: the .docx and .pptx read back with python-docx / python-pptx, checked against the 阳泉 report's own figures,
the 公文 layout (A4, margins, fonts on every run, page numbers, repeated table headers) and the images' size."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from choreographer.errors import BrowserClosedError
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Cm
from PIL import Image
from pptx import Presentation
from streamlit.testing.v1 import AppTest

from dashboard import briefing
from dashboard.export import content, png, slides, word
from tests import synthetic_db as syn

REPO = Path(__file__).resolve().parents[1]
APP = str(REPO / "app.py")
UNIT = "阳泉市文化和旅游局"
A_NS = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
# 阳泉 2023 has no prior report loaded: 支出构成, 支出最多的科目, 金额最大的项目, 基本/项目, 经济分类
YANGQUAN_CHARTS = ["composition", "top_items", "top_projects", "nature", "econ"]


def tiny_png(width: int = 40, height: int = 20) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(out, format="PNG")
    return out.getvalue()


@pytest.fixture(scope="module")
def yq(yangquan_db: Path) -> Iterator[content.Briefing]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("BUDGET_DB", str(yangquan_db))
        sel, note = briefing.select(UNIT, 2023)
        assert note is None
        yield content.build(sel)


@pytest.fixture(scope="module")
def docx_file(yq: content.Briefing, output_dir: Path) -> bytes:
    data = word.to_docx(yq)
    (output_dir / "briefing_yangquan.docx").write_bytes(data)
    return data


@pytest.fixture(scope="module")
def pptx_file(yq: content.Briefing, output_dir: Path) -> bytes:
    data = slides.to_pptx(yq)
    (output_dir / "briefing_yangquan.pptx").write_bytes(data)
    return data


@pytest.fixture(scope="module")
def check_count(yangquan_db: Path) -> int:
    con = duckdb.connect(str(yangquan_db), read_only=True)
    try:
        return int(con.execute("SELECT count(*) FROM checks").fetchall()[0][0])
    finally:
        con.close()


@pytest.fixture(scope="module")
def checks_said(yangquan_db: Path, check_count: int) -> str:
    """How the summary states the 阳泉 checks: '核对N项，全部通过' — or, where a word rule finds a real slip in the
    report (the 。； of its 编制说明), '核对N项，其中M项未通过'."""
    con = duckdb.connect(str(yangquan_db), read_only=True)
    try:
        failed = int(con.execute("SELECT count(*) FROM checks WHERE NOT passed").fetchall()[0][0])
    finally:
        con.close()
    return f"核对{check_count}项，" + (f"其中{failed}项未通过" if failed else "全部通过")


def all_text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


# --- content -------------------------------------------------------------------------------------------------------
def test_content_has_the_reports_figures(yq: content.Briefing, checks_said: str) -> None:
    assert yq.title == "阳泉市文化和旅游局2023年单位预算情况简报"
    assert yq.summary.startswith("阳泉市文化和旅游局2023年支出预算3,623.26万元，比上年增加574.68万元（18.85%）")
    assert "艺术表演团体2,219.40万元，占61.25%" in yq.summary
    assert checks_said in yq.summary
    rows = {r[0]: r[1:] for r in yq.kpi_table.rows}
    assert rows["收入总计"] == ("3,623.26", "比上年增加574.68万元（18.85%）")
    assert rows["支出总计"][0] == "3,623.26"
    assert rows["本年收入"] == ("3,276.48", "占收入总计90.43%")
    assert rows["上年结转"] == ("346.79", "占收入总计9.57%")
    assert rows["基本支出"] == ("425.21", "占支出总计11.74%")
    assert rows["项目支出"] == ("3,198.06", "占支出总计88.26%")
    assert rows["本年财政拨款"] == ("3,276.48", "占收入总计90.43%")
    assert yq.kpi_table.footnote == "注：比上年增减取自报告文字说明。"
    assert [c.key for c in yq.charts] == YANGQUAN_CHARTS
    assert all(c.source.startswith("资料来源：《阳泉市文化和旅游局2023年单位预算公开报告》") for c in yq.charts)
    assert yq.source_line.startswith("数据来源：阳泉市文化和旅游局公开的《阳泉市文化和旅游局2023年单位预算公开报告》")


def test_the_summary_is_the_overview_pages_paragraph(yq: content.Briefing, yangquan_db: Path, use_db) -> None:
    use_db(yangquan_db)
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception
    shown = " ".join(m.value for m in at.markdown).replace("\\", "")
    # the file points to its own 数据核对 part where the page points to the page
    assert yq.summary.replace("详见下文“数据核对”部分", "详见“数据核对”页") in shown


@pytest.fixture(scope="module")
def two_years_db(yangquan_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Generated for this test: the 阳泉 database plus a made-up 2022 report of the same unit whose 功能分类 amounts
    are the 2023 ones × 0.8 (title marked 测试用合成数据), so the 同比 charts have a year to compare with."""
    path = tmp_path_factory.mktemp("two_years") / "budget.duckdb"
    shutil.copy(yangquan_db, path)
    con = duckdb.connect(str(path))
    try:
        doc = con.execute("SELECT doc_id FROM documents").fetchall()[0][0]
        con.execute("INSERT INTO documents SELECT * REPLACE ('synthetic-prior' AS doc_id, 2022 AS fiscal_year, "
                    "'阳泉市文化和旅游局2022年单位预算公开报告（测试用合成数据）' AS title, 'synthetic-prior.txt' AS source_file) "
                    "FROM documents WHERE doc_id = ?", [doc])
        for table in ("report_tables", "summary_lines"):
            con.execute(f"INSERT INTO {table} SELECT * REPLACE ('synthetic-prior' AS doc_id) FROM {table} "
                        "WHERE doc_id = ?", [doc])
        con.execute("INSERT INTO func_lines SELECT * REPLACE ('synthetic-prior' AS doc_id, amount_yuan * 0.8 AS "
                    "amount_yuan) FROM func_lines WHERE doc_id = ?", [doc])
    finally:
        con.close()
    return path


def test_yoy_charts_where_last_years_report_is_loaded(two_years_db: Path, use_db) -> None:
    use_db(two_years_db)
    sel, _ = briefing.select(UNIT, 2023)
    assert [c.key for c in content.build(sel).charts] == [*YANGQUAN_CHARTS, "yoy"]
    made = content.build(sel, "yoy")
    assert [c.key for c in made.charts] == ["yoy", "trend"]
    assert made.charts[0].caption == "支出比上年增减（按类）"
    assert "2022年单位预算公开报告（测试用合成数据）" in made.charts[0].source
    doc = Document(io.BytesIO(word.to_docx(made)))
    assert len(doc.inline_shapes) == 2


def test_failed_checks_are_listed_with_table_and_page(synthetic_db: Path, use_db) -> None:
    use_db(synthetic_db)
    sel, _ = briefing.select(syn.UNIT, 2023)
    made = content.build(sel)
    checks = next(s for s in made.sections if s.heading == "数据核对")
    assert checks.paragraphs[0] == ("报告表间勾稽关系核对4项，其中1项未通过，归为1处问题（同一原因在多项核对中出现的算作一处），"
                                    "按报告各部分列表如下，请对照原报告核实。")
    assert "报表：否（1处问题）" in checks.paragraphs[1]
    assert made.summary.endswith("报告表间勾稽关系核对4项，其中1项未通过，详见下文“数据核对”部分。")
    assert checks.table.rows == (("报表", "项目支出表合计等于本年项目支出（合成的错误）",
                                  "不符：应为 700.00万元，实际 690.00万元，差额 -10.00万元", "表12 项目支出表（本年），第13页"),)


# --- Word ----------------------------------------------------------------------------------------------------------
def test_docx_reads_back_with_the_reports_values(docx_file: bytes, checks_said: str) -> None:
    doc = Document(io.BytesIO(docx_file))
    text = all_text(doc)
    for value in ("3,623.26", "2,219.40", "艺术表演团体2,219.40万元", "3,276.48", "346.79", "425.21", "3,198.06",
                  "占支出总计11.74%", checks_said):
        assert value in text, value
    assert doc.paragraphs[0].text == "阳泉市文化和旅游局\n2023年单位预算情况简报"
    headings = [p.text for p in doc.paragraphs if p.text[:2] in ("一、", "二、", "三、", "四、")]
    assert headings == ["一、总体情况", "二、主要指标", "三、主要图表", "四、数据核对"]
    kpi = doc.tables[0]
    assert [c.text for c in kpi.rows[0].cells] == ["指标", "金额（万元）", "占比或比上年增减"]
    assert [c.text for c in kpi.rows[1].cells] == ["收入总计", "3,623.26", "比上年增加574.68万元（18.85%）"]
    assert doc.paragraphs[-1].text.startswith("数据来源：")
    captions = [p.text for p in doc.paragraphs if p.text.startswith("图")]
    assert captions == ["图1　支出功能分类构成", "图2　支出最多的科目（项）", "图3　金额最大的项目",
                        "图4　基本支出与项目支出（按类）", "图5　一般公共预算基本支出经济分类"]


def test_docx_images_are_2x_pngs_at_text_width(docx_file: bytes, yq: content.Briefing) -> None:
    doc = Document(io.BytesIO(docx_file))
    shapes = doc.inline_shapes
    assert len(shapes) == len(YANGQUAN_CHARTS)
    text_width = Cm(word.TEXT_WIDTH_CM)
    for shape, chart in zip(shapes, yq.charts, strict=True):
        blip = shape._inline.graphic.graphicData.pic.blipFill.blip
        image = doc.part.related_parts[blip.embed].image
        assert image.content_type == "image/png"
        png = Image.open(io.BytesIO(image.blob))
        assert png.format == "PNG"
        assert png.size == (word.DOC_CHART_WIDTH * 2, int(chart.figure.layout.height) * 2)
        assert abs(shape.width - text_width) <= 360  # EMU: 1/100 mm
        assert shape.height == pytest.approx(shape.width * png.height / png.width, rel=1e-3)


def test_docx_layout_is_a4_with_official_margins_page_numbers_and_header_rows(docx_file: bytes) -> None:
    doc = Document(io.BytesIO(docx_file))
    section = doc.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    margins = (section.top_margin.cm, section.bottom_margin.cm, section.left_margin.cm, section.right_margin.cm)
    assert [round(m, 1) for m in margins] == [3.7, 3.5, 2.8, 2.6]
    footer_xml = section.footer._element.xml
    assert "PAGE" in "".join(t.text or "" for t in section.footer._element.iter(qn("w:instrText")))
    assert 'w:fldCharType="begin"' in footer_xml
    for table in doc.tables:
        header = table.rows[0]._tr.trPr
        assert header is not None and header.find(qn("w:tblHeader")) is not None


def test_docx_every_run_names_its_east_asian_font(docx_file: bytes) -> None:
    doc = Document(io.BytesIO(docx_file))
    runs = list(doc.element.body.iter(qn("w:r"))) + list(doc.sections[0].footer._element.iter(qn("w:r")))
    assert len(runs) > 40
    faces = []
    for run in runs:
        fonts = run.find(qn("w:rPr") + "/" + qn("w:rFonts"))
        assert fonts is not None and fonts.get(qn("w:eastAsia")), run.xml[:200]
        faces.append(fonts.get(qn("w:eastAsia")))
    assert faces[0] == word.TITLE_FONT
    def face(paragraph) -> str:
        return paragraph.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia"))

    assert face(doc.paragraphs[0]) == word.TITLE_FONT
    assert face(next(p for p in doc.paragraphs if p.text == "一、总体情况")) == word.HEADING_FONT
    summary = next(p for p in doc.paragraphs if p.text.startswith("阳泉市文化和旅游局2023年支出预算"))
    assert face(summary) == word.BODY_FONT
    # the fallbacks a desktop without 方正小标宋简体 / 仿宋_GB2312 uses
    font_table = next(p for p in doc.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml").blob
    assert "方正小标宋简体".encode() in font_table and 'w:altName w:val="宋体"'.encode() in font_table


def test_report_text_is_text_never_markup() -> None:
    """A unit or project name with <, &, quotes, * or # reaches the document as those characters."""
    hostile = '<b>测试</b>&amp;"单位"*#1'
    chart = content.Chart("c", f"{hostile}图", None, f"资料来源：《{hostile}》")  # type: ignore[arg-type]
    table = content.Table(("项目", "金额"), ((hostile, "1.00"),))
    made = content.Briefing(f"{hostile}2023年情况简报", f"（根据《{hostile}》整理）",
                            (content.Section("总体情况", (f"{hostile}的摘要。",), table, (chart,)),),
                            f"数据来源：{hostile}", table, f"{hostile}的摘要。",
                            meta={"unit": hostile, "year": "2023年", "kind": "预算"})
    doc = Document(io.BytesIO(word.to_docx(made, [(chart, tiny_png())])))
    text = all_text(doc)
    assert f"{hostile}的摘要。" in text and f"图1　{hostile}图" in text and f"数据来源：{hostile}" in text
    assert doc.tables[0].rows[1].cells[0].text == hostile
    deck = Presentation(io.BytesIO(slides.to_pptx(made, [(chart, tiny_png())])))
    texts = [sh.text_frame.text for s in deck.slides for sh in s.shapes if sh.has_text_frame]
    assert f"{hostile}的摘要。" in texts and f"资料来源：《{hostile}》" in texts


# --- PowerPoint ----------------------------------------------------------------------------------------------------
def test_pptx_first_slide_kpis_and_summary_then_one_chart_per_slide(pptx_file: bytes, yq: content.Briefing,
                                                                     checks_said: str) -> None:
    deck = Presentation(io.BytesIO(pptx_file))
    pages = list(deck.slides)
    assert len(pages) == 1 + len(YANGQUAN_CHARTS) + 1  # KPIs, one per chart, checks
    first = pages[0]
    texts = [sh.text_frame.text for sh in first.shapes if sh.has_text_frame]
    assert yq.summary in texts and "阳泉市文化和旅游局2023年单位预算情况简报" in texts
    table = next(sh.table for sh in first.shapes if sh.has_table)
    cells = [[table.cell(r, c).text for c in range(3)] for r in range(len(table.rows))]
    assert cells[1] == ["收入总计", "3,623.26", "比上年增加574.68万元（18.85%）"]
    assert ["基本支出", "425.21", "占支出总计11.74%"] in cells
    for slide, chart in zip(pages[1:-1], yq.charts, strict=True):
        pictures = [sh for sh in slide.shapes if sh.shape_type == 13]
        assert len(pictures) == 1
        png = Image.open(io.BytesIO(pictures[0].image.blob))
        assert png.format == "PNG"
        assert png.size == (slides.SLIDE_CHART_WIDTH * 2, int(chart.figure.layout.height) * 2)
        assert pictures[0].left >= 0 and pictures[0].left + pictures[0].width <= deck.slide_width
        assert pictures[0].top + pictures[0].height <= deck.slide_height
        words = [sh.text_frame.text for sh in slide.shapes if sh.has_text_frame]
        assert f"阳泉市文化和旅游局2023年{chart.caption}" in words and chart.source in words
    last = [sh.text_frame.text for sh in pages[-1].shapes if sh.has_text_frame]
    assert any(w.startswith(f"报告表间勾稽关系{checks_said}") for w in last)
    assert any(w.startswith("按公开情况检查表逐部分核对，各部分是否符合要求——封面：") for w in last)


def test_pptx_every_run_names_its_east_asian_font(pptx_file: bytes) -> None:
    deck = Presentation(io.BytesIO(pptx_file))
    runs = [r for s in deck.slides for r in s.shapes._spTree.iter(f"{A_NS}r")]
    assert len(runs) > 30
    for run in runs:
        ea = run.find(f"{A_NS}rPr/{A_NS}ea")
        assert ea is not None and ea.get("typeface"), run.xml[:200] if hasattr(run, "xml") else run


# --- batch command -------------------------------------------------------------------------------------------------
def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dashboard.briefing", *args], cwd=REPO, capture_output=True,
                          text=True, timeout=240)


def test_command_writes_the_same_briefing_as_the_button(yangquan_db: Path, docx_file: bytes, tmp_path: Path) -> None:
    out = tmp_path / "简报.docx"
    result = run_cli("--db", str(yangquan_db), "--unit", UNIT, "--year", "2023", "--kind", "单位预算",
                     "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "No runtime found" not in result.stderr
    made, button = Document(str(out)), Document(io.BytesIO(docx_file))
    assert all_text(made) == all_text(button)
    assert len(made.inline_shapes) == len(button.inline_shapes) == len(YANGQUAN_CHARTS)
    sizes = [Image.open(io.BytesIO(made.part.related_parts[s._inline.graphic.graphicData.pic.blipFill.blip.embed]
                                   .image.blob)).size for s in made.inline_shapes]
    assert sizes[0][0] == word.DOC_CHART_WIDTH * 2

    deck_file = tmp_path / "汇报.pptx"
    result = run_cli("--db", str(yangquan_db), "--unit", UNIT, "--year", "2023", "--pptx", "--out", str(deck_file))
    assert result.returncode == 0, result.stderr
    assert len(Presentation(str(deck_file)).slides) == 1 + len(YANGQUAN_CHARTS) + 1


@pytest.mark.parametrize(("args", "message"), [
    (["--unit", "不存在的单位", "--year", "2023"], "数据库中没有单位“不存在的单位”的报告。已有的单位：阳泉市文化和旅游局"),
    (["--unit", UNIT, "--year", "2020"], "数据库中没有阳泉市文化和旅游局2020年的报告。已有的年度：2023年"),
    (["--unit", UNIT, "--year", "2023", "--kind", "部门预算"], "数据库中没有阳泉市文化和旅游局2023年的部门预算"),
])
def test_command_refuses_an_unknown_unit_or_year(yangquan_db: Path, tmp_path: Path, args, message) -> None:
    out = tmp_path / "x.docx"
    result = run_cli("--db", str(yangquan_db), *args, "--out", str(out))
    assert result.returncode == 1
    assert message in result.stderr and result.stderr.startswith("错误：")
    assert "Traceback" not in result.stderr and not out.exists()


def test_command_refuses_a_missing_database(tmp_path: Path) -> None:
    result = run_cli("--db", str(tmp_path / "none.duckdb"), "--unit", UNIT, "--out", str(tmp_path / "x.docx"))
    assert result.returncode == 1 and "找不到预算数据库" in result.stderr


# --- pages ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("page", ["pages/overview.py", "pages/composition.py", "pages/projects.py", "pages/yoy.py"])
def test_every_page_with_charts_has_the_two_buttons(yangquan_db: Path, use_db, page: str) -> None:
    use_db(yangquan_db)
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    if page != "pages/overview.py":
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    labels = [b.proto.label for b in at.get("download_button")]
    assert "生成简报（Word）" in labels and "生成汇报（PPT）" in labels


def test_compare_page_has_the_buttons(synthetic_db: Path, use_db) -> None:
    """单位对比 needs two units of one year: the synthetic database has them."""
    use_db(synthetic_db)
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["unit"] = syn.UNIT
    at.query_params["year"] = "2023"
    at.run()
    at.switch_page("pages/compare.py").run()
    assert not at.exception, [e.value for e in at.exception]
    labels = [b.proto.label for b in at.get("download_button")]
    assert "生成简报（Word）" in labels
    sel, _ = briefing.select(syn.UNIT, 2023)
    made = content.build(sel, "compare")
    assert [c.key for c in made.charts][:2] == ["compare_totals", "compare_nature"]


def test_a_chart_the_renderer_fails_on_leaves_the_rest_of_the_file(yq: content.Briefing, monkeypatch) -> None:
    """Chromium gone or crashed: the figures, tables and checks still arrive, with a line where each chart was."""
    def broken(*args, **kwargs):
        raise BrowserClosedError("chromium crashed")

    monkeypatch.setattr(png, "figure_png", broken)
    doc = Document(io.BytesIO(word.to_docx(yq)))
    assert len(doc.inline_shapes) == 0
    assert all_text(doc).count(content.NO_IMAGE) == len(YANGQUAN_CHARTS)
    assert "3,623.26" in all_text(doc)
    deck = Presentation(io.BytesIO(slides.to_pptx(yq)))
    assert len(deck.slides) == 1 + len(YANGQUAN_CHARTS) + 1


def test_an_error_of_ours_is_not_taken_for_a_renderer_failure(yq: content.Briefing, monkeypatch) -> None:
    """Only what kaleido and Chromium raise becomes a placeholder; a bug of ours surfaces."""
    def buggy(*args, **kwargs):
        raise KeyError("a bug of ours")

    monkeypatch.setattr(png, "figure_png", buggy)
    with pytest.raises(KeyError):
        word.to_docx(yq)


def test_a_renderer_failure_is_logged_with_its_traceback(yq: content.Briefing, monkeypatch, caplog) -> None:
    def broken(*args, **kwargs):
        raise BrowserClosedError("chromium crashed")

    monkeypatch.setattr(png, "figure_png", broken)
    images = content.render_charts(yq, word.DOC_CHART_WIDTH)
    assert [data for _, data in images] == [None] * len(YANGQUAN_CHARTS)
    failures = [r for r in caplog.records if r.name == "dashboard.export.png" and r.exc_info]
    assert len(failures) == len(YANGQUAN_CHARTS)
    assert "支出功能分类构成" in failures[0].getMessage()


def _former_compare_figure(key: str, figures, sources):
    """What each of the four former _chart_compare_* builders drew, written out once more for comparison."""
    from dashboard import charts

    if key == "compare_totals":
        listed = figures["expenditure"].notna()
        ctx = sources.context(["summary", "expenditure"])
        return charts.ranked_bar.uncached(list(figures.loc[listed, "label"]), list(figures.loc[listed, "expenditure"]),
                                          ctx, "支出总计对比"), ctx
    if key == "compare_nature":
        ctx = sources.context(["expenditure"])
        return charts.share_stack.uncached(list(figures["label"]), {"基本支出": list(figures["basic"]),
                                                                    "项目支出": list(figures["project"])}, ctx,
                                           "基本支出与项目支出占比", of="基本支出与项目支出之和"), ctx
    if key == "compare_costs":
        ctx = sources.context(["gp_basic_econ"])
        return charts.share_stack.uncached(list(figures["label"]), {"人员经费": list(figures["personnel"]),
                                                                    "公用经费": list(figures["public"])}, ctx,
                                           "人员经费与公用经费占比", of="一般公共预算基本支出"), ctx
    ctx = sources.context(["three_public", "operating_cost"])
    return charts.grouped_bar.uncached(list(figures["label"]), {"“三公”经费": list(figures["three_public"]),
                                                                "机关运行经费": list(figures["operating_cost"])}, ctx,
                                       "“三公”经费和机关运行经费"), ctx


@pytest.mark.parametrize(("key", "caption", "of"), [
    ("compare_totals", "支出总计对比", None),
    ("compare_nature", "基本支出与项目支出占比", "条内为占基本支出与项目支出之和的比重"),
    ("compare_costs", "人员经费与公用经费占比", "条内为占一般公共预算基本支出的比重"),
    ("compare_three", "“三公”经费和机关运行经费", None),
])
def test_the_one_compare_builder_draws_each_former_chart(synthetic_db: Path, use_db, key: str, caption: str,
                                                         of: str | None) -> None:
    """The 单位对比 charts of the 简报 come from one parametrised builder (compare.PLOTS): title, unit line, source
    note and values are those the four former builders gave."""
    use_db(synthetic_db)
    sel, _ = briefing.select(syn.UNIT, 2023)
    report = content.Report(sel)
    figures, sources = report.compare_view
    chart = content.CHARTS[key](report)
    before, ctx = _former_compare_figure(key, figures, sources)
    assert (chart.key, chart.caption, chart.source) == (key, caption, ctx.source)
    assert chart.figure.to_plotly_json() == before.to_plotly_json()
    title = chart.figure.layout.title.text
    assert caption in title and "单位：万元" in title and "2023" in title and (of is None or of in title)
    assert chart.figure.layout.annotations[-1].text.startswith("资料来源：测试单位（合成数据），")
    assert any(any(v is not None for v in (trace.x or ())) for trace in chart.figure.data)
