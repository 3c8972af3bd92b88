"""The DuckDB model (../shared/spec/data-contract.md plus our additions), created idempotently.

Every ingest and every reader goes through `ensure_schema`, so a database file written by an older build gains new
tables without a migration step. Columns beyond the contract are documented in docs/data-model.md.
"""

from __future__ import annotations

import hashlib

import duckdb

from etl.read.names import alias_join, key_ddl, sql_name_key
from etl.tables import kinds as K

# One unit's 功能分类 cells beside the year before. The yoy_func view runs it for every unit; the dashboard runs it
# for one unit, report type, table and measure with the filters inside `cur` (a filter on the view's output cannot
# be pushed through its FULL OUTER JOIN, so a view query reads every unit). One text, so the two cannot drift.
# Units pair by unit_docs.unit_key (one unit however its reports print its name); the unit is named by the view's
# one display name of that key.
# Two reports of one unit and year (a 部门预算 and a 单位预算) are never summed: doc_type is part of every key.
# A year counts as "loaded" for a table only if its report has that table (printed as 本表无数据 counts: a real 0);
# otherwise the change is unknown (NULL), never "last year was 0".
_YOY_FUNC = """
WITH cur AS (
    SELECT u.unit_key, u.unit_name, u.doc_type, u.fiscal_year, f.table_kind, f.code,
           f.name, f.measure, SUM(f.amount_yuan) AS amount_yuan
    FROM func_lines f
    JOIN unit_docs u USING (doc_id)
    WHERE f.code IS NOT NULL AND f.measure IS NOT NULL {cell_filter}
    GROUP BY ALL
), years AS (
    SELECT DISTINCT u.unit_key, u.doc_type, u.fiscal_year, r.table_kind
    FROM unit_keys u JOIN report_tables r USING (doc_id)
    {year_filter}
)
SELECT COALESCE(c.unit_name, p.unit_name) AS unit_name,
       COALESCE(c.table_kind, p.table_kind) AS table_kind,
       COALESCE(c.code, p.code) AS code,
       COALESCE(c.name, p.name) AS name,
       COALESCE(c.measure, p.measure) AS measure,
       COALESCE(c.fiscal_year, p.fiscal_year + 1) AS fiscal_year,
       c.amount_yuan,
       p.amount_yuan AS prior_amount_yuan,
       CASE WHEN c.unit_key IS NOT NULL AND NOT EXISTS (SELECT 1 FROM years y WHERE y.unit_key = c.unit_key
                 AND y.doc_type IS NOT DISTINCT FROM c.doc_type AND y.table_kind = c.table_kind
                 AND y.fiscal_year = c.fiscal_year - 1) THEN NULL
            ELSE COALESCE(c.amount_yuan, 0) - COALESCE(p.amount_yuan, 0) END AS change_yuan,
       CASE WHEN p.amount_yuan IS NULL OR p.amount_yuan = 0 THEN NULL
            ELSE ROUND(CAST((COALESCE(c.amount_yuan, 0) - p.amount_yuan) AS DOUBLE) * 100.0
                       / CAST(p.amount_yuan AS DOUBLE), 2) END AS change_pct,
       COALESCE(c.doc_type, p.doc_type) AS doc_type,
       COALESCE(c.unit_key, p.unit_key) AS unit_key
FROM cur c
FULL OUTER JOIN cur p
  ON p.unit_key = c.unit_key AND p.doc_type IS NOT DISTINCT FROM c.doc_type AND p.table_kind = c.table_kind
 AND p.code = c.code AND p.measure = c.measure AND p.fiscal_year = c.fiscal_year - 1
WHERE c.unit_key IS NOT NULL
   OR EXISTS (SELECT 1 FROM years y WHERE y.unit_key = p.unit_key AND y.doc_type IS NOT DISTINCT FROM p.doc_type
              AND y.table_kind = p.table_kind AND y.fiscal_year = p.fiscal_year + 1)
"""
# bind: unit, doc_type, table_kind, measure, unit, doc_type, table_kind — the unit as any printing of its name (the
# display name unit_docs gives, or a report's own): the SQL keys it, so it selects the unit's key
YOY_FUNC_FOR_UNIT = _YOY_FUNC.format(
    cell_filter=f"AND u.unit_key = {sql_name_key('?')} AND u.doc_type IS NOT DISTINCT FROM ? "
                "AND f.table_kind = ? AND f.measure = ?",
    year_filter=f"WHERE u.unit_key = {sql_name_key('?')} AND u.doc_type IS NOT DISTINCT FROM ? "
                "AND r.table_kind = ?",
)

