"""The same tree builds the same bytes: no clock, no randomness, no machine or folder in
the files; and the edition's date follows its content (issue #10)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
import zipfile

import pikepdf

from conftest import OUTPUTS, copy_fixture, read_output



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


def test_two_folders_build_identical_bytes(tmp_path):
    """Folders of different name length, with a PNG figure in the booklet (WeasyPrint
    names raster images by their URL)."""
    first = copy_fixture(tmp_path / "a")
    assert list((first / "content").rglob("*.png")), "the fixture must hold a PNG figure"
    first = _build(first, "1590000000")
    second = _build(copy_fixture(tmp_path / "a-folder-with-a-much-longer-name"), "1590000000")
    for name in OUTPUTS:
        assert first[name] == second[name], name


def test_the_edition_time_reaches_both_files(tmp_path):
    """The comparison above can fail: another edition time gives other bytes."""
    first = _build(copy_fixture(tmp_path / "a"), "1590000000")
    later = _build(copy_fixture(tmp_path / "b"), "1600000000")
    assert first["booklet.pdf"] != later["booklet.pdf"]
    assert first["booklet.epub"] != later["booklet.epub"]
    with zipfile.ZipFile(io.BytesIO(first["booklet.epub"])) as epub:
        assert b"2020-05-20T18:40:00Z" in epub.read("EPUB/content.opf")


def test_without_an_epoch_the_date_moves_with_the_content_only(tmp_path):
    """A project outside git: the date is when this content was first built."""
    root = copy_fixture(tmp_path / "p")
    first = _build(root, None)
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


def test_a_committed_tree_is_dated_by_its_commit_and_an_edit_is_not(tmp_path):
    root = copy_fixture(tmp_path / "p")
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
