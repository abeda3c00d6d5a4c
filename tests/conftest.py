"""Shared fixtures: one real build of the project's content, read back by every test."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from booklet.content import load_booklet

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT.parent / "shared" / "source"


def run_booklet(root: Path, *args: str) -> subprocess.CompletedProcess:
    """The real command, as an editor runs it."""
    return subprocess.run([sys.executable, "-m", "booklet", "--root", str(root), *args],
                          capture_output=True, text=True, timeout=600)


def copy_project(dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(ROOT / "content", dest / "content")
    shutil.copytree(ROOT / "styles", dest / "styles")
    return dest


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """A full build of a copy of the project; returns its root."""
    root = copy_project(tmp_path_factory.mktemp("booklet"))
    result = run_booklet(root, "build")
    assert result.returncode == 0, result.stderr
    return root


@pytest.fixture(scope="session")
def pdf(built) -> Path:
    return built / "build" / "booklet.pdf"


@pytest.fixture(scope="session")
def epub(built) -> Path:
    return built / "build" / "booklet.epub"


@pytest.fixture(scope="session")
def booklet():
    return load_booklet(ROOT / "content")


@pytest.fixture(scope="session")
def source_essays():
    """The essay bodies of the source text, less its known artefacts."""
    from source_text import essay_bodies

    path = next(SOURCE.glob("000_*.txt"), None)
    if path is None:
        pytest.skip(f"the source texts are not at {SOURCE}")
    return essay_bodies(path.read_text(encoding="utf-8"))


@pytest.fixture
def project(tmp_path) -> Path:
    """A private copy of the project to break."""
    return copy_project(tmp_path)
