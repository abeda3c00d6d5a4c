"""The print-shop edition, build/booklet-print.pdf, preflighted as a shop
would: its page boxes and bleed, its inks (Ghostscript), its syntax (qpdf), its output
intent and PDF/X-4 identification, and that it is still the same accessible booklet."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from booklet.check.pdfua import audit
from booklet.check.tagtext import read_tag_text
from conftest import copy_fixture, once_per_run, run_booklet, with_parts_of

BLEED = 3 * 72 / 25.4     # 3 mm in points: 8.504
A5 = (419.528, 595.276)
# The cover's navy as styles/print-shop.css and the README state it: C91 M62 Y15 K74.
COVER_CMYK = (0.91, 0.62, 0.15, 0.74)


@pytest.fixture(scope="session")
def print_pdf(built) -> Path:
    return built / "build" / "booklet-print.pdf"


def _box(value) -> list[float]:
    return [float(v) for v in value]


def _ink_coverage(path: Path) -> list[tuple[float, float, float, float]]:
    """Ghostscript's inkcov device: per page, the share of the page each ink touches."""
    out = subprocess.run(["gs", "-q", "-dSAFER", "-o", "-", "-sDEVICE=inkcov", str(path)],
                         capture_output=True, text=True, check=True, timeout=300).stdout
    return [tuple(float(v) for v in line.split()[:4])
            for line in out.splitlines() if line.rstrip().endswith("OK")]


def _cmyk_render(path: Path, page: int, dpi: int = 72) -> Image.Image:
    """Page `page` as Ghostscript separates it: one CMYK pixel per point at 72 dpi, the
    whole MediaBox, top-left first."""
    with tempfile.TemporaryDirectory() as scratch:  # TIFF needs a file it can seek in
        tiff = Path(scratch) / "page.tif"
        subprocess.run(["gs", "-q", "-dSAFER", "-o", str(tiff), "-sDEVICE=tiff32nc",
                        f"-r{dpi}", f"-dFirstPage={page}", f"-dLastPage={page}", str(path)],
                       capture_output=True, check=True, timeout=120)
        with Image.open(tiff) as image:
            return image.convert("CMYK")


def _figure_pages(pdf: pikepdf.Pdf) -> set[int]:
    """Pages that hold part of a Figure, by the structure tree."""
    numbers = {page.objgen: n for n, page in enumerate(pdf.pages, start=1)}
    found: set[int] = set()

    def pages_of(element):
        if isinstance(element, pikepdf.Dictionary):
            if "/Pg" in element:
                yield numbers.get(element.Pg.objgen)
            kids = element.get("/K")
            for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]):
                yield from pages_of(kid)

    def walk(element):
        if not isinstance(element, pikepdf.Dictionary):
            return
        if element.get("/S") == "/Figure":
            found.update(n for n in pages_of(element) if n)
        kids = element.get("/K")
        for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]):
            walk(kid)

    walk(pdf.Root.StructTreeRoot)
    return found


def test_every_page_is_trimmed_a5_with_3mm_bleed(print_pdf, pdf):
    with pikepdf.open(print_pdf) as shop, pikepdf.open(pdf) as standard:
        assert len(shop.pages) == len(standard.pages)
        assert len(shop.pages) % 4 == 0
        for number, page in enumerate(shop.pages, start=1):
            trim, bleed = _box(page.obj.TrimBox), _box(page.obj.BleedBox)
            media = _box(page.obj.MediaBox)
            assert trim[2] - trim[0] == pytest.approx(A5[0], abs=0.01), number
            assert trim[3] - trim[1] == pytest.approx(A5[1], abs=0.01), number
            assert bleed == pytest.approx([trim[0] - BLEED, trim[1] - BLEED,
                                           trim[2] + BLEED, trim[3] + BLEED], abs=0.01), number
            assert media[0] <= bleed[0] and media[1] <= bleed[1], number
            assert media[2] >= bleed[2] and media[3] >= bleed[3], number
            assert "/ArtBox" not in page.obj  # PDF/X: a TrimBox or an ArtBox, not both


