"""The home-printed booklet, build/booklet-home-print.pdf: the A5 pages two to an A4 sheet.

A member with an ordinary printer prints it double-sided, folds the stack once and
staples it on the fold (README, "Printing the booklet at home"). For that the pages lie
in saddle-stitch order: with N pages (always a multiple of 4, engine/layout.py), sheet s
(counting from 0) carries N-2s | 1+2s on its front and 2+2s | N-1-2s on its back, so a
44-page booklet is 11 sheets: 44|1, 2|43, then 42|3, 4|41 … The backs are upright, not
turned: duplex printing flipped on the short edge turns them, as a booklet needs.

The pages are the standard edition's, placed whole (as form XObjects, with pikepdf), with
one exception: a home printer cannot print to the edge of the paper and a solid navy cover
costs a cartridge, so the cover is laid out again with styles/home-print.css, light, and
says where the accessible editions are. Nothing else is laid out twice. It is a file to
print, not to read: it is not tagged, and its first page says so.
"""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf

from booklet.errors import BookletError, Problem

A4_LANDSCAPE = (841.8898, 595.2756)  # points: 297 mm by 210 mm


def saddle_stitch_order(pages: int) -> list[tuple[int, int]]:
    """(left, right) page numbers, from 1, of each side in printing order: sheet 1's
    front, sheet 1's back, sheet 2's front …"""
    if pages <= 0 or pages % 4:
        raise ValueError(f"a folded booklet has a multiple of 4 pages, not {pages}")
    sides = []
    for sheet in range(pages // 4):
        sides.append((pages - 2 * sheet, 1 + 2 * sheet))
        sides.append((2 + 2 * sheet, pages - 1 - 2 * sheet))
    return sides


def home_cover_html(print_html: str, note: str) -> str:
    """The print HTML with only its cover, and under the cover's lines `note`."""
    import lxml.html

    tree = lxml.html.document_fromstring(print_html)
    body = tree.body
    covers = body.find_class("cover")
    if len(covers) != 1:
        raise RuntimeError("the print template must have one element of class cover")
    for child in list(body):
        if child is not covers[0]:
            body.remove(child)
    line = lxml.html.Element("p")
    line.set("class", "home-print-note")
    line.text = note
    covers[0].append(line)
    return lxml.html.tostring(tree, encoding="unicode", doctype="<!DOCTYPE html>")


def write_home_print(standard_pdf: Path, cover, target: Path, title: str,
                     where: Path | None = None) -> None:
    """Impose the standard edition's pages, its cover replaced by `cover` (home_cover_html
    laid out whole: engine.lay_out_whole), on A4 sheets. `where` is the file whose
    words make the cover: booklet.yaml."""
    if cover.pages != 1:
        raise BookletError(Problem(
            "B430", f"the home-printed booklet's light cover takes "
            f"{cover.pages} pages; it must fit on one", where,
            hint="shorten the title or the subtitle, or set the cover smaller in "
                 "styles/home-print.css"))
    cover_bytes = io.BytesIO(cover.plain_pdf(pages=1))
    with pikepdf.open(standard_pdf) as book, pikepdf.open(cover_bytes) as light, \
            pikepdf.new() as sheets:
        sources = [light.pages[0], *book.pages[1:]]
        forms: dict[int, pikepdf.Object] = {}

        def form(number: int) -> pikepdf.Object:
            if number not in forms:
                forms[number] = sheets.copy_foreign(sources[number - 1].as_form_xobject())
            return forms[number]

        width, height = A4_LANDSCAPE
        for left, right in saddle_stitch_order(len(sources)):
            side = sheets.add_blank_page(page_size=A4_LANDSCAPE)
            placed = side.obj.Resources.XObject = pikepdf.Dictionary()
            drawing = []
            for number, at_left in ((left, True), (right, False)):
                x0, y0, x1, y1 = (float(v) for v in sources[number - 1].mediabox)
                # Each page meets the fold at the sheet's middle (A5 is 0.5 mm narrower
                # than half of A4) and stands on its foot.
                x = width / 2 - (x1 - x0) if at_left else width / 2
                name = pikepdf.Name(f"/Page{number}")
                placed[name] = form(number)
                drawing.append(f"q 1 0 0 1 {x - x0:.4f} {(height - (y1 - y0)) / 2 - y0:.4f} cm "
                               f"{name} Do Q")
            side.obj.Contents = sheets.make_stream(("\n".join(drawing) + "\n").encode())
        sheets.docinfo.Title = pikepdf.String(f"{title} (to print at home: A4, both sides, "
                                              "flip on short edge)")
        sheets.docinfo.Creator = pikepdf.String("booklet")
        sheets.save(target, deterministic_id=True)
