"""The structure rules (etl/checks/structure.py) through the real evaluator: on small reports written here and read by
the real segmenter and section map, one that satisfies each rule and one that breaks it; then every finding the
rules make on the real samples, each with the words that prove it.

The rule rows are built here as they stand in the rule table (STRUCTURE_RULES); STRUCTURE_CASES maps each to its
case, for the rule table's every-rule-has-a-case test.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import pytest

from etl.checks.rules import RULES, Rule, evaluate
from etl.read.layout import Grid, Line, Source
from etl.read.report import ParsedReport
from etl.tables.classify import classify
from etl.tables.segment import segment
from etl.words.sections import map_sections
from tests.samples import SAMPLES, needs_samples

STRUCTURE_RULES: tuple[Rule, ...] = tuple(r for r in RULES if r.id.startswith("structure."))
BY_ID = {r.id: r for r in STRUCTURE_RULES}


class _Table(list):
    """A small ruled table: caption, unit line, header and a total; `spill` adds an empty ruled row on the next
    page (a table's grid run over onto a page of its own)."""

    spill = False


def _table(title: str, spill: bool = False) -> _Table:
    t = _Table([title, "单位：万元", ["项目", "合计"], ["合计", "100.00"]])
    t.spill = spill
    return t


def _report(pages: list[list], doc_type: str = "单位预算", unit: str = "上海市某区某中心", year: int = 2024,
            page_count: int | None = None, kind: str = "pdf") -> ParsedReport:
    """A report read from pages of lines and tables the way the pipeline reads one: segment, then the section map."""
    blocks: list = []
    for n, page in enumerate(pages, 1):
        p = n if kind == "pdf" else None
        for item in page:
            if isinstance(item, str):
                blocks.append(Line(item, p))
            else:
                blocks += [Line(item[0], p), Line(item[1], p), Grid(rows=item[2:], page=p)]
                if item.spill:
                    blocks.append(Grid(rows=[["", ""]], page=p + 1))
    count = (page_count or len(pages)) if kind == "pdf" else None
    source = Source(blocks=blocks, page_count=count, kind=kind)
    seg = segment(source)
    kinds = [classify(t.title) for t in seg.tables]
    r = ParsedReport(doc={"doc_id": "t", "doc_type": doc_type, "unit_name": unit, "fiscal_year": year,
                          "title": f"{unit}{year}年{doc_type}", "page_count": count})
    r.prose = seg.prose
    r.section_map = map_sections(source, seg.prose, seg.tables, kinds, "final" if "决算" in doc_type else "budget")
    r.tables = [{"seq": n, "table_kind": k, "title": t.title, "page_from": t.page_from, "page_to": t.page_to,
                 "status": "parsed", "has_data": True} for n, (t, k) in enumerate(zip(seg.tables, kinds, strict=True))]
    return r


def _pages(**change: list) -> list[list]:
    """A 上海-style 单位预算, each part on its page (cover, 目录, 职能, 机构, 名词解释, 说明, a table, 其他说明); a
    keyword replaces one page's lines."""
    pages = {
        "cover": ["上海市某区某中心2024年单位预算", "预算单位：上海市某区某中心"],
        "contents": ["目 录", "一、单位主要职能", "二、单位机构设置", "三、名词解释", "四、单位预算编制说明", "五、单位预算表",
                     "1. 2024年单位财务收支预算总表", "六、其他相关情况说明"],
        "duties": ["上海市某区某中心主要职能", "上海市某区某中心是区属事业单位。"],
        "organisation": ["上海市某区某中心机构设置", "上海市某区某中心设3个内设机构。"],
        "glossary": ["名词解释", "（一）基本支出预算：是为保障机构正常运转而编制的年度支出计划。"],
        "explanation": ["2024年单位预算编制说明", "2024年，上海市某区某中心收入预算100.00万元，其中：财政拨款收入",
                        "100.00万元（比上年增加1.00万元）。", "财政拨款支出主要内容如下：",
                        "1.“一般公共服务支出（类）”100.00万元，主要用于人员经费。"],
        "table": [_table("2024年单位财务收支预算总表")],
        "other": ["其他相关情况说明", "一、2024年“三公”经费预算情况说明", "2024年“三公”经费预算数为0万元。",
                  "二、政府采购预算情况", "2024年度本单位政府采购预算0万元。"],
    }
    pages.update(change)
    return list(pages.values())


# ---------------------------------------------------------------------------------------------------- the cases

def _family(ok: bool) -> ParsedReport:
    heading = "2024年单位预算编制说明" if ok else "2024年部门预算编制说明"
    explanation = [heading, *_pages()[5][1:],
                   # words that mention 部门/单位/决算 without naming this report: never a finding
                   "本单位下属预算单位的收入列入部门预算经济分类，上年决算数为90.00万元。"]
    return _report(_pages(explanation=explanation))


def _punctuation(ok: bool) -> ParsedReport:
    tail = "100.00万元（比上年增加1.00万元）。" if ok else "100.00万元（比上年增加1.00万元。。"
    return _report(_pages(explanation=["2024年单位预算编制说明", "2024年，上海市某区某中心收入预算100.00万元，其中：财政拨款收入",
                                       tail]))


def _sentence(ok: bool) -> ParsedReport:
    last = "2024年度本单位政府采购预算0万元。" if ok else "2024年度本单位政府采购预算0万元，均为服务类"
    return _report(_pages(other=["其他相关情况说明", "一、2024年“三公”经费预算情况说明", "2024年“三公”经费预算数为0万元。",
                                 "二、政府采购预算情况", last]))


def _blank(ok: bool) -> ParsedReport:
    pages = _pages()
    if not ok:
        pages.insert(5, [])  # page 6 prints nothing, between the 名词解释 and the 说明
    return _report(pages)


def _repeated(ok: bool) -> ParsedReport:
    pages = _pages()
    if not ok:
        pages.insert(5, list(pages[4]))  # the 名词解释 page printed again
    return _report(pages)


def _contents_found(ok: bool) -> ParsedReport:
    contents = _pages()[1] + ([] if ok else ["七、项目经费情况说明"])
    return _report(_pages(contents=contents))


def _contents_complete(ok: bool) -> ParsedReport:
    contents = [e for e in _pages()[1] if ok or e != "三、名词解释"]
    return _report(_pages(contents=contents))


def _project_period(ok: bool) -> ParsedReport:
    """A 2024 预算 whose project text says the project ran 2021-2022 (a form copied from an earlier year)."""
    period = "实施周期：2024年1月1日至2024年12月31日。" if ok else "实施周期：2021年-2022年。"
    return _report(_pages(other=[*_pages()[7], "三、项目经费情况说明", "1.社区服务项目", period]))


def _as_of(ok: bool) -> ParsedReport:
    """A 2024 决算 whose 国有资产占有使用情况 states the holdings at mid-year."""
    date = "截至2024年12月31日" if ok else "截至2024年6月30日"
    other = ["其他重要事项的情况说明", "一、国有资产占有使用情况", f"{date}，本单位共有车辆2辆，单价100万元（含）以上设备0台（套）。"]
    return _report(_pages(other=other), doc_type="单位决算")


STRUCTURE_CASES: dict[str, Callable[[bool], ParsedReport]] = {
    "structure.family_word": _family, "structure.punctuation": _punctuation, "structure.sentence_ends": _sentence,
    "structure.blank_pages": _blank, "structure.repeated": _repeated, "structure.contents_found": _contents_found,
    "structure.contents_complete": _contents_complete, "structure.project_periods": _project_period,
    "structure.as_of_date": _as_of,
}


def _run(rule_id: str, report: ParsedReport) -> list[dict]:
    return evaluate(report, rules=(BY_ID[rule_id],))


def _failed(rows: list[dict]) -> list[tuple]:
    return [(r["page"], r["section"], r["description"], r["quote"]) for r in rows if r["passed"] is False]


@pytest.mark.parametrize("rule_id", sorted(STRUCTURE_CASES))
def test_each_rule_passes_the_good_report_and_flags_the_bad(rule_id: str) -> None:
    good = _run(rule_id, STRUCTURE_CASES[rule_id](True))
    assert [r["passed"] for r in good] == [True], good
    bad = _run(rule_id, STRUCTURE_CASES[rule_id](False))
    assert _failed(bad) and all(r["passed"] is False for r in bad), bad
    assert all(r["quote"] is None or len(r["quote"]) <= 40 for r in bad)


def test_the_findings_read_as_a_reviewer_writes_them() -> None:
    assert _failed(_run("structure.family_word", _family(False))) == [
        (6, "explanation", "第6页“2024年部门预算编制说明”称本报告为部门预算，本报告是单位预算", "2024年部门预算编制说明")]
    assert _failed(_run("structure.punctuation", _punctuation(False))) == [
        (6, "explanation", "第6页“…财政拨款收入100.00万元（比上年增加1.00万元。。”括号“（”没有对应的“）”",
         "…财政拨款收入100.00万元（比上年增加1.00万元。。"),
        (6, "explanation", "第6页“…财政拨款收入100.00万元（比上年增加1.00万元。。”“。。”标点重复",
         "…财政拨款收入100.00万元（比上年增加1.00万元。。")]
    assert _failed(_run("structure.sentence_ends", _sentence(False))) == [
        (8, "other", "第8页“2024年度本单位政府采购预算0万元，均为服务类”句末缺少句号", "2024年度本单位政府采购预算0万元，均为服务类")]
    assert _failed(_run("structure.blank_pages", _blank(False))) == [(6, "glossary", "第6页为空白页", None)]
    assert _failed(_run("structure.repeated", _repeated(False))) == [
        (6, "glossary", "第6页与第5页内容相同，重复印制", "名词解释")]
    assert _failed(_run("structure.contents_found", _contents_found(False))) == [
        (2, "contents", "目录列有“七、项目经费情况说明”，正文中没有", "七、项目经费情况说明")]
    assert _failed(_run("structure.contents_complete", _contents_complete(False))) == [
        (2, "contents", "正文第5页有“名词解释”，目录中没有列出", "名词解释")]
    assert _failed(_run("structure.project_periods", _project_period(False))) == [
        (8, "other", "第8页实施周期“2021年-2022年”在2022年已结束，早于预算年度2024年", "2021年-2022年")]
    assert _failed(_run("structure.as_of_date", _as_of(False))) == [
        (8, "other", "第8页“截至2024年6月30日，本单位共有车辆2辆，单价100…”所写日期为2024年6月30日，"
                     "2024年决算应截至2024年12月31日", "截至2024年6月30日，本单位共有车辆2辆，单价100…")]


# ---------------------------------------------------------------------------------------------------- no false alarms

def test_family_words_that_name_other_things_are_not_findings() -> None:
    """A 部门预算 names its 预算单位 and 下属单位预算, a 预算 its 上年决算, a 单位预算 the 部门预算经济分类: none names
    this report; the other family in a sentence (根据2024年部门决算…) may cite a real document."""
    other = ["其他相关情况说明", "一、政府采购预算情况", "本部门下属3家预算单位，各单位预算已汇总列入。",
             "2023年部门决算数为90万元，本年预算参考了上年决算。", "深化部门预算改革，执行部门预算支出经济分类。"]
    r = _report(_pages(cover=["上海市某区某局2024年部门预算", "预算主管部门：上海市某区某局"], other=other,
                       contents=["目 录", "一、部门主要职能", "二、部门机构设置", "三、名词解释", "四、部门预算编制说明",
                                 "五、部门预算表", "1. 2024年部门财务收支预算总表", "六、其他相关情况说明"],
                       explanation=["2024年部门预算编制说明", "2024年，某局收入预算100.00万元。"]),
                doc_type="部门预算", unit="上海市某区某局")
    assert _failed(_run("structure.family_word", r)) == []


def test_the_other_family_in_a_heading_and_a_self_reference_in_a_sentence_are_findings() -> None:
    r = _report(_pages(explanation=["2024年单位决算情况说明", "2024年，本部门预算收入100.00万元。"]))
    got = [d for _, _, d, _ in _failed(_run("structure.family_word", r))]
    assert got == ["第6页“2024年单位决算情况说明”称本报告为单位决算，本报告是单位预算",
                   "第6页“2024年，本部门预算收入100.00万元。”称本报告为部门预算，本报告是单位预算"]


def test_brackets_and_quotes_may_close_on_the_next_line_or_page() -> None:
    explanation = ["2024年单位预算编制说明", "1.“一般公共服务支出（类）财政事务（款）机关事业单位基本养老保险缴费支出（项）",
                   "”100.00万元，主要用于根据《",
                   "政府投资条例》开展的工作。"]
    other = ["其他相关情况说明", "一、绩效情况", "平均得分99分（其中，评级为“优”的项目2个；",
             "评级为“良”的项目0个）。"]
    r = _report(_pages(explanation=explanation[:3], table=[explanation[3], _table("2024年单位财务收支预算总表")],
                       other=other))
    assert _failed(_run("structure.punctuation", r)) == []


def test_a_paragraph_end_is_judged_only_where_it_certainly_ends() -> None:
    """A list item ending in ； before the next item, a heading, a value, a line cut by the page, a 注 and a 说明
    ending in ： before a table are not findings; a paragraph ending in ； before the next heading is."""
    explanation = ["2024年单位预算编制说明", "人员经费10万元，主要包括：", "（1）基本工资5万元；", "（2）津贴补贴5万元；",
                   "（3）奖金0万元。", "二、实施周期", "2024年1月1日至2024年12月31日", "三、预算安排", "本年收入合计100万元，其中",
                   ]
    nxt = ["：财政拨款100万元，占100%；", "四、支出情况", "注：本表无数据", "具体如下表："]
    r = _report(_pages(explanation=explanation, table=[*nxt, _table("2024年单位财务收支预算总表")]))
    assert [d for _, _, d, _ in _failed(_run("structure.sentence_ends", r))] == [
        "第7页“…0万元，其中：财政拨款100万元，占100%；”段末以“；”结束，应为句号"]


def test_a_page_after_the_cover_and_after_the_last_page_is_not_a_blank_page() -> None:
    pages = _pages()
    pages.insert(1, [])
    r = _report(pages, page_count=len(pages) + 1)
    assert [r["passed"] for r in _run("structure.blank_pages", r)] == [True]


def test_a_page_holding_only_the_ruling_of_a_table_run_over_is_blank_and_says_which_table() -> None:
    pages = _pages(table=[_table("2024年单位财务收支预算总表", spill=True)])
    pages.insert(7, [])
    r = _report(pages)
    assert _failed(_run("structure.blank_pages", r)) == [
        (8, "table", "第8页为空白页（“2024年单位财务收支预算总表”延续到此页，此页只有空白表格线，没有文字或数字）", None)]


def test_a_part_printed_again_after_another_is_a_finding_once() -> None:
    other = [*_pages()[7], "名词解释", "（二）项目支出预算：是为完成特定目标编制的支出计划。"]
    r = _report(_pages(other=other))
    assert _failed(_run("structure.repeated", r)) == [
        (8, "glossary", "第8页再次出现“名词解释”，名词解释在正文中出现两次", "名词解释")]


def test_a_contents_that_lists_tables_one_by_one_must_list_each() -> None:
    pages = _pages(table=[_table("2024年单位财务收支预算总表"), _table("2024年单位收入预算总表")])
    contents = [*_pages()[1][:6], "1. 2024年单位财务收支预算总表", "2. 2024年单位支出预算总表", "六、其他相关情况说明"]
    r = _report(pages[:1] + [contents] + pages[2:])
    got = _failed(_run("structure.contents_complete", r))
    assert got == [(2, "contents", "正文第7页有“2024年单位收入预算总表”，目录中没有列出", "2024年单位收入预算总表")]
    assert _failed(_run("structure.contents_found", r)) == [
        (2, "contents", "目录列有“2.2024年单位支出预算总表”，正文中没有", "2.2024年单位支出预算总表")]


def test_a_report_without_a_contents_or_pages_gets_no_contents_or_page_rows() -> None:
    pages = _pages()
    r = _report([pages[0], *pages[2:]], kind="text")
    for rule_id in ("structure.contents_found", "structure.contents_complete", "structure.blank_pages"):
        assert _run(rule_id, r) == []
    assert [x["passed"] for x in _run("structure.repeated", r)] == [True]


def test_a_form_period_before_the_budget_year_is_a_finding_and_a_period_in_years_or_quarters_is_not() -> None:
    r = _report(_pages(other=[*_pages()[7], "三、项目经费情况说明", "五、实施周期", "第一季度审价；第二季度审计。"]))
    r.rows["project_forms"] = [{"project_name": "社区服务项目", "period": "2022-01-01至2022-12-31", "page": 9},
                               {"project_name": "跨年项目", "period": "2022-01-01至2025-12-31", "page": 10},
                               {"project_name": "三年项目", "period": "3年", "page": 11}]
    assert _failed(_run("structure.project_periods", r)) == [
        (9, "table", "第9页项目“社区服务项目”的实施周期“2022-01-01至2022-12-31”在2022年已结束，早于预算年度2024年",
         "2022-01-01至2022-12-31")]


def test_an_as_of_date_of_the_year_before_is_a_finding_and_a_narrative_date_is_not() -> None:
    other = ["其他重要事项的情况说明", "一、国有资产占有使用情况", "截至2023年12月31日，本单位共有车辆2辆。",
             "二、其他", "截至2024年6月30日，本单位已完成全部采购合同的签订工作。"]
    r = _report(_pages(other=other), doc_type="单位决算")
    assert [d for _, _, d, _ in _failed(_run("structure.as_of_date", r))] == [
        "第8页“截至2023年12月31日，本单位共有车辆2辆。”所写日期为2023年12月31日，2024年决算应截至2024年12月31日"]
    # a 预算 states its holdings at any date it has (截至2024年8月31日 in a 2025 预算): the rule is the 决算's
    budget = _report(_pages(other=other))
    assert _run("structure.as_of_date", budget) == []


# ---------------------------------------------------------------------------------------------------- the samples

# every finding the structure rules make on the real samples, with the printed words that prove it
SAMPLE_FINDINGS = {
    # 其他收入 is the last item of 二、收入决算情况说明; its paragraph stops on ； before 三、支出决算情况说明
    "final/shanghai-putuo-finance-2024-dept-final.pdf": [
        ("structure.sentence_ends", 21, "explanation", "…9.79%；其他收入6.2万元，占0.21%；"),
        ("structure.sentence_ends", 21, "explanation", "…%；项目支出603.14万元，占20.51%；"),
        ("structure.sentence_ends", 21, "explanation", "…障支出（类）445.69万元，占15.16%；"),
        # page 14 prints no word or figure: only the empty last row of the ruling of 财政拨款收入支出决算总表 (p. 12-13)
        ("structure.blank_pages", 14, "table", None),
    ],
    # 七、绩效目标 ends: “…财政管理职责。详见单位的项目绩效目标表” (the last line of the report, no 。)
    "shanghai-putuo-finance-2025-dept-budget.pdf": [
        ("structure.sentence_ends", 24, "projects_text", "详见单位的项目绩效目标表"),
    ],
    # 十、预算绩效管理情况: “平均得分99.33分（其中，…绩效自评中共发现问题0个。” — the bracket is never closed
    "final/shanghai-putuo-planning-2024-dept-final.pdf": [
        ("structure.punctuation", 27, "projects_text", "…万元，平均得分99.33分（其中，绩效评级为“优”的项目…"),
    ],
    "shanghai-putuo-wanli-2023-dept-budget.pdf": [],
    "shanghai-putuo-wanli-2024-dept-budget.pdf": [],
    "shanghai-putuo-welfare-home-2024-unit-budget.pdf": [],
    # 一、单位预算收支数据变动情况及原因: “3、2023年包含上年补助资金和上年结转资金。；本年单位预算支出总计…”
    "yangquan-wenlv-2023-unit-budget.txt": [
        ("structure.punctuation", None, "explanation", "…上年补助资金和上年结转资金。；本年单位预算支出总计3,6…"),
    ],
}


@cache
def _sample(name: str) -> ParsedReport:
    from tests.fixtures.parsed import parsed

    return parsed(SAMPLES / name)


@needs_samples
@pytest.mark.parametrize("name", sorted(SAMPLE_FINDINGS))
def test_every_finding_on_the_samples_is_a_real_error(name: str) -> None:
    path = SAMPLES / name
    if not path.exists():
        pytest.skip(f"{name} is read from {SAMPLES}, absent here")
    rows = evaluate(_sample(name), rules=STRUCTURE_RULES)
    got = [(r["rule"], r["page"], r["section"], r["quote"]) for r in rows if r["passed"] is False]
    assert got == SAMPLE_FINDINGS[name]
    assert all(r["passed"] is not None for r in rows)


# the dates the two date rules judge on the samples — none wrong: every 绩效目标表 项目期 of 万里 2023 is 2023; the
# 财政局 2025 项目经费情况说明 “五、实施周期 2025年1月1日至2025年12月31日”; each 决算's “截至2024年12月31日，…共有车辆0辆”
# (规划局 prints it “截至 2024 年 12 月 31 日”). Not judged: 阳泉's 项目期 “1年”/“3年”, 万里's 实施周期 by quarters
# (“第一季度审价…”), and the budgets' “截至2024年8月31日，…共有车辆” (a 预算 states its holdings at any date).
SAMPLE_DATES = {
    "final/shanghai-putuo-finance-2024-dept-final.pdf": [("structure.as_of_date", "所述资产、车辆情况均截至2024年12月31日")],
    "final/shanghai-putuo-planning-2024-dept-final.pdf": [("structure.as_of_date", "所述资产、车辆情况均截至2024年12月31日")],
    "shanghai-putuo-finance-2025-dept-budget.pdf": [
        ("structure.project_periods", "所写项目实施周期（1处）均未在预算年度2025年之前结束")],
    "shanghai-putuo-wanli-2023-dept-budget.pdf": [
        ("structure.project_periods", "所写项目实施周期（5处）均未在预算年度2023年之前结束")],
    "shanghai-putuo-wanli-2024-dept-budget.pdf": [],
    "shanghai-putuo-welfare-home-2024-unit-budget.pdf": [],
    "yangquan-wenlv-2023-unit-budget.txt": [],
}


@needs_samples
@pytest.mark.parametrize("name", sorted(SAMPLE_DATES))
def test_the_dates_judged_on_the_samples_are_all_in_time(name: str) -> None:
    if not (SAMPLES / name).exists():
        pytest.skip(f"{name} is read from {SAMPLES}, absent here")
    rules = tuple(BY_ID[k] for k in ("structure.project_periods", "structure.as_of_date"))
    rows = evaluate(_sample(name), rules=rules)
    assert [(r["rule"], r["description"]) for r in rows] == SAMPLE_DATES[name]
    assert all(r["passed"] for r in rows)

