"""A build that fails while writing leaves the last good build/ exactly as it was."""

from __future__ import annotations

import shutil
from pathlib import Path

from booklet import cli
from booklet.write.print import layout as pdf
from conftest import read_output
from edition import built_from


def _project_with_build(built, tmp_path):
    root = tmp_path / "project"
    shutil.copytree(built, root, symlinks=True)
    return root, {p.name: read_output(p) for p in (root / "build").iterdir()}


@built_from("fixture")  # how a write fails, not what a booklet holds
def test_a_failed_pdf_write_keeps_the_epub_too(built, tmp_path, monkeypatch, capsys):
    # The EPUB is written first; a PDF failure after it must not leave a new EPUB beside
    # the old PDF (two editions that disagree).
    root, before = _project_with_build(built, tmp_path)
    essay = sorted((root / "content" / "essays").iterdir())[0] / "essay.md"
    essay.write_text(essay.read_text(encoding="utf-8") + "\nA new last line.\n", encoding="utf-8")

    def full_disk(document, target, identifier):
        # The disk is full for every edition being written at the same time,
        # the print shop's too, which writes through a buffer first.
        if isinstance(target, Path):
            target.write_bytes(b"%PDF-1.7 half")
        raise OSError(28, "No space left on device", str(target))

    monkeypatch.setattr(pdf, "write_pdf", full_disk)
    assert cli.main(["--root", str(root), "build"]) == 1
    err = capsys.readouterr().err
    assert "error B400: writing an output failed (No space left on device)" in err
    assert "Traceback" not in err
    after = {p.name: read_output(p) for p in (root / "build").iterdir()}
    assert after == before  # same files, same bytes, no .part left behind


def test_a_malformed_source_date_epoch_is_an_error(tmp_path, monkeypatch, capsys):
    from conftest import copy_project

    root = copy_project(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    assert cli.main(["--root", str(root), "build", "epub"]) == 1
    assert "error B410: the environment's SOURCE_DATE_EPOCH is 'yesterday'" in capsys.readouterr().err
    assert not (root / "build").exists()


@built_from("fixture")
def test_a_failed_web_write_keeps_the_last_web_folder(built, tmp_path, monkeypatch, capsys):
    """The web edition is written last, into build/.web.part-XXXX/: a failure there, half
    way through, leaves every output, the old folder included, as it was."""
    from booklet.write import web

    root, before = _project_with_build(built, tmp_path)
    assert "web" in before
    essay = sorted((root / "content" / "essays").iterdir())[0] / "essay.md"
    essay.write_text(essay.read_text(encoding="utf-8") + "\nA new last line.\n", encoding="utf-8")
    seen = tmp_path / "given.txt"  # a file: the web edition is written in a child process

    def full_disk(booklet, documents, starts, target, *args):
        seen.write_text(str(target))
        (target / "index.html").write_text("<p>half", encoding="utf-8")
        raise OSError(28, "No space left on device", str(target / "web.css"))

    monkeypatch.setattr(web, "write_web", full_disk)
    assert cli.main(["--root", str(root), "build"]) == 1
    assert "error B400: writing an output failed" in capsys.readouterr().err
    given = Path(seen.read_text())
    assert given.name.startswith(".web.part-")
    assert given.parent == root / "build"
    after = {p.name: read_output(p) for p in (root / "build").iterdir()}
    assert after == before  # same files, same bytes, no .web.part-… left behind


def test_a_folder_output_replaces_the_old_one_whole(tmp_path):
    """atomic_outputs with a folder: the new folder takes the old one's place, nothing
    of the old one is left in it, and no temporary folder stays."""
    from booklet.write.output import atomic_outputs

    target = tmp_path / "build" / "web"
    target.mkdir(parents=True)
    (target / "old.html").write_text("old", encoding="utf-8")
    (target / "sub").mkdir()
    with atomic_outputs([target, tmp_path / "build" / "a.txt"], folders={target}) as (folder, file):
        assert folder.is_dir() and folder.name.startswith(".web.part-")
        (folder / "index.html").write_text("new", encoding="utf-8")
        file.write_text("a", encoding="utf-8")
    assert sorted(p.name for p in target.iterdir()) == ["index.html"]
    assert sorted(p.name for p in target.parent.iterdir()) == ["a.txt", "web"]
    assert oct(target.stat().st_mode & 0o777) == "0o755"
