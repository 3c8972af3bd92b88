"""Real-browser test: `streamlit run app.py` on the 阳泉 database, every page opened in headless Chromium.

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

pytestmark = pytest.mark.browser

QUERY = "?" + urllib.parse.urlencode({"unit": "阳泉市文化和旅游局", "year": "2023"})
# page url path → texts that must be on it (figures as the 阳泉 report prints them); the default page (总览) is
# served at the root: Streamlit gives the default page the empty path whatever url_path says
PAGES = {
    "": ["情况摘要", "3,623.26", "3,276.48", "346.79", "425.21", "3,198.06", "艺术表演团体2,219.40万元"],
    "composition": ["按功能分类", "按经济分类", "人员经费", "377.64", "本表无数据"],
    "projects": ["项目清单", "三团过渡期保障经费", "17个"],
    "checks": ["数据核对", "{checks}项", "全部核对一致"],  # {checks}: the number of checks in the database
}


@pytest.fixture(scope="module")
def server(yangquan_db: Path, output_dir: Path) -> Iterator[str]:
    """The app served by Streamlit exactly as a user starts it, on a free port."""
    with serve(yangquan_db, output_dir / "streamlit.log") as (base, _):
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
def check_count(yangquan_db: Path) -> int:
    con = duckdb.connect(str(yangquan_db), read_only=True)
    try:
        return int(con.execute("SELECT count(*) FROM checks").fetchall()[0][0])
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
