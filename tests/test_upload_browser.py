"""Real-browser test of the 导入 page: `streamlit run app.py` on a copy of the 阳泉 database, files uploaded through
the page's own file input in headless Chromium, then the new report looked for in the sidebar picker.

Also opens the 同比变化 and 单位对比 pages once both 万里街道 years are in, and saves screenshots of every step in
tests/output/ for a human to look at. Uses the system Chromium; never runs `playwright install`.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fixtures.app_server import REPO, serve, settled, system_chromium
from tests.fixtures.reports import write_report
from tests.samples import SAMPLES
from tests.test_cli import db_digest

pytestmark = pytest.mark.browser

WANLI = "上海市普陀区人民政府万里街道办事处"
WANLI_2024 = SAMPLES / "shanghai-putuo-wanli-2024-dept-budget.pdf"
WANLI_2023 = SAMPLES / "shanghai-putuo-wanli-2023-dept-budget.pdf"
needs_pdf = pytest.mark.skipif(not WANLI_2024.exists(), reason=f"the 万里街道 sample PDFs are absent from {SAMPLES}")


@pytest.fixture(scope="module")
def db(yangquan_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private copy: these tests write to it through the page."""
    return Path(shutil.copy(yangquan_db, tmp_path_factory.mktemp("upload_browser") / "budget.duckdb"))


LOCK_WAIT = 4  # seconds this test server's uploads wait for another import before giving up


@pytest.fixture(scope="module")
def server(db: Path, output_dir: Path) -> Iterator[str]:
    with pytest.MonkeyPatch.context() as env:
        env.setenv("BUDGET_LOCK_WAIT", str(LOCK_WAIT))
        with serve(db, output_dir / "streamlit_upload.log") as (base, _):
            yield base


@pytest.fixture(scope="module")
def page():
    """One tab for the module: each test opens the 导入 page by its URL, which loads the app afresh — a new
    Streamlit session with an empty uploader — without the cost of a new renderer per test."""
    with system_chromium() as (_, chromium):
        context = chromium.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
        yield context.new_page()
        context.close()


def open_upload_page(page, server: str) -> None:
    page.goto(f"{server}/upload")
    page.get_by_text("选择报告文件（PDF 或 TXT）").first.wait_for(timeout=60_000)


def file_input(page):
    return page.locator("[data-testid='stFileUploader'] input[type='file']").first


def main_text(page) -> str:
    return page.locator("[data-testid='stMain']").inner_text()


def picker_shows(page, label: str, value: str) -> None:
    """Wait (briefly: the rerun after a load redraws the sidebar) until a sidebar picker shows value."""
    from playwright.sync_api import expect

    box = page.locator("[data-testid='stSidebar']").get_by_role("combobox", name=label)
    expect(box).to_have_value(value, timeout=15_000)


def picker_options(page, label: str) -> list[str]:
    """Every entry of a sidebar picker, read from its opened list as a user would see it."""
    box = page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").filter(
        has=page.get_by_role("combobox", name=label))
    box.get_by_role("button", name="Open").click()
    options = page.get_by_role("option")
    options.first.wait_for(timeout=10_000)
    texts = options.all_inner_texts()
    page.keyboard.press("Escape")
    return texts


def shoot(page, path: Path) -> None:
    """The whole page: Streamlit scrolls inside its main pane, so grow the viewport to the content first."""
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": 1440, "height": max(900, min(int(height) + 40, 9000))})
    settled(page)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size({"width": 1440, "height": 900})


