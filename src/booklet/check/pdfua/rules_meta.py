"""Document-level rules: file header, catalog entries, XMP metadata, outlines (5, 6, 7.1, 7.2…).

The XMP packet is read as namespaced XML (minidom keeps prefixes, which 5-3…5-5 are about).
"""

from __future__ import annotations

import re
from xml.dom import minidom
from xml.parsers.expat import ExpatError

import pikepdf

from booklet.check.pdfua.model import LANGUAGE_TAG, Doc, Finding, text, where

RULES = {
    "5-1": "XMP metadata shall hold the PDF/UA identification schema (pdfuaid:part)",
    "5-2": "pdfuaid:part shall be 1",
    "5-3": "The 'part' property shall use the prefix pdfuaid",
    "5-4": "The 'amd' property shall use the prefix pdfuaid",
    "5-5": "The 'corr' property shall use the prefix pdfuaid",
    "6.1-1": "The file header shall be %PDF-1.n (n 0-7) followed by one end-of-line",
    "6.2-1": "The catalog shall have /MarkInfo with /Marked true",
    "7.1-4": "/MarkInfo /Suspects shall not be true",
    "7.1-8": "The catalog shall have a /Metadata stream (Type /Metadata, Subtype /XML)",
    "7.1-9": "XMP metadata shall have a dc:title",
    "7.1-10": "/ViewerPreferences /DisplayDocTitle shall be true",
    "7.1-11": "The catalog shall have a /StructTreeRoot (the document is tagged)",
    "7.2-2": "Outline entries need a determinable language (catalog /Lang)",
    "7.2-29": "Every /Lang (catalog, element, marked content) shall be a language tag",
    "7.2-33": "XMP x-default text needs a determinable language (catalog /Lang)",
    "7.10-1": "Optional content configurations shall have a non-empty /Name",
    "7.10-2": "Optional content configurations shall not have /AS",
    "7.11-1": "Embedded file specifications shall have non-empty /F and /UF",
    "7.15-1": "Dynamic XFA forms shall not be used",
    "7.16-1": "An encrypted file shall allow assistive technology (P bit 10)",
}

PDFUA_NS = "http://www.aiim.org/pdfua/ns/id/"
DC_NS = "http://purl.org/dc/elements/1.1/"
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XML_NS = "http://www.w3.org/XML/1998/namespace"


def check(doc: Doc):
    yield from _header(doc)
    yield from _catalog(doc)
    yield from _metadata(doc)
    yield from _outlines(doc)
    yield from _optional_content(doc)
    yield from _embedded_files(doc)
    yield from _xfa(doc)
    yield from _encryption(doc)


def _header(doc: Doc):
    with open(doc.path, "rb") as f:
        head = f.read(32)
    if not re.match(rb"%PDF-1\.[0-7](\r\n|\r|\n)(?![\r\n])", head):
        yield Finding("6.1-1", "file header", f"header is {head.splitlines()[0][:16]!r}"
                      if head else "empty file")


def _catalog(doc: Doc):
    cat = doc.catalog
    mark = cat.get("/MarkInfo")
    mark = mark if isinstance(mark, pikepdf.Dictionary) else {}
    if mark.get("/Marked") is not True:
        yield Finding("6.2-1", "catalog", "/MarkInfo /Marked is not true")
    if mark.get("/Suspects") is True:
        yield Finding("7.1-4", "catalog", "/MarkInfo /Suspects is true")
    prefs = cat.get("/ViewerPreferences")
    if not isinstance(prefs, pikepdf.Dictionary) or prefs.get("/DisplayDocTitle") is not True:
        yield Finding("7.1-10", "catalog", "/ViewerPreferences /DisplayDocTitle is not true")
    if doc.struct_root is None:
        yield Finding("7.1-11", "catalog", "no /StructTreeRoot: the document is not tagged")
    if doc.catalog_lang is not None and not LANGUAGE_TAG.fullmatch(doc.catalog_lang):
        yield Finding("7.2-29", "catalog", f"/Lang {doc.catalog_lang!r} is not a language tag")


