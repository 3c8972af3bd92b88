"""The one query module: every SQL statement the dashboard's pages and figures read lives here.

Each query takes its generation of the database first (`db`, supplied by the decorator, never by callers) and binds
every value as a parameter, never formatted into SQL. The decorators of dashboard/generations.py cache the result
(st.cache_data) and say what it is keyed by: by_generation (the list of reports: recomputed for every new generation
of the file), by_report / by_unit / by_year (a query of one report's rows, of one unit's reports or of one year's:
kept warm while other units' reports are loaded). That module also holds the connection, the versions and the
background threads; pages reach the database's state through the names re-exported below.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from dashboard import generations  # generations.read_sql at call time: one seam for a test's spy

# DatabaseMissing, DatabaseUnreadable, check_database and db_path are the database's state as the pages (the 导入
# page, dashboard/uploads.py) have always imported it from here, where they read the database: public re-exports.
from dashboard.generations import DatabaseMissing as DatabaseMissing
from dashboard.generations import DatabaseUnreadable as DatabaseUnreadable
from dashboard.generations import by_generation, by_report, by_unit, by_year, warm_ahead
from dashboard.generations import check_database as check_database
from dashboard.generations import db_path as db_path
from etl.read.names import sql_name_key
from etl.read.units import sql_yuan_per
from etl.store.schema import YOY_FUNC_FOR_UNIT

# A unit argument is any printing of the unit's name — the display name unit_docs gives (what the picker shows), or
# a report's own: the SQL keys it (etl/read/names.py), so it selects every report of the unit, however each prints it.
_UNIT_KEY = sql_name_key("?")


@warm_ahead
@by_generation
def documents(db: str) -> pd.DataFrame:
    """All reports, each under its unit's one display name (unit_docs: every printing of the name that differs only
    in spaces, bracket widths or 其它/其他, and every alias, is one unit), with unit_key and the name it prints."""
    return generations.read_sql(
        db,
        """
        SELECT u.doc_id, u.unit_name, u.printed_unit_name, d.fiscal_year, d.doc_type, d.title, d.source_file,
               d.page_count, d.source_kind, u.unit_key
        FROM unit_docs u JOIN documents d USING (doc_id)
        ORDER BY u.unit_name, d.fiscal_year DESC, d.doc_type, u.doc_id
        """,
    )


@by_year
def flagged_tables(db: str, fiscal_year: int) -> pd.DataFrame:
    """The tables of one year's reports whose figures a page cannot vouch for — not read (status unparsed) or read
    with their own arithmetic failing (unverified) — for pages comparing units to say so."""
    return generations.read_sql(
        db,
        """
        SELECT u.unit_name, r.table_kind, r.page_from, r.status, r.problem
        FROM report_tables r JOIN unit_docs u USING (doc_id)
        WHERE r.status IN ('unparsed', 'unverified') AND u.fiscal_year = ?
        ORDER BY u.unit_name, r.doc_id, r.seq
        """,
        [fiscal_year],
    )


@by_report
def prior_document(db: str, doc_id: str) -> pd.DataFrame:
    """The same unit's report of the same kind one year earlier, for change figures the prose doesn't state."""
    return generations.read_sql(
        db,
        """
        SELECT p.doc_id, p.fiscal_year FROM unit_keys c JOIN unit_keys p
          ON p.unit_key = c.unit_key AND p.doc_type = c.doc_type AND p.fiscal_year = c.fiscal_year - 1
        WHERE c.doc_id = ?
        ORDER BY p.doc_id
        LIMIT 1
        """,
        [doc_id],
    )


_REPORT_TABLES = """
    SELECT seq, table_kind, table_no, title, unit_printed, page_from, page_to, has_data, row_count, status,
           problem, note
    FROM report_tables WHERE doc_id = ? ORDER BY seq NULLS LAST, page_from
