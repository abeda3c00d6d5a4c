"""A Word file into HTML, its images and its document properties, by mammoth.

mammoth reads a .docx for what its styles mean (Heading 1, Title, a list, a footnote)
rather than how it looks, which is what an essay needs: the layout is the booklet's.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from booklet.errors import BookletError, Problem

MAX_BYTES = 50 * 1024 * 1024  # a student's essay with photographs is a few MB

# Word's and LibreOffice's names for what the booklet knows; the rest is a paragraph.
STYLE_MAP = """
p[style-name='Title'] => h1.doc-title:fresh
p[style-name='Subtitle'] => p.doc-subtitle:fresh
p[style-name='Quote'] => blockquote > p:fresh
p[style-name='Intense Quote'] => blockquote > p:fresh
p[style-name='Quotations'] => blockquote > p:fresh
p[style-name='Block Text'] => blockquote > p:fresh
p[style-name='Caption'] => p.caption:fresh
p[style-name='Figure'] => p.caption:fresh
p[style-name='Bibliography'] => p.bibliography:fresh
r[style-name='Strong'] => strong
r[style-name='Emphasis'] => em
r[style-name='Intense Emphasis'] => em
"""

_CORE = {"dc": "http://purl.org/dc/elements/1.1/",
         "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"}


@dataclass
class Image:
    content_type: str
    data: bytes
    alt: str


@dataclass
class Converted:
    html: str
    images: dict[str, Image] = field(default_factory=dict)  # src placeholder -> image
    properties: dict[str, str] = field(default_factory=dict)  # title, creator
    messages: list[str] = field(default_factory=list)  # mammoth's warnings, in its words


def read_docx(path: Path) -> Converted:
    """The document as HTML; a file that is not a readable .docx stops with B130."""
    hint = ("save the document from Word or LibreOffice as 'Word Document (.docx)' and "
            "import that file")
    if not path.is_file():
        raise BookletError(Problem("B130", f"the file {path} does not exist", path, hint=hint))
    if path.stat().st_size > MAX_BYTES:
        raise BookletError(Problem("B130", f"the file {path.name} is larger than "
                                   f"{MAX_BYTES // 2**20} MB", path, hint="make its pictures "
                                   "smaller in Word (Compress Pictures), save, and import again"))
    if not zipfile.is_zipfile(path):
        kind = "an old Word .doc file" if _is_ole(path) else "not a Word .docx file"
        raise BookletError(Problem("B130", f"{path.name} is {kind}", path, hint=hint))
    try:
        with zipfile.ZipFile(path) as archive:
            if "word/document.xml" not in archive.namelist():
                raise BookletError(Problem("B130", f"{path.name} is a zip archive but not a "
                                           "Word document", path, hint=hint))
            properties = _core_properties(archive)
    except (zipfile.BadZipFile, OSError) as exc:
        raise BookletError(Problem("B130", f"{path.name} cannot be read: {exc}", path,
                                   hint=hint)) from None

    import mammoth

    images: dict[str, Image] = {}

    def keep_image(image):
        with image.open() as stream:
            data = stream.read()
        src = f"booklet-image-{len(images) + 1}"
        images[src] = Image(image.content_type or "", data, (image.alt_text or "").strip())
        return {"src": src}

    try:
        with path.open("rb") as stream:
            result = mammoth.convert_to_html(stream, style_map=STYLE_MAP,
                                             convert_image=mammoth.images.img_element(keep_image))
    except Exception as exc:  # mammoth raises whatever the broken XML gives it
        raise BookletError(Problem("B130", f"{path.name} cannot be read as a Word document "
                                   f"({type(exc).__name__}: {exc})", path, hint=hint)) from None
    messages = [m.message for m in result.messages]
    return Converted(result.value, images, properties, messages)


def _is_ole(path: Path) -> bool:
    with path.open("rb") as stream:
        return stream.read(8) == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _core_properties(archive: zipfile.ZipFile) -> dict[str, str]:
    """Title and author as Word's File > Properties hold them (often stale: reported)."""
    try:
        root = ElementTree.fromstring(archive.read("docProps/core.xml"))
    except (KeyError, ElementTree.ParseError):
        return {}
    found = {}
    for name, tag in (("title", "dc:title"), ("creator", "dc:creator")):
        element = root.find(tag, _CORE)
        if element is not None and element.text and element.text.strip():
            found[name] = re.sub(r"\s+", " ", element.text).strip()
    return found
