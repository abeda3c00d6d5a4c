"""One part of a print edition laid out alone, as plain data: the front matter, an essay,
the back matter, a blank page, or the page furniture (folios and running heads).

Each essay opens on a right-hand page, so its layout depends on nothing before it but
its page numbers; and those are printed only in the margin boxes. So a part is laid out
with its margin boxes suppressed, written as a tagged PDF (PDF/UA-1, our tag builder),
and handed back as bytes with a few facts about its pages; write/print/join.py puts the
parts together and lays the furniture of the whole booklet over them.

The engine lays a part out (engine/layout.py: lay_out_part, a PartJob in, a PartLayout
out): plain data (strings, bytes, tuples), so that it can run in another process and
its result can be kept in build/parts/ between builds (write/print/part_cache.py).
"""

from __future__ import annotations

from dataclasses import dataclass

# Where a link's description will say the page it leads to, in a part laid out alone:
# the part does not know its page numbers, the join does (write/print/join.py). Kept
# here, not in the engine's tag builder, so that the join (a rebuild with every part
# kept) never imports WeasyPrint.
PAGE_LATER = "\ue000"
# In a part, no margin box prints anything: its page numbers and running head are not
# known to it. `!important` wins over every @page rule of the edition's stylesheet.
_MARGIN_BOXES = ("top-left-corner", "top-left", "top-center", "top-right",
                 "top-right-corner", "right-top", "right-middle", "right-bottom",
                 "bottom-right-corner", "bottom-right", "bottom-center", "bottom-left",
                 "bottom-left-corner", "left-bottom", "left-middle", "left-top")
PART_CSS = "@page { %s }\n" % " ".join(
    f"@{box} {{ content: none !important; }}" for box in _MARGIN_BOXES) + (
    # The back matter ends the booklet, on a left-hand page (the page count is a whole
    # number of sheets): laid out alone it starts on one, with the margins of one.
    "html.back-part { break-before: left; }\n")
# The furniture: one empty page per page of the booklet, with its page name and its
# running head, so that the edition's own @page rules print what they always did.
FURNITURE_CSS = (".furniture-page { break-before: page; height: 1px; "
                 "string-set: running-head attr(data-running-head); }\n"
                 ".furniture-page:first-child { break-before: auto; }\n")


@dataclass(frozen=True)
class PartJob:
    """What a part is made from: its HTML and the edition's stylesheet."""

    kind: str  # "front", "essay", "back", "blank" or "furniture"
    html: str
    root: str  # the project folder
    roots: tuple[str, ...]  # the folders a resource may be read from
    stylesheet: str  # in styles/
    digest: str  # of everything the part is made from (write/print/part_cache.py)


@dataclass(frozen=True)
class PageFacts:
    name: str  # the @page name: "cover", "front", "back", "blank" or "" (an essay's)
    blank: bool  # a page WeasyPrint left blank (`:blank`)
    folio: str = ""  # furniture only: the page number printed on it, or ""
    furnished: bool = False  # furniture only: something is printed in its margins


@dataclass(frozen=True)
class PartLayout:
    pdf: bytes
    pages: tuple[PageFacts, ...]
    # (page index in the part, block id, words before): the EPUB's page-list, labelled
    # at the join with the folio of the page in the booklet.
    starts: tuple[tuple[int, str, int], ...] = ()
    wide_tables: tuple[tuple[str | None, float], ...] = ()
    stand_ins: tuple[str, ...] = ()  # ids of stand-in link targets (front matter)
