"""The 公开情况检查表 (dashboard/export/review.py, `etl review`): a district reviewer's form, written for each report
with its problems numbered and each problem's page pictured in its own row; the district's folder with 汇总.xlsx;
and every bad input answered with one Chinese line, exit 1 and nothing half written."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.samples import ROOT, SAMPLES, YANGQUAN, build_db, needs_samples

WANLI = SAMPLES / "shanghai-putuo-wanli-2024-dept-budget.pdf"
WELFARE = SAMPLES / "shanghai-putuo-welfare-home-2024-unit-budget.pdf"
FINAL = SAMPLES / "final" / "shanghai-putuo-finance-2024-dept-final.pdf"
WANLI_UNIT = "上海市普陀区人民政府万里街道办事处"

pytestmark = needs_samples


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three 2024 reports (a 部门预算, a 单位预算, a 部门决算) and the 阳泉 2023 text, from the session's parses."""
    return build_db(tmp_path_factory.mktemp("review") / "budget.duckdb", [WANLI, WELFARE, FINAL, YANGQUAN])


@pytest.fixture()
def con(db: Path):
    c = duckdb.connect(str(db), read_only=True)
    yield c
    c.close()


def _doc(con: duckdb.DuckDBPyConnection, source: str) -> str:
    return con.execute("SELECT doc_id FROM documents WHERE source_file = ?", [source]).fetchone()[0]


def _sheet(data: bytes):
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(data)).active


def _rows(ws) -> list[tuple[int, str | None, str | None, str | None]]:
    """(row, 检查项目, 符合要求, 问题描述) of every row under the header (merged cells read as None below the first)."""
    return [(r, ws.cell(r, 2).value, ws.cell(r, 3).value, ws.cell(r, 4).value) for r in range(5, ws.max_row + 1)]


def _image_rows(ws) -> list[int]:
    return sorted(img.anchor._from.row + 1 for img in ws._images)


# ------------------------------------------------------------------------------------------------ one report's sheet

def test_the_sheet_lists_the_form_in_order_with_verdicts_problems_and_pictures(con, db) -> None:
    from dashboard.export.review import report_sheet

    ws = _sheet(report_sheet(con, db, _doc(con, WANLI.name), search=[SAMPLES]))
    assert ws["A1"].value == f"2024年度{WANLI_UNIT}部门预算公开情况检查表"
    assert (ws["A2"].value, ws["B2"].value) == ("被检查单位", WANLI_UNIT)
    assert ws["B3"].value == WANLI.name
    assert [ws.cell(4, c).value for c in range(1, 6)] == ["序号", "检查项目", "符合要求", "问题描述", "问题截图"]
    rows = _rows(ws)
    labels = [label for _, label, _, _ in rows if label]
    assert labels[:8] == ["及时性", "内容规范性", "封面", "目录", "主要职能", "机构设置", "名词解释", "编制说明"]
    tables = [x for x in labels if x.startswith("《")]
    assert tables[0] == "《部门财务收支预算总表》" and tables[-1] == "《部门“三公”经费和机关运行经费预算表》"
    assert len(tables) == 9  # one line per printed table; the 三公 and 机关运行经费 kinds share one title
    assert labels[labels.index(tables[-1]) + 1:][:2] == ["其他相关情况说明", "项目经费情况说明"]
    verdict = {label: v for _, label, v, _ in rows if label}
    assert verdict["及时性"] == "未核对" and verdict["封面"] == "未核对"
    assert verdict["编制说明"] == "否" and verdict["《部门收入预算总表》"] == "是"
    assert verdict["《部门“三公”经费和机关运行经费预算表》"] == "否"

    # the 编制说明's four problems: one row each, numbered, with page and quoted words or both figures
    start = next(r for r, label, _, _ in rows if label == "编制说明")
    texts = [ws.cell(r, 4).value for r in range(start, start + 4)]
    assert [t.split(" ")[0] for t in texts] == ["1.", "2.", "3.", "4."]
    assert texts[0].startswith("1. 第9页：") and "应为 350.35万元，实际 352.67万元" in texts[0]
    assert texts[1].startswith("2. 第6页：") and "原文：“减少2.98%。主要原因" in texts[1]
    assert any(str(m) == f"C{start}:C{start + 3}" for m in ws.merged_cells.ranges)
    # each problem's picture in its own row: the four 说明 rows and the 三公 table's row
    three = next(r for r, label, _, _ in rows if label == "《部门“三公”经费和机关运行经费预算表》")
    assert _image_rows(ws) == [start, start + 1, start + 2, start + 3, three]
    for img in ws._images:  # scaled to the picture column, and the row as tall as its picture
        row = img.anchor._from.row + 1
        assert img.anchor._from.col == 4
        assert img.anchor.ext.width // 9525 <= 600 and img.anchor.ext.height // 9525 <= 520
        assert ws.row_dimensions[row].height >= img.anchor.ext.height / 9525 * 0.75


