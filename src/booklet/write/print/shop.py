"""The print-shop edition, build/booklet-print.pdf: the booklet as a press wants it.

WeasyPrint lays the booklet out again, in parts joined like the other print editions'
(write/print/layout.py), with styles/print-shop.css, which changes only
colours (printing inks, `device-cmyk()`) and adds a 3 mm bleed: it writes the TrimBox
(the A5 page), a BleedBox and MediaBox 3 mm outside it, the cover's navy into the bleed,
and the stylesheet's CMYK profile as the output intent. This module then finishes the
file toward PDF/X-4 (ISO 15930-7; docs/print-shop.md lists each requirement) with pikepdf,
in what CSS cannot say:

- artwork (SVG figures) keeps the RGB its author drew: its greys become black ink only
  (DeviceGray, which a CMYK press prints with K alone), its other colours are declared
  sRGB (a DefaultRGB colour space) so that the shop's RIP converts them exactly;
- the output intent names its printing condition, FOGRA39, as the ICC registry does;
- PDF/X-4's identification in the XMP and the Info dictionary, and PDF 1.6;
- crop marks, when asked for, outside the bleed, as artifacts.

The tag tree is WeasyPrint's and the project's, untouched: this is the same booklet, and
it passes the same PDF/UA audit.
"""

from __future__ import annotations

import io
import re
import uuid
from decimal import Decimal
from pathlib import Path

import pikepdf

from booklet.write.print.layout import write_pdf

MM = 72 / 25.4
MARK_LENGTH = 5 * MM      # crop marks begin where the bleed ends, never inside it
MARK_WIDTH = 0.25         # points: a hairline, as imposition software draws them
MARK_MARGIN = 1 * MM      # paper beyond the marks' ends
# The printing condition the profile characterises, by its name in the ICC's registry of
# characterisation data (https://www.color.org/registry), which RIPs recognise.
CONDITION_ID = "FOGRA39"
CONDITION = ("Offset printing, ISO 12647-2:2004/Amd 1, paper type 1 or 2 (coated), "
             "screen 60/cm (FOGRA39L)")
REGISTRY = "http://www.color.org"
# An RGB grey this dark is meant as black: printed as a 94 % tint it would be screened
# into dots at its edges; as solid black ink it stays crisp.
BLACK_BELOW = 0.15
_RGB_OPERATOR = re.compile(rb"(?:^|\s)(?:rg|RG)(?:\s|$)")


def write_print_shop(document, target: Path, identifier: str, crop_marks: bool = False) -> None:
    """Write `document` (laid out with styles/print-shop.css: an edition joined from its
    parts, write/print/layout.py) as the print-shop PDF."""
    raw = io.BytesIO()
    # Its own file identifier: it is a different file from the standard edition.
    write_pdf(document, raw, identifier + "#print-shop")
    raw.seek(0)
    with pikepdf.open(raw) as pdf:
        _set_boxes(pdf)
        _artwork_colours(pdf)
        _name_output_intent(pdf)
        _identify_pdfx(pdf, identifier)
        if crop_marks:
            _add_crop_marks(pdf)
        # PDF/X-4 is a subset of PDF 1.6; nothing WeasyPrint writes needs 1.7.
        pdf.save(target, force_version="1.6", deterministic_id=True)


def _set_boxes(pdf: pikepdf.Pdf) -> None:
    """Every page: TrimBox the A5 page and BleedBox the area the stylesheet's `bleed`
    adds around it, which WeasyPrint made the MediaBox and painted the page background
    over. (WeasyPrint sets its BleedBox at most 10 pt out, whatever the bleed.)"""
    for page in pdf.pages:
        media = [_pt(float(v)) for v in page.obj.MediaBox]
        page.obj.TrimBox = pikepdf.Array([_pt(float(v)) for v in page.obj.TrimBox])
        page.obj.MediaBox = pikepdf.Array(media)
        page.obj.BleedBox = pikepdf.Array(media)


def _pt(value: float) -> Decimal:
    return Decimal(f"{value:.4f}")


def _content_streams(pdf: pikepdf.Pdf):
    """Every stream of drawing operators: pages, form XObjects, tiling patterns."""
    for page in pdf.pages:
        contents = page.obj.get("/Contents")
        if isinstance(contents, pikepdf.Array):
            yield from contents
        elif contents is not None:
            yield contents
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream) and (
                obj.get("/Subtype") == "/Form" or obj.get("/PatternType") == 1):
            yield obj


