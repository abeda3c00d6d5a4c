"""The EPUB's cover: an image drawn from the booklet's metadata.

E-readers show the cover as a thumbnail in the library, so it is a raster image
(PNG) with the title large enough to read at thumbnail size. It is drawn with the
booklet's own font and colours, the same as the printed cover.
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from booklet.content.model import Booklet

SIZE = (1200, 1800)
NAVY, WHITE = (11, 37, 69), (255, 255, 255)
MARGIN = 110


def _wrap(draw, text: str, font, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if draw.textlength(trial, font=font) <= width or not line:
            line = trial
        else:
            lines.append(line)
            line = word
    return lines + ([line] if line else [])


# A cover names the authors of a booklet of a few essays; an anthology's names would not
# fit on one page (the printed cover would run over), so it gives their number instead.
COVER_NAMES = 6


def cover_credit(booklet: Booklet) -> str:
    if len(booklet.essays) <= COVER_NAMES:
        return " · ".join(e.author for e in booklet.essays)
    return f"{len(booklet.essays)} essays"


def cover_alt(booklet: Booklet) -> str:
    return f"Cover: {booklet.title}. {booklet.subtitle}. {booklet.publisher}, {booklet.year}."


def cover_png(booklet: Booklet, fonts_dir: Path) -> bytes:
    bold = lambda size: ImageFont.truetype(str(fonts_dir / "AtkinsonHyperlegible-Bold.ttf"), size)  # noqa: E731
    regular = lambda size: ImageFont.truetype(str(fonts_dir / "AtkinsonHyperlegible-Regular.ttf"), size)  # noqa: E731
    image = Image.new("RGB", SIZE, NAVY)
    draw = ImageDraw.Draw(image)
    width = SIZE[0] - 2 * MARGIN
    y = 330
    for text, font, gap in ((booklet.title, bold(118), 30), (booklet.subtitle, regular(58), 90),
                            (cover_credit(booklet), regular(44), 0)):
        for line in _wrap(draw, text, font, width):
            draw.text((MARGIN, y), line, font=font, fill=WHITE)
            y += int(font.size * 1.25)
        y += gap
    draw.text((MARGIN, SIZE[1] - 220), f"{booklet.publisher} · {booklet.year}", font=bold(52),
              fill=WHITE)
    out = io.BytesIO()
    image.save(out, format="PNG")  # optimize=True saves 4 kB for a tenth of a second
    return out.getvalue()
