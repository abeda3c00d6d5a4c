"""Figure 1 is in both outputs with its alt text and long description."""

from __future__ import annotations

import zipfile

import pikepdf
import pytest

from booklet.check.readback import epub_spine, pdf_text, words


def _figures(booklet):
    figures = [f for e in booklet.essays for f in e.figures]
    if not figures:  # this year's content may have none; the fixture booklet has two
        pytest.skip("this booklet has no figures")
    return figures


def test_pdf_figures_carry_alt_text(pdf, booklet):
    alts = []
    with pikepdf.open(pdf) as doc:
        def walk(node):
            if isinstance(node, pikepdf.Dictionary):
                if node.get("/S") == "/Figure" and "/Alt" in node:
                    alts.append(str(node.Alt))
                kids = node.get("/K")
                if isinstance(kids, pikepdf.Array):
                    for kid in kids:
                        walk(kid)
                elif kids is not None:
                    walk(kids)
        walk(doc.Root.StructTreeRoot)
    for figure in _figures(booklet):
        assert figure.alt in alts, f"{figure.key}: no Figure element with its alt text"


def test_pdf_prints_caption_and_description(pdf, booklet):
    text = words(pdf_text(pdf))
    joined = " ".join(text)
    for figure in _figures(booklet):
        assert " ".join(words(figure.caption)) in joined
        assert " ".join(words(figure.description[0])[:12]) in joined


def test_epub_figures_carry_alt_text_and_description(epub, booklet):
    images = {}
    documents = epub_spine(epub)
    for doc in documents:
        for img in doc.elements("img"):
            images[img.get("src")] = (doc, img)
    with zipfile.ZipFile(epub) as z:
        names = z.namelist()
    for essay in booklet.essays:
        for figure in essay.figures:
            src = f"images/{essay.slug}-{figure.path.name}"
            assert src in images and any(n.endswith(src) for n in names)
            doc, img = images[src]
            assert img.get("alt") == figure.alt and figure.alt.strip()
            described = img.get("aria-details")
            assert described in doc.ids()
            assert figure.description[0][:40] in doc.text()
