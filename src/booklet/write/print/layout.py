"""A print edition made of parts: laid out one by one (or taken from build/parts/),
then joined into one PDF.

Why parts: an edit to one essay should lay out that essay alone, and the parts can be
laid out side by side. Each essay opens on a right-hand page, so nothing before it
changes its layout; what does depend on its place in the booklet is only printed in
the margins (the folio, the running head) and in the contents. So:

1. every essay and the back matter are laid out alone with their margins empty
   (write/print/parts.py), and a blank page once;
2. the front matter (cover, introduction, contents) is laid out last, with the
   essays' first pages written into the contents as data: its own page count decides
   them, so it is laid out again in the rare build where that count changes;
3. the booklet's page order follows: a blank page before an essay that would open on
   a left-hand page, and blank pages before the last page to make whole sheets;
4. the furniture: one empty page per booklet page with its page name and running
   head, laid out with the edition's stylesheet, so the folios and running heads are
   what its @page rules always printed, where they printed them;
5. write/print/join.py joins the parts and lays the furniture over them.

An essay that moved to other page numbers is not laid out again: only the furniture
and the front matter, which are small, are. Every part is kept under a digest of what
it is made from (write/print/part_cache.py); `laid_out` and `reused` say how many parts this
build laid out and took from there (the stage line shows them, and
build/parts/index.json keeps them).
"""

from __future__ import annotations

import functools
import hashlib
import html as html_escape
from dataclasses import dataclass
from pathlib import Path
from typing import Callable
from urllib.parse import quote

from booklet.write.print.page_start import PagePlace, PageStart
from booklet.write.print.part_cache import PartCache, part_digest
from booklet.write.print.parts import PartJob, PartLayout

# What every part's layout reads besides its HTML: the stylesheets and fonts, the code
# that lays out and writes, and the libraries (freshness.sources names them so).
_LAYOUT_INPUTS = ("styles/", "package/engine/", "package/write/", "package/typefaces.py",
                  "library/", "system/")
BLANK_HTML = '<html lang="{lang}"><body><div class="blank-page"></div></body></html>'
# A few lines in an edition's type and weights, laid out before the parts are forked
# (write/print/parts.py warm_up): what they say does not matter, only the fonts they open.
WARM_UP_HTML = ('<html lang="{lang}"><body><h1>Aa</h1><h2>Aa</h2><h3>Aa</h3>'
                "<p>Aa <em>Aa</em> <strong>Aa <em>Aa</em></strong></p></body></html>")
FRONT_PAGES_GUESS = 3  # cover, introduction, contents: corrected by the first layout


@dataclass(frozen=True)
class EditionLayout:
    """A print edition made of its parts, joined when its PDF is first asked for: the
    build asks in the process that writes the file, beside the EPUB's (parallel.py)."""

    joining: Callable[[], bytes]  # the join of the parts (write/print/join.py)
    identifier: str  # the edition's, which its file identifier is made from
    pages: int
    starts: tuple[PageStart, ...]  # where each numbered page begins (the EPUB's page-list)
    laid_out: int  # parts laid out by this build
    reused: int  # parts taken from build/parts/

    @functools.cached_property
    def pdf(self) -> bytes:
        return self.joining()


def write_pdf(layout: EditionLayout, target, identifier: str) -> None:
    """Write an edition joined from its parts to `target` (a path or a binary stream)."""
    if layout.identifier != identifier:
        raise RuntimeError(f"an edition joined as {layout.identifier!r} written as "
                           f"{identifier!r}")
    if hasattr(target, "write"):
        target.write(layout.pdf)
    else:
        Path(target).write_bytes(layout.pdf)


def layout_inputs(found: list[tuple[str, str]], edition: str) -> str:
    from booklet.freshness import read_by

    digest = hashlib.sha256()
    for rel, value in found:
        # Not the EPUB's stylesheet, say: no print part reads it.
        if rel.startswith(_LAYOUT_INPUTS) and read_by(edition, rel):
            digest.update(f"{rel}\0{value}\n".encode())
    return digest.hexdigest()