def _metadata(doc: Doc):
    stream = doc.catalog.get("/Metadata")
    if not isinstance(stream, pikepdf.Stream):
        yield Finding("7.1-8", "catalog", "no /Metadata stream")
        return
    if stream.get("/Type") != "/Metadata" or stream.get("/Subtype") != "/XML":
        yield Finding("7.1-8", where(obj=stream),
                      "metadata stream lacks /Type /Metadata and /Subtype /XML")
    try:
        dom = minidom.parseString(stream.read_bytes())
    except (ExpatError, ValueError, pikepdf.PdfError) as exc:
        yield Finding("5-1", where(obj=stream), f"XMP metadata cannot be parsed: {exc}")
        yield Finding("7.1-9", where(obj=stream), "XMP metadata cannot be parsed")
        return
    # Every property, as (namespace, prefix, local name, value), attributes and elements alike.
    props = []
    for el in dom.getElementsByTagName("*"):
        props.append((el.namespaceURI, el.prefix, el.localName, _text(el), el))
        for attr in el.attributes.values():
            props.append((attr.namespaceURI, attr.prefix, attr.localName, attr.value, None))
    ua = {local: (prefix, value) for ns, prefix, local, value, _ in props if ns == PDFUA_NS}
    if "part" not in ua:
        yield Finding("5-1", "XMP metadata", "no pdfuaid:part (PDF/UA identification schema)")
    else:
        prefix, value = ua["part"]
        if value.strip() != "1":
            yield Finding("5-2", "XMP metadata", f"pdfuaid:part is {value.strip()!r}, not 1")
    for local, rule in (("part", "5-3"), ("amd", "5-4"), ("corr", "5-5")):
        if local in ua and ua[local][0] != "pdfuaid":
            yield Finding(rule, "XMP metadata",
                          f"property {local!r} uses prefix {ua[local][0]!r}, not 'pdfuaid'")
    titles = [value for ns, _, local, value, _ in props if ns == DC_NS and local == "title"]
    if not any(t.strip() for t in titles):
        yield Finding("7.1-9", "XMP metadata", "no dc:title" if not titles else "empty dc:title")
    if not doc.has_lang:
        for ns, _, local, _, el in props:
            if el is not None and ns == RDF_NS and local == "Alt" and any(
                    li.getAttributeNS(XML_NS, "lang") == "x-default"
                    for li in el.getElementsByTagNameNS(RDF_NS, "li")):
                parent = el.parentNode
                yield Finding("7.2-33", "XMP metadata",
                              f"{parent.tagName} has x-default text and the catalog has no /Lang")


def _text(el) -> str:
    return "".join(n.data for n in el.childNodes if n.nodeType in (n.TEXT_NODE,
                                                                    n.CDATA_SECTION_NODE)) \
        or " ".join(_text(c) for c in el.childNodes if c.nodeType == c.ELEMENT_NODE)


def _outlines(doc: Doc):
    if doc.has_lang:
        return
    outlines = doc.catalog.get("/Outlines")
    item = outlines.get("/First") if isinstance(outlines, pikepdf.Dictionary) else None
    seen, stack = set(), [item]
    while stack:
        item = stack.pop()
        if not isinstance(item, pikepdf.Dictionary) or item.objgen in seen:
            continue
        seen.add(item.objgen)
        yield Finding("7.2-2", f"outline entry {text(item.get('/Title'))!r}",
                      "no language is determined (catalog has no /Lang)")
        stack.extend([item.get("/Next"), item.get("/First")])


def _optional_content(doc: Doc):
    oc = doc.catalog.get("/OCProperties")
    if not isinstance(oc, pikepdf.Dictionary):
        return
    configs = [("/D", oc.get("/D"))] + [(f"/Configs[{i}]", c) for i, c in
                                          enumerate(oc.get("/Configs", []))]
    for label, config in configs:
        if not isinstance(config, pikepdf.Dictionary):
            continue
        if not text(config.get("/Name")):
            yield Finding("7.10-1", f"optional content {label}", "configuration has no /Name")
        if "/AS" in config:
            yield Finding("7.10-2", f"optional content {label}", "configuration has /AS")


def _embedded_files(doc: Doc):
    specs = []
    names = doc.catalog.get("/Names")
    tree = names.get("/EmbeddedFiles") if isinstance(names, pikepdf.Dictionary) else None
    if isinstance(tree, pikepdf.Dictionary):
        specs.extend(v for _, v in pikepdf.NameTree(tree).items())
    for page in doc.pages:
        for annot in page.obj.get("/Annots", []):
            if isinstance(annot, pikepdf.Dictionary) and "/FS" in annot:
                specs.append(annot.FS)
    for spec in specs:
        if isinstance(spec, pikepdf.Dictionary) and "/EF" in spec and not (
                text(spec.get("/F")) and text(spec.get("/UF"))):
            yield Finding("7.11-1", where(obj=spec),
                          "embedded file specification lacks a non-empty /F or /UF")


def _xfa(doc: Doc):
    form = doc.catalog.get("/AcroForm")
    xfa = form.get("/XFA") if isinstance(form, pikepdf.Dictionary) else None
    if xfa is None:
        return
    parts = [xfa] if isinstance(xfa, pikepdf.Stream) else \
        [p for p in xfa if isinstance(p, pikepdf.Stream)]
    data = b"".join(p.read_bytes() for p in parts)
    if re.search(rb"<dynamicRender>\s*required\s*</dynamicRender>", data):
        yield Finding("7.15-1", "AcroForm /XFA", "the XFA form is dynamic (dynamicRender required)")


def _encryption(doc: Doc):
    if not doc.pdf.is_encrypted:
        return
    p = doc.pdf.encryption.P  # qpdf has read the encryption dictionary for us
    if p is None or not int(p) & 512:
        yield Finding("7.16-1", "encryption dictionary",
                      "P does not allow extracting content for accessibility (bit 10)")
