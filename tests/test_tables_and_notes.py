"""Tables, notes and numbered lists reach every reader whole.

Each test reads the real outputs of a build back: the PDF's tag tree as a screen reader
walks it, the EPUB's XHTML, and the print pages as pdftotext gives them. They hold for
any booklet; the fixture booklet is where they have something to find (see
test_the_fixture_booklet_has_what_these_tests_need).
"""

from __future__ import annotations

import re
import subprocess

import pikepdf
import pytest

from booklet.check.readback import epub_spine, pdf_links, words
from booklet.check.tagtext import read_tag_text
from booklet.content.body import plain_text
from booklet.content.model import tables_in
from edition import built_from
from recall import recall

XHTML = "{http://www.w3.org/1999/xhtml}"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"


@pytest.fixture(scope="module")
def tree(pdf):
    """Every structure element as {type, id, scope, kids, text?}, in tree order."""
    out = []
    with pikepdf.open(pdf) as doc:
        def walk(node, parent):
            if not isinstance(node, pikepdf.Dictionary) or node.get("/Type") in ("/MCR", "/OBJR"):
                return
            kind = str(node.get("/S", ""))[1:]
            info = None
            if kind:
                attrs = node.get("/A")
                scope = str(attrs.get("/Scope", ""))[1:] if isinstance(attrs, pikepdf.Dictionary) else ""
                info = {"type": kind, "id": str(node.get("/ID", "")), "scope": scope, "kids": []}
                out.append(info)
                if parent is not None:
                    parent["kids"].append(info)
            kids = node.get("/K")
            kids = kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
            for kid in kids:
                if isinstance(kid, pikepdf.Dictionary):
                    walk(kid, info or parent)
        walk(doc.Root.StructTreeRoot, None)
    return out


@pytest.fixture(scope="module")
def tag_text(pdf):
    return read_tag_text(pdf)


@pytest.fixture(scope="module")
def spine(epub):
    return {d.name: d for d in epub_spine(epub)}


def _tables(booklet):
    for essay in booklet.essays:
        yield essay, list(tables_in(essay.blocks))


def _lists(blocks):
    for b in blocks:
        if b.kind == "list":
            yield b
            for item in b.items:
                yield from _lists(item)
        elif b.kind == "quote":
            yield from _lists(b.blocks)


def _block_words(blocks) -> list[str]:
    """The words of blocks in reading order, as the model holds them."""
    out: list[str] = []
    for b in blocks:
        if b.kind in ("paragraph", "heading"):
            out += words(plain_text(b.children))
        elif b.kind == "quote":
            out += _block_words(b.blocks)
        elif b.kind == "list":
            for n, item in enumerate(b.items, b.start):
                out += ([str(n)] if b.ordered else []) + _block_words(item)
        elif b.kind == "table":
            out += words(b.label) + words(plain_text(b.caption))
            for cell in (*b.head, *(c for row in b.rows for c in row)):
                out += words(plain_text(cell.children))
    return out


def _essay_words(essay) -> list[str]:
    out = _block_words(essay.blocks)
    if essay.notes:
        out.append("notes")
        for note in essay.notes:
            out += [str(note.number)] + _block_words(note.blocks)
    return out


# The fixture booklet ----------------------------------------------------------------


@built_from("fixture")  # the booklet these tests have something to find in
def test_the_fixture_booklet_has_what_these_tests_need(built, booklet, pdf):
    tables = [t for _, ts in _tables(booklet) for t in ts]
    assert tables, "the fixture has a table"
    notes = [n for e in booklet.essays for n in e.notes]
    assert len(notes) >= 2
    kinds = {tuple(b.kind for b in n.blocks[0].children) for n in notes}
    assert ("link",) in kinds, "a note that is only a web address"
    assert any("citation" in k for k in kinds), "a note with a citation"
    assert any(lst.start == 4 for e in booklet.essays for lst in _lists(e.blocks))
    # The table runs over a page: its head row is printed on more than one page.
    head = " ".join(plain_text(c.children) for c in tables[0].head if c.header).split()[-2:]
    pages = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\f")
    assert sum(1 for page in pages if " ".join(head) in " ".join(page.split())) >= 2


# PDF ------------------------------------------------------------------------------------


def test_tables_are_tagged_with_headers_and_scopes(tree, booklet):
    tagged = [e for e in tree if e["type"] == "Table"]
    model = [t for _, ts in _tables(booklet) for t in ts]
    assert len(tagged) == len(model)
    for element, table in zip(tagged, model):
        kinds = [k["type"] for k in element["kids"]]
        assert kinds == ["Caption", "THead", "TBody"], kinds
        (head_row,) = element["kids"][1]["kids"]
        assert [(c["type"], c["scope"]) for c in head_row["kids"]] == [
            ("TH", "Column") if c.header else ("TD", "") for c in table.head]
        rows = element["kids"][2]["kids"]
        assert len(rows) == len(table.rows)
        for tagged_row, row in zip(rows, table.rows):
            assert [(c["type"], c["scope"]) for c in tagged_row["kids"]] == [
                ("TH", "Row") if c.header else ("TD", "") for c in row]


