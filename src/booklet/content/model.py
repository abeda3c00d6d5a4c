"""The document model: what the render stage may know about a booklet.

Inline and block nodes are small frozen dataclasses with a `kind`, so templates can
walk them without importing Python classes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

# Inline nodes ---------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    text: str
    kind: str = "text"


@dataclass(frozen=True)
class LineBreak:
    kind: str = "break"


@dataclass(frozen=True)
class Emphasis:
    children: tuple
    kind: str = "em"


@dataclass(frozen=True)
class Strong:
    children: tuple
    kind: str = "strong"


@dataclass(frozen=True)
class Link:
    """A live external link written in the body."""

    href: str
    children: tuple
    kind: str = "link"


@dataclass(frozen=True)
class Language:
    """A passage in another language than its surroundings: `<span lang="cy">…</span>`.

    Both outputs mark it (PDF /Lang on a Span, EPUB lang and xml:lang) so that a screen
    reader switches voice, and print hyphenates it by its own dictionary or not at all.
    `direction` is "rtl" for a right-to-left language or script (Arabic, Hebrew …),
    "auto" or "ltr" if the author wrote dir=, else "".
    """

    lang: str
    children: tuple
    direction: str = ""
    kind: str = "lang"


@dataclass(frozen=True)
class Citation:
    """An in-text citation: the author's words, pointing at one or more entries."""

    keys: tuple[str, ...]
    children: tuple
    anchor: str  # unique in the booklet; entries link back to it
    target: str  # the anchor of the first cited entry: one link goes to one place
    kind: str = "citation"


# Block nodes ----------------------------------------------------------------


@dataclass(frozen=True)
class Paragraph:
    children: tuple
    kind: str = "paragraph"


@dataclass(frozen=True)
class Heading:
    level: int  # 2 for an essay's sections; the essay title is level 1
    children: tuple
    anchor: str
    text: str  # plain text, for contents, bookmarks and running heads
    kind: str = "heading"


@dataclass(frozen=True)
class Quote:
    blocks: tuple
    kind: str = "quote"


@dataclass(frozen=True)
class ListBlock:
    ordered: bool
    items: tuple  # each item a tuple of blocks
    kind: str = "list"


@dataclass(frozen=True)
class Figure:
    key: str
    path: Path
    label: str  # "Figure 1"
    caption: str
    alt: str
    description: tuple[str, ...]  # paragraphs of the long description
    note: str
    anchor: str
    source: str = ""  # the file's path inside content/, e.g. "essays/03-…/figure-1.svg"
    # narrowed to fit the page with its caption (content/print_fit.py); 0: the text width
    print_width_mm: float = 0.0
    kind: str = "figure"


# Documents ------------------------------------------------------------------


@dataclass(frozen=True)
class Reference:
    key: str
    anchor: str
    authors: tuple[str, ...]
    year: str
    title: str = ""
    type: str = ""  # "article" for an article whose journal the source does not name
    container: str = ""
    section: str = ""  # the part of the container, e.g. "Editorial"
    editors: str = ""  # as the source gives them, with any role word ("eds.")
    volume: str = ""
    issue: str = ""
    pages: str = ""
    edition: str = ""
    publisher: str = ""
    place: str = ""
    date: str = ""
    medium: str = ""
    url: str = ""
    doi: str = ""
    accessed: str = ""
    editor_note: str = ""
    uncited: str = ""  # why the entry stays although the essay never cites it
    cited_by: tuple[str, ...] = ()  # anchors of the citations that cite it, in order

    @property
    def doi_url(self) -> str:
        return f"https://doi.org/{self.doi}" if self.doi else ""


@dataclass(frozen=True)
class Essay:
    slug: str  # from the folder name, safe in ids and file names: "01-holly-clarke"
    anchor: str
    title: str
    subtitle: str
    author: str
    affiliation: str
    short_title: str
    blocks: tuple
    references: tuple[Reference, ...]
    figures: tuple[Figure, ...]
    language: str = ""  # BCP 47, from the front matter, if not the booklet's
    direction: str = ""  # "rtl" if that language is written right to left

    @property
    def sections(self) -> tuple[Heading, ...]:
        return tuple(b for b in self.blocks if b.kind == "heading")

    @property
    def outline(self) -> tuple[tuple[Heading, tuple[Heading, ...]], ...]:
        """The contents' two levels: each section (##) with its subsections (###)."""
        out: list[tuple[Heading, list[Heading]]] = []
        for heading in self.sections:
            if heading.level == 2 or not out:
                out.append((heading, []))
            else:
                out[-1][1].append(heading)
        return tuple((heading, tuple(subs)) for heading, subs in out)

    @property
    def citations(self) -> tuple[Citation, ...]:
        return tuple(citations_in(self.blocks))


@dataclass(frozen=True)
class Booklet:
    title: str
    subtitle: str
    publisher: str
    year: str
    language: str
    identifier: str
    description: str
    keywords: tuple[str, ...]
    introduction_title: str
    introduction: tuple  # blocks
    essays: tuple[Essay, ...]
    warnings: tuple = field(default=(), compare=False)


def citations_in(nodes):
    for node in nodes:
        if isinstance(node, tuple):
            yield from citations_in(node)
            continue
        if node.kind == "citation":
            yield node
        for attr in ("children", "blocks", "items"):
            child = getattr(node, attr, None)
            if child:
                yield from citations_in(child)
