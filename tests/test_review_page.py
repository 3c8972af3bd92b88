"""数据核对 reads as a reviewer's 公开情况检查表: the parts in the form's order under the report family's names, each
是/否/未核对, findings with their quoted words, a part the 目录 lists but the body lacks and the findings about the
whole report still shown — and the briefing lists the same problems, one per cause with its part."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import briefing, findings
from dashboard.export import content
from tests import review_db
from tests import synthetic_db as syn

APP = str(Path(__file__).resolve().parents[1] / "app.py")

ORDER = ["封面", "目录", "主要职能", "机构设置", "名词解释", "编制说明", "报表", "其他相关情况说明", "项目经费情况说明",
         "整份报告"]
VERDICTS = ["否", "否", "未核对", "未核对", "未核对", "否", "否", "是", "未核对", "否"]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return review_db.build(tmp_path_factory.mktemp("review") / "review.duckdb")


@pytest.fixture()
def page(db: Path, use_db) -> AppTest:
    use_db(db)
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["unit"] = syn.UNIT
    at.query_params["year"] = "2023"
    at.run()
    at.switch_page("pages/checks.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _text(at: AppTest) -> str:
    return " ".join([m.value for m in at.markdown] + [c.value for c in at.caption]).replace("\\", "")


def test_parts_in_the_reviewers_order_with_verdicts(page: AppTest) -> None:
    checklist = page.dataframe[0].value
    assert list(checklist["部分"]) == ORDER
    assert list(checklist["符合要求"]) == VERDICTS
    labels = [e.label for e in page.expander if "符合要求" in e.label]  # a finding's 原页 is an expander too
    assert [label.split("、", 1)[1].split("　")[0] for label in labels] == ORDER
    assert labels[0] == "一、封面　符合要求：否（1处问题）" and labels[7] == "八、其他相关情况说明　符合要求：是"
    glossary = checklist.set_index("部分").loc["名词解释"]
    assert "报告中没有这一部分" in glossary["情况"] and "目录列有“三、名词解释”（第3页），正文中没有" in glossary["情况"]
    assert "没有可核对的内容" in checklist.set_index("部分").loc["主要职能", "情况"]
    metrics = {m.label: m.value for m in page.metric}
    assert metrics["未通过"] == f"{review_db.FAILED}项"
    assert any(f"发现{review_db.FINDINGS}处问题" in e.value for e in page.error)


def test_findings_show_their_quoted_words_and_pages(page: AppTest) -> None:
    text = _text(page)
    assert "原文：“2023年部门预算” · 第1页" in text
    assert "原文：“增加（减少）12.5%”" in text and "同一问题还出现在另外1处" in text
    assert "原文：“XX项目” · 第16页" in text
    assert "目录列有“三、名词解释”，正文中没有" in text
    # the 合计 row said once, and '=' as 等于
    assert "一般公共预算支出表：合计等于基本支出+项目支出" in text and "合计 合计" not in text


def test_small_difference_reads_in_yuan_on_card_and_table(page: AppTest) -> None:
    text = _text(page)
    assert "不符：应为 94,995,800.34元，实际 94,995,800元，差额 -0.34元" in text
    detail = page.dataframe[1].value
    row = detail[detail["核对内容"] == "说明文字第4页“支出总计”等于收支总表"].iloc[0]
    assert (row["部分"], row["应为"], row["实际"], row["差额"]) == ("编制说明", "94,995,800.34元", "94,995,800元",
                                                                  "-0.34元")
    assert not detail["差额"].str.contains(r"^-?0\.00", regex=True).any()
    big = detail[detail["核对内容"].str.startswith("项目支出表合计")].iloc[0]
    assert (big["应为"], big["实际"], big["差额"]) == ("700.00万元", "690.00万元", "-10.00万元")


def test_filter_by_part(page: AppTest) -> None:
    page.selectbox(key="check_part").set_value("整份报告").run()
    assert list(page.dataframe[1].value["核对内容"]) == ["第16页不应有模板占位符“XX”"]


def test_final_report_uses_its_own_part_names() -> None:
    sections = pd.DataFrame({"section": ["explanation", "organisation", "other", "projects_text"],
                             "page_from": [3, 2, 9, 10], "page_to": [8, 2, 9, 11]})
    checks = pd.DataFrame([{"check_id": "a", "description": "说明文字第3页……", "expected": None, "actual": None,
                            "passed": False, "table_kind": None, "page": 3, "rule": "x", "section": "explanation",
                            "quote": "……"}])
    parts = {p.key: p for p in findings.review(checks, sections, None, findings.family("部门决算"))}
    assert parts["explanation"].label == "情况说明" and parts["explanation"].verdict == "否"
    assert parts["organisation"].label == "单位构成" and parts["projects_text"].label == "预算绩效管理情况"
    assert parts["glossary"].reason == "报告中没有这一部分"


def test_briefing_groups_problems_by_cause_with_their_part(db: Path, use_db) -> None:
    use_db(db)
    sel, _ = briefing.select(syn.UNIT, 2023)
    section = next(s for s in content.build(sel).sections if s.heading == "数据核对")
    assert section.paragraphs[0].startswith(f"报告表间勾稽关系核对{len(review_db.CHECKS) + 4}项，"
                                            f"其中{review_db.FAILED}项未通过，归为{review_db.FINDINGS}处问题")
    assert section.paragraphs[1].startswith("按公开情况检查表逐部分核对，各部分是否符合要求——封面：否（1处问题）；目录：否")
    assert section.table is not None and section.table.columns == content.CHECKS_COLUMNS
    rows = section.table.rows
    assert len(rows) == review_db.FINDINGS < review_db.FAILED
    assert [r[0] for r in rows] == ["封面", "目录", "编制说明", "编制说明", "报表", "整份报告"]
    assert rows[0][2] == "“2023年部门预算”" and rows[0][3] == "第1页"
    by_evidence = {r[2]: r for r in rows[2:4]}  # the 编制说明's two problems, in the checks' order
    assert by_evidence["“增加（减少）12.5%”"][3] == "第4页，另有1处同一问题"
    assert by_evidence["不符：应为 94,995,800.34元，实际 94,995,800元，差额 -0.34元"][3] == "表1 收支总表，第4页"
    assert rows[4][1] == "项目支出表合计等于本年项目支出（合成的错误）" and rows[4][3].endswith("另有1处同一问题")
    assert not any(re.search(r"(?<![\d,.])-?0\.00万元", cell) for r in rows for cell in r)


def test_a_finding_without_its_reports_file_says_so(page: AppTest) -> None:
    """The synthetic report has no file anywhere: its finding opens to a sentence, never a picture or an error."""
    opened = [e for e in page.expander if e.label.startswith("查看原页")]
    assert opened and opened[0].label == "查看原页（第1页）"
    page.session_state[opened[0].proto.id.split("-", 2)[-1]] = True
    page.run()
    assert not page.exception, [e.value for e in page.exception]
    assert not page.get("image") and "原文件不在，无法显示原页" in [i.value for i in page.info]
