"""The parts of a print edition joined into one tagged PDF, with pikepdf.

The parts are laid out alone (write/print/parts.py), each a complete tagged PDF; what makes
them one booklet is done here, at the level of PDF objects:

- the pages in booklet order, a blank page where an essay must open on the right or
  the booklet be padded to whole sheets;
- one structure tree: a Document element whose kids are every part's top-level
  elements in order, the ParentTree rebuilt with each page's /StructParents and each
  link annotation's /StructParent numbered anew (pages first, then annotations, as
  WeasyPrint numbers them);
- the named destinations of every part in one name tree, so a link in one part (the
  contents) reaches its target in another (an essay); the front matter's stand-in
  targets give way to the real ones;
- each link's description gets the printed page of its target ("…, page 5");
- the bookmarks of every part, one outline in order;
- /PageLabels as the folios read: the cover "Cover", then 2, 3 …;
- the page furniture (folios, running heads), laid out for the whole booklet at once,
  drawn over each page as a pagination Artifact (a Form XObject with its own fonts);
- the catalog's /Lang, XMP metadata, MarkInfo, ViewerPreferences and output intent and
  the document information from the front matter, and a file identifier from the
  edition's; saved so that the same parts always give the same bytes.
"""

from __future__ import annotations

import hashlib
import io

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from booklet.write.print.page_start import PagePlace
from booklet.write.print.parts import PAGE_LATER

FURNITURE = Name("/BookletFurniture")


def join(parts: list[bytes], places: list[PagePlace], furniture: bytes,
         furnished: list[bool], identifier: str, stand_ins: set[str],
         dates: tuple[str, str] = ("", "")) -> bytes:
    """`parts` in reading order (a blank page's part once per blank page), `places`
    the booklet's pages in order, `furniture` one page per booklet page; `dates` (the
    front matter's, the edition's: ISO 8601) the date to replace in its metadata."""
    out = pikepdf.new()
    sources = [pikepdf.open(io.BytesIO(data)) for data in parts]
    front = sources[0]
    total = len(places)

    # Pages, in booklet order; remember where each part's pages went.
    where: dict[tuple[int, int], int] = {}
    for number, place in enumerate(places):
        out.pages.append(sources[place.part].pages[place.page])
        where[(place.part, place.page)] = number
    page_number = {out.pages[i].obj.objgen: i + 1 for i in range(total)}

    # One structure tree.
    root = out.make_indirect(Dictionary(Type=Name.StructTreeRoot))
    document = out.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document,
                                            K=Array(), P=root))
    root.K = Array([document])
    nums: dict[int, object] = {}
    next_annotation = total
    for index, source in enumerate(sources):
        tree = source.Root.StructTreeRoot
        part_nums = _number_tree(tree.ParentTree)
        for kid in tree.K[0].K:
            held = kid.get("/K")
            if held is None or (isinstance(held, Array) and len(held) == 0):
                continue  # a blank page's empty element: nothing to read
            copied = _copy(out, kid)
            copied.P = document
            document.K.append(copied)
        for local, page in enumerate(source.pages):
            number = where.get((index, local))
            if number is None:
                continue
            target = out.pages[number].obj
            key = int(page.obj.StructParents)
            nums[number] = _copy(out, part_nums[key]) if key in part_nums else Array()
            target.StructParents = number
            for annotation in target.get("/Annots", Array()):
                if "/StructParent" not in annotation:
                    continue
                key = int(annotation.StructParent)
                nums[next_annotation] = _copy(out, part_nums[key])
                annotation.StructParent = next_annotation
                next_annotation += 1
    root.ParentTree = out.make_indirect(Dictionary(Nums=Array(
        [item for key in sorted(nums) for item in (key, nums[key])])))
    root.ParentTreeNextKey = next_annotation
    out.Root.StructTreeRoot = root

    # Named destinations of all parts; the real targets replace the stand-ins.
    dests: dict[str, object] = {}
    for source in sources:
        names = source.Root.get("/Names")
        if names is None or "/Dests" not in names:
            continue
        for name, dest in pikepdf.NameTree(names.Dests).items():
            if source is front and name in stand_ins:
                continue  # the essay's own destination comes with its part
            dests[name] = _copy(out, dest)
    missing = sorted(stand_ins - dests.keys())
    if missing:
        raise RuntimeError(f"links to {missing} have no target in any part")
    tree = pikepdf.NameTree.new(out)
    for name in sorted(dests):
        tree[name] = dests[name]
    out.Root.Names = Dictionary(Dests=tree.obj)
    _page_in_descriptions(out, {name: page_number[dest[0].objgen]
                                for name, dest in dests.items()})

    _outlines(out, sources)
    out.Root.PageLabels = Dictionary(Nums=Array([
        0, Dictionary(P=String("Cover")), 1, Dictionary(S=Name.D, St=2)]))
    _furniture(out, furniture, furnished)

    for key in ("/Lang", "/MarkInfo", "/ViewerPreferences", "/Metadata", "/OutputIntents"):
        if key in front.Root:
            out.Root[key] = _copy(out, front.Root[key])
    out.trailer.Info = _copy(out, front.trailer.Info)
    _date_metadata(out, *dates)
    _share_colour_profiles(out)
    file_id = hashlib.sha256(identifier.encode()).hexdigest()[:32].encode()
    out.trailer.ID = Array([String(file_id), String(file_id)])
    raw = io.BytesIO()
    # Object streams, as WeasyPrint writes them: the structure tree is thousands of
    # small objects.
    out.save(raw, min_version=front.pdf_version, deterministic_id=True,
             object_stream_mode=pikepdf.ObjectStreamMode.generate)
    for source in sources:
        source.close()
    return raw.getvalue()