def _artwork_colours(pdf: pikepdf.Pdf) -> None:
    """What is still RGB is artwork (the booklet's own colours are CMYK): make its greys
    black ink only, and declare the rest sRGB, which is what its author saw."""
    for stream in _content_streams(pdf):
        data = stream.read_bytes()
        if not _RGB_OPERATOR.search(data):
            continue
        changed = False
        operations = []
        for operands, operator in pikepdf.parse_content_stream(stream):
            if str(operator) in ("rg", "RG") and len(operands) == 3:
                r, g, b = (float(v) for v in operands)
                if max(r, g, b) - min(r, g, b) <= 1 / 255:
                    grey = (r + g + b) / 3
                    grey = 0 if grey <= BLACK_BELOW else round(grey, 4)
                    operator = pikepdf.Operator("g" if str(operator) == "rg" else "G")
                    operands = [Decimal(str(grey))]
                    changed = True
            operations.append((operands, operator))
        if changed:
            stream.write(pikepdf.unparse_content_stream(operations))
    from booklet.engine import srgb_profile

    srgb = pikepdf.Stream(pdf, srgb_profile())
    srgb.N = 3
    default_rgb = pdf.make_indirect(pikepdf.Array([pikepdf.Name.ICCBased, srgb]))
    for resources in _resource_dicts(pdf):
        spaces = resources.get("/ColorSpace")
        if spaces is None:
            resources.ColorSpace = spaces = pikepdf.Dictionary()
        spaces.DefaultRGB = default_rgb


def _resource_dicts(pdf: pikepdf.Pdf):
    seen = set()
    holders = [page.obj for page in pdf.pages] + [
        obj for obj in pdf.objects if isinstance(obj, pikepdf.Stream)
        and (obj.get("/Subtype") == "/Form" or obj.get("/PatternType") == 1)]
    for holder in holders:
        resources = holder.get("/Resources")
        if isinstance(resources, pikepdf.Dictionary):
            key = resources.objgen if resources.is_indirect else id(resources)
            if key not in seen:
                seen.add(key)
                yield resources


def _name_output_intent(pdf: pikepdf.Pdf) -> None:
    intents = pdf.Root.get("/OutputIntents")
    if not isinstance(intents, pikepdf.Array) or len(intents) != 1:
        raise RuntimeError("styles/print-shop.css gave no output intent: its "
                           "@color-profile device-cmyk rule was not read")
    intent = intents[0]
    profile = intent.DestOutputProfile
    intent.Info = intent.get("/OutputConditionIdentifier", CONDITION_ID)  # the profile's name
    intent.OutputConditionIdentifier = pikepdf.String(CONDITION_ID)
    intent.OutputCondition = pikepdf.String(CONDITION)
    intent.RegistryName = pikepdf.String(REGISTRY)
    profile.Alternate = pikepdf.Name.DeviceCMYK


def _identify_pdfx(pdf: pikepdf.Pdf, identifier: str) -> None:
    """PDF/X-4's identification (ISO 15930-7 6.7): its version in the XMP, a Trapped
    key, and the XMP media-management ids; the Info dictionary says the same."""
    document_id = f"uuid:{uuid.uuid5(uuid.NAMESPACE_URL, identifier + '#print-shop')}"
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        meta["pdfxid:GTS_PDFXVersion"] = "PDF/X-4"
        meta["pdf:Trapped"] = "False"
        meta["xmpMM:DocumentID"] = document_id
        meta["xmpMM:InstanceID"] = document_id
        meta["xmpMM:VersionID"] = "1"
        meta["xmpMM:RenditionClass"] = "default"
        if "xmp:ModifyDate" in meta:
            meta["xmp:MetadataDate"] = meta["xmp:ModifyDate"]
    pdf.docinfo.GTS_PDFXVersion = pikepdf.String("PDF/X-4")
    pdf.docinfo.Trapped = pikepdf.Name("/False")


def _add_crop_marks(pdf: pikepdf.Pdf) -> None:
    """Crop marks at the four corners of the trim, beyond the bleed, in registration
    colour (every plate prints them, so the shop can cut along any separation).

    They are drawn before the page's own content and are artifacts of type Page: a
    screen reader passes them by (PDF/UA), as it does running heads."""
    registration = pdf.make_indirect(pikepdf.Array([
        pikepdf.Name.Separation, pikepdf.Name.All, pikepdf.Name.DeviceCMYK,
        pikepdf.Dictionary(FunctionType=2, Domain=[0, 1], C0=[0, 0, 0, 0],
                           C1=[1, 1, 1, 1], N=1)]))
    for resources in _resource_dicts(pdf):
        resources.ColorSpace.Registration = registration
    for page in pdf.pages:
        x0, y0, x1, y1 = (float(v) for v in page.obj.TrimBox)
        near = x0 - float(page.obj.BleedBox[0])  # the bleed
        far = near + MARK_LENGTH
        space = far + MARK_MARGIN
        page.obj.MediaBox = pikepdf.Array([_pt(x0 - space), _pt(y0 - space),
                                           _pt(x1 + space), _pt(y1 + space)])
        lines = []
        for x, sx in ((x0, -1), (x1, 1)):
            for y, sy in ((y0, -1), (y1, 1)):
                lines.append((x + sx * near, y, x + sx * far, y))   # along the trim's top/bottom
                lines.append((x, y + sy * near, x, y + sy * far))   # along its sides
        path = "".join(f"{a:.3f} {b:.3f} m {c:.3f} {d:.3f} l\n" for a, b, c, d in lines)
        marks = (f"q /Artifact <</Type /Page>> BDC /Registration CS 1 SCN "
                 f"{MARK_WIDTH} w 0 J [] 0 d\n{path}S EMC Q\n").encode()
        page.contents_add(pikepdf.Stream(pdf, marks), prepend=True)
