"""Downloads: PNG through kaleido + system Chromium (2× scale, CJK drawn), and .xlsx through openpyxl."""

from __future__ import annotations

import io
import time

import pandas as pd
import pytest
from openpyxl import load_workbook
from PIL import Image, ImageDraw, ImageFont

from dashboard import charts
from dashboard.export import png, xlsx
from tests.cjk_pixels import CJK_FONT, LATIN_FONT, looks_like_cjk

CTX = charts.ChartContext(unit="测试单位（合成数据）", year=2023, source="资料来源：《测试单位（合成数据）2023年单位预算公开报告》表3")


def render_text(text: str, font_path: str) -> Image.Image:
    image = Image.new("RGB", (40 * len(text) + 40, 90), "white")
    ImageDraw.Draw(image).text((20, 20), text, font=ImageFont.truetype(font_path, 36), fill="black")
    return image


def test_cjk_detector_tells_glyphs_from_empty_boxes() -> None:
    """The check used on downloaded PNGs must fail on tofu (a font without CJK draws hollow boxes)."""
    text = "测试单位合成数据支出功能分类构成"
    assert looks_like_cjk(render_text(text, CJK_FONT))
    assert not looks_like_cjk(render_text(text, LATIN_FONT))
    assert not looks_like_cjk(Image.new("RGB", (600, 90), "white"))


def test_png_is_twice_the_figure_size_with_cjk_title() -> None:
    fig = charts.ranked_bar(["艺术表演团体", "旅游宣传"], [22_194_000.0, 3_480_000.0], CTX, "支出最多的科目")
    started = time.perf_counter()
    data = png.figure_png(fig)
    cold = time.perf_counter() - started
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG"
    assert image.size == (charts.EXPORT_WIDTH * 2, int(fig.layout.height) * 2)
    assert looks_like_cjk(image.crop((0, 0, image.width, 60 * 2)))
    started = time.perf_counter()
    png.figure_png(fig)
    warm = time.perf_counter() - started
    assert warm < max(2.0, cold), "the warm browser should be reused"


def test_chromium_path_prefers_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(png.CHROMIUM_ENV, "/opt/chromium/chrome")
    assert png.chromium_path() == "/opt/chromium/chrome"
    monkeypatch.delenv(png.CHROMIUM_ENV)
    assert png.chromium_path() in ("/usr/bin/chromium", None)


def test_xlsx_has_title_unit_table_and_source() -> None:
    frame = pd.DataFrame({"项目名称": ["三团过渡期保障经费", "专项业务工作经费"], "金额（万元）": [2219.4, 20.0],
                          "资金类型": ["本年预算", "本年预算"]})
    data = xlsx.frame_xlsx(frame, title="测试单位（合成数据）2023年项目支出清单", source="资料来源：测试")
    ws = load_workbook(io.BytesIO(data)).active
    assert ws["A1"].value == "测试单位（合成数据）2023年项目支出清单"
    assert ws["A2"].value == "单位：万元"
    assert [c.value for c in ws[4]] == ["项目名称", "金额（万元）", "资金类型"]
    assert ws["B5"].value == 2219.4 and ws["B5"].number_format == "#,##0.00"
    assert ws["A7"].value is None and ws["A8"].value == "资料来源：测试"
    assert ws.freeze_panes == "A5"
