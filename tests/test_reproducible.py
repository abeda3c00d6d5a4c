"""The same tree builds the same bytes: no clock, no randomness, no machine or folder in
the files; and the edition's date follows its content."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import time
import zipfile

import pikepdf

from conftest import MADE_EPOCH, OUTPUTS, copy_fixture, read_output
from edition import built_from



def _build(root, epoch: str | None):
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    if epoch is not None:
        env["SOURCE_DATE_EPOCH"] = epoch
    result = subprocess.run([sys.executable, "-m", "booklet", "--root", str(root), "build"],
                            capture_output=True, text=True, env=env, timeout=600)
    assert result.returncode == 0, result.stderr
    return {name: read_output(root / "build" / name) for name in OUTPUTS}


def _pdf_date(data: bytes) -> str:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return str(pdf.docinfo["/ModDate"])


def test_two_folders_build_identical_bytes(made, tmp_path):
    """Folders of different name length, with a PNG figure in the booklet (WeasyPrint
    names raster images by their URL): conftest.made, and a cold build of the same tree
    at the same edition time in a folder of a much longer name."""
    assert list((made / "content").rglob("*.png")), "the fixture must hold a PNG figure"
    first = {name: read_output(made / "build" / name) for name in OUTPUTS}
    longer = copy_fixture(tmp_path / "a-folder-with-a-much-longer-name-than-made-has")
    assert len(str(longer)) > len(str(made)) + 10
    second = _build(longer, MADE_EPOCH)
    for name in OUTPUTS:
        assert first[name] == second[name], name


@built_from("fixture")
def test_the_edition_time_reaches_both_files(made, built):
    """The comparison above can fail: another edition time gives other bytes. The same
    tree, made at MADE_EPOCH and built (conftest.built) without one, dated now."""
    first = {name: read_output(made / "build" / name) for name in OUTPUTS}
    later = {name: read_output(built / "build" / name) for name in OUTPUTS}
    assert first["booklet.pdf"] != later["booklet.pdf"]
    assert first["booklet.epub"] != later["booklet.epub"]
    with zipfile.ZipFile(io.BytesIO(first["booklet.epub"])) as epub:
        assert b"2023-11-14T22:13:20Z" in epub.read("EPUB/content.opf")  # MADE_EPOCH


@built_from("fixture")
def test_without_an_epoch_the_date_moves_with_the_content_only(built, tmp_path):
    """A project outside git: the date is when this content was first built (the
    session's cold build of the fixture booklet, with no edition time; copied)."""
    root = tmp_path / "p"
    shutil.copytree(built, root, symlinks=True)
    first = {name: read_output(root / "build" / name) for name in OUTPUTS}
    time.sleep(1.1)
    for path in (root / "content").rglob("*"):
        os.utime(path)
    assert _build(root, None) == first, "a touch changed the booklet"
    essay = next((root / "content" / "essays").glob("*/essay.md"))
    essay.write_text(essay.read_text(encoding="utf-8") + "\nOne more sentence.\n",
                     encoding="utf-8")
    edited = _build(root, None)
    assert _pdf_date(edited["booklet.pdf"]) > _pdf_date(first["booklet.pdf"])


def _git(root, *args, date="2021-03-16T12:00:00+00:00"):
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date,
           "GIT_AUTHOR_NAME": "Editor", "GIT_AUTHOR_EMAIL": "editor@example.org",
           "GIT_COMMITTER_NAME": "Editor", "GIT_COMMITTER_EMAIL": "editor@example.org"}
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, env=env)


@built_from("fixture")
def test_a_committed_tree_is_dated_by_its_commit_and_an_edit_is_not(built, tmp_path):
    # The session's build, copied, and its content committed: built again, it is dated
    # by the commit; a fresh clone built cold must give the same bytes.
    root = tmp_path / "p"
    shutil.copytree(built, root, symlinks=True)
    _git(root, "init", "-q")
    _git(root, "add", "content")
    _git(root, "commit", "-qm", "The edition")
    committed = _build(root, None)
    assert _pdf_date(committed["booklet.pdf"]).startswith("D:20210316120000")
    clone = copy_fixture(tmp_path / "another-checkout")
    _git(clone, "init", "-q")
    _git(clone, "add", "content")
    _git(clone, "commit", "-qm", "The edition")
    assert _build(clone, None) == committed, "two checkouts of one commit differ"
    essay = next((root / "content" / "essays").glob("*/essay.md"))
    essay.write_text(essay.read_text(encoding="utf-8") + "\nAn uncommitted edit.\n",
                     encoding="utf-8")
    edited = _build(root, None)
    assert not _pdf_date(edited["booklet.pdf"]).startswith("D:2021")