@needs_pdf
def test_uploaded_pdf_is_loaded_and_appears_in_the_picker(page, server: str, db: Path, output_dir: Path) -> None:
    open_upload_page(page, server)
    assert WANLI not in picker_options(page, "单位")
    file_input(page).set_input_files(str(WANLI_2024))
    # the progress bar counts pages while the PDF is read (on a fast machine it may already be gone)
    page.get_by_text(re.compile("已读取第|已导入：")).first.wait_for(timeout=60_000)
    page.screenshot(path=str(output_dir / "upload_progress.png"))
    page.get_by_text("已导入：", exact=False).first.wait_for(timeout=120_000)
    settled(page)
    body = main_text(page)
    assert f"已导入：{WANLI} 2024年部门预算" in body and "33页" in body and "张表" in body and "核对" in body
    assert "Traceback" not in body
    picker_shows(page, "单位", WANLI)  # the picker already shows the new report…
    picker_shows(page, "年度", "2024年")
    assert {WANLI, "阳泉市文化和旅游局"} <= set(picker_options(page, "单位"))  # …as one entry among the others
    shoot(page, output_dir / "upload_loaded.png")
    # and it is a real entry in the picker, not just the current value: reopen the overview on it
    page.goto(f"{server}/?" + urllib.parse.urlencode({"unit": WANLI, "year": "2024"}))
    page.get_by_text("情况摘要").first.wait_for(timeout=60_000)
    assert "15,621.11" in main_text(page)


def test_non_report_is_refused_and_the_database_is_unchanged(page, server: str, db: Path, output_dir: Path) -> None:
    before = db_digest(db)
    open_upload_page(page, server)
    notice = "关于召开季度工作会议的通知\n各科室：定于周一上午九点在三楼会议室开会。\n".encode()
    file_input(page).set_input_files(files=[{"name": "会议通知.txt", "mimeType": "text/plain", "buffer": notice}])
    page.get_by_text("未导入。", exact=False).first.wait_for(timeout=60_000)
    settled(page)
    body = main_text(page)
    assert "会议通知.txt" in body and "不是预算公开报告" in body and "数据库未作任何改动" in body
    assert "Traceback" not in body
    shoot(page, output_dir / "upload_refused.png")
    assert db_digest(db) == before
    assert not [f for f in (db.parent / "uploads").glob("*") if f.suffix == ".txt"]  # refused files are not kept


@needs_pdf
def test_year_on_year_and_compare_pages_after_uploading_the_other_year(page, server: str, output_dir: Path) -> None:
    open_upload_page(page, server)
    file_input(page).set_input_files([str(WANLI_2023), str(WANLI_2024)])  # 2024 may be in already: then unchanged
    page.get_by_text(f"已导入：{WANLI} 2023年部门预算", exact=False).first.wait_for(timeout=180_000)
    settled(page)
    shoot(page, output_dir / "upload_two_files.png")

    query = urllib.parse.urlencode({"unit": WANLI, "year": "2024"})
    page.goto(f"{server}/yoy?{query}")
    page.get_by_text("报告文字说明的上年数据").first.wait_for(timeout=60_000)
    settled(page, need=".js-plotly-plot")
    body = main_text(page)
    assert "2023年预算→2024年预算" in body and "增加最多的科目" in body and "Traceback" not in body
    svg = page.locator(".js-plotly-plot").first.inner_html()
    assert "2023年预算" in svg and "16,497.86" in svg and "15,621.11" in svg and "单位：万元" in svg
    shoot(page, output_dir / "page_yoy.png")

    page.goto(f"{server}/yoy?" + urllib.parse.urlencode({"unit": WANLI, "year": "2024", "drill": "212"}))
    page.get_by_text("城乡社区支出比上年增减", exact=False).first.wait_for(timeout=60_000)
    shoot(page, output_dir / "page_yoy_drill.png")

    page.goto(f"{server}/compare?" + urllib.parse.urlencode({"unit": WANLI, "year": "2023"}))
    page.get_by_text("对比表").first.wait_for(timeout=60_000)
    page.locator(".js-plotly-plot").nth(3).wait_for(timeout=60_000)
    body = main_text(page)
    assert "阳泉市文化和旅游局" in body and "Traceback" not in body
    shoot(page, output_dir / "page_compare.png")


