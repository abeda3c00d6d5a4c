"""Print HTML into the PDF booklet with WeasyPrint: lay out once, then write."""

from __future__ import annotations

import contextlib
import hashlib
from pathlib import Path

from booklet.errors import BookletError, Problem
from booklet.typefaces import describe, load_typefaces
from booklet.write.fonts import shipped_font_configuration, unshipped_characters
from booklet.write.hyphen_runs import hyphen_ladder_limit
from booklet.write.pdf_tags import booklet_tagging
from booklet.write.sandbox import PROJECT_URL, SandboxedFetcher
from booklet.write.trailing_space import hanging_trailing_space

PAGES_PER_SHEET = 4  # a folded sheet of a saddle-stitched booklet carries four pages


@contextlib.contextmanager
def _refusals(fetcher: SandboxedFetcher, where: Path):
    from weasyprint.urls import FatalURLFetchingError

    hint = "refer only to files in content/ and styles/"
    try:
        yield
    except FatalURLFetchingError as exc:
        raise BookletError(Problem("B300", "; ".join(fetcher.refused) or str(exc), where,
                                   hint=hint)) from None
    # WeasyPrint logs and skips a failed fetch made from inside an SVG figure rather than
    # raising it, so a refusal may come back only in our own record.
    if fetcher.refused:
        raise BookletError(Problem("B300", "; ".join(fetcher.refused), where, hint=hint))


def lay_out(html: str, root: Path, roots: list[Path], stylesheet: str = "print.css",
            sheet_pages: int = PAGES_PER_SHEET):
    """A print edition's pages (a WeasyPrint Document), padded to whole sheets.

    `html` names its resources relative to the project folder `root` (content/…,
    styles/…); `stylesheet` (in styles/) makes the edition. The standard edition's
    layout gives the PDF and the EPUB's page-list. A single page (the home-printed
    booklet's cover) takes sheet_pages=1: it is not padded.
    """
    from weasyprint import CSS, HTML  # imported here: it is the slowest import by far

    require_harfbuzz_subset()
    styles_dir = root / "styles"
    fetcher = SandboxedFetcher(roots, root)
    typefaces = load_typefaces(styles_dir)
    fonts = shipped_font_configuration(typefaces.families)  # no system font: write/fonts.py
    # Filled by a stylesheet's @color-profile rules (the print shop's output intent); the
    # same dict must reach the rendering, or WeasyPrint forgets the profiles.
    profiles: dict = {}
    base_url = PROJECT_URL
    # The ladder limit wraps the trailing-space fix: a line it unhyphenates is fitted too.
    with _refusals(fetcher, styles_dir / stylesheet), hanging_trailing_space(), \
            hyphen_ladder_limit():
        css = CSS(url=PROJECT_URL + "styles/" + stylesheet, url_fetcher=fetcher,
                  font_config=fonts, color_profiles=profiles)
        document = HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(
            stylesheets=[css], font_config=fonts, color_profiles=profiles)
        missing = -len(document.pages) % sheet_pages
        if missing:
            # Blank pages go before the last page, so the colophon stays on the back.
            blank = HTML(string='<html lang="en"><body>' + '<div class="blank-page"></div>' * missing,
                         base_url=base_url, url_fetcher=fetcher).render(
                stylesheets=[css], font_config=fonts, color_profiles=profiles)
            document = document.copy(document.pages[:-1] + blank.pages[:missing]
                                     + document.pages[-1:])
    _refuse_unshipped(document, root, typefaces)
    return document


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


def write_pdf(document, target, identifier: str) -> None:
    """Write a layout: an edition joined from its parts (write/booklet_layout.py), whose
    bytes are made, or a WeasyPrint Document (a page laid out whole)."""
    joined = getattr(document, "pdf", None)
    if isinstance(joined, bytes):
        if document.identifier != identifier:
            raise RuntimeError(f"an edition joined as {document.identifier!r} written as "
                               f"{identifier!r}")
        if hasattr(target, "write"):
            target.write(joined)
        else:
            Path(target).write_bytes(joined)
        return
    with booklet_tagging():
        document.write_pdf(
            target, pdf_variant="pdf/ua-1",
            # The same edition always gets the same file identifier.
            pdf_identifier=hashlib.sha256(identifier.encode()).hexdigest()[:32].encode(),
        )
