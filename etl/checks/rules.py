"""The report's own arithmetic (勾稽关系) and words, declared as rules: one table of rule rows and one evaluator.

A rule row says which report family it applies to, which tables it relates (by registry kind — each must be
printed for the rule to apply, and readable for it to run), what cells it compares (in words, for the docs), how
its description reads (a template; `{table}` is the registry's Chinese label of the table the comparison is
about), how its tolerance is computed, and which relation (etl/checks/budget.py) finds the cells. A new check is one
row here; a new family's check is a row with that family.

Tolerance methods:
* ``cells`` — the print's rounding: 0.01 of the printed unit of the compared table per summed cell, so a 万元 table
  that rounds each cell still passes when it truly adds up;
* ``given`` — the relation computes it from what it compares: a prose figure agrees with anything that rounds to
  it as printed (17,192万元 ±0.5万元; 0.01万元 where printed with two decimals), plus the table's own rounding;
* ``words`` — no amounts: a finding about the report's words (expected/actual NULL).

The evaluator writes one `checks` row per comparison, `rule` naming its row; a rule whose table was recognised but
could not be read (status unparsed) gets one row with `passed` NULL saying which table and why.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from string import Formatter
from types import SimpleNamespace

from etl.checks import budget as R
from etl.checks import cross as X
from etl.checks import final as F
from etl.checks import structure as ST
from etl.checks import words as W
from etl.read.amounts import rounding_tolerance
from etl.read.report import Comparison, ParsedReport
from etl.tables import kinds as K
from etl.tables.kinds import BOTH, BUDGET, FINAL


@dataclass(frozen=True)
class Rule:
    id: str                       # stable; written to checks.rule
    name: str                     # Chinese, for a not-run row and the docs
    families: tuple[str, ...]     # report families it applies to (预算 / 决算)
    tables: tuple[str, ...]       # kinds it relates: all printed for it to apply, all readable for it to run
    cells: str                    # the cells it relates, in words (docs)
    template: str                 # description; {table} and the relation's fields
    tolerance: str                # cells / given / words
    relation: R.Relation | X.CrossRelation
    database: bool = False        # relates this report to others in the database (family 跨报告): run by
                                  # `evaluate_cross` where the writer holds the connection, not by `evaluate`
    section: str | None = None    # the report part its findings are about (report_sections.section) where its
                                  # comparisons do not say; unset: see `part`

    @property
    def part(self) -> str | None:
        """A rule relating tables is about the tables, one reading the 说明 (ids with “prose”) about the 说明; any
        other rule that names no section is about the report as a whole (None)."""
        if self.section is not None:
            return self.section
        if self.tables:
            return "table"
        return "explanation" if "prose" in self.id else None


_FUNC = K.keys(target="func_lines")

RULES: tuple[Rule, ...] = (
    # ---- within one table
    *(Rule(f"{k}.tree", "上级科目等于下级科目之和", BOTH, (k,), "每个类/款（及合计）与其下级科目，逐列",
           "{table}“{row}”行{column}等于其下级科目之和", "cells", R.tree_sums(k)) for k in _FUNC),
    # a 支出决算表 also prints 上缴上级/经营/对附属单位补助支出 beside 基本/项目: its rows have their own 决算 rule
    *(Rule(f"{k}.row_basic_project", "每行合计等于基本支出加项目支出", (BUDGET,) if k == "expenditure" else BOTH, (k,),
           "每行的合计、基本支出、项目支出", "{table}“{row}”行的合计等于{parts}", "cells",
           R.row_parts(k, "func_lines", "code", ("basic", "project"), "基本支出与项目支出之和")) for k in _FUNC),
    Rule("gp_basic_econ.row_personnel_public", "每行合计等于人员经费加公用经费", BOTH, ("gp_basic_econ",),
         "每行的合计、人员经费、公用经费", "{table}“{row}”行的合计等于{parts}", "cells",
         R.row_parts("gp_basic_econ", "econ_lines", "econ_code", ("personnel", "public"), "人员经费与公用经费之和")),
    *(Rule(f"{k}.row_sources", "每个项目合计等于各资金来源之和", (BUDGET,), (k,), "每个项目的合计与各资金来源列",
           "项目“{name}”合计等于各资金来源之和", "cells", R.project_sources(k))
      for k in ("projects", "projects_carryover")),
    *(Rule(f"{k}.subtotal", "单位小计等于其下各项目之和", (BUDGET,), (k,), "单位/合计行与其下各行（解析时核对）",
           "{table}“{row}”{column}等于其下各行之和", "cells", R.parser_made(f"{k}.subtotal"))
      for k in ("projects", "projects_carryover")),
    Rule("procurement.line", "采购行预算总计等于各资金来源之和", BOTH, ("procurement",), "每个采购行的预算总计与资金来源",
         "政府采购明细“{name}”预算总计等于各资金来源之和", "cells", R.parser_made("procurement.line")),
    Rule("procurement.subtotal", "采购合计/小计等于其下各行之和", BOTH, ("procurement",), "合计、单位小计、品目小计与其下各行",
         "{table}{row}等于其下各采购行之和", "cells", R.parser_made("procurement.subtotal")),
    Rule("performance_form.sources", "绩效目标表资金总额等于各资金来源之和", BOTH, ("performance_form",),
         "每张表的实施期/年度资金总额与其资金来源", "绩效目标表“{name}”{what}等于其各资金来源之和", "given",
         R.form_sources),
    # ---- between tables
    *(Rule(f"summary.{k}_total", "收支总表合计等于" + K.label(k) + "合计", BOTH, ("summary", k),
           "收支总表的本年收入/支出合计（或总计，含上年结转）与该表合计行", "{table}“{item}”等于{other}合计", "cells",
           R.summary_vs_func_total(k)) for k in ("revenue", "expenditure")),
    Rule("summary.classes", "收支总表各类支出等于支出总表", BOTH, ("summary", "expenditure"),
         "收支总表支出方的类级行与支出总表同名类的合计", "{table}“{item}”等于支出总表科目{code}的合计", "cells",
         R.summary_classes),
    Rule("fiscal_summary.gp_total", "一般公共预算支出表合计等于财政拨款收支总表一般公共预算支出", BOTH,
         ("gp_expenditure", "fiscal_summary"), "一般公共预算支出表合计与财政拨款收支总表支出合计的一般公共预算列",
         "一般公共预算支出表合计等于财政拨款收支总表一般公共预算支出{note}", "cells", R.fiscal_gp_total),
    Rule("fiscal_summary.gp_classes", "财政拨款收支总表一般公共预算各类等于一般公共预算支出表", BOTH,
         ("gp_expenditure", "fiscal_summary"), "财政拨款收支总表支出方类级行的一般公共预算列与一般公共预算支出表同名类",
         "财政拨款收支总表“{item}”的一般公共预算支出等于一般公共预算支出表科目{code}的合计", "cells", R.fiscal_gp_classes),
    Rule("gp_basic_econ.vs_gp_basic", "经济分类表合计等于一般公共预算基本支出", BOTH, ("gp_basic_econ", "gp_expenditure"),
         "经济分类表合计行与一般公共预算支出表基本支出合计", "基本支出经济分类表合计等于一般公共预算支出表基本支出合计", "cells",
         R.econ_vs_gp_basic),
    Rule("projects.vs_gp_project", "项目支出表合计等于一般公共预算项目支出", (BUDGET,), ("projects", "gp_expenditure"),
         "项目支出表（本年）各项目合计与一般公共预算支出表项目支出合计", "项目支出表各项目合计等于一般公共预算支出表项目支出", "cells",
         R.projects_vs_gp_project),
    Rule("projects_carryover.vs_summary", "上年结转项目合计等于收支总表上年结转", (BUDGET,),
         ("projects_carryover", "summary"), "上年结转项目表各项目合计与收支总表收入方上年结转",
         "上年结转项目合计等于收支总表上年结转", "cells", R.carryover_vs_summary),
    Rule("projects.all_lists", "两张项目表合计等于支出总表项目支出", (BUDGET,),
         ("projects", "projects_carryover", "expenditure"), "本年与上年结转项目合计与支出总表项目支出合计",
         "项目支出表（本年{current}项、上年结转{carried}项）合计等于支出总表项目支出", "given", R.project_lists_vs_expenditure),
    Rule("projects.vs_form", "项目等于其绩效目标表年度资金总额", (BUDGET,), ("projects", "performance_form"),
         "项目支出表（本年）每个项目与同名绩效目标表的年度资金总额", "项目支出表“{name}”等于其绩效目标表年度资金总额", "given",
         R.project_vs_form),
    *(Rule(f"{k}.balance", "收入总计等于支出总计", BOTH, (k,), "收入方总计与支出方总计",
           "{table}收入方{left}等于支出方{right}", "cells", R.balance(k)) for k in ("summary", "fiscal_summary")),
    Rule("three_public.total_parts", "“三公”经费合计等于三项之和", BOTH, ("three_public",),
         "合计与因公出国（境）费、公务接待费、公务用车购置及运行费", "{table}{row}{column}等于{what}", "cells",
         R.three_public_sums("total")),
    Rule("three_public.vehicle_parts", "公务用车购置及运行费等于购置费加运行维护费", BOTH, ("three_public",),
         "公务用车购置及运行费与购置费、运行维护费", "{table}{row}{column}等于{what}", "cells", R.three_public_sums("vehicle")),
    Rule("fiscal_summary.row_funds", "财政拨款每行合计等于三本预算之和", BOTH, ("fiscal_summary",),
         "支出方每行的合计与一般公共预算、政府性基金、国有资本经营预算列", "{table}“{item}”合计等于一般公共预算、政府性基金、国有资本经营预算之和",
         "cells", R.fiscal_row_funds),
    Rule("fiscal_summary.gov_fund", "财政拨款收支总表政府性基金支出等于政府性基金预算支出表", BOTH,
         ("fiscal_summary", "gov_fund_expenditure"), "财政拨款收支总表支出合计的政府性基金列与政府性基金预算支出表合计",
         "财政拨款收支总表{column}支出等于{table}合计", "cells", R.fiscal_fund_column("gov_fund_expenditure", "gov_fund")),
    Rule("fiscal_summary.soe_capital", "财政拨款收支总表国有资本经营预算支出等于国有资本经营预算支出表", BOTH,
         ("fiscal_summary", "soe_capital"), "财政拨款收支总表支出合计的国有资本经营预算列与国有资本经营预算支出表合计",
         "财政拨款收支总表{column}支出等于{table}合计", "cells", R.fiscal_fund_column("soe_capital", "soe_capital")),
    Rule("gp_basic_econ.groups", "经济分类类级等于其下各款之和", BOTH, ("gp_basic_econ",),
         "每个类级行（及合计）与其下各款，逐列", "{table}“{row}”行{column}等于其下{n}行之和", "cells", R.econ_groups),
    Rule("revenue.vs_expenditure", "收入总表与支出总表逐科目相等", (BUDGET,), ("revenue", "expenditure"),
         "两表同一科目编码的合计", "收入总表“{row}”行合计{carry}等于支出总表同一科目的合计", "cells", R.revenue_vs_expenditure),
    # ---- the tables' notes, headings and presence
    Rule("notes.empty_has_note", "空表注明原因", BOTH, (), "未印金额的表与其注",
         "“{title}”未印任何金额，应注明原因（如“本表无数据”）", "words", R.empty_needs_note, section="table"),
    Rule("notes.note_means_empty", "注明无数据的表不印金额", BOTH, (), "注明本表无数据的表与其金额",
         "“{title}”注明“{note}”，表中不应印有金额", "words", R.note_means_empty, section="table"),
    Rule("notes.names_own_table", "空表的注说的是本表", BOTH, (), "空表注中提到的预算名称",
         "“{title}”的注“{note}”{others}", "words", R.note_names_own_table, section="table"),
    Rule("report.required_tables", "标准表齐全", BOTH, (), "该类报告按模板应公开的每张表",
         "{family}公开报告应有{table}", "words", R.required_tables, section="table"),
    Rule("report.placeholders", "没有未替换的模板占位符", BOTH, (), "标题、表题和说明文字",
         "{where}{at}{finding}", "words", R.placeholders),
    Rule("report.heading_years", "表题年度与报告年度一致", BOTH, (), "每张表的表题年度",
         "表题“{title}”的年度（{printed}年）应为报告年度{year}年", "words", R.heading_years, section="table"),
    # ---- the prose
    # a 决算's prose figures mean other things (年初预算 is no 预算安排): final.prose_vs_tables reads them
    Rule("prose.vs_tables", "说明文字的数字等于表中数字", (BUDGET,), (), "说明中每个可识别的金额与它所说的表中数字",
         "说明文字{where}{what}{figure}万元，应等于{source}", "given", R.prose_vs_tables),
    Rule("prose.procurement_parts", "政府采购预算等于货物、工程、服务之和", BOTH, (), "说明中的政府采购预算与其货物、工程、服务",
         "说明文字所述政府采购预算{figure}万元，应等于其货物、工程、服务预算之和", "given", R.procurement_parts),
    Rule("prose.change_prior_nonnegative", "增减额不大于本年数", BOTH, (), "说明中的金额及其比上年增减额",
         "说明文字{at}“{what}”{figure}万元、比上年增减{change}万元：推出上年数{prior}万元，不应为负", "words",
         R.change_prior_nonnegative),
    Rule("prose.change_vs_prior", "本年数减增减额等于所述上年数", BOTH, (), "说明中的金额、增减额与所述上年数",
         "说明文字{at}“{what}”减去比上年增减额，应等于所述上年数", "given", R.change_vs_prior),
    Rule("prose.change_pct", "增减百分比与金额相符", BOTH, (), "说明中的金额、增减额与增减百分比",
         "说明文字{at}“{what}”比上年增减{pct}%，按所述金额推算约为{implied}%", "words", R.change_pct),
    Rule("prose.item_change_pct", "科目增减百分比与预算数、执行数相符", (BUDGET,), (), "科目段落的预算安排、上年执行数与增减百分比",
         "说明文字{at}科目{code}预算{figure}万元、上年执行数{prior}万元，所述增减{pct}%，按两数推算约为{implied}%", "words",
         R.item_change_pct),
    Rule("prose.revenue_expenditure_change", "收入与支出同增同减", BOTH, (), "说明中相等的收入总计与支出总计的增减额",
         "说明文字{at}所述收入总计与支出总计相等，两者比上年的增减额应相同", "given", R.revenue_expenditure_move_together),
    # ---- the 说明's statements (etl/words/statements.py), read as a reviewer reads them: each relation leaves to the
    # facts-based rules above what they already judge (one finding per real problem); descriptions per outcome
    Rule("prose.arranged_vs_amount", "科目金额等于其预算安排（支出决算）数", BOTH, (), "科目段落所列金额与同段“预算安排”/“支出决算为”",
         "说明文字{at}{finding}", "words", W.arranged_vs_amount),
    Rule("prose.stated_change_pct", "增减百分比与所述两数相符", BOTH, (), "每句的本年数、上年数（或增减额）与增减百分比",
         "说明文字{at}{finding}", "words", W.change_pct),
    Rule("prose.pct_sign", "百分比印有%", BOTH, (), "每句的增减百分比", "说明文字{at}{finding}", "words", W.pct_sign),
    Rule("prose.direction_vs_figures", "增减用词与所述数字相符", BOTH, (), "每句的增加/减少/持平与其本年数、上年数、增减额和第二个方向词",
         "说明文字{at}{finding}", "words", W.direction_vs_figures),
    Rule("prose.reason_direction", "所述原因与增减方向一致", BOTH, (), "每句的增减方向与其“主要原因”中的增减用词",
         "说明文字{at}{finding}", "words", W.reason_direction),
    Rule("prose.reason_names_item", "科目的原因说的是本科目", BOTH, (), "科目段落“主要原因是：X经费增加”中的X与本科目名称",
         "说明文字{at}{finding}", "words", W.reason_other_item),
    Rule("prose.comparison_years", "比较年度为上年、所述年度为报告年度", BOTH, (), "每句比较的年度、所述的年度与报告年度",
         "说明文字{at}{finding}", "words", W.comparison_years),
    Rule("prose.alternatives", "没有未删去的备选用词", BOTH, (), "说明中的“增加（减少）”“下降（增长）”等",
         "说明文字{at}{finding}", "words", W.alternatives),
    Rule("prose.template_notes", "没有未删去的模板填写说明", BOTH, (), "说明中括号内告诉作者如何填写的话",
         "说明文字{at}{finding}", "words", W.template_notes),
    Rule("prose.empty_reason", "所述原因不为空", BOTH, (), "每句的“主要原因是”之后", "说明文字{at}{finding}", "words",
         W.empty_reason),
    Rule("prose.parts_sum", "总数等于所列各部分之和", BOTH, (), "“X万元，其中：A万元，B万元…”的总数与各部分",
         "说明文字{at}{finding}", "words", W.parts_sum),
    Rule("prose.paired_changes", "相等的收入与支出增减相同", BOTH, (), "说明中相等的财政拨款收入与支出（收入总计与支出总计）的增减额",
         "说明文字{at}{finding}", "words", W.paired_changes),
    Rule("prose.item_names", "科目名称与表中一致", BOTH, (), "说明中科目每一级（类/款/项）的名称与功能分类表同一编码的名称",
         "说明文字{at}{finding}", "words", W.item_names),
    # ---- the report's make-up and wording (公开情况检查表): etl/checks/structure.py
    Rule("structure.family_word", "报告自称与报告类型一致", BOTH, (), "标题、目录和说明中指称本报告的“部门预算/单位预算/部门决算/单位决算”",
         "{finding}", "words", ST.family_word, section="explanation"),
    Rule("structure.punctuation", "标点不重复、成对标点完整", BOTH, (), "正文各段的标点：重复的标点，不成对的引号、括号、书名号",
         "{finding}", "words", ST.punctuation, section="explanation"),
    Rule("structure.sentence_ends", "说明各段以句号结束", BOTH, (), "编制说明、其他相关情况说明、项目经费情况说明各段的段末标点",
         "{finding}", "words", ST.sentence_ends, section="explanation"),
    Rule("structure.blank_pages", "没有空白页", BOTH, (), "报告各页（封面背面、末尾空白页除外）",
         "{finding}", "words", ST.blank_pages),
    Rule("structure.repeated", "没有重复印制的页面或部分", BOTH, (), "各页文字、各部分标题",
         "{finding}", "words", ST.repeated),
    Rule("structure.contents_found", "目录所列正文均有", BOTH, (), "目录每一项与正文",
         "{finding}", "words", ST.contents_found, section="contents"),
    Rule("structure.contents_complete", "正文各部分目录均已列出", BOTH, (), "正文各部分、各表与目录",
         "{finding}", "words", ST.contents_complete, section="contents"),
    Rule("structure.project_periods", "项目实施周期不早于预算年度", (BUDGET,), (),
         "绩效目标表的项目期和说明中“实施周期”所写的结束年度与预算年度", "{finding}", "words", ST.project_periods),
    Rule("structure.as_of_date", "决算所述资产情况截至年末", (FINAL,), (),
         "说明中“截至X年X月X日”（其后为车辆、资产等占有情况）与决算年度的12月31日", "{finding}", "words", ST.as_of_dates,
         section="other"),
    # ---- 决算 (final accounts): the national 决算 template's own arithmetic and words
    Rule("final_summary.totals", "收入支出决算总表总计与本年合计", (FINAL,), ("final_summary",),
         "收入方总计=本年收入合计+使用非财政拨款结余+年初结转和结余；支出方总计=本年支出合计+结余分配+年末结转和结余；"
         "本年收入/支出合计=其上各行", "{table}“{row}”等于{parts}", "cells", F.final_summary_identities),
    Rule("final_summary.balance", "收入总计等于支出总计", (FINAL,), ("final_summary",), "收入方总计与支出方总计",
         "{table}收入方{left}等于支出方{right}", "cells", R.balance("final_summary")),
    Rule("revenue.row_sources", "每行本年收入合计等于各项收入之和", (FINAL,), ("revenue",),
         "每行的本年收入合计与财政拨款收入、上级补助收入、事业收入、经营收入、附属单位上缴收入、其他收入",
         "{table}“{row}”行的本年收入合计等于{parts}", "cells",
         R.row_parts("revenue", "func_lines", "code", F.REVENUE_PARTS, "各项收入之和")),
    Rule("expenditure.row_parts", "每行本年支出合计等于各项支出之和", (FINAL,), ("expenditure",),
         "每行的本年支出合计与基本支出、项目支出、上缴上级支出、经营支出、对附属单位补助支出",
         "{table}“{row}”行的本年支出合计等于{parts}", "cells",
         R.row_parts("expenditure", "func_lines", "code", F.EXPENDITURE_PARTS, "基本支出、项目支出与其他各项支出之和")),
    Rule("fiscal_summary.final_totals", "财政拨款收入支出决算总表各合计与结转", (FINAL,), ("fiscal_summary",),
         "本年收入合计与各项资金；年初结转和结余与其下各项资金；各列本年支出合计与各类支出；总计=本年+结转；"
         "每项资金年初结转和结余+本年收入=本年支出+年末结转和结余", "{table}{row}等于{parts}", "cells",
         F.fiscal_final_identities),
    Rule("final_summary.vs_revenue", "收入支出决算总表与收入决算表一致", (FINAL,), ("final_summary", "revenue"),
         "本年收入合计与收入决算表合计；每项收入与收入决算表合计行的同名列", "{table}“{item}”等于{other}", "cells",
         F.final_summary_vs("revenue")),
    Rule("final_summary.vs_expenditure", "收入支出决算总表与支出决算表一致", (FINAL,), ("final_summary", "expenditure"),
         "本年支出合计与支出决算表合计；各类支出与支出决算表同名类", "{table}“{item}”等于{other}", "cells",
         F.final_summary_vs("expenditure")),
    Rule("fiscal_summary.vs_final_summary", "财政拨款收入与收入支出决算总表一致", (FINAL,),
         ("fiscal_summary", "final_summary"), "财政拨款收入支出决算总表本年各项财政拨款收入与收入支出决算总表同名收入",
         "{table}“{item}”等于收入支出决算总表所列", "cells", F.fiscal_vs_final_summary),
    Rule("gp_basic_econ.personnel_public", "人员经费、公用经费合计等于其各类之和", (FINAL,), ("gp_basic_econ",),
         "人员经费合计=301+303；公用经费合计=302+310（及其余各类）", "{table}“{row}”等于{parts}", "cells",
         F.econ_final_groups),
    Rule("gp_basic_econ.final_vs_gp_basic", "基本支出决算表合计等于一般公共预算基本支出", (FINAL,),
         ("gp_basic_econ", "gp_expenditure"), "人员经费合计+公用经费合计与一般公共预算财政拨款支出决算表基本支出合计",
         "{table}{row}等于{parts}", "cells", F.econ_final_vs_gp_basic),
    Rule("three_public.within_budget", "“三公”经费决算不超预算", (FINAL,), ("three_public",),
         "每项“三公”经费的决算数与预算数（超出为提示，需说明原因）", "{table}“{item}”的决算数不应超过预算数（超出须说明原因）",
         "cells", F.three_public_within_budget),
    Rule("final.prose_vs_tables", "决算说明文字的数字等于表中数字", (FINAL,), (), "说明中每个可识别的金额与它所说的表中数字",
         "说明文字{where}“{what}{code}”{figure}万元，应等于{source}", "given", F.prose_vs_tables),
    Rule("final.prose_shares", "说明文字的占比与表中数字相符", (FINAL,), (), "说明中“占X%”与表中两数之比",
         "说明文字{where}“{what}{code}”占{figure}%，按表中数字为{computed}%（{source}）", "words", F.prose_shares),
    Rule("final.prose_wording", "决算数与预算数的比较用词与数字相符", (FINAL,), (), "说明中“决算数大于/小于/等于/持平预算数”与所述两数",
         "说明文字{where}{what}{code}称决算数“{word}”预算数（年初预算{budget}万元，支出决算{actual}万元）", "words",
         F.prose_wording),
    Rule("final.prose_completion", "完成预算百分比与所述两数相符", (FINAL,), (), "说明中“完成预算的X%”与所述预算数、决算数",
         "说明文字{where}{what}{code}完成预算{figure}%（按预算{budget}万元、决算{actual}万元应为{computed}%）", "words",
         F.prose_completion),
    Rule("final.part_heading_years", "各部分标题年度与报告年度一致", (FINAL,), (), "“第X部分 … X年度部门决算”标题",
         "标题“{heading}”的年度应为报告年度{year}年", "words", F.heading_years),
    Rule("final.heading_units", "标题所写单位与封面一致", (FINAL,), (), "“… X年度部门决算（表）”标题中的单位名称",
         "标题“{heading}”所写单位“{named}”应与封面单位“{unit}”一致", "words", F.heading_units),
    Rule("prose.performance_count", "绩效项目个数等于绩效目标表张数", BOTH, ("performance_form",),
         "说明中的绩效目标管理项目个数与绩效目标表张数", "说明文字{at}称实行绩效目标管理的项目{stated}个，报告印有{printed}张绩效目标表",
         "words", R.performance_count),
    # ---- 跨报告 (across reports in the database): a figure one report states about another loaded report
    Rule("cross.final_initial_vs_budget", "决算年初预算数等于同年预算报告", (FINAL,), ("gp_expenditure",),
         "决算一般公共预算财政拨款支出决算表每个科目的年初预算数与同单位同年预算报告一般公共预算支出表同一科目合计",
         "{doc}第{page}页一般公共预算财政拨款支出决算表 {code} {name} 年初预算数{figure}万元，"
         "应等于{other}第{other_page}页一般公共预算支出表同一科目{other_figure}万元", "given",
         X.final_initial_vs_budget, database=True),
    Rule("cross.final_prose_budget_vs_budget", "决算说明所列年初预算等于同年预算报告", (FINAL,), (),
         "决算说明中科目“年初预算为X万元”与同单位同年预算报告一般公共预算支出表同一科目合计",
         "{doc}第{page}页说明文字科目{code} {name}“年初预算为{figure}万元”，"
         "应等于{other}第{other_page}页一般公共预算支出表同一科目{other_figure}万元", "given",
         X.final_prose_budget_vs_budget, database=True),
    Rule("cross.budget_prior_executed_vs_final", "预算所述上年执行数等于上年决算", (BUDGET,), (),
         "预算说明中科目“上年预算执行数为Y万元”与同单位上年决算一般公共预算财政拨款支出决算表同一科目合计",
         "{doc}第{page}页说明文字科目{code} {name}上年预算执行数{figure}万元，"
         "应等于{other}第{other_page}页一般公共预算财政拨款支出决算表同一科目决算数{other_figure}万元", "given",
         X.budget_prior_executed_vs_final, database=True),
    Rule("cross.budget_prior_gp_vs_prior_year", "预算所述上年一般公共预算等于上年报告", (BUDGET,), (),
         "预算说明中一般公共预算拨款支出减比上年增减额（即所述上年预算）与同单位上年预算报告一般公共预算支出表合计；"
         "上年预算未导入时与上年决算说明所列年初预算",
         "{doc}第{page}页说明文字一般公共预算拨款支出预算{current}万元、比上年增减{change}万元，即上年预算{figure}万元，"
         "应等于{other}第{other_page}页{what}{other_figure}万元", "given",
         X.budget_prior_gp_vs_prior_year, database=True),
)
CROSS_RULES: tuple[Rule, ...] = tuple(r for r in RULES if r.database)

BY_ID: dict[str, Rule] = {r.id: r for r in RULES}
assert len(BY_ID) == len(RULES), "rule ids must be unique"


class MissingField(KeyError):
    """A relation gave a comparison without a field its rule's description names: the description would read with
    a hole in it (it used to print blank), so the bug stops the report instead."""

    def __init__(self, rule: str, fields: list[str], check: str) -> None:
        super().__init__(f"rule {rule}: description field(s) {', '.join(fields)} not given by {check}")
        self.rule = rule
        self.fields = fields


def template_fields(template: str) -> list[str]:
    """The field names a description template uses, in order."""
    return [name for _, name, _, _ in Formatter().parse(template) if name]


def _describe(rule: Rule, c: Comparison) -> str:
    fields = dict(c.fields, table=K.label(c.table_kind))
    missing = [name for name in template_fields(rule.template) if name not in fields]
    if missing:
        raise MissingField(rule.id, missing, c.key)
    return rule.template.format_map(fields)


def _tolerance(rule: Rule, c: Comparison, v: R.View):
    if c.tolerance is not None:
        return c.tolerance
    return rounding_tolerance(v.unit(c.table_kind), c.cells)


def _row(rule: Rule, c: Comparison, v: R.View) -> dict:
    description = _describe(rule, c)
    if c.blocked is not None:
        t = v.unparsed.get(c.blocked, {})
        return {"check_id": c.key, "rule": rule.id, "expected": None, "actual": c.actual, "passed": None,
                "description": f"未核对：{description}——{K.label(c.blocked)}未能解析（{t.get('problem') or '原因未记录'}）",
                "table_kind": c.table_kind, "page": c.page if c.page is not None else t.get("page_from"),
                "section": c.section or rule.part, "quote": _quote(c)}
    if c.passed is not None or c.expected is None or c.actual is None:
        passed = c.passed
    else:
        passed = abs(c.expected - c.actual) <= _tolerance(rule, c, v)
    return {"check_id": c.key, "rule": rule.id, "description": description, "expected": c.expected,
            "actual": c.actual, "passed": passed, "table_kind": c.table_kind,
            "page": c.page if c.page is not None else v.page(c.table_kind), "section": c.section or rule.part,
            "quote": _quote(c)}


QUOTE_MAX = 40  # characters of the offending words a finding quotes (checks.quote)


def _quote(c: Comparison) -> str | None:
    """A quote longer than a reviewer can take in at a glance is a relation's bug, not something to cut silently."""
    if c.quote is not None and len(c.quote) > QUOTE_MAX:
        raise ValueError(f"{c.key}: quote longer than {QUOTE_MAX} characters: {c.quote!r}")
    return c.quote


