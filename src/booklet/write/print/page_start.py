"""A numbered page of the print edition, as the EPUB's page-list needs it, and a page's
place among the parts it is joined from.

Kept apart from engine/pages.py (which reads WeasyPrint's layout) and from the join
(pikepdf), so that a build with nothing to lay out, the stamps that remember page
starts, and the process that arranges the parts need import neither.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageStart:
    label: str  # the folio printed on the page
    block_id: str
    words_before: int


@dataclass(frozen=True)
class PagePlace:
    """A page of the booklet: page `page` of the occurrence `part` of a part."""

    part: int
    page: int
