"""Formatted reference entries are kept in build/ between builds: citeproc-py
formats an entry once, not in every build, and only a build that wrote its outputs
keeps them."""

from __future__ import annotations

import json

from conftest import copy_fixture, run_booklet

KEPT = ".references.json"


def test_a_build_reuses_the_entries_it_kept_and_trusts_them_only_by_digest(tmp_path):
    root = copy_fixture(tmp_path)
    assert run_booklet(root, "build", "epub").returncode == 0
    kept_file = root / "build" / KEPT
    kept = json.loads(kept_file.read_text(encoding="utf-8"))
    from booklet.content import load_booklet

    # One kept entry per distinct entry (two essays may list the very same work).
    entries = len({ref.csl for essay in load_booklet(root / "content").essays
                   for ref in essay.references})
    assert len(kept) == entries
    # What is kept is what the next build prints: a marker put in one kept entry shows
    # in the EPUB, once an essay edit has the EPUB written again.
    key = sorted(kept)[0]
    kept[key] = [["text", "KEPT-ENTRY-MARKER"]]
    kept_file.write_text(json.dumps(kept), encoding="utf-8")
    essay = sorted((root / "content" / "essays").glob("*/essay.md"))[0]
    essay.write_text(essay.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    assert run_booklet(root, "build", "epub").returncode == 0
    import zipfile

    with zipfile.ZipFile(root / "build" / "booklet.epub") as epub:
        text = "".join(epub.read(n).decode() for n in epub.namelist() if n.endswith(".xhtml"))
    assert "KEPT-ENTRY-MARKER" in text
    # A changed entry has another digest: it is formatted again, not taken from the file.
    refs = sorted((root / "content" / "essays").glob("*/references.yaml"))[0]
    source = refs.read_text(encoding="utf-8")
    assert "title:" in source
    refs.write_text(source.replace("title: ", "title: Renamed ", 1), encoding="utf-8")
    assert run_booklet(root, "build", "epub").returncode == 0
    now = json.loads(kept_file.read_text(encoding="utf-8"))
    assert len(now) == entries and set(now) != set(kept)  # one new digest, the old pruned


def test_an_unreadable_kept_file_is_formatted_again_and_a_refused_build_keeps_nothing(
        tmp_path):
    root = copy_fixture(tmp_path)
    (root / "build").mkdir()
    kept_file = root / "build" / KEPT
    kept_file.write_text("{not json", encoding="utf-8")
    assert run_booklet(root, "build", "epub").returncode == 0
    good = kept_file.read_bytes()
    assert json.loads(good)
    refs = sorted((root / "content" / "essays").glob("*/references.yaml"))[0]
    refs.write_text(refs.read_text(encoding="utf-8").replace("title: ", "title: New ", 1)
                    + "\n- id: [broken\n", encoding="utf-8")
    assert run_booklet(root, "build", "epub").returncode == 1
    assert kept_file.read_bytes() == good
