"""build/web/: the web edition, a folder to put on the union's website as it is.

An index page and a page per essay, with the printed booklet's page numbers as markers
a reader can show, and the other editions' files to download: each edition it needs
that says how it is offered (Edition.offered), in their order.
"""

from __future__ import annotations

from pathlib import Path

from booklet.editions import edition
from booklet.editions.edition import Edition, Writing


def _write(writing: Writing) -> str:
    from booklet.render import render_web
    from booklet.render.cover import cover_png
    from booklet.write.web import downloads, write_web

    booklet, project = writing.booklet, writing.project
    offered = [edition(name) for name in EDITION.needs if edition(name).offered]
    files = {Path(e.output).name: writing.outputs[e.name] for e in offered
             if writing.outputs[e.name].is_file()}
    cover = cover_png(booklet, project.styles) if booklet.site_url else None
    pages = render_web(booklet, downloads(files, {Path(e.output).name: e.offered
                                                  for e in offered}))
    marked = write_web(booklet, pages, writing.starts, writing.path, project.styles, files,
                       cover)
    return f"{len(booklet.essays) + 1} pages, {marked} print page numbers"


EDITION = Edition(
    name="web", output="web/", order=60, stage="web", write=_write,
    summary="the web edition: pages and the files to download",
    sources=("styles/web.css", "package/templates/web/"), page_starts=True,
    needs=("pdf", "large-print", "epub"))
