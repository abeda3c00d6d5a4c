"""At most two hyphenated lines in a row: a ladder of hyphens is hard to read.

WeasyPrint has no `hyphenate-limit-lines`, so after layout we find each third
hyphenated line of a run, take the soft hyphens out of that word in the document
tree, and lay out again. Runs are rare, so this costs one extra layout at most times.
"""

from __future__ import annotations

import re

from weasyprint.formatting_structure import boxes

SOFT_HYPHEN = "\u00ad"
MAX_RUN = 2
MAX_PASSES = 6


def _lines(document):
    """(block element, last text box) for every line, in reading order."""
    def walk(box, block):
        if isinstance(box, boxes.LineBox):
            texts = [b for b in box.descendants() if isinstance(b, boxes.TextBox)]
            yield block, (texts[-1] if texts else None), box
            return
        if isinstance(box, boxes.BlockBox) and box.element is not None:
            block = box.element
        for child in getattr(box, "children", ()):
            yield from walk(child, block)

    for page in document.pages:
        for child in page._page_box.children:
            if not isinstance(child, boxes.MarginBox):
                yield from walk(child, None)


def _is_hyphenated(text_box) -> bool:
    if text_box is None or not text_box.text:
        return False
    return text_box.text.endswith(SOFT_HYPHEN + text_box.style["hyphenate_character"])


def ladders(document) -> list[tuple[object, str]]:
    """(element, word start) of each line that would be a third hyphen in a row."""
    found, run, current = [], 0, None
    for block, last, _ in _lines(document):
        if block is not current:
            run, current = 0, block
        if _is_hyphenated(last):
            run += 1
            if run > MAX_RUN:
                head = last.text[: -len(last.style["hyphenate_character"])]
                fragment = re.split(r"\s", head)[-1]  # e.g. "con\xad"
                found.append((last.element, fragment))
                run = 0  # that line will no longer end in a hyphen
        else:
            run = 0
    return found


def unhyphenate(element, fragment: str) -> bool:
    """Remove the soft hyphens of the word that starts with `fragment` in `element`."""
    pattern = re.compile(re.escape(fragment) + r"[^\s]*")
    fix = lambda m: m.group(0).replace(SOFT_HYPHEN, "")  # noqa: E731
    for node in [element, *element]:
        for attr in ("text", "tail") if node is not element else ("text",):
            value = getattr(node, attr)
            if value and pattern.search(value):
                setattr(node, attr, pattern.sub(fix, value, count=1))
                return True
    return False


def limit_hyphen_ladders(html, render):
    """Render `html` (a WeasyPrint HTML) until no line is a third hyphen in a row."""
    document = render(html)
    for _ in range(MAX_PASSES):
        found = ladders(document)
        if not found or not any(unhyphenate(el, frag) for el, frag in found):
            return document
        document = render(html)
    return document
