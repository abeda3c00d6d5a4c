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
from booklet.check.pdf_content import form_label, parse

SOFT_HYPHEN = "\u00ad"


@dataclass
class PageText:
    by_mcid: dict[int, str] = field(default_factory=dict)
    y_by_mcid: dict[int, float] = field(default_factory=dict)  # baseline of the first run
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


class _Fonts:
    def __init__(self, resources):
        fonts = resources.get("/Font", {}) if resources is not None else {}
        self.maps = {str(name): ToUnicode(font) for name, font in fonts.items()}

    def decode(self, font: str, data: bytes) -> str:
        to_unicode = self.maps.get(font)
        return to_unicode.text(data) if to_unicode is not None else ""


MAX_FORM_DEPTH = 32  # forms painting forms: deeper than any real file, and no cycles


def _page_text(pdf, page) -> PageText:
    """Raises UnreadableContent for content that cannot be read: a reader would miss it."""
    result = PageText()
    _read_content(pdf, page, page.obj.get("/Resources"), [], result, 0, page.index + 1,
                  "content stream")
    return result


def _read_content(pdf, owner, resources, stack: list[tuple[str, int | None]],
                  result: PageText, depth: int, page: int, what: str) -> None:
    """The text of a content stream by its marked content; a Form XObject it paints
    (`Do`) is read where it is painted, inside the marked content around it, as a
    reader reads it: the page furniture is drawn so (write/join.py)."""
    fonts = _Fonts(resources)
    font = ""
    y = 0.0

    def emit(text: str) -> None:
        if not text:
            return
        if any(tag == "/Artifact" for tag, _ in stack):
            result.artifacts.append(text)
            return
        mcid = next((m for _, m in reversed(stack) if m is not None), None)
        if mcid is None:
            result.untagged.append(text)
        else:
            result.by_mcid[mcid] = result.by_mcid.get(mcid, "") + text
            result.y_by_mcid.setdefault(mcid, y)

    for operands, operator in parse(pdf, owner, page, what):
        op = str(operator)
        if op == "BDC":
            props = operands[1]
            mcid = props.get("/MCID") if isinstance(props, pikepdf.Dictionary) else None
            stack.append((str(operands[0]), int(mcid) if mcid is not None else None))
        elif op == "BMC":
            stack.append((str(operands[0]), None))
        elif op == "EMC":
            if stack:
                stack.pop()
        elif op == "Tf":
            font = str(operands[0])
        elif op == "Tm":
            y = float(operands[5])
        elif op in ("Tj", "'", '"'):
            emit(fonts.decode(font, bytes(operands[-1])))
        elif op == "TJ":
            emit("".join(fonts.decode(font, bytes(item)) for item in operands[0]
                         if isinstance(item, pikepdf.String)))
        elif op == "Do" and depth < MAX_FORM_DEPTH and resources is not None:
            form = resources.get("/XObject", {}).get(str(operands[0]))
            if form is not None and form.get("/Subtype") == "/Form":
                _read_content(pdf, form, form.get("/Resources", resources), list(stack), result,
                              depth + 1, page,
                              f"content stream of {form_label(operands[0], form)}")


def read_tag_text(path: Path) -> TagText:
    with pikepdf.open(path) as pdf:
        pages = [_page_text(pdf, page) for page in pdf.pages]
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
