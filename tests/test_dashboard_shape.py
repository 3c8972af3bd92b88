"""dashboard/ by concern: no module imports in a circle, pages take only public names from it, and the seams the split
made hold — the watcher survives a failed warm and logs it, the SQL stays in the query module."""

from __future__ import annotations

import ast
import logging
import threading
import time
from pathlib import Path

import duckdb

from dashboard import generations

REPO = Path(__file__).resolve().parents[1]
DASHBOARD = REPO / "dashboard"


def _module(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module(p): p for p in sorted(DASHBOARD.rglob("*.py"))}


def _imports(path: Path) -> list[tuple[str, list[str]]]:
    """(module, names) of every dashboard import in the file, at any depth (lazy imports count too)."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.split(".")[0] == "dashboard":
                out.append((node.module, [a.name for a in node.names]))
        elif isinstance(node, ast.ImportFrom) and node.level:
            base = _module(path).rsplit(".", node.level)[0]
            out.append((f"{base}.{node.module}" if node.module else base, [a.name for a in node.names]))
        elif isinstance(node, ast.Import):
            out += [(a.name, []) for a in node.names if a.name.split(".")[0] == "dashboard"]
    return out


def test_nothing_in_dashboard_imports_in_a_circle() -> None:
    graph: dict[str, set[str]] = {m: set() for m in MODULES}
    for module, path in MODULES.items():
        for target, names in _imports(path):
            for t in [target, *(f"{target}.{n}" for n in names)]:
                if t in MODULES and t != module and MODULES[t].name != "__init__.py":
                    graph[module].add(t)
    state: dict[str, int] = {}  # 1 on the current path, 2 done

    def visit(m: str, path: list[str]) -> None:
        state[m] = 1
        for n in sorted(graph[m]):
            assert state.get(n) != 1, " → ".join(path[path.index(n):] + [n])
            if n not in state:
                visit(n, [*path, n])
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m, [m])


def test_pages_and_the_frame_take_only_public_names_from_dashboard() -> None:
    private = []
    for path in [REPO / "app.py", *sorted((REPO / "pages").glob("*.py"))]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("dashboard"):
                private += [f"{path.name}: {node.module}.{a.name}" for a in node.names if a.name.startswith("_")]
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.attr.startswith("_") \
                    and node.value.id in {"queries", "generations", "charts", "ui", "state", "compare", "png"}:
                private.append(f"{path.name}:{node.lineno}: {node.value.id}.{node.attr}")
    assert private == []


def test_sql_is_in_the_query_module_and_the_generations_module_only() -> None:
    """Pages hold no SQL; of dashboard/, only queries.py (and generations.py's readiness check and versions) does."""
    holders = set()
    for path in [*MODULES.values(), *sorted((REPO / "pages").glob("*.py")), REPO / "app.py"]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and "SELECT " in node.value \
                    and " FROM " in node.value:
                holders.add(path.relative_to(REPO).as_posix())
    assert holders == {"dashboard/queries.py", "dashboard/generations.py"}


def test_the_watcher_logs_a_failed_warm_and_watches_on(tmp_path, use_db, monkeypatch, caplog) -> None:
    """A generation that cannot be warmed (here: DuckDB fails on it) is logged with its traceback, once; the thread
    lives on and warms the next generation."""
    from tests.test_dashboard_units import _publish
    from tests.test_rules_cross import BUDGET_2024, _report

    db = use_db(tmp_path / "w.duckdb")
    _publish(db, _report("b24", 2024, "部门预算", BUDGET_2024))
    monkeypatch.setattr(generations, "WATCH_EVERY_S", 0.02)
    generations.check_database()
    first = generations._key_of(db)  # the watcher may still be on its old interval and meet this one late
    warmed: list[str] = []
    fail = threading.Event()
    fail.set()

    def warm(key: str) -> None:
        if key == first:
            return
        if fail.is_set():
            raise duckdb.IOException("the file went away under the watcher")
        warmed.append(key)

    monkeypatch.setattr(generations, "_warm", warm)
    caplog.set_level(logging.WARNING, logger="dashboard.generations")
    _publish(db, _report("o24", 2024, "部门预算", BUDGET_2024, unit="其他局"))
    deadline = time.monotonic() + 10
    while not caplog.records and time.monotonic() < deadline:
        time.sleep(0.02)  # polling the condition
    failed = [r for r in caplog.records if r.name == "dashboard.generations"]
    assert len(failed) == 1 and failed[0].exc_info and "warming" in failed[0].getMessage()
    fail.clear()
    _publish(db, _report("x24", 2024, "部门预算", BUDGET_2024, unit="第三局"))
    while not warmed and time.monotonic() < deadline:
        time.sleep(0.02)
    assert warmed == [generations._key_of(db)] and generations._watcher().is_alive()
    assert len([r for r in caplog.records if r.name == "dashboard.generations"]) == 1
