"""The PDF's structure tree, built from the HTML elements rather than page by page.

WeasyPrint 70 tags each page on its own, so one essay becomes an Art element per page
and a paragraph that crosses a page becomes two; `nav`, `figure` and inline elements
become NonStruct; running heads are marked content that the tree never reaches
(PDF/UA-1 7.1-3). This builder replaces WeasyPrint's `add_tags` while the booklet is
written, and makes:

- one structure element per HTML element, whatever pages it spans (7.1, 7.2);
- the structure type from the element, or from `data-pdf-tag` in the print template:
  TOC/TOCI for the contents, Div around a figure and its caption, Span for inline
  emphasis; no NonStruct;
- list items as LI > Lbl/LBody and contents entries as TOCI > Reference > Link, the
  only nestings ISO 32000-1 allows;
- tables as Table > Caption, THead/TBody > TR > TH/TD, each TH with its /Scope (7.5);
  the head row WeasyPrint repeats on a table's later pages as pagination Artifacts,
  so that it is read once;
- an essay's notes as Note elements with the /ID PDF/UA-1 7.9 asks for;
- page furniture (margin boxes) as pagination Artifacts (7.1-3);
- a Span with /ActualText ending in a soft hyphen for each line that ends in a
  hyphenated word, so assistive technology reads the word whole (ISO 32000-1
  14.8.2.2.3);
- Link annotations inside their Link element, with /Contents saying where they go
  (7.18.5), and printed URLs, which may break anywhere, read whole via /ActualText;
- /Lang on the element of every HTML element with a `lang` (a passage's Span, the Art
  of an essay in another language), so a screen reader changes voice (7.2);
- a Span with /ActualText holding the line's words in logical order for each line of
  right-to-left text: WeasyPrint writes Arabic and Hebrew glyphs in visual order, some
  of them joined or shaped, so the marked content alone reads words backwards.
"""

from __future__ import annotations

import contextlib
import unicodedata

import pydyf
import booklet.engine.weasyprint_import  # noqa: F401  (first: see its docstring)
from weasyprint.formatting_structure import boxes
from weasyprint.layout.absolute import AbsolutePlaceholder

from booklet.write.print.parts import PAGE_LATER  # re-exported: the join's mark of a page

SOFT_HYPHEN = "\u00ad"

BY_TAG = {
    "article": "Art", "section": "Sect", "nav": "Sect", "main": "Part", "div": "Div",
    "figure": "Div", "header": "Div", "footer": "Div", "aside": "Div",
    "p": "P", "blockquote": "BlockQuote",
    "h1": "H1", "h2": "H2", "h3": "H3", "h4": "H4", "h5": "H5", "h6": "H6",
    "ul": "L", "ol": "L", "li": "LI", "a": "Link", "img": "Figure", "figcaption": "Caption",
    "em": "Span", "strong": "Span", "span": "Span", "cite": "Span", "i": "Span", "b": "Span",
    "abbr": "Span", "sub": "Span", "sup": "Span", "q": "Quote",
    "table": "Table", "caption": "Caption", "thead": "THead", "tbody": "TBody",
    "tfoot": "TFoot", "tr": "TR", "th": "TH", "td": "TD",
}
SCOPES = {"col": "/Column", "row": "/Row"}
TRANSPARENT = {"html", "body", "br"}
# Elements that may not hold marked content directly (ISO 32000-1 tagged PDF rules).
GROUPING = {"Document", "Part", "Art", "Sect", "Div", "BlockQuote", "L", "LI", "TOC", "TOCI",
            "Table", "THead", "TBody", "TFoot", "TR"}
# A wrapper between an item element and its content.
ITEM_BODY = {"LI": "LBody", "TOCI": "Reference"}
ITEM_OF = {"L": "LI", "TOC": "TOCI"}


class _Element:
    """A structure element being built; written out as a pydyf dictionary."""

    def __init__(self, pdf, kind: str, parent: _Element | None, page_ref):
        self.kind = kind
        self.dict = pydyf.Dictionary({"Type": "/StructElem", "S": f"/{kind}", "K": pydyf.Array()})
        self.parent = parent
        if parent is not None:
            self.dict["P"] = parent.dict.reference
        if page_ref is not None:
            self.dict["Pg"] = page_ref
        pdf.add_object(self.dict)
        self.page_ref = page_ref
        self.body: _Element | None = None  # LBody/Reference of an item
        self.implicit_p: _Element | None = None

    def add_element(self, child: _Element) -> None:
        self.dict["K"].append(child.dict.reference)

    def add_mcid(self, mcid: int, page_ref) -> None:
        if self.page_ref is None:
            self.page_ref = page_ref
            self.dict["Pg"] = page_ref
        if page_ref == self.page_ref:
            self.dict["K"].append(mcid)
        else:
            self.dict["K"].append(pydyf.Dictionary({"Type": "/MCR", "Pg": page_ref, "MCID": mcid}))


