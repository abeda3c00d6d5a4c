"""A build that fails while writing leaves the last good build/ exactly as it was."""

from __future__ import annotations

import shutil

from booklet import cli
from booklet.write import pdf
from conftest import read_output


def _project_with_build(built, tmp_path):
    from conftest import copy_project

    root = copy_project(tmp_path)
    shutil.copytree(built / "build", root / "build")
    return root, {p.name: read_output(p) for p in (root / "build").iterdir()}


def test_a_failed_pdf_write_keeps_the_epub_too(built, tmp_path, monkeypatch, capsys):
    # The EPUB is written first; a PDF failure after it must not leave a new EPUB beside
    # the old PDF (two editions that disagree).
    root, before = _project_with_build(built, tmp_path)
    essay = sorted((root / "content" / "essays").iterdir())[0] / "essay.md"
    essay.write_text(essay.read_text(encoding="utf-8") + "\nA new last line.\n", encoding="utf-8")

    def full_disk(document, target, identifier):
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
