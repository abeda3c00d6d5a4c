"""Annotation rules (7.18) and the language of annotation and form-field text (7.2-24/25).

An annotation's structure element is found as veraPDF finds it: its /StructParent key
looked up in the /ParentTree. Hidden annotations (flag bit 2) and those wholly outside the
page's crop box are exempt wherever the profile exempts them.
"""

from __future__ import annotations

import pikepdf

from booklet.check.pdfua.model import Doc, Finding, Node, name, text, where

RULES = {
    "7.18.1-1": "Annotations (other than Widget, PrinterMark, Link) shall be in an Annot element",
    "7.18.1-2": "Annotations (other than Widget) shall have /Contents or an Alt on their element",
    "7.18.1-3": "Form fields shall have /TU, or their widgets an Alt on their element",
    "7.18.2-1": "TrapNet annotations shall not be used",
    "7.18.3-1": "A page with annotations shall have /Tabs /S",
    "7.18.4-1": "Widget annotations shall be in a Form element",
    "7.18.4-2": "A Form element without a Role attribute shall hold exactly one widget",
    "7.18.5-1": "Link annotations shall be in a Link element",
    "7.18.5-2": "Link annotations shall have a non-empty /Contents",
    "7.18.8-1": "PrinterMark annotations shall not be in the structure tree",
    "7.2-24": "Annotation /Contents needs a determinable language",
    "7.2-25": "Form field /TU needs a determinable language",
}


def check(doc: Doc):
    for number, page in enumerate(doc.pages, start=1):
        annots = page.obj.get("/Annots")
        if not isinstance(annots, pikepdf.Array) or not len(annots):
            continue
        if page.obj.get("/Tabs") != "/S":
            tabs = page.obj.get("/Tabs")
            yield Finding("7.18.3-1", where(number),
                          f"page has annotations and /Tabs {tabs if tabs else 'missing'}")
        crop = _box(page.obj.get("/CropBox", page.obj.get("/MediaBox")))
        for index, annot in enumerate(annots, start=1):
            if isinstance(annot, pikepdf.Dictionary):
                yield from _annotation(doc, number, index, annot, crop)
    yield from _forms(doc)


def _box(value):
    try:
        x0, y0, x1, y1 = (float(v) for v in value)
        return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)
    except (TypeError, ValueError):
        return None


def _outside(rect, crop) -> bool:
    r = _box(rect)
    if r is None or crop is None:
        return False
    return r[2] < crop[0] or r[0] > crop[2] or r[3] < crop[1] or r[1] > crop[3]


def _element(doc: Doc, annot) -> Node | None:
    sp = annot.get("/StructParent")
    return doc.node_for(doc.parent_tree.get(int(sp))) if isinstance(sp, int) else None


def _annotation(doc: Doc, page: int, index: int, annot, crop):
    subtype = name(annot.get("/Subtype")) or "?"
    node = _element(doc, annot)
    at = where(page, node.path if node else f"annotation {index} ({subtype})")
    hidden = bool(int(annot.get("/F", 0)) & 2)
    exempt = hidden or _outside(annot.get("/Rect"), crop)
    contents = text(annot.get("/Contents"))
    alt = text(node.obj.get("/Alt")) if node else None
    std = node.std if node else None
    placed = f"in {std}" if node else "not in the structure tree"
    if not exempt:
        if subtype not in ("Widget", "PrinterMark", "Link") and std != "Annot":
            yield Finding("7.18.1-1", at, f"{subtype} annotation is {placed}, not Annot")
        if subtype != "Widget" and not contents and not alt:
            yield Finding("7.18.1-2", at, f"{subtype} annotation has no /Contents and no Alt")
        if subtype == "TrapNet":
            yield Finding("7.18.2-1", at, "TrapNet annotation")
        if subtype == "Widget":
            if std != "Form":
                yield Finding("7.18.4-1", at, f"Widget annotation is {placed}, not Form")
            field = annot if "/FT" in annot or "/T" in annot else annot.get("/Parent")
            tu = text(field.get("/TU")) if isinstance(field, pikepdf.Dictionary) else None
            if not tu and not alt:
                yield Finding("7.18.1-3", at, "form field has no /TU and its widget no Alt")
        if subtype == "Link":
            if std != "Link":
                yield Finding("7.18.5-1", at, f"Link annotation is {placed}, not Link")
            if not contents:
                yield Finding("7.18.5-2", at, "Link annotation has no /Contents")
        if subtype == "PrinterMark" and "/StructParent" in annot:
            yield Finding("7.18.8-1", at, "PrinterMark annotation has a /StructParent")
    if contents is not None and not doc.has_lang and not (node and node.inherited_lang):
        yield Finding("7.2-24", at, f"{subtype} annotation /Contents has no determinable "
                                    "language")


def _forms(doc: Doc):
    for node in doc.nodes:
        if node.std == "Form" and node.attribute("PrintField", "/Role", doc.class_map) is None:
            widgets = [o for o in node.objrs if isinstance(o, pikepdf.Dictionary)
                       and o.get("/Subtype") == "/Widget"]
            if len(widgets) != 1 or node.kids or node.mcids or len(node.objrs) != 1:
                yield Finding("7.18.4-2", where(node.page, node.path),
                              "Form element has no Role and does not hold exactly one widget")
    form = doc.catalog.get("/AcroForm")
    fields = list(form.get("/Fields", [])) if isinstance(form, pikepdf.Dictionary) else []
    seen = set()
    while fields:
        field = fields.pop()
        if not isinstance(field, pikepdf.Dictionary) or field.objgen in seen:
            continue
        seen.add(field.objgen)
        if "/TU" in field and not doc.has_lang:
            yield Finding("7.2-25", f"form field {text(field.get('/T'))!r}",
                          "/TU has no determinable language (catalog has no /Lang)")
        fields.extend(field.get("/Kids", []))
