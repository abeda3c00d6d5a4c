"""EPUB XHTML documents into the EPUB container with ebooklib."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from ebooklib import epub

from booklet.content.model import Booklet
from booklet.render.templates import Document, epub_image_name
from booklet.write.output import atomic_output

MEDIA_TYPES = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg",
               ".jpeg": "image/jpeg"}


def write_epub(booklet: Booklet, documents: list[Document], target: Path, styles_dir: Path,
               timestamp: int) -> None:
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

    css = epub.EpubItem(uid="style", file_name="styles/epub.css", media_type="text/css",
                        content=(styles_dir / "epub.css").read_bytes())
    book.add_item(css)
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
        if "nav" not in doc.properties:
            toc.append(epub.Link(doc.name, doc.title, f"toc-{number}"))
    book.toc = toc
    book.spine = spine
    book.add_item(epub.EpubNcx())  # for EPUB 2 reading systems; EPUB 3 ones use the nav

    modified = datetime.fromtimestamp(timestamp, tz=timezone.utc).replace(tzinfo=None)
    with atomic_output(target) as tmp:
        epub.write_epub(str(tmp), book, {"mtime": modified, "epub3_pages": False})