def test_a_final_names_its_parts_as_a_final_and_a_blank_page_sits_under_its_table(con, db) -> None:
    from dashboard.export.review import report_sheet

    ws = _sheet(report_sheet(con, db, _doc(con, FINAL.name), search=[SAMPLES]))
    assert ws["A1"].value == "2024年度上海市普陀区财政局部门决算公开情况检查表"
    rows = _rows(ws)
    labels = [label for _, label, _, _ in rows if label]
    assert "情况说明" in labels and "单位构成" in labels and "编制说明" not in labels
    blank = next(r for r, label, _, _ in rows if label == "《财政拨款收入支出决算总表》")
    assert ws.cell(blank, 3).value == "否" and "第14页为空白页" in ws.cell(blank, 4).value
    assert blank in _image_rows(ws)


def test_a_text_extraction_pictures_its_quoted_lines(con, db) -> None:
    from dashboard.export.review import collect, render

    sheet = render(collect(con, db, _doc(con, YANGQUAN.name), search=[YANGQUAN.parent]))
    item = next(i for i in sheet.items if i.label == "编制说明")
    assert item.verdict == "否" and item.problems[0].png is not None
    assert "“。；”标点重复" in item.problems[0].text
    cover = next(i for i in sheet.items if i.label == "封面")
    assert (cover.verdict, cover.reason) == ("未核对", "报告中没有这一部分")


def test_a_report_whose_file_is_not_at_hand_gets_the_note_in_its_picture_cells(con, db) -> None:
    from docx import Document

    from dashboard.export.review import NO_FILE, report_letter, report_sheet

    doc_id = _doc(con, WANLI.name)
    ws = _sheet(report_sheet(con, db, doc_id))  # no search folder: the stored name alone does not lead to it
    assert ws._images == []
    notes = [r for r in range(5, ws.max_row + 1) if ws.cell(r, 5).value == NO_FILE]
    assert len(notes) == 5 and all(ws.cell(r, 4).value for r in notes)
    letter = Document(io.BytesIO(report_letter(con, db, doc_id)))
    assert any(NO_FILE in p.text for p in letter.paragraphs) and len(letter.inline_shapes) == 0


def test_the_letter_carries_the_same_problems_and_pictures(con, db) -> None:
    from docx import Document

    from dashboard.export.review import report_letter

    letter = Document(io.BytesIO(report_letter(con, db, _doc(con, WANLI.name), search=[SAMPLES])))
    text = [p.text for p in letter.paragraphs]
    assert text[0].startswith(f"关于{WANLI_UNIT}") and text[0].endswith("部门预算公开情况的审查意见")
    assert text[1] == f"{WANLI_UNIT}："
    assert "一、编制说明" in text and "二、《部门“三公”经费和机关运行经费预算表》" in text
    assert any(t.startswith("1. 第9页：") for t in text)
    assert len(letter.inline_shapes) == 5
    assert any(t.startswith("以下项目本程序未能核对") and "及时性" in t for t in text)


# ------------------------------------------------------------------------------------------------------ the district

def test_the_district_folder_has_a_sheet_per_report_and_a_sorted_linked_summary(con, db, tmp_path) -> None:
    from openpyxl import load_workbook

    from dashboard.export.review import SUMMARY_NAME, district

    out = tmp_path / "2024检查表"
    told: list[tuple[int, int]] = []
    written = district(con, db, 2024, out, search=[SAMPLES], workers=1,
                       progress=lambda done, total, _unit: told.append((done, total)))
    assert told[-1] == (3, 3)
    files = sorted(p.name for p in out.iterdir())
    assert files == sorted([SUMMARY_NAME, f"{WANLI_UNIT}-部门预算.xlsx", "上海市普陀区社会福利院-单位预算.xlsx",
                            "上海市普陀区财政局-部门决算.xlsx"])
    assert [p for p in tmp_path.iterdir() if p.name.endswith(".part")] == []
    ws = load_workbook(out / SUMMARY_NAME).active
    header = [c.value for c in ws[3]]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=4)]
    totals = [r[header.index("问题合计")] for r in rows]
    assert totals == sorted(totals, reverse=True) == [w.total for w in written]
    assert {r[header.index("单位")] for r in rows} == {WANLI_UNIT, "上海市普陀区社会福利院", "上海市普陀区财政局"}
    for r in ws.iter_rows(min_row=4):
        link = r[header.index("检查表")]
        assert link.hyperlink is not None and (out / link.hyperlink.target).is_file()
    wanli = next(r for r in rows if r[1] == WANLI_UNIT)
    assert wanli[header.index("编制（情况）说明")] == 4 and wanli[header.index("报表")] == 1


def test_file_names_are_safe() -> None:
    from dashboard.export.review import safe_name

    name = safe_name("../上海/某局:*?", "部门预算")
    assert "/" not in name and "\\" not in name and ":" not in name and not name.startswith(".")
    assert name.endswith("部门预算.xlsx")


def test_an_interrupted_district_run_leaves_nothing(con, db, tmp_path, monkeypatch) -> None:
    from dashboard.export import review

    calls = []

    def stop(sheet):
        calls.append(sheet)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return b"x"

    monkeypatch.setattr(review, "sheet_xlsx", stop)
    with pytest.raises(KeyboardInterrupt):
        review.district(con, db, 2024, tmp_path / "out", workers=1, progress=False)
    assert list(tmp_path.iterdir()) == []


