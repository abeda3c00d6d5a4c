"""Rules on the structure tree itself: role mapping, nesting, lists, TOC, headings, figures."""

from __future__ import annotations

from booklet.check.pdfua import nesting
from booklet.check.pdfua.model import HEADING, LANGUAGE_TAG, STANDARD_TYPES, Doc, Finding, \
    kid_types, text, where

RULES = {
    "7.1-5": "Non-standard structure types shall map (via /RoleMap) to a standard type",
    "7.1-6": "The /RoleMap shall not map types in a circle",
    "7.1-7": "Standard structure types shall not be remapped in /RoleMap",
    "7.1-12": "Every structure element shall have a /P (parent) entry",
    "7.2-17": "LI shall be a kid of L",
    "7.2-18": "LBody shall be a kid of LI",
    "7.2-19": "L may contain only L, LI and Caption",
    "7.2-20": "LI may contain only Lbl and LBody",
    "7.2-21": "ActualText on an element needs a determinable language",
    "7.2-22": "Alt on an element needs a determinable language",
    "7.2-23": "E on an element needs a determinable language",
    "7.2-26": "TOCI shall be a kid of TOC",
    "7.2-27": "TOC may contain only TOC, TOCI and Caption",
    "7.2-28": "TOC may have a Caption only as its first kid",
    "7.2-40": "L may have a Caption only as its first kid",
    "7.3-1": "Figure shall have /Alt (non-empty) or /ActualText",
    "7.4.2-1": "The first heading shall be H1, and levels shall not be skipped going deeper",
    "7.4.4-1": "An element shall have at most one H kid",
    "7.4.4-2": "H shall not be used in a document that uses H1-H6",
    "7.4.4-3": "H1-H6 shall not be used in a document that uses H",
    "7.7-1": "Formula shall have /Alt (non-empty) or /ActualText",
    "7.9-1": "Note shall have a non-empty /ID",
    "7.9-2": "Note /IDs shall be unique",
    "Annex_L-1": "Every structure element shall map to a standard type",
    **nesting.RULES,
}


def check(doc: Doc):
    yield from _role_map(doc)
    yield from _nesting(doc)
    yield from _kinds(doc)
    yield from _headings(doc)
    yield from _languages(doc)


def _role_map(doc: Doc):
    for node in doc.nodes:
        at = where(node.page, node.path)
        if "/P" not in node.obj:
            yield Finding("7.1-12", at, "structure element has no /P (parent) entry")
        if node.circular:
            yield Finding("7.1-6", at, f"/RoleMap maps {node.raw} in a circle")
        if node.std is None:
            msg = f"{node.raw} does not map to a standard structure type"
            yield Finding("7.1-5", at, msg)
            yield Finding("Annex_L-1", at, msg)
        if node.raw in STANDARD_TYPES and node.raw in doc.role_map:
            yield Finding("7.1-7", at, f"standard type {node.raw} is remapped to "
                                       f"{doc.role_map[node.raw]} in /RoleMap")


def _nesting(doc: Doc):
    if doc.struct_root is not None:
        for rule, msg in nesting.violations("StructTreeRoot", kid_types(doc.roots),
                                            doc.root_has_content_items):
            yield Finding(rule, "StructTreeRoot", msg)
    for node in doc.nodes:
        row = nesting.row_for(node.std)
        if row is not None:
            for rule, msg in nesting.violations(row, node.kid_types, node.has_content_items):
                yield Finding(rule, where(node.page, node.path), msg)


def _kinds(doc: Doc):
    """Lists, TOCs, figures, formulas and notes (7.2, 7.3, 7.7, 7.9)."""
    note_ids: dict[str, list] = {}
    for node in doc.nodes:
        std, at = node.std, where(node.page, node.path)
        kids = node.kid_types
        parent = node.parent_std or "the tree root"
        if std == "LI" and node.parent_std != "L":
            yield Finding("7.2-17", at, f"LI is in {parent}, not L")
        if std == "LBody" and node.parent_std != "LI":
            yield Finding("7.2-18", at, f"LBody is in {parent}, not LI")
        if std == "TOCI" and node.parent_std != "TOC":
            yield Finding("7.2-26", at, f"TOCI is in {parent}, not TOC")
        if std == "L":
            yield from _only(at, "7.2-19", "L", kids, {"L", "LI", "Caption"})
            if "Caption" in kids[1:]:
                yield Finding("7.2-40", at, "L has a Caption that is not its first kid")
        if std == "LI":
            yield from _only(at, "7.2-20", "LI", kids, {"Lbl", "LBody"})
        if std == "TOC":
            yield from _only(at, "7.2-27", "TOC", kids, {"TOC", "TOCI", "Caption"})
            if "Caption" in kids[1:]:
                yield Finding("7.2-28", at, "TOC has a Caption that is not its first kid")
        if std in ("Figure", "Formula"):
            alt = text(node.obj.get("/Alt"))
            if not alt and node.obj.get("/ActualText") is None:
                yield Finding("7.3-1" if std == "Figure" else "7.7-1", at,
                              f"{std} has neither /Alt nor /ActualText")
        if std == "Note":
            note_id = text(node.obj.get("/ID"))
            if not note_id:
                yield Finding("7.9-1", at, "Note has no /ID")
            else:
                note_ids.setdefault(note_id, []).append(node)
    for note_id, nodes in note_ids.items():
        if len(nodes) > 1:
            for node in nodes:
                yield Finding("7.9-2", where(node.page, node.path),
                              f"Note /ID {note_id!r} is used by {len(nodes)} Notes")


def _only(at: str, rule: str, parent: str, kids: list[str], allowed: set[str]):
    other = sorted({k for k in kids if k not in allowed})
    if other:
        yield Finding(rule, at, f"{parent} contains {', '.join(other)}")


def _headings(doc: Doc):
    uses_h = any(n.std == "H" for n in doc.nodes)
    uses_hn = any(n.std and HEADING.fullmatch(n.std) for n in doc.nodes)
    last = 0
    for node in doc.nodes:
        std, at = node.std, where(node.page, node.path)
        if std and HEADING.fullmatch(std):
            level = int(std[1])
            if level > last + 1:
                yield Finding("7.4.2-1", at, f"{std} follows " +
                              (f"H{last}" if last else "no heading (the first shall be H1)"))
            last = level
            if uses_h:
                yield Finding("7.4.4-3", at, f"{std} in a document that also uses H")
        elif std == "H" and uses_hn:
            yield Finding("7.4.4-2", at, "H in a document that also uses H1-H6")
    for node in doc.nodes:  # the profile asks this of elements (the root is Annex_L-14)
        count = node.kid_types.count("H")
        if count > 1:
            yield Finding("7.4.4-1", where(node.page, node.path), f"{count} H kids")


def _languages(doc: Doc):
    for node in doc.nodes:
        at = where(node.page, node.path)
        if node.lang is not None and not LANGUAGE_TAG.fullmatch(node.lang):
            yield Finding("7.2-29", at, f"/Lang {node.lang!r} is not a language tag")
        if doc.has_lang or node.inherited_lang:
            continue
        for k, rule in (("/ActualText", "7.2-21"), ("/Alt", "7.2-22"), ("/E", "7.2-23")):
            if k in node.obj:
                yield Finding(rule, at, f"{node.raw} has {k} but no language is determined")
