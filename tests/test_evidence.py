"""问题截图 (dashboard/export/evidence.py): the red box sits on the offending words or cell, or there is none.

A PDF of our own (Chromium prints HTML, as report templates are printed) plants a wrong percentage in a sentence, a
quote that wraps over two lines, a ruled 元 table with a known cell beside many 0.00 cells, and a 万元 table; each
box is compared with pdfplumber's own characters at that place. On the real samples, every failing check's picture
must locate its quote, sentence or figures.
"""

from __future__ import annotations

import hashlib
import html
import io
import time
import unicodedata
from decimal import Decimal
from pathlib import Path

import duckdb
import pdfplumber
import pytest
from PIL import Image

from dashboard.export.evidence import Picture, figure_forms, finding_inputs, finding_picture, locate
from tests.samples import SAMPLES, YANGQUAN, build_db, needs_samples

RES = 110
WRAPPED = "预算执行率偏低的主要原因是部分项目因政策调整暂缓实施"
STYLE = """
body { font-family: 'Noto Sans CJK SC', sans-serif; font-size: 11pt; }
table { border-collapse: collapse; margin: 4pt 0 10pt 0; }
td, th { border: 1px solid #000; padding: 3pt 6pt; min-width: 40pt; height: 14pt; }
"""


def _table(unit: str, rows: list[list[str]]) -> str:
    cells = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>" for r in rows)
    return f'<p style="text-align:right">单位：{unit}</p><table>{cells}</table>'


