"""build/booklet-home-print.pdf: the standard edition's pages two to an A4 sheet, to
print on both sides at home, fold and staple, with a light cover that saves ink.

It is a file for printing only (untagged): its cover says where the accessible
editions are. Nothing but the cover is laid out again (write/print/home.py).
"""

from __future__ import annotations

from booklet.editions import edition
from booklet.editions.edition import Edition, Writing


def _write(writing: Writing) -> str:
    from booklet.engine import lay_out_whole
    from booklet.freshness import iso_time
    from booklet.render import render_print
    from booklet.typefaces import load_typefaces
    from booklet.write.print.home import home_cover_html, write_home_print

    booklet, project = writing.booklet, writing.project
    note = (f"This copy is for printing at home. To read the booklet on screen or "
            f"with a screen reader, use the accessible editions from the "
            f"{booklet.publisher}: {edition('pdf').output} (a tagged PDF) and "
            f"{edition('epub').output} (an EPUB book).")
    html = render_print(booklet, iso_time(writing.timestamp), load_typefaces(project.styles))
    cover = lay_out_whole(home_cover_html(html, note), project.root, project.readable_roots(),
                          "home-print.css", sheet_pages=1)
    write_home_print(writing.outputs["pdf"], cover, writing.path,
                     f"{booklet.title}: {booklet.subtitle}", project.content / "booklet.yaml")
    return "A4 sheets, both sides, a light cover"


EDITION = Edition(
    name="home-print", output="booklet-home-print.pdf", order=50, stage="home", write=_write,
    summary="to print at home on A4, fold and staple",
    sources=("styles/home-print.css",), reads=("pdf",), needs=("pdf",))
