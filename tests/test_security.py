"""Security: report text is data, never markup or SQL; uploaded names never reach the file system; the server's
upload and cross-site settings are pinned.

The hostile report is generated here (tests/fixtures/reports.py): the shipped 阳泉 text under the unit name
'"<script>alert(1)</script><b>x</b>合成单位, ingested through the CLI like any other report.
"""

from __future__ import annotations

import ast
import json
import tomllib
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from etl.store.uploads import ingest_upload

from .fixtures.app_server import APP, REPO, AppPage, app_pages, ingest, serve, settled, system_chromium
from .fixtures.reports import HOSTILE_MARKUP, HOSTILE_UNIT, REAL_UNIT, write_report
from .samples import YANGQUAN

PAGES = app_pages()
RAW_TAGS = ("<script", "<b>x</b>")  # what must never reach an HTML-rendering sink unescaped


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    report = write_report(folder / "in", HOSTILE_UNIT, tag="hostile-unit")
    # a second year of the same unit, so 同比变化 draws its charts with the name in them
    earlier = write_report(folder / "in", HOSTILE_UNIT, year=2022, tag="hostile-unit-2022")
    db = folder / "budget.duckdb"
    result = ingest([YANGQUAN, report, earlier], db)
    assert result.returncode == 0, result.stdout + result.stderr
    con = duckdb.connect(str(db), read_only=True)
    try:
        units = {r[0] for r in con.execute("SELECT unit_name FROM documents").fetchall()}
    finally:
        con.close()
    assert units == {REAL_UNIT, HOSTILE_UNIT}  # the name went through the ETL intact
    return db


def run_page(page: AppPage) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params["unit"] = HOSTILE_UNIT
    at.query_params["year"] = "2023"
    at.run()
    if not page.default:
        at.switch_page(page.script).run()
    return at


def elements(node) -> Iterator:
    for child in getattr(node, "children", {}).values():
        yield child
        yield from elements(child)


def plotly_strings(spec: object, path: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(spec, str):
        yield path, spec
    elif isinstance(spec, dict):
        for k, v in spec.items():
            yield from plotly_strings(v, f"{path}.{k}")
    elif isinstance(spec, list):
        for i, v in enumerate(spec):
            yield from plotly_strings(v, f"{path}[{i}]")


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.url_path or "overview")
def test_page_shows_hostile_unit_name_as_text(hostile_db: Path, monkeypatch, page: AppPage) -> None:
    monkeypatch.setenv("BUDGET_DB", str(hostile_db))
    at = run_page(page)
    assert not at.exception, [e.value for e in at.exception]
    assert at.sidebar.selectbox[0].value == HOSTILE_UNIT  # the quote-laden name went through every bound query
    for el in elements(at._tree):
        proto = getattr(el, "proto", None)
        if proto is None:
            continue
        if el.type == "html" or getattr(proto, "allow_html", False):
            body = str(getattr(proto, "body", ""))
            assert not any(tag in body for tag in RAW_TAGS), f"{page.script}: report text in raw HTML: {body[:200]}"


@pytest.mark.parametrize("page", [p for p in PAGES if p.url_path in ("", "composition", "projects", "yoy", "compare")],
                         ids=lambda p: p.url_path or "overview")
def test_chart_text_is_escaped(hostile_db: Path, monkeypatch, page: AppPage) -> None:
    monkeypatch.setenv("BUDGET_DB", str(hostile_db))
    at = run_page(page)
    charts = at.get("plotly_chart")
    assert charts
    for chart in charts:
        for path, text in plotly_strings(json.loads(chart.proto.spec)):
            assert not any(tag in text for tag in RAW_TAGS), f"{page.script} {path}: {text[:160]}"


def test_browser_renders_hostile_name_as_text(hostile_db: Path, tmp_path: Path) -> None:
    """In Chromium: no alert fires, no <b>x</b> element exists, and the markup is readable as text."""
    query = "?" + urllib.parse.urlencode({"unit": HOSTILE_UNIT, "year": "2023"})
    dialogs: list[str] = []
    with system_chromium() as (_, browser), serve(hostile_db, tmp_path / "streamlit.log") as (base, _):
        page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        for k, app_page in enumerate(PAGES):  # the link opens the first page; the sidebar the others, as a reader
            if k == 0:
                page.goto(f"{base}/{app_page.url_path}{query}")
            else:
                page.locator("[data-testid='stSidebarNav'] a", has_text=app_page.title).first.click()
            page.locator("[data-testid='stMain'] h1", has_text=app_page.title).first.wait_for(timeout=60_000)
            settled(page)
            body = page.locator("body").inner_text()  # the sidebar's 《title》 caption is on every page
            assert HOSTILE_MARKUP in body, f"{app_page.script}: the name is not shown as text"
            bold_x = page.evaluate("""() => [...document.querySelectorAll('b, strong')]
                .filter(e => e.textContent === 'x' && !e.closest('.js-plotly-plot')).length""")
            scripts = page.evaluate("""() => [...document.querySelectorAll('script')]
                .filter(s => s.textContent.includes('alert(1)')).length""")
            assert bold_x == 0 and scripts == 0, f"{app_page.script}: report text rendered as HTML"
            assert page.locator("[data-testid='stException']").count() == 0
    assert dialogs == []