def warm_up_job(project, stylesheet: str, language: str) -> PartJob:
    return PartJob("essay", WARM_UP_HTML.format(lang=html_escape.escape(language)),
                   str(project.root), tuple(str(r) for r in project.readable_roots()),
                   stylesheet, "warm-up")


class _Parts:
    """Makes the jobs of one edition and runs them, from the cache where it can."""

    def __init__(self, project, edition: str, stylesheet: str, found: list[tuple[str, str]],
                 cache: PartCache):
        self.edition = edition
        self.root = str(project.root)
        self.roots = tuple(str(r) for r in project.readable_roots())
        self.stylesheet = stylesheet
        self.inputs = layout_inputs(found, edition)
        # A part reads the content files its HTML names (figures) and what lies beside
        # them (an SVG may draw another file): those folders' files are its inputs too.
        self.content = [(rel[len("content/"):], value) for rel, value in found
                        if rel.startswith("content/")]
        self.cache = cache
        self.laid_out = 0
        self.reused = 0

    def job(self, kind: str, html: str) -> PartJob:
        folders = {name.rsplit("/", 1)[0] for name, _ in self.content
                   if "/" in name and "content/" + quote(name) in html}
        named = "".join(f"{name}\0{value}\n" for name, value in self.content
                        if name.rsplit("/", 1)[0] in folders)
        inputs = hashlib.sha256(f"{self.inputs}\n{named}".encode()).hexdigest()
        return PartJob(kind, html, self.root, self.roots, self.stylesheet,
                       part_digest(kind, html, self.stylesheet, inputs))

    def run(self, jobs: list[PartJob]):
        """The layouts of `jobs`, from the cache where it can: a generator that yields
        the jobs still to lay out and is sent their layouts (lay_out_side_by_side)."""
        found = {job.digest: self.cache.get(job, self.edition) for job in jobs}
        wanted = list({job.digest: job for job in jobs if found[job.digest] is None}.values())
        results = (yield wanted) if wanted else []
        for job, result in zip(wanted, results):
            self.cache.put(job, result, self.edition)
            found[job.digest] = result
        self.laid_out += len(wanted)
        self.reused += len({job.digest for job in jobs}) - len(wanted)
        return [found[job.digest] for job in jobs]


def lay_out_side_by_side(steps: dict, lay_out_parts) -> dict[str, EditionLayout]:
    """Several editions at once: each edition_steps generator yields the parts it needs
    laid out next (its essays, then its front matter, then its furniture); the parts
    all the editions need at one step go to `lay_out_parts` together (the pipeline
    spreads them over the cores), and each edition is sent its own."""
    done: dict[str, EditionLayout] = {}
    waiting: dict[str, list[PartJob]] = {}

    def advance(name: str, results) -> None:
        try:
            waiting[name] = steps[name].send(results)
        except StopIteration as stop:
            done[name] = stop.value

    for name in steps:
        advance(name, None)
    while waiting:
        asked = list(waiting.items())
        waiting.clear()
        results = iter(lay_out_parts([job for _, jobs in asked for job in jobs]))
        # Each edition gets back as many layouts as it asked for, in its own order.
        for name, jobs in asked:
            advance(name, [next(results) for _ in jobs])
    return done


