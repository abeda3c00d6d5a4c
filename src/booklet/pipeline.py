"""content -> render -> write: the whole build, one way through."""

from __future__ import annotations

import sys
from datetime import datetime, timezone

from booklet.content import load_booklet
from booklet.project import Project
from booklet.render import render_epub, render_print
from booklet.render.cover import cover_png
from booklet.write.epub import write_epub
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
    # Both outputs are made before either replaces the last good build.
    if "epub" in formats:
        write_epub(booklet, render_epub(booklet), page_starts(layout),
                   cover_png(booklet, project.styles / "fonts"), project.epub, project.styles,
                   timestamp)
    if "pdf" in formats:
        write_pdf(layout, project.pdf, booklet.identifier)
