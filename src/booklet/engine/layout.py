"""Pages laid out with WeasyPrint: one part of a print edition, or a page laid out whole.

`lay_out_part` takes and returns plain data (write/print/parts.py: the part's HTML in,
its tagged PDF and a few facts about its pages out), so that it can run in another
process and its result can be kept in build/parts/ between builds: WeasyPrint's own
objects can do neither. `lay_out_whole` is for what is laid out in one piece (the
home-printed booklet's cover); its result is a `WholeLayout`, which says its page count
and writes its PDF, and hands out nothing of WeasyPrint's.

Every layout here is made inside the same patches of WeasyPrint's line breaker
(trailing_space.py, hyphen_runs.py), from the shipped fonts only (fonts.py), reading
only through the sandbox (fetcher.py), and written with our tag builder (tagging.py).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
from pathlib import Path

import booklet.engine.weasyprint_import  # noqa: F401  (first: see its docstring)
from weasyprint import CSS, HTML

from booklet.engine.fetcher import PROJECT_URL, SandboxedFetcher, refusals
from booklet.engine.fonts import shipped_font_configuration, unshipped_characters
from booklet.engine.hyphen_runs import hyphen_ladder_limit
from booklet.engine.pages import page_facts, page_starts, stand_in_ids, wide_tables
from booklet.engine.tagging import booklet_tagging
from booklet.engine.trailing_space import hanging_trailing_space
from booklet.errors import BookletError, Problem
from booklet.typefaces import describe, load_typefaces
from booklet.write.print.parts import FURNITURE_CSS, PART_CSS, PartJob, PartLayout

_PREPARED: dict = {}


def prepare(job: PartJob):
    """The edition's stylesheet parsed and its fonts configured, once per process and
    stylesheet: the build prepares them before it forks the part layouts (parallel.py),
    so that no part pays for them again. Keyed by everything they are made from; the
    stylesheet's own files are fixed for the length of a build."""
    key = _prepared_key(job)
    if key not in _PREPARED:
        root = Path(job.root)
        fetcher = SandboxedFetcher([Path(r) for r in job.roots], root)
        typefaces = load_typefaces(root / "styles")
        fonts = shipped_font_configuration(typefaces.families)
        # Filled by a stylesheet's @color-profile rules (the print shop's output intent);
        # the same dict must reach the rendering, or WeasyPrint forgets the profiles.
        profiles: dict = {}
        with refusals(fetcher, root / "styles" / job.stylesheet):
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
    write/print/layout.py) in this process, before it forks the parts: a part laid out
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
    require_harfbuzz_subset()
    root = Path(job.root)
    fetcher = SandboxedFetcher([Path(r) for r in job.roots], root)
    furniture = job.kind == "furniture"
    typefaces, fonts, css, own, profiles = prepare(job)
    with _patched_layout(fetcher, root / "styles" / job.stylesheet):
        document = HTML(string=job.html, base_url=PROJECT_URL, url_fetcher=fetcher).render(
            stylesheets=[css, own], font_config=fonts, color_profiles=profiles)
    _refuse_unshipped(document, root, typefaces)
    pages = page_facts(document, furniture)
    out = io.BytesIO()
    identifier = job.digest[:32].encode()
    if furniture:
        # Drawn over the tagged pages as one Artifact each (write/print/join.py): no tags.
        document.write_pdf(out, pdf_identifier=identifier)
        return PartLayout(out.getvalue(), pages)
    starts = page_starts(document, [str(i) for i in range(len(document.pages))])
    with booklet_tagging(pages_later=True):
        document.write_pdf(out, pdf_variant="pdf/ua-1", pdf_identifier=identifier)
    return PartLayout(out.getvalue(), pages,
                      tuple((int(s.label), s.block_id, s.words_before) for s in starts),
                      tuple(wide_tables(document)), tuple(sorted(stand_in_ids(document))))


@contextlib.contextmanager
def _patched_layout(fetcher: SandboxedFetcher, stylesheet: Path):
    """Refused fetches as the editor's error; the line breaker's two fixes (the ladder
    limit wraps the trailing-space fix: a line it unhyphenates is fitted too)."""
    with refusals(fetcher, stylesheet), hanging_trailing_space(), hyphen_ladder_limit():
        yield


