"""What a reader's software gets out of the outputs: text, links, anchors, images."""

from __future__ import annotations

import posixpath
import re
import subprocess
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET

XHTML = "{http://www.w3.org/1999/xhtml}"
OPF = "{http://www.idpf.org/2007/opf}"


def words(text: str) -> list[str]:
    """Words as a reader hears them: case, quotes and punctuation dropped.

    A compound's hyphen joins its parts ("relationship-based" is one word), because
    text extractors drop a hyphen that falls at a line end and the two must agree.
    """
    text = re.sub(r"[’'‘`]", "", text.lower())
    text = re.sub(r"(?<=\w)[-‐‑](?=\w)", "", text)
    return re.findall(r"[^\W_]+", text)


def pdf_text(path: Path) -> str:
    """The PDF's text in reading order, as poppler extracts it."""
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                         text=True, check=True)
    return out.stdout


@dataclass
class PdfLinks:
    uris: list[str] = field(default_factory=list)
    internal: list[str] = field(default_factory=list)  # named destinations linked to
    destinations: set[str] = field(default_factory=set)  # named destinations that exist


def pdf_links(path: Path) -> PdfLinks:
    import pikepdf

    links = PdfLinks()
    with pikepdf.open(path) as pdf:
        names = pdf.Root.get("/Names")
        if names is not None and "/Dests" in names:
            links.destinations = {str(k) for k, _ in pikepdf.NameTree(names.Dests).items()}
        for page in pdf.pages:
            for annot in page.obj.get("/Annots", []):
                if annot.get("/Subtype") != "/Link":
                    continue
                action = annot.get("/A")
                if action is not None and action.get("/S") == "/URI":
                    links.uris.append(str(action.URI))
                elif "/Dest" in annot:
                    links.internal.append(str(annot.Dest))
                elif action is not None and action.get("/S") == "/GoTo":
                    links.internal.append(str(action.D))
    return links


@dataclass
class EpubDocument:
    name: str  # path inside the container, relative to the OPF
    root: ET.Element

    def text(self) -> str:
        body = self.root.find(f"{XHTML}body")
        return " ".join(body.itertext()) if body is not None else ""

    def elements(self, tag: str):
        return self.root.iter(f"{XHTML}{tag}")

    def ids(self) -> set[str]:
        return {el.get("id") for el in self.root.iter() if el.get("id")}


def epub_spine(path: Path) -> list[EpubDocument]:
    """The EPUB's content documents in reading order."""
    with zipfile.ZipFile(path) as z:
        container = ET.fromstring(z.read("META-INF/container.xml"))
        opf_path = next(container.iter("{urn:oasis:names:tc:opendocument:xmlns:container}rootfile")).get("full-path")
        opf = ET.fromstring(z.read(opf_path))
        base = posixpath.dirname(opf_path)
        manifest = {i.get("id"): i.get("href") for i in opf.iter(f"{OPF}item")}
        docs = []
        for ref in opf.iter(f"{OPF}itemref"):
            href = manifest[ref.get("idref")]
            docs.append(EpubDocument(href, ET.fromstring(z.read(posixpath.join(base, href)))))
        return docs


@dataclass
class WebPage:
    name: str  # file name in build/web/
    root: ET.Element  # parsed as a browser parses it (html5lib), tags without namespace

    def main(self) -> ET.Element:
        return next(self.root.iter("main"))

    def text(self) -> str:
        """The words of the page's main content: what a reader comes for, without the
        header and footer every page shares."""
        return " ".join(self.main().itertext())

    def elements(self, tag: str):
        return self.root.iter(tag)

    def ids(self) -> set[str]:
        return {el.get("id") for el in self.root.iter() if el.get("id")}


def web_pages(folder: Path, strict: bool = True) -> list[WebPage]:
    """The web edition's pages, the index first and then the essays in name order.

    `strict`: a parse error (what a browser silently repairs) raises
    html5lib.html5parser.ParseError. html5lib is a test tool (pip install -e '.[test]').
    """
    import html5lib

    pages = []
    for path in [folder / "index.html", *sorted(p for p in folder.glob("*.html")
                                                 if p.name != "index.html")]:
        parser = html5lib.HTMLParser(strict=strict, namespaceHTMLElements=False,
                                     tree=html5lib.getTreeBuilder("etree", ET))
        pages.append(WebPage(path.name, parser.parse(path.read_bytes())))
    return pages
