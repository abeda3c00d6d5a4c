"""One pass over every page's content (and the Form XObjects it draws), with the walker of
check/pdf_content.py.

The pass follows the open marked-content sequences and classifies each content item
(text-showing operator, painted path, image, shading) as tagged real content, Artifact, or
neither. It also records, per font, the bytes each font shows, for the 7.21 font rules.

A marked-content sequence counts as tagged when its MCID, looked up through the page's
/StructParents in the /ParentTree, names a structure element that the walk from the
StructTreeRoot reached (veraPDF follows /P up to the root; an element that hangs outside
the tree is what assistive technology never reads, which is the point of 7.1-3).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

import pikepdf

from booklet.check.pdf_content import SHOW_TEXT, ContentWalker, MarkedContent, Step, \
    UnreadableContent
from booklet.check.pdfua.fonts import FontInfo
from booklet.check.pdfua.model import LANGUAGE_TAG, Doc, Finding, Node, key, text, where

RULES = {
    "7.1-1": "Artifact marked content shall not sit inside tagged (real) content",
    "7.1-2": "Tagged (real) content shall not sit inside an Artifact",
    "7.1-3": "All content (text, paths, images) shall be tagged real content or an Artifact",
    "7.2-30": "ActualText on a Span marked-content sequence needs a determinable language",
    "7.2-31": "Alt on a Span marked-content sequence needs a determinable language",
    "7.2-32": "E on a Span marked-content sequence needs a determinable language",
    "7.2-34": "Text in page content needs a determinable language (catalog or Lang)",
    "7.20-1": "Reference XObjects (Form XObjects with /Ref) shall not be used",
}

PAINT_OPS = frozenset({"S", "s", "f", "F", "f*", "B", "B*", "b", "b*"})


@dataclass
class FontUse:
    info: FontInfo
    shown: dict[int, bytearray] = field(default_factory=lambda: defaultdict(bytearray))
    rendered: dict[int, bytearray] = field(default_factory=lambda: defaultdict(bytearray))


@dataclass
class ContentScan:
    findings: list[Finding]
    fonts: dict[object, FontUse]


@dataclass(frozen=True)
class _Frame:
    """An open marked-content sequence, with what it passes on to what it encloses."""

    tag: str
    artifact: bool          # this or an enclosing sequence is an Artifact
    mcid: int | None        # innermost MCID so far
    node: Node | None       # the element that MCID belongs to, if tagged
    lang: str | None        # inherited language


_ROOT = _Frame(tag="", artifact=False, mcid=None, node=None, lang=None)


class _Scanner:
    def __init__(self, doc: Doc):
        self.doc = doc
        self.findings: list[Finding] = []
        self.walker = ContentWalker(doc.pdf, font=lambda font: FontUse(FontInfo(font)),
                                    on_unreadable=self._unreadable)
        self.untagged: dict[tuple, Counter] = {}
        self.samples: dict[tuple, str] = {}
        self.counts: Counter = Counter()
        self.frames: dict[MarkedContent, _Frame] = {}
        self.ref_forms: set = set()
        self.parent_arrays: dict[int, list] = {}

    def _unreadable(self, problem: UnreadableContent) -> None:
        """What cannot be read cannot be told tagged or an Artifact."""
        self.findings.append(Finding("7.1-3", where(problem.page), problem.reason))

    # -- marked content ------------------------------------------------------------

    def _element(self, sp_key, mcid: int) -> Node | None:
        if sp_key is None:
            return None
        arr = self.parent_arrays.get(sp_key)
        if arr is None:
            value = self.doc.parent_tree.get(sp_key)
            arr = list(value) if isinstance(value, pikepdf.Array) else []
            self.parent_arrays[sp_key] = arr
        return self.doc.node_for(arr[mcid]) if 0 <= mcid < len(arr) else None

    def _frame(self, mark: MarkedContent | None) -> _Frame:
        return self.frames[mark] if mark is not None else _ROOT

    def _open(self, mark: MarkedContent, page: int) -> None:
        top = self._frame(mark.enclosing)
        props, tag = mark.properties, mark.tag
        artifact = tag == "Artifact"
        mcid, node, lang = top.mcid, top.node, top.lang
        own_lang = text(props.get("/Lang")) if props is not None else None
        if own_lang is not None and not LANGUAGE_TAG.fullmatch(own_lang):
            self.findings.append(Finding("7.2-29", where(page),
                                         f"marked content /{tag} has Lang {own_lang!r}, "
                                         "not a language tag"))
        if mark.mcid is not None:
            mcid = mark.mcid
            node = self._element(mark.struct_parents, mcid)
            if node is not None:
                lang = node.inherited_lang or lang
                if top.artifact:
                    self.counts[("7.1-2", page)] += 1
        if artifact and top.node is not None and not top.artifact:
            self.counts[("7.1-1", page)] += 1
        if own_lang:
            lang = own_lang
        if tag == "Span" and props is not None and not own_lang and not lang \
                and not self.doc.has_lang:
            for k, rule in (("/ActualText", "7.2-30"), ("/Alt", "7.2-31"), ("/E", "7.2-32")):
                if k in props:
                    self.findings.append(Finding(rule, where(page),
                                                 f"Span marked content has {k} but no "
                                                 "language is determined"))
        self.frames[mark] = _Frame(tag=tag, artifact=top.artifact or artifact, mcid=mcid,
                                   node=node, lang=lang)

    def _item(self, top: _Frame, kind: str, page: int, sample: str = "") -> None:
        if top.artifact or top.node is not None:
            return
        group = (page, top.mcid)
        self.untagged.setdefault(group, Counter())[kind] += 1
        if sample and len(self.samples.get(group, "")) < 40:
            self.samples[group] = self.samples.get(group, "") + sample

    # -- the walk ------------------------------------------------------------------

    def run(self) -> ContentScan:
        for number, page in enumerate(self.doc.pages, start=1):
            for step in self.walker.page(page, number):
                self._step(step, number)
            self.frames.clear()  # marked content ends with its page
        self._report()
        return ContentScan(self.findings, self.walker.fonts)

    def _step(self, step: Step, page: int) -> None:
        op = step.operator
        if op in SHOW_TEXT:
            font: FontUse | None = step.state.font
            data = step.shown
            if font is not None and data:
                font.shown[page] += data
                if step.state.render_mode != 3:
                    font.rendered[page] += data
            top = self._frame(step.mark)
            if not (top.artifact or top.node is not None):
                self._item(top, "text", page, _sample(font, data))
            if not (top.artifact or top.lang or self.doc.has_lang):
                self.counts[("7.2-34", page)] += 1
        elif op in ("BDC", "BMC"):
            self._open(step.mark, page)
        elif op in PAINT_OPS or op == "sh":
            self._item(self._frame(step.mark), "path" if op != "sh" else "shading", page)
        elif op == "INLINE IMAGE":
            self._item(self._frame(step.mark), "inline image", page)
        elif op == "Do" and step.xobject is not None:
            self._paint(step, page)

    def _paint(self, step: Step, page: int) -> None:
        xobj = step.xobject
        subtype = xobj.get("/Subtype")
        if subtype == "/Image":
            self._item(self._frame(step.mark), "image", page)
        elif subtype == "/Form" and "/Ref" in xobj and key(xobj) not in self.ref_forms:
            self.ref_forms.add(key(xobj))
            self.findings.append(Finding("7.20-1", where(page, obj=xobj),
                                         f"Form XObject {step.operands[0]} is a reference "
                                         "XObject"))

    # -- findings ------------------------------------------------------------------

    def _report(self) -> None:
        for (page, mcid), kinds in sorted(self.untagged.items(),
                                          key=lambda kv: (kv[0][0], kv[0][1] or -1)):
            what = ", ".join(f"{n} {kind}" for kind, n in kinds.most_common())
            sample = self.samples.get((page, mcid), "").strip()
            context = "outside any marked content" if mcid is None else \
                f"in marked content MCID {mcid}, which no element of the structure tree owns"
            message = f"{what} {context}, and not an Artifact"
            if sample:
                message += f": \u201c{sample[:40]}\u201d"
            self.findings.append(Finding("7.1-3", where(page), message))
        messages = {
            "7.1-1": "Artifact marked content inside tagged content",
            "7.1-2": "tagged marked content inside an Artifact",
            "7.2-34": "text showing operators with no language (no catalog /Lang, no Lang)",
        }
        for (rule, page), n in sorted(self.counts.items(), key=lambda kv: (kv[0][1], kv[0][0])):
            self.findings.append(Finding(rule, where(page), f"{n} \u00d7 {messages[rule]}"))


def _sample(font: FontUse | None, data: bytes) -> str:
    """A few characters of what the untagged text says, to help find it on the page."""
    if font is None:
        return ""
    codes = font.info.split(data[:80]) or []
    return "".join(font.info.unicode(c) or "" for c in codes)


def scan(doc: Doc) -> ContentScan:
    return _Scanner(doc).run()


def check(doc: Doc):
    return doc.content.findings
