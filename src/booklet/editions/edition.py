"""What an edition is: one unit that says what it is called, what it is made from, what
it needs, and how it is written. The pipeline (booklet/pipeline.py) knows no edition by
name: it plans, lays out and writes whatever editions/ holds, in their order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Callable


@dataclass(frozen=True)
class PrintLayout:
    """An edition laid out from the print HTML in parts (write/print/layout.py)."""

    label: str  # what the layout's stage line calls it: "standard A5 edition"
    stylesheet: str  # in styles/
    sheet_pages: int  # pages are padded to a multiple of this (4: a folded sheet)
    # Its pages are where the page numbers of the editions that mark them come from
    # (the EPUB's page-list, the web edition's markers): the standard edition's.
    gives_page_starts: bool = False


@dataclass(frozen=True)
class Offered:
    """How the web edition offers an edition's file for download."""

    label: str  # "The printed booklet (PDF)"
    detail: str  # "A5, tagged for screen readers"
    media_type: str


@dataclass(frozen=True)
class Options:
    """What `booklet build` is told beside the editions' names."""

    crop_marks: bool = False  # the print shop's PDF with crop marks outside its bleed


@dataclass
class Writing:
    """What an edition is written from, in the task that writes it (parallel.py)."""

    edition: "Edition"
    booklet: object  # content.model.Booklet
    project: object  # project.Project
    path: Path  # the temporary to write: the build moves it into place
    timestamp: int  # the edition's time (freshness.edition_time)
    options: Options
    layout: object = None  # its EditionLayout, for an edition with a PrintLayout
    starts: list | None = None  # the standard edition's page starts, if known
    rendered: object = None  # what its `render` made beside the layout
    # Every output as this build leaves it: the temporary of one written now, else the
    # file in build/ (which is up to date). The outputs it needs are among them.
    outputs: dict[str, Path] = field(default_factory=dict)

    @property
    def identifier(self) -> str:
        """The file identifier this edition's file is made from."""
        return self.edition.identifier(self.booklet)


@dataclass(frozen=True)
class Edition:
    name: str  # booklet build NAME, make NAME
    output: str  # its file in build/, or its folder with a trailing /: "web/"
    summary: str  # one line, for `booklet editions` and the help
    order: int  # where it comes in a build and in every list
    stage: str  # its progress line: "pdf", "epub" …
    # Writes writing.path; returns what its stage line says ("44 pages, CMYK").
    write: Callable[[Writing], str]
    # What this edition alone is made from, as freshness names sources
    # ("styles/epub.css", "package/templates/epub/"): no other edition reads them.
    sources: tuple[str, ...] = ()
    # Other editions whose own sources it reads too (the large print imports print.css).
    reads: tuple[str, ...] = ()
    # Outputs it is made from: built first when out of date, their keys part of its own.
    needs: tuple[str, ...] = ()
    layout: PrintLayout | None = None
    # It marks where the standard edition's pages begin (its key holds them).
    page_starts: bool = False
    # Work that needs no layout (booklet, project) -> anything, done on a core the
    # layout leaves idle and handed to `write` as writing.rendered.
    render: Callable[[object, object], object] | None = None
    # The part of Options that changes this edition's bytes, as text for its key.
    settings: Callable[[Options], str] | None = None
    offered: Offered | None = None  # how the web edition offers it, if it does
    check: str | None = None  # the validator of `booklet check KIND`: "pdf", "epub"
    # The file identifier is the booklet's, and for every edition but the standard one
    # "#" and the edition's name (each edition is a file of its own).
    own_identifier: bool = True

    @property
    def is_folder(self) -> bool:
        return self.output.endswith("/")

    def identifier(self, booklet) -> str:
        return booklet.identifier + (f"#{self.name}" if self.own_identifier else "")

    def path(self, build: Path) -> Path:
        return build / self.output.rstrip("/")