"""


@by_report
def report_tables(db: str, doc_id: str) -> pd.DataFrame:
    return generations.read_sql(db, _REPORT_TABLES, [doc_id])


@by_report
def summary_lines(db: str, doc_id: str) -> pd.DataFrame:
    return generations.read_sql(
        db,
        """
        SELECT table_kind, side, item, measure, column_label, amount_yuan, page, row_no
        FROM summary_lines WHERE doc_id = ? ORDER BY table_kind, row_no NULLS LAST
        """,
        [doc_id],
    )


@by_report
def func_lines(db: str, doc_id: str, table_kind: str) -> pd.DataFrame:
    return generations.read_sql(
        db,
        """
        SELECT code, name, level, measure, column_label, amount_yuan, page, row_no
        FROM func_lines WHERE doc_id = ? AND table_kind = ?
        ORDER BY row_no NULLS LAST, code
        """,
        [doc_id, table_kind],
    )


@by_report
def econ_lines(db: str, doc_id: str) -> pd.DataFrame:
    return generations.read_sql(
        db,
        """
        SELECT econ_code, econ_name, gov_econ_name, is_group, measure, column_label, amount_yuan, page, row_no
        FROM econ_lines WHERE doc_id = ? ORDER BY row_no NULLS LAST
        """,
        [doc_id],
    )


@by_report
def three_public(db: str, doc_id: str) -> pd.DataFrame:
    return generations.read_sql(
        db,
        """
        SELECT table_kind, item, measure, column_label, amount_yuan, page
        FROM three_public WHERE doc_id = ?
        """,
        [doc_id],
    )


# Every project the report names: its 项目支出表 rows; where the template prints no project list (上海 部门预算),
# the projects of its 绩效目标表, at their 年度资金总额. Never both, so no project is counted twice.
_PROJECT_LIST = """
    SELECT table_kind, name, carryover, total_yuan, general_budget_yuan, gov_fund_yuan, soe_capital_yuan,
           special_account_yuan, unit_funds_yuan, page, row_no, '项目支出表' AS listed_in, name_key
    FROM projects WHERE doc_id = ?
    UNION ALL
    SELECT 'performance_form', project_name, NULL, annual_funds_yuan, NULL, NULL, NULL, NULL, NULL, page, NULL,
           '绩效目标表', name_key
    FROM project_forms WHERE doc_id = ? AND NOT EXISTS (SELECT 1 FROM projects WHERE doc_id = ?)
"""


@by_report
def projects(db: str, doc_id: str) -> pd.DataFrame:
    return generations.read_sql(
        db,
        f"SELECT * FROM ({_PROJECT_LIST}) ORDER BY total_yuan DESC NULLS LAST, row_no, page, name",
        [doc_id, doc_id, doc_id],
    )


@by_report
def project_forms(db: str, doc_id: str) -> pd.DataFrame:
    return generations.read_sql(
        db,
        """
        SELECT project_name, department, implementer, attribute, period, total_funds_yuan, annual_funds_yuan,
               overview, basis, necessity, safeguards, plan, goal_period, goal_annual, page, name_key
        FROM project_forms WHERE doc_id = ?
        """,
        [doc_id],
    )


@by_report
def project_funds(db: str, doc_id: str) -> pd.DataFrame:
    return generations.read_sql(
        db,
        "SELECT project_name, scope, source, amount_yuan, name_key FROM project_funds WHERE doc_id = ?",
        [doc_id],
    )


@by_report
def indicators(db: str, doc_id: str) -> pd.DataFrame:
    return generations.read_sql(
        db,
        """
        SELECT project_name, scope, level1, level2, level3, target, row_no, name_key
        FROM indicators WHERE doc_id = ? ORDER BY project_name, scope, row_no NULLS LAST
        """,
        [doc_id],
    )


@by_report
def procurement(db: str, doc_id: str) -> pd.DataFrame:
    return generations.read_sql(
        db,
        """
        SELECT project, econ_class, item, quantity, amount_yuan, page, name_key
        FROM procurement WHERE doc_id = ? ORDER BY project, amount_yuan DESC NULLS LAST
        """,
        [doc_id],
    )


@by_report
def search_projects(db: str, doc_id: str, words: tuple[str, ...]) -> pd.DataFrame:
    """Projects whose name, form text or indicators contain every word (case-insensitive, no wildcards); a form
    and its indicators belong to a project by the name key stored at ingest (etl.read.names)."""
    conditions = " AND ".join("strpos(lower(hay), lower(?)) > 0" for _ in words) or "TRUE"
    return generations.read_sql(
        db,
        f"""
        WITH ind AS (
            SELECT i.name_key AS k, string_agg(concat_ws(' ', i.level3, i.target), ' ') AS txt
            FROM indicators i WHERE i.doc_id = ? GROUP BY 1
        ), hay AS (
            SELECT p.name, concat_ws(' ', p.name, f.overview, f.basis, f.necessity, f.safeguards, f.plan,
                                     f.goal_period, f.goal_annual, f.department, f.implementer, ind.txt) AS hay
            FROM ({_PROJECT_LIST}) p
            LEFT JOIN project_forms f ON f.doc_id = ? AND f.name_key = p.name_key
            LEFT JOIN ind ON ind.k = p.name_key
        )
        SELECT DISTINCT name FROM hay WHERE {conditions}
        """,
        [doc_id, doc_id, doc_id, doc_id, doc_id, *words],
    )


@by_report
def facts(db: str, doc_id: str) -> pd.DataFrame:
    return generations.read_sql(
        db,
        "SELECT key, value, unit, sentence, code, page FROM facts WHERE doc_id = ?",
        [doc_id],
    )


_CHECKS = """
    WITH t AS (
        SELECT table_kind, arg_min(table_no, seq) AS table_no, arg_min(title, seq) AS table_title,
               min(page_from) AS table_page
        FROM report_tables WHERE doc_id = ? GROUP BY table_kind
    )
    SELECT c.check_id, c.description, c.expected, c.actual, c.passed, c.table_kind, t.table_no,
           t.table_title, COALESCE(c.page, t.table_page) AS page, c.rule, c.section, c.quote
    FROM checks c LEFT JOIN t ON t.table_kind = c.table_kind
    WHERE c.doc_id = ?
    ORDER BY c.passed NULLS FIRST, c.check_id
