"""What the print layout says about its pages, read off WeasyPrint's boxes.

Where each numbered page begins (page_starts, for the EPUB's page-list), the folio
printed on a page, each page's name and margins (page_facts), the front matter's
stand-in link targets, and tables that run past the text block (wide_tables): all
handed out as plain data, so that a part laid out in another process can return them.

The EPUB's page-list points at the same places, so a reader with the e-book and a
reader with the printed booklet can meet on "page 12". A page start is named by the
innermost block with an `id` that holds the page's first word, and the number of
words of that block before it: ids and words are the same in both editions, while
characters, spaces and line ends are not.
"""

from __future__ import annotations

import booklet.engine.weasyprint_import  # noqa: F401  (first: see its docstring)
from weasyprint.formatting_structure import boxes

from booklet.write.print.page_start import PageStart
from booklet.write.print.parts import PageFacts

SOFT_HYPHEN = "\u00ad"


def folio(page_box) -> str:
    """The page number printed in a margin box, or '' for unnumbered pages."""
    for child in page_box.children:
        if isinstance(child, boxes.MarginBox):
            text = "".join(b.text for b in child.descendants() if isinstance(b, boxes.TextBox))
            if text.strip().isdigit():
                return text.strip()
    return ""


def _line_text(line) -> tuple[str, bool]:
    """A line's words as a reader sees them, and whether it ends mid-word."""
    text = "".join(b.text for b in line.descendants() if isinstance(b, boxes.TextBox)
                   and not _is_generated(b))
    for box in reversed([b for b in line.descendants() if isinstance(b, boxes.TextBox)]):
        hyphen = box.style["hyphenate_character"]
        if box.text.endswith(SOFT_HYPHEN + hyphen):
            return text[: -len(hyphen)].replace(SOFT_HYPHEN, ""), True
        break
    return text.replace(SOFT_HYPHEN, ""), False


def _is_generated(box) -> bool:
    """Text made by CSS (::before, ::after), which the EPUB does not have."""
    return "::" in (box.element_tag or "")


def page_starts(document, labels: list[str] | None = None) -> list[PageStart]:
    """The start of every page that has a label: by default the folio printed on it; a
    part laid out alone, which prints none, passes its own (write/print/parts.py)."""
    running: dict[str, str] = {}  # block id -> its text so far
    starts: list[PageStart] = []

    def walk(box, ids, state):
        if isinstance(box, boxes.LineBox):
            text, joined = _line_text(box)
            if not text.strip():
                # A page may open with a picture: the marker goes before its block.
                if state["pending"] is not None and ids and any(
                        isinstance(b, boxes.ReplacedBox) for b in box.descendants()):
                    starts.append(PageStart(state["pending"], ids[-1],
                                            len(running.get(ids[-1], "").split())))
                    state["pending"] = None
                return
            if state["pending"] is not None and ids:
                block = ids[-1]
                before = running.get(block, "")
                starts.append(PageStart(state["pending"], block, len(before.split())))
                state["pending"] = None
            for block in ids:
                before = running.get(block, "")
                # A new line is a new word unless the last one was hyphenated.
                if before and not state.get(("joined", block)):
                    before += " "
                running[block] = before + text
                state[("joined", block)] = joined
            return
        element = box.element
        if isinstance(box, boxes.TableRowGroupBox) and box.is_header:
            # A table's head row, repeated on each page the table runs onto, is not in
            # the EPUB's words again: only its first showing counts.
            if state["headers"].setdefault(element, state["page"]) != state["page"]:
                return
        if isinstance(box, boxes.BlockBox) and element is not None and element.get("id") \
                and "::" not in box.element_tag and (not ids or ids[-1] != element.get("id")):
            ids = ids + [element.get("id")]
        for child in getattr(box, "children", ()):
            walk(child, ids, state)

    state = {"pending": None, "headers": {}, "page": 0}
    for number, page in enumerate(document.pages):
        state["page"] = number
        label = labels[number] if labels is not None else folio(page._page_box)
        state["pending"] = label or None
        for child in page._page_box.children:
            if not isinstance(child, boxes.MarginBox):
                walk(child, [], state)
    return starts


def page_facts(document, furniture: bool) -> tuple[PageFacts, ...]:
    """Each page's @page name and blankness; for the furniture, also its folio and
    whether anything is printed in its margins."""
    pages = []
    for page in document.pages:
        box = page._page_box
        printed = folio(box) if furniture else ""
        furnished = furniture and any(
            getattr(child, "text", "").strip()
            for margin in box.children if isinstance(margin, boxes.MarginBox)
            for child in margin.descendants())
        pages.append(PageFacts(box.page_type.name or "", bool(box.page_type.blank),
                               printed, furnished))
    return tuple(pages)


def stand_in_ids(document) -> set[str]:
    """The ids of the stand-in link targets (templates/print/sections.j2) laid out."""
    found = set()
    for page in document.pages:
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if element is not None and element.get("data-stand-in") is not None:
                found.add(element.get("id"))
    return found


# CSS px: rounding, not a table running off the page.
TABLE_TOLERANCE = 0.5


def wide_tables(document) -> list[tuple[str | None, float]]:
    """(id, points too wide) of each table that runs past the text block.

    A table takes the text block's width and wraps its cells at spaces; only a word
    longer than its column can make it wider, and WeasyPrint 70 then lets it run past
    the margin, off the page, without a word (write/print/tables.py refuses it)."""
    found, seen = [], set()
    for page in document.pages:
        page_box = page._page_box
        right = page_box.content_box_x() + page_box.width
        for box in page_box.descendants():
            if not isinstance(box, boxes.TableBox):
                continue
            anchor = box.element.get("id") if box.element is not None else None
            over = box.position_x + box.margin_width() - right
            if anchor in seen or over <= TABLE_TOLERANCE:
                continue
            seen.add(anchor)
            found.append((anchor, over * 0.75))  # CSS px to pt
    return found