def _not_run(rule: Rule, blocked: list[str], v: R.View) -> dict:
    first = v.unparsed[blocked[0]]
    why = "；".join(f"{K.label(k)}未能解析（{v.unparsed[k].get('problem') or '原因未记录'}）" for k in blocked)
    return {"check_id": f"{rule.id}:not_run", "rule": rule.id, "description": f"未核对：{rule.name}——{why}",
            "expected": None, "actual": None, "passed": None, "table_kind": blocked[0], "page": first.get("page_from"),
            "section": rule.part, "quote": None}


def evaluate(report: ParsedReport, rules: tuple[Rule, ...] = RULES) -> list[dict]:
    """Every rule of the report's family: its checks rows (doc_id is added by the pipeline)."""
    v = R.View(report)
    family = K.family_of(report.doc.get("doc_type"))
    out: list[dict] = []
    for rule in rules:
        if family not in rule.families or rule.database:
            continue
        if any(k not in v.tables and k not in v.unparsed for k in rule.tables):
            continue  # a table it relates is not printed: the missing-table rule says so
        blocked = [k for k in rule.tables if k in v.unparsed]
        if blocked:
            out.append(_not_run(rule, blocked, v))
            continue
        for c in _comparisons(rule, v):
            if c.table_kind is None:
                c.table_kind = rule.tables[0] if rule.tables else None
            out.append(_row(rule, c, v))
    return out


