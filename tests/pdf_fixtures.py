"""Small tagged PDFs made by hand with pikepdf, for the PDF/UA audit's tests.

`good_pdf()` writes one page that the audit passes: a Document with H1, P (with a Link and
its annotation), L/LI/Lbl/LBody, a Figure with Alt, an H2 and a page-number Artifact;
catalog /Lang, /MarkInfo, /ViewerPreferences, an outline, XMP with dc:title and
pdfuaid:part, and Atkinson Hyperlegible embedded with a ToUnicode CMap (as a simple
TrueType font, or with type0=True as a Type 0 / CIDFontType2 font with Identity-H, which
is what WeasyPrint writes). Tests then break one thing with `edit()`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pikepdf
from fontTools.ttLib import TTFont
from pikepdf import Array, Dictionary, Name, String

FONT = Path(__file__).resolve().parent.parent / "styles" / "fonts" / \
    "AtkinsonHyperlegibleNext-Regular.ttf"

# (structure type, text or None for the square, x, y, size) in content order; MCID = index.
LINES = [
    ("H1", "Accessible booklet", 40, 540, 18),
    ("P", "Read the ", 40, 500, 11),
    ("Link", "guide", 88, 500, 11),
    ("Lbl", "1.", 40, 470, 11),
    ("LBody", "First item", 60, 470, 11),
    ("Figure", None, 40, 380, 60),
    ("H2", "Section", 40, 340, 14),
]
PAGE_NUMBER = "1"

XMP = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"
      xmlns:{prefix}="http://www.aiim.org/pdfua/ns/id/">
   {title}
   {ua}
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""


def xmp(title: str | None = "Accessible booklet", part: str | None = "1",
        prefix: str = "pdfuaid", amd: str | None = None, corr: str | None = None) -> bytes:
    """An XMP packet; each argument can be broken on its own."""
    t = ("<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">"
         f"{title}</rdf:li></rdf:Alt></dc:title>") if title is not None else ""
    ua = "".join(f"<{prefix}:{k}>{v}</{prefix}:{k}>"
                 for k, v in (("part", part), ("amd", amd), ("corr", corr)) if v is not None)
    return XMP.format(prefix=prefix, title=t, ua=ua).encode("utf-8")


def metadata_stream(pdf: pikepdf.Pdf, data: bytes) -> pikepdf.Stream:
    return pdf.make_stream(data, Type=Name.Metadata, Subtype=Name.XML)


def to_unicode(pairs: dict[bytes, str], width: int) -> bytes:
    """A ToUnicode CMap from code -> text (bfchar entries), codes `width` bytes long."""
    lines = ["/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
             "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
             "/CMapName /Adobe-Identity-UCS def", "/CMapType 2 def",
             "1 begincodespacerange", f"<{'00' * width}> <{'FF' * width}>",
             "endcodespacerange"]
    items = sorted(pairs.items())
    for start in range(0, len(items), 100):
        chunk = items[start:start + 100]
        lines.append(f"{len(chunk)} beginbfchar")
        lines += [f"<{code.hex()}> <{text.encode('utf-16-be').hex()}>" for code, text in chunk]
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines).encode("ascii")


class _Font:
    """Atkinson Hyperlegible as a PDF font, and how to show text in it."""

    def __init__(self, pdf: pikepdf.Pdf, type0: bool):
        data = FONT.read_bytes()
        tt = TTFont(FONT)
        self.cmap = tt.getBestCmap()
        self.order = {g: i for i, g in enumerate(tt.getGlyphOrder())}
        self.hmtx = tt["hmtx"]
        scale = 1000 / tt["head"].unitsPerEm
        self.type0 = type0
        head, hhea = tt["head"], tt["hhea"]
        descriptor = Dictionary(
            Type=Name.FontDescriptor, FontName=Name("/AtkinsonHyperlegible-Regular"),
            Flags=32, FontBBox=Array([head.xMin, head.yMin, head.xMax, head.yMax]),
            ItalicAngle=0, Ascent=hhea.ascent, Descent=hhea.descent,
            CapHeight=tt["OS/2"].sCapHeight, StemV=80,
            FontFile2=pdf.make_stream(data, Length1=len(data)))
        used = sorted({c for _, text, *_ in LINES if text for c in text} | set(PAGE_NUMBER))
        if not type0:
            widths = [round(self.hmtx[self.cmap[c]][0] * scale) if c in self.cmap else 0
                      for c in range(32, 127)]
            self.obj = pdf.make_indirect(Dictionary(
                Type=Name.Font, Subtype=Name.TrueType,
                BaseFont=Name("/AtkinsonHyperlegible-Regular"), FirstChar=32, LastChar=126,
                Widths=Array(widths), Encoding=Name.WinAnsiEncoding,
                FontDescriptor=pdf.make_indirect(descriptor),
                ToUnicode=pdf.make_stream(to_unicode(
                    {bytes([c]): chr(c) for c in range(32, 127)}, 1))))
            return
        gids = {ch: self.order[self.cmap[ord(ch)]] for ch in used}
        w = Array()
        for ch, gid in sorted(gids.items(), key=lambda kv: kv[1]):
            w.extend([gid, Array([round(self.hmtx[self.cmap[ord(ch)]][0] * scale)])])
        self.cidfont = pdf.make_indirect(Dictionary(
            Type=Name.Font, Subtype=Name.CIDFontType2,
            BaseFont=Name("/AtkinsonHyperlegible-Regular"),
            CIDSystemInfo=Dictionary(Registry=String("Adobe"), Ordering=String("Identity"),
                                     Supplement=0),
            FontDescriptor=pdf.make_indirect(descriptor), DW=1000, W=w,
            CIDToGIDMap=Name.Identity))
        self.obj = pdf.make_indirect(Dictionary(
            Type=Name.Font, Subtype=Name.Type0, BaseFont=Name("/AtkinsonHyperlegible-Regular"),
            Encoding=Name("/Identity-H"), DescendantFonts=Array([self.cidfont]),
            ToUnicode=pdf.make_stream(to_unicode(
                {gid.to_bytes(2, "big"): ch for ch, gid in gids.items()}, 2))))
        self.gids = gids

    def show(self, text: str) -> str:
        """The string operand that shows `text` in this font."""
        if self.type0:
            return "<" + "".join(f"{self.gids[ch]:04x}" for ch in text) + ">"
        return "(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def page_content(font: _Font) -> bytes:
    ops = []
    for mcid, (tag, text, x, y, size) in enumerate(LINES):
        if text is None:
            ops.append(f"/{tag} <</MCID {mcid}>> BDC 0 0 1 rg {x} {y} {size} {size} re f EMC")
        else:
            ops.append(f"/{tag} <</MCID {mcid}>> BDC BT /F1 {size} Tf {x} {y} Td "
                       f"{font.show(text)} Tj ET EMC")
    ops.append(f"/Artifact <</Type /Pagination>> BDC BT /F1 9 Tf 200 30 Td "
               f"{font.show(PAGE_NUMBER)} Tj ET EMC")
    return "\n".join(ops).encode("ascii") + b"\n"


def good_pdf(path: Path, type0: bool = False) -> Path:
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(420, 595))
    page = pdf.pages[0]
    font = _Font(pdf, type0)
    page.obj.Resources = Dictionary(Font=Dictionary(F1=font.obj))
    page.obj.Contents = pdf.make_stream(page_content(font))

    root = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
    document = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, P=root))
    root.K = Array([document])

    def element(s: str, parent, k, **extra):
        return pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name("/" + s), P=parent,
                                            Pg=page.obj, K=k, **extra))

    annot = pdf.make_indirect(Dictionary(
        Type=Name.Annot, Subtype=Name.Link, Rect=Array([88, 495, 118, 512]), F=4,
        Border=Array([0, 0, 0]), Contents=String("Read the guide"), StructParent=1,
        A=Dictionary(S=Name.URI, URI=String("https://example.org/guide"))))
    h1 = element("H1", document, 0)
    para = element("P", document, Array([1]))
    link = element("Link", para, Array([2, Dictionary(Type=Name.OBJR, Obj=annot,
                                                      Pg=page.obj)]))
    para.K.append(link)
    lst = element("L", document, Array())
    item = element("LI", lst, Array())
    lst.K.append(item)
    lbl, lbody = element("Lbl", item, 3), element("LBody", item, 4)
    item.K.extend([lbl, lbody])
    figure = element("Figure", document, 5, Alt=String("A blue square"))
    h2 = element("H2", document, 6)
    document.K = Array([h1, para, lst, figure, h2])
    root.ParentTree = pdf.make_indirect(Dictionary(Nums=Array([
        0, Array([h1, para, link, lbl, lbody, figure, h2]), 1, link])))
    root.ParentTreeNextKey = 2

    page.obj.Annots = Array([annot])
    page.obj.Tabs = Name.S
    page.obj.StructParents = 0

    outlines = pdf.make_indirect(Dictionary(Type=Name.Outlines, Count=1))
    entry = pdf.make_indirect(Dictionary(Title=String("Accessible booklet"), Parent=outlines,
                                         Dest=Array([page.obj, Name.Fit])))
    outlines.First = outlines.Last = entry

    cat = pdf.Root
    cat.StructTreeRoot = root
    cat.MarkInfo = Dictionary(Marked=True)
    cat.Lang = String("en-GB")
    cat.ViewerPreferences = Dictionary(DisplayDocTitle=True)
    cat.Metadata = metadata_stream(pdf, xmp())
    cat.Outlines = outlines
    pdf.save(path)
    return path


# -- editing helpers -----------------------------------------------------------------------

def edit(src: Path, dst: Path, change: Callable[[pikepdf.Pdf], None]) -> Path:
    """Copy `src` to `dst` with one change made to it."""
    with pikepdf.open(src) as pdf:
        change(pdf)
        pdf.save(dst)
    return dst


def elements(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    """Every structure element, in document order."""
    out, stack = [], [pdf.Root.StructTreeRoot.K]
    while stack:
        k = stack.pop()
        if isinstance(k, pikepdf.Array):
            stack.extend(reversed(list(k)))
        elif isinstance(k, pikepdf.Dictionary) and "/S" in k:
            out.append(k)
            if "/K" in k:
                stack.append(k.K)
    return out


def elem(pdf: pikepdf.Pdf, s: str, n: int = 0) -> pikepdf.Dictionary:
    """The n-th structure element of type `s`."""
    return [e for e in elements(pdf) if e.S == "/" + s][n]


def add(pdf: pikepdf.Pdf, s: str, parent, kids=(), index: int | None = None,
        **extra) -> pikepdf.Dictionary:
    """A new element of type `s` as a kid of `parent` (at the end, or at `index`)."""
    new = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name("/" + s), P=parent,
                                       K=Array(list(kids)), **extra))
    _insert_kid(parent, new, index)
    return new


def _insert_kid(parent, kid, index: int | None) -> None:
    """Put `kid` into `parent`'s /K (made an array if need be), at the end or at `index`."""
    if not isinstance(parent.get("/K"), pikepdf.Array):
        parent.K = Array([parent.K]) if "/K" in parent else Array()
    if index is None:
        parent.K.append(kid)
    else:
        parent.K.insert(index, kid)


