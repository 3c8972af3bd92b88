"""The one name key: what it folds (spaces, bracket widths, quotes, 其它/其他), what it keeps apart, and that its
SQL spelling gives the same key as the Python function for any text."""

from __future__ import annotations

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from etl.read.names import FOLD_FROM, SPACES, name_key, sql_name_key, with_keys


@pytest.mark.parametrize(("a", "b"), [
    ("山西省群众文化惠民工程(四\n个一批市县部分)", "山西省群众文化惠民工程（四个一批市县部分）"),  # wrap and bracket width
    ("其它文化和旅游支出", "其他文化和旅游支出"),
    ("全省第七旅发大会阳泉分会场“大美太行在山西宣传活动”项目", '全省第七旅发大会阳泉分会场"大美太行在山西宣传活动"项目'),
    ("阳泉市文化和旅游局\u3000（本级）", "阳泉市文化和旅游局(本级)"),
    ("[30202]印刷费", "【30202】印刷费"),
])
def test_printings_of_one_name_share_a_key(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize(("a", "b"), [
    ("2023年旅游宣传推广", "2024年旅游宣传推广"), ("专项业务工作经费", "专项业务经费"), ("其它支出", "其余支出"),
])
def test_different_names_stay_different(a: str, b: str) -> None:
    assert name_key(a) != name_key(b)


def test_no_name_is_an_empty_key_and_keys_are_written_beside_their_names() -> None:
    assert name_key(None) == "" and name_key("") == ""
    rows = with_keys("projects", [{"name": "群众文化 系列活动(经费)"}, {"name": None}])
    assert rows == [{"name": "群众文化 系列活动(经费)", "name_key": "群众文化系列活动（经费）"}, {"name": None, "name_key": None}]
    assert with_keys("func_lines", [{"name": "x"}]) == [{"name": "x"}]


_text = st.text(alphabet=st.sampled_from(list(FOLD_FROM + SPACES + "（）【】\"'其它他项目经费a1") + ["\u4e00", "'"]),
                max_size=30)


@pytest.fixture(scope="module")
def con():
    con = duckdb.connect()
    yield con
    con.close()


@settings(max_examples=200, deadline=None)
@given(text=_text)
def test_sql_key_equals_python_key(con, text: str) -> None:
    assert con.execute(f"SELECT {sql_name_key('?')}", [text]).fetchone()[0] == name_key(text)


def test_a_project_printed_with_other_brackets_next_year_is_the_same_project(tmp_path) -> None:
    """The 阳泉 report and a generated next year whose project list prints one name with full-width brackets: the
    key stored at ingest pairs them (延续), where matching the printed names would say 新增 and 结束."""
    from tests.fixtures.parsed import write_db
    from tests.fixtures.reports import REAL_UNIT, report_text
    from tests.samples import YANGQUAN

    name = "山西省群众文化惠民工程(四个一批市县部分)"
    later = tmp_path / "generated-2024.txt"
    later.write_text(report_text(REAL_UNIT, 2024).replace("　　山西省群众文化惠民工程(四\n个一批市县部分)",
                                                          "　　山西省群众文化惠民工程（四\n个一批市县部分）"), encoding="utf-8")
    db = write_db(tmp_path / "b.duckdb", [YANGQUAN, later])
    con = duckdb.connect(str(db), read_only=True)
    try:
        printed = con.execute("SELECT d.fiscal_year, p.name, p.name_key FROM projects p JOIN documents d USING (doc_id) "
                              "WHERE p.name_key = ? ORDER BY 1", [name_key(name)]).fetchall()
        status = con.execute("SELECT status, name FROM yoy_projects WHERE fiscal_year = 2024 AND name LIKE '山西省群众文化惠民工程%'"
                             ).fetchall()
    finally:
        con.close()
    assert printed == [(2023, name, name_key(name)), (2024, "山西省群众文化惠民工程（四个一批市县部分）", name_key(name))]
    assert status == [("延续", "山西省群众文化惠民工程（四个一批市县部分）")]


def test_a_unit_alias_matches_the_unit_however_either_prints_it(tmp_path) -> None:
    from tests.fixtures.parsed import write_db
    from tests.samples import YANGQUAN

    con = duckdb.connect(str(write_db(tmp_path / "b.duckdb", [YANGQUAN])))
    try:
        assert con.execute("SELECT unit_key FROM documents").fetchall() == [("阳泉市文化和旅游局",)]
        con.execute("INSERT INTO unit_aliases VALUES ('阳泉市文化和 旅游局\u3000', '阳泉市文化旅游局（合成新名）')")
        assert con.execute("SELECT DISTINCT unit_name FROM unit_docs").fetchall() == [("阳泉市文化旅游局（合成新名）",)]
        assert con.execute("SELECT DISTINCT unit_name FROM yoy_func").fetchall() == [("阳泉市文化旅游局（合成新名）",)]
    finally:
        con.close()
