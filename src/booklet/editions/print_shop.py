"""build/booklet-print.pdf: the booklet as a print shop wants it.

Laid out like the standard edition with styles/print-shop.css (a 3 mm bleed, colours in
printing inks), then finished toward PDF/X-4 (write/print/shop.py, docs/print-shop.md),
with crop marks outside the bleed when asked (`booklet build --crop-marks`).
"""

from __future__ import annotations

from booklet.editions.edition import Edition, Options, PrintLayout, Writing


def _write(writing: Writing) -> str:
    from booklet.write.print.shop import write_print_shop

    marks = writing.options.crop_marks
    write_print_shop(writing.layout, writing.path, writing.booklet.identifier, marks)
    return f"{writing.layout.pages} pages, 3 mm bleed, CMYK" + (", crop marks" if marks else "")


def _settings(options: Options) -> str:
    return "crop-marks" if options.crop_marks else ""


EDITION = Edition(
    name="print-shop", output="booklet-print.pdf", order=40, stage="shop", write=_write,
    summary="for a print shop: 3 mm bleed, CMYK, toward PDF/X-4",
    sources=("styles/print-shop.css", "styles/icc/"), reads=("pdf",),
    layout=PrintLayout("print shop edition", "print-shop.css", sheet_pages=4),
    settings=_settings, check="pdf")
