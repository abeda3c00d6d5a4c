"""One part of a print edition laid out alone: the front matter, an essay, the back
matter, a blank page, or the page furniture (folios and running heads).

Each essay opens on a right-hand page, so its layout depends on nothing before it but
its page numbers; and those are printed only in the margin boxes. So a part is laid out
with its margin boxes suppressed, written as a tagged PDF (PDF/UA-1, our tag builder),
and handed back as bytes with a few facts about its pages; write/join.py puts the parts
together and lays the furniture of the whole booklet over them.

`lay_out_part` takes and returns plain data (strings, bytes, tuples), so that it can
run in another process and its result can be kept in build/parts/ between builds
(write/part_cache.py): WeasyPrint's own objects can do neither.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

# Where a link's description will say the page it leads to, in a part laid out alone:
# the part does not know its page numbers, the join does (write/join.py). Kept here,
# not in pdf_tags, so that the join (a rebuild with every part kept) never imports
# WeasyPrint.
PAGE_LATER = "\ue000"
# In a part, no margin box prints anything: its page numbers and running head are not
# known to it. `!important` wins over every @page rule of the edition's stylesheet.
_MARGIN_BOXES = ("top-left-corner", "top-left", "top-center", "top-right",
                 "top-right-corner", "right-top", "right-middle", "right-bottom",
                 "bottom-right-corner", "bottom-right", "bottom-center", "bottom-left",
                 "bottom-left-corner", "left-bottom", "left-middle", "left-top")
PART_CSS = "@page { %s }\n" % " ".join(
    f"@{box} {{ content: none !important; }}" for box in _MARGIN_BOXES) + (
    # The back matter ends the booklet, on a left-hand page (the page count is a whole
    # number of sheets): laid out alone it starts on one, with the margins of one.
    "html.back-part { break-before: left; }\n")
# The furniture: one empty page per page of the booklet, with its page name and its
# running head, so that the edition's own @page rules print what they always did.
FURNITURE_CSS = (".furniture-page { break-before: page; height: 1px; "
                 "string-set: running-head attr(data-running-head); }\n"
                 ".furniture-page:first-child { break-before: auto; }\n")


@dataclass(frozen=True)
class PartJob:
    """What a part is made from: its HTML and the edition's stylesheet."""

    kind: str  # "front", "essay", "back", "blank" or "furniture"
    html: str
    root: str  # the project folder
    roots: tuple[str, ...]  # the folders a resource may be read from
    stylesheet: str  # in styles/
    digest: str  # of everything the part is made from (write/part_cache.py)


@dataclass(frozen=True)
class PageFacts:
    name: str  # the @page name: "cover", "front", "back", "blank" or "" (an essay's)
    blank: bool  # a page WeasyPrint left blank (`:blank`)
    folio: str = ""  # furniture only: the page number printed on it, or ""
    furnished: bool = False  # furniture only: something is printed in its margins


@dataclass(frozen=True)
class PartLayout:
    pdf: bytes
    pages: tuple[PageFacts, ...]
    # (page index in the part, block id, words before): the EPUB's page-list, labelled
    # at the join with the folio of the page in the booklet.
    starts: tuple[tuple[int, str, int], ...] = ()
    wide_tables: tuple[tuple[str | None, float], ...] = ()
    stand_ins: tuple[str, ...] = ()  # ids of stand-in link targets (front matter)


_PREPARED: dict = {}


def prepare(job: PartJob):
    """The edition's stylesheet parsed and its fonts configured, once per process and
    stylesheet: the build prepares them before it forks the part layouts (parallel.py),
    so that no part pays for them again. Keyed by everything they are made from; the
    stylesheet's own files are fixed for the length of a build."""
    from weasyprint import CSS

    from booklet.typefaces import load_typefaces
    from booklet.write.fonts import shipped_font_configuration
    from booklet.write.pdf import _refusals
    from booklet.write.sandbox import PROJECT_URL, SandboxedFetcher

    key = _prepared_key(job)
    if key not in _PREPARED:
        root = Path(job.root)
        fetcher = SandboxedFetcher([Path(r) for r in job.roots], root)
        typefaces = load_typefaces(root / "styles")
        fonts = shipped_font_configuration(typefaces.families)
        profiles: dict = {}  # the print shop's output intent (see write/pdf.py)
        with _refusals(fetcher, root / "styles" / job.stylesheet):
            css = CSS(url=PROJECT_URL + "styles/" + job.stylesheet, url_fetcher=fetcher,
                      font_config=fonts, color_profiles=profiles)
            own = CSS(string=FURNITURE_CSS if job.kind == "furniture" else PART_CSS,
                      font_config=fonts)
        if profiles:
            # Colour profiles (the print shop's output intent) are not kept: writing a PDF
            # changes them (WeasyPrint adds its sRGB profile and marks each with its PDF
            # reference), so a second part laid out in the same process would differ
            # from one laid out in a process of its own.
            return typefaces, fonts, css, own, profiles
        if len(_PREPARED) > 16:  # a long watch session: only what the last builds used
            _PREPARED.clear()
        _PREPARED[key] = (typefaces, fonts, css, own, profiles)
    return _PREPARED[key]


