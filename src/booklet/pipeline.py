"""content -> render -> write: the whole build, one way through."""

from __future__ import annotations

import contextlib
import functools
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from booklet.content import load_booklet
from booklet.errors import BookletError, Problem
from booklet.freshness import (Stamps, edition_time, input_key, page_starts_key,
                               sources)
from booklet.project import Project
from booklet.write.output import atomic_outputs


@dataclass(frozen=True)
class PrintEdition:
    """A PDF laid out from the print HTML with its own stylesheet."""

    name: str  # as on the command line: booklet build NAME
    label: str  # for the editor: what the stage line says
    stylesheet: str  # in styles/
    sheet_pages: int  # pages are padded to a multiple of this (4: a folded sheet)


# The standard edition comes first: its layout also gives the EPUB its page starts.
PRINT_EDITIONS = (
    PrintEdition("pdf", "standard A5 edition", "print.css", 4),
    PrintEdition("large-print", "large print A4 edition", "large-print.css", 2),
)
# The print shop's is laid out like them, in the write step (#14).
PRINT_SHOP = PrintEdition("print-shop", "print shop edition", "print-shop.css", 4)
# The web edition comes last: it offers the PDFs and the EPUB as downloads.
FORMATS = (*(e.name for e in PRINT_EDITIONS), "epub", "print-shop", "home-print", "web")
# What an output is made from, built first when out of date: the home-printed booklet
# is imposed from the standard PDF's pages (#14); the web edition copies the standard
# and large-print PDFs and the EPUB, so its copies are of this build (#15).
NEEDS = {"home-print": ("pdf",), "web": ("pdf", "large-print", "epub")}


class Progress:
    """One line per stage with its time, so the editor sees what a build is doing."""

    def __init__(self, quiet: bool = False):
        self.quiet = quiet

    @contextlib.contextmanager
    def stage(self, name: str):
        started = time.perf_counter()
        detail: list[str] = []
        yield detail
        if not self.quiet:
            took = time.perf_counter() - started
            print(f"{name:<8}{took:6.2f} s  {'; '.join(detail)}".rstrip(), flush=True)


