"""A numbered page of the print edition, as the EPUB's page-list needs it.

Kept apart from pagemap (which reads WeasyPrint's layout) so that a build with nothing
to lay out, and the stamps that remember page starts, need not import WeasyPrint.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageStart:
    label: str  # the folio printed on the page
    block_id: str
    words_before: int
