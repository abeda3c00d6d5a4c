"""Tables wider than the text block, found in the print layout.

A table takes the text block's width and wraps its cells at spaces; only a word longer
than its column can make it wider, and WeasyPrint 70 then lets it run past the margin,
off the page, without a word. That is refused with the table's source line.
"""

from __future__ import annotations

from booklet.errors import BookletError, Problem

TOLERANCE = 0.5  # CSS px: rounding, not a table running off the page


def wide_tables(document) -> list[tuple[str | None, float]]:
    """(id, points too wide) of each table that runs past the text block: plain data,
    which a part laid out in another process can hand back (write/parts.py)."""
    from weasyprint.formatting_structure import boxes

    found, seen = [], set()
    for page in document.pages:
        page_box = page._page_box
        right = page_box.content_box_x() + page_box.width
        for box in page_box.descendants():
            if not isinstance(box, boxes.TableBox):
                continue
            anchor = box.element.get("id") if box.element is not None else None
            if anchor in seen or box.position_x + box.margin_width() <= right + TOLERANCE:
                continue
            seen.add(anchor)
            found.append((anchor, (box.position_x + box.margin_width() - right) * 0.75))  # px to pt
    return found


def refuse_wide_tables(found: list[tuple[str | None, float]], booklet) -> None:
    tables = {t.anchor: t for t in _tables(booklet)}
    problems = []
    for anchor, over in found:
        table = tables.get(anchor)
        label = table.label if table else "a table"
        problems.append(Problem(
            "B273", f"{label} is {over:.0f} pt wider than the page’s text",
            table.path if table else None, table.line if table else None,
            hint="a word or address in one of its columns is longer than the column can "
                 "be: shorten it, move an address into a note, or split the table"))
    if problems:
        raise BookletError(problems)


def _tables(booklet):
    def walk(blocks):
        for block in blocks:
            if block.kind == "table":
                yield block
            elif block.kind == "quote":
                yield from walk(block.blocks)
            elif block.kind == "list":
                for item in block.items:
                    yield from walk(item)
    yield from walk(booklet.introduction)
    for essay in booklet.essays:
        yield from walk(essay.blocks)
        for note in essay.notes:
            yield from walk(note.blocks)
