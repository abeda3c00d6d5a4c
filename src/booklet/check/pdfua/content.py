"""One pass over every page's content (and the Form XObjects it draws).

The pass keeps a stack of open marked-content sequences and classifies each content item
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

from booklet.check.pdf_content import UnreadableContent, form_label, parse
from booklet.check.pdfua.fonts import FontInfo
from booklet.check.pdfua.model import LANGUAGE_TAG, Doc, Finding, Node, key, name, text, where

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

TEXT_OPS = frozenset({"Tj", "TJ", "'", '"'})
PAINT_OPS = frozenset({"S", "s", "f", "F", "f*", "B", "B*", "b", "b*"})
MAX_FORM_DEPTH = 12


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
        self.fonts: dict[object, FontUse] = {}
        self.untagged: dict[tuple, Counter] = {}
        self.samples: dict[tuple, str] = {}
        self.counts: Counter = Counter()
        self.parsed: dict[tuple, list] = {}
        self.ref_forms: set = set()
        self.parent_arrays: dict[int, list] = {}

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

    def _open(self, stack, tag: str, props, resources, sp_key, page: int) -> None:
        top = stack[-1]
        if isinstance(props, pikepdf.Name) and resources is not None:
            named = resources.get("/Properties")
            props = named.get(props) if isinstance(named, pikepdf.Dictionary) else None
        if not isinstance(props, pikepdf.Dictionary):
            props = None
        artifact = tag == "Artifact"
        mcid, node, lang = top.mcid, top.node, top.lang
        own_lang = text(props.get("/Lang")) if props is not None else None
        if own_lang is not None and not LANGUAGE_TAG.fullmatch(own_lang):
            self.findings.append(Finding("7.2-29", where(page),
                                         f"marked content /{tag} has Lang {own_lang!r}, "
                                         "not a language tag"))
        if props is not None and isinstance(props.get("/MCID"), int):
            mcid = int(props.MCID)
            node = self._element(sp_key, mcid)
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
        stack.append(_Frame(tag=tag, artifact=top.artifact or artifact, mcid=mcid,
                            node=node, lang=lang))

    def _item(self, stack, kind: str, page: int, sample: str = "") -> None:
        top = stack[-1]
        if top.artifact or top.node is not None:
            return
        group = (page, top.mcid)
        self.untagged.setdefault(group, Counter())[kind] += 1
        if sample and len(self.samples.get(group, "")) < 40:
            self.samples[group] = self.samples.get(group, "") + sample

    # -- fonts ---------------------------------------------------------------------

    def _font(self, resources, font_name) -> FontUse | None:
        fonts = resources.get("/Font") if resources is not None else None
        font = fonts.get(font_name) if isinstance(fonts, pikepdf.Dictionary) else None
        if not isinstance(font, pikepdf.Dictionary):
            return None
        k = key(font) or ("direct", resources.objgen, str(font_name))
        use = self.fonts.get(k)
        if use is None:
            use = self.fonts[k] = FontUse(FontInfo(font))
        return use

    # -- the walk ------------------------------------------------------------------

    def run(self) -> ContentScan:
        for number, page in enumerate(self.doc.pages, start=1):
            sp = page.obj.get("/StructParents")
            try:
                instructions = parse(self.doc.pdf, page, number)
            except UnreadableContent as exc:  # what cannot be read cannot be told tagged
                self.findings.append(Finding("7.1-3", where(number), exc.reason))
                instructions = exc.instructions
            self._walk(instructions, page.obj.get("/Resources"),
                       int(sp) if isinstance(sp, int) else None, number, [_ROOT], ())
        self._report()
        return ContentScan(self.findings, self.fonts)

    def _walk(self, instructions, resources, sp_key, page: int, stack: list,
              forms: tuple) -> None:
        gstate: list[tuple] = []
        font: FontUse | None = None
        mode = 0
        for ins in instructions:
            if isinstance(ins, pikepdf.ContentStreamInlineImage):
                self._item(stack, "inline image", page)
                continue
            op = str(ins.operator)
            if op in TEXT_OPS:
                operands = ins.operands
                if op == "TJ":
                    arr = operands[0] if operands else []
                    data = b"".join(bytes(s) for s in arr if isinstance(s, pikepdf.String))
                else:
                    s = operands[-1] if operands else None
                    data = bytes(s) if isinstance(s, pikepdf.String) else b""
                if font is not None and data:
                    font.shown[page] += data
                    if mode != 3:
                        font.rendered[page] += data
                top = stack[-1]
                if not (top.artifact or top.node is not None):
                    self._item(stack, "text", page, _sample(font, data))
                if not (top.artifact or top.lang or self.doc.has_lang):
                    self.counts[("7.2-34", page)] += 1
            elif op == "BDC" or op == "BMC":
                operands = ins.operands
                tag = name(operands[0]) if operands else None
                self._open(stack, tag or "?", operands[1] if op == "BDC" and
                           len(operands) > 1 else None, resources, sp_key, page)
            elif op == "EMC":
                if len(stack) > 1:
                    stack.pop()
            elif op in PAINT_OPS or op == "sh":
                self._item(stack, "path" if op != "sh" else "shading", page)
            elif op == "Tf":
                font = self._font(resources, ins.operands[0]) if ins.operands else None
            elif op == "Tr":
                mode = int(ins.operands[0]) if ins.operands else 0
            elif op == "q":
                gstate.append((font, mode))
            elif op == "Q":
                if gstate:
                    font, mode = gstate.pop()
            elif op == "Do":
                self._do(ins.operands[0] if ins.operands else None, resources, sp_key,
                         page, stack, forms)

    def _do(self, xname, resources, sp_key, page: int, stack: list, forms: tuple) -> None:
        xobjects = resources.get("/XObject") if resources is not None else None
        xobj = xobjects.get(xname) if isinstance(xobjects, pikepdf.Dictionary) and \
            xname is not None else None
        if not isinstance(xobj, pikepdf.Stream):
            return
        subtype = xobj.get("/Subtype")
        if subtype == "/Image":
            self._item(stack, "image", page)
            return
        if subtype != "/Form":
            return
        k = key(xobj)
        if "/Ref" in xobj and k not in self.ref_forms:
            self.ref_forms.add(k)
            self.findings.append(Finding("7.20-1", where(page, obj=xobj),
                                         f"Form XObject {xname} is a reference XObject"))
        if k in forms or len(forms) >= MAX_FORM_DEPTH:
            return
        instructions = self.parsed.get(k) if k else None
        if instructions is None:
            try:
                instructions = parse(self.doc.pdf, xobj, page,
                                     f"content stream of {form_label(xname, xobj)}")
            except UnreadableContent as exc:
                self.findings.append(Finding("7.1-3", where(page), exc.reason))
                instructions = exc.instructions
            if k:
                self.parsed[k] = instructions
        own_sp = xobj.get("/StructParents")
        depth = len(stack)
        self._walk(instructions, xobj.get("/Resources", resources),
                   int(own_sp) if isinstance(own_sp, int) else sp_key, page, stack,
                   forms + (k,))
        del stack[depth:]  # a form cannot leave sequences open in its caller

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