def test_a_repeated_head_row_is_read_once(tag_text, booklet):
    text = words(tag_text.text)
    joined = " ".join(text)
    for _, tables in _tables(booklet):
        for table in tables:
            head = " ".join(w for c in table.head for w in words(plain_text(c.children)))
            caption = " ".join(words(table.label) + words(plain_text(table.caption)))
            assert joined.count(f"{caption} {head}") == 1, table.label
            assert joined.count(head) == 1, f"{table.label}: its head row is read again"


def test_notes_are_note_elements_with_ids_labels_and_links_both_ways(tree, booklet, pdf):
    tagged = {e["id"]: e for e in tree if e["type"] == "Note"}
    notes = [n for e in booklet.essays for n in e.notes]
    assert sorted(tagged) == sorted(n.anchor for n in notes)
    internal = set(pdf_links(pdf).internal)
    for note in notes:
        kids = tagged[note.anchor]["kids"]
        assert kids[0]["type"] == "Lbl" and [k["type"] for k in kids[0]["kids"]] == ["Link"]
        assert note.anchor in internal and note.backlink in internal, note.anchor


def test_lists_print_the_numbers_the_author_wrote(tag_text, booklet):
    text = words(tag_text.text)
    for essay in booklet.essays:
        for lst in _lists(essay.blocks):
            if not lst.ordered:
                continue
            first = [str(lst.start)] + _block_words(lst.items[0])[:4]
            assert any(text[i:i + len(first)] == first for i in range(len(text))), first


def test_the_tag_text_reads_every_word_of_every_essay_in_order(tag_text, booklet):
    # A compound broken at its own hyphen at a line end is read "relationship- based":
    # the same words, which words() would count as two.
    output = words(re.sub(r"(?<=\w)-\s+(?=\w)", "-", tag_text.text))
    for essay in booklet.essays:
        expected = _essay_words(essay)
        assert recall(expected, output) == 1.0, essay.author


# EPUB -----------------------------------------------------------------------------------


def test_epub_tables_have_captions_and_scoped_headers(spine, booklet):
    for essay, tables in _tables(booklet):
        doc = spine[f"{essay.slug}.xhtml"]
        found = list(doc.elements("table"))
        assert len(found) == len(tables)
        for element, table in zip(found, tables):
            caption = element[0]
            assert caption.tag == f"{XHTML}caption"
            assert words("".join(caption.itertext()))[:2] == words(table.label)
            head = element.find(f"{XHTML}thead/{XHTML}tr")
            assert [c.get("scope") for c in head] == ["col" if c.header else None
                                                      for c in table.head]
            rows = element.findall(f"{XHTML}tbody/{XHTML}tr")
            assert [[c.get("scope") for c in r] for r in rows] == [
                ["row" if c.header else None for c in row] for row in table.rows]


def test_epub_notes_are_endnotes_linked_both_ways(spine, booklet):
    for essay in booklet.essays:
        doc = spine[f"{essay.slug}.xhtml"]
        ids = doc.ids()
        refs = [a for a in doc.elements("a") if a.get("role") == "doc-noteref"]
        assert len(refs) >= len(essay.notes)
        for a in refs:
            assert a.get(EPUB_TYPE) == "noteref" and a.get("href")[1:] in ids
        sections = [s for s in doc.elements("section") if s.get("role") == "doc-endnotes"]
        assert len(sections) == bool(essay.notes)
        for note in essay.notes:
            li = next(e for e in doc.elements("li") if e.get("id") == note.anchor)
            assert li.get(EPUB_TYPE) == "endnote"
            back = [a for a in li.iter(f"{XHTML}a") if a.get("role") == "doc-backlink"]
            assert back and back[0].get("href") == f"#{note.backlink}"
            assert note.backlink in ids
            # URLs in notes are live links
            for link in (n for b in note.blocks for n in getattr(b, "children", ())
                         if n.kind == "link"):
                assert any(a.get("href") == link.href for a in li.iter(f"{XHTML}a"))


def test_epub_lists_start_where_the_author_started(spine, booklet):
    for essay in booklet.essays:
        doc = spine[f"{essay.slug}.xhtml"]
        starts = [int(ol.get("start", 1)) for ol in doc.elements("ol")
                  if "note-list" not in (ol.get("class") or "")]
        assert starts == [lst.start for lst in _lists(essay.blocks) if lst.ordered]


def test_the_epub_reads_every_word_of_every_essay_in_order(spine, booklet):
    for essay in booklet.essays:
        output = words(spine[f"{essay.slug}.xhtml"].text())
        expected = [w for w in _essay_words(essay)]
        # the EPUB's list numbers are the reader's, not text
        numbers = {str(n) for lst in _lists(essay.blocks) if lst.ordered
                   for n in range(lst.start, lst.start + len(lst.items))}
        expected = [w for w in expected if w not in numbers]
        assert recall(expected, output) == 1.0, essay.author


# Nothing literal -----------------------------------------------------------------------

LITERAL = re.compile(r"\[\^|\]\(|\*\*|__|(?:^|\s)#{1,6}[^\s#]|\|\s[^|]*\s\||(?:^|\s)[=-]{3,}(?:\s|$)")


def test_no_markdown_reaches_either_output(tag_text, spine):
    assert not LITERAL.search(tag_text.text), LITERAL.search(tag_text.text)
    for doc in spine.values():
        assert not LITERAL.search(doc.text()), (doc.name, LITERAL.search(doc.text()))
