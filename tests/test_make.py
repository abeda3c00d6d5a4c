"""The README's commands can be trusted: `make` after any edit the editor makes gives
exactly the booklet a clean build of the same tree gives.

Make once judged freshness by file times, so a deleted or renamed essay folder, or files
unzipped with older dates, left the old booklet in place; a name with a space stopped
it; and `make pdf` wrote both files. These tests run make itself on a copy of the
fixture booklet made once through make (conftest.made), and compare what it leaves in
build/ with a clean build.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import (MADE_EPOCH, OUTPUTS, ROOT, copy_fixture, read_output, run_make, with_make,
                      with_parts_of)

EPOCH = {"SOURCE_DATE_EPOCH": MADE_EPOCH}  # that of conftest.made, the booklet made once


@pytest.fixture
def edited(made, tmp_path) -> Path:
    """A copy of the made project, build/ included, to edit and make again."""
    root = tmp_path / "edited"
    shutil.copytree(made, root, symlinks=True)
    return root


def _clean_build(root: Path, tmp_path: Path) -> dict[str, bytes]:
    """What a first build of the same tree, in another folder, writes: no outputs and no
    stamps, only the laid-out parts of conftest.made (kept by content digest: that a
    build from them gives the bytes of a cold one is test_print_parts' to prove)."""
    clean = tmp_path / "clean"
    shutil.copytree(root / "content", clean / "content", symlinks=True)
    shutil.copytree(root / "styles", clean / "styles")
    with_parts_of(clean, root)
    result = subprocess.run([sys.executable, "-m", "booklet", "--root", str(clean), "build",
                             "-q"], capture_output=True, text=True, env={**os.environ, **EPOCH})
    assert result.returncode == 0, result.stderr
    return {name: read_output(clean / "build" / name) for name in OUTPUTS}


def _outputs(root: Path) -> dict[str, bytes]:
    return {name: read_output(root / "build" / name) for name in OUTPUTS}


def _essays(root: Path) -> list[Path]:
    return sorted(p for p in (root / "content" / "essays").iterdir() if p.is_dir())


def _make_equals_clean_build(root: Path, tmp_path: Path, before: dict[str, bytes]) -> None:
    result = run_make(root, env=EPOCH)
    assert result.returncode == 0, result.stderr
    after = _outputs(root)
    assert after != before, "make left the old booklet in place"
    assert after == _clean_build(root, tmp_path)


def test_a_deleted_essay_folder_leaves_the_booklet(edited, tmp_path):
    before = _outputs(edited)
    shutil.rmtree(_essays(edited)[-1])
    _make_equals_clean_build(edited, tmp_path, before)


def test_renamed_folders_reorder_the_essays(edited, tmp_path):
    before = _outputs(edited)
    first, second = _essays(edited)[:2]
    first.rename(first.with_name("zz-" + first.name))  # now read last
    _make_equals_clean_build(edited, tmp_path, before)
    from booklet.content import load_booklet
    assert load_booklet(edited / "content").essays[-1].slug.startswith("zz-")


def test_a_corrected_essay_with_older_file_dates_is_rebuilt(edited, tmp_path):
    """As after unzipping an essay the student corrected last month: older dates."""
    before = _outputs(edited)
    essay = _essays(edited)[0] / "essay.md"
    essay.write_text(essay.read_text(encoding="utf-8").rstrip("\n")
                     + "\n\nA sentence the student added.\n", encoding="utf-8")
    os.utime(essay, (978307200, 978307200))  # 1 January 2001
    _make_equals_clean_build(edited, tmp_path, before)


def test_names_with_spaces_work(edited, tmp_path):
    """A figure file 'Figure 1.svg', an essay folder '03 Second Look', and a stray
    'old versions' folder inside an essay's folder."""
    before = _outputs(edited)
    with_svg = next(p for p in _essays(edited) if list(p.glob("*.svg")))
    svg = next(with_svg.glob("*.svg"))
    svg.rename(with_svg / "Figure 1.svg")
    essay = with_svg / "essay.md"
    essay.write_text(essay.read_text(encoding="utf-8").replace(
        f"file: {svg.name}", 'file: "Figure 1.svg"'), encoding="utf-8")
    (with_svg / "old versions").mkdir()
    (with_svg / "old versions" / "draft 1.md").write_text("An old draft.\n", encoding="utf-8")
    with_svg.rename(with_svg.with_name(with_svg.name[:2] + " Second Look"))
    _make_equals_clean_build(edited, tmp_path, before)


@pytest.mark.parametrize("target", ["pdf", "large-print", "epub"])
def test_make_of_one_edition_builds_only_its_own_file(tmp_path, target):
    from booklet.project import Project

    # From an empty build/: that build/parts/ appears is part of what is checked.
    root = with_make(copy_fixture(tmp_path / target))
    result = run_make(root, target, env=EPOCH)
    assert result.returncode == 0, result.stderr
    wanted = Project(root).output(target).name
    # Beside it, the stamps, the laid-out parts (each of these targets needs a print
    # layout: the EPUB's page-list is the standard edition's) and the formatted entries.
    assert sorted(p.name for p in (root / "build").iterdir()) == sorted(
        [wanted, ".stamps.json", "parts", ".references.json"])


def test_make_web_builds_the_web_edition_and_its_downloads(made, tmp_path):
    root = with_make(with_parts_of(copy_fixture(tmp_path / "web"), made))
    result = run_make(root, "web", env=EPOCH)
    assert result.returncode == 0, result.stderr
    assert "wrote build/web/" in result.stdout
    for name in ("booklet.pdf", "booklet.epub"):
        assert (root / "build" / "web" / name).read_bytes() == (root / "build" / name).read_bytes()
    assert (root / "build" / "web" / "index.html").is_file()


def test_an_unchanged_tree_rebuilds_nothing(edited):
    inodes = {name: (edited / "build" / name).stat().st_ino for name in OUTPUTS}
    for path in (edited / "content").rglob("*"):
        os.utime(path)  # a touch, or a checkout that changes no bytes
    result = run_make(edited, env=EPOCH)
    assert result.returncode == 0, result.stderr
    assert "is up to date" in result.stdout
    assert {name: (edited / "build" / name).stat().st_ino for name in OUTPUTS} == inodes


# --- what the machine needs ---------------------------------------------------------


def _path_without(tmp_path: Path, *missing: str) -> str:
    """A PATH holding the usual commands but not the `missing` ones."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for folder in os.environ["PATH"].split(os.pathsep):
        for tool in Path(folder).glob("*") if Path(folder).is_dir() else ():
            link = bin_dir / tool.name
            if tool.name not in missing and not link.exists() and os.access(tool, os.X_OK):
                link.symlink_to(tool)
    return str(bin_dir)


def _system_packages(what: str, path: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PATH": path, "BOOKLET_NO_INSTALL": "1"}
    return subprocess.run(["bash", str(ROOT / "tools" / "system-packages"), what],
                          capture_output=True, text=True, env=env, timeout=60)


def test_a_machine_without_the_test_tools_is_told_the_exact_command(tmp_path):
    path = _path_without(tmp_path, "pdftotext", "chromium", "java", "npm", "gs", "qpdf")
    result = _system_packages("test", path)
    assert result.returncode == 1
    for package in ("poppler-utils", "chromium", "default-jre-headless", "npm",
                    "ghostscript", "qpdf"):
        assert package in result.stderr
    command = next(line.strip() for line in result.stderr.splitlines()
                   if "apt-get install" in line)
    assert command.startswith("sudo apt-get update && sudo apt-get install -y")
    assert command.split()[-6:] == ["poppler-utils", "default-jre-headless", "chromium", "npm",
                                    "ghostscript", "qpdf"]


def test_the_build_does_not_ask_for_the_test_tools(tmp_path):
    path = _path_without(tmp_path, "pdftotext", "chromium", "java", "npm")
    assert _system_packages("build", path).returncode == 0


def test_make_stops_at_once_when_the_machine_lacks_a_tool(made, tmp_path):
    env = {"PATH": _path_without(tmp_path, "pdftotext"), "BOOKLET_NO_INSTALL": "1"}
    result = run_make(made, "system-test", env=env)
    assert result.returncode == 2
    assert "apt-get install -y --no-install-recommends poppler-utils" in result.stderr


def test_make_report_writes_the_report_and_make_does_not(made, edited):
    assert not (made / "build" / "editorial-report.html").exists()  # make alone: no report
    before = _outputs(edited)
    result = run_make(edited, "report", env=EPOCH)
    assert result.returncode == 0, result.stderr
    assert (edited / "build" / "editorial-report.html").is_file()
    assert "EPUB was up to date" in (edited / "build" / "editorial-report.html").read_text(
        encoding="utf-8")
    assert _outputs(edited) == before  # the booklet was current: the report changed nothing
