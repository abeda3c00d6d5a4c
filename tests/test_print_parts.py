"""The print editions laid out in parts and joined: the joined PDF read back, and
the cache of parts in build/parts/ observed through what a rebuild lays out."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess

import pikepdf
import pytest

from booklet.check.tagtext import read_tag_text
from booklet.content import load_booklet
from conftest import MADE_EPOCH, build_output, run_booklet
from edition import built_from

FIXED_TIME = MADE_EPOCH  # that of conftest.made, whose parts these tests start from


def _page_texts(path) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                         text=True, check=True).stdout
    return out.split("\f")[:-1]


def _folio(text: str) -> str:
    """The folio pdftotext reads at the foot of a page, or ''."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines and lines[-1].isdigit() else ""


def _dest_pages(doc) -> dict[str, int]:
    pages = {p.obj.objgen: n for n, p in enumerate(doc.pages, 1)}
    return {name: pages[dest[0].objgen]
            for name, dest in pikepdf.NameTree(doc.Root.Names.Dests).items()}


@pytest.fixture(scope="session")
def booklet(built):
    return load_booklet(built / "content")


def test_joined_pdf_passes_the_pdfua_audit(built):
    result = run_booklet(built, "check", "pdf", str(built / "build" / "booklet.pdf"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 failures" in result.stdout


def test_contents_links_land_on_the_essays_first_pages(pdf, booklet):
    texts = _page_texts(pdf)
    with pikepdf.open(pdf) as doc:
        dests = _dest_pages(doc)
        links = [(str(a.Dest), str(a.Contents), n) for n, page in enumerate(doc.pages, 1)
                 for a in page.obj.get("/Annots", []) if "/Dest" in a]
    # A link over two lines (author, title) is an annotation per line: each once.
    contents = list({link[0]: link for link in links
                     if link[1].startswith("Go to the essay by")}.values())
    assert [name for name, _, _ in contents] == [e.anchor for e in booklet.essays]
    for (name, description, on_page), essay in zip(contents, booklet.essays):
        first = dests[name]
        # The essay's heading is on that page, the page has no essay before it, and the
        # contents print its folio; the link's description names the same page.
        assert essay.author in texts[first - 1]
        assert description.endswith(f", page {first}"), description
        assert str(first) in texts[on_page - 1].split()  # the number the contents print
        assert _folio(texts[first - 1]) == str(first)


def test_every_internal_link_description_names_its_target_page(pdf):
    with pikepdf.open(pdf) as doc:
        dests = _dest_pages(doc)
        for page in doc.pages:
            for annotation in page.obj.get("/Annots", []):
                if "/Dest" not in annotation:
                    continue
                contents = str(annotation.Contents)
                assert "\ue000" not in contents
                assert contents.endswith(f", page {dests[str(annotation.Dest)]}"), contents


def test_bookmarks_in_reading_order(pdf, booklet):
    with pikepdf.open(pdf) as doc:
        dests = {p.obj.objgen: n for n, p in enumerate(doc.pages, 1)}
        with doc.open_outline() as outline:
            top = [(item.title, dests[item.destination[0].objgen]) for item in outline.root]
    titles = [title for title, _ in top]
    pages = [page for _, page in top]
    assert pages == sorted(pages)
    essays = [t for t in titles if any(t == f"{e.author}: {e.short_title}" for e in booklet.essays)]
    assert essays == [f"{e.author}: {e.short_title}" for e in booklet.essays]
    assert titles[-1] == "About this booklet"


def test_page_labels_are_the_printed_folios(pdf):
    texts = _page_texts(pdf)
    with pikepdf.open(pdf) as doc:
        labels = [page.label for page in doc.pages]
    assert labels[0] == "Cover"
    printed = [(n, _folio(text)) for n, text in enumerate(texts) if _folio(text)]
    assert len(printed) > len(texts) // 2
    for number, folio in printed:
        assert labels[number] == folio
    assert labels[1:] == [str(n) for n in range(2, len(labels) + 1)]


def test_the_join_reads_as_the_booklet_laid_out_whole(built, pdf, tmp_path):
    """The structure tree's text and every page's text equal those of the whole
    booklet laid out in one piece (as it was before parts) with the same contents numbers."""
    from booklet.project import Project
    from booklet.render import render_print
    from booklet.typefaces import load_typefaces
    from booklet.engine import lay_out_whole

    project = Project(built)
    booklet = load_booklet(project.content)
    with pikepdf.open(pdf) as doc:
        dests = _dest_pages(doc)
    html = render_print(booklet, "2020-01-01T00:00:00Z", load_typefaces(project.styles),
                        toc_pages={e.anchor: dests[e.anchor] for e in booklet.essays})
    whole = tmp_path / "whole.pdf"
    whole.write_bytes(lay_out_whole(html, project.root, project.readable_roots())
                      .tagged_pdf("test"))
    assert read_tag_text(pdf).text == read_tag_text(whole).text
    joined, single = _page_texts(pdf), _page_texts(whole)
    assert len(joined) == len(single)
    # The colophon is now laid out with a left-hand page's margins, where it is printed.
    for number, (a, b) in enumerate(zip(joined, single), 1):
        assert a.split() == b.split(), f"page {number}"


def _project(made, tmp_path, monkeypatch):
    """A copy of conftest.made: the fixture booklet built cold, its parts in build/parts/."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_TIME)  # the front matter's date fixed
    root = tmp_path / "project"
    shutil.copytree(made, root, symlinks=True)
    return root


def _index(root) -> dict:
    return json.loads((root / "build" / "parts" / "index.json").read_text("utf-8"))


def _build(root) -> str:
    result = run_booklet(root, "build", "pdf")
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_cold_and_cached_builds_are_byte_identical(made, tmp_path, monkeypatch):
    root = _project(made, tmp_path, monkeypatch)
    said = build_output(made).stdout  # what the cold build said
    cold = (root / "build" / "booklet.pdf").read_bytes()
    assert re.search(r"standard A5 edition: \d+ pages, (\d+) parts laid out, 0 kept", said), said
    (root / "build" / "booklet.pdf").unlink()
    (root / "build" / ".stamps.json").unlink()
    assert "0 parts laid out" in _build(root)
    assert (root / "build" / "booklet.pdf").read_bytes() == cold
    # A corrupt entry is not used: that part alone is laid out again, to the same bytes.
    # (one the standard edition uses: the cache holds every print edition's parts)
    index = json.loads((root / "build" / "parts" / "index.json").read_text("utf-8"))
    entry = root / "build" / "parts" / f"{index['editions']['pdf']['parts'][0]}.pdf"
    entry.write_bytes(entry.read_bytes()[:100])
    (root / "build" / "booklet.pdf").unlink()
    assert "1 parts laid out" in _build(root)
    assert (root / "build" / "booklet.pdf").read_bytes() == cold


def _essay_parts(root, booklet) -> dict[str, str]:
    """Essay anchor -> the digest of its part, read from the cache's entries."""
    found = {}
    for facts in (root / "build" / "parts").glob("*.json"):
        if facts.name == "index.json":
            continue
        data = json.loads(facts.read_text("utf-8"))
        if data["kind"] == "essay":
            for essay in booklet.essays:
                if any(block == f"{essay.anchor}-title" for _, block, _ in data["starts"]):
                    found[essay.anchor] = facts.stem
    return found


@built_from("fixture")
def test_a_one_essay_edit_lays_out_only_that_essay(built, tmp_path, monkeypatch):
    # No fixed date: an uncommitted edit moves the edition's date on, which only the
    # joined PDF's metadata shows; no part is laid out again for it. The session's build
    # (conftest.built, no edition time) copied.
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    root = tmp_path / "project"
    shutil.copytree(built, root, symlinks=True)
    with pikepdf.open(root / "build" / "booklet.pdf") as doc:
        dated = str(doc.docinfo.CreationDate)
    essay = sorted((root / "content" / "essays").glob("*/essay.md"))[0]
    text = essay.read_text("utf-8")
    # One word for another of the same length, in plain prose: no page moves.
    line = next(line for line in text.split("---", 2)[2].splitlines()
                if line[:1].isalpha() and "[" not in line)
    word = max(re.findall(r"\b[a-z]+\b", line), key=len)
    essay.write_text(text.replace(line, line.replace(word, word[::-1], 1), 1), "utf-8")
    said = _build(root)
    assert "1 parts laid out" in said, said
    assert _index(root)["editions"]["pdf"]["laid_out"] == 1
    with pikepdf.open(root / "build" / "booklet.pdf") as doc:
        xmp = doc.Root.Metadata.read_bytes().decode()
        info = str(doc.docinfo.CreationDate)
    assert info >= dated and "1970-01-01" not in xmp and "19700101" not in info
    iso = f"{info[2:6]}-{info[6:8]}-{info[8:10]}T{info[10:12]}:{info[12:14]}:{info[14:16]}Z"
    assert f"<xmp:CreateDate>{iso}</xmp:CreateDate>" in xmp


def test_a_longer_first_essay_moves_the_others_without_laying_them_out(made, tmp_path,
                                                                      monkeypatch):
    root = _project(made, tmp_path, monkeypatch)
    booklet = load_booklet(root / "content")
    before_parts = _essay_parts(root, booklet)
    with pikepdf.open(root / "build" / "booklet.pdf") as doc:
        before = _dest_pages(doc)
    essay = sorted((root / "content" / "essays").glob("*/essay.md"))[0]
    added = " ".join(["A sentence the editor added to make this essay longer."] * 14)
    essay.write_text(essay.read_text("utf-8").rstrip() + "\n" + f"\n\n{added}\n" * 7, "utf-8")
    said = _build(root)
    after_booklet = load_booklet(root / "content")
    after_parts = _essay_parts(root, after_booklet)
    pdf = root / "build" / "booklet.pdf"
    with pikepdf.open(pdf) as doc:
        after = _dest_pages(doc)
    first, *others = booklet.essays
    moved = after[others[0].anchor] - before[others[0].anchor]
    assert moved >= 2 and moved % 2 == 0, (before, after)
    for other in others:
        # Not laid out again: the same part, at new page numbers with new folios.
        assert after_parts[other.anchor] == before_parts[other.anchor]
        assert after[other.anchor] == before[other.anchor] + moved
    # The essay, the front matter (its contents numbers) and the furniture.
    assert "3 parts laid out" in said, said
    texts = _page_texts(pdf)
    for other in others:
        assert _folio(texts[after[other.anchor] - 1]) == str(after[other.anchor])
        assert other.author in texts[after[other.anchor] - 1]
    assert read_tag_text(pdf).text.count(first.author) >= 1
    assert run_booklet(root, "check", "pdf", str(pdf)).returncode == 0


def test_a_cache_entry_for_no_edition_is_removed(made, tmp_path, monkeypatch):
    root = _project(made, tmp_path, monkeypatch)
    stray = root / "build" / "parts" / ("0" * 64 + ".pdf")
    shutil.copy(sorted((root / "build" / "parts").glob("*.pdf"))[0], stray)
    (root / "build" / "booklet.pdf").unlink()
    _build(root)
    assert not stray.exists()
    assert io.BytesIO((root / "build" / "booklet.pdf").read_bytes()).read(5) == b"%PDF-"


@pytest.mark.parametrize("which", ["shipped", "fixture"])
def test_the_parts_html_is_the_booklets_rendered_part_by_part(which):
    # render_print_parts renders each part once: the colophon's "Set in …" from the
    # parts' characters, the front matter with its page numbers marked and filled in
    # later. Both must say what rendering the booklet whole (and the front matter with
    # its numbers known) says.
    from booklet.render.templates import (FRONT_DATE, _render_print, colophon_sentence,
                                          render_print_parts)
    from booklet.typefaces import load_typefaces
    from conftest import PROJECTS, ROOT

    booklet = load_booklet(PROJECTS[which])
    typefaces = load_typefaces(ROOT / "styles")
    when = "2026-12-01T00:00:00Z"
    parts = render_print_parts(booklet, when, typefaces)
    assert parts.set_in == colophon_sentence(booklet, when, typefaces)  # the whole booklet's
    assert parts.set_in.startswith("Set in ")
    toc = {essay.anchor: 5 + 10 * n for n, essay in enumerate(booklet.essays)}
    assert parts.front(toc) == _render_print(booklet, FRONT_DATE, parts.set_in, part="front",
                                             toc_pages=toc)
    assert 'data-page="15"' in parts.front(toc)