"""


@by_report
def checks(db: str, doc_id: str) -> pd.DataFrame:
    """Checks with the printed table number/title beside them and the part of the report each is about (section) with
    the words it quotes; failures first, as the page shows them."""
    return generations.read_sql(db, _CHECKS, [doc_id, doc_id])


_SECTIONS = "SELECT seq, section, title, page_from, page_to FROM report_sections WHERE doc_id = ? ORDER BY seq"
_CONTENTS = "SELECT seq, title, page, section, found FROM contents_entries WHERE doc_id = ? ORDER BY seq"


@by_report
def report_sections(db: str, doc_id: str) -> pd.DataFrame:
    """The report's parts in reading order (封面, 目录, 职能 … each table), so 数据核对 can say which parts it prints."""
    return generations.read_sql(db, _SECTIONS, [doc_id])


@by_report
def contents_entries(db: str, doc_id: str) -> pd.DataFrame:
    """The report's 目录 as printed, each entry with the part it names and whether the body has it."""
    return generations.read_sql(db, _CONTENTS, [doc_id])


@by_report
def ingest_issues(db: str, doc_id: str) -> pd.DataFrame:
    return generations.read_sql(
        db,
        """
        SELECT severity, table_kind, page, message FROM ingest_issues WHERE doc_id = ?
        ORDER BY CASE severity WHEN 'error' THEN 0 ELSE 1 END, page NULLS LAST
        """,
        [doc_id],
    )


@by_unit
def yoy_func(db: str, unit_name: str, doc_type: str | None, table_kind: str, measure: str) -> pd.DataFrame:
    """Every loaded year of one unit's 功能分类 cells beside the year before (the yoy_func view), so the 同比变化
    page draws its waterfall, change table and history from one consistent source."""
    return generations.read_sql(
        db,
        f"""
        SELECT code, name, length(code) AS code_len, fiscal_year, amount_yuan, prior_amount_yuan, change_yuan,
               change_pct
        FROM ({YOY_FUNC_FOR_UNIT})
        ORDER BY fiscal_year, code
        """,
        [unit_name, doc_type, table_kind, measure, unit_name, doc_type, table_kind],
    )


