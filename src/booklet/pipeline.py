"""content -> render -> write: the whole build, one way through."""

from __future__ import annotations

import sys
from datetime import datetime, timezone
from pathlib import Path

from booklet.content import load_booklet
from booklet.errors import BookletError, Problem
from booklet.project import Project
from booklet.render import render_epub, render_print
from booklet.render.cover import cover_png
from booklet.write.epub import write_epub
from booklet.write.output import atomic_outputs
from booklet.write.pagemap import page_starts
from booklet.write.pdf import lay_out, write_pdf

FORMATS = ("pdf", "epub")


def build(project: Project, formats: tuple[str, ...] = FORMATS) -> None:
    booklet = load_booklet(project.content)
    for warning in booklet.warnings:
        print(warning, file=sys.stderr)
    timestamp = project.timestamp()
    iso = datetime.fromtimestamp(timestamp, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    # One layout of the print edition serves the PDF and the EPUB's page-list.
    layout = lay_out(render_print(booklet, iso), project.styles, project.readable_roots())
    targets = {"pdf": project.pdf, "epub": project.epub}
    wanted = [name for name in FORMATS if name in formats]
    # Both outputs are written in full before either replaces the last good build.
    try:
        with atomic_outputs([targets[name] for name in wanted]) as temporaries:
            paths = dict(zip(wanted, temporaries))
            if "epub" in paths:
                write_epub(booklet, render_epub(booklet), page_starts(layout),
                           cover_png(booklet, project.styles / "fonts"), paths["epub"],
                           project.styles, timestamp)
            if "pdf" in paths:
                write_pdf(layout, paths["pdf"], booklet.identifier)
    except OSError as exc:  # a full disk, a read-only build/ …: the editor's machine, not content
        raise BookletError(Problem("B400", f"writing an output failed ({exc.strerror or exc})",
                                   Path(exc.filename) if exc.filename else project.build,
                                   hint="check there is free space and build/ is writable"
                                   )) from None