def test_unknown_unit_year_and_kind_say_what_the_database_has(con) -> None:
    from dashboard.export.review import ReviewError, district, find_report

    with pytest.raises(ReviewError, match="没有单位“某某局”.*上海市普陀区财政局"):
        find_report(con, "某某局", 2024)
    with pytest.raises(ReviewError, match="2019年.*该单位已有：2024年部门决算"):
        find_report(con, "上海市普陀区财政局", 2019)
    with pytest.raises(ReviewError, match="没有2019年的报告；已有的年度：2024年（3份）、2023年（1份）"):
        district(con, "x.duckdb", 2019, Path("never"))
    assert not Path("never").exists()
    assert find_report(con, " 上海市普陀区财政局 ", 2024)["doc_type"] == "部门决算"  # any printing of the name


def test_an_unwritable_district_folder_is_refused_before_any_work(con, db, tmp_path) -> None:
    from dashboard.export.review import ReviewError, district

    blocker = tmp_path / "afile"
    blocker.write_text("")
    with pytest.raises(ReviewError, match="无法写入"):
        district(con, db, 2024, blocker / "sub" / "out", workers=1, progress=False)
    with pytest.raises(ReviewError, match="已是一个文件"):
        district(con, db, 2024, blocker, workers=1, progress=False)


# ----------------------------------------------------------------------------------------------------------- the CLI

def _cli(capsys, *argv: str) -> tuple[int, str, str]:
    from etl.__main__ import main

    code = main(["review", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_writes_the_sheet_and_the_letter(db, tmp_path, capsys) -> None:
    from openpyxl import load_workbook

    sheet, letter = tmp_path / "检查表.xlsx", tmp_path / "审查意见.docx"
    code, out, err = _cli(capsys, "--db", str(db), "--unit", "上海市普陀区社会福利院", "--year", "2024",
                          "--out", str(sheet), "--docx", str(letter), "--search", str(SAMPLES))
    assert code == 0, err
    assert "已生成检查表" in out and "已生成审查意见" in out
    assert load_workbook(sheet).active["A1"].value == "2024年度上海市普陀区社会福利院单位预算公开情况检查表"
    assert letter.stat().st_size > 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([sheet.name, letter.name])


@pytest.mark.parametrize(("argv", "message"), [
    (["--unit", "某某局", "--year", "2024"], "错误：数据库中没有单位“某某局”的报告"),
    (["--unit", "上海市普陀区财政局", "--year", "2030"], "错误：数据库中没有“上海市普陀区财政局”2030年的报告"),
    (["--year", "2030"], "错误：数据库中没有2030年的报告；已有的年度："),
    (["--unit", "上海市普陀区财政局", "--year", "2024", "--out", "{tmp}/no/such/dir/x.xlsx"], "错误：无法写入"),
    (["--unit", "上海市普陀区财政局", "--year", "2024", "--out", "{tmp}/x.pdf"], "错误：输出文件"),
])
def test_cli_bad_input_is_one_line_exit_1_and_nothing_written(db, tmp_path, capsys, argv, message) -> None:
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    if "--out" not in argv:
        argv += ["--out", str(tmp_path / ("x.xlsx" if "--unit" in argv else "dir"))]
    code, out, err = _cli(capsys, "--db", str(db), *argv)
    assert code == 1 and out == ""
    assert err.startswith(message) and len(err.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_cli_missing_database(tmp_path, capsys) -> None:
    code, _, err = _cli(capsys, "--db", str(tmp_path / "none.duckdb"), "--year", "2024", "--out", str(tmp_path / "o"))
    assert code == 1 and err.startswith("错误：找不到数据库") and list(tmp_path.iterdir()) == []


def test_cli_file_not_at_hand_still_writes_the_sheet_and_says_so(db, tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)  # the stored file names lead nowhere from here, and no --search is given
    code, out, err = _cli(capsys, "--db", str(db), "--unit", WANLI_UNIT, "--year", "2024", "--out", "s.xlsx")
    assert code == 1 and "已生成检查表" in out
    assert err.startswith("注意：找不到报告原文件") and "原文件不在，无法截图" in err
    assert (tmp_path / "s.xlsx").is_file()


def test_cli_district_end_to_end_in_worker_processes(db, tmp_path) -> None:
    """As an operator runs it: a fresh interpreter, the pictures drawn in 2 spawned workers."""
    out = tmp_path / "检查表"
    res = subprocess.run([sys.executable, "-m", "etl", "review", "--db", str(db), "--year", "2024", "--out", str(out),
                          "--search", str(SAMPLES)], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr[-2000:]
    assert res.stderr.strip() == ""  # no query-cache notices, no warnings
    assert "已生成 3 张检查表和 汇总.xlsx" in res.stdout
    assert len(list(out.glob("*.xlsx"))) == 4


def test_review_help_loads_no_heavy_module() -> None:
    from tests.test_startup import HEAVY, loaded_after

    code = "from etl.__main__ import main\ntry:\n    main(['review', '--help'])\nexcept SystemExit:\n    pass\n"
    assert loaded_after(code) & set(HEAVY) == set()