@by_unit
def yoy_projects(db: str, unit_name: str, doc_type: str | None, fiscal_year: int) -> pd.DataFrame:
    """Projects of one unit's year matched to the year before by name key: unmatched names stay 新增 / 结束."""
    return generations.read_sql(
        db,
        f"""
        SELECT table_kind, name, total_yuan, prior_total_yuan, change_yuan, change_pct, status
        FROM yoy_projects WHERE unit_key = {_UNIT_KEY} AND doc_type IS NOT DISTINCT FROM ? AND fiscal_year = ?
        ORDER BY CASE status WHEN '新增' THEN 0 WHEN '结束' THEN 1 ELSE 2 END,
                 COALESCE(total_yuan, prior_total_yuan) DESC NULLS LAST, name
        """,
        [unit_name, doc_type, fiscal_year],
    )


# 单位对比: each kind of figure for every report of one year in one statement (one row per report), picked where the
# unit's own pages pick it (kpis.load, tables.econ_split, the “三公” tables), so the page never loops over reports.
_YEAR_DOCS = "docs AS (SELECT doc_id FROM documents WHERE fiscal_year = ?)"


@by_year
def year_totals(db: str, fiscal_year: int) -> pd.DataFrame:
    """支出总计, 基本支出 and 项目支出 as kpis.load picks them, so they match each unit's 总览: 支出总计 from the
    summary rows (exact 支出总计/支出总计（合计）/支出合计 rows before rows merely starting so; 收支总表 first, then that
    name order, then the 合计 column), else the 支出总表's level-0 合计 row unless it is 0, else the prose; 基本/项目
    from that 合计 row, else the prose. A prose figure is in 元 whatever unit its sentence used."""
    return generations.read_sql(
        db,
        f"""
        WITH {_YEAR_DOCS},
        named AS (
            SELECT s.doc_id, s.amount_yuan, s.table_kind, s.row_no,
                   CASE s.item WHEN '支出总计' THEN 0 WHEN '支出总计（合计）' THEN 1 WHEN '支出合计' THEN 2 ELSE 3
                   END AS item_rank,
                   CASE WHEN s.measure = 'total' THEN 0 WHEN s.measure IS NULL THEN 1 ELSE 2 END AS measure_rank
            FROM summary_lines s JOIN docs USING (doc_id)
            WHERE s.side = '支出' AND s.amount_yuan IS NOT NULL
              AND (starts_with(s.item, '支出总计') OR starts_with(s.item, '支出合计'))
        ), summary AS (
            SELECT doc_id, amount_yuan, row_number() OVER (
                       PARTITION BY doc_id
                       ORDER BY COALESCE(table_kind, '') <> 'summary', item_rank, measure_rank, row_no NULLS LAST,
                                table_kind NULLS LAST) AS pick
            FROM (SELECT *, min(item_rank) OVER (PARTITION BY doc_id) AS best FROM named)
            WHERE item_rank < 3 OR best = 3
        ), func AS (
            SELECT f.doc_id, f.measure,
                   first(f.amount_yuan ORDER BY f.row_no NULLS LAST, f.code NULLS LAST) AS amount_yuan
            FROM func_lines f JOIN docs USING (doc_id)
            WHERE f.table_kind = 'expenditure' AND f.level = 0 AND f.amount_yuan IS NOT NULL
              AND f.measure IN ('total', 'basic', 'project')
            GROUP BY f.doc_id, f.measure
        ), prose AS (
            SELECT f.doc_id, f.key,
                   first(f.value * {sql_yuan_per("f.unit")} ORDER BY f.rowid) AS yuan
            FROM facts f JOIN docs USING (doc_id)
            WHERE f.key IN ('expenditure_total', 'basic_total', 'project_total')
            GROUP BY f.doc_id, f.key
        )
        SELECT d.doc_id,
               COALESCE(s.amount_yuan, CASE WHEN ft.amount_yuan <> 0 THEN ft.amount_yuan ELSE pt.yuan END)
                   AS expenditure,
               COALESCE(fb.amount_yuan, pb.yuan) AS basic,
               COALESCE(fp.amount_yuan, pp.yuan) AS project
        FROM docs d
        LEFT JOIN summary s ON s.doc_id = d.doc_id AND s.pick = 1
        LEFT JOIN func ft ON ft.doc_id = d.doc_id AND ft.measure = 'total'
        LEFT JOIN func fb ON fb.doc_id = d.doc_id AND fb.measure = 'basic'
        LEFT JOIN func fp ON fp.doc_id = d.doc_id AND fp.measure = 'project'
        LEFT JOIN prose pt ON pt.doc_id = d.doc_id AND pt.key = 'expenditure_total'
        LEFT JOIN prose pb ON pb.doc_id = d.doc_id AND pb.key = 'basic_total'
        LEFT JOIN prose pp ON pp.doc_id = d.doc_id AND pp.key = 'project_total'
        ORDER BY d.doc_id
        """,
        [fiscal_year],
    )