# a cross comparison carries its own tolerance and page: the one-report view the evaluator falls back on is empty
_NO_VIEW = SimpleNamespace(unparsed={}, page=lambda kind: None, unit=lambda kind: "元")


def evaluate_cross(con, doc_id: str, rules: tuple[Rule, ...] = CROSS_RULES) -> list[dict]:
    """The 跨报告 rules of one loaded report against the other reports in `con`: its checks rows (with doc_id)."""
    row = con.execute("SELECT u.doc_id, u.unit_name, u.fiscal_year, u.doc_type, d.source_file FROM unit_docs u "
                      "JOIN documents d USING (doc_id) WHERE u.doc_id = ?", [doc_id]).fetchone()
    if row is None or not row[1] or not row[2] or not row[3]:
        return []  # a report without unit, year or type has no counterpart
    v = X.DbView(con, dict(zip(("doc_id", "unit_name", "fiscal_year", "doc_type", "source_file"), row, strict=True)))
    family = K.family_of(v.doc["doc_type"])
    printed = {k for (k,) in con.execute("SELECT DISTINCT table_kind FROM report_tables WHERE doc_id = ? "
                                         "AND status IS DISTINCT FROM 'unparsed'", [doc_id]).fetchall()}
    out = []
    for rule in rules:
        if family not in rule.families or any(k not in printed for k in rule.tables):
            continue
        for c in rule.relation(v):
            out.append(dict(_row(rule, c, _NO_VIEW), doc_id=doc_id))
    return out


