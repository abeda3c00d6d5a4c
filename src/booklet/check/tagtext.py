"""The text of a tagged PDF as assistive technology reads it: in structure-tree order.

A screen reader walks the structure tree, not the page: it takes each element's
/ActualText when there is one, otherwise the marked content its MCIDs point at,
decoded through the fonts' ToUnicode maps. Artifacts (running heads, folios) are
skipped. poppler's `pdfinfo -struct-text` ignores /ActualText, so we read it here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pikepdf

from booklet.check.cmap import ToUnicode
from booklet.check.pdf_content import SHOW_TEXT, ContentWalker, Step

SOFT_HYPHEN = "\u00ad"


@dataclass
class PageText:
    by_mcid: dict[int, str] = field(default_factory=dict)
    y_by_mcid: dict[int, float] = field(default_factory=dict)  # first run's baseline, text space
    artifacts: list[str] = field(default_factory=list)
    untagged: list[str] = field(default_factory=list)  # text in neither


@dataclass
class TagText:
    segments: list[str]  # in tag order; a segment ending in a soft hyphen joins the next
    pages: list[PageText]
    figures_alt: list[str]

    @property
    def text(self) -> str:
        out = []
        for segment in self.segments:
            if out and out[-1].endswith(SOFT_HYPHEN):
                out[-1] = out[-1][:-1] + segment
            else:
                out.append(segment)
        return " ".join(out).replace(SOFT_HYPHEN, "")


def page_texts(pdf: pikepdf.Pdf) -> list[PageText]:
    """The text of every page by its marked content. A Form XObject is read where it is
    painted, inside the marked content around it, as a reader reads it: the page
    furniture is drawn so (write/print/join.py). Raises UnreadableContent for content that
    cannot be read: a reader would miss it."""
    walker = ContentWalker(pdf, font=ToUnicode)
    pages = []
    for number, page in enumerate(pdf.pages, start=1):
        result = PageText()
        for step in walker.page(page, number):
            if step.operator in SHOW_TEXT and step.state.font is not None:
                _read(result, step.state.font.text(step.shown), step)
        pages.append(result)
    return pages


def _read(result: PageText, text: str, step: Step) -> None:
    if not text:
        return
    mark = step.mark
    if mark is not None and "Artifact" in mark.tags:
        result.artifacts.append(text)
        return
    mcid = mark.innermost_mcid if mark is not None else None
    if mcid is None:
        result.untagged.append(text)
    else:
        result.by_mcid[mcid] = result.by_mcid.get(mcid, "") + text
        result.y_by_mcid.setdefault(mcid, step.text_matrix[5])


def read_tag_text(path: Path) -> TagText:
    with pikepdf.open(path) as pdf:
        pages = page_texts(pdf)
        index = {page.obj.objgen: number for number, page in enumerate(pdf.pages)}
        segments: list[str] = []
        alts: list[str] = []

        def walk(node, page_number):
            if not isinstance(node, pikepdf.Dictionary):
                return
            if "/Pg" in node:
                page_number = index.get(node.Pg.objgen, page_number)
            if node.get("/Type") == "/MCR":
                segments.append(pages[index[node.Pg.objgen]].by_mcid.get(int(node.MCID), ""))
                return
            if node.get("/Type") == "/OBJR":
                return
            if "/ActualText" in node:
                segments.append(str(node.ActualText))
                return
            if node.get("/S") == "/Figure" and "/Alt" in node:
                alts.append(str(node.Alt))
                return
            kids = node.get("/K")
            kids = kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
            for kid in kids:
                if isinstance(kid, int) and page_number is not None:
                    segments.append(pages[page_number].by_mcid.get(int(kid), ""))
                else:
                    walk(kid, page_number)

        walk(pdf.Root.StructTreeRoot, None)
    return TagText([s for s in segments if s], pages, alts)
