"""EPUB XHTML documents into the EPUB container with ebooklib."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from ebooklib import epub

from booklet.content.model import Booklet
from booklet.render.templates import Document, epub_image_name
from booklet.write.epub.container import finish_container
from booklet.write.epub.pages import add_page_list, insert_page_breaks
from booklet.write.print.page_start import PageStart
from booklet.typefaces import about, declared_faces
from booklet.write.sandbox import FONT_TYPES, shipped_stylesheet

STYLESHEET = "epub.css"
MEDIA_TYPES = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg",
               ".jpeg": "image/jpeg"}

# EPUB Accessibility 1.1: what the book offers, stated so reading systems and
# catalogues can tell a reader before they buy or borrow it.
CONFORMS_TO = "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"
_COUNT = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def _count(n: int, noun: str) -> str:
    return f"{_COUNT[n] if n < len(_COUNT) else n} {noun}{'' if n == 1 else 's'}"


def accessibility_metadata(booklet: Booklet, pages: int,
                           typeface: str | None) -> list[tuple[str, str]]:
    """(property, value) pairs stating what this book offers, from what it holds:
    nothing here may describe essays, figures or a typeface a new edition does not
    have. `typeface` is the family the EPUB's stylesheet sets its text in, if any."""
    figures = sum(len(e.figures) for e in booklet.essays)
    features = ["structuralNavigation", "tableOfContents", "readingOrder",
                "displayTransformability"]
    if figures:
        features += ["alternativeText", "longDescription"]
    if pages:
        features += ["pageNavigation", "printPageNumbers"]
    said = about(typeface, who=False) if typeface else ""
    set_in = (f" It is set in {typeface}{f', {said}' if said else ''}, unless the reader "
              "chooses another: the reader’s own font, sizes and colours apply."
              if typeface else " The reader’s own font, sizes and colours apply.")
    summary = [
        "This e-book’s text reflows and can be read aloud." + set_in,
        f"Headings, a table of contents and landmarks give structure to "
        f"{_count(len(booklet.essays), 'essay')}.",
    ]
    if any(e.citations for e in booklet.essays):
        summary.append("Every citation links to its reference and back.")
    if figures:
        summary.append(("The one figure has" if figures == 1 else
                        f"Each of the {_count(figures, 'figure')} has")
                       + " a short text alternative and a long description in the text.")
    if pages:
        summary.append(f"The {_count(pages, 'print page number')} of the PDF edition are "
                       "marked and listed.")
    summary.append("No accessibility hazards are known.")
    pairs = [("dcterms:conformsTo", CONFORMS_TO)]
    # Everything is in text; figures are also visual, with text that suffices.
    pairs += [("schema:accessMode", "textual")]
    if figures:
        pairs += [("schema:accessMode", "visual")]
    pairs += [("schema:accessModeSufficient", "textual")]
    pairs += [("schema:accessibilityFeature", f) for f in features]
    pairs += [("schema:accessibilityHazard", "none"),
              ("schema:accessibilitySummary", " ".join(summary))]
    return pairs


def _accessibility_metadata(book: epub.EpubBook, booklet: Booklet, pages: int,
                            source: str, typeface: str | None) -> None:
    for prop, value in accessibility_metadata(booklet, pages, typeface):
        book.add_metadata(None, "meta", value, {"property": prop})
    book.add_metadata("DC", "source", source)
    book.add_metadata(None, "meta", source, {"property": "pageBreakSource"})


def write_epub(booklet: Booklet, documents: list[Document], starts: list[PageStart],
               cover: bytes, target: Path, styles_dir: Path, timestamp: int) -> None:
    # The print edition the page numbers come from.
    source = f"{booklet.identifier}#print"
    documents, pages = insert_page_breaks(documents, starts)
    documents = [add_page_list(d, pages, "print edition (PDF)") if "nav" in d.properties else d
                 for d in documents]

    book = epub.EpubBook()
    book.set_identifier(booklet.identifier)
    book.set_title(booklet.title)
    book.set_language(booklet.language)
    for number, essay in enumerate(booklet.essays, 1):
        book.add_author(essay.author, uid=f"creator-{number}")
    book.add_metadata("DC", "publisher", booklet.publisher)
    book.add_metadata("DC", "date", booklet.year)
    if booklet.description:
        book.add_metadata("DC", "description", booklet.description)
    for keyword in booklet.keywords:
        book.add_metadata("DC", "subject", keyword)
    # The family the e-book's stylesheet sets its text in: the first it declares.
    faces = declared_faces(styles_dir / STYLESHEET)
    _accessibility_metadata(book, booklet, len(pages), source,
                            faces[0].family if faces else None)

    css, fonts = shipped_stylesheet(styles_dir / STYLESHEET, [styles_dir],
                                    "the e-book stylesheet")
    book.add_item(epub.EpubItem(uid="style", file_name="styles/epub.css", media_type="text/css",
                                content=css))
    # The booklet's own fonts, as the stylesheet's @font-face rules name them: the
    # default, which a reader's own choice of font overrides. The OFL allows embedding,
    # and each font carries its licence in its name table.
    for number, font in enumerate(fonts):
        book.add_item(epub.EpubItem(uid=f"font-{number}", file_name=f"styles/{font}",
                                    media_type=FONT_TYPES[Path(font).suffix.lower()],
                                    content=(styles_dir / font).read_bytes()))
    cover_item = epub.EpubItem(uid="cover-image", file_name="images/cover.png",
                               media_type="image/png", content=cover)
    cover_item.properties = ["cover-image"]
    book.add_item(cover_item)
    for essay in booklet.essays:
        for figure in essay.figures:
            name = epub_image_name(figure, essay)
            book.add_item(epub.EpubItem(uid=f"img-{essay.slug}-{figure.key}", file_name=name,
                                        media_type=MEDIA_TYPES[figure.path.suffix.lower()],
                                        content=figure.path.read_bytes()))
    spine, toc = [], []
    for number, doc in enumerate(documents):
        item = epub.EpubItem(uid=f"doc-{number}", file_name=doc.name,
                             media_type="application/xhtml+xml", content=doc.xhtml.encode())
        item.properties = list(doc.properties)
        book.add_item(item)
        spine.append(item)
        if "nav" not in doc.properties and doc.name != "cover.xhtml":
            toc.append(epub.Link(doc.name, doc.title, f"toc-{number}"))
    book.toc = toc
    book.spine = spine
    book.add_item(epub.EpubNcx())  # for EPUB 2 reading systems; EPUB 3 ones use the nav

    modified = datetime.fromtimestamp(timestamp, tz=timezone.utc).replace(tzinfo=None)
    # Compressed once, by finish_container, which rewrites every entry: ebooklib's own
    # compression would be undone at once.
    epub.write_epub(str(target), book, {"mtime": modified, "epub3_pages": False,
                                        "compresslevel": 0})
    finish_container(target, booklet.language, timestamp)