@pytest.fixture(scope="module")
def planted_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One page: a sentence with a wrong 12.34%, a sentence wrapped inside a narrow box, a 元 table and a 万元
    table."""
    from tests.fixtures.app_server import system_chromium

    body = (
        "<p>一、本年支出预算312.14万元，比上年预算增加12.34%，主要原因是人员经费增加。</p>"
        f'<p style="width:150pt">二、本年{WRAPPED}。</p>'
        + _table("元", [["科目编码", "科目名称", "合计", "基本支出", "项目支出"],
                        ["201", "一般公共服务支出", "312,142.00", "0.00", "0.00"],
                        ["20101", "人大事务", "312,142.00", "0.00", "0.00"],
                        ["205", "教育支出", "0.00", "0.00", "0.00"]])
        + _table("万元", [["项目", "金额"], ["公务接待费", "31.21"], ["合计", "3,121.42"]])
    )
    page = f"<html><head><meta charset='utf-8'><style>{STYLE}</style></head><body>{body}</body></html>"
    path = tmp_path_factory.mktemp("evidence") / "planted.pdf"
    with system_chromium() as (_, browser):
        tab = browser.new_page()
        tab.set_content(page)
        tab.pdf(path=str(path), format="A4")
    return path


def _chars_in(path: Path, box: tuple[float, float, float, float], page: int = 1) -> str:
    """The characters pdfplumber places inside a box (their centres), in reading order."""
    with pdfplumber.open(path) as pdf:
        pg = pdf.pages[page - 1].dedupe_chars()
        inside = [c for c in pg.chars if box[0] <= (c["x0"] + c["x1"]) / 2 <= box[2]
                  and box[1] <= (c["top"] + c["bottom"]) / 2 <= box[3]]
    text = "".join(c["text"] for c in sorted(inside, key=lambda c: (round(c["top"]), c["x0"])))
    return unicodedata.normalize("NFKC", text)  # Chromium's text layer prints 人 as the radical ⼈


def _red_share(pic: Picture, box: tuple[float, float, float, float], scale: float) -> float:
    """Share of strongly red pixels on the box's outline band (PDF points → pixels at the picture's scale)."""
    img = Image.open(io.BytesIO(pic.png)).convert("RGB")
    x0, top, x1, bottom = (round(v * scale) for v in box)
    px = img.load()
    band = [(x, y) for x in range(x0, x1) for y in (top + 1, bottom - 2)] + \
           [(x, y) for y in range(top, bottom) for x in (x0 + 1, x1 - 2)]
    red = sum(1 for x, y in band if px[x, y][0] > 180 and px[x, y][1] < 80 and px[x, y][2] < 80)
    return red / len(band)


def _page_size(path: Path) -> tuple[int, int]:
    with pdfplumber.open(path) as pdf:
        pg = pdf.pages[0]
        return round(pg.width * RES / 72), round(pg.height * RES / 72)


def test_wrong_percentage_is_boxed_over_its_words(planted_pdf: Path) -> None:
    pic = finding_picture(planted_pdf, 1, quote="增加12.34%", resolution=RES)
    assert pic.located and pic.page == 1 and len(pic.boxes) == 1, pic.note
    assert _chars_in(planted_pdf, pic.boxes[0]) == "增加12.34%"
    img = Image.open(io.BytesIO(pic.png))
    assert img.format == "PNG" and abs(img.size[0] - _page_size(planted_pdf)[0]) <= 1
    assert abs(img.size[1] - _page_size(planted_pdf)[1]) <= 1 and pic.size == img.size
    assert _red_share(pic, pic.boxes[0], RES / 72) > 0.8


def test_a_quote_wrapped_over_two_lines_is_two_boxes(planted_pdf: Path) -> None:
    quote = "部分项目因政策调整暂缓实施"
    with pdfplumber.open(planted_pdf) as pdf:
        text = pdf.pages[0].extract_text()
    assert quote not in text.replace(" ", ""), "the planted sentence should wrap inside the quote"
    pic = finding_picture(planted_pdf, 1, quote=quote, resolution=RES)
    assert pic.located and len(pic.boxes) == 2, pic.boxes
    first, second = sorted(pic.boxes, key=lambda b: b[1])
    assert second[1] > first[3] - 1, "one box per printed line, the second below the first"
    assert _chars_in(planted_pdf, first) + _chars_in(planted_pdf, second) == quote
    assert all(_red_share(pic, b, RES / 72) > 0.8 for b in pic.boxes)


def test_a_figure_in_yuan_is_boxed_in_the_quoted_row(planted_pdf: Path) -> None:
    pic = finding_picture(planted_pdf, 1, quote="人大事务", figures=[Decimal("312142.00")], unit="元",
                          resolution=RES)
    texts = sorted(_chars_in(planted_pdf, b) for b in pic.boxes)
    assert texts == ["312,142.00", "人大事务"], "the 201 row prints the same figure and must stay unboxed"
    label, cell = sorted(pic.boxes, key=lambda b: b[0])
    assert abs((label[1] + label[3]) - (cell[1] + cell[3])) < 2, "the figure's box is on the label's row"


def test_a_common_figure_is_not_boxed_everywhere(planted_pdf: Path) -> None:
    pic = finding_picture(planted_pdf, 1, figures=[Decimal("0")], unit="元", resolution=RES)
    assert not pic.located and pic.boxes == [] and "多处" in pic.note
    few = finding_picture(planted_pdf, 1, figures=[Decimal("312142")], unit="元", resolution=RES)
    assert few.located and len(few.boxes) == 2 and "2处" in few.note


def test_a_figure_printed_in_wanyuan_is_found_from_yuan(planted_pdf: Path) -> None:
    assert figure_forms(Decimal("31214200.00"), "万元")[:2] == ["3,121.42", "3121.42"]
    pic = finding_picture(planted_pdf, 1, figures=[Decimal("312142.00")], unit="万元", resolution=RES)
    assert pic.located and [_chars_in(planted_pdf, b) for b in pic.boxes] == ["31.21"]
    pic = finding_picture(planted_pdf, 1, figures=[Decimal("31214200")], unit="万元", resolution=RES)
    assert [_chars_in(planted_pdf, b) for b in pic.boxes] == ["3,121.42"]


def test_words_not_on_the_page_give_the_bare_page(planted_pdf: Path) -> None:
    pic = finding_picture(planted_pdf, 1, quote="这句话不在页面上", figures=[Decimal("999.99")], resolution=RES)
    assert not pic.located and pic.boxes == [] and pic.note
    size = Image.open(io.BytesIO(pic.png)).size
    assert all(abs(a - b) <= 1 for a, b in zip(size, _page_size(planted_pdf), strict=True))


def test_text_outside_the_page_box_is_not_boxed(tmp_path: Path, planted_pdf: Path) -> None:
    """A PDF may carry words past the page's edge; they are not printed, so they are not evidence."""
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(planted_pdf)
    writer = PdfWriter()
    page = reader.pages[0]
    top = float(page.mediabox.top)
    for box in (page.mediabox, page.cropbox):
        box.lower_left = (0, top - 110)  # keep the two sentences, cut the tables off
    writer.add_page(page)
    cut = tmp_path / "cut.pdf"
    with cut.open("wb") as f:
        writer.write(f)
    with pdfplumber.open(cut) as pdf:
        assert "公务接待费" in "".join(c["text"] for c in pdf.pages[0].chars), "the file still carries the words"
    assert finding_picture(cut, 1, quote="增加12.34%").located
    gone = finding_picture(cut, 1, quote="公务接待费", figures=[Decimal("312142")], unit="万元")
    assert not gone.located and gone.boxes == []


def test_a_text_extraction_is_pictured_as_its_lines(tmp_path: Path) -> None:
    # a line is on page N between the marks -N-1- and -N- (etl/read/text.py): page 1's lines have no certain page
    lines = ["封面", "-1-", "一、收入预算情况"] + [f"第{i}行说明文字。" for i in range(1, 9)] + [
        "本年收入预算3,623.26万元，比上年增加574.68万元，增加18.85%，", "主要原因是人员经费增加。。", "-2-",
        "二、支出预算情况", "本年支出预算3,623.26万元。", "-3-"]
    path = tmp_path / "report.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    pic = finding_picture(path, 2, quote="增加18.85%，主要原因", resolution=RES)
    assert pic.located and pic.page == 2 and len(pic.boxes) == 2, pic.note
    img = Image.open(io.BytesIO(pic.png)).convert("RGB")
    assert img.size == pic.size and img.size[1] > 11 * 20, "the lines of page 2 and a title"
    for x0, top, x1, _bottom in pic.boxes:
        edge = [img.getpixel((x, round(top) + 1)) for x in range(round(x0) + 2, round(x1) - 2)]
        assert all(p[0] > 180 and p[1] < 80 for p in edge)
    two = finding_picture(path, 3, quote="支出预算3,623.26万元")
    assert two.located and two.page == 3 and len(two.boxes) == 1
    # without page marks: the lines around the match, with the file's name as title
    bare = tmp_path / "bare.txt"
    bare.write_text("\n".join(f"第{i}行。" for i in range(40)) + "\n引文在这里。\n", encoding="utf-8")
    pic = finding_picture(bare, None, quote="引文在这里")
    assert pic.located and pic.page is None and len(pic.boxes) == 1
    assert Image.open(io.BytesIO(pic.png)).size[1] < 20 * 40, "±6 lines, not the whole file"


