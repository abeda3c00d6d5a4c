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

FORMATS = ("pdf", "epub")


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
          progress: Progress | None = None) -> dict[str, bool]:
    """Build the wanted outputs; {format: True if written, False if already up to date}."""
    progress = progress or Progress(quiet=True)
    with progress.stage("content") as said:
        booklet = load_booklet(project.content)  # always: content errors must never go unseen
        for warning in booklet.warnings:
            print(warning, file=sys.stderr)
        said.append(f"{len(booklet.essays)} essays, "
                    f"{sum(len(e.references) for e in booklet.essays)} references")
    targets = {name: getattr(project, name) for name in FORMATS}  # build/booklet.pdf …
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
            "epub": input_key("epub", found, timestamp, page_starts_key(starts))}
    stale = [name for name in wanted if not stamps.fresh(name, keys[name], targets[name])]

    try:
        _write({name: targets[name] for name in stale}, booklet, project, layout, starts,
               timestamp, progress)
        for name in stale:
            stamps.record(name, keys[name], targets[name])
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

def _lay_out(booklet, project: Project, timestamp: int):
    from booklet.render import render_print
    from booklet.typefaces import load_typefaces
    from booklet.write.pdf import lay_out

    iso = datetime.fromtimestamp(timestamp, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    html = render_print(booklet, iso, load_typefaces(project.styles))
    return lay_out(html, project.root, project.readable_roots())


def _write(stale: dict[str, Path], booklet, project: Project, layout, starts,
           timestamp: int, progress: Progress) -> None:
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
                           cover_png(booklet, project.styles), paths["epub"],
                           project.styles, timestamp)
                said.append(f"{len(starts)} print page numbers")
        if "pdf" in paths:
            with progress.stage("pdf") as said:
                write_pdf(layout, paths["pdf"], booklet.identifier)
                said.append("tagged PDF/UA-1")
