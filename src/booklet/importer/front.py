"""The essay's title, subtitle, author and affiliation, from the head of the document.

Word gives them in one of a few ways: the Title and Subtitle styles; a first heading; a
byline such as "Holly Clarke - University of Lincoln" or a name and a university on two
lines; and, least reliably, File > Properties (often the name of whoever set up the
computer). What the document does not say is left as a TODO the loader refuses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from booklet.importer.markdown import Block

INSTITUTION = re.compile(r"\b(University|College|Institute|School|Academy|Polytechnic|"
                         r"Universit[éy]|Hochschule|Conservatoire)\b", re.I)
_NAME = r"[A-ZÀ-Þ][\w'’.-]*(?:\s+(?:[A-ZÀ-Þ][\w'’.-]*|van|von|de|der|da|di|le|la|du|bin|al))*"
_BYLINE = re.compile(rf"^(?:by\s+)?(?P<name>{_NAME})\s*(?:[-–—,|/]|\bfrom\b)\s*(?P<aff>.+?)\.?$",
                     re.I)
_ONLY_NAME = re.compile(rf"^(?:by\s+)?(?P<name>{_NAME})$")
_NOT_A_PERSON = re.compile(r"\b(user|admin|administrator|owner|office|microsoft|windows|"
                           r"student|staff|pc|author|python|libreoffice)\b", re.I)


@dataclass
class Front:
    title: str = ""
    subtitle: str = ""
    author: str = ""
    affiliation: str = ""
    sources: dict = field(default_factory=dict)  # field -> where it came from, for the report


def take_front(blocks: list[Block], properties: dict[str, str]) -> tuple[Front, list[Block]]:
    """(front matter, the blocks that remain the body)."""
    front = Front()
    head_end = _head_length(blocks)
    used: set[int] = set()
    for i in range(head_end):
        block = blocks[i]
        if block.kind == "title" and not front.title:
            front.title, front.sources["title"] = block.markdown, "the Title style"
            used.add(i)
        elif block.kind == "subtitle" and not front.subtitle:
            front.subtitle, front.sources["subtitle"] = block.markdown, "the Subtitle style"
            used.add(i)
    if not front.title and head_end and blocks[0].kind == "heading":
        front.title, front.sources["title"] = blocks[0].markdown, "the first heading"
        used.add(0)
    for i in range(head_end):
        if i in used or blocks[i].kind not in ("paragraph", "heading", "subtitle"):
            continue
        text = blocks[i].plain
        byline = _BYLINE.match(text)
        if byline and INSTITUTION.search(byline["aff"]) and not front.author:
            front.author, front.affiliation = byline["name"].strip(), byline["aff"].strip()
            front.sources["author"] = front.sources["affiliation"] = f"the line “{text}”"
            used.add(i)
        elif INSTITUTION.search(text) and len(text.split()) <= 8 and not front.affiliation:
            front.affiliation, front.sources["affiliation"] = text.rstrip("."), f"the line “{text}”"
            used.add(i)
            if i > 0 and i - 1 not in used and _ONLY_NAME.match(blocks[i - 1].plain) \
                    and not front.author and blocks[i - 1].kind == "paragraph":
                front.author = _ONLY_NAME.match(blocks[i - 1].plain)["name"]
                front.sources["author"] = f"the line “{blocks[i - 1].plain}”"
                used.add(i - 1)
    if not front.author and (creator := properties.get("creator", "")):
        if _ONLY_NAME.match(creator) and not _NOT_A_PERSON.search(creator) \
                and 2 <= len(creator.split()) <= 4:
            front.author = creator
            front.sources["author"] = ("the document’s properties (File > Properties): "
                                       "check that this is the student and not the computer")
    if not front.title and (title := properties.get("title", "")):
        front.title = title
        front.sources["title"] = ("the document’s properties (File > Properties): check it "
                                  "against the essay")
    return front, [b for i, b in enumerate(blocks) if i not in used]


def _head_length(blocks: list[Block]) -> int:
    """How many leading blocks may hold front matter: those before the first real
    paragraph of prose (twenty words or more) or the first section heading after text."""
    for i, block in enumerate(blocks):
        if block.kind in ("paragraph", "quote", "list", "table") and len(block.plain.split()) >= 20:
            return i
        if i >= 6:
            return i
    return len(blocks)
