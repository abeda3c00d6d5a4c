"""The printed booklet as parts, laid out one by one (write/print/parts.py): the HTML
render/templates.py made for each, as plain data that can cross between processes.
Its own module, so that the process that lays out needs no Jinja to hold it."""

from __future__ import annotations

from dataclasses import dataclass

from booklet.content.model import Booklet

# The date the front matter is laid out with; the join writes the edition's own into the
# PDF's metadata (write/print/join.py), so that a new date (an uncommitted edit moves it on)
# lays out no part again. Any fixed date would do: the placeholder is replaced whole.
FRONT_DATE = "1970-01-01T00:00:00Z"


@dataclass(frozen=True)
class PrintParts:
    """The printed booklet as parts laid out one by one (write/print/parts.py): one HTML
    document per essay and one for the back matter; the front matter's is finished
    last, by `front(toc_pages)`, when the essays' page numbers are known."""

    booklet: Booklet
    timestamp: str
    set_in: str
    essays: tuple[str, ...]
    back: str
    # The front matter, its contents' page numbers marked (page_mark) to be filled in:
    # rendered with the rest, so that the layout need not render (or hyphenate) again.
    front_marked: str
    front_date: str = FRONT_DATE  # in the front matter, for the join to replace with `timestamp`

    def front(self, toc_pages: dict[str, int]) -> str:
        html = self.front_marked
        for number, essay in enumerate(self.booklet.essays):
            html = html.replace(page_mark(number), str(toc_pages[essay.anchor]))
        return html


def page_mark(number: int) -> str:
    """Where essay `number`'s first page goes in the contents: private-use characters,
    which no shipped font has, so no content file holds them (B250), and which no
    escaping changes."""
    return f"\ue001{number}\ue002"