@by_year
def year_econ(db: str, fiscal_year: int) -> pd.DataFrame:
    """人员经费 and 公用经费 as tables.econ_split reads them: the 经济分类表's 合计 (or 总计) row as printed, the last
    such row where one repeats — not re-added, since the print rounds."""
    return generations.read_sql(
        db,
        f"""
        WITH {_YEAR_DOCS},
        totals AS (
            SELECT e.doc_id, e.measure, e.amount_yuan,
                   row_number() OVER (PARTITION BY e.doc_id, e.measure
                                      ORDER BY e.row_no DESC NULLS FIRST, e.rowid DESC) AS pick
            FROM econ_lines e JOIN docs USING (doc_id)
            WHERE e.econ_name IN ('合计', '总计') AND e.measure IN ('personnel', 'public')
        )
        SELECT d.doc_id, p.amount_yuan AS personnel, u.amount_yuan AS public
        FROM docs d
        LEFT JOIN totals p ON p.doc_id = d.doc_id AND p.measure = 'personnel' AND p.pick = 1
        LEFT JOIN totals u ON u.doc_id = d.doc_id AND u.measure = 'public' AND u.pick = 1
        ORDER BY d.doc_id
        """,
        [fiscal_year],
    )


@by_year
def year_three_public(db: str, fiscal_year: int) -> pd.DataFrame:
    """“三公”经费合计 and 机关运行经费 as printed; where the row is absent but the report prints the table as 本表无数据
    (no part of it has data), 0 — the unit budgets none — flagged so the page can say why it shows 0."""
    return generations.read_sql(
        db,
        f"""
        WITH {_YEAR_DOCS},
        printed AS (
            SELECT t.doc_id, t.table_kind, first(t.amount_yuan ORDER BY t.rowid) AS amount_yuan
            FROM three_public t JOIN docs USING (doc_id)
            WHERE t.measure = 'total' AND ((t.table_kind = 'three_public' AND t.item = '合计')
                                           OR (t.table_kind = 'operating_cost' AND t.item = '机关运行经费'))
            GROUP BY t.doc_id, t.table_kind
        ), empty AS (
            SELECT r.doc_id, r.table_kind
            FROM report_tables r JOIN docs USING (doc_id)
            WHERE r.table_kind IN ('three_public', 'operating_cost')
            GROUP BY r.doc_id, r.table_kind
            HAVING NOT bool_or(COALESCE(r.has_data, false))
        )
        SELECT d.doc_id,
               CASE WHEN tp.doc_id IS NOT NULL THEN tp.amount_yuan WHEN te.doc_id IS NOT NULL THEN 0 END
                   AS three_public,
               CASE WHEN oc.doc_id IS NOT NULL THEN oc.amount_yuan WHEN oe.doc_id IS NOT NULL THEN 0 END
                   AS operating_cost,
               tp.doc_id IS NULL AND te.doc_id IS NOT NULL AS three_public_empty
        FROM docs d
        LEFT JOIN printed tp ON tp.doc_id = d.doc_id AND tp.table_kind = 'three_public'
        LEFT JOIN printed oc ON oc.doc_id = d.doc_id AND oc.table_kind = 'operating_cost'
        LEFT JOIN empty te ON te.doc_id = d.doc_id AND te.table_kind = 'three_public'
        LEFT JOIN empty oe ON oe.doc_id = d.doc_id AND oe.table_kind = 'operating_cost'
        ORDER BY d.doc_id
        """,
        [fiscal_year],
    )