def test_upload_while_another_import_runs_says_who_counts_down_and_gives_up(page, server: str, db: Path,
                                                                          output_dir: Path, tmp_path: Path) -> None:
    """An import from the CLI holds the database (paused mid-write by the test hook): the page names it at once,
    counts down, then refuses in one line instead of hanging; the database and uploads folder stay as they were.
    Once that import is gone, 再试一次 loads the file."""
    marker = tmp_path / "holder"
    holder = subprocess.Popen([sys.executable, "-m", "etl", "ingest", str(write_report(tmp_path, "合成占用测试单位")),
                               "--db", str(db)], cwd=REPO, env={**os.environ, "BUDGET_TEST_PAUSE": f"writing={marker}"},
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while not (marker.exists() and marker.read_text()):
            assert holder.poll() is None and time.monotonic() < deadline, "the holding import did not start"
            time.sleep(0.05)
        before = db_digest(db)
        uploads_before = sorted((db.parent / "uploads").glob("*")) if (db.parent / "uploads").exists() else []
        open_upload_page(page, server)
        report = write_report(tmp_path / "up", "合成上传等待测试单位").read_bytes()
        file_input(page).set_input_files(files=[{"name": "等待测试.txt", "mimeType": "text/plain", "buffer": report}])
        page.get_by_text(re.compile(f"另一个导入正在进行：进程 {holder.pid}，开始于 .*最多再等")).first.wait_for(
            timeout=30_000)
        shoot(page, output_dir / "upload_waiting.png")
        page.get_by_text("未导入。", exact=False).first.wait_for(timeout=(LOCK_WAIT + 30) * 1000)
        body = main_text(page)
        assert f"未导入。另一个导入正在进行（进程 {holder.pid}，开始于" in body
        assert f"等待{LOCK_WAIT}秒后仍未结束，请稍后再试。数据库未作任何改动。" in body and "Traceback" not in body
        shoot(page, output_dir / "upload_busy_refused.png")
        assert db_digest(db) == before
        assert (sorted((db.parent / "uploads").glob("*")) if (db.parent / "uploads").exists() else []) == uploads_before
    finally:
        holder.kill()
        holder.wait(timeout=10)
    # the other import is gone (killed): trying again just loads
    page.get_by_role("button", name="再试一次").click()
    page.get_by_text("已导入：合成上传等待测试单位", exact=False).first.wait_for(timeout=60_000)
    assert "另一个导入正在进行" not in main_text(page)


def test_report_without_a_year_is_refused_then_loaded_with_the_year_typed(page, server: str, db: Path,
                                                                          output_dir: Path) -> None:
    """The page asks for the year a report does not print (an empty field: never a guess) and loads it with it."""
    from tests.test_year_option import NO_YEAR

    before = db_digest(db)
    open_upload_page(page, server)
    file_input(page).set_input_files(files=[{"name": "无年度.txt", "mimeType": "text/plain",
                                             "buffer": NO_YEAR.encode()}])
    page.get_by_text("未能从报告中读出预算年度", exact=False).first.wait_for(timeout=60_000)
    settled(page)
    assert "请在下方填写这份报告的年度" in main_text(page) and "--year" not in main_text(page)
    assert db_digest(db) == before
    button = page.get_by_role("button", name="按此年度导入")
    assert button.is_disabled()
    field = page.get_by_label("这份报告的预算年度")
    field.fill("2024")
    field.press("Enter")
    settled(page)
    shoot(page, output_dir / "upload_year_asked.png")
    page.get_by_role("button", name="按此年度导入").click()
    page.get_by_text("已导入：合成测试局 2024年单位预算", exact=False).first.wait_for(timeout=60_000)
    assert "年度按导入时填写的年度指定为2024" in main_text(page)
    picker_shows(page, "单位", "合成测试局")
    picker_shows(page, "年度", "2024年")
    shoot(page, output_dir / "upload_year_loaded.png")