class WholeLayout:
    """Pages laid out in one piece, padded to whole sheets (lay_out_whole)."""

    def __init__(self, document):
        self._document = document

    @property
    def pages(self) -> int:
        return len(self._document.pages)

    def tagged_pdf(self, identifier: str) -> bytes:
        """The pages as a tagged PDF/UA-1 file whose file identifier comes from
        `identifier` (the same edition always gets the same one)."""
        out = io.BytesIO()
        with booklet_tagging():
            self._document.write_pdf(
                out, pdf_variant="pdf/ua-1",
                pdf_identifier=hashlib.sha256(identifier.encode()).hexdigest()[:32].encode())
        return out.getvalue()

    def plain_pdf(self, pages: int | None = None) -> bytes:
        """The first `pages` pages (all by default) as an untagged PDF: a page to be
        placed in another file, which has tags of its own or none."""
        out = io.BytesIO()
        document = self._document
        if pages is not None:
            document = document.copy(document.pages[:pages])
        document.write_pdf(out)
        return out.getvalue()


def lay_out_whole(html: str, root: Path, roots: list[Path], stylesheet: str = "print.css",
                  sheet_pages: int = 4) -> WholeLayout:
    """`html` laid out in one piece with styles/`stylesheet`, padded to a multiple of
    `sheet_pages` pages (blank pages before the last, so a colophon stays on the back).

    `html` names its resources relative to the project folder `root` (content/…,
    styles/…); `roots` are the folders it may read. A single page (the home-printed
    booklet's cover) takes sheet_pages=1: it is not padded.
    """
    require_harfbuzz_subset()
    styles_dir = root / "styles"
    fetcher = SandboxedFetcher(roots, root)
    typefaces = load_typefaces(styles_dir)
    fonts = shipped_font_configuration(typefaces.families)  # no system font: fonts.py
    profiles: dict = {}  # as in `prepare`
    with _patched_layout(fetcher, styles_dir / stylesheet):
        css = CSS(url=PROJECT_URL + "styles/" + stylesheet, url_fetcher=fetcher,
                  font_config=fonts, color_profiles=profiles)
        document = HTML(string=html, base_url=PROJECT_URL, url_fetcher=fetcher).render(
            stylesheets=[css], font_config=fonts, color_profiles=profiles)
        missing = -len(document.pages) % sheet_pages
        if missing:
            blank = HTML(string='<html lang="en"><body>'
                         + '<div class="blank-page"></div>' * missing,
                         base_url=PROJECT_URL, url_fetcher=fetcher).render(
                stylesheets=[css], font_config=fonts, color_profiles=profiles)
            document = document.copy(document.pages[:-1] + blank.pages[:missing]
                                     + document.pages[-1:])
    _refuse_unshipped(document, root, typefaces)
    return WholeLayout(document)


def _refuse_unshipped(document, root: Path, typefaces) -> None:
    missing = unshipped_characters(document, typefaces)
    if missing:
        raise BookletError([Problem(
            "B251", f"the character {describe(char)} in {line[:60]!r} is in no font in "
            "styles/fonts/", root / "styles" / "fonts.css",
            hint="a template or stylesheet adds it: change it there, or add an OFL font "
                 "that has it to styles/fonts/ and declare it in styles/fonts.css")
            for char, line in missing])


def require_harfbuzz_subset() -> None:
    """The declared font subsetter is HarfBuzz's. Without libharfbuzz-subset WeasyPrint
    quietly falls back to fontTools, and the same tree makes a different PDF on each
    kind of machine; so its absence stops the build instead."""
    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset

    if harfbuzz_subset is None or not harfbuzz.hb_version_atleast(4, 1, 0):
        raise BookletError(Problem(
            "B420", "the font subsetter HarfBuzz-Subset (libharfbuzz-subset0, 4.1 or newer) "
            "is not installed", hint="run make, which installs it, or: "
            "sudo apt-get install libharfbuzz-subset0"))


def srgb_profile() -> bytes:
    """The sRGB ICC profile WeasyPrint ships (and writes as its own output intent): the
    print shop's file declares its artwork's RGB in it."""
    from importlib.resources import files

    return (files("weasyprint.pdf") / "sRGB2014.icc").read_bytes()