@by_year
def year_report_tables(db: str, fiscal_year: int) -> pd.DataFrame:
    """report_tables of every report of the year, each report's rows in report_tables()'s order, so one statement
    names the source tables of all units compared."""
    return generations.read_sql(
        db,
        f"""
        WITH {_YEAR_DOCS}
        SELECT r.doc_id, r.seq, r.table_kind, r.table_no, r.title, r.unit_printed, r.page_from, r.page_to,
               r.has_data, r.row_count
        FROM report_tables r JOIN docs USING (doc_id)
        ORDER BY r.doc_id, r.seq NULLS LAST, r.page_from
        """,
        [fiscal_year],
    )


# ------------------------------------------------------------------------------------------ 决算 (issue 11)


@by_report
def budget_vs_actual(db: str, doc_id: str) -> pd.DataFrame:
    """A 决算's 一般公共预算 科目 with their budget (and where it comes from), actual and completion, in code order."""
    return generations.read_sql(
        db,
        """
        SELECT code, name, level, budget_yuan, budget_source, budget_page, actual_yuan, actual_page,
               difference_yuan, completion_pct, budget_doc_id
        FROM budget_vs_actual WHERE final_doc_id = ?
        ORDER BY code NULLS FIRST
        """,
        [doc_id],
    )


@by_report
def stated_reasons(db: str, doc_id: str) -> pd.DataFrame:
    """The reasons a 决算's prose gives per 科目 (决算数小于预算数的主要原因：…) and the comparison word it uses."""
    return generations.read_sql(
        db,
        """
        SELECT code, max(CASE WHEN key = 'item_reason' THEN sentence END) AS reason,
               max(CASE WHEN key = 'item_comparison' THEN unit END) AS wording, min(page) AS page
        FROM facts WHERE doc_id = ? AND key IN ('item_reason', 'item_comparison') AND code IS NOT NULL
        GROUP BY code
        """,
        [doc_id],
    )


@by_report
def final_balances(db: str, doc_id: str) -> pd.DataFrame:
    """结转和结余 at year start and end as a 决算's two 总表 print them (blank lines are no rows)."""
    return generations.read_sql(
        db,
        """
        SELECT table_kind, side, item, measure, amount_yuan, page
        FROM summary_lines
        WHERE doc_id = ? AND table_kind IN ('final_summary', 'fiscal_summary') AND measure = 'total'
          AND (item LIKE '年初%结转和结余' OR item LIKE '年末%结转和结余')
        ORDER BY table_kind, row_no
        """,
        [doc_id],
    )


@by_unit
def final_of(db: str, unit_name: str, fiscal_year: int) -> pd.DataFrame:
    """The 决算 documents loaded for a unit and year (the 预算执行 page points a 预算's reader to them)."""
    return generations.read_sql(
        db,
        f"""
        SELECT doc_id, doc_type FROM unit_keys
        WHERE unit_key = {_UNIT_KEY} AND fiscal_year = ? AND doc_type LIKE '%决算'
        ORDER BY doc_id
        """,
        [unit_name, fiscal_year],
    )


# ---- on a caller's own connection: what a finding's page picture looks for (dashboard/export/evidence.py), asked
# by the 检查表 command outside the app as well as by the 数据核对 page; a cursor per query, values bound

def statement_sentence(con: duckdb.DuckDBPyConnection, doc_id: str, statement_id: str) -> tuple | None:
    """(sentence, unit) of one statement of the 说明."""
    return con.cursor().execute("SELECT sentence, unit FROM statements WHERE doc_id = ? AND statement_id = ?",
                                [doc_id, statement_id]).fetchone()


def fact_sentences(con: duckdb.DuckDBPyConnection, doc_id: str, key: str, page: int | None,
                   code: str | None) -> list[tuple]:
    """The distinct (sentence, unit) a prose figure of this key (and 科目 code) was read from on that page."""
    return con.cursor().execute(
        "SELECT DISTINCT sentence, unit FROM facts WHERE doc_id = ? AND key = ? "
        "AND page IS NOT DISTINCT FROM ? AND (? IS NULL OR code = ?) AND sentence IS NOT NULL",
        [doc_id, key, page, code, code]).fetchall()


