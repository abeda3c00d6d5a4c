"""Tables wider than the text block, refused with the table's source line.

The layout finds them (engine/pages.py: wide_tables, in each part); a table that runs
past the margin would be cut off the page, so the build stops and names it.
"""

from __future__ import annotations

from booklet.content.model import tables_in
from booklet.errors import BookletError, Problem


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
    yield from tables_in(booklet.introduction)
    for essay in booklet.essays:
        yield from tables_in(essay.blocks)
        for note in essay.notes:
            yield from tables_in(note.blocks)
