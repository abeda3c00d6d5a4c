"""build/booklet.pdf: the printed booklet, A5, tagged for screen readers (PDF/UA-1).

Members read it on screen, print it at home or send it to a print shop. Its layout is
also where the e-book's and the web edition's page numbers come from.
"""

from __future__ import annotations

from booklet.editions.edition import Edition, Offered, PrintLayout, Writing


def write_tagged_pdf(writing: Writing) -> str:
    """An edition joined from its parts, as it is: the standard and the large print."""
    from booklet.write.print.layout import write_pdf

    write_pdf(writing.layout, writing.path, writing.layout.identifier)
    return f"{writing.edition.output}: tagged PDF/UA-1"


EDITION = Edition(
    name="pdf", output="booklet.pdf", order=10, stage="pdf", write=write_tagged_pdf,
    summary="the printed booklet: A5, tagged for screen readers",
    sources=("styles/print.css", "package/templates/print/"),
    layout=PrintLayout("standard A5 edition", "print.css", sheet_pages=4,
                       gives_page_starts=True),
    offered=Offered("The printed booklet (PDF)", "A5, tagged for screen readers",
                    "application/pdf"),
    check="pdf", own_identifier=False)