def build(project: Project, formats: tuple[str, ...] = FORMATS,
          progress: Progress | None = None, crop_marks: bool = False) -> dict[str, bool]:
    """Build the wanted outputs; {format: True if written, False if already up to date}."""
    progress = progress or Progress(quiet=True)
    with progress.stage("content") as said:
        booklet = load_booklet(project.content)  # always: content errors must never go unseen
        for warning in booklet.warnings:
            print(warning, file=sys.stderr)
        said.append(f"{len(booklet.essays)} essays, "
                    f"{sum(len(e.references) for e in booklet.essays)} references")
    targets = {name: project.output(name) for name in FORMATS}  # build/booklet.pdf …
    formats = (*formats, *(need for name in formats for need in NEEDS.get(name, ())))
    wanted = [name for name in FORMATS if name in formats]
    stamps = Stamps(project.build)
    found = sources(project.root)
    timestamp = edition_time(project, found, stamps)

    # Each print edition is laid out only when its PDF is out of date; the standard one
    # also when the EPUB needs page starts that are not kept for this layout.
    keys = {e.name: input_key(e.name, found, timestamp) for e in PRINT_EDITIONS}
    starts = stamps.page_starts(keys["pdf"])
    to_lay_out = [e for e in PRINT_EDITIONS
                  if (e.name in wanted and not stamps.fresh(e.name, keys[e.name],
                                                            targets[e.name]))
                  or (e.name == "pdf" and ("epub" in wanted or "web" in wanted)
                      and starts is None)]
    layouts = {}
    # The print HTML, rendered once for every layout that needs it: the whole booklet
    # (the home-printed cover's) and its parts (every print edition's, write/parts.py).
    print_html = functools.cache(lambda: _render_print(booklet, timestamp, project))
    print_parts = functools.cache(lambda: _render_print_parts(booklet, timestamp, project))
    # The laid-out parts kept between builds (build/parts/): this build's new ones are
    # kept only once its outputs are written, like the stamps.
    from booklet.write.part_cache import PartCache

    parts_cache = PartCache(project.build / "parts")
    for edition in to_lay_out:
        with progress.stage("layout") as said:
            layouts[edition.name] = _lay_out(print_parts(), project, edition, booklet, found,
                                             parts_cache)
            said.append(_layout_said(edition.label, layouts[edition.name]))
    if "pdf" in layouts:
        starts = list(layouts["pdf"].starts)
    if starts is not None:  # else the EPUB is not wanted, and no layout gave page starts
        keys["epub"] = input_key("epub", found, timestamp, page_starts_key(starts))
        # The web edition: its own sources, the page starts, and the downloads it copies
        # (by their keys, which fix their bytes).
        keys["web"] = input_key("web", found, timestamp, "\n".join(
            [page_starts_key(starts), keys["pdf"], keys["large-print"], keys["epub"]]))
    # The print shop's own layout (with or without marks) and the home-printed booklet
    # are made in the write step (#14): they give nothing that another output needs.
    keys["print-shop"] = input_key("print-shop", found, timestamp,
                                   "crop-marks" if crop_marks else "")
    keys["home-print"] = input_key("home-print", found, timestamp)
    stale = [name for name in wanted if not stamps.fresh(name, keys[name], targets[name])]

    try:
        _write({name: targets[name] for name in stale}, booklet, project, layouts, starts,
               timestamp, progress, print_html, crop_marks, print_parts, found, parts_cache)
        for name in stale:
            stamps.record(name, keys[name], targets[name])
        parts_cache.commit()
        if starts is not None:
            stamps.record_page_starts(keys["pdf"], starts)
        stamps.save()
    except OSError as exc:  # a full disk, a read-only build/ …: the editor's machine, not content
        raise BookletError(Problem("B400", f"writing an output failed ({exc.strerror or exc})",
                                   Path(exc.filename) if exc.filename else project.build,
                                   hint="check there is free space and build/ is writable"
                                   )) from None
    return {name: name in stale for name in wanted}


# Render and write are imported only when there is work to do: WeasyPrint's import alone
# takes most of a second, and an up-to-date build needs none of it.

