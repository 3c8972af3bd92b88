"""The folder tree is the architecture: etl/ runs in stages (read → tables → words → checks → store), and a stage may
use only what an earlier stage (or itself) offers — so a newcomer can follow one report from file to database
without going back, and a change in a late stage can never break an early one."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ETL = Path(__file__).resolve().parents[1] / "etl"
# the order a report passes through; pipeline composes read … checks for one file; the CLI and bench sit on top
ORDER = ["read", "tables", "words", "checks", "pipeline", "store", "cli"]
STAGE_FOLDERS = ["read", "tables", "words", "checks", "store"]


def _module(path: Path) -> str:
    parts = list(path.relative_to(ETL.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _stage(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:
        return "read"  # the package itself: a docstring, nothing more
    if parts[1] in STAGE_FOLDERS:
        return parts[1]
    if parts[1] == "pipeline":
        return "pipeline"
    return "cli"  # __main__, bench


def _imports(path: Path) -> list[tuple[str, list[str], int]]:
    """(module imported, names taken from it, line) for every etl import, at any depth of the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "etl":
            assert node.level == 0, f"{path}:{node.lineno}: a relative import hides which stage it reaches"
            out.append((node.module, [a.name for a in node.names], node.lineno))
        elif isinstance(node, ast.Import):
            out += [(a.name, [], node.lineno) for a in node.names if a.name.split(".")[0] == "etl"]
    return out


MODULES = {_module(p): p for p in sorted(ETL.rglob("*.py"))}


def test_every_module_sits_in_a_stage_folder():
    loose = sorted(m for m in MODULES if m.count(".") == 1 and _stage(m) == "cli"
                   and m not in ("etl.__main__", "etl.bench"))
    assert loose == [], "etl/ holds only the stage folders, pipeline.py, the CLI and the benchmark"


@pytest.mark.parametrize("stage", STAGE_FOLDERS)
def test_each_stage_says_what_enters_and_what_leaves(stage):
    doc = ast.get_docstring(ast.parse((ETL / stage / "__init__.py").read_text(encoding="utf-8"))) or ""
    assert "Enters:" in doc and "Leaves:" in doc, stage


def test_a_stage_imports_only_earlier_stages_and_only_their_public_names():
    wrong = []
    for module, path in MODULES.items():
        mine = ORDER.index(_stage(module))
        for target, names, line in _imports(path):
            theirs = _stage(target)
            if ORDER.index(theirs) > mine:
                wrong.append(f"{module}:{line} ({_stage(module)}) imports {target} ({theirs}), a later stage")
            if theirs != _stage(module):
                private = [n for n in names if n.startswith("_")] + [p for p in target.split(".") if p.startswith("_")]
                if private:
                    wrong.append(f"{module}:{line} takes private {private} from another stage ({target})")
    assert wrong == []


def test_nothing_imports_in_a_circle():
    graph = {m: set() for m in MODULES}
    for module, path in MODULES.items():
        for target, names, _ in _imports(path):
            for t in [target] + [f"{target}.{n}" for n in names]:
                if t in MODULES and t != module and not MODULES[t].name == "__init__.py":
                    graph[module].add(t)
    seen: dict[str, int] = {}  # 1 on the current path, 2 done

    def visit(m: str, path: list[str]) -> None:
        seen[m] = 1
        for n in sorted(graph[m]):
            if seen.get(n) == 1:
                raise AssertionError(" → ".join(path[path.index(n):] + [n]) if n in path else f"{m} → {n}")
            if n not in seen:
                visit(n, path + [n])
        seen[m] = 2

    for m in sorted(graph):
        if m not in seen:
            visit(m, [m])
