"""What must fit the printed page: figures with their captions, and running heads.

The page is print.css's: A5 (148 × 210 mm) with margins of 18 mm (top), 20 mm (bottom)
and 15 + 19 mm (sides), so the text block is 114 × 172 mm; captions and running heads
are 12 pt. tests/test_print_fit.py measures the PDF to hold these to the layout.

Figures. Each is printed at the text block's width unless that makes it, with its
caption, taller than the text block: then it is narrowed until it fits, and since it
may not break (break-inside: avoid) it takes a page of its own if it must. A figure
is refused (B226) when fitting would leave it unreadable:
  - an SVG whose smallest text would print below 12 pt: clear print sets every text,
    figure labels included, at body size or larger (the large-print edition, 1.5
    times as wide, then prints them at 18 pt);
  - any figure printed at less than 40 % of its reference width: its natural width
    (pixels at the file's own resolution, 96 dpi if it gives none, or the SVG's
    width) or the text block's width, whichever is narrower. A figure made for a
    screen or a page, narrowed below that, has labels at under half their size.

Running heads. "Author · short title" must stay on one line of the running head
(12 pt, at most RUNNING_HEAD_WIDTH). Without `short_title`, the short title is the
title (or subtitle) up to its first colon or dash; if the running head is still too
long, it is cut after the last whole word that fits, followed by "…", and the build
warns (B231) so the editor can choose the words. A `short_title` the editor gave that
does not fit is refused (B231).
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from pathlib import Path

MM = 72 / 25.4  # points per millimetre
TEXT_WIDTH_MM = 148 - 15 - 19
TEXT_HEIGHT_MM = 210 - 18 - 20
CAPTION_PT, CAPTION_LEADING = 12, 1.45
CAPTION_GAP_PT = 6  # .figure figcaption { margin-top }
FIGURE_MARGINS_PT = 12 + 8  # .figure { margin: 12pt 0 8pt }
SAFETY_MM = 3  # rounding, and a caption line more than its width suggests
MIN_SCALE = 0.40
MIN_SVG_TEXT_PT = 12

RUNNING_HEAD_PT = 12  # print.css @top-left/@top-right
# The running head sits in the top margin box, over the text block's width; a tenth is
# kept back for kerning and rounding, so a head that measures under this never wraps.
RUNNING_HEAD_WIDTH = TEXT_WIDTH_MM * MM * 0.9
SHORT_TITLE_SPLIT = re.compile(r"[:–—]|\s-\s")


# Figures ------------------------------------------------------------------------------


def natural_size(path: Path) -> tuple[float, float]:
    """The figure's natural (width, height) in millimetres."""
    if path.suffix.lower() == ".svg":
        root = ET.parse(path).getroot()
        return _svg_size(root)
    from PIL import Image

    with Image.open(path) as image:
        width, height = image.size
        dpi = image.info.get("dpi")
    x_dpi, y_dpi = (float(dpi[0]), float(dpi[1])) if dpi and dpi[0] and dpi[1] else (96, 96)
    return width / x_dpi * 25.4, height / y_dpi * 25.4


_UNITS_MM = {"": 25.4 / 96, "px": 25.4 / 96, "pt": 25.4 / 72, "pc": 25.4 / 6, "mm": 1,
             "cm": 10, "in": 25.4}
_LENGTH = re.compile(r"^\s*([0-9.]+)\s*(px|pt|pc|mm|cm|in)?\s*$")


def _length_mm(value: str | None) -> float | None:
    match = _LENGTH.match(value or "")
    return float(match.group(1)) * _UNITS_MM[match.group(2) or ""] if match else None


def _view_box(root) -> tuple[float, float] | None:
    parts = (root.get("viewBox") or "").replace(",", " ").split()
    try:
        return (float(parts[2]), float(parts[3])) if len(parts) == 4 else None
    except ValueError:
        return None


