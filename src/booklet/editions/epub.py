"""build/booklet.epub: the e-book (EPUB 3) for e-readers, phones and screen readers.

Its documents and cover need no layout, so they are rendered on a core the print
layout leaves idle; its page-list marks where the standard edition's pages begin.
"""

from __future__ import annotations

from booklet.editions.edition import Edition, Offered, Writing


def _render(booklet, project):
    """The EPUB's documents and its cover image: all of it but the page-list."""
    from booklet.render import render_epub
    from booklet.render.cover import cover_png

    return render_epub(booklet), cover_png(booklet, project.styles)


def _write(writing: Writing) -> str:
    from booklet.write.epub.book import write_epub

    documents, cover = writing.rendered or _render(writing.booklet, writing.project)
    write_epub(writing.booklet, documents, writing.starts, cover, writing.path,
               writing.project.styles, writing.timestamp)
    return f"{len(writing.starts)} print page numbers"


EDITION = Edition(
    name="epub", output="booklet.epub", order=30, stage="epub", write=_write,
    summary="the e-book (EPUB 3), with the print page numbers",
    sources=("styles/epub.css", "package/templates/epub/"), page_starts=True,
    render=_render,
    offered=Offered("The e-book (EPUB)", "for e-readers, phones and screen readers",
                    "application/epub+zip"),
    check="epub")