class _PagesLater(dict):
    """Every anchor's page, as a mark the join replaces with the printed page."""

    def get(self, key, default=None):
        return PAGE_LATER


class TagBuilder:
    def __init__(self, pdf, document_dict, anchor_pages: dict[str, int] | None = None):
        self.pdf = pdf
        # id -> the page number it stands on (an empty _PagesLater is still one)
        self.anchor_pages = anchor_pages if anchor_pages is not None else {}
        self.root = _Element.__new__(_Element)
        self.root.kind, self.root.dict = "Document", document_dict
        self.root.page_ref, self.root.body, self.root.implicit_p = None, None, None
        self.root.parent = None
        self.elements: dict[object, _Element] = {}  # HTML element -> structure element
        self.page_mcids: list[dict[int, object]] = []  # per page: MCID -> parent reference
        self.annotations: list[tuple[object, object]] = []  # (element reference, annotation)
        self.hyphenated_run = 0
        self.longest_hyphenated_run = 0
        self.header_pages: dict[object, int] = {}  # a table's head row group -> its first page

    # Pages ----------------------------------------------------------------

    def add_page(self, page_number: int, page_box, stream) -> None:
        self.page_ref = self.pdf.page_references[page_number]
        self.tags = stream._tags
        self.mcids: dict[int, object] = {}
        self.page_number = page_number
        artifacts = self.artifacts = []
        for child in page_box.children:
            if isinstance(child, boxes.MarginBox):
                artifacts.extend(self._marked_descendants(child))
            else:
                self._walk(child, self.root, None)
        _mark_as_artifacts(stream, artifacts, page_box)
        self.page_mcids.append(self.mcids)
        if self.tags:
            raise RuntimeError(f"{len(self.tags)} marked boxes were left out of the tag tree")

    def _marked_descendants(self, box):
        """MCIDs of everything drawn in a margin box: running heads and folios."""
        mcids = []
        if box in self.tags:
            mcids.append(self.tags.pop(box)["mcid"])
        for child in getattr(box, "children", ()):
            mcids.extend(self._marked_descendants(child))
        return mcids

    # Boxes ----------------------------------------------------------------

    def _walk(self, box, parent: _Element, parent_element) -> None:
        if isinstance(box, AbsolutePlaceholder):
            box = box._box
        if isinstance(box, boxes.TableRowGroupBox) and box.is_header:
            first = self.header_pages.setdefault(box.element, self.page_number)
            if first != self.page_number:
                # The head row repeated on a page a table runs onto is layout, like a
                # running head: read once, where the table begins.
                self._repeated_header(box, parent)
                return
        element = box.element
        target = parent
        if element is not None and element is not parent_element:
            kind = self._kind(box, parent)
            if kind is not None:
                target = self._element_for(box, kind, parent)
        elif element is not None and box.element_tag.endswith("::marker"):
            target = self._element_for(box, "Lbl", parent)

        if box.link_annotation is not None:
            self._add_annotation(box, target)

        if isinstance(box, boxes.TextBox):
            self._add_text(box, target)
        elif isinstance(box, boxes.ReplacedBox):
            self._add_content(self.tags.pop(box)["mcid"], target, allow_direct=True)
        for child in getattr(box, "children", ()):
            self._walk(child, target, element if element is not None else parent_element)

    def _repeated_header(self, group, parent: _Element) -> None:
        """Its words become Artifacts; a link in it (a citation in a head cell) stays a
        live annotation, owned by the Link element of the head row's first showing."""
        self.artifacts.extend(self._marked_descendants(group))
        for box in group.descendants():
            if box.link_annotation is not None:
                owner = self.elements.get((box.element, box.element_tag), parent)
                self._add_annotation(box, owner)

    def _kind(self, box, parent: _Element) -> str | None:
        tag = box.element_tag
        if "::" in tag:
            return "Lbl" if tag.endswith("::marker") else None  # ::before/::after join their element
        if tag in TRANSPARENT or box.element.get("data-stand-in") is not None:
            return None  # a stand-in target of a part's link (templates/print/sections.j2)
        explicit = box.element.get("data-pdf-tag")
        if explicit:
            return explicit
        if parent.kind in ITEM_OF and tag == "li":
            return ITEM_OF[parent.kind]
        if tag in BY_TAG:
            return BY_TAG[tag]
        return "Span" if isinstance(box, boxes.InlineBox) else "Div"

    def _element_for(self, box, kind: str, parent: _Element) -> _Element:
        key = (box.element, box.element_tag)
        existing = self.elements.get(key)
        if existing is not None:
            return existing
        container = self._container_for(kind, parent)
        element = _Element(self.pdf, kind, container, None)
        container.add_element(element)
        self.elements[key] = element
        if kind == "Figure":
            _figure_attributes(element, box)
        if kind == "Link":
            # What the link's annotation says it does (see _add_annotation).
            element.description = (box.element.get("data-pdf-contents")
                                   or box.element.get("title") or "")
            element.href = box.element.get("href") or ""
            element.text = " ".join("".join(box.element.itertext()).split())
        if kind == "TH":
            scope = SCOPES.get(box.element.get("scope", ""))
            if scope:
                element.dict["A"] = pydyf.Dictionary({"O": "/Table", "Scope": scope})
        if kind == "Note":
            # PDF/UA-1 7.9: every Note has an ID, unique in the file: its HTML id is.
            element.dict["ID"] = pydyf.String(box.element.get("id"))
        lang = box.element.get("lang")
        if lang and box.element_tag not in TRANSPARENT:  # <html lang> is the catalog's /Lang
            element.dict["Lang"] = pydyf.String(lang)
        if kind == "Link" and "url" in (box.element.get("class") or "").split():
            # A URL may break anywhere across lines; read it as one address.
            element.dict["ActualText"] = pydyf.String("".join(box.element.itertext()))
        if kind in ITEM_BODY:
            element.body = _Element(self.pdf, ITEM_BODY[kind], element, None)
            if kind == "LI":
                element.pending_body = True  # added after a possible Lbl
            else:
                element.add_element(element.body)
        return element

    def _container_for(self, kind: str, parent: _Element) -> _Element:
        """Where a new child goes: an item's body, unless it is the item's label."""
        if parent.body is None:
            return parent
        if kind == "Lbl" and parent.kind == "LI":
            return parent
        if getattr(parent, "pending_body", False):
            parent.add_element(parent.body)
            parent.pending_body = False
        return parent.body

    def _add_text(self, box, target: _Element) -> None:
        tag = self.tags.pop(box)
        text = box.text or ""
        hyphen = box.style["hyphenate_character"]
        if text.endswith(SOFT_HYPHEN + hyphen):
            self.hyphenated_run += 1
            self.longest_hyphenated_run = max(self.longest_hyphenated_run, self.hyphenated_run)
            span = _Element(self.pdf, "Span", self._content_holder(target), None)
            self._content_holder(target).add_element(span)
            # The visible hyphen is layout, not text: the word is read whole.
            span.dict["ActualText"] = pydyf.String(text[: -len(hyphen)])
            self._add_content(tag["mcid"], span, allow_direct=True)
        elif _right_to_left(text):
            self.hyphenated_run = 0
            span = _Element(self.pdf, "Span", self._content_holder(target), None)
            self._content_holder(target).add_element(span)
            span.dict["ActualText"] = pydyf.String(text)  # the box's text: logical order
            self._add_content(tag["mcid"], span, allow_direct=True)
        else:
            if text.strip():
                self.hyphenated_run = 0
            self._add_content(tag["mcid"], target)

    def _content_holder(self, target: _Element) -> _Element:
        if target.body is not None:
            return self._container_for("Span", target)
        if target.kind not in GROUPING:
            return target
        if target.implicit_p is None:
            target.implicit_p = _Element(self.pdf, "P", target, None)
            target.add_element(target.implicit_p)
        return target.implicit_p

    def _add_content(self, mcid: int, target: _Element, allow_direct: bool = False) -> None:
        holder = target if allow_direct and target.kind not in GROUPING else self._content_holder(target)
        holder.add_mcid(mcid, self.page_ref)
        self.mcids[mcid] = holder.dict.reference

    def _add_annotation(self, box, target: _Element) -> None:
        annotation = box.link_annotation
        link = target
        while link is not None and link.kind != "Link":  # e.g. a <span> inside an <a>
            link = link.parent
        link = link or self._content_holder(target)
        link.dict["K"].append(pydyf.Dictionary({
            "Type": "/OBJR", "Obj": annotation.reference, "Pg": self.page_ref}))
        description = _link_description(link, box, self.anchor_pages)
        if description:
            annotation["Contents"] = pydyf.String(description)
        self.annotations.append((link.dict.reference, annotation))

    # Finish ---------------------------------------------------------------

    def parent_tree(self, pages: int) -> pydyf.Array:
        nums = pydyf.Array()
        for number, mcids in enumerate(self.page_mcids):
            size = max(mcids) + 1 if mcids else 0
            nums.append(number)
            # MCIDs turned into Artifacts have no parent: null keeps the indexes right.
            nums.append(pydyf.Array([mcids.get(i, "null") for i in range(size)]))
        for index, (reference, annotation) in enumerate(self.annotations, start=pages):
            nums.append(index)
            nums.append(reference)
            annotation["StructParent"] = index
        return nums