def _svg_size(root) -> tuple[float, float]:
    box = _view_box(root)
    width, height = _length_mm(root.get("width")), _length_mm(root.get("height"))
    if width and height:
        return width, height
    if box and box[0] > 0:
        if width:
            return width, width * box[1] / box[0]
        if height:
            return height * box[0] / box[1], height
        return box[0] * _UNITS_MM["px"], box[1] * _UNITS_MM["px"]
    return TEXT_WIDTH_MM, TEXT_WIDTH_MM * 0.75  # WeasyPrint's own default: 300 × 150 px


_FONT_SIZE_STYLE = re.compile(r"font-size\s*:\s*([0-9.]+)\s*(px|pt)?")


def smallest_svg_text(path: Path) -> float | None:
    """The smallest font size of any text in the SVG, in its user units; None if none."""
    root = ET.parse(path).getroot()
    smallest = None

    def walk(element, size: float) -> None:
        nonlocal smallest
        own = element.get("font-size")
        style = _FONT_SIZE_STYLE.search(element.get("style") or "")
        for value, unit in ((own, None), (style.group(1) if style else None,
                                          style.group(2) if style else None)):
            match = re.match(r"^\s*([0-9.]+)\s*(px|pt)?\s*$", value or "")
            if match:
                unit = match.group(2) or unit or "px"
                size = float(match.group(1)) * (96 / 72 if unit == "pt" else 1)
        tag = element.tag.rsplit("}", 1)[-1]
        if tag in ("text", "tspan", "textPath") and (element.text or "").strip():
            smallest = size if smallest is None else min(smallest, size)
        for child in element:
            walk(child, size)

    walk(root, 16.0)  # CSS's medium, as a browser starts
    return smallest


def caption_height_mm(label: str, caption: str, typefaces) -> float:
    if typefaces is None:
        width = len(label + caption) * CAPTION_PT * 0.55
    else:
        width = (typefaces.width(f"{label}: ", CAPTION_PT, "700")
                 + typefaces.width(caption, CAPTION_PT))
    lines = max(1, math.ceil(width / (TEXT_WIDTH_MM * MM)))
    return (lines * CAPTION_PT * CAPTION_LEADING + CAPTION_GAP_PT) / MM


def fit_figure(path: Path, label: str, caption: str, typefaces) -> tuple[float, str | None]:
    """(the printed width in mm, or why the figure would be unreadable at it)."""
    width, height = natural_size(path)
    available = (TEXT_HEIGHT_MM - caption_height_mm(label, caption, typefaces)
                 - FIGURE_MARGINS_PT / MM - SAFETY_MM)
    printed = TEXT_WIDTH_MM
    if printed * height / width > available:
        printed = available * width / height
    reference = min(width, TEXT_WIDTH_MM)
    if path.suffix.lower() == ".svg":
        units = smallest_svg_text(path)
        root = ET.parse(path).getroot()
        box = _view_box(root)
        user_width = box[0] if box else width / _UNITS_MM["px"]
        if units is not None:
            points = units * (printed / user_width) * MM
            if points < MIN_SVG_TEXT_PT:
                return printed, (f"its smallest text would print at {points:.1f} pt, under "
                                 f"{MIN_SVG_TEXT_PT} pt")
            return printed, None
    if printed / reference < MIN_SCALE:
        return printed, (f"to fit the page with its caption it would print at "
                         f"{printed:.0f} mm wide, {printed / reference:.0%} of its width")
    return printed, None


# Running heads --------------------------------------------------------------------------


def running_head_width(author: str, short_title: str, typefaces) -> float:
    text = f"{author} · {short_title}"
    if typefaces is None:
        return len(text) * RUNNING_HEAD_PT * 0.55
    return typefaces.width(text, RUNNING_HEAD_PT)


def derived_short_title(title: str) -> str:
    """The title up to its first colon or dash: "Beyond two metres apart"."""
    return SHORT_TITLE_SPLIT.split(title, maxsplit=1)[0].strip()


def shorten_to_fit(author: str, short_title: str, typefaces) -> str:
    """`short_title` cut after its last whole word that lets the running head fit,
    with "…"; "" if not even one word fits."""
    words = short_title.split()
    while words:
        candidate = " ".join(words).rstrip(",;.–—-") + "…"
        if running_head_width(author, candidate, typefaces) <= RUNNING_HEAD_WIDTH:
            return candidate
        words.pop()
    return ""
