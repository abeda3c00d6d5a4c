"""The PDF as the audit sees it: the catalog, the pages and the structure tree, walked once.

veraPDF's rules talk about objects of its own model (PDStructElem, SEFigure, PDAnnot…). Here
those become plain pikepdf objects plus one light `Node` per structure element, so that each
rule is a short loop over `doc.nodes`, `doc.pages` or the content scan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pikepdf

# The standard structure types of ISO 32000-1:2008, 14.8.4 (PDF 1.7).
STANDARD_TYPES = frozenset("""
    Document Part Art Sect Div BlockQuote Caption TOC TOCI Index NonStruct Private
    P H H1 H2 H3 H4 H5 H6 L LI Lbl LBody Table TR TH TD THead TBody TFoot
    Span Quote Note Reference BibEntry Code Link Annot Ruby RB RT RP Warichu WT WP
    Figure Formula Form
""".split())

HEADING = re.compile(r"H[1-6]")
LANGUAGE_TAG = re.compile(r"[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*")  # 7.2-29, RFC 3066 shape


@dataclass(frozen=True)
class Finding:
    rule: str     # the profile's clause-test id, e.g. "7.18.5-1" or "Annex_L-45"
    where: str    # page, structure path and/or object number
    message: str

    def __str__(self) -> str:
        return f"{self.rule} {self.where}: {self.message}" if self.where else \
            f"{self.rule}: {self.message}"


def where(page: int | None = None, path: str | None = None,
          obj: pikepdf.Object | None = None) -> str:
    """'page 3, Document/Art[1]/P[2]' or 'obj 12 0': whatever is known, in that order."""
    parts = []
    if page is not None:
        parts.append(f"page {page}")
    if path:
        parts.append(path)
    if obj is not None and not path:
        num, gen = obj.objgen
        if num:
            parts.append(f"obj {num} {gen}")
    return ", ".join(parts) or "document"


def text(value) -> str | None:
    """A PDF text string (or name) as Python text; None when absent."""
    if value is None:
        return None
    if isinstance(value, pikepdf.Name):
        return str(value)[1:]
    try:
        return str(value)
    except (TypeError, ValueError):
        return None


def name(value) -> str | None:
    """'/Link' -> 'Link'; None for anything that is not a name."""
    return str(value)[1:] if isinstance(value, pikepdf.Name) else None


def key(obj: pikepdf.Object):
    """A stable identity for an object: its object number, or None for direct objects."""
    objgen = obj.objgen
    return objgen if objgen[0] else None


@dataclass(eq=False)
class Node:
    """One structure element, with what the rules ask of it precomputed."""

    obj: pikepdf.Dictionary
    raw: str                    # /S as written
    std: str | None             # standard type after /RoleMap; None if none is reached
    circular: bool              # the /RoleMap chain from `raw` loops
    path: str
    parent: Node | None         # None for the kids of the StructTreeRoot
    page: int | None            # from /Pg of the element or its nearest ancestor
    kids: list[Node] = field(default_factory=list)
    mcids: list[int] = field(default_factory=list)          # marked content it owns
    objrs: list[pikepdf.Object] = field(default_factory=list)  # objects it owns (annotations)

    @cached_property
    def lang(self) -> str | None:
        return text(self.obj.get("/Lang"))

    @cached_property
    def inherited_lang(self) -> str | None:
        """/Lang of the element or of its nearest ancestor that has one."""
        if self.lang is not None:
            return self.lang
        return self.parent.inherited_lang if self.parent else None

    @cached_property
    def parent_std(self) -> str | None:
        """The parent's standard type; NonStruct parents are looked through (as veraPDF)."""
        node = self.parent
        while node is not None and node.std == "NonStruct":
            node = node.parent
        return node.std if node else None

    @cached_property
    def kid_types(self) -> list[str]:
        return kid_types(self.kids)

    @cached_property
    def has_content_items(self) -> bool:
        return bool(self.mcids or self.objrs) or any(
            k.std == "NonStruct" and k.has_content_items for k in self.kids)

    def attribute(self, owner: str, key_: str, class_map) -> pikepdf.Object | None:
        """An attribute (e.g. owner 'Table', key '/Scope') from /A or from its /C classes."""
        for attrs in _attribute_dicts(self.obj.get("/A")) + _class_dicts(self.obj.get("/C"),
                                                                           class_map):
            if attrs.get("/O") == "/" + owner and key_ in attrs:
                return attrs[key_]
        return None


def kid_types(kids: list[Node]) -> list[str]:
    """veraPDF's kidsStandardTypes: kids' standard types, NonStruct kids replaced by theirs."""
    out: list[str] = []
    for kid in kids:
        if kid.std == "NonStruct":
            out.extend(kid.kid_types)
        elif kid.std is not None:
            out.append(kid.std)
    return out


def _attribute_dicts(value) -> list:
    if isinstance(value, pikepdf.Dictionary):
        return [value]
    if isinstance(value, pikepdf.Array):  # dictionaries, each maybe followed by a revision
        return [v for v in value if isinstance(v, pikepdf.Dictionary)]
    return []


def _class_dicts(value, class_map) -> list:
    if class_map is None or value is None:
        return []
    names = list(value) if isinstance(value, pikepdf.Array) else [value]
    out = []
    for n in names:
        if isinstance(n, pikepdf.Name) and n in class_map:
            out.extend(_attribute_dicts(class_map[n]))
    return out


