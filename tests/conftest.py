"""Shared fixtures: one real build of the project's content, read back by every test."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from booklet.content import load_booklet

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT.parent / "shared" / "source"
# A second booklet of our own: the pipeline's tests run on it, so that they pass for
# whatever content/ next year's editor puts in the project.
FIXTURE = ROOT / "tests" / "fixtures" / "second-booklet"
# The validators in Java (EPUBCheck, the Nu checker) each run once for a few seconds: the
# client compiler alone and the serial collector halve the CPU they take, for the same
# findings. Code compiled so has deeper frames: the Nu checker's schema needs more stack
# than its 512k minimum. Set for every command a test starts, unless already set.
JVM_FLAGS = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss8m"
os.environ.setdefault("JAVA_TOOL_OPTIONS", JVM_FLAGS)


def _outputs() -> tuple[str, ...]:
    from booklet.editions import names
    from booklet.project import Project

    return tuple(Project(ROOT).output(name).name for name in names())


# What a full build writes into build/: every edition's file (booklet.editions).
OUTPUTS = _outputs()


def run_booklet(root: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """The real command, as an editor runs it."""
    return subprocess.run([sys.executable, "-m", "booklet", "--root", str(root), *args],
                          capture_output=True, text=True, timeout=600,
                          env={**os.environ, **env} if env else None)


def read_output(path: Path) -> bytes:
    """An output's bytes, to compare before and after: a file's own, or for a folder
    (the web edition) every file's name and bytes in order."""
    if not path.is_dir():
        return path.read_bytes()
    return b"".join(f"{p.relative_to(path).as_posix()}\0".encode() + p.read_bytes() + b"\0"
                    for p in sorted(path.rglob("*")) if p.is_file())


def copy_project(dest: Path, content: Path = ROOT / "content") -> Path:
    """A project folder at `dest`: the given content/ (the project's own by default)
    and the project's styles/."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(content, dest / "content")
    shutil.copytree(ROOT / "styles", dest / "styles")
    return dest


def copy_fixture(dest: Path) -> Path:
    """A project folder holding the fixture booklet (tests/fixtures/second-booklet)."""
    return copy_project(dest, FIXTURE / "content")


def with_parts_of(root: Path, built_root: Path) -> Path:
    """Give a project copy the laid-out parts (build/parts/) and formatted entries of
    another build of the same booklet, and none of its outputs: its first build writes
    every output it is asked for, but lays out only the parts an edit changed. For the
    tests of what a build of edited content writes, not of a cold build."""
    (root / "build").mkdir(parents=True, exist_ok=True)
    shutil.copytree(built_root / "build" / "parts", root / "build" / "parts")
    kept = built_root / "build" / ".references.json"
    if kept.exists():
        shutil.copy(kept, root / "build" / kept.name)
    return root


def with_make(root: Path) -> Path:
    """Give a project copy the Makefile and tools/ the editor runs make with."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "Makefile", root / "Makefile")
    shutil.copytree(ROOT / "tools", root / "tools")
    return root


