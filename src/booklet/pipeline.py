"""content -> render -> write: the whole build, one way through."""

from __future__ import annotations

import contextlib
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from booklet.content import load_booklet
from booklet.errors import BookletError, Problem
from booklet.freshness import Stamps, edition_time, input_key, page_starts_key, sources
from booklet.project import Project
from booklet.write.output import atomic_outputs

FORMATS = ("pdf", "epub", "print-shop", "home-print")
# The home-printed booklet is imposed from the standard PDF's pages, so building it brings
# the standard PDF up to date first (#14).
NEEDS = {"home-print": ("pdf",)}


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

    # One layout of the print edition serves the PDF and the EPUB's page-list; it is made
    # only when the PDF is out of date or the kept page starts are not this layout's.
    layout_key = input_key("layout", found, timestamp)
    layout, starts = None, stamps.page_starts(layout_key)
    if ("pdf" in wanted and not stamps.fresh("pdf", layout_key, project.pdf)) or (
            "epub" in wanted and starts is None):
        with progress.stage("layout") as said:
            layout = _lay_out(booklet, project, timestamp)
            from booklet.write.pagemap import page_starts

            starts = page_starts(layout)
            said.append(f"{len(layout.pages)} pages")
    keys = {"pdf": layout_key,
            "epub": input_key("epub", found, timestamp, page_starts_key(starts)) if starts
            is not None else "",
            # The print editions (#14): the print shop's own layout, with or without marks.
            "print-shop": input_key("print-shop", found, timestamp,
                                    "crop-marks" if crop_marks else ""),
            "home-print": input_key("home-print", found, timestamp)}
    stale = [name for name in wanted if not stamps.fresh(name, keys[name], targets[name])]

    try:
        _write({name: targets[name] for name in stale}, booklet, project, layout, starts,
               timestamp, progress, crop_marks)
        for name in stale:
            stamps.record(name, keys[name], targets[name])
        if starts is not None:  # none when only the print shop's edition was asked for
            stamps.record_page_starts(layout_key, starts)
        stamps.save()
    except OSError as exc:  # a full disk, a read-only build/ …: the editor's machine, not content
        raise BookletError(Problem("B400", f"writing an output failed ({exc.strerror or exc})",
                                   Path(exc.filename) if exc.filename else project.build,
                                   hint="check there is free space and build/ is writable"
                                   )) from None
    return {name: name in stale for name in wanted}


# Render and write are imported only when there is work to do: WeasyPrint's import alone
# takes most of a second, and an up-to-date build needs none of it.

def _print_html(booklet, timestamp: int) -> str:
    from booklet.render import render_print

    iso = datetime.fromtimestamp(timestamp, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return render_print(booklet, iso)


def _lay_out(booklet, project: Project, timestamp: int):
    from booklet.write.pdf import lay_out

    return lay_out(_print_html(booklet, timestamp), project.root, project.readable_roots())


def _write(stale: dict[str, Path], booklet, project: Project, layout, starts,
           timestamp: int, progress: Progress, crop_marks: bool = False) -> None:
    """Write the stale outputs in full before any of them replaces the last good build."""
    if not stale:
        return
    from booklet.render import render_epub
    from booklet.render.cover import cover_png
    from booklet.write.epub import write_epub
    from booklet.write.pdf import write_pdf

    with atomic_outputs(list(stale.values())) as temporaries:
        paths = dict(zip(stale, temporaries))
        if "epub" in paths:
            with progress.stage("epub") as said:
                write_epub(booklet, render_epub(booklet), starts,
                           cover_png(booklet, project.styles / "fonts"), paths["epub"],
                           project.styles, timestamp)
                said.append(f"{len(starts)} print page numbers")
        if "pdf" in paths:
            with progress.stage("pdf") as said:
                write_pdf(layout, paths["pdf"], booklet.identifier)
                said.append("tagged PDF/UA-1")
        # After the standard PDF, which the home-printed booklet is imposed from (#14).
        _write_print_editions(paths, booklet, project, timestamp, progress, crop_marks)


def _write_print_editions(paths: dict[str, Path], booklet, project: Project, timestamp: int,
                          progress: Progress, crop_marks: bool) -> None:
    """The print shop's PDF and the home-printed booklet (#14 items 3 and 4), each one
    writer in write/ and one stylesheet in styles/."""
    from booklet.write.pdf import lay_out

    roots = project.readable_roots()
    if "print-shop" in paths:
        from booklet.write.print_shop import write_print_shop

        with progress.stage("shop") as said:
            pages = lay_out(_print_html(booklet, timestamp), project.root, roots,
                            "print-shop.css")
            write_print_shop(pages, paths["print-shop"], booklet.identifier, crop_marks)
            said.append(f"{len(pages.pages)} pages, 3 mm bleed, CMYK"
                        + (", crop marks" if crop_marks else ""))
    if "home-print" in paths:
        from booklet.write.home_print import home_cover_html, write_home_print

        with progress.stage("home") as said:
            note = (f"This copy is for printing at home. To read the booklet on screen or "
                    f"with a screen reader, use the accessible editions from the "
                    f"{booklet.publisher}: {project.pdf.name} (a tagged PDF) and "
                    f"{project.epub.name} (an EPUB book).")
            cover = lay_out(home_cover_html(_print_html(booklet, timestamp), note),
                            project.root, roots, "home-print.css", whole_sheets=False)
            write_home_print(paths.get("pdf", project.pdf), cover, paths["home-print"],
                             f"{booklet.title}: {booklet.subtitle}",
                             project.content / "booklet.yaml")
            said.append("A4 sheets, both sides, a light cover")