_DDL = """
CREATE TABLE IF NOT EXISTS documents (
    doc_id VARCHAR PRIMARY KEY,
    unit_name VARCHAR,
    fiscal_year INTEGER,
    doc_type VARCHAR,
    title VARCHAR,
    source_file VARCHAR,
    sha256 VARCHAR,
    page_count INTEGER,
    source_kind VARCHAR,          -- pdf / text
    ingested_at TIMESTAMP
);
-- a reserved documents.template column was never written: files of earlier builds lose it on upgrade, so every
-- database has the same columns
ALTER TABLE documents DROP COLUMN IF EXISTS template;
CREATE TABLE IF NOT EXISTS report_tables (
    doc_id VARCHAR,
    seq INTEGER,                  -- order of the table in the report
    table_kind VARCHAR,           -- contract vocabulary, or 'unrecognised'
    table_no VARCHAR,
    title VARCHAR,
    unit_printed VARCHAR,
    page_from INTEGER,
    page_to INTEGER,
    has_data BOOLEAN,
    row_count INTEGER,
    status VARCHAR,               -- parsed / empty / unverified / unparsed
    problem VARCHAR,              -- why a table is unparsed
    note VARCHAR                  -- the printed 注 (本表无数据 …)
);
ALTER TABLE report_tables ADD COLUMN IF NOT EXISTS status VARCHAR;
ALTER TABLE report_tables ADD COLUMN IF NOT EXISTS problem VARCHAR;
ALTER TABLE report_tables ADD COLUMN IF NOT EXISTS note VARCHAR;
CREATE TABLE IF NOT EXISTS summary_lines (
    doc_id VARCHAR,
    table_kind VARCHAR,
    side VARCHAR,
    item VARCHAR,
    measure VARCHAR,
    column_label VARCHAR,
    amount_yuan DECIMAL(20,2),
    page INTEGER,
    row_no INTEGER
);
CREATE TABLE IF NOT EXISTS func_lines (
    doc_id VARCHAR,
    table_kind VARCHAR,
    code VARCHAR,
    name VARCHAR,
    level INTEGER,
    measure VARCHAR,
    column_label VARCHAR,
    amount_yuan DECIMAL(20,2),
    page INTEGER,
    row_no INTEGER
);
CREATE TABLE IF NOT EXISTS econ_lines (
    doc_id VARCHAR,
    econ_code VARCHAR,
    econ_name VARCHAR,
    gov_econ_name VARCHAR,
    is_group BOOLEAN,
    measure VARCHAR,
    column_label VARCHAR,
    amount_yuan DECIMAL(20,2),
    page INTEGER,
    row_no INTEGER
);
CREATE TABLE IF NOT EXISTS three_public (
    doc_id VARCHAR,
    table_kind VARCHAR,
    item VARCHAR,
    measure VARCHAR,
    column_label VARCHAR,
    amount_yuan DECIMAL(20,2),
    page INTEGER
);
CREATE TABLE IF NOT EXISTS projects (
    doc_id VARCHAR,
    table_kind VARCHAR,
    name VARCHAR,
    carryover BOOLEAN,
    total_yuan DECIMAL(20,2),
    general_budget_yuan DECIMAL(20,2),
    gov_fund_yuan DECIMAL(20,2),
    soe_capital_yuan DECIMAL(20,2),
    special_account_yuan DECIMAL(20,2),
    unit_funds_yuan DECIMAL(20,2),
    page INTEGER,
    row_no INTEGER
);
CREATE TABLE IF NOT EXISTS project_forms (
    doc_id VARCHAR,
    project_name VARCHAR,
    department VARCHAR,
    implementer VARCHAR,
    attribute VARCHAR,
    period VARCHAR,
    total_funds_yuan DECIMAL(20,2),
    annual_funds_yuan DECIMAL(20,2),
    overview VARCHAR,
    basis VARCHAR,
    necessity VARCHAR,
    safeguards VARCHAR,
    plan VARCHAR,
    goal_period VARCHAR,
    goal_annual VARCHAR,
    page INTEGER
);
CREATE TABLE IF NOT EXISTS project_funds (
    doc_id VARCHAR,
    project_name VARCHAR,
    scope VARCHAR,
    source VARCHAR,
    amount_yuan DECIMAL(20,2)
);
CREATE TABLE IF NOT EXISTS indicators (
    doc_id VARCHAR,
    project_name VARCHAR,
    scope VARCHAR,
    level1 VARCHAR,
    level2 VARCHAR,
    level3 VARCHAR,
    target VARCHAR,
    row_no INTEGER
);
CREATE TABLE IF NOT EXISTS procurement (
    doc_id VARCHAR,
    project VARCHAR,
    econ_class VARCHAR,
    item VARCHAR,
    quantity VARCHAR,
    amount_yuan DECIMAL(20,2),
    page INTEGER
);
CREATE TABLE IF NOT EXISTS facts (
    doc_id VARCHAR,
    key VARCHAR,
    value DOUBLE,
    unit VARCHAR,
    sentence VARCHAR,
    code VARCHAR,
    page INTEGER,
    decimals INTEGER              -- decimals the figure is printed with (its precision)
);
ALTER TABLE facts ADD COLUMN IF NOT EXISTS decimals INTEGER;
CREATE TABLE IF NOT EXISTS checks (
    doc_id VARCHAR,
    check_id VARCHAR,
    description VARCHAR,
    expected DECIMAL(20,2),
    actual DECIMAL(20,2),
    passed BOOLEAN,               -- NULL: not run (why in description)
    table_kind VARCHAR,
    page INTEGER,
    rule VARCHAR,                 -- the rule row (etl/checks/rules.py) it instantiates
    section VARCHAR,              -- the part of the report it is about (report_sections.section: table, explanation …)
    quote VARCHAR                 -- the offending words, at most 40 characters, for a finding about words
);
ALTER TABLE checks ADD COLUMN IF NOT EXISTS rule VARCHAR;
ALTER TABLE checks ADD COLUMN IF NOT EXISTS section VARCHAR;
ALTER TABLE checks ADD COLUMN IF NOT EXISTS quote VARCHAR;
CREATE TABLE IF NOT EXISTS report_sections (
    doc_id VARCHAR,
    seq INTEGER,                  -- reading order
    section VARCHAR,              -- cover, contents, duties, organisation, glossary, explanation, table, other, projects_text
    title VARCHAR,                -- the heading (or the table's title) as printed
    page_from INTEGER,
    page_to INTEGER
);
CREATE TABLE IF NOT EXISTS contents_entries (
    doc_id VARCHAR,
    seq INTEGER,                  -- order in the 目录
    title VARCHAR,                -- the entry as printed, without its dot leaders and page number
    page INTEGER,                 -- the page number the entry prints, NULL where none
    section VARCHAR,              -- the section (or table) it names, NULL where none is recognised
    found BOOLEAN                 -- the body has that section or table
);
CREATE TABLE IF NOT EXISTS statements (
    doc_id VARCHAR,
    statement_id VARCHAR,         -- stable within the report (s1, s2 …)
    section VARCHAR,
    page INTEGER,
    sentence VARCHAR,             -- as printed, wrapped lines joined
    kind VARCHAR,                 -- item (a 科目), total, three_public, operating_cost, procurement, performance, other
    subject VARCHAR,              -- 科目编码, or a key such as revenue_total, three_public_total
    subject_name VARCHAR,         -- as printed
    subject_level INTEGER,        -- 1 类, 2 款, 3 项 for a 科目
    resolved BOOLEAN,             -- the subject was found in the report's tables
    table_kind VARCHAR,           -- the table of that cell, where resolved
    amount DECIMAL(20,2),         -- the stated figure, in 元
    arranged DECIMAL(20,2),       -- the same figure stated again (…年预算安排X万元 / 支出决算为X万元), in 元
    prior_amount DECIMAL(20,2),   -- the figure it compares with, in 元
    prior_label VARCHAR,          -- the words naming it (2023年当年预算执行数, 年初预算 …)
    prior_year INTEGER,           -- the year those words name
    year INTEGER,                 -- the year named for the stated figure
    change DECIMAL(20,2),         -- a stated change, in 元, signed
    change_pct DECIMAL(12,4),     -- a stated percentage of change, as printed (unsigned)
    completion_pct DECIMAL(12,4), -- a stated share of the budget executed (决算: 完成年初预算的X%), as printed
    direction VARCHAR,            -- 增加 / 减少 / 持平 / 增长 / 下降 …, or the template's 增加（减少） verbatim
    reason VARCHAR,               -- the words after 主要原因; '' where printed empty; NULL where absent
    unit VARCHAR                  -- the money unit the sentence prints (万元 / 元)
);
CREATE TABLE IF NOT EXISTS ingest_issues (
    doc_id VARCHAR,
    severity VARCHAR,             -- error / warning
    table_kind VARCHAR,
    page INTEGER,
    message VARCHAR
);
CREATE TABLE IF NOT EXISTS unit_aliases (
    alias VARCHAR PRIMARY KEY,
    unit_name VARCHAR
);
{name_keys}CREATE OR REPLACE VIEW unit_keys AS
-- One unit per key: a report's unit is the unit_aliases entry naming it where there is one, else its own printed
-- name; unit_key is that name's key (etl/names.py), so every printing of the name that differs only in spaces,
-- bracket widths, quotes or 其它/其他 is one unit. printed_unit_name is the report's own.
SELECT d.doc_id, COALESCE(a.unit_name, d.unit_name) AS unit_name, COALESCE({alias_key}, d.unit_key) AS unit_key,
       d.unit_name AS printed_unit_name, d.fiscal_year, d.doc_type
FROM documents d {alias_join};
CREATE OR REPLACE VIEW unit_docs AS
-- unit_keys with the key's one display name as unit_name: the (aliased) name of the key's newest report, then the
-- first in sort order — deterministic, and the same on every report of the unit
SELECT k.doc_id, n.unit_name, k.fiscal_year, k.doc_type, k.unit_key, k.printed_unit_name
FROM unit_keys k
LEFT JOIN (SELECT unit_key, first(unit_name ORDER BY fiscal_year DESC NULLS LAST, unit_name) AS unit_name
           FROM unit_keys GROUP BY unit_key) n ON n.unit_key = k.unit_key;
{yoy_func}CREATE OR REPLACE VIEW yoy_projects AS
WITH p AS (
    SELECT u.unit_key, u.unit_name, u.doc_type, u.fiscal_year, pr.name_key, min(pr.name) AS name,
           string_agg(DISTINCT pr.table_kind, ',' ORDER BY pr.table_kind) AS table_kind,
           SUM(pr.total_yuan) AS total_yuan
    FROM projects pr JOIN unit_docs u USING (doc_id)
    GROUP BY u.unit_key, u.unit_name, u.doc_type, u.fiscal_year, pr.name_key
), years AS (
    SELECT DISTINCT u.unit_key, u.doc_type, u.fiscal_year
    FROM unit_keys u JOIN report_tables r USING (doc_id)
    WHERE r.table_kind IN ({project_kinds})
)
SELECT COALESCE(c.unit_name, p.unit_name) AS unit_name,
       COALESCE(c.table_kind, p.table_kind) AS table_kind,
       COALESCE(c.name, p.name) AS name,
       COALESCE(c.fiscal_year, p.fiscal_year + 1) AS fiscal_year,
       c.total_yuan, p.total_yuan AS prior_total_yuan,
       COALESCE(c.total_yuan, 0) - COALESCE(p.total_yuan, 0) AS change_yuan,
       CASE WHEN p.total_yuan IS NULL OR p.total_yuan = 0 THEN NULL
            ELSE ROUND(CAST(COALESCE(c.total_yuan, 0) - p.total_yuan AS DOUBLE) * 100.0 / CAST(p.total_yuan AS DOUBLE), 2)
       END AS change_pct,
       CASE WHEN p.name IS NULL THEN '新增' WHEN c.name IS NULL THEN '结束' ELSE '延续' END AS status,
       COALESCE(c.doc_type, p.doc_type) AS doc_type,
       COALESCE(c.unit_key, p.unit_key) AS unit_key
FROM p c
FULL OUTER JOIN p p
  ON p.unit_key = c.unit_key AND p.doc_type IS NOT DISTINCT FROM c.doc_type AND p.name_key = c.name_key
 AND p.fiscal_year = c.fiscal_year - 1
WHERE (c.unit_key IS NOT NULL AND EXISTS (SELECT 1 FROM years y WHERE y.unit_key = c.unit_key
                                          AND y.doc_type IS NOT DISTINCT FROM c.doc_type
                                          AND y.fiscal_year = c.fiscal_year - 1))
   OR (c.unit_key IS NULL AND EXISTS (SELECT 1 FROM years y WHERE y.unit_key = p.unit_key
                                      AND y.doc_type IS NOT DISTINCT FROM p.doc_type
                                      AND y.fiscal_year = p.fiscal_year + 1));
CREATE OR REPLACE VIEW yoy_econ AS
WITH e AS (
    SELECT u.unit_key, u.unit_name, u.doc_type, u.fiscal_year, COALESCE(x.econ_code, x.econ_name) AS econ_key,
           x.econ_code, x.econ_name, x.is_group, x.measure, SUM(x.amount_yuan) AS amount_yuan
    FROM econ_lines x JOIN unit_docs u USING (doc_id)
    GROUP BY ALL
)
SELECT COALESCE(c.unit_name, p.unit_name) AS unit_name,
       COALESCE(c.econ_code, p.econ_code) AS econ_code,
       COALESCE(c.econ_name, p.econ_name) AS econ_name,
       COALESCE(c.is_group, p.is_group) AS is_group,
       COALESCE(c.measure, p.measure) AS measure,
       COALESCE(c.fiscal_year, p.fiscal_year + 1) AS fiscal_year,
       c.amount_yuan, p.amount_yuan AS prior_amount_yuan,
       CASE WHEN c.unit_key IS NOT NULL AND NOT EXISTS (SELECT 1 FROM e u2 WHERE u2.unit_key = c.unit_key
                 AND u2.doc_type IS NOT DISTINCT FROM c.doc_type AND u2.fiscal_year = c.fiscal_year - 1) THEN NULL
            ELSE COALESCE(c.amount_yuan, 0) - COALESCE(p.amount_yuan, 0) END AS change_yuan,
       CASE WHEN p.amount_yuan IS NULL OR p.amount_yuan = 0 THEN NULL
            ELSE ROUND(CAST(COALESCE(c.amount_yuan, 0) - p.amount_yuan AS DOUBLE) * 100.0 / CAST(p.amount_yuan AS DOUBLE), 2)
       END AS change_pct,
       COALESCE(c.doc_type, p.doc_type) AS doc_type,
       COALESCE(c.unit_key, p.unit_key) AS unit_key
FROM e c
FULL OUTER JOIN e p
  ON p.unit_key = c.unit_key AND p.doc_type IS NOT DISTINCT FROM c.doc_type AND p.econ_key = c.econ_key
 AND p.measure = c.measure AND p.fiscal_year = c.fiscal_year - 1
WHERE c.unit_key IS NOT NULL
   OR EXISTS (SELECT 1 FROM e x WHERE x.unit_key = p.unit_key AND x.doc_type IS NOT DISTINCT FROM p.doc_type
              AND x.fiscal_year = p.fiscal_year + 1);
CREATE OR REPLACE VIEW budget_vs_actual AS
-- 决算 against budget, per 一般公共预算 科目. The budget is, in this order: the 决算's own 全年预算 (调整预算数 /
-- 全年预算数 column, or its prose “全年预算为X万元”) — a unit founded or re-funded during the year has a 年初预算 of
-- 0 and is judged against what it was given; else that year's 预算 report of the same unit where exactly one is
-- loaded; else the 决算's own 年初预算 column or prose figure. budget_source says which (全年预算 / 预算报告 /
-- 年初预算; 决算报告所列 for prose that says only 预算为X). Never summed up from children, never filled in.
WITH fin AS (
    SELECT doc_id, unit_key, unit_name, fiscal_year, doc_type FROM unit_docs WHERE doc_type LIKE '%决算'
), bud AS (
    SELECT f.doc_id AS final_doc_id, min(u.doc_id) AS budget_doc_id
    FROM fin f JOIN unit_keys u ON u.unit_key = f.unit_key AND u.fiscal_year = f.fiscal_year
                               AND u.doc_type = replace(f.doc_type, '决算', '预算')
    GROUP BY f.doc_id HAVING count(DISTINCT u.doc_id) = 1
), actual AS (
    SELECT doc_id, code, name, level, amount_yuan, page FROM func_lines
    WHERE table_kind = 'gp_expenditure' AND measure = 'total'
), report_budget AS (
    SELECT b.final_doc_id, l.code, l.name, l.level, l.amount_yuan, l.page
    FROM bud b JOIN func_lines l ON l.doc_id = b.budget_doc_id
    WHERE l.table_kind = 'gp_expenditure' AND l.measure = 'total'
), table_budget AS (
    -- one figure per 科目 and measure; a 科目 printed twice with two different figures has none
    SELECT doc_id, code,
           CASE WHEN count(DISTINCT amount_yuan) FILTER (WHERE measure = 'budget_adjusted') = 1
                THEN max(amount_yuan) FILTER (WHERE measure = 'budget_adjusted') END AS adjusted_yuan,
           min(page) FILTER (WHERE measure = 'budget_adjusted') AS adjusted_page,
           CASE WHEN count(DISTINCT amount_yuan) FILTER (WHERE measure = 'budget_initial') = 1
                THEN max(amount_yuan) FILTER (WHERE measure = 'budget_initial') END AS initial_yuan,
           min(page) FILTER (WHERE measure = 'budget_initial') AS initial_page
    FROM func_lines WHERE table_kind = 'gp_expenditure' AND measure IN ('budget_adjusted', 'budget_initial')
    GROUP BY doc_id, code
), prose_facts AS (
    -- the word before the figure says which budget: the first “…预算为X万元” of the sentence is the one the prose
    -- reader took for item_/gp_budget; *_budget_adjusted is a figure worded 全年/调整(后)预算为 where the prose
    -- reader keeps it apart
    SELECT doc_id, CASE WHEN key IN ('gp_budget', 'gp_budget_adjusted') THEN NULL ELSE code END AS code, value, page,
           CASE WHEN key IN ('gp_budget_adjusted', 'item_budget_adjusted') THEN '全年预算'
                ELSE CASE regexp_extract(sentence, '(年初|全年|调整后?)?预算数?为-?[0-9]', 1)
                     WHEN '年初' THEN '年初预算' WHEN '' THEN '决算报告所列' ELSE '全年预算' END END AS basis
    FROM facts
    WHERE (key IN ('item_budget', 'item_budget_adjusted') AND code IS NOT NULL)
       OR key IN ('gp_budget', 'gp_budget_adjusted')
), prose_budget AS (
    -- one figure per 科目 and kind of budget: the prose stating two different ones for it states none
    SELECT doc_id, code, basis = '全年预算' AS full_year,
           CAST(CAST(max(value) AS DECIMAL(20, 4)) * 10000 AS DECIMAL(20, 2)) AS amount_yuan, min(page) AS page,
           min(basis) AS basis
    FROM prose_facts GROUP BY doc_id, code, basis = '全年预算'
    HAVING count(DISTINCT value) = 1 AND count(DISTINCT basis) = 1
), codes AS (
    SELECT f.doc_id AS final_doc_id, a.code FROM fin f JOIN actual a ON a.doc_id = f.doc_id
    UNION
    SELECT final_doc_id, code FROM report_budget
), chosen AS (
    SELECT f.unit_name, f.fiscal_year, f.doc_type, f.doc_id AS final_doc_id, b.budget_doc_id, c.code,
           COALESCE(a.name, rb.name) AS name, COALESCE(a.level, rb.level) AS level,
           CASE WHEN tb.adjusted_yuan IS NOT NULL THEN tb.adjusted_yuan
                WHEN pf.amount_yuan IS NOT NULL THEN pf.amount_yuan
                WHEN b.budget_doc_id IS NOT NULL THEN rb.amount_yuan
                ELSE COALESCE(tb.initial_yuan, po.amount_yuan) END AS budget_yuan,
           CASE WHEN tb.adjusted_yuan IS NOT NULL OR pf.amount_yuan IS NOT NULL THEN '全年预算'
                WHEN b.budget_doc_id IS NOT NULL THEN CASE WHEN rb.amount_yuan IS NOT NULL THEN '预算报告' END
                WHEN tb.initial_yuan IS NOT NULL THEN '年初预算'
                ELSE po.basis END AS budget_source,
           CASE WHEN tb.adjusted_yuan IS NOT NULL THEN tb.adjusted_page
                WHEN pf.amount_yuan IS NOT NULL THEN pf.page
                WHEN b.budget_doc_id IS NOT NULL THEN rb.page
                WHEN tb.initial_yuan IS NOT NULL THEN tb.initial_page
                ELSE po.page END AS budget_page,
           a.amount_yuan AS actual_yuan, a.page AS actual_page, f.unit_key
    FROM fin f
    JOIN codes c ON c.final_doc_id = f.doc_id
    LEFT JOIN bud b ON b.final_doc_id = f.doc_id
    LEFT JOIN actual a ON a.doc_id = f.doc_id AND a.code IS NOT DISTINCT FROM c.code
    LEFT JOIN report_budget rb ON rb.final_doc_id = f.doc_id AND rb.code IS NOT DISTINCT FROM c.code
    LEFT JOIN table_budget tb ON tb.doc_id = f.doc_id AND tb.code IS NOT DISTINCT FROM c.code
    LEFT JOIN prose_budget pf ON pf.doc_id = f.doc_id AND pf.code IS NOT DISTINCT FROM c.code AND pf.full_year
    LEFT JOIN prose_budget po ON po.doc_id = f.doc_id AND po.code IS NOT DISTINCT FROM c.code AND NOT po.full_year
)
SELECT unit_name, fiscal_year, doc_type, final_doc_id, budget_doc_id, code, name, level, budget_yuan, budget_source,
       budget_page, actual_yuan, actual_page, actual_yuan - budget_yuan AS difference_yuan,
       CASE WHEN budget_yuan = 0 THEN NULL
            ELSE ROUND(CAST(actual_yuan AS DOUBLE) * 100.0 / CAST(budget_yuan AS DOUBLE), 2) END AS completion_pct,
       unit_key
FROM chosen;
"""