def move(pdf: pikepdf.Pdf, element, new_parent, index: int | None = None) -> None:
    """Take `element` out of its parent's /K and put it into `new_parent`'s."""
    old = element.P
    kids = [k for k in old.K if not (isinstance(k, pikepdf.Dictionary) and
                                     k.objgen == element.objgen)]
    old.K = Array(kids)
    _insert_kid(new_parent, element, index)
    element.P = new_parent


def content(pdf: pikepdf.Pdf) -> bytes:
    return pdf.pages[0].Contents.read_bytes()


def set_content(pdf: pikepdf.Pdf, data: bytes) -> None:
    pdf.pages[0].Contents.write(data)


def replace_content(pdf: pikepdf.Pdf, old: bytes, new: bytes) -> None:
    data = content(pdf)
    assert old in data, old
    set_content(pdf, data.replace(old, new, 1))


def font(pdf: pikepdf.Pdf) -> pikepdf.Dictionary:
    return pdf.pages[0].Resources.Font.F1


def add_form(pdf: pikepdf.Pdf, data: bytes, **extra) -> pikepdf.Stream:
    """A Form XObject /Fm1 with content `data` (and the page's resources) for the page to
    paint; `extra` goes into its dictionary, e.g. a /Filter its data does not fit."""
    form = pdf.make_stream(data, Type=Name.XObject, Subtype=Name.Form,
                           BBox=Array([0, 0, 50, 50]), Resources=pdf.pages[0].Resources,
                           **extra)
    pdf.pages[0].Resources.XObject = Dictionary(Fm1=form)
    return form


# Content that cannot be read whole: data a /FlateDecode filter cannot inflate, and a
# stream cut off inside a string, which qpdf parses only up to the cut.
UNDECODABLE = {"data": b"BT /F1 9 Tf 0 0 Td (2) Tj ET", "Filter": Name.FlateDecode}
CUT_OFF = {"data": b"BT /F1 9 Tf 0 0 Td (2) Tj ET BT /F1 9 Tf 0 9 Td (3"}
