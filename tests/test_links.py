"""References are live links, and every citation leads to its entry, in both outputs."""

from __future__ import annotations

import posixpath

from booklet.check.readback import epub_spine, pdf_links


def _reference_urls(booklet):
    return {r.doi_url or r.url for e in booklet.essays for r in e.references if r.doi or r.url}


def test_every_reference_url_and_doi_is_a_pdf_link(pdf, booklet):
    uris = set(pdf_links(pdf).uris)
    missing = _reference_urls(booklet) - uris
    assert not missing, f"not linked in the PDF: {sorted(missing)}"


def test_every_reference_url_and_doi_is_an_epub_link(epub, booklet):
    hrefs = {a.get("href") for d in epub_spine(epub) for a in d.elements("a")}
    missing = _reference_urls(booklet) - hrefs
    assert not missing, f"not linked in the EPUB: {sorted(missing)}"


def test_dois_are_doi_org_links(booklet):
    for essay in booklet.essays:
        for ref in essay.references:
            if ref.doi:
                assert ref.doi_url.startswith("https://doi.org/10.")
            assert "doi:" not in ref.url.lower() and "ezproxy" not in ref.url


def test_every_citation_links_to_its_entry_in_the_pdf(pdf, booklet):
    links = pdf_links(pdf)
    for essay in booklet.essays:
        anchors = {r.anchor for r in essay.references}
        for citation in essay.citations:
            assert citation.target in anchors
            assert citation.target in links.internal, f"{citation.anchor} is not linked"
            assert citation.target in links.destinations, f"{citation.target} has no anchor"


def test_every_citation_links_to_its_entry_in_the_epub(epub, booklet):
    documents = {d.name: d for d in epub_spine(epub)}
    for essay in booklet.essays:
        doc = documents[f"{essay.slug}.xhtml"]
        links = {a.get("id"): a.get("href") for a in doc.elements("a") if a.get("id")}
        for citation in essay.citations:
            assert links.get(citation.anchor) == f"#{citation.target}"
            assert citation.target in doc.ids()


def test_every_internal_epub_link_resolves(epub):
    documents = epub_spine(epub)
    ids = {d.name: d.ids() for d in documents}
    for doc in documents:
        for a in doc.elements("a"):
            href = a.get("href", "")
            if href.startswith(("http:", "https:", "mailto:")):
                continue
            name, _, fragment = href.partition("#")
            target = posixpath.normpath(posixpath.join(posixpath.dirname(doc.name), name)) if name else doc.name
            assert target in ids, f"{doc.name}: {href} leads to no document"
            assert not fragment or fragment in ids[target], f"{doc.name}: {href} has no anchor"


def test_citations_are_counted(booklet):
    total = sum(len(e.citations) for e in booklet.essays)
    print(f"citations linked: {total}; live external links: {len(_reference_urls(booklet))}")
    assert total > 0
