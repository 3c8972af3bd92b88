"""AppTest of every page: runs without exception on the real 阳泉 database, shows the database's numbers, and
shows a plain Chinese message (never a traceback) when there is nothing to show."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from etl.store.schema import ensure_schema
from tests import synthetic_db as syn

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PAGES = ["pages/overview.py", "pages/composition.py", "pages/projects.py", "pages/checks.py"]
UNIT = "阳泉市文化和旅游局"


def run_page(page: str | None = None, **query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    if page and page != PAGES[0]:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def wan_text(yuan: float) -> str:
    return f"{yuan / 10000:,.2f}"


def db_values(path: Path) -> dict[str, float]:
    """The KPI figures read straight from the database with SQL, independently of dashboard/kpis.py."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        def one(sql: str) -> float:
            return float(con.execute(sql).fetchall()[0][0])

        summary = "SELECT amount_yuan FROM summary_lines WHERE table_kind = 'summary' AND measure = 'total' AND "
        level0 = "SELECT amount_yuan FROM func_lines WHERE table_kind = 'expenditure' AND level = 0 AND measure = "
        return {
            "收入总计（万元）": one(summary + "side = '收入' AND item = '收入总计'"),
            "支出总计（万元）": one(summary + "side = '支出' AND item = '支出总计'"),
            "本年收入（万元）": one(summary + "side = '收入' AND item = '本年收入合计'"),
            "上年结转（万元）": one(summary + "side = '收入' AND item = '上年结转'"),
            "基本支出（万元）": one(level0 + "'basic'"),
            "项目支出（万元）": one(level0 + "'project'"),
            "projects": one("SELECT count(*) FROM projects"),
            "checks": one("SELECT count(*) FROM checks"),
            "failed": one("SELECT count(*) FROM checks WHERE NOT passed"),
            "2070107": one("SELECT amount_yuan FROM func_lines WHERE table_kind = 'expenditure' AND code = '2070107'"
                           " AND measure = 'total'"),
        }
    finally:
        con.close()


@pytest.fixture()
def real(yangquan_db, use_db) -> dict[str, float]:
    use_db(yangquan_db)
    return db_values(yangquan_db)


def test_overview_kpis_equal_the_database(real) -> None:
    at = run_page()
    metrics = {m.label: m.value for m in at.metric}
    for label in ("收入总计（万元）", "支出总计（万元）", "本年收入（万元）", "上年结转（万元）", "基本支出（万元）", "项目支出（万元）"):
        assert metrics[label] == wan_text(real[label]), label
    # and those are the figures printed in the 阳泉 report
    assert metrics["收入总计（万元）"] == "3,623.26" and metrics["本年收入（万元）"] == "3,276.48"
    assert metrics["上年结转（万元）"] == "346.79"
    assert metrics["基本支出（万元）"] == "425.21" and metrics["项目支出（万元）"] == "3,198.06"
    assert metrics["项目个数"] == f"{int(real['projects'])}个"
    shares = {m.label: m.proto.delta for m in at.metric}
    assert shares["基本支出（万元）"] == "11.74%" and shares["项目支出（万元）"] == "88.26%"


def test_overview_briefing_is_built_from_the_data(real) -> None:
    at = run_page()
    text = " ".join(m.value for m in at.markdown).replace("\\", "")
    assert f"{UNIT}2023年支出预算{wan_text(real['支出总计（万元）'])}万元" in text
    assert f"艺术表演团体{wan_text(real['2070107'])}万元，占61.25%" in text
    assert "金额最大的项目是“三团过渡期保障经费”，2,219.40万元。" in text
    assert f"核对{int(real['checks'])}项" in text


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_on_the_real_report(real, page) -> None:
    at = run_page(page)
    assert at.title[0].value in ("总览", "支出构成", "项目", "数据核对")
    assert at.sidebar.selectbox[0].value == UNIT and at.sidebar.selectbox[1].value == "2023"


def test_composition_shows_tables_and_empty_states(real) -> None:
    at = run_page(PAGES[1])
    assert any("本表无数据" in i.value for i in at.info)  # 三公经费表 is printed as 本表无数据
    econ = {m.label: m.value for m in at.metric}
    assert econ["基本支出（万元）"] == "425.21" and econ["人员经费（万元）"] == "377.64" and econ["公用经费（万元）"] == "47.56"
    at.radio(key="scope").set_value("一般公共预算").run()
    at.radio(key="nature").set_value("项目支出").run()
    assert not at.exception
    at.selectbox(key="drill").set_value("207").run()
    assert at.query_params["focus"] == "207"
    assert not at.exception


