"""原页 on 数据核对: every finding opens to its page as a picture, drawn only when opened and kept per report version;
a report whose file is not at hand says so in words, never with an error.

The report's file is found as the app finds it (dashboard/evidence_view.py): the upload stored by hash beside the
database, or the repo's data/raw for the shipped 阳泉 text (the CLI records a file's name only).
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import evidence_view, findings
from tests.samples import SAMPLES, build_db, needs_samples

APP = str(Path(__file__).resolve().parents[1] / "app.py")
WANLI = SAMPLES / "shanghai-putuo-wanli-2023-dept-budget.pdf"
WANLI_UNIT = "上海市普陀区人民政府万里街道办事处"
PNG = b"\x89PNG\r\n\x1a\n"


def _as_uploaded(db: Path, report: Path) -> None:
    """Store the report beside the database as the 导入 page stores an upload: uploads/<sha256[:32]>.pdf."""
    folder = db.parent / "uploads"
    folder.mkdir(exist_ok=True)
    sha = hashlib.sha256(report.read_bytes()).hexdigest()
    shutil.copy(report, folder / f"{sha[:32]}{report.suffix}")


@pytest.fixture(scope="module")
def pdf_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """万里 2023 (a PDF with findings in its 说明), its file stored as an upload."""
    db = build_db(tmp_path_factory.mktemp("pictures") / "budget.duckdb", [WANLI])
    _as_uploaded(db, WANLI)
    return db


@pytest.fixture(scope="module")
def moved_db(pdf_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same database where the report's file is gone (ingested on the command line from a path since moved)."""
    db = tmp_path_factory.mktemp("moved") / "budget.duckdb"
    shutil.copy(pdf_db, db)
    return db


def _checks_page(unit: str, year: int) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["unit"] = unit
    at.query_params["year"] = str(year)
    at.run()
    at.switch_page("pages/checks.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _key(expander) -> str:
    return expander.proto.id.split("-", 2)[-1]  # "$$ID-<hash>-<key>": the widget key the page gave it


def _page_expanders(at: AppTest) -> list:
    return [e for e in at.expander if _key(e).startswith("page_of_")]


@needs_samples
def test_a_finding_opens_to_its_page_with_the_words_boxed(pdf_db: Path, use_db) -> None:
    use_db(pdf_db)
    at = _checks_page(WANLI_UNIT, 2023)
    shown = _page_expanders(at)
    assert shown and all(e.label.startswith("查看原页") for e in shown)
    assert any(e.label.startswith("查看原页（第") and e.label.endswith("页）") for e in shown)
    assert not at.get("image"), "no picture is drawn before its finding is opened"
    first = shown[0]
    at.session_state[_key(first)] = True
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    opened = next(e for e in _page_expanders(at) if _key(e) == _key(first))
    images = [c for c in opened.children.values() if c.type == "image"]
    assert len(images) == 1 and images[0].value[0]  # served as a media URL
    assert [c for c in opened.children.values() if c.type == "caption"], "the note under the picture"
    assert len(at.get("image")) == 1, "only the opened finding's picture"


@needs_samples
def test_each_finding_of_the_pdf_has_a_boxed_picture(pdf_db: Path, use_db) -> None:
    use_db(pdf_db)
    doc_id = hashlib.sha256(WANLI.read_bytes()).hexdigest()[:16]
    found = [f for p in findings.review_of(doc_id, "budget") for f in p.findings]
    assert found
    for f in found:
        check_id = evidence_view.check_id_of(doc_id, f)
        assert check_id, f.description
        pic = evidence_view.page_picture(doc_id, check_id)
        assert pic.png and pic.png.startswith(PNG), (check_id, pic.note)
        assert pic.page == f.places[0].page
        assert evidence_view.page_picture(doc_id, check_id) is not None  # and again, from the cache


@needs_samples
def test_a_report_without_its_file_says_so(moved_db: Path, use_db) -> None:
    use_db(moved_db)
    at = _checks_page(WANLI_UNIT, 2023)
    first = _page_expanders(at)[0]
    at.session_state[_key(first)] = True
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.get("image")
    assert evidence_view.MISSING in [i.value for i in at.info]


def test_the_shipped_text_report_is_found_in_data_raw(yangquan_db: Path, use_db) -> None:
    """`make db` loads data/raw and records the file's name only: the app finds it there and draws the quoted
    lines."""
    use_db(yangquan_db)
    from dashboard import queries

    doc_id = str(queries.documents()["doc_id"].iloc[0])
    found = [f for p in findings.review_of(doc_id, "budget") for f in p.findings]
    assert found
    pic = evidence_view.page_picture(doc_id, evidence_view.check_id_of(doc_id, found[0]))
    assert pic.png and pic.png.startswith(PNG), pic.note


@needs_samples
def test_the_reviewers_two_files_download_from_the_page(pdf_db: Path, use_db) -> None:
    """下载公开情况检查表（Excel） and 下载审查意见（Word） sit under the 检查表's heading and write the report's files
    (their content is dashboard/export/review.py's to test)."""
    if not evidence_view.has_review_files():
        pytest.skip("dashboard/export/review.py is not in this build")
    use_db(pdf_db)
    at = _checks_page(WANLI_UNIT, 2023)
    labels = [b.proto.label for b in at.get("download_button")]
    assert "下载公开情况检查表（Excel）" in labels and "下载审查意见（Word）" in labels
    doc_id = hashlib.sha256(WANLI.read_bytes()).hexdigest()[:16]
    assert evidence_view.review_sheet(doc_id).startswith(b"PK")  # an .xlsx is a zip
    assert evidence_view.review_letter(doc_id).startswith(b"PK")  # and so is a .docx
