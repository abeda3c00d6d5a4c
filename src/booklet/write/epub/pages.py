"""Print page numbers in the EPUB: a page-break marker where each PDF page begins.

Readers of the e-book and of the printed booklet can then cite and meet on the same
page. The markers come from the print layout of this very build (see engine/pages.py),
never from a list someone keeps by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from lxml import etree

from booklet.errors import BookletError, Problem
from booklet.render.templates import Document
from booklet.write.print.page_start import PageStart

XHTML = "http://www.w3.org/1999/xhtml"
EPUB = "http://www.idpf.org/2007/ops"
LISTS = {f"{{{XHTML}}}ul", f"{{{XHTML}}}ol"}
NAV = f"{{{XHTML}}}nav"


class PageMapError(BookletError):
    """The print layout and the EPUB disagree: a bug in booklet, never the editor's doing."""

    def __init__(self, message: str):
        super().__init__(Problem("B500", f"the EPUB's page-list cannot follow the print "
                                 f"edition: {message}", hint="this is a bug in booklet: please "
                                 "report it with the content that caused it"))


@dataclass(frozen=True)
class PageTarget:
    label: str
    document: str  # file name of the XHTML document
    anchor: str


def _marker(label: str) -> etree._Element:
    span = etree.Element(f"{{{XHTML}}}span")
    span.set("id", f"page-{label}")
    span.set("role", "doc-pagebreak")
    span.set(f"{{{EPUB}}}type", "pagebreak")
    span.set("aria-label", label)
    return span


def _text_slots(element):
    """(node, 'text'|'tail') in reading order for every piece of text inside `element`."""
    yield element, "text"
    for child in element:
        yield from _text_slots(child)
        yield child, "tail"


def insert_at_word(element, words_before: int, marker) -> None:
    # A nav's content model (a heading, then one list of links) has no room for a
    # marker, so a page that begins anywhere in a nav is marked just before it.
    nav = next((e for e in element.iterancestors(NAV)), element if element.tag == NAV else None)
    if nav is not None:
        marker.tail = "\n"
        nav.addprevious(marker)
        return
    if words_before == 0:
        # Before the block, so a heading's name does not take the page number in.
        parent = element.getparent()
        if parent is not None and parent.tag not in LISTS and element.tag not in LISTS:
            marker.tail = "\n"
            parent.insert(parent.index(element), marker)
            return
        marker.tail = element.text
        element.text = None
        element.insert(0, marker)
        return
    seen, in_word = 0, False
    for node, attr in _text_slots(element):
        if attr == "tail" and node is element:
            break
        text = getattr(node, attr) or ""
        for offset, char in enumerate(text):
            if char.isspace():
                in_word = False
            elif not in_word:
                in_word = True
                if seen == words_before:
                    _split(node, attr, offset, marker)
                    return
                seen += 1
    raise PageMapError(f"block {element.get('id')!r} has only {seen} words, not {words_before + 1}")


def _split(node, attr: str, offset: int, marker) -> None:
    text = getattr(node, attr)
    setattr(node, attr, text[:offset])
    marker.tail = text[offset:]
    if attr == "text":
        node.insert(0, marker)
    else:
        parent = node.getparent()
        parent.insert(parent.index(node) + 1, marker)


def place_markers(trees: dict, starts: list[PageStart], marker, edition: str
                  ) -> list[tuple[str, str]]:
    """Insert marker(label) where each print page begins, in whichever document holds
    the block it begins in; [(label, document name)]. Shared by the EPUB and the web
    edition, which carry the same blocks and ids."""
    where: dict[str, str] = {}
    for name, tree in trees.items():
        for element in tree.iter():
            if element.get("id"):
                where.setdefault(element.get("id"), name)
    placed = []
    for start in starts:
        name = where.get(start.block_id)
        if name is None:
            raise PageMapError(f"page {start.label} begins in {start.block_id!r}, "
                               f"which {edition} does not have")
        element = trees[name].xpath("//*[@id=$id]", id=start.block_id)[0]
        insert_at_word(element, start.words_before, marker(start.label))
        placed.append((start.label, name))
    return placed


def insert_page_breaks(documents: list[Document], starts: list[PageStart]
                       ) -> tuple[list[Document], list[PageTarget]]:
    trees = {d.name: etree.fromstring(d.xhtml.encode()) for d in documents}
    targets = [PageTarget(label, name, f"page-{label}")
               for label, name in place_markers(trees, starts, _marker, "the EPUB")]
    out = []
    for doc in documents:
        xhtml = etree.tostring(trees[doc.name], encoding="unicode")
        out.append(replace(doc, xhtml='<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
                           + xhtml))
    return out, targets


def add_page_list(nav: Document, targets: list[PageTarget], source: str) -> Document:
    """The nav document's page-list: one entry per numbered page of the print edition."""
    tree = etree.fromstring(nav.xhtml.encode())
    body = tree.find(f"{{{XHTML}}}body")
    page_list = etree.SubElement(body, f"{{{XHTML}}}nav")
    page_list.set(f"{{{EPUB}}}type", "page-list")
    page_list.set("role", "doc-pagelist")
    page_list.set("id", "page-list")
    page_list.set("aria-labelledby", "page-list-title")
    page_list.set("hidden", "hidden")
    heading = etree.SubElement(page_list, f"{{{XHTML}}}h2")
    heading.set("id", "page-list-title")
    heading.text = f"Pages of the {source}"
    ol = etree.SubElement(page_list, f"{{{XHTML}}}ol")
    for target in targets:
        li = etree.SubElement(ol, f"{{{XHTML}}}li")
        a = etree.SubElement(li, f"{{{XHTML}}}a")
        a.set("href", f"{target.document}#{target.anchor}")
        a.text = target.label
    xhtml = etree.tostring(tree, encoding="unicode")
    return replace(nav, xhtml='<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n' + xhtml)
