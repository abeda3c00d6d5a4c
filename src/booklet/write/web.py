"""The web edition: the rendered pages, with the print page numbers, into a folder.

build/web/ is a static site a union can upload as it is: HTML pages, one stylesheet, the
fonts it names, the figures, and copies of the PDF and EPUB to download. Everything a
page asks for is in the folder, by a relative address, so a reader's browser makes no
request anywhere else, and the folder works from any place it is put.

The print page numbers are placed as in the EPUB (write/epub/pages.py): where each page of
the PDF begins, found by block id and words before. Here they are hidden markers a
reader can turn on (styles/web.css), so a member can say "page 24" in a meeting.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from lxml import etree

from booklet.content.model import Booklet
from booklet.render.templates import Document, Download, epub_image_name
from booklet.write.epub.pages import place_markers
from booklet.write.sandbox import shipped_stylesheet
from booklet.write.print.page_start import PageStart

XHTML = "http://www.w3.org/1999/xhtml"
STYLESHEET = "web.css"

def downloads(available: dict[str, Path], offered: dict) -> list[Download]:
    """The downloads to offer, in order: {name in the folder: the file to copy}, and
    how each is offered ({name: editions.Offered})."""
    out = []
    for name, source in available.items():
        how = offered[name]
        out.append(Download(name, how.label, f"{how.detail}, {_size(source.stat().st_size)}",
                            how.media_type))
    return out


def _size(n: int) -> str:
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f} MB"
    return f"{max(1, round(n / 1000))} kB"


def write_web(booklet: Booklet, documents: list[Document], starts: list[PageStart],
              target: Path, styles_dir: Path, files: dict[str, Path],
              cover: bytes | None) -> int:
    """Write the site into the (empty) folder `target`; returns the number of pages
    marked. `files` are the downloads to copy, by their name in the folder."""
    trees = {d.name: etree.fromstring(d.xhtml.encode()) for d in documents}
    labels = place_markers(trees, starts, _marker, "the web edition")
    _fill_page_list(trees["index.html"], labels)
    for name, tree in trees.items():
        (target / name).write_text(_html(tree), encoding="utf-8")

    css, fonts = shipped_stylesheet(styles_dir / STYLESHEET, [styles_dir],
                                    "the web edition's stylesheet")
    (target / STYLESHEET).write_bytes(css)
    for font in fonts:  # as the stylesheet names them: fonts/…
        (target / font).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(styles_dir / font, target / font)
    for folder in sorted({Path(font).parent for font in fonts}):
        # The Open Font Licences travel with the fonts they cover.
        for licence in sorted((styles_dir / folder).glob("OFL*.txt")):
            shutil.copyfile(licence, target / folder / licence.name)

    images = target / "images"
    for essay in booklet.essays:
        for figure in essay.figures:
            images.mkdir(exist_ok=True)
            shutil.copyfile(figure.path, target / epub_image_name(figure, essay))
    if cover is not None:
        images.mkdir(exist_ok=True)
        (images / "cover.png").write_bytes(cover)
    for name, source in files.items():
        shutil.copyfile(source, target / name)
    return len(labels)


def _marker(label: str) -> etree._Element:
    # No text of its own: "page 24" is drawn by CSS from data-page, and read out only
    # while shown, so the page's words, copied or searched, are the essay's alone. No
    # role either: DPUB-ARIA 1.1 deprecates doc-pagebreak, and a span may not carry an
    # aria-label without one.
    span = etree.Element(f"{{{XHTML}}}span")
    span.set("class", "page-marker")
    span.set("id", f"page-{label}")
    span.set("data-page", label)
    return span


def _fill_page_list(index: etree._Element, labels: list[tuple[str, str]]) -> None:
    nav = index.xpath("//*[@id='page-list']")[0]
    if not labels:
        nav.getparent().remove(nav)
        return
    ol = nav.find(f"{{{XHTML}}}ol")
    for label, name in labels:
        li = etree.SubElement(ol, f"{{{XHTML}}}li")
        a = etree.SubElement(li, f"{{{XHTML}}}a")
        a.set("href", f"{'' if name == 'index.html' else name}#page-{label}")
        a.text = label
        li.tail = "\n"


def _html(tree: etree._Element) -> str:
    """The page as HTML: the XHTML namespace dropped, void elements unclosed."""
    for element in tree.iter():
        if isinstance(element.tag, str):
            element.tag = etree.QName(element).localname
    etree.cleanup_namespaces(tree)
    return "<!DOCTYPE html>\n" + etree.tostring(tree, method="html", encoding="unicode") + "\n"