def _link_description(link: _Element, box, anchor_pages: dict[str, int]) -> str:
    """What a screen reader announces for a link (PDF/UA-1 7.18.5): the description the
    template gave the <a> (every annotation of a link that spans several lines or
    inline elements, not only the first), and for a link within the booklet the page
    it leads to: "Go to the essay by …, page 5". Never WeasyPrint's default, the
    target's id."""
    description = getattr(link, "description", "") or box.element.get("data-pdf-contents") \
        or box.element.get("title") or ""
    href = getattr(link, "href", "") or box.element.get("href") or ""
    if not href.startswith("#"):
        return description or href  # an address outside: the address says where
    description = description or getattr(link, "text", "")
    page = anchor_pages.get(href[1:])
    return f"{description}, page {page}" if page and description else description


def _figure_attributes(element: _Element, box) -> None:
    x1, y1 = box.content_box_x(), box.content_box_y()
    element.dict["A"] = pydyf.Dictionary({
        "O": "/Layout", "BBox": pydyf.Array((x1, y1, x1 + box.width, y1 + box.height))})
    alt = box.element.get("alt")
    if alt:
        element.dict["Alt"] = pydyf.String(alt)


def _mark_as_artifacts(stream, mcids: list[int], page_box) -> None:
    """Rewrite `/Span <</MCID n>> BDC` of page furniture as a pagination Artifact."""
    wanted = set(mcids)
    if not wanted:
        return
    for i, item in enumerate(stream.stream):
        if isinstance(item, pydyf.Dictionary) and item.get("MCID") in wanted:
            stream.stream[i - 1] = "/Artifact"
            stream.stream[i] = pydyf.Dictionary({"Type": "/Pagination"})
            wanted.discard(item["MCID"])
    if wanted:
        raise RuntimeError(f"page furniture MCIDs {sorted(wanted)} not found in the page stream")


