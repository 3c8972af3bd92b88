"""A generated budget report printed as a PDF with ruled tables (never a real report; the unit is marked 合成).

Chromium prints an HTML page with bordered tables, as report templates are printed: each table a ruled grid under
its caption and 单位 line. Tests choose the tables, so a report can carry an empty table printed as a blank ruled
grid (注：本表无数据) or a table with a cell no one can read.
"""

from __future__ import annotations

import html
from pathlib import Path

UNIT = "合成测试单位"
YEAR = 2023

STYLE = """
body { font-family: 'Noto Sans CJK SC', sans-serif; font-size: 11pt; }
table { border-collapse: collapse; margin: 4pt 0 10pt 0; }
td, th { border: 1px solid #000; padding: 3pt 6pt; min-width: 40pt; height: 14pt; }
.page { page-break-after: always; }
"""


def grid(title: str, unit: str, header: list[list[str]], rows: list[list[str]], note: str | None = None) -> str:
    """One table: caption, 单位 line, a ruled grid (header rows, body rows; '' is a blank cell), an optional note."""
    def tr(cells: list[str], tag: str) -> str:
        return "<tr>" + "".join(f"<{tag}>{html.escape(c)}</{tag}>" for c in cells) + "</tr>"

    body = "".join(tr(h, "th") for h in header) + "".join(tr(r, "td") for r in rows)
    note_html = f"<p>{html.escape(note)}</p>" if note else ""
    return (f'<div class="page"><p style="text-align:center;font-size:14pt">{html.escape(title)}</p>'
            f'<p style="text-align:right">单位：{unit}</p><table>{body}</table>{note_html}</div>')


EXPENDITURE = grid(f"{YEAR}年部门支出总表", "元",
                   [["科目编码", "科目名称", "合计", "基本支出", "项目支出"]],
                   [["", "合计", "300.00", "100.00", "200.00"],
                    ["205", "教育支出", "300.00", "100.00", "200.00"],
                    ["20502", "普通教育", "300.00", "100.00", "200.00"]])
EMPTY_THREE_PUBLIC = grid(f"{YEAR}年一般公共预算“三公”经费支出预算表", "万元",
                          [["合计", "因公出国（境）费", "公务用车购置及运行费", "公务接待费"]],
                          [["", "", "", ""]], note="注：本表无数据")


def revenue(cell: str = "300.00") -> str:
    """A 收入总表 whose 合计 cell prints `cell` (e.g. an unreadable '3O0.00')."""
    return grid(f"{YEAR}年部门收入总表", "元",
                [["科目编码", "科目名称", "合计", "一般公共预算"]],
                [["", "合计", cell, "300.00"],
                 ["205", "教育支出", "300.00", "300.00"],
                 ["20502", "普通教育", "300.00", "300.00"]])


def render(path: Path, tables: list[str]) -> Path:
    """Print the report to `path` with the system Chromium (skips the test where it is missing)."""
    from tests.fixtures.app_server import system_chromium

    cover = (f'<div class="page"><h1>{UNIT}{YEAR}年部门预算</h1>'
             f"<p>一、部门主要职能</p><p>本部门为{UNIT}（合成数据，供测试使用）。</p></div>")
    page_html = f"<html><head><meta charset='utf-8'><style>{STYLE}</style></head><body>{cover}{''.join(tables)}</body></html>"
    with system_chromium() as (_, browser):
        page = browser.new_page()
        page.set_content(page_html)
        page.pdf(path=str(path), format="A4")
    return path
