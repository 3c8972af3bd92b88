"""A 上海 部门预算 prints no project list, only 绩效目标填报表: the 项目 page and 总览 list those projects, at their
年度资金总额, and say where the list comes from — never "no projects" for a report that describes five."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from .samples import SAMPLES, build_db, needs_samples

APP = str(Path(__file__).resolve().parents[1] / "app.py")
UNIT = "上海市普陀区人民政府万里街道办事处"
# 万里街道 2023, pp.31–35: the five 填报表 and their 年度资金申请总额 in 万元, largest first
FORMS = [("公共服务设施运行经费", 1090.30), ("各类工作经费", 759.55), ("就业援助基地补贴", 635.10),
         ("社区环境整治和建设经费", 456.38), ("新建万里街道社区公共服务中心", 410.00)]

pytestmark = needs_samples


@pytest.fixture(scope="module")
def wanli_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_db(tmp_path_factory.mktemp("wanli") / "budget.duckdb",
                    [SAMPLES / "shanghai-putuo-wanli-2023-dept-budget.pdf"])


def run(page: str, db: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("BUDGET_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["unit"] = UNIT
    at.query_params["year"] = "2023"
    at.run()
    if page != "pages/overview.py":
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_projects_page_lists_the_forms(wanli_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = run("pages/projects.py", wanli_db, monkeypatch)
    listing = at.dataframe[0].value
    assert list(zip(listing["项目名称"], listing["金额（万元）"], strict=True)) == FORMS
    # a form does not say 本年 or 结转, nor the funding columns of a project list: those columns are left out
    assert list(listing.columns) == ["项目名称", "金额（万元）", "占所列项目合计（%）"]
    assert any("未列项目支出明细表" in c.value and "5张绩效目标表" in c.value for c in at.caption)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["项目个数"] == "5个" and metrics["所列项目合计（万元）"] == "3,351.33"
    # the chosen project's form is shown with its indicators
    assert at.selectbox(key="project_pick").value == "公共服务设施运行经费"
    assert any("绩效指标" in m.value for m in at.markdown)
    # the form prints 年度资金申请总额 10,903,043.00 but 当年财政拨款 11,419,043.00: said where the project is read
    assert any("核对未通过" in w.value and "公共服务设施运行经费" in w.value for w in at.warning)


def test_search_finds_forms_by_their_text(wanli_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = run("pages/projects.py", wanli_db, monkeypatch)
    at.text_input(key="q").input("保洁").run()
    assert list(at.dataframe[0].value["项目名称"]) == ["公共服务设施运行经费"]


def test_overview_counts_the_forms_as_projects(wanli_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = run("pages/overview.py", wanli_db, monkeypatch)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["项目个数"] == "5个"
    assert not any("没有项目支出明细" in i.value for i in at.info)
