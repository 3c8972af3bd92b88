"""Real-browser test: `streamlit run app.py` on the 阳泉 report (and, where ../shared/samples has it, the 财政局 2024
决算 beside it), every page opened in headless Chromium — one server and one browser for the module.

Screenshots land in tests/output/ for a human to look at; the PNG a user downloads is checked for real Chinese
glyphs (not tofu boxes) with the pixel check in tests/cjk_pixels.py. Uses the system Chromium; never runs
`playwright install`.
"""

from __future__ import annotations

import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from PIL import Image

from dashboard.charts import EXPORT_WIDTH
from tests.cjk_pixels import looks_like_cjk
from tests.fixtures.app_server import serve, settled, system_chromium
from tests.samples import YANGQUAN, build_db
from tests.test_execution_page import FINANCE, needs_final

pytestmark = pytest.mark.browser

QUERY = "?" + urllib.parse.urlencode({"unit": "阳泉市文化和旅游局", "year": "2023"})
# page url path → texts that must be on it (figures as the 阳泉 report prints them); the default page (总览) is
# served at the root: Streamlit gives the default page the empty path whatever url_path says
PAGES = {
    "": ["情况摘要", "3,623.26", "3,276.48", "346.79", "425.21", "3,198.06", "艺术表演团体2,219.40万元"],
    "composition": ["按功能分类", "按经济分类", "人员经费", "377.64", "本表无数据"],
    "projects": ["项目清单", "三团过渡期保障经费", "17个"],
    # {checks}: the 阳泉 report's number of checks; its tables add up, its 编制说明 has one slip (“…资金。；本年…”)
    "checks": ["数据核对", "{checks}项", "符合要求", "标点重复"],
}