def _prepared_key(job: PartJob) -> tuple:
    return (job.root, job.roots, job.stylesheet, job.kind == "furniture",
            _styles_state(Path(job.root)))


def warm_up(job: PartJob) -> None:
    """Prepare the edition and lay out `job` (a few lines in its type, made by
    write/booklet_layout.py) in this process, before it forks the parts: a part laid out
    first in a fresh process paid some 50 ms to open the fonts in Pango and HarfBuzz and
    fill WeasyPrint's caches, and each part is the first of its own process. Only where
    the preparation is kept (not the print shop's, see `prepare`)."""
    prepare(job)
    if _prepared_key(job) in _PREPARED:
        lay_out_part(job)


def _styles_state(root: Path) -> tuple:
    """What styles/ holds now, by names, sizes and times: a warm process (booklet watch)
    prepares again after an edit to a stylesheet or a font."""
    folder = root / "styles"
    return tuple(sorted((str(p.relative_to(folder)), p.stat().st_size, p.stat().st_mtime_ns)
                        for p in folder.rglob("*") if p.is_file()))


def lay_out_part(job: PartJob) -> PartLayout:
    """Lay out and write one part (the one call a process pool can run)."""
    from weasyprint import HTML  # imported here: it is the slowest import by far

    from booklet.write.hyphen_runs import hyphen_ladder_limit
    from booklet.write.pagemap import folio, page_starts
    from booklet.write.pdf import _refusals, _refuse_unshipped, require_harfbuzz_subset
    from booklet.write.pdf_tags import booklet_tagging
    from booklet.write.sandbox import PROJECT_URL, SandboxedFetcher
    from booklet.write.table_fit import wide_tables
    from booklet.write.trailing_space import hanging_trailing_space

    require_harfbuzz_subset()
    root = Path(job.root)
    styles_dir = root / "styles"
    fetcher = SandboxedFetcher([Path(r) for r in job.roots], root)
    furniture = job.kind == "furniture"
    typefaces, fonts, css, own, profiles = prepare(job)
    with _refusals(fetcher, styles_dir / job.stylesheet), hanging_trailing_space(), \
            hyphen_ladder_limit():
        document = HTML(string=job.html, base_url=PROJECT_URL, url_fetcher=fetcher).render(
            stylesheets=[css, own], font_config=fonts, color_profiles=profiles)
    _refuse_unshipped(document, root, typefaces)
    pages = []
    for page in document.pages:
        box = page._page_box
        printed = folio(box) if furniture else ""
        furnished = furniture and any(
            getattr(child, "text", "").strip()
            for margin in box.children if type(margin).__name__ == "MarginBox"
            for child in margin.descendants())
        pages.append(PageFacts(box.page_type.name or "", bool(box.page_type.blank),
                               printed, furnished))
    out = io.BytesIO()
    identifier = job.digest[:32].encode()
    if furniture:
        # Drawn over the tagged pages as one Artifact each (write/join.py): no tags here.
        document.write_pdf(out, pdf_identifier=identifier)
        return PartLayout(out.getvalue(), tuple(pages))
    starts = page_starts(document, [str(i) for i in range(len(document.pages))])
    with booklet_tagging(pages_later=True):
        document.write_pdf(out, pdf_variant="pdf/ua-1", pdf_identifier=identifier)
    stand_ins = tuple(sorted(_stand_in_ids(document)))
    return PartLayout(out.getvalue(), tuple(pages),
                      tuple((int(s.label), s.block_id, s.words_before) for s in starts),
                      tuple(wide_tables(document)), stand_ins)


def _stand_in_ids(document) -> set[str]:
    found = set()
    for page in document.pages:
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if element is not None and element.get("data-stand-in") is not None:
                found.add(element.get("id"))
    return found
