"""The same tree builds the same bytes: no clock, no randomness, no machine in the files."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile

from conftest import copy_project


def _build(root, epoch: str):
    env = {**os.environ, "SOURCE_DATE_EPOCH": epoch}
    result = subprocess.run([sys.executable, "-m", "booklet", "--root", str(root), "build"],
                            capture_output=True, text=True, env=env, timeout=600)
    assert result.returncode == 0, result.stderr
    return {name: (root / "build" / name).read_bytes() for name in ("booklet.pdf", "booklet.epub")}


def test_two_builds_are_byte_identical(tmp_path):
    first = _build(copy_project(tmp_path / "a"), "1590000000")
    second = _build(copy_project(tmp_path / "b"), "1590000000")
    assert first["booklet.pdf"] == second["booklet.pdf"]
    assert first["booklet.epub"] == second["booklet.epub"]


def test_the_edition_time_reaches_both_files(tmp_path):
    """The comparison above can fail: another edition time gives other bytes."""
    first = _build(copy_project(tmp_path / "a"), "1590000000")
    later = _build(copy_project(tmp_path / "b"), "1600000000")
    assert first["booklet.pdf"] != later["booklet.pdf"]
    assert first["booklet.epub"] != later["booklet.epub"]
    with zipfile.ZipFile(io.BytesIO(first["booklet.epub"])) as epub:
        assert b"2020-05-20T18:40:00Z" in epub.read("EPUB/content.opf")