def refresh_cross(con, doc_id: str) -> None:
    """Recompute the 跨报告 checks of a report just written and of the reports of its unit it can relate to (the
    year before, the same year, the year after): loading a 预算 after its 决算 re-judges the 决算. Called inside the
    writer's transaction, so the checks never disagree with the reports loaded."""
    row = con.execute("SELECT unit_name, fiscal_year FROM unit_docs WHERE doc_id = ?", [doc_id]).fetchone()
    docs = [doc_id]
    if row is not None and row[0] and row[1]:
        docs += [d for (d,) in con.execute(
            "SELECT doc_id FROM unit_docs WHERE unit_name = ? AND fiscal_year BETWEEN ? AND ? AND doc_id <> ? "
            "ORDER BY doc_id", [row[0], row[1] - 1, row[1] + 1, doc_id]).fetchall()]
    ids = [r.id for r in CROSS_RULES]
    for d in docs:
        con.execute(f"DELETE FROM checks WHERE doc_id = ? AND rule IN ({', '.join('?' * len(ids))})", [d, *ids])
        rows = evaluate_cross(con, d)
        if rows:
            cols = list(rows[0])
            con.executemany(f"INSERT INTO checks ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                            [[r[c] for c in cols] for r in rows])


def _comparisons(rule: Rule, v: R.View) -> Iterator[Comparison]:
    yield from rule.relation(v)
