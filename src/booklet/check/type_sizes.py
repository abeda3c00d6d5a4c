"""The size every piece of text is printed at, measured from the PDF itself.

Clear-print guidance (RNIB, UKAAF) sets a floor for every text on the page, not only the
running text: a running head, a folio or a label inside a figure must be as large as the
body. So this reads every page's content stream and every Form XObject it paints, at
any depth (WeasyPrint draws SVG figures, and centred SVG labels in particular, inside
forms), and follows the transformations that scale type on its way to paper: `cm`, the
`/Matrix` of each form, the text matrix (`Tm`, `Td`, `TD`, `T*`) and the font size of
`Tf`. The printed size of a glyph is its font size times the vertical scale of the text
matrix times the current transformation matrix (ISO 32000-1, 9.4.4), that is the height
of an em on paper, in points, whatever the rotation.

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

from booklet.check.pdf_content import form_label, parse
from booklet.check.tagtext import _Fonts

KINDS = ("body", "running head", "folio", "figure label", "untagged")
SHOW_TEXT = {"Tj", "TJ", "'", '"'}
NOT_PAINTED = {3, 7}  # text rendering modes that draw nothing (invisible, clip only)
MAX_FORM_DEPTH = 32  # forms painting forms: deeper than any real file, and no cycles
IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


@dataclass
class GlyphRun:
    """Consecutive glyphs of one text object, one kind and one printed size."""

    page: int  # 1-based
    kind: str
    size: float  # points on paper
    text: str  # as the fonts' ToUnicode maps decode it; may be empty, is still measured

    def __str__(self) -> str:
        return f"page {self.page}, {self.kind}, {self.size:.2f} pt: {self.text.strip()!r}"


def _times(a, b):
    """The matrix product a × b, PDF style: a is applied first."""
    return (a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3],
            a[2] * b[0] + a[3] * b[2], a[2] * b[1] + a[3] * b[3],
            a[4] * b[0] + a[5] * b[2] + b[4], a[4] * b[1] + a[5] * b[3] + b[5])


def _matrix(operands) -> tuple[float, ...]:
    return tuple(float(v) for v in operands)


@dataclass
class _State:
    """The parts of the graphics state that decide a glyph's printed size."""

    ctm: tuple = IDENTITY
    font: str = ""
    size: float = 0.0
    leading: float = 0.0
    mode: int = 0

    def copy(self) -> "_State":
        return _State(self.ctm, self.font, self.size, self.leading, self.mode)


class _PageReader:
    def __init__(self, pdf, number: int, middle: float):
        self.pdf, self.number, self.middle = pdf, number, middle  # middle: from the foot
        self.runs: list[GlyphRun] = []
        self.fonts: dict[tuple, _Fonts] = {}
        self.text_object = 0  # counts BT: a run never spans two text objects
        self.run_key = None

    def _fonts(self, resources) -> _Fonts:
        key = resources.objgen if resources is not None else (0, 0)
        if key == (0, 0) or key not in self.fonts:
            fonts = _Fonts(resources)
            if key == (0, 0):
                return fonts
            self.fonts[key] = fonts
        return self.fonts[key]

    def _kind(self, tags: list[str], y: float) -> str:
        if "/Artifact" in tags:
            return "running head" if y > self.middle else "folio"
        if "/Figure" in tags:
            return "figure label"
        return "body" if tags else "untagged"

    def read(self, stream_owner, resources, state: _State, tags: list[str], depth=0,
             forms: tuple = (), what: str = "content stream") -> None:
        fonts = self._fonts(resources)
        stack: list[_State] = []
        line = text = IDENTITY
        for operands, operator in parse(self.pdf, stream_owner, self.number, what):
            op = str(operator)
            if op == "q":
                stack.append(state.copy())
            elif op == "Q":
                if stack:
                    state = stack.pop()
            elif op == "cm":
                state.ctm = _times(_matrix(operands), state.ctm)
            elif op in ("BDC", "BMC"):
                tags.append(str(operands[0]))
            elif op == "EMC":
                if tags:
                    tags.pop()
            elif op == "BT":
                line = text = IDENTITY
                self.text_object += 1
            elif op == "Tf":
                state.font, state.size = str(operands[0]), abs(float(operands[1]))
            elif op == "TL":
                state.leading = float(operands[0])
            elif op == "Tr":
                state.mode = int(operands[0])
            elif op == "Tm":
                line = text = _matrix(operands)
            elif op in ("Td", "TD"):
                if op == "TD":
                    state.leading = -float(operands[1])
                line = text = _times((1, 0, 0, 1, float(operands[0]), float(operands[1])), line)
            elif op == "T*":
                line = text = _times((1, 0, 0, 1, 0, -state.leading), line)
            elif op in SHOW_TEXT:
                if op in ("'", '"'):  # both move to the next line first
                    line = text = _times((1, 0, 0, 1, 0, -state.leading), line)
                shown = operands[-1]
                parts = shown if isinstance(shown, pikepdf.Array) else [shown]
                data = b"".join(bytes(p) for p in parts if isinstance(p, pikepdf.String))
                if data and state.mode not in NOT_PAINTED:
                    self._show(fonts.decode(state.font, data), _times(text, state.ctm),
                               state.size, tags)
            elif op == "Do":
                self._paint(resources, str(operands[0]), state, tags, depth, forms)

    def _show(self, decoded: str, rendering, size: float, tags: list[str]) -> None:
        printed = size * math.hypot(rendering[2], rendering[3])
        kind = self._kind(tags, rendering[5])
        key = (self.text_object, kind, round(printed, 2))
        if key == self.run_key:
            self.runs[-1].text += decoded
        else:
            self.runs.append(GlyphRun(self.number, kind, printed, decoded))
            self.run_key = key

    def _paint(self, resources, name: str, state: _State, tags, depth, forms) -> None:
        xobjects = resources.get("/XObject") if resources is not None else None
        form = xobjects.get(name) if xobjects is not None else None
        if form is None or form.get("/Subtype") != "/Form":
            return  # an image: no text to measure
        if depth >= MAX_FORM_DEPTH or form.objgen in forms:
            raise ValueError(f"page {self.number}: form {name} paints itself or nests "
                             f"deeper than {MAX_FORM_DEPTH}")
        inner = state.copy()
        inner.ctm = _times(_matrix(form.get("/Matrix", IDENTITY)), state.ctm)
        depth_of_tags = len(tags)
        # A form without resources of its own uses those of the stream that paints it.
        self.read(form, form.get("/Resources", resources), inner, tags, depth + 1,
                  forms + (form.objgen,), f"content stream of {form_label(name, form)}")
        del tags[depth_of_tags:]
        self.text_object += 1  # text after the form is a new run


def glyph_runs(path: Path) -> list[GlyphRun]:
    """Every painted run of text in the PDF, with its printed size and kind; raises
    UnreadableContent for content that cannot be read, whose sizes cannot be told."""
    runs: list[GlyphRun] = []
    with pikepdf.open(path) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            box = [float(v) for v in page.mediabox]
            reader = _PageReader(pdf, number, (box[1] + box[3]) / 2)
            reader.read(page, page.obj.get("/Resources"), _State(), [])
            runs.extend(reader.runs)
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