class Doc:
    """An opened PDF and everything the rules share."""

    def __init__(self, path: Path, pdf: pikepdf.Pdf):
        self.path = Path(path)
        self.pdf = pdf
        self.catalog = pdf.Root
        self.pages = list(pdf.pages)
        self.page_no = {p.obj.objgen: i + 1 for i, p in enumerate(self.pages)}
        self.catalog_lang = text(self.catalog.get("/Lang"))
        tree = self.catalog.get("/StructTreeRoot")
        self.struct_root = tree if isinstance(tree, pikepdf.Dictionary) else None
        self.role_map: dict[str, str] = {}
        self.class_map = None
        self.parent_tree: dict[int, pikepdf.Object] = {}
        self.roots: list[Node] = []
        self.nodes: list[Node] = []          # pre-order, i.e. document (reading) order
        self.by_key: dict[tuple, Node] = {}
        self.root_has_content_items = False
        if self.struct_root is not None:
            self._read_tree()

    @property
    def has_lang(self) -> bool:
        """veraPDF's gContainsCatalogLang."""
        return bool(self.catalog_lang)

    @cached_property
    def content(self):
        """One pass over every content stream (see content.py)."""
        from booklet.check.pdfua.content import scan

        return scan(self)

    def resolve_role(self, raw: str) -> tuple[str | None, bool]:
        """Follow /RoleMap from `raw` to a standard type: (type or None, chain is circular)."""
        seen = set()
        current = raw
        while current not in STANDARD_TYPES:
            if current in seen:
                return None, True
            seen.add(current)
            nxt = self.role_map.get(current)
            if nxt is None:
                return None, False
            current = nxt
        return current, False

    def page_of(self, obj) -> int | None:
        return self.page_no.get(obj.objgen) if isinstance(obj, pikepdf.Dictionary) else None

    def node_for(self, obj) -> Node | None:
        """The Node of a structure element object, if the walk from the root reached it."""
        if not isinstance(obj, pikepdf.Dictionary):
            return None
        k = key(obj)
        return self.by_key.get(k) if k else None

    def _read_tree(self) -> None:
        root = self.struct_root
        role_map = root.get("/RoleMap")
        if isinstance(role_map, pikepdf.Dictionary):
            for k, v in role_map.items():
                if isinstance(v, pikepdf.Name):
                    self.role_map[k[1:]] = str(v)[1:]
        class_map = root.get("/ClassMap")
        self.class_map = class_map if isinstance(class_map, pikepdf.Dictionary) else None
        parent_tree = root.get("/ParentTree")
        if isinstance(parent_tree, pikepdf.Dictionary):
            try:
                self.parent_tree = dict(pikepdf.NumberTree(parent_tree).items())
            except (TypeError, ValueError, pikepdf.PdfError):
                self.parent_tree = {}
        self._walk(root)

    def _walk(self, root: pikepdf.Dictionary) -> None:
        """Depth-first, kids in /K order, so `nodes` is in document order."""
        visited: set[tuple] = set()
        # Each entry: (object, parent Node or None, inherited page, sibling counters of parent)
        top_counts: dict[str, int] = {}
        top_items = _items(root.get("/K"))
        top_totals: dict[str, int] = {}
        for item in top_items:
            if isinstance(item, pikepdf.Dictionary) and _is_elem(item):
                raw = name(item.get("/S")) or "?"
                top_totals[raw] = top_totals.get(raw, 0) + 1
        stack = [(item, None, None, top_counts) for item in reversed(top_items)]
        while stack:
            item, parent, page, counts = stack.pop()
            if isinstance(item, int):
                if parent is None:
                    self.root_has_content_items = True
                else:
                    parent.mcids.append(item)
                continue
            if not isinstance(item, pikepdf.Dictionary):
                continue
            if not _is_elem(item):
                if parent is None:
                    self.root_has_content_items = True
                elif "/Obj" in item or item.get("/Type") == "/OBJR":
                    parent.objrs.append(item.get("/Obj"))
                elif "/MCID" in item:
                    parent.mcids.append(int(item.MCID))
                continue
            k = key(item)
            if k is not None:
                if k in visited:
                    continue
                visited.add(k)
            raw = name(item.get("/S")) or "?"
            counts[raw] = counts.get(raw, 0) + 1
            if parent is None and top_totals.get(raw, 0) == 1:
                step = raw
            else:
                step = f"{raw}[{counts[raw]}]"
            std, circular = self.resolve_role(raw)
            pg = self.page_of(item.get("/Pg")) or page
            node = Node(obj=item, raw=raw, std=std, circular=circular,
                        path=f"{parent.path}/{step}" if parent else step,
                        parent=parent, page=pg)
            self.nodes.append(node)
            if k is not None:
                self.by_key[k] = node
            if parent is None:
                self.roots.append(node)
            else:
                parent.kids.append(node)
            kid_counts: dict[str, int] = {}
            stack.extend((kid, node, pg, kid_counts)
                         for kid in reversed(_items(item.get("/K"))))


def _items(k) -> list:
    if k is None:
        return []
    if isinstance(k, pikepdf.Array):
        return list(k)
    return [k]


def _is_elem(d: pikepdf.Dictionary) -> bool:
    t = d.get("/Type")
    if t in ("/MCR", "/OBJR"):
        return False
    return "/S" in d
