"""The home-printed booklet, build/booklet-home-print.pdf: A4 sheets that,
printed on both sides (flip on the short edge), folded and stapled, make the booklet.
The page order is read back from the file itself: the text on each half of each sheet
is matched with the standard edition's pages."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from booklet.write.print.home import saddle_stitch_order

A4_LANDSCAPE = (841.89, 595.276)
HALF = A4_LANDSCAPE[0] / 2
MM = 72 / 25.4


@pytest.fixture(scope="session")
def home_pdf(built) -> Path:
    return built / "build" / "booklet-home-print.pdf"


def _expected_sides(pages: int) -> list[tuple[int, int]]:
    """Written out as the issue gives it: sheet s front N-2s | 1+2s, back 2+2s | N-1-2s."""
    sides = []
    for s in range(pages // 4):
        sides += [(pages - 2 * s, 1 + 2 * s), (2 + 2 * s, pages - 1 - 2 * s)]
    return sides


def _text(path: Path, *crop: str) -> list[str]:
    """Each page's words, in reading order, with pdftotext (optionally a crop in points)."""
    out = subprocess.run(["pdftotext", *crop, str(path), "-"], capture_output=True,
                         text=True, check=True).stdout
    return [" ".join(page.split()) for page in out.split("\f")[:-1]]


def test_saddle_stitch_order():
    assert saddle_stitch_order(44)[:4] == [(44, 1), (2, 43), (42, 3), (4, 41)]
    assert len(saddle_stitch_order(44)) == 22
    assert saddle_stitch_order(16) == [(16, 1), (2, 15), (14, 3), (4, 13),
                                       (12, 5), (6, 11), (10, 7), (8, 9)]
    for pages in (4, 8, 16, 44, 100):
        sides = saddle_stitch_order(pages)
        assert sorted(p for side in sides for p in side) == list(range(1, pages + 1))
        assert all(left + right == pages + 1 for left, right in sides)  # facing the fold
    with pytest.raises(ValueError):
        saddle_stitch_order(6)


def test_sheets_are_a4_landscape_two_pages_each(home_pdf, pdf):
    with pikepdf.open(home_pdf) as sheets, pikepdf.open(pdf) as standard:
        assert len(sheets.pages) == len(standard.pages) // 2
        assert len(standard.pages) % 4 == 0
        for page in sheets.pages:
            x0, y0, x1, y1 = (float(v) for v in page.obj.MediaBox)
            assert (x1 - x0, y1 - y0) == pytest.approx(A4_LANDSCAPE, abs=0.01)
        assert "/StructTreeRoot" not in sheets.Root  # a file to print, not to read


def test_each_page_lies_where_saddle_stitching_needs_it(home_pdf, pdf):
    """Every half of every sheet holds exactly the text of the standard edition's page
    the saddle-stitch order puts there (the cover is checked in the next test)."""
    pages = _text(pdf)
    width, height = (str(round(v)) for v in (HALF, A4_LANDSCAPE[1]))
    left = _text(home_pdf, "-x", "0", "-y", "0", "-W", width, "-H", height)
    right = _text(home_pdf, "-x", width, "-y", "0", "-W", width, "-H", height)
    sides = _expected_sides(len(pages))
    assert len(left) == len(right) == len(sides)
    matched = 0
    for index, (want_left, want_right) in enumerate(sides, start=1):
        for got, want in ((left[index - 1], want_left), (right[index - 1], want_right)):
            if want == 1:
                continue
            assert got == pages[want - 1], f"sheet side {index}: not page {want}"
            matched += bool(got)
    assert matched >= len(pages) // 2, "too few pages with text to tell them apart"


def test_the_cover_is_light_and_says_where_the_accessible_pdf_is(home_pdf, pdf, booklet):
    first_right = _text(home_pdf, "-f", "1", "-l", "1", "-x", str(round(HALF)), "-y", "0",
                        "-W", str(round(HALF)), "-H", str(round(A4_LANDSCAPE[1])))[0]
    assert booklet.title in first_right
    assert "booklet.pdf" in first_right and "screen reader" in first_right
    assert "printing at home" in first_right

    def darkness(path: Path, box) -> float:
        """The mean darkness, 0 white to 1 black, of part of page 1 at 20 dpi."""
        out = subprocess.run(["pdftoppm", "-r", "20", "-gray", "-f", "1", "-l", "1",
                              str(path)], capture_output=True, check=True).stdout
        with Image.open(io.BytesIO(out)) as image:
            x0, y0, x1, y1 = box
            crop = image.convert("L").crop((round(x0 * image.width), round(y0 * image.height),
                                            round(x1 * image.width), round(y1 * image.height)))
            values = crop.tobytes()
        return 1 - sum(values) / len(values) / 255

    assert darkness(pdf, (0, 0, 1, 1)) > 0.6          # the standard cover: solid navy
    assert darkness(home_pdf, (0.5, 0, 1, 1)) < 0.15  # this one: lines on white


def test_nothing_is_printed_within_5mm_of_the_sheet_edge(home_pdf):
    """Home printers leave 3 to 5 mm of every edge blank."""
    dpi = 50
    edge = round(5 * MM * dpi / 72)
    out = subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", str(home_pdf)],
                         capture_output=True, check=True).stdout
    # pdftoppm writes one PGM after another: header "P5\nW H\n255\n" then the pixels.
    sides, at = 0, 0
    while at < len(out):
        header = out[at:].split(b"\n", 3)
        width, height = (int(v) for v in header[1].split())
        start = at + len(b"\n".join(header[:3])) + 1
        pixels = out[start:start + width * height]
        rows = [pixels[y * width:(y + 1) * width] for y in range(height)]
        border = [v for row in rows[:edge] + rows[-edge:] for v in row]
        border += [v for row in rows for v in row[:edge] + row[-edge:]]
        assert min(border) >= 250, f"sheet side {sides + 1} prints near its edge"
        sides += 1
        at = start + width * height
    assert sides > 1


def test_it_is_sound_and_carries_its_fonts(home_pdf):
    check = subprocess.run(["qpdf", "--check", str(home_pdf)], capture_output=True,
                           text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    fonts = subprocess.run(["pdffonts", str(home_pdf)], capture_output=True, text=True,
                           check=True).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts)


def test_a_cover_too_long_for_its_page_stops_the_build(tmp_path):
    """The light cover is laid out anew; if the title page's words no longer fit, the
    build says so (B430) rather than print a cover with lines cut off."""
    from conftest import copy_fixture, run_booklet

    root = copy_fixture(tmp_path / "p")
    yaml = root / "content" / "booklet.yaml"
    text = yaml.read_text(encoding="utf-8")
    long = " ".join(["Essays from the Northfield Carers’ Network writing prize"] * 12)
    yaml.write_text(text.replace(
        "subtitle: Essays from the Northfield Carers’ Network writing prize",
        f"subtitle: {long}"), encoding="utf-8")
    assert long in yaml.read_text(encoding="utf-8")
    result = run_booklet(root, "build", "home-print")
    assert result.returncode == 1
    assert "B430" in result.stderr and "booklet.yaml" in result.stderr
    assert not list((root / "build").glob("*.pdf")), "a refused build replaced a file"
