"""The size every piece of text is printed at, measured from the PDF itself.

Clear-print guidance (RNIB, UKAAF) sets a floor for every text on the page, not only the
running text: a running head, a folio or a label inside a figure must be as large as the
body. So this reads, with the walker of check/pdf_content.py, every page's content stream
and every Form XObject it paints, forms in forms too (WeasyPrint draws SVG figures, and
centred SVG labels in particular, inside forms), and follows the transformations that
scale type on its way to paper: `cm`, the `/Matrix` of each form, the text matrix (`Tm`,
`Td`, `TD`, `T*`) and the font size of `Tf`. The printed size of a glyph is its font
size times the vertical scale of the text matrix times the current transformation matrix
(ISO 32000-1, 9.4.4), that is the height of an em on paper, in points, whatever the
rotation.

Each piece of text is put in one kind, from its marked content: "figure label" (inside
a /Figure), "running head" and "folio" (page-furniture Artifacts above and below the
middle of the page), "body" (everything else that is tagged: headings, paragraphs,
captions, references) and "untagged". A large-print edition measures with the same code
and a higher floor.

Not measured: text in annotation appearance streams, tiling patterns and Type 3 glyph
procedures (the booklet draws none), and text that is not painted (rendering modes 3
and 7); words inside a raster image are pixels and cannot be read back here at all.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from booklet.check.cmap import ToUnicode
from booklet.check.pdf_content import SHOW_TEXT, ContentWalker, MarkedContent, multiply

KINDS = ("body", "running head", "folio", "figure label", "untagged")
NOT_PAINTED = {3, 7}  # text rendering modes that draw nothing (invisible, clip only)


@dataclass
class GlyphRun:
    """Consecutive glyphs of one text object, one kind and one printed size."""

    page: int  # 1-based
    kind: str
    size: float  # points on paper
    text: str  # as the fonts' ToUnicode maps decode it; may be empty, is still measured

    def __str__(self) -> str:
        return f"page {self.page}, {self.kind}, {self.size:.2f} pt: {self.text.strip()!r}"


def _kind(mark: MarkedContent | None, y: float, middle: float) -> str:
    tags = mark.tags if mark is not None else ()
    if "Artifact" in tags:
        return "running head" if y > middle else "folio"
    if "Figure" in tags:
        return "figure label"
    return "body" if tags else "untagged"


def glyph_runs(path: Path) -> list[GlyphRun]:
    """Every painted run of text in the PDF, with its printed size and kind; raises
    UnreadableContent for content that cannot be read, whose sizes cannot be told."""
    runs: list[GlyphRun] = []
    with pikepdf.open(path) as pdf:
        walker = ContentWalker(pdf, font=ToUnicode)
        for number, page in enumerate(pdf.pages, 1):
            box = [float(v) for v in page.mediabox]
            middle = (box[1] + box[3]) / 2  # from the page's foot
            run_key = None
            for step in walker.page(page, number):
                state = step.state
                if step.operator not in SHOW_TEXT or state.render_mode in NOT_PAINTED:
                    continue
                data = step.shown
                if not data:
                    continue
                rendering = multiply(step.text_matrix, state.ctm)
                printed = abs(state.font_size) * math.hypot(rendering[2], rendering[3])
                kind = _kind(step.mark, rendering[5], middle)
                text = state.font.text(data) if state.font is not None else ""
                key = (step.text_object, kind, round(printed, 2))
                if key == run_key:
                    runs[-1].text += text
                else:
                    runs.append(GlyphRun(number, kind, printed, text))
                    run_key = key
    return runs


def smallest_by_kind(runs: list[GlyphRun]) -> dict[str, GlyphRun]:
    """The smallest run of each kind that occurs, in the order of KINDS."""
    smallest: dict[str, GlyphRun] = {}
    for run in runs:
        if run.kind not in smallest or run.size < smallest[run.kind].size:
            smallest[run.kind] = run
    return {kind: smallest[kind] for kind in KINDS if kind in smallest}


def below(runs: list[GlyphRun], floor: float, tolerance: float = 0.01) -> list[GlyphRun]:
    """The runs printed smaller than `floor` points (less a rounding tolerance: matrix
    products of 12 pt type come out at 11.9999…)."""
    return [run for run in runs if run.size < floor - tolerance]
