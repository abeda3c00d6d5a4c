"""WeasyPrint is sealed in booklet.engine: nothing else imports it or reaches into its
objects, and a release other than the pinned one is refused before any layout."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from booklet.engine.version import PINNED, check_version
from booklet.errors import BookletError
from conftest import ROOT, copy_fixture

PACKAGE = ROOT / "src" / "booklet"
ENGINE = PACKAGE / "engine"
# Private names of the standard library the command uses to end its process quickly
# (cli.run, parallel.py): not WeasyPrint's.
STDLIB_PRIVATE = {"_exit", "_run_exitfuncs"}


def _modules(inside_engine: bool):
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.is_relative_to(ENGINE) == inside_engine:
            yield path, ast.parse(path.read_text(encoding="utf-8"), str(path))


def _names_defined_by_booklet() -> set[str]:
    """Every name booklet's own code defines: functions, classes, variables, attributes
    it assigns, arguments and imported names."""
    defined = set()
    for _, tree in [*_modules(True), *_modules(False)]:
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                defined.add(node.name)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                defined.add(node.id)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                defined.add(node.attr)
            elif isinstance(node, ast.arg):
                defined.add(node.arg)
    return defined


def test_nothing_outside_the_engine_imports_weasyprint():
    found = []
    for path, tree in _modules(inside_engine=False):
        for node in ast.walk(tree):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                     [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            # A module named in a string (importlib.resources.files("weasyprint.pdf")).
            if isinstance(node, ast.Call):
                names += [a.value for a in node.args if isinstance(a, ast.Constant)
                          and isinstance(a.value, str)]
            for name in names:
                if re.match(r"(weasyprint|pydyf)(\.|$)", name):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} {name}")
    assert not found, found
    # And the engine does: the scan looks where WeasyPrint is.
    assert any(isinstance(node, ast.ImportFrom) and (node.module or "").startswith("weasyprint")
               for _, tree in _modules(inside_engine=True) for node in ast.walk(tree))


def test_nothing_outside_the_engine_touches_a_private_attribute_of_another_library():
    defined = _names_defined_by_booklet()
    found = [f"{path.relative_to(ROOT)}:{node.lineno} .{node.attr}"
             for path, tree in _modules(inside_engine=False) for node in ast.walk(tree)
             if isinstance(node, ast.Attribute) and node.attr.startswith("_")
             and not node.attr.startswith("__") and node.attr not in defined
             and node.attr not in STDLIB_PRIVATE]
    assert not found, found
    # The engine does reach into WeasyPrint's objects (a page's _page_box): the check
    # would see such a use anywhere else.
    assert any(isinstance(node, ast.Attribute) and node.attr == "_page_box"
               for _, tree in _modules(inside_engine=True) for node in ast.walk(tree))


def test_the_pin_is_the_one_pyproject_installs():
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(rf'"weasyprint=={re.escape(PINNED)}"', pyproject)
    import weasyprint

    assert weasyprint.__version__ == PINNED  # what make installed


def test_another_release_is_refused_with_the_pin_and_what_to_do():
    check_version(PINNED)
    with pytest.raises(BookletError) as caught:
        check_version("71.0")
    (problem,) = caught.value.problems
    assert problem.code == "B421"
    assert "71.0" in problem.message and PINNED in problem.message
    pinned = Path(problem.path).read_text(encoding="utf-8").splitlines()[problem.line - 1]
    assert pinned == f'PINNED = "{PINNED}"'
    assert f"weasyprint=={PINNED}" in problem.hint and "make" in problem.hint


def test_a_build_with_another_weasyprint_installed_stops_before_any_layout(tmp_path):
    """The real command, with a WeasyPrint 71.0 first on the path: a coded error at the
    pin, no traceback, nothing written."""
    root = copy_fixture(tmp_path / "project")
    fake = tmp_path / "site" / "weasyprint"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text('__version__ = "71.0"\n', encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(tmp_path / "site"), *filter(None, [os.environ.get("PYTHONPATH")])])}
    result = subprocess.run([sys.executable, "-m", "booklet", "--root", str(root), "build"],
                            capture_output=True, text=True, timeout=300, env=env)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert re.search(r"engine[/\\]version\.py:\d+: error B421: WeasyPrint 71\.0 is installed",
                     result.stderr), result.stderr
    assert "nothing in build/ was replaced" in result.stderr
    built = root / "build"
    assert not [p for p in built.rglob("*") if p.is_file()] if built.exists() else True