def run_make(root: Path, *targets: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """make, as the editor runs it, in a project copy: with this test run's Python
    environment (SETUP=system: the system check runs, nothing is installed)."""
    return subprocess.run(["make", "--no-print-directory", f"VENV={sys.prefix}",
                           "SETUP=system", *targets], cwd=root, capture_output=True,
                          text=True, timeout=600, env={**os.environ, **(env or {})})


def pytest_configure(config):
    config.addinivalue_line("markers", "edition_2020: a check of the 2020 edition against "
                                       "its source texts (tests/edition.py)")


def pytest_collection_modifyitems(items):
    from edition import NOT_2020, is_2020

    shipped_is_2020 = is_2020()
    for item in items:
        if item.get_closest_marker("edition_2020") is None:
            continue
        params = getattr(getattr(item, "callspec", None), "params", {})
        # A 2020 read-back of a build is parametrized over the shipped booklet alone
        # (edition.read_2020_build): the fixture booklet was never the 2020 edition.
        assert params.get("built", "shipped") == "shipped", item.nodeid
        if not shipped_is_2020:
            item.add_marker(pytest.mark.skip(reason=NOT_2020))


# The outputs' tests run on both the booklet the project ships (whatever content/ holds
# this year) and the fixture booklet, so that they prove the pipeline, not one edition.
PROJECTS = {"shipped": ROOT / "content", "fixture": FIXTURE / "content"}


def once_per_run(tmp_path_factory, name: str, make) -> Path:
    """The folder `name`, made by `make(folder)` once for the whole test run.

    With pytest-xdist each worker has its own session, so a session fixture would build
    once per worker: the first worker to ask makes the folder under a file lock in the
    run's shared temporary folder (pytest-xdist's documented pattern), the others wait
    for it and read it. A folder shared this way is only read: a test that edits copies
    it first (shutil.copytree; the parts cache in build/parts/ makes the rebuild cheap).
    """
    from filelock import FileLock

    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # pytest-N/, shared by the workers of this run
    folder = base / name
    done = base / f"{name}.done"
    with FileLock(str(base / f"{name}.lock")):
        if not done.exists():
            if folder.exists():  # a worker's attempt that failed: start afresh
                shutil.rmtree(folder)
            make(folder)
            done.touch()
    return folder


def keep_output(root: Path, result: subprocess.CompletedProcess) -> None:
    """Keep what a shared build printed beside its folder, for build_output."""
    root.with_name(root.name + "-build.json").write_text(json.dumps(
        {"args": result.args, "returncode": result.returncode, "stdout": result.stdout,
         "stderr": result.stderr}), encoding="utf-8")


def build_output(root: Path) -> subprocess.CompletedProcess:
    """What the cold build of a `built` project said (its stage lines, its warnings)."""
    saved = root.with_name(root.name + "-build.json")
    data = json.loads(saved.read_text(encoding="utf-8"))
    return subprocess.CompletedProcess(data["args"], data["returncode"], data["stdout"],
                                       data["stderr"])


@pytest.fixture(scope="session", params=list(PROJECTS))
def built(request, tmp_path_factory) -> Path:
    """A full, cold build of a copy of a project; returns its root. Its temporary files
    go to a folder of their own beside the project (built_temporaries); what the build
    printed is kept beside it too (build_output). Made once per test run."""
    def make(root: Path) -> None:
        copy_project(root, PROJECTS[request.param])
        temporaries = built_temporaries(root)
        if temporaries.exists():
            shutil.rmtree(temporaries)
        temporaries.mkdir()
        result = run_booklet(root, "build", env={"TMPDIR": str(temporaries)})
        assert result.returncode == 0, result.stderr
        keep_output(root, result)

    return once_per_run(tmp_path_factory, f"built-{request.param}", make)


# The edition time of `made`, fixed so that other builds of the same tree can be compared
# with it byte for byte: 2023-11-14T22:13:20Z.
MADE_EPOCH = "1700000000"


@pytest.fixture(scope="session")
def made(tmp_path_factory) -> Path:
    """The fixture booklet built once through make, as the editor builds it, at a fixed
    edition time (MADE_EPOCH) with two jobs; returns its root (Makefile and tools/
    included). The cold build that test_make edits copies of, test_parallel compares one
    job with, test_reproducible compares another folder with, test_print_parts reads
    the parts cache of, and test_bad_inputs breaks copies of. Its stdout is kept beside
    it (build_output). Made once per test run; copy it to edit it."""
    def make(root: Path) -> None:
        with_make(copy_fixture(root))
        result = run_make(root, env={"SOURCE_DATE_EPOCH": MADE_EPOCH, "BOOKLET_JOBS": "2"})
        assert result.returncode == 0, result.stderr
        keep_output(root, result)

    return once_per_run(tmp_path_factory, "made", make)


def built_temporaries(root: Path) -> Path:
    """The TMPDIR of the build of `built`."""
    return root.with_name(root.name + "-tmp")


@pytest.fixture(scope="session")
def pdf(built) -> Path:
    return built / "build" / "booklet.pdf"


@pytest.fixture(scope="session")
def epub(built) -> Path:
    return built / "build" / "booklet.epub"


@pytest.fixture(scope="session")
def booklet(built):
    return load_booklet(built / "content")


@pytest.fixture(scope="session")
def source_essays(built):
    """The essay bodies of the source text, less its known artefacts."""
    from edition import is_2020
    from source_text import essay_bodies

    if not is_2020(built):
        pytest.skip("this build is not of the 2020 edition: the source texts are not its source")
    path = next(SOURCE.glob("000_*.txt"), None)
    if path is None:
        pytest.skip(f"the source texts are not at {SOURCE}")
    return essay_bodies(path.read_text(encoding="utf-8"))


@pytest.fixture
def project(tmp_path) -> Path:
    """A private copy of the project to break."""
    return copy_project(tmp_path)


@pytest.fixture(scope="session")
def large_print(built) -> Path:
    return built / "build" / "booklet-large-print.pdf"