def _render_print(booklet, timestamp: int, project: Project) -> str:
    from booklet.render import render_print
    from booklet.typefaces import load_typefaces

    iso = datetime.fromtimestamp(timestamp, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return render_print(booklet, iso, load_typefaces(project.styles))


def _render_print_parts(booklet, timestamp: int, project: Project):
    from booklet.render.templates import render_print_parts
    from booklet.typefaces import load_typefaces

    iso = datetime.fromtimestamp(timestamp, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return render_print_parts(booklet, iso, load_typefaces(project.styles))


def _identifier(booklet, edition_name: str) -> str:
    # Each edition is a file of its own: its own file identifier.
    return booklet.identifier + ("" if edition_name == "pdf" else f"#{edition_name}")


def _lay_out(print_parts, project: Project, edition: PrintEdition, booklet, found,
             parts_cache):
    """An edition's layout, joined from its parts (write/booklet_layout.py)."""
    from booklet.write.booklet_layout import lay_out_edition

    return lay_out_edition(print_parts, booklet, project, edition.name, edition.stylesheet,
                           edition.sheet_pages, _identifier(booklet, edition.name), found,
                           parts_cache)


def _layout_said(label: str, layout) -> str:
    return (f"{label}: {layout.pages} pages; {layout.laid_out} parts laid out, "
            f"{layout.reused} kept")


def _write(stale: dict[str, Path], booklet, project: Project, layouts: dict, starts,
           timestamp: int, progress: Progress, print_html, crop_marks: bool = False,
           print_parts=None, found=(), parts_cache=None) -> None:
    """Write the stale outputs in full before any of them replaces the last good build."""
    if not stale:
        return
    from booklet.render import render_epub
    from booklet.render.cover import cover_png
    from booklet.write.epub import write_epub
    from booklet.write.pdf import write_pdf

    with atomic_outputs(list(stale.values()), folders={project.web}) as temporaries:
        paths = dict(zip(stale, temporaries))
        if "epub" in paths:
            with progress.stage("epub") as said:
                write_epub(booklet, render_epub(booklet), starts,
                           cover_png(booklet, project.styles), paths["epub"],
                           project.styles, timestamp)
                said.append(f"{len(starts)} print page numbers")
        for edition in PRINT_EDITIONS:
            if edition.name in paths:
                with progress.stage("pdf") as said:
                    write_pdf(layouts[edition.name], paths[edition.name],
                              _identifier(booklet, edition.name))
                    said.append(f"{stale[edition.name].name}: tagged PDF/UA-1")

        # After the standard PDF, which the home-printed booklet is imposed from (#14).
        _write_print_editions(paths, booklet, project, print_html, progress, crop_marks,
                              print_parts, found, parts_cache)
        if "web" in paths:  # last: it copies the PDFs and EPUB just written
            with progress.stage("web") as said:
                said.append(_write_web(booklet, project, starts, paths,
                                       {name: project.output(name)
                                        for name in ("pdf", "large-print", "epub")}))


def _write_print_editions(paths: dict[str, Path], booklet, project: Project, print_html,
                          progress: Progress, crop_marks: bool, print_parts,
                          found, parts_cache) -> None:
    """The print shop's PDF and the home-printed booklet (#14 items 3 and 4), each one
    writer in write/ and one stylesheet in styles/."""
    from booklet.write.pdf import lay_out

    roots = project.readable_roots()
    if "print-shop" in paths:
        from booklet.write.print_shop import write_print_shop

        with progress.stage("shop") as said:
            pages = _lay_out(print_parts(), project, PRINT_SHOP, booklet, found, parts_cache)
            write_print_shop(pages, paths["print-shop"], booklet.identifier, crop_marks)
            said.append(f"{pages.pages} pages, 3 mm bleed, CMYK"
                        + (", crop marks" if crop_marks else "")
                        + f"; {pages.laid_out} parts laid out, {pages.reused} kept")
    if "home-print" in paths:
        from booklet.write.home_print import home_cover_html, write_home_print

        with progress.stage("home") as said:
            note = (f"This copy is for printing at home. To read the booklet on screen or "
                    f"with a screen reader, use the accessible editions from the "
                    f"{booklet.publisher}: {project.pdf.name} (a tagged PDF) and "
                    f"{project.epub.name} (an EPUB book).")
            cover = lay_out(home_cover_html(print_html(), note),
                            project.root, roots, "home-print.css", sheet_pages=1)
            write_home_print(paths.get("pdf", project.pdf), cover, paths["home-print"],
                             f"{booklet.title}: {booklet.subtitle}",
                             project.content / "booklet.yaml")
            said.append("A4 sheets, both sides, a light cover")


def _write_web(booklet, project: Project, starts, paths: dict[str, Path],
               built: dict[str, Path]) -> str:
    from booklet.render import render_web
    from booklet.render.cover import cover_png
    from booklet.write.web import downloads, write_web

    # Each download as this build leaves it: just written (a temporary), or kept.
    written = {path: paths[fmt] for fmt, path in built.items() if fmt in paths}
    files = {path.name: written.get(path, path) for path in project.downloads
             if written.get(path, path).is_file()}
    cover = cover_png(booklet, project.styles) if booklet.site_url else None
    marked = write_web(booklet, render_web(booklet, downloads(files)), starts, paths["web"],
                       project.styles, files, cover)
    return f"{len(booklet.essays) + 1} pages, {marked} print page numbers"


def epub_is_current(project: Project) -> bool:
    """True if build/booklet.epub is what a build of content/ now would make: the same
    question `build` asks, without building or recording anything."""
    stamps = Stamps(project.build)
    found = sources(project.root)
    timestamp = edition_time(project, found, stamps)
    starts = stamps.page_starts(input_key("pdf", found, timestamp))
    if starts is None:
        return False
    key = input_key("epub", found, timestamp, page_starts_key(starts))
    return stamps.fresh("epub", key, project.epub)

