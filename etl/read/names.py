"""One key for a printed name (a project, a unit, a 科目), so the same name matches wherever it is printed.

A report prints one name differently from table to table and year to year: a line wrap leaves spaces (ASCII, the
ideographic U+3000, no-break), brackets come full- or half-width, quotes curly or straight, and 其它 and 其他 are
used for the same word. The key folds exactly those differences and nothing else — no fuzzy matching: two names
that differ in any other character stay different, and a pair that fails to match is reported, never guessed.

The ETL stores the key beside each name at ingest (name_key / unit_key columns), and the ETL's checks, the
dashboard and the SQL views match on it. `name_key` is the Python function; `sql_name_key` writes the same
function as a DuckDB expression (for files written before the key was stored); tests/test_names.py holds the two
to each other. A unit is one unit wherever its key is equal: the unit_keys view (etl/store/schema.py) gives each report
its unit's key (through unit_aliases), unit_docs adds one display name per key, and everything that pairs or
filters units — the year-on-year views, the 跨报告 rules, the dashboard's picker and queries — goes through them.
"""

from __future__ import annotations

SPACES = " \t\n\r\f\v\u3000\u00a0\u200b\ufeff"  # deleted: what a wrap or a PDF font puts inside a name
# folded: half-width brackets to the full-width ones Chinese reports mostly print; every double quote to one
FOLD_FROM, FOLD_TO = "()[]“”＂", "（）【】\"\"\""
WORDS = (("其它", "其他"),)  # variant spellings of one word

_TABLE = str.maketrans(FOLD_FROM, FOLD_TO, SPACES)

# the key's column beside each name column it keys, per table (written at ingest by etl.store)
KEYED = {
    "documents": (("unit_name", "unit_key"),),
    "projects": (("name", "name_key"),),
    "project_forms": (("project_name", "name_key"),),
    "project_funds": (("project_name", "name_key"),),
    "indicators": (("project_name", "name_key"),),
    "procurement": (("project", "name_key"),),
}


def name_key(name: str | None) -> str:
    """The matching key of a printed name ('' for none)."""
    if not name:
        return ""
    key = str(name).translate(_TABLE)
    for variant, word in WORDS:
        key = key.replace(variant, word)
    return key


def sql_name_key(column: str) -> str:
    """The same key as a DuckDB expression over `column` (a column name of ours, never user text)."""
    def quoted(text: str) -> str:
        return "'" + text.replace("'", "''") + "'"

    # The invisible characters stand in the literal as they are (a line break included: SQL text is never split by
    # lines, see key_statements). Spelled out as chr(…) || … they cost ~1 ms of binding per use, and a query of
    # unit_docs uses the key six times.
    expr = f"translate({column}, {quoted(FOLD_FROM + SPACES)}, {quoted(FOLD_TO)})"
    for variant, word in WORDS:
        expr = f"replace({expr}, {quoted(variant)}, {quoted(word)})"
    return expr


def with_keys(table: str, rows: list[dict]) -> list[dict]:
    """Rows of `table` with the key of each keyed name column set (rows of other tables unchanged)."""
    pairs = KEYED.get(table)
    if not pairs:
        return rows
    return [dict(r, **{key: name_key(r.get(col)) if r.get(col) is not None else None for col, key in pairs})
            for r in rows]


def alias_join(documents: str = "d", aliases: str = "a") -> str:
    """SQL joining a report to the unit_aliases entry naming its unit, however either prints the name (columns
    alias_key, unit_name). Two printings of one alias are one entry; aliases of one key naming different units are
    ambiguous and apply to no report (never a guess, and never one report twice)."""
    return (f"LEFT JOIN (SELECT {sql_name_key('alias')} AS alias_key, min(unit_name) AS unit_name FROM unit_aliases "
            f"GROUP BY 1 HAVING count(DISTINCT {sql_name_key('unit_name')}) = 1) {aliases} "
            f"ON {aliases}.alias_key = {documents}.unit_key")


def key_statements() -> list[tuple[str, str]]:
    """(ALTER, UPDATE) per key column: add it (a file written before keys existed gains it) and fill the keys such a
    file lacks, with the SQL spelling of the same key."""
    return [(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {key} VARCHAR;",
             f"UPDATE {table} SET {key} = {sql_name_key(col)} WHERE {key} IS NULL AND {col} IS NOT NULL;")
            for table, pairs in KEYED.items() for col, key in pairs]


def key_ddl() -> str:
    """Schema statements for the key columns (key_statements)."""
    return "\n".join(f"{alter}\n{update}" for alter, update in key_statements()) + "\n"


def fill_keys(con) -> None:
    """Fill the keys of rows written without them (a database built by hand, e.g. the tests' synthetic one)."""
    con.execute("\n".join(update for _, update in key_statements()))
