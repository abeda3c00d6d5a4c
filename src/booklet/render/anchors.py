"""Ids for paragraphs, the same in the print HTML and the EPUB XHTML.

The page map names a page start by the id of the block that holds it, so both
editions must give every paragraph the same id: both renders number the paragraphs
of the same booklet in the same order.
"""

from __future__ import annotations

from booklet.content.model import Booklet


def paragraph_anchors(booklet: Booklet) -> dict[int, str]:
    """{id(paragraph node): anchor} for every paragraph, quoted or listed ones too."""
    anchors: dict[int, str] = {}

    def walk(blocks, prefix, counter):
        for block in blocks:
            if block.kind == "paragraph":
                counter[0] += 1
                anchors[id(block)] = f"{prefix}p{counter[0]}"
            elif block.kind == "quote":
                walk(block.blocks, prefix, counter)
            elif block.kind == "list":
                for item in block.items:
                    walk(item, prefix, counter)

    walk(booklet.introduction, "introduction-", [0])
    for essay in booklet.essays:
        counter = [0]
        walk(essay.blocks, f"{essay.slug}-", counter)
        for note in essay.notes:
            walk(note.blocks, f"{essay.slug}-", counter)
    return anchors
