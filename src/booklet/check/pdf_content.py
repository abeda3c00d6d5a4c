"""Reading a PDF's content streams: a page's, and those of the Form XObjects it paints.

A stream that cannot be decoded, or that qpdf can only partly parse (it warns, skips what
it cannot make sense of and goes on), holds content that no check can see. So it is
never read as empty: `parse` raises UnreadableContent, saying what cannot be read and
where, with whatever instructions could still be read.
"""

from __future__ import annotations

import warnings

import pikepdf


class UnreadableContent(ValueError):
    """Content that cannot be read whole: the page it is on, what is wrong, and the
    instructions that could be read (none when the stream cannot be decoded)."""

    def __init__(self, page: int, reason: str, instructions: list = ()):
        super().__init__(f"page {page}: {reason}")
        self.page, self.reason, self.instructions = page, reason, list(instructions)


def form_label(name, form: pikepdf.Object) -> str:
    """'Form XObject /Fm1 (obj 12 0)': how a message names a form."""
    num, gen = form.objgen
    return f"Form XObject {name}" + (f" (obj {num} {gen})" if num else "")


def parse(pdf: pikepdf.Pdf, owner, page: int, what: str = "content stream") -> list:
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
    for w in caught:  # any other kind of warning is not ours to keep
        if not issubclass(w.category, UserWarning):
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    said = pdf.get_warnings() or [str(w.message) for w in caught
                                  if issubclass(w.category, UserWarning)]
    return "; ".join(dict.fromkeys(said))
