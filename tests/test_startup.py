"""Start-up: the CLI answers --help without loading DuckDB or pdfplumber, a one-file ingest loads only what it
uses, and the benchmark that holds the ingest to ≤ 1.2× a bare pdfplumber pass prints its figures and the ratio.

Each check of sys.modules runs in a fresh interpreter: this test process has long imported everything."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from etl import __main__ as cli

from .pdf_fixtures import text_pdf
from .samples import ROOT, YANGQUAN

HEAVY = ("duckdb", "pdfplumber", "pdfminer", "dask", "distributed", "rich", "pandas", "numpy", "pyarrow", "psutil",
         "streamlit")


def loaded_after(code: str) -> set[str]:
    """Top-level packages (and etl modules) in sys.modules after running `code` in a new interpreter."""
    probe = (code + "\nimport json, sys\n"
             "print('\\n' + json.dumps(sorted({m if m.startswith('etl') else m.split('.')[0] for m in sys.modules})))")
    res = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr[-3000:]
    return set(json.loads(res.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize("argv", [["--help"], ["ingest", "--help"], ["checks", "--help"]])
def test_help_loads_no_heavy_module(argv: list[str]) -> None:
    code = f"""
from etl.__main__ import main
try:
    main({argv!r})
except SystemExit:
    pass
"""
    heavy = loaded_after(code) & set(HEAVY)
    assert heavy == set(), f"`python -m etl {' '.join(argv)}` imported {sorted(heavy)}"


def test_help_names_every_subcommand() -> None:
    res = subprocess.run([sys.executable, "-m", "etl", "--help"], cwd=ROOT, capture_output=True, text=True,
                         timeout=60)
    assert res.returncode == 0
    assert res.stdout.startswith("usage: python -m etl")
    for command in ("ingest", "checks", "bench"):
        assert command in res.stdout


def test_ingest_path_loads_no_dask_rich_or_pandas() -> None:
    loaded = loaded_after("import etl.__main__, etl.store.ingest, etl.store.publish, etl.store.uploads, etl.pipeline")
    assert loaded & {"dask", "distributed", "rich", "pandas", "numpy", "pyarrow", "psutil", "streamlit"} == set()


def test_a_budget_text_loads_only_its_parsers_and_no_pdf_reader() -> None:
    """A 预算 read from text: no pdfplumber, no 决算 prose parser, and of the table parsers only those of the kinds
    the report prints."""
    code = f"""
import json, sys
from pathlib import Path
from etl.pipeline import parse_report
from etl.tables import kinds as K
report = parse_report(Path({str(YANGQUAN)!r}))
print(json.dumps(sorted({{K.BY_KEY[t["table_kind"]].parser.partition(":")[0] for t in report.tables
                         if t["table_kind"] in K.BY_KEY and K.BY_KEY[t["table_kind"]].parser
                         and t["status"] != "empty"}})))
print(json.dumps(sorted(m for m in sys.modules if m.startswith(("etl.", "pdfplumber")))))
"""
    res = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr[-3000:]
    *_, used, loaded = res.stdout.strip().splitlines()
    modules = set(json.loads(loaded))
    assert "pdfplumber" not in modules
    assert "etl.words.facts_final" not in modules
    parsers = {m for m in modules if m.startswith("etl.tables.parsers.") and m != "etl.tables.parsers.common"}
    assert parsers == set(json.loads(used))


def test_prog_is_budget_for_the_console_script_and_python_m_etl_otherwise(monkeypatch, capsys) -> None:
    assert cli.prog_name("/usr/local/bin/budget") == "budget"
    assert cli.prog_name("C:/venv/Scripts/budget.exe") == "budget"
    assert cli.prog_name(str(ROOT / "etl" / "__main__.py")) == "python -m etl"
    monkeypatch.setattr(sys, "argv", ["/opt/venv/bin/budget"])
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    assert capsys.readouterr().out.startswith("usage: budget ")


def test_bench_subcommand_hands_every_argument_to_etl_bench(monkeypatch) -> None:
    got: list = []
    from etl import bench

    monkeypatch.setattr(bench, "main", lambda argv=None, prog=None: got.append((argv, prog)) or 0)
    monkeypatch.setattr(sys, "argv", ["/opt/venv/bin/budget"])
    assert cli.main(["bench", "--repeat", "1", "x.pdf"]) == 0
    assert got == [(["--repeat", "1", "x.pdf"], "budget bench")]
    with pytest.raises(SystemExit):  # an unknown option elsewhere is still argparse's error
        cli.main(["checks", "--repeat", "1"])


def test_help_constants_match_their_owners() -> None:
    """The CLI copies a few constants so its help needs no heavy import; they must not drift."""
    from etl.store import publish

    assert (cli.LOCK_WAIT_ENV, cli.DEFAULT_LOCK_WAIT) == (publish.LOCK_WAIT_ENV, publish.DEFAULT_LOCK_WAIT)
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    if "[project.scripts]" in pyproject:
        assert f'{cli.CONSOLE_SCRIPT} = "etl.__main__:main"' in pyproject


def test_bench_prints_both_figures_and_the_ratio(tmp_path: Path) -> None:
    """One quick run of each side on a tiny generated PDF (never a real report: the test is about what is printed,
    not the figure). The ingest refuses that file — the bench says so and still prints the ratio."""
    tiny = text_pdf(tmp_path / "tiny.pdf", ["not a budget"])
    res = subprocess.run([sys.executable, "-m", "etl", "bench", str(tiny), "--repeat", "1", "--warmup", "0"],
                         cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert res.returncode == 0, res.stderr[-3000:]
    out = res.stdout
    assert "bare pdfplumber script" in out and "python -m etl ingest" in out
    assert "min / median / max" in out
    assert "ratio ingest / bare, wall" in out and "ratio ingest / bare, cpu" in out
    assert "exited with status" in out  # the refusal is said beside the figures


def test_bench_help_is_its_own(tmp_path: Path) -> None:
    res = subprocess.run([sys.executable, "-m", "etl", "bench", "--help"], cwd=ROOT, capture_output=True, text=True,
                         timeout=60)
    assert res.returncode == 0
    assert res.stdout.startswith("usage: python -m etl bench") and "--repeat" in res.stdout
