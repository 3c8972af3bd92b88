"""A 决算 cover printed as real covers are — the unit over two lines, the year spaced off or letter-spaced — loads with
its unit and year, through the whole parse (etl/pipeline.parse_report), not only through read_metadata.

The PDFs are printed by Chromium from HTML (tests/pdf_grid_report.py) so the cover's lines are what pdfplumber reads
from a printed cover; the figures are synthetic (合成数据) and the table title prints no year, as 决算 tables do.
"""

from __future__ import annotations

import html
from pathlib import Path

import pytest

from etl.pipeline import parse_report
from etl.read.tokens import clean
from tests import pdf_grid_report as g

UNIT = "上海市普陀区社会工作部"
SUMMARY = g.grid("收入支出决算总表", "元", [["收入", "", "支出", ""], ["项目", "决算数", "项目", "决算数"]], [
    ["一、一般公共预算财政拨款收入", "300.00", "一、一般公共服务支出", "300.00"],
    ["本年收入合计", "300.00", "本年支出合计", "300.00"],
    ["总计", "300.00", "总计", "300.00"],
])


def _cover(*lines: tuple[str, str]) -> str:
    """A cover page: each (text, CSS) a printed line, big and centred as covers are."""
    body = "".join(f'<p style="text-align:center;font-size:28pt;{css}">{html.escape(t)}</p>' for t, css in lines)
    return f'<div class="page" style="padding-top:160pt">{body}</div>'


COVERS = {
    # the unit wrapped over two lines, the year and the type each on a line of their own, spaces around the year
    "year-spaced": _cover(("上海市普陀区", ""), ("社会工作部", ""), (" 2024 年度", "margin-top:90pt"), ("部门决算", "")),
    # everything letter-spaced (2 0 2 4 年 度 部 门 决 算)
    "letter-spaced": _cover((UNIT, "letter-spacing:14pt"), ("2024 年度 部门决算", "letter-spacing:10pt")),
}


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from tests.fixtures.app_server import system_chromium

    folder = tmp_path_factory.mktemp("cover-pdfs")
    contents = '<div class="page"><p>目 录</p><p>一、收入支出决算总表</p><p>（合成数据，供测试使用）</p></div>'
    out = {}
    with system_chromium() as (_, browser):
        for name, cover in COVERS.items():
            page_html = (f"<html><head><meta charset='utf-8'><style>{g.STYLE}</style></head>"
                         f"<body>{cover}{contents}{SUMMARY}</body></html>")
            page = browser.new_page()
            page.set_content(page_html)
            out[name] = folder / f"cover-{name}.pdf"
            page.pdf(path=str(out[name]), format="A4")
            page.close()
    return out


@pytest.mark.parametrize("cover", sorted(COVERS))
def test_a_printed_final_accounts_cover_gives_its_unit_and_year(pdfs: dict[str, Path], cover: str) -> None:
    report = parse_report(pdfs[cover])
    doc = report.doc
    assert (doc["unit_name"], doc["fiscal_year"], doc["doc_type"]) == (UNIT, 2024, "部门决算")
    assert clean(doc["title"]) == "2024年度部门决算"  # the cover's title, whatever its spacing
    messages = [i.message for i in report.issues]
    assert not any("单位名称" in m or "预算年度" in m for m in messages), messages
