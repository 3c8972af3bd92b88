"""The installable package (pyproject.toml) and the pinned list scripts/setup.sh installs (requirements.txt) say the
same thing, and a non-editable install can work: every module is in a package setuptools finds, every third-party
import of etl/ and dashboard/ comes with a declared dependency, and `budget` is the CLI.

Two lists of pins drift apart silently (a pin bumped in one file only means `make test` and `pip install .` test
different code), so the comparison is exact. Whether the install really ships every file and runs on a Dask
cluster is tests/test_dask_deploy.py's job.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("etl", "dashboard")
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([A-Za-z0-9.+!_-]+)$")


def canonical(name: str) -> str:
    """A distribution's name as pip compares it (PEP 503): python_docx, Python-Docx and python-docx are one."""
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(lines: list[str], where: str) -> dict[str, str]:
    """name → version of `name==version` lines (comments and blank lines skipped); anything else is an error."""
    found: dict[str, str] = {}
    for raw in lines:
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        m = PIN.match(line)
        assert m, f"{where}: {raw.strip()!r} is not pinned as name==version"
        name = canonical(m.group(1))
        assert name not in found, f"{where}: {name} listed twice"
        found[name] = m.group(2)
    return found


def requirements_txt() -> dict[str, str]:
    return pins((ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines(), "requirements.txt")


def project_pins() -> dict[str, str]:
    """The dependencies and every extra of pyproject.toml together, each package once."""
    project = PYPROJECT["project"]
    merged = pins(project["dependencies"], "pyproject dependencies")
    for extra, reqs in project.get("optional-dependencies", {}).items():
        for name, version in pins(reqs, f"pyproject extra {extra}").items():
            assert merged.setdefault(name, version) == version, f"{name}: {merged[name]} and {version} in pyproject"
    return merged


def test_requirements_txt_and_pyproject_pin_the_same_versions() -> None:
    ours, theirs = requirements_txt(), project_pins()
    only_txt = {n: v for n, v in ours.items() if n not in theirs}
    only_project = {n: v for n, v in theirs.items() if n not in ours}
    differ = {n: (ours[n], theirs[n]) for n in ours.keys() & theirs.keys() if ours[n] != theirs[n]}
    assert not only_txt, f"pinned in requirements.txt only (add to pyproject dependencies or an extra): {only_txt}"
    assert not only_project, f"pinned in pyproject.toml only (add to requirements.txt): {only_project}"
    assert not differ, f"pinned differently (requirements.txt, pyproject.toml): {differ}"


def test_the_pins_are_what_this_environment_runs() -> None:
    """The environment the tests run in has exactly the pinned versions (else the tests test something else)."""
    wrong = {}
    for name, version in requirements_txt().items():
        try:
            have = metadata.version(name)
        except metadata.PackageNotFoundError:
            have = None
        if have != version:
            wrong[name] = (version, have)
    assert not wrong, f"pinned vs installed (run scripts/setup.sh): {wrong}"


def test_the_project_table() -> None:
    project = PYPROJECT["project"]
    assert project["name"] and project["version"]
    assert project["requires-python"] == ">=3.11"
    assert sys.version_info >= (3, 11)
    assert set(project["optional-dependencies"]) >= {"test"}
    assert {canonical(n) for n in pins(project["optional-dependencies"]["test"], "test")} >= {
        "pytest", "pytest-xdist", "execnet", "hypothesis", "ruff", "playwright"}


def test_budget_command_is_the_cli() -> None:
    assert PYPROJECT["project"]["scripts"] == {"budget": "etl.__main__:main"}
    from etl.__main__ import main

    with pytest.raises(SystemExit) as exit_:
        main(["--help"])
    assert exit_.value.code == 0


def module_folders(package: str) -> set[Path]:
    """Every folder under the package holding a module (caches aside), relative to the checkout."""
    return {f.parent.relative_to(ROOT) for f in (ROOT / package).rglob("*.py") if "__pycache__" not in f.parts}


def test_every_module_is_in_a_package_that_an_install_ships() -> None:
    """setuptools ships packages, i.e. folders with __init__.py: a module in a folder without one would be in the
    checkout but missing from `pip install .` (and from etl.store.distributed.code_version)."""
    from setuptools import find_packages

    find = PYPROJECT["tool"]["setuptools"]["packages"]["find"]
    assert find["namespaces"] is False  # else every folder (__pycache__ too) would be a package
    shipped = set(find_packages(where=str(ROOT), include=find["include"], exclude=find.get("exclude", ())))
    wanted = {".".join(folder.parts) for package in PACKAGES for folder in module_folders(package)}
    assert wanted - shipped == set(), f"folders with modules but not shipped (add an __init__.py): {wanted - shipped}"
    assert {p.split(".")[0] for p in shipped} == set(PACKAGES), f"ships more than {PACKAGES}: {sorted(shipped)}"


def third_party_imports() -> dict[str, list[str]]:
    """Top-level names imported anywhere in etl/ and dashboard/ (functions' lazy imports too) that are neither the
    standard library nor the project, with a file that imports each."""
    found: dict[str, list[str]] = {}
    for package in PACKAGES:
        for f in sorted((ROOT / package).rglob("*.py")):
            for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    top = name.split(".")[0]
                    if top not in sys.stdlib_module_names and top not in PACKAGES and top != "__future__":
                        found.setdefault(top, []).append(str(f.relative_to(ROOT)))
    return found


def closure(names: set[str]) -> set[str]:
    """These distributions and everything they require (without extras), as installed here."""
    from packaging.requirements import Requirement

    seen: set[str] = set()
    todo = list(names)
    while todo:
        name = canonical(todo.pop())
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue
        for line in requires:
            req = Requirement(line)
            if req.marker is None or req.marker.evaluate({"extra": ""}):
                todo.append(req.name)
    return seen


def test_every_import_comes_with_a_dependency() -> None:
    """`pip install .` in a clean environment brings every package etl/ and dashboard/ import: each is a declared
    dependency or required by one (pdfminer by pdfplumber, PIL by streamlit, …), never only a test tool."""
    runtime = set(pins(PYPROJECT["project"]["dependencies"], "pyproject dependencies"))
    brought = closure(runtime)
    provided = metadata.packages_distributions()
    missing = {}
    for module, files in third_party_imports().items():
        dists = {canonical(d) for d in provided.get(module, [])}
        if not dists & brought:
            missing[module] = (sorted(dists), files[0])
    assert not missing, f"imported but no runtime dependency brings it (module: distributions, a file): {missing}"
