"""content -> render -> write: the whole build, one way through."""

from __future__ import annotations

import sys
from datetime import datetime, timezone

from booklet.content import load_booklet
from booklet.project import Project
from booklet.render import render_epub, render_print
from booklet.write.epub import write_epub
from booklet.write.pdf import write_pdf

FORMATS = ("pdf", "epub")


def build(project: Project, formats: tuple[str, ...] = FORMATS) -> None:
    booklet = load_booklet(project.content)
    for warning in booklet.warnings:
        print(warning, file=sys.stderr)
    timestamp = project.timestamp()
    if "pdf" in formats:
        iso = datetime.fromtimestamp(timestamp, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        write_pdf(render_print(booklet, iso), project.pdf, project.styles,
                  project.readable_roots(), booklet.identifier)
    if "epub" in formats:
        write_epub(booklet, render_epub(booklet), project.epub, project.styles, timestamp)