def _copy(out: pikepdf.Pdf, value):
    """A value of another file, in `out`: pikepdf copies indirect objects only (and
    what they refer to, once per file); a direct array or dictionary is walked."""
    if isinstance(value, (pikepdf.Array, pikepdf.Dictionary, pikepdf.Stream)) \
            and value.is_indirect:
        return out.copy_foreign(value)
    if isinstance(value, pikepdf.Array):
        return Array([_copy(out, item) for item in value])
    if isinstance(value, pikepdf.Dictionary):
        return Dictionary({key: _copy(out, item) for key, item in value.items()})
    return value


def _number_tree(tree) -> dict[int, object]:
    """A number tree's entries (WeasyPrint writes one flat /Nums, our parts too)."""
    found: dict[int, object] = {}
    nums = tree.get("/Nums", Array())
    for i in range(0, len(nums), 2):
        found[int(nums[i])] = nums[i + 1]
    for kid in tree.get("/Kids", Array()):
        found.update(_number_tree(kid))
    return found


def _page_in_descriptions(out: pikepdf.Pdf, pages: dict[str, int]) -> None:
    """A link's description names its target's printed page, which its part could not
    know (engine/tagging.py left a mark)."""
    for page in out.pages:
        for annotation in page.obj.get("/Annots", Array()):
            contents = annotation.get("/Contents")
            if contents is None or PAGE_LATER not in str(contents):
                continue
            name = str(annotation.Dest)
            annotation.Contents = String(str(contents).replace(PAGE_LATER, str(pages[name])))


def _outlines(out: pikepdf.Pdf, sources: list[pikepdf.Pdf]) -> None:
    items = []
    for source in sources:
        outlines = source.Root.get("/Outlines")
        item = outlines.get("/First") if outlines is not None else None
        while item is not None:
            items.append(_copy(out, item))
            item = item.get("/Next")
    if not items:
        return
    outlines = out.make_indirect(Dictionary(Type=Name.Outlines))
    for number, item in enumerate(items):
        item.Parent = outlines
        for key in ("/Prev", "/Next"):
            if key in item:
                del item[key]
        if number:
            item.Prev = items[number - 1]
            items[number - 1].Next = item
    outlines.First, outlines.Last = items[0], items[-1]
    outlines.Count = sum(1 + max(int(item.get("/Count", 0)), 0) for item in items)
    out.Root.Outlines = outlines