def edition_steps(print_parts, booklet, project, edition: str, stylesheet: str,
                  sheet_pages: int, identifier: str, found: list[tuple[str, str]],
                  cache: PartCache):
    """The steps of one edition's layout (a generator: see lay_out_side_by_side); its
    value is the EditionLayout. `cache` keeps the new parts until the build commits it
    (write/print/part_cache.py)."""
    from booklet.write.print.tables import refuse_wide_tables

    cache.start(edition)
    parts = _Parts(project, edition, stylesheet, found, cache)
    blank_html = BLANK_HTML.format(lang=html_escape.escape(booklet.language))
    *essays, back, blank = yield from parts.run(
        [parts.job("essay", html) for html in print_parts.essays]
        + [parts.job("back", print_parts.back), parts.job("blank", blank_html)])
    refuse_wide_tables([t for part in essays for t in part.wide_tables], booklet)

    front_count = cache.front_pages(edition) or FRONT_PAGES_GUESS
    for _ in range(4):
        order = _arrange(front_count, [len(e.pages) for e in essays], len(back.pages),
                         sheet_pages)
        toc = {essay.anchor: order.essay_first_pages[i] for i, essay in enumerate(booklet.essays)}
        (front,) = yield from parts.run([parts.job("front", print_parts.front(toc))])
        if len(front.pages) == front_count:
            break
        front_count = len(front.pages)
    else:
        raise RuntimeError("the front matter's page count does not settle")
    refuse_wide_tables(list(front.wide_tables), booklet)

    # The parts in reading order, and each booklet page's place among them.
    layouts = {"front": front, "back": back, "blank": blank}
    sequence: list[PartLayout] = []
    places: list[PagePlace] = []
    heads: list[str] = []
    names: list[str] = []
    occurrence: dict[object, int] = {}
    for kind, number, page in order.pages:
        layout = essays[number] if kind == "essay" else layouts[kind]
        key = (kind, number) if kind != "blank" else ("blank", len(places))
        if key not in occurrence:
            occurrence[key] = len(sequence)
            sequence.append(layout)
        places.append(PagePlace(occurrence[key], page))
        facts = layout.pages[page]
        names.append("blank" if facts.blank or kind == "blank" else facts.name)
        essay = booklet.essays[number] if kind == "essay" else None
        heads.append(f"{essay.author} · {essay.short_title}" if essay else "")

    (furniture,) = yield from parts.run(
        [parts.job("furniture", _furniture_html(booklet, names, heads))])
    folios = [page.folio for page in furniture.pages]
    if len(folios) != len(places):
        raise RuntimeError(f"the furniture has {len(folios)} pages, the booklet {len(places)}")
    joining = functools.partial(
        _join, [layout.pdf for layout in sequence], places, furniture.pdf,
        [page.furnished for page in furniture.pages], identifier, set(front.stand_ins),
        (print_parts.front_date, print_parts.timestamp))

    number_of = {(place.part, place.page): n for n, place in enumerate(places)}
    starts = []
    for index, layout in enumerate(sequence):
        for page, block, words in layout.starts:
            label = folios[number_of[(index, page)]] if (index, page) in number_of else ""
            if label:
                starts.append(PageStart(label, block, words))
    cache.finish(edition, parts.laid_out, parts.reused, len(front.pages), parts.inputs)
    return EditionLayout(joining, identifier, len(places), tuple(starts), parts.laid_out,
                         parts.reused)


def _join(*args) -> bytes:
    # pikepdf is imported by the process that writes the PDF, not by the one arranging
    # the parts, whose time is the build's (write/print/join.py).
    from booklet.write.print.join import join

    return join(*args)


@dataclass(frozen=True)
class _Order:
    pages: list[tuple[str, int, int]]  # (part kind, essay number, page in the part)
    essay_first_pages: list[int]


def _arrange(front: int, essays: list[int], back: int, sheet_pages: int) -> _Order:
    pages = [("front", 0, i) for i in range(front)]
    firsts = []
    for number, count in enumerate(essays):
        if len(pages) % 2:  # an essay opens on a right-hand (odd) page
            pages.append(("blank", 0, 0))
        firsts.append(len(pages) + 1)
        pages.extend(("essay", number, i) for i in range(count))
    pages.extend(("back", 0, i) for i in range(back))
    # Blank pages to whole sheets go before the last page: the colophon is the back.
    missing = -len(pages) % sheet_pages
    pages[-1:-1] = [("blank", 0, 0)] * missing
    return _Order(pages, firsts)


def _furniture_html(booklet, names: list[str], heads: list[str]) -> str:
    pages = "".join(
        '<div class="furniture-page"' + (f' style="page: {name}"' if name else "")
        + f' data-running-head="{html_escape.escape(head)}"></div>\n'
        for name, head in zip(names, heads))
    return (f'<!DOCTYPE html>\n<html lang="{html_escape.escape(booklet.language)}">'
            f"<head><meta charset=\"utf-8\"/></head><body>\n{pages}</body></html>\n")

