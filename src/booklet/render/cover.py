"""The EPUB's cover: an image drawn from the booklet's metadata.

E-readers show the cover as a thumbnail in the library, so it is a raster image
(PNG) with the title large enough to read at thumbnail size. It is drawn with the
booklet's own fonts and colours, the same as the printed cover: each character from
the first shipped family that has it (booklet.typefaces), as in print, so "Llŷr" or a
Greek name is never drawn from a font the project does not ship.
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from booklet.content.model import Booklet
from booklet.typefaces import Typefaces, load_typefaces

SIZE = (1200, 1800)
NAVY, WHITE = (11, 37, 69), (255, 255, 255)
MARGIN = 110


class _Fonts:
    """The shipped faces at one weight and size, chosen per character."""

    def __init__(self, typefaces: Typefaces, weight: str, size: int):
        self.typefaces, self.weight, self.size = typefaces, weight, size
        self._loaded: dict[Path, ImageFont.FreeTypeFont] = {}

    def font_for(self, char: str) -> ImageFont.FreeTypeFont:
        path = self.typefaces.file_for(char, self.weight) or self.typefaces.faces[0].path
        if path not in self._loaded:
            self._loaded[path] = ImageFont.truetype(str(path), self.size)
        return self._loaded[path]

    def runs(self, text: str) -> list[tuple[str, ImageFont.FreeTypeFont]]:
        """`text` cut where the font changes. A space takes its neighbour's font."""
        out: list[tuple[str, ImageFont.FreeTypeFont]] = []
        for char in text:
            font = out[-1][1] if out and char.isspace() else self.font_for(char)
            if out and out[-1][1] is font:
                out[-1] = (out[-1][0] + char, font)
            else:
                out.append((char, font))
        return out

    def length(self, draw, text: str) -> float:
        return sum(draw.textlength(run, font=font) for run, font in self.runs(text))

    def draw(self, draw, xy, text: str, fill) -> None:
        x, y = xy
        for run, font in self.runs(text):
            draw.text((x, y), run, font=font, fill=fill)
            x += draw.textlength(run, font=font)


def _wrap(draw, text: str, fonts: _Fonts, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if fonts.length(draw, trial) <= width or not line:
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


def cover_png(booklet: Booklet, styles_dir: Path) -> bytes:
    typefaces = load_typefaces(styles_dir)
    bold = lambda size: _Fonts(typefaces, "700", size)  # noqa: E731
    regular = lambda size: _Fonts(typefaces, "400", size)  # noqa: E731
    image = Image.new("RGB", SIZE, NAVY)
    draw = ImageDraw.Draw(image)
    width = SIZE[0] - 2 * MARGIN
    y = 330
    for text, fonts, gap in ((booklet.title, bold(118), 30), (booklet.subtitle, regular(58), 90),
                             (cover_credit(booklet), regular(44), 0)):
        for line in _wrap(draw, text, fonts, width):
            fonts.draw(draw, (MARGIN, y), line, WHITE)
            y += int(fonts.size * 1.25)
        y += gap
    bold(52).draw(draw, (MARGIN, SIZE[1] - 220), f"{booklet.publisher} · {booklet.year}", WHITE)
    out = io.BytesIO()
    image.save(out, format="PNG")  # optimize=True saves 4 kB for a tenth of a second
    return out.getvalue()