def test_projects_list_search_and_detail(real) -> None:
    at = run_page(PAGES[2])
    listing = at.dataframe[0].value
    assert len(listing) == int(real["projects"])
    assert listing.iloc[0]["项目名称"] == "三团过渡期保障经费" and listing.iloc[0]["金额（万元）"] == 2219.40
    at.text_input(key="q").input("文物").run()
    names = set(at.dataframe[0].value["项目名称"])
    # two by name, one (专项业务工作经费) by the words of its 绩效目标申报表
    assert names == {"省级文物保护专项补助经费(转移市县第二批)", "结转下达2022年省级文物保护专项资金(第一批)", "专项业务工作经费"}
    assert at.selectbox(key="project_pick").value in names


def test_checks_page_lists_every_check(real) -> None:
    at = run_page(PAGES[3])
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["核对项目"] == f"{int(real['checks'])}项"
    assert metrics["未通过"] == f"{int(real['failed'])}项"
    assert list(at.dataframe[0].value["部分"])[:6] == ["封面", "目录", "主要职能", "机构设置", "名词解释", "编制说明"]
    assert len(at.dataframe[1].value) == int(real["checks"])  # below the 检查表: every check


def test_url_reopens_the_same_view(synthetic_db, use_db) -> None:
    use_db(synthetic_db)
    at = run_page(PAGES[0], unit=syn.UNIT, year="2022")
    assert at.sidebar.selectbox[0].value == syn.UNIT and at.sidebar.selectbox[1].value == "2022"
    assert at.query_params["unit"] == syn.UNIT and at.query_params["year"] == "2022"
    at.sidebar.selectbox[1].set_value("2023").run()
    assert at.query_params["year"] == "2023"


@pytest.mark.parametrize("page", PAGES)
def test_no_database_gives_a_plain_message(tmp_path, use_db, page) -> None:
    use_db(tmp_path / "missing.duckdb")
    at = run_page(page)
    assert any("尚未找到预算数据库" in i.value for i in at.info)


def test_empty_database_gives_a_plain_message(tmp_path, use_db) -> None:
    path = tmp_path / "empty.duckdb"
    con = duckdb.connect(str(path))
    ensure_schema(con)
    con.close()
    use_db(path)
    at = run_page()
    assert any("还没有任何预算报告" in i.value for i in at.info)


def test_not_a_database_gives_a_plain_message(tmp_path, use_db) -> None:
    path = tmp_path / "garbage.duckdb"
    path.write_bytes(b"this is not a duckdb file" * 100)
    use_db(path)
    at = run_page()
    assert any("无法打开" in i.value for i in at.info)


def test_unit_without_projects_or_forms(synthetic_db, use_db) -> None:
    use_db(synthetic_db)
    at = run_page(PAGES[2], unit=syn.EMPTY_UNIT, year="2023")
    assert any("没有项目支出明细" in i.value for i in at.info)
    at = run_page(PAGES[1], unit=syn.EMPTY_UNIT, year="2023")
    assert any("经济分类表注明“本表无数据”" in i.value for i in at.info)
    at = run_page(PAGES[3], unit=syn.EMPTY_UNIT, year="2023")
    assert any("还没有核对结果" in i.value for i in at.info)


def test_project_form_is_shown_with_escaped_text(synthetic_db, use_db) -> None:
    use_db(synthetic_db)
    at = run_page(PAGES[2], unit=syn.UNIT, year="2023", project="合成剧团保障经费")
    assert at.selectbox(key="project_pick").value == "合成剧团保障经费"
    markdown = [m.value for m in at.markdown]
    assert "合成概况：保障 \\*三个\\* 合成剧团运转 \\#1。" in markdown
    assert any("合成演出场次：**≥40场**" in m for m in markdown)
    assert any(t.label == "项目概况" for t in at.tabs)
    at.selectbox(key="project_pick").set_value("合成旅游宣传推广").run()
    assert len(at.dataframe) >= 2 and "合成广告服务" in set(at.dataframe[-1].value["采购品目"])


def test_a_report_whose_unit_was_not_read_is_listed_by_its_file(synthetic_db, use_db, tmp_path):
    """A report loads with unit_name NULL when nothing in it names the unit; the picker lists it under its file
    rather than failing on an empty list of years."""
    import shutil

    db = tmp_path / "nameless.duckdb"
    shutil.copy(synthetic_db, db)
    con = duckdb.connect(str(db))
    con.execute("UPDATE documents SET unit_name = NULL")
    con.close()
    use_db(db)
    at = run_page()
    unit = at.sidebar.selectbox(key="pick_unit")
    assert unit.value.startswith("未读出单位（") and all(o.startswith("未读出单位（") for o in unit.options)
