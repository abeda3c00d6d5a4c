"""One walk through a page's content: its content stream and the Form XObjects it paints.

The PDF/UA audit, the tag-text reader and the type-size measure all read content the same
way, so they share this walker and differ only in what they do with each step. A Form
XObject is read where it is painted (`Do`), as a viewer draws it and a screen reader
meets it: inside the marked content around it, with the graphics state of the moment
(ISO 32000-1, 8.10.1), its /Matrix, and its own /Resources or else those of the stream
that paints it. What a form opens it closes: its EMC cannot close a sequence of its
caller, and sequences it leaves open end with it.

A stream that cannot be decoded, or that qpdf can only partly parse (it warns, skips what
it cannot make sense of and goes on), holds content that no check can see. So does a
form that paints itself or nests deeper than MAX_FORM_DEPTH, and an operator whose
operands it cannot take. None is ever read as empty: each is an UnreadableContent,
saying what cannot be read and where, that the walker raises, or hands to the caller's
`on_unreadable` and walks on with whatever could be read.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from functools import cached_property

import pikepdf

MAX_FORM_DEPTH = 32  # forms painting forms: deeper than any real file
IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
SHOW_TEXT = frozenset({"Tj", "TJ", "'", '"'})


class UnreadableContent(ValueError):
    """Content that cannot be read whole: the page it is on, what is wrong, and the
    instructions that could be read (none when the stream cannot be decoded)."""

    def __init__(self, page: int, reason: str, instructions: list = ()):
        super().__init__(f"page {page}: {reason}")
        self.page, self.reason, self.instructions = page, reason, list(instructions)


def _form_label(name, form: pikepdf.Object) -> str:
    """'Form XObject /Fm1 (obj 12 0)': how a message names a form."""
    num, gen = form.objgen
    return f"Form XObject {name}" + (f" (obj {num} {gen})" if num else "")


def _parse(pdf: pikepdf.Pdf, owner, page: int, what: str = "content stream") -> list:
    """The instructions of `owner` (a page or a Form XObject of `pdf`), which is `what`
    on `page`. qpdf says what is wrong in the Pdf's warnings (for a page's streams and
    for what it cannot decode) or in Python warnings (for a Form XObject's), so both
    are looked at."""
    pdf.get_warnings()  # earlier warnings are not this stream's
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            instructions = pikepdf.parse_content_stream(owner)
        except pikepdf.PdfError as exc:
            raise UnreadableContent(page, f"{what} cannot be read: "
                                          f"{_said(pdf, caught) or exc}") from exc
    damage = _said(pdf, caught)
    if damage:
        raise UnreadableContent(page, f"{what} is damaged ({damage}), so part of it may "
                                      "not be read", instructions)
    return instructions


def _said(pdf: pikepdf.Pdf, caught: list) -> str:
    """What qpdf warned of while it parsed, in one line."""
    for w in caught:  # any other kind of warning is not about the stream: let it through
        if not issubclass(w.category, UserWarning):
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    said = pdf.get_warnings() or [str(w.message) for w in caught
                                  if issubclass(w.category, UserWarning)]
    return "; ".join(dict.fromkeys(said))


def multiply(a, b) -> tuple[float, ...]:
    """The matrix product a × b, PDF style: a is applied first."""
    return (a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3],
            a[2] * b[0] + a[3] * b[2], a[2] * b[1] + a[3] * b[3],
            a[4] * b[0] + a[5] * b[2] + b[4], a[4] * b[1] + a[5] * b[3] + b[5])


class _BadOperands(Exception):
    """Operands an operator cannot take (too few, or not numbers)."""


def _numbers(values, count: int) -> tuple[float, ...]:
    try:
        numbers = tuple(float(v) for v in list(values)[:count])
    except (TypeError, ValueError) as exc:
        raise _BadOperands from exc
    if len(numbers) != count:
        raise _BadOperands
    return numbers


def _matrix(values) -> tuple[float, ...]:
    return _numbers(values, 6)


def _translation(tx: float, ty: float) -> tuple[float, ...]:
    return (1.0, 0.0, 0.0, 1.0, tx, ty)


@dataclass(eq=False)
class MarkedContent:
    """An open marked-content sequence (BMC or BDC), inside those that enclose it."""

    tag: str                              # "P", "Artifact"…; "?" if the tag is no name
    properties: pikepdf.Dictionary | None  # inline, or looked up in /Properties
    enclosing: MarkedContent | None
    struct_parents: int | None  # /StructParents of the stream it is in: its MCIDs' key

    @property
    def mcid(self) -> int | None:
        value = self.properties.get("/MCID") if self.properties is not None else None
        return int(value) if isinstance(value, int) else None

    @cached_property
    def tags(self) -> tuple[str, ...]:
        """The tags of this sequence and of all that enclose it, outermost first."""
        return (self.enclosing.tags if self.enclosing else ()) + (self.tag,)

    @cached_property
    def innermost_mcid(self) -> int | None:
        """The MCID of this sequence or of the nearest enclosing one that has one."""
        own = self.mcid
        if own is not None or self.enclosing is None:
            return own
        return self.enclosing.innermost_mcid


@dataclass
class GraphicsState:
    """The parts of the graphics state the checks use (saved by q, restored by Q)."""

    ctm: tuple = IDENTITY
    font: object = None  # what the walker's `font` made of the font dictionary, or None
    font_size: float = 0.0
    leading: float = 0.0
    render_mode: int = 0


@dataclass(slots=True)
class Step:
    """One instruction, with the state it is read in. `state` is the walker's own, good
    until the next step: read from it, do not keep it."""

    operator: str  # "INLINE IMAGE" for an inline image (its operand is the image)
    operands: list
    state: GraphicsState
    mark: MarkedContent | None  # the innermost open sequence; for BDC/BMC the new one
    text_matrix: tuple  # set by Tm, Td, TD, T*, ' and " (glyph advances are not added)
    text_object: int  # the same number means the same text object; a form ends one
    xobject: pikepdf.Object | None = None  # for Do: the XObject painted, if there is one

    @property
    def shown(self) -> bytes:
        """The bytes a text-showing operator shows (a TJ array's strings, joined)."""
        last = self.operands[-1] if self.operands else None
        parts = last if isinstance(last, pikepdf.Array) else [last]
        return b"".join(bytes(p) for p in parts if isinstance(p, pikepdf.String))


@dataclass(frozen=True)
class _Stream:
    """The content stream being walked: a page's, or a form's as it is painted."""

    what: str  # "content stream", or "content stream of Form XObject /Fm1 (obj 9 0)"
    resources: pikepdf.Object | None
    struct_parents: int | None
    forms: tuple = ()  # the forms being painted, outermost first (their objgen)


class ContentWalker:
    """Walks the pages of one PDF. `font(dictionary)` makes what Step.state.font holds,
    once for each font; `on_unreadable(UnreadableContent)`, if given, is told of content
    that cannot be read, which is otherwise raised."""

    def __init__(self, pdf: pikepdf.Pdf, font: Callable = lambda dictionary: dictionary,
                 on_unreadable: Callable[[UnreadableContent], None] | None = None):
        self.pdf = pdf
        self.fonts: dict = {}  # (objgen, or resources and name if direct) -> font(…)
        self._make_font = font
        self._on_unreadable = on_unreadable
        self._parsed: dict[tuple, list] = {}  # a form painted again is not parsed again
        self._page = 0
        self._text_object = 0

    def page(self, page: pikepdf.Page, number: int) -> Iterator[Step]:
        """Every instruction of the page `number` (1-based), forms' where painted."""
        self._page = number
        try:
            instructions = _parse(self.pdf, page, number)
        except UnreadableContent as exc:
            self._unreadable(exc)
            instructions = exc.instructions
        sp = page.obj.get("/StructParents")
        stream = _Stream("content stream", page.obj.get("/Resources"),
                         int(sp) if isinstance(sp, int) else None)
        yield from self._walk(instructions, stream, GraphicsState(), None)

    def _unreadable(self, problem: UnreadableContent) -> None:
        if self._on_unreadable is None:
            raise problem
        self._on_unreadable(problem)

    def _walk(self, instructions, stream: _Stream, state: GraphicsState,
              mark: MarkedContent | None) -> Iterator[Step]:
        outside = mark  # open when this stream began: not this stream's to close
        saved: list[GraphicsState] = []
        line = text = IDENTITY
        for instruction in instructions:
            op, operands = str(instruction.operator), instruction.operands
            try:
                if op == "q":
                    saved.append(replace(state))
                elif op == "Q":
                    state = saved.pop() if saved else state
                elif op == "cm":
                    state.ctm = multiply(_matrix(operands), state.ctm)
                elif op in ("BDC", "BMC"):
                    mark = self._open(op, operands, stream, mark)
                elif op == "EMC":
                    mark = mark.enclosing if mark is not outside else mark
                elif op == "BT":
                    line = text = IDENTITY
                    self._text_object += 1
                elif op == "Tf":
                    (state.font_size,) = _numbers(operands[1:], 1)
                    state.font = self._font(stream.resources, operands[0])
                elif op == "TL":
                    (state.leading,) = _numbers(operands, 1)
                elif op == "Tr":
                    state.render_mode = int(_numbers(operands, 1)[0])
                elif op == "Tm":
                    line = text = _matrix(operands)
                elif op in ("Td", "TD"):
                    tx, ty = _numbers(operands, 2)
                    if op == "TD":
                        state.leading = -ty
                    line = text = multiply(_translation(tx, ty), line)
                elif op in ("T*", "'", '"'):  # ' and " move to the next line first
                    line = text = multiply(_translation(0.0, -state.leading), line)
            except _BadOperands:
                self._unreadable(UnreadableContent(
                    self._page, f"{stream.what} has the operator {op} with operands it "
                                f"cannot take: {list(operands)}"))
            xobject = self._xobject(stream.resources, operands) if op == "Do" else None
            yield Step(op, operands, state, mark, text, self._text_object, xobject)
            if xobject is not None and xobject.get("/Subtype") == "/Form":
                yield from self._form(operands[0], xobject, stream, state, mark)
                self._text_object += 1  # text after the form is in another text object

    def _open(self, op, operands, stream: _Stream, mark) -> MarkedContent:
        tag = operands[0] if operands else None
        props = operands[1] if op == "BDC" and len(operands) > 1 else None
        if isinstance(props, pikepdf.Name):
            named = stream.resources.get("/Properties") if stream.resources is not None \
                else None
            props = named.get(props) if isinstance(named, pikepdf.Dictionary) else None
        return MarkedContent(str(tag)[1:] if isinstance(tag, pikepdf.Name) else "?",
                             props if isinstance(props, pikepdf.Dictionary) else None,
                             mark, stream.struct_parents)

    def _font(self, resources, name):
        fonts = resources.get("/Font") if resources is not None else None
        font = fonts.get(name) if isinstance(fonts, pikepdf.Dictionary) and \
            isinstance(name, pikepdf.Name) else None
        if not isinstance(font, pikepdf.Dictionary):
            return None
        key = font.objgen if font.objgen[0] else ("direct", resources.objgen, str(name))
        if key not in self.fonts:
            self.fonts[key] = self._make_font(font)
        return self.fonts[key]

    @staticmethod
    def _xobject(resources, operands) -> pikepdf.Object | None:
        xobjects = resources.get("/XObject") if resources is not None else None
        name = operands[0] if operands else None
        if not isinstance(xobjects, pikepdf.Dictionary) or not isinstance(name, pikepdf.Name):
            return None
        xobject = xobjects.get(name)
        return xobject if isinstance(xobject, pikepdf.Stream) else None

    def _form(self, name, form: pikepdf.Stream, caller: _Stream, state: GraphicsState,
              mark) -> Iterator[Step]:
        label = _form_label(name, form)
        if form.objgen in caller.forms or len(caller.forms) >= MAX_FORM_DEPTH:
            why = "paints itself" if form.objgen in caller.forms else \
                f"is nested deeper than {MAX_FORM_DEPTH} forms"
            self._unreadable(UnreadableContent(
                self._page, f"{label} {why}, so what it draws cannot be read"))
            return
        instructions = self._parsed.get(form.objgen)
        if instructions is None:
            try:
                instructions = _parse(self.pdf, form, self._page, f"content stream of {label}")
            except UnreadableContent as exc:
                self._unreadable(exc)
                instructions = exc.instructions
            self._parsed[form.objgen] = instructions
        inner = replace(state)  # what the form changes ends with it
        try:
            inner.ctm = multiply(_matrix(form.get("/Matrix", IDENTITY)), state.ctm)
        except _BadOperands:
            self._unreadable(UnreadableContent(self._page, f"{label} has a /Matrix that is "
                                                           "not six numbers"))
        sp = form.get("/StructParents")
        stream = _Stream(f"content stream of {label}", form.get("/Resources", caller.resources),
                         int(sp) if isinstance(sp, int) else caller.struct_parents,
                         caller.forms + (form.objgen,))
        yield from self._walk(instructions, stream, inner, mark)