def _doc(path: Path, source_file: str) -> dict:
    return {"sha256": hashlib.sha256(path.read_bytes()).hexdigest(), "source_file": source_file,
            "source_kind": "pdf" if path.suffix == ".pdf" else "text"}


def test_locate_by_upload_source_and_search(tmp_path: Path, planted_pdf: Path, monkeypatch) -> None:
    db = tmp_path / "db" / "budget.duckdb"
    (db.parent / "uploads").mkdir(parents=True)
    data = planted_pdf.read_bytes()
    doc = _doc(planted_pdf, "不在此处.pdf")
    stored = db.parent / "uploads" / f"{doc['sha256'][:32]}.pdf"
    stored.write_bytes(data)
    assert locate(db, doc) == stored
    stored.unlink()
    assert locate(db, doc) is None
    # the source file as given: absolute, or relative to the working directory
    assert locate(db, dict(doc, source_file=str(planted_pdf))) == planted_pdf
    monkeypatch.chdir(planted_pdf.parent)
    assert locate(db, dict(doc, source_file=planted_pdf.name)) == Path(planted_pdf.name)
    monkeypatch.chdir(tmp_path)
    # a folder to search, the file renamed and nested
    folder = tmp_path / "reports" / "2023"
    folder.mkdir(parents=True)
    (folder / "other.pdf").write_bytes(data[:-10] + b"0123456789")
    (folder / "renamed.pdf").write_bytes(data)
    assert locate(db, doc, [tmp_path / "reports"]) == folder / "renamed.pdf"
    # same name, other bytes: never taken
    (folder / "renamed.pdf").write_bytes(data[:-10] + b"9876543210")
    (db.parent / "uploads" / f"{doc['sha256'][:32]}.pdf").write_bytes(data + b"\n")
    assert locate(db, dict(doc, source_file=str(folder / "renamed.pdf")), [tmp_path / "reports"]) is None
    assert locate(db, dict(doc, sha256="nothex")) is None


# ------------------------------------------------------------------------------------------------- real samples

SAMPLE_NAMES = ["shanghai-putuo-wanli-2023-dept-budget.pdf", "final/shanghai-putuo-finance-2024-dept-final.pdf"]


@pytest.fixture(scope="module")
def samples_evidence_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    files = [SAMPLES / n for n in SAMPLE_NAMES if (SAMPLES / n).exists()] + ([YANGQUAN] if YANGQUAN.exists() else [])
    return build_db(tmp_path_factory.mktemp("evidence_db") / "budget.duckdb", files)


@needs_samples
def test_every_failing_check_of_the_samples_is_located(samples_evidence_db: Path) -> None:
    """Each failing check's picture boxes its quote, its sentence or its figures — except a blank page, which is
    the finding itself. Times the pictures: a 检查表 of a report renders dozens of them."""
    con = duckdb.connect(str(samples_evidence_db), read_only=True)
    docs = {r[0]: dict(zip([d[0] for d in con.description], r, strict=True))
            for r in con.execute("SELECT * FROM documents").fetchall()}
    rows = con.execute("SELECT * FROM checks WHERE passed = false ORDER BY doc_id, page").fetchall()
    cols = [d[0] for d in con.description]
    assert rows, "the samples have failing checks"
    missed, seconds = [], []
    for row in rows:
        check = dict(zip(cols, row, strict=True))
        path = locate(samples_evidence_db, docs[check["doc_id"]], [SAMPLES, YANGQUAN.parent])
        assert path is not None, docs[check["doc_id"]]["source_file"]
        args = finding_inputs(con, check)
        start = time.perf_counter()
        pic = finding_picture(path, args.pop("page"), **args)
        seconds.append(time.perf_counter() - start)
        if check["rule"] == "structure.blank_pages":
            assert not pic.located, "a blank page has nothing to box"
            continue
        if not pic.located:
            missed.append((check["check_id"], pic.note))
        elif path.suffix == ".pdf" and args["quote"]:
            boxed = "".join(_chars_in(path, b, pic.page) for b in pic.boxes)
            words = unicodedata.normalize("NFKC", args["quote"].replace("…", "").replace(" ", ""))
            assert set(words) <= set(boxed), (check["check_id"], boxed)  # a form prints figures off its line
    con.close()
    assert missed == []
    assert max(seconds) < 5, f"slowest picture {max(seconds):.2f}s"
