"""Whatever officials download: every bad input has a tested outcome, a clear message and an exit code, and a
refused file leaves the database exactly as it was (content digest before and after).

All inputs are generated here from the shipped 阳泉 text or from scratch; none is a committed binary.
"""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfWriter

from etl.__main__ import main as cli
from etl.store.write import connect

from .pdf_fixtures import encrypted_pdf, scanned_pdf, text_pdf
from .samples import SAMPLES, YANGQUAN, build_db
from .test_cli import db_digest

REPORT = YANGQUAN.read_text(encoding="utf-8")


def variant(old: str, new: str, count: int = 1) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        assert old in REPORT, old
        path.write_text(REPORT.replace(old, new, count), encoding="utf-8")
    return make


def write_bytes(data: bytes) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(data)


def truncated_text_pdf(path: Path) -> None:
    text_pdf(path, ["hello"] * 20)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])


def docx(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document>预算</w:document>")


def many_pages(path: Path) -> None:
    w = PdfWriter()
    for _ in range(1001):
        w.add_blank_page(width=200, height=200)
    with path.open("wb") as f:
        w.write(f)


def without_table3(path: Path) -> None:
    start = REPORT.index("     预算公开表3")
    end = REPORT.index("      预算公开表4")
    path.write_text(REPORT[:start] + REPORT[end:], encoding="utf-8")


def extra_unknown_table(path: Path) -> None:
    extra = "\n 预算公开表14\n2023年某某专项资金分配预算表\n单位名称：阳泉市文化和旅游局 单位：万元\n项目 金额\n甲项目 1.00\n"
    path.write_text(REPORT.replace(" 第三部分 2023年度单位预算情况说明", extra + " 第三部分 2023年度单位预算情况说明"),
                    encoding="utf-8")


def renamed_headers(path: Path) -> None:
    text = (REPORT.replace("科目编码 科目名称 合计 基本支出 项目支出", "功能科目编码 功能科目名称 小计 基本支出 项目支出")
            .replace("2023年预算收支总表", "2023年部门收支预算总表"))
    path.write_text(text, encoding="utf-8")


# name, maker, expected status, message fragment (None: no message check); "unparsed": loads with one table unread
CASES: list[tuple[str, Callable[[Path], None], str, str | None]] = [
    ("empty.pdf", write_bytes(b""), "refused", "文件为空"),
    ("empty.txt", write_bytes(b""), "refused", "文件为空"),
    ("truncated.pdf", truncated_text_pdf, "refused", "PDF"),
    ("encrypted.pdf", lambda p: encrypted_pdf(p, text_pdf(p.with_suffix(".src"), ["secret"])), "refused", "PDF已加密"),
    ("scan.pdf", scanned_pdf, "refused", "没有文字层"),
    ("page.pdf", write_bytes(b"<!DOCTYPE html><html><body>download failed</body></html>"), "refused", "不是PDF文件"),
    ("renamed-docx.pdf", docx, "refused", "不是PDF文件"),
    ("letter.pdf", lambda p: text_pdf(p, ["Quarterly newsletter", "Nothing about budgets."]), "refused", "不是预算公开报告"),
    ("binary.txt", write_bytes(bytes(range(256)) * 8), "refused", "不是文本文件"),
    ("minutes.txt", write_bytes("会议纪要\n一、会议内容\n讨论了工作。\n".encode()), "refused", "不是预算公开报告"),
    ("report.docx", docx, "refused", "不支持的文件类型"),
    ("pdf-named.txt", lambda p: text_pdf(p, ["x"]), "refused", "内容是PDF"),
    ("huge.pdf", many_pages, "refused", "超过1000页"),
    ("title-only.txt", write_bytes("阳泉市文化和旅游局2023年单位预算公开报告\n第一部分 概况\n".encode()), "refused", "不是预算公开报告"),
    ("garbled-commas.txt", variant("2070108 文化活动 40.00  40.00", "2070108 文化活动 4,0.00  40.00"), "unparsed",
     "1张表未能解析"),
    ("garbled-dash.txt", variant("2070109 群众文化 15.00  15.00", "2070109 群众文化 —  15.00"), "unparsed",
     "1张表未能解析"),
    ("garbled-star.txt", variant("2070113 旅游宣传 348.00  348.00", "2070113 旅游宣传 ＊  348.00"), "unparsed",
     "1张表未能解析"),
    ("extra-amount.txt", variant("2070199 其他文化和旅游支出 20.00  20.00", "2070199 其他文化和旅游支出 20.00 20.00 20.00 20.00"),
     "unparsed", "1张表未能解析"),
    ("table-removed.txt", without_table3, "findings", "未找到支出总表"),
    ("unknown-table.txt", extra_unknown_table, "findings", "未识别的表"),
    ("wrong-total.txt", variant("合计 3,623.26 425.21 3,198.06", "合计 3,623.36 425.21 3,198.16"), "findings", None),
    ("renamed-headers.txt", renamed_headers, "loaded", None),
    ("gbk.txt", lambda p: p.write_bytes(REPORT.encode("gb18030")), "loaded", None),
    ("utf16.txt", lambda p: p.write_bytes(REPORT.encode("utf-16")), "loaded", None),
    ("bom.txt", lambda p: p.write_bytes(b"\xef\xbb\xbf" + REPORT.encode()), "loaded", None),
    ("crlf.txt", lambda p: p.write_bytes(REPORT.replace("\n", "\r\n").encode()), "loaded", None),
    ("no-unit-line.txt", variant("单位名称：阳泉市文化和旅游局  单位：万元\n\n项目 2023年预算数", "单位名称：阳泉市文化和旅游局\n\n项目 2023年预算数"),
     "findings", "没有印金额单位"),
    ("missing.pdf", None, "refused", "文件不存在"),
]
if (SAMPLES / "shanghai-putuo-wanli-2023-dept-budget.pdf").exists():
    sample = (SAMPLES / "shanghai-putuo-wanli-2023-dept-budget.pdf").read_bytes()
    CASES += [
        ("truncated-real.pdf", write_bytes(sample[: len(sample) // 2]), "refused", None),
        ("garbage-tail.pdf", write_bytes(sample + b"\x00garbage" * 100), "loaded", None),
    ]


@pytest.fixture(scope="module")
def loaded_db(tmp_path_factory) -> Path:
    """A database already holding a report, so a refusal can be shown to leave it untouched."""
    return build_db(tmp_path_factory.mktemp("base") / "base.duckdb", [YANGQUAN])


def test_corpus_is_large_enough():
    assert len(CASES) >= 28


@pytest.mark.parametrize(("name", "make", "expected", "fragment"), CASES, ids=[c[0] for c in CASES])
def test_bad_input(name, make, expected, fragment, tmp_path, loaded_db, capsys):
    path = tmp_path / name
    if make is not None:
        make(path)
    if expected == "refused":
        db = tmp_path / "db.duckdb"
        shutil.copy(loaded_db, db)
        before = db_digest(db)
    else:
        db = tmp_path / "fresh.duckdb"  # the variants are the same unit and year as the base report
    code = cli(["ingest", str(path), "--db", str(db), "--workers", "1", "-v"])
    out = capsys.readouterr()
    text = out.out + out.err
    assert name in text
    if expected == "refused":
        assert code == 1
        assert "[已拒绝]" in text
        assert db_digest(db) == before
    else:
        assert code == 0, text
        assert "[已导入]" in text
        con = connect(db, read_only=True)
        assert con.execute("SELECT count(*) FROM documents").fetchall()[0][0] == 1
        failed = con.execute("SELECT count(*) FROM checks WHERE NOT passed").fetchall()[0][0]
        warnings = con.execute("SELECT count(*) FROM ingest_issues WHERE severity='warning'").fetchall()[0][0]
        con.close()
        if name == "wrong-total.txt":
            assert failed > 0  # the report's own arithmetic no longer adds up: a finding, not a refusal
        if expected == "findings":
            assert failed > 0 or warnings > 0
        if expected == "unparsed":  # one table cannot be read: it is named, gives no rows, its checks are not run
            con = connect(db, read_only=True)
            assert con.execute("SELECT count(*) FROM report_tables WHERE status='unparsed' AND problem IS NOT NULL"
                               ).fetchall()[0][0] == 1
            assert con.execute("SELECT count(*) FROM checks WHERE passed IS NULL").fetchall()[0][0] > 0
            con.close()
    if fragment:
        assert fragment in text


def test_same_file_twice_changes_nothing(tmp_path, loaded_db, capsys):
    db = tmp_path / "db.duckdb"
    shutil.copy(loaded_db, db)
    before = db_digest(db)
    assert cli(["ingest", str(YANGQUAN), str(YANGQUAN), "--db", str(db)]) == 0
    assert db_digest(db) == before
    assert capsys.readouterr().out.count("[未变化]") == 2


def test_second_report_for_same_unit_and_year_is_refused(tmp_path, loaded_db, capsys):
    db = tmp_path / "db.duckdb"
    shutil.copy(loaded_db, db)
    before = db_digest(db)
    other = tmp_path / "corrected.txt"
    other.write_text(REPORT.replace("2070108 文化活动 40.00  40.00", "2070108 文化活动 40.00  40.00 "), encoding="utf-8")
    assert cli(["ingest", str(other), "--db", str(db)]) == 1
    assert "已有阳泉市文化和旅游局2023年单位预算" in capsys.readouterr().err
    assert db_digest(db) == before


def test_empty_folder(tmp_path, capsys):
    (tmp_path / "in").mkdir()
    assert cli(["ingest", str(tmp_path / "in"), "--db", str(tmp_path / "x.duckdb")]) == 2
    assert "没有找到" in capsys.readouterr().err