def _furniture(out: pikepdf.Pdf, furniture: bytes, furnished: list[bool]) -> None:
    """Each furniture page, as a Form XObject painted over its booklet page inside a
    pagination Artifact: folios and running heads are layout, not text to read."""
    with pikepdf.open(io.BytesIO(furniture)) as source:
        for number, page in enumerate(out.pages):
            if not furnished[number]:
                continue
            form = _copy(out, source.pages[number].as_form_xobject())
            # WeasyPrint shares one /Resources among a part's pages: each page gets its
            # own (a shallow copy), or every page would paint the last page's furniture.
            resources = Dictionary({key: value for key, value in page.obj.Resources.items()})
            xobjects = resources.get("/XObject")
            xobjects = Dictionary({key: value for key, value in xobjects.items()}) \
                if xobjects is not None else Dictionary()
            xobjects[FURNITURE] = form
            resources.XObject = xobjects
            page.obj.Resources = out.make_indirect(resources)
            # The page's own drawing in q … Q, so the furniture starts from the page's
            # default coordinates whatever state the page leaves.
            page.contents_add(out.make_stream(b"q\n"), prepend=True)
            page.contents_add(out.make_stream(
                b"Q\n/Artifact <</Type /Pagination>> BDC q " + FURNITURE.unparse()
                + b" Do Q EMC\n"), prepend=False)


def _share_colour_profiles(out: pikepdf.Pdf) -> None:
    """Every part brings its own copy of the same ICC profile (the print shop's CMYK
    profile is 0.5 MB): one copy serves all, as in a PDF written whole."""
    first: dict[bytes, object] = {}

    def shared(stream):
        key = hashlib.sha256(stream.read_raw_bytes()
                             + repr(sorted((k, str(v)) for k, v in stream.items()
                                           if k != "/Length")).encode()).digest()
        return first.setdefault(key, stream)

    for intent in out.Root.get("/OutputIntents", Array()):
        if "/DestOutputProfile" in intent:
            intent.DestOutputProfile = shared(intent.DestOutputProfile)

    def visit(resources, depth=0):
        if resources is None or depth > 8:
            return
        for name, space in resources.get("/ColorSpace", Dictionary()).items():
            if isinstance(space, Array) and len(space) == 2 and space[0] == Name.ICCBased:
                resources.ColorSpace[name] = Array([Name.ICCBased, shared(space[1])])
        for xobject in resources.get("/XObject", Dictionary()).values():
            if xobject.get("/Subtype") == Name.Form:
                visit(xobject.get("/Resources"), depth + 1)

    for page in out.pages:
        visit(page.obj.get("/Resources"))


def _date_metadata(out: pikepdf.Pdf, laid_out_with: str, edition: str) -> None:
    """The edition's date in the XMP and the document information, where the front
    matter (laid out with a fixed date, render/templates.py) has its placeholder."""
    if not laid_out_with or laid_out_with == edition:
        return
    xmp = out.Root.Metadata.read_bytes()
    if laid_out_with.encode() not in xmp:
        raise RuntimeError("the front matter's metadata has no date to replace")
    out.Root.Metadata.write(xmp.replace(laid_out_with.encode(), edition.encode()))

    def compact(iso: str) -> str:  # as WeasyPrint writes /CreationDate: D:YYYYMMDDHHmmSSZ
        return "D:" + iso.replace("-", "").replace(":", "").replace("T", "")

    for key in ("/CreationDate", "/ModDate"):
        if key in out.trailer.Info:
            value = str(out.trailer.Info[key])
            out.trailer.Info[key] = String(value.replace(compact(laid_out_with),
                                                         compact(edition)))