def _right_to_left(text: str) -> bool:
    return any(unicodedata.bidirectional(c) in ("R", "AL") for c in text)


def add_tags(pdf, document, pdf_version, page_streams):
    """Drop-in replacement for weasyprint.pdf.tags.add_tags (same signature)."""
    parent_tree = pydyf.Dictionary({})
    pdf.add_object(parent_tree)
    root = pydyf.Dictionary({"Type": "/StructTreeRoot", "ParentTree": parent_tree.reference})
    pdf.add_object(root)
    document_dict = pydyf.Dictionary({"Type": "/StructElem", "S": "/Document", "K": pydyf.Array(),
                                      "P": root.reference})
    pdf.add_object(document_dict)
    root["K"] = pydyf.Array([document_dict.reference])
    pdf.catalog["StructTreeRoot"] = root.reference

    anchor_pages = {}
    for number, page in enumerate(document.pages, 1):
        for anchor in page.anchors:
            anchor_pages.setdefault(anchor, number)
    if add_tags.pages_later:
        anchor_pages = _PagesLater()
    builder = TagBuilder(pdf, document_dict, anchor_pages)
    for number, (page, stream) in enumerate(zip(document.pages, page_streams)):
        builder.add_page(number, page._page_box, stream)
    parent_tree["Nums"] = builder.parent_tree(len(document.pages))
    root["ParentTreeNextKey"] = len(document.pages) + len(builder.annotations)
    pdf.catalog["ViewerPreferences"] = pydyf.Dictionary({"DisplayDocTitle": "true"})
    pdf.catalog["MarkInfo"] = pydyf.Dictionary({"Marked": "true"})
    add_tags.last_builder = builder


add_tags.pages_later = False


@contextlib.contextmanager
def booklet_tagging(pages_later: bool = False):
    """Use our tag builder for the PDFs written inside this block. With `pages_later`
    (a part of the booklet, laid out alone) a link's description marks where its
    target's page goes, for the join to fill in."""
    import weasyprint.pdf as weasy_pdf

    original = weasy_pdf.add_tags
    weasy_pdf.add_tags = add_tags
    add_tags.pages_later = pages_later
    try:
        yield
    finally:
        weasy_pdf.add_tags = original
        add_tags.pages_later = False
