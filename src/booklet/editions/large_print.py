"""build/booklet-large-print.pdf: the large-print edition, A4, set at 18 pt.

UKAAF's minimum for large print is 16 pt; every text is at body size or larger, what
was italic is bold, nothing is hyphenated (styles/large-print.css, which imports the
standard edition's print.css and changes what large print needs).
"""

from __future__ import annotations

from booklet.editions.edition import Edition, Offered, PrintLayout
from booklet.editions.standard import write_tagged_pdf

EDITION = Edition(
    name="large-print", output="booklet-large-print.pdf", order=20, stage="pdf",
    write=write_tagged_pdf,
    summary="large print: A4, 18 pt, no italics, tagged",
    sources=("styles/large-print.css",), reads=("pdf",),
    layout=PrintLayout("large print A4 edition", "large-print.css", sheet_pages=2),
    offered=Offered("The large-print booklet (PDF)", "large print", "application/pdf"),
    check="pdf")