@pytest.fixture(scope="module")
def browser_db(yangquan_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """阳泉 2023 (every page's figures below) plus the 财政局 2024 决算 for the 预算执行 page, where present."""
    if not FINANCE.exists():
        return yangquan_db
    return build_db(tmp_path_factory.mktemp("browser") / "budget.duckdb", [YANGQUAN, FINANCE])


@pytest.fixture(scope="module")
def server(browser_db: Path, output_dir: Path) -> Iterator[str]:
    """The app served by Streamlit exactly as a user starts it, on a free port."""
    with serve(browser_db, output_dir / "streamlit.log") as (base, _):
        yield base


@pytest.fixture(scope="module")
def page(server: str):
    with system_chromium() as (_, browser):
        context = browser.new_context(viewport={"width": 1440, "height": 900}, accept_downloads=True, locale="zh-CN")
        yield context.new_page()
        context.close()


def open_page(page, url: str, must_see: str) -> None:
    page.goto(url)
    page.get_by_text(must_see, exact=False).first.wait_for(timeout=60_000)
    settled(page)  # the run has finished and Plotly has drawn every chart


def full_screenshot(page, path: Path) -> None:
    """Streamlit scrolls inside its main pane, so grow the viewport to the content and let the charts redraw at
    that size before shooting."""
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": 1440, "height": max(900, min(int(height) + 40, 9000))})
    settled(page)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size({"width": 1440, "height": 900})


@pytest.fixture(scope="module")
def check_count(browser_db: Path) -> int:
    """The 阳泉 report's checks (the 数据核对 page counts the chosen report's)."""
    con = duckdb.connect(str(browser_db), read_only=True)
    try:
        return int(con.execute("SELECT count(*) FROM checks JOIN documents USING (doc_id) WHERE unit_name = ?",
                               ["阳泉市文化和旅游局"]).fetchall()[0][0])
    finally:
        con.close()


@pytest.mark.parametrize("path", list(PAGES), ids=lambda p: p or "overview")
def test_page_shows_the_reports_figures(page, server: str, output_dir: Path, check_count: int, path: str) -> None:
    url = f"{server}/{path}{QUERY}"
    texts = [t.format(checks=check_count) for t in PAGES[path]]
    open_page(page, url, texts[0])
    body = page.locator("[data-testid='stMain']").inner_text()
    charts = " ".join(page.locator(".js-plotly-plot").all_inner_texts()) + " ".join(
        el.inner_html() for el in page.locator(".js-plotly-plot").all())
    for text in texts:
        assert text in body or text in charts, f"{path}: '{text}' not on the page"
    assert "Traceback" not in body and "Error" not in body
    assert page.get_by_text("Page not found").count() == 0, f"{path}: Streamlit does not know this page's URL"
    full_screenshot(page, output_dir / f"page_{path or 'overview'}.png")


def test_treemap_and_bars_render_cjk_in_browser(page, server: str) -> None:
    open_page(page, f"{server}/composition{QUERY}", "按功能分类")
    svg = page.locator(".js-plotly-plot").first.inner_html()
    assert "支出合计" in svg and "文化旅游体育与传媒支出" in svg and "单位：万元" in svg


def test_downloaded_png_is_2x_with_chinese_glyphs(page, server: str, output_dir: Path) -> None:
    open_page(page, f"{server}/{QUERY}", "支出最多的科目")
    button = page.get_by_role("button", name="下载图片（PNG）").first
    with page.expect_download(timeout=60_000) as info:
        button.click()
    download = info.value
    assert download.suggested_filename == "阳泉市文化和旅游局_2023年_支出最多的科目（项）.png"
    target = output_dir / "download_overview_top_items.png"
    download.save_as(str(target))
    image = Image.open(target)
    assert image.format == "PNG" and image.width == EXPORT_WIDTH * 2
    # the title band: '阳泉市文化和旅游局2023年支出最多的科目（项）' must be glyphs, not empty boxes
    assert looks_like_cjk(image.crop((0, 0, image.width, 70 * 2)))
    # and the whole chart carries ink (bars and labels), not a blank canvas
    gray = image.convert("L")
    dark = sum(gray.histogram()[:128])
    assert dark > 0.01 * image.width * image.height


def test_briefing_buttons_download_the_word_and_ppt_files(page, server: str, output_dir: Path) -> None:
    """The 简报 buttons as a user clicks them (their content is read back in tests/test_briefing.py)."""
    from docx import Document
    from pptx import Presentation

    from tests.test_briefing import UNIT, YANGQUAN_CHARTS, all_text

    open_page(page, f"{server}/{QUERY}", "支出最多的科目")
    button = page.get_by_role("button", name="生成简报（Word）")
    page.screenshot(path=str(output_dir / "briefing_button.png"))
    with page.expect_download(timeout=120_000) as info:
        button.click()
    download = info.value
    assert download.suggested_filename == f"{UNIT}_2023年_情况简报.docx"
    target = output_dir / "download_briefing.docx"
    download.save_as(str(target))
    with page.expect_download(timeout=120_000) as info:
        page.get_by_role("button", name="生成汇报（PPT）").click()
    slides = output_dir / "download_briefing.pptx"
    info.value.save_as(str(slides))
    doc = Document(str(target))
    text = all_text(doc)
    assert "3,623.26" in text and "艺术表演团体2,219.40万元" in text
    assert len(doc.inline_shapes) == len(YANGQUAN_CHARTS)
    assert len(Presentation(str(slides)).slides) == 1 + len(YANGQUAN_CHARTS) + 1


@needs_final
def test_execution_page_in_browser(page, server: str, output_dir: Path) -> None:
    """The 预算执行 page as a user opens it: the chart draws (its title and a 科目 with CJK glyphs), the table is
    there."""
    open_page(page, f"{server}/execution?unit=上海市普陀区财政局&year=2024", "各科目执行情况")
    page.locator(".js-plotly-plot .gtitle").first.wait_for(timeout=30_000)
    title = page.locator(".js-plotly-plot .gtitle").first.text_content() or ""
    assert "预算执行" in title and "上海市普陀区财政局" in title
    page.get_by_text("预算执行明细").first.wait_for(timeout=30_000)
    page.screenshot(path=str(output_dir / "execution.png"), full_page=True)


def _open_first_page_picture(page) -> None:
    """Open the first finding's 原页 on the 数据核对 page, as a reader clicks it."""
    summary = page.locator("[data-testid='stExpander'] summary", has_text="查看原页").first
    summary.scroll_into_view_if_needed()
    summary.click()


def test_a_finding_opens_to_its_page_picture(page, server: str, output_dir: Path) -> None:
    """阳泉's one 编制说明 slip (loaded from data/raw, as `make db` loads it) opens to a picture of its quoted lines
    with the words boxed in red."""
    open_page(page, f"{server}/checks{QUERY}", "标点重复")
    assert page.locator("[data-testid='stImage'] img").count() == 0, "no picture before a finding is opened"
    _open_first_page_picture(page)
    img = page.locator("[data-testid='stExpander'] [data-testid='stImage'] img").first
    img.wait_for(state="visible", timeout=60_000)
    settled(page)
    width, height = img.evaluate("el => [el.naturalWidth, el.naturalHeight]")
    box = img.bounding_box()
    assert width > 0 and height > 0 and box and box["width"] > 100 and box["height"] > 50
    img.scroll_into_view_if_needed()
    page.screenshot(path=str(output_dir / "checks_page_picture.png"))
    body = page.locator("[data-testid='stMain']").inner_text()
    assert "Traceback" not in body and "Error" not in body


@needs_final
def test_a_finding_of_a_report_without_its_file_says_so(page, server: str, output_dir: Path) -> None:
    """The 财政局 决算 was loaded from ../shared/samples, which the app does not search: its finding says the file is
    not at hand, in words."""
    open_page(page, f"{server}/checks?unit=上海市普陀区财政局&year=2024", "公开情况检查表")
    _open_first_page_picture(page)
    page.get_by_text("原文件不在，无法显示原页").first.wait_for(timeout=60_000)
    settled(page)
    assert page.locator("[data-testid='stExpander'] [data-testid='stImage'] img").count() == 0
    page.screenshot(path=str(output_dir / "checks_page_picture_missing.png"))