def table_unit(con: duckdb.DuckDBPyConnection, doc_id: str, table_kind: str, page: int | None) -> str | None:
    """The money unit printed on that table (the one printed on the page asked, where it spans several)."""
    row = con.cursor().execute(
        "SELECT unit_printed FROM report_tables WHERE doc_id = ? AND table_kind = ? "
        "ORDER BY (? BETWEEN page_from AND page_to) DESC NULLS LAST, seq LIMIT 1",
        [doc_id, table_kind, page]).fetchone()
    return row[0] if row else None


def table_note(con: duckdb.DuckDBPyConnection, doc_id: str, table_kind: str | None) -> str | None:
    """The 注 printed under that table."""
    row = con.cursor().execute("SELECT note FROM report_tables WHERE doc_id = ? AND table_kind = ? "
                               "AND note IS NOT NULL ORDER BY seq LIMIT 1", [doc_id, table_kind]).fetchone()
    return row[0] if row else None



# ---- on a caller's own connection: what a 公开情况检查表 is written from (dashboard/export/review.py), by the
# `etl review` command and by the 数据核对 page's download alike; plain functions, a cursor per query, values bound

def review_documents(con: duckdb.DuckDBPyConnection, fiscal_year: int | None = None, doc_type: str | None = None,
                     unit: str | None = None) -> pd.DataFrame:
    """The reports a 检查表 can be written for — one year's, one kind's, one unit's (any printing of its name, or an
    alias) — each under its unit's one display name, with what the sheet heads with and what finds its file."""
    return con.cursor().execute(
        f"""
        SELECT d.doc_id, u.unit_name, d.unit_name AS printed_unit_name, d.fiscal_year, d.doc_type, d.title,
               d.source_file, d.sha256, d.source_kind, d.page_count
        FROM unit_docs u JOIN documents d USING (doc_id)
        WHERE (CAST(? AS INTEGER) IS NULL OR d.fiscal_year = ?)
          AND (CAST(? AS VARCHAR) IS NULL OR d.doc_type = ?)
          AND (CAST(? AS VARCHAR) IS NULL OR u.unit_key = {_UNIT_KEY} OR d.unit_key = {_UNIT_KEY})
        ORDER BY u.unit_name, d.fiscal_year DESC, d.doc_type, d.doc_id
        """,
        [fiscal_year, fiscal_year, doc_type, doc_type, unit, unit, unit]).df()


def review_years(con: duckdb.DuckDBPyConnection) -> list[tuple[int | None, int]]:
    """(fiscal year, number of reports) for each year the database holds, newest first: what an unknown year's
    message offers instead."""
    return con.cursor().execute("SELECT fiscal_year, count(*) FROM documents GROUP BY fiscal_year "
                                "ORDER BY fiscal_year DESC NULLS LAST").fetchall()


def review_checks(con: duckdb.DuckDBPyConnection, doc_id: str) -> pd.DataFrame:
    """Every check of one report as `checks` (the cached page query) gives it, plus doc_id, which a picture's inputs
    need."""
    frame = con.cursor().execute(_CHECKS, [doc_id, doc_id]).df()
    frame.insert(0, "doc_id", doc_id)
    return frame


def review_sections(con: duckdb.DuckDBPyConnection, doc_id: str) -> pd.DataFrame:
    """The report's parts in reading order, as report_sections (the cached query) gives them."""
    return con.cursor().execute(_SECTIONS, [doc_id]).df()


def review_contents(con: duckdb.DuckDBPyConnection, doc_id: str) -> pd.DataFrame:
    """The report's 目录 entries, as contents_entries (the cached query) gives them."""
    return con.cursor().execute(_CONTENTS, [doc_id]).df()


def review_tables(con: duckdb.DuckDBPyConnection, doc_id: str) -> pd.DataFrame:
    """The report's tables in printed order, as report_tables (the cached query) gives them: one line of the 检查表
    each."""
    return con.cursor().execute(_REPORT_TABLES, [doc_id]).df()
