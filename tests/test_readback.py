"""Every essay's words reach the reader, in order, in both outputs."""

from __future__ import annotations


from booklet.check.readback import epub_spine, pdf_text, words
from edition import read_2020_build
from recall import recall


@read_2020_build
def test_every_source_essay_is_in_the_booklet(source_essays, booklet):
    assert sorted(source_essays) == sorted(e.author for e in booklet.essays)


@read_2020_build
def test_pdf_holds_every_essay_in_order(pdf, source_essays):
    output = words(pdf_text(pdf))
    for author, body in source_essays.items():
        score = recall(words(body), output)
        print(f"PDF recall {author}: {score:.4f}")
        assert score >= 0.995, f"{author}: only {score:.2%} of the words reach the PDF"


@read_2020_build
def test_epub_holds_every_essay_in_order(epub, source_essays, booklet):
    documents = {d.name: d for d in epub_spine(epub)}
    for essay in booklet.essays:
        output = words(documents[f"{essay.slug}.xhtml"].text())
        score = recall(words(source_essays[essay.author]), output)
        print(f"EPUB recall {essay.author}: {score:.4f}")
        assert score >= 0.995, f"{essay.author}: only {score:.2%} of the words reach the EPUB"


@read_2020_build
def test_recall_detects_a_lost_paragraph(source_essays):
    """The measure itself must fail when words go missing."""
    body = words(next(iter(source_essays.values())))
    cut = body[: len(body) // 2] + body[len(body) // 2 + 20:]
    assert recall(body, cut) < 0.995