def test_the_cover_navy_fills_the_bleed(print_pdf):
    """Ghostscript's separation of page 1 at each corner of the bleed, outside the trim:
    the stated navy, in the stated inks; page 2 has no fill there."""
    cover, inside = _cmyk_render(print_pdf, 1), _cmyk_render(print_pdf, 2)
    width, height = cover.size
    assert (width, height) == (round(A5[0] + 2 * BLEED), round(A5[1] + 2 * BLEED))
    corners = [(1, 1), (width - 2, 1), (1, height - 2), (width - 2, height - 2),
               (width // 2, 1), (1, height // 2)]
    for x, y in corners:
        inks = [v / 255 for v in cover.getpixel((x, y))]
        assert inks == pytest.approx(COVER_CMYK, abs=0.02), (x, y)
        assert inside.getpixel((x, y)) == (0, 0, 0, 0), (x, y)


def test_text_is_black_ink_only(print_pdf):
    """Every page but the cover and the pages with a figure's artwork: Ghostscript finds
    no cyan, magenta or yellow at all, and black wherever there is text."""
    coverage = _ink_coverage(print_pdf)
    with pikepdf.open(print_pdf) as shop:
        assert len(coverage) == len(shop.pages)
        artwork = _figure_pages(shop)
    texts = subprocess.run(["pdftotext", str(print_pdf), "-"], capture_output=True,
                           text=True, check=True).stdout.split("\f")
    checked = 0
    for number, (c, m, y, k) in enumerate(coverage, start=1):
        if number == 1 or number in artwork:
            continue
        assert (c, m, y) == (0, 0, 0), f"page {number} uses colour inks: C{c} M{m} Y{y}"
        if texts[number - 1].strip():
            assert k > 0, f"page {number} has text but no black ink"
            checked += 1
    assert checked >= len(coverage) // 2, "too few text pages were checked"


def test_figure_greys_are_black_ink_only(print_pdf):
    """Artwork keeps its colours (declared sRGB), but its greys, such as a figure's
    labels, print in black alone: no RGB grey is left anywhere."""
    with pikepdf.open(print_pdf) as shop:
        streams = [shop.pages[n - 1] for n in sorted(_figure_pages(shop))]
        forms = [obj for obj in shop.objects
                 if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Form"]
        for holder in [*streams, *forms]:
            for operands, operator in pikepdf.parse_content_stream(holder):
                if str(operator) in ("rg", "RG"):
                    r, g, b = (float(v) for v in operands)
                    assert max(r, g, b) - min(r, g, b) > 1 / 255, (r, g, b)
        for resources in {page.obj.Resources.objgen for page in shop.pages}:
            spaces = shop.get_object(resources).ColorSpace
            assert spaces.DefaultRGB[0] == "/ICCBased" and spaces.DefaultRGB[1].N == 3


def test_the_output_intent_is_the_fogra39_profile(print_pdf, built):
    with pikepdf.open(print_pdf) as shop:
        intents = shop.Root.OutputIntents
        assert len(intents) == 1
        intent = intents[0]
        assert intent.S == "/GTS_PDFX"
        assert str(intent.OutputConditionIdentifier) == "FOGRA39"
        assert str(intent.RegistryName) == "http://www.color.org"
        profile = intent.DestOutputProfile
        assert profile.N == 4
        data = profile.read_bytes()
    assert data == (built / "styles" / "icc" / "FOGRA39L-coated.icc").read_bytes()
    assert data[12:16] == b"prtr" and data[16:20] == b"CMYK"  # an output profile, CMYK
    assert "Zlib" in (built / "styles" / "icc" / "LICENSE.txt").read_text(encoding="utf-8")


def test_it_identifies_itself_as_pdfx4_and_stays_pdfua(print_pdf):
    assert print_pdf.read_bytes().startswith(b"%PDF-1.6")
    with pikepdf.open(print_pdf) as shop:
        assert not shop.is_encrypted
        assert len(shop.trailer.ID) == 2
        assert str(shop.docinfo.GTS_PDFXVersion) == "PDF/X-4"
        assert shop.docinfo.Trapped == "/False"
        assert str(shop.docinfo.Title)
        meta = shop.open_metadata()
        assert meta["pdfxid:GTS_PDFXVersion"] == "PDF/X-4"
        assert meta["pdf:Trapped"] == "False"
        assert meta["pdfuaid:part"] == "1"
        for key in ("xmpMM:DocumentID", "xmpMM:VersionID", "xmpMM:RenditionClass",
                    "xmp:CreateDate", "xmp:ModifyDate", "xmp:MetadataDate", "dc:title"):
            assert meta.get(key), key
        assert "/AA" not in shop.Root and "/OpenAction" not in shop.Root
        assert "/JavaScript" not in shop.Root.get("/Names", {})
        assert "/EmbeddedFiles" not in shop.Root.get("/Names", {})
        for obj in shop.objects:  # what PDF/X forbids in the drawing itself
            if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
                assert not {"/TR", "/TR2", "/HalftoneName"} & set(obj.keys()), obj.objgen
                assert obj.get("/Subtype") != "/PS", obj.objgen
                assert "/AA" not in obj, obj.objgen
    assert b"/JavaScript" not in subprocess.run(
        ["qpdf", "--qdf", "--object-streams=disable", str(print_pdf), "-"],
        capture_output=True, check=True).stdout


def test_qpdf_finds_no_error(print_pdf):
    result = subprocess.run(["qpdf", "--check", str(print_pdf)], capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No syntax or stream encoding errors found" in result.stdout


def test_every_font_is_embedded(print_pdf):
    out = subprocess.run(["pdffonts", str(print_pdf)], capture_output=True, text=True,
                         check=True).stdout.splitlines()[2:]
    assert out
    for line in out:  # name, type, encoding, emb, sub, uni, object, generation
        assert line.split()[-5] == "yes", line


def test_it_is_the_same_accessible_booklet(print_pdf, pdf):
    """The project's PDF/UA audit passes, the tag tree reads as the standard edition's,
    and every page holds the same text: only colours and the bleed differ."""
    assert audit(str(print_pdf)) == []
    assert read_tag_text(print_pdf).text == read_tag_text(pdf).text
    shop, standard = (subprocess.run(["pdftotext", "-layout", str(path), "-"],
                                     capture_output=True, text=True, check=True).stdout
                      for path in (print_pdf, pdf))
    assert shop.split("\f") == standard.split("\f")


@pytest.fixture(scope="session")
def with_marks(made, tmp_path_factory) -> Path:
    """The print shop's file alone, with crop marks (the laid-out parts of conftest.made,
    none of its outputs); made once per run and only read."""
    def make(folder: Path) -> None:
        folder.mkdir()
        root = with_parts_of(copy_fixture(folder), made)
        result = run_booklet(root, "build", "print-shop", "--crop-marks")
        assert result.returncode == 0, result.stderr

    return once_per_run(tmp_path_factory, "marks", make)


def test_crop_marks_on_request_lie_outside_the_bleed(with_marks):
    marked = with_marks / "build" / "booklet-print.pdf"
    assert sorted(p.name for p in (with_marks / "build").glob("*.pdf")) == [
        "booklet-print.pdf"], "build print-shop writes only the print shop's file"
    with pikepdf.open(marked) as shop:
        page = shop.pages[1]
        trim, bleed, media = (_box(page.obj[k]) for k in ("/TrimBox", "/BleedBox",
                                                             "/MediaBox"))
    assert bleed[0] == pytest.approx(trim[0] - BLEED, abs=0.01)
    margin = trim[0] - media[0]
    assert margin >= BLEED + 5 * 72 / 25.4
    image = _cmyk_render(marked, 2)  # a page with no fill: only the marks in its margin

    def inks(x_pt: float, y_pt: float) -> tuple[int, ...]:
        """Each ink's most, within a point of a place given in PDF coordinates (a
        hairline at 72 dpi falls on one row of pixels or the next)."""
        x, y = round(x_pt - media[0]), round(media[3] - y_pt)
        near = [image.getpixel((x + dx, y + dy)) for dx in (-1, 0, 1) for dy in (-1, 0, 1)]
        return tuple(max(p[i] for p in near) for i in range(4))

    mark_at = BLEED + 2.5 * 72 / 25.4  # from the trim, halfway along a mark
    along_bottom = inks(trim[0] - mark_at, trim[1])
    along_side = inks(trim[0], trim[1] - mark_at)
    # Registration colour: a mark prints on every plate.
    assert min(along_bottom) > 0, f"no crop mark on every plate: {along_bottom}"
    assert min(along_side) > 0, f"no crop mark on every plate: {along_side}"
    for inside_bleed in (BLEED - 2, BLEED / 2):
        assert sum(inks(trim[0] - inside_bleed, trim[1])) == 0, "a mark reaches the bleed"
    assert audit(str(marked)) == []


def test_crop_marks_are_an_input_of_the_print_shop_file(with_marks, tmp_path):
    """Asking with or without marks rebuilds the file: the switch is in its stamp."""
    import shutil

    root = tmp_path / "p"
    shutil.copytree(with_marks, root)
    marked = (root / "build" / "booklet-print.pdf").read_bytes()
    again = run_booklet(root, "build", "print-shop", "--crop-marks")
    assert "build/booklet-print.pdf is up to date" in again.stdout
    plain = run_booklet(root, "build", "print-shop")
    assert "wrote build/booklet-print.pdf" in plain.stdout, plain.stdout + plain.stderr
    assert (root / "build" / "booklet-print.pdf").read_bytes() != marked