# --- SQL: values are bound, never formatted in ------------------------------------------------------------------

SQL_SOURCES = [REPO / "dashboard" / "queries.py", REPO / "dashboard" / "generations.py",
               *sorted((REPO / "etl").rglob("*.py"))]
SQL_CALLS = {"execute", "executemany", "sql", "query", "read_sql"}
# Interpolations of a function's own parameters that are reviewed as safe: identifiers from our own constants.
# table names are the module's own constants (DOC_TABLES, the row dicts' targets checked against the catalogue)
REVIEWED = {("etl/store/write.py", "_insert", "table"), ("etl/store/write.py", "delete_document", "table")}


def _sql_arg(call: ast.Call) -> ast.expr | None:
    name = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", None)
    if name not in SQL_CALLS or not call.args:
        return None
    return call.args[1] if name == "read_sql" and len(call.args) > 1 else call.args[0]


def _problems(path: Path, root: Path = REPO) -> list[str]:
    rel = path.relative_to(root).as_posix()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for func in ast.walk(tree):
        if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        params = {a.arg for a in [*func.args.posonlyargs, *func.args.args, *func.args.kwonlyargs]}
        for call in ast.walk(func):
            if not isinstance(call, ast.Call) or (sql := _sql_arg(call)) is None:
                continue
            where = f"{rel}:{call.lineno} ({func.name})"
            if isinstance(sql, ast.BinOp) and isinstance(sql.op, ast.Mod):
                out.append(f"{where}: SQL built with % formatting")
            if isinstance(sql, ast.Call) and isinstance(sql.func, ast.Attribute) and sql.func.attr == "format":
                out.append(f"{where}: SQL built with str.format")
            if isinstance(sql, ast.JoinedStr):
                for part in sql.values:
                    if not isinstance(part, ast.FormattedValue):
                        continue
                    used = {n.id for n in ast.walk(part.value) if isinstance(n, ast.Name)} & params
                    for name in used - {n for f, fn, n in REVIEWED if f == rel and fn == func.name}:
                        out.append(f"{where}: parameter '{name}' formatted into SQL; bind it with ?")
    return out


def test_sql_never_formats_values_in() -> None:
    problems = [p for path in SQL_SOURCES for p in _problems(path)]
    assert not problems, "\n".join(problems)


def test_the_sql_check_catches_a_formatted_value(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("def f(con, unit):\n    con.execute(f\"SELECT * FROM documents WHERE unit_name = '{unit}'\")\n"
                   "    con.execute(\"SELECT * FROM documents WHERE unit_name = '%s'\" % unit)\n")
    assert _problems(bad, tmp_path) == ["bad.py:2 (f): parameter 'unit' formatted into SQL; bind it with ?",
                                        "bad.py:3 (f): SQL built with % formatting"]


def test_queries_work_with_the_quote_laden_name(hostile_db: Path) -> None:
    """The same lookup the ETL makes before loading (unit and year), with the hostile name bound."""
    con = duckdb.connect(str(hostile_db), read_only=True)
    try:
        rows = con.execute("SELECT count(*) FROM documents WHERE unit_name = ? AND fiscal_year = ?",
                           [HOSTILE_UNIT, 2023]).fetchall()
    finally:
        con.close()
    assert rows == [(1,)]


# --- uploads: the given name is display text only --------------------------------------------------------------

@pytest.mark.parametrize("name", ["../../etc/passwd.pdf", "a/b\\c.txt", "..\\..\\boot.ini.txt", "/etc/cron.d/x.txt",
                                  "\x00evil.txt", HOSTILE_MARKUP + ".txt"])
def test_uploaded_name_never_reaches_the_file_system(tmp_path: Path, name: str) -> None:
    uploads = tmp_path / "deep" / "uploads"
    data = YANGQUAN.read_bytes() if name.endswith(".txt") else b"%PDF-1.4 not really"
    outcome = ingest_upload(tmp_path / "b.duckdb", data, name, uploads)
    stored = [p for p in tmp_path.rglob("*") if p.is_file() and p.suffix in (".pdf", ".txt")]
    assert all(p.parent == uploads for p in stored)  # nothing written outside the upload folder
    for p in stored:
        assert len(p.stem) == 32 and all(c in "0123456789abcdef" for c in p.stem)  # named by content only
    assert not (tmp_path / "etc").exists() and not Path("/etc/passwd.pdf").exists()
    assert "/" not in str(outcome.path) and "\\" not in str(outcome.path)  # the display name has no path parts
    if outcome.status == "loaded":
        con = duckdb.connect(str(tmp_path / "b.duckdb"), read_only=True)
        try:
            (source,) = con.execute("SELECT source_file FROM documents").fetchall()[0]
        finally:
            con.close()
        assert "/" not in source and "\\" not in source and "\x00" not in source


# --- server settings --------------------------------------------------------------------------------------------

def test_server_config_pins_xsrf_and_upload_size() -> None:
    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    server = config["server"]
    assert server.get("enableXsrfProtection") is True
    assert server.get("enableCORS", True) is True  # CORS protection stays on (the default)
    assert 0 < server.get("maxUploadSize", 200) <= 50  # MB; Streamlit's default is 200