DDL = (_DDL.replace("{yoy_func}", "CREATE OR REPLACE VIEW yoy_func AS"
                    + _YOY_FUNC.format(cell_filter="", year_filter="") + ";\n")
       .replace("{project_kinds}", ", ".join(f"'{k}'" for k in K.keys(target="projects"))))  # the registry's kinds
# name_key / unit_key beside the printed names, and the unit alias join by key (etl/names.py)
DDL = (DDL.replace("{name_keys}", key_ddl()).replace("{alias_join}", alias_join())
       .replace("{alias_key}", sql_name_key("a.unit_name")))

# Tables holding per-document rows: deleting a document clears exactly these.
DOC_TABLES = (
    "report_tables", "summary_lines", "func_lines", "econ_lines", "three_public", "projects", "project_forms",
    "project_funds", "indicators", "procurement", "facts", "checks", "ingest_issues", "report_sections",
    "contents_entries", "statements", "documents",
)


SCHEMA_VERSION = hashlib.sha256(DDL.encode()).hexdigest()[:16]


def ensure_schema(con: duckdb.DuckDBPyConnection) -> bool:
    """Create every table and (re)create every view unless the file already has this build's schema.

    Returns True when it changed the file — a file written by an older build gains the new views — so a writer
    publishes that file even when no report in the batch changed (the dashboard reads the views read-only and
    cannot add them itself)."""
    con.execute("CREATE TABLE IF NOT EXISTS schema_meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
    stored = con.execute("SELECT value FROM schema_meta WHERE key = 'ddl'").fetchall()
    if stored and stored[0][0] == SCHEMA_VERSION:
        return False
    con.execute(DDL)
    con.execute("INSERT OR REPLACE INTO schema_meta VALUES ('ddl', ?)", [SCHEMA_VERSION])
    return True
