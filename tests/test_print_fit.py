"""Languages, scripts and fonts, figures that fit, one-line running heads.

The session builds (the shipped booklet and the fixture booklet, whose essay 02 has a
Welsh passage with ŵ ŷ, an Arabic proverb, a Greek SVG label and an author named
Llŷr) are read back; the student-style cases a fixture should not carry (a tall PNG,
a whole essay in Welsh, a 168-character title) are built in a throwaway copy.
"""

from __future__ import annotations

import re
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path

import pikepdf
import pytest
from fontTools.ttLib import TTFont
from lxml import etree

from booklet.check.tagtext import read_tag_text
from booklet.content.body import plain_text
from conftest import ROOT, build_output, copy_fixture, keep_output, once_per_run, run_booklet
from edition import built_from

FONTS = ROOT / "styles" / "fonts"
XHTML = "{http://www.w3.org/1999/xhtml}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
MM = 72 / 25.4
TOP_MARGIN, BOTTOM_MARGIN = 18 * MM, 20 * MM


def _squash(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def shipped_font_names() -> dict[str, str]:
    """{squashed PDF font name: family} for every face in styles/fonts/: WeasyPrint names
    an embedded font by its family and style ("Noto-Sans-Bold")."""
    names = {}
    for path in FONTS.glob("*.ttf"):
        with TTFont(path, lazy=True) as font:
            family = font["name"].getDebugName(16) or font["name"].getDebugName(1)
            style = font["name"].getDebugName(17) or font["name"].getDebugName(2)
        names[_squash(family)] = family
        names[_squash(family + style.replace("Regular", ""))] = family
    return names


def pdf_font_names(pdf: Path) -> list[str]:
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
    return [line.split()[0].split("+")[-1] for line in out.stdout.splitlines()[2:] if line]


def languages_in(nodes):
    for node in nodes:
        if isinstance(node, tuple):
            yield from languages_in(node)
            continue
        if node.kind == "lang":
            yield node
        for attr in ("children", "blocks", "items"):
            if child := getattr(node, attr, None):
                yield from languages_in(child)


def struct_elements(pdf: Path):
    """(element, text as read) for every structure element, in tree order."""
    tag = read_tag_text(pdf)
    out = []
    with pikepdf.open(pdf) as doc:
        index = {p.obj.objgen: n for n, p in enumerate(doc.pages)}

        def text(node, page):
            if isinstance(node, int):
                return tag.pages[page].by_mcid.get(node, "") if page is not None else ""
            if not isinstance(node, pikepdf.Dictionary) or node.get("/Type") == "/OBJR":
                return ""
            if node.get("/Type") == "/MCR":
                return tag.pages[index[node.Pg.objgen]].by_mcid.get(int(node.MCID), "")
            if "/ActualText" in node:
                return str(node.ActualText)
            page = index.get(node.Pg.objgen, page) if "/Pg" in node else page
            kids = node.get("/K")
            kids = kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
            # segments are lines or runs: read with a space between, as tagtext does, and a
            # line ending in a soft hyphen joined to the next
            joined = " ".join(text(int(k) if isinstance(k, int) else k, page) for k in kids)
            return joined.replace("\u00ad ", "").replace("\u00ad", "")

        def walk(node, page, parents):
            if not isinstance(node, pikepdf.Dictionary) or node.get("/Type") in ("/MCR", "/OBJR"):
                return
            page = index.get(node.Pg.objgen, page) if "/Pg" in node else page
            info = {"type": str(node.get("/S", ""))[1:], "lang": str(node.get("/Lang", "")),
                    "text": text(node, page), "parents": parents}
            out.append(info)
            kids = node.get("/K")
            kids = kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
            for kid in kids:
                walk(kid, page, parents + [info])

        walk(doc.Root.StructTreeRoot, None, [])
    return out


def xhtml(epub: Path, name: str):
    with zipfile.ZipFile(epub) as z:
        return etree.fromstring(z.read(f"EPUB/{name}"))


# Fonts ----------------------------------------------------------------------------------


def test_pdffonts_lists_only_shipped_fonts(pdf):
    shipped = shipped_font_names()
    used = pdf_font_names(pdf)
    assert used and all(_squash(name) in shipped for name in used), (used, sorted(shipped))


def test_colophon_names_every_family_the_pdf_uses(pdf):
    shipped = shipped_font_names()
    families = {shipped[_squash(name)] for name in pdf_font_names(pdf)}
    text = " ".join(read_tag_text(pdf).text.split())
    sentence = text[text.index("Set in "):].split(".")[0]
    for family in shipped.values():
        named = re.search(rf"\b{re.escape(family)}\b(?! Arabic| Hebrew| Symbols)", sentence)
        assert bool(named) == (family in families), (family, sentence, families)


@built_from("fixture")  # its essay 02 has Welsh, Arabic and Greek
def test_fixture_scripts_come_from_the_fallback_fonts(built, pdf):
    families = {shipped_font_names()[_squash(n)] for n in pdf_font_names(pdf)}
    assert {"Atkinson Hyperlegible Next", "Noto Sans", "Noto Sans Arabic"} <= families


# Languages and right-to-left text ----------------------------------------------------------


def test_passages_keep_their_language_in_both_outputs(pdf, epub, booklet):
    elements = struct_elements(pdf)
    for essay in booklet.essays:
        passages = list(languages_in(essay.blocks))
        chapter = xhtml(epub, f"{essay.slug}.xhtml")
        spans = [s for s in chapter.iter(f"{XHTML}span") if s.get("lang")]
        for passage in passages:
            words = plain_text(passage.children)
            tagged = [e for e in elements if e["lang"] == passage.lang
                      and " ".join(e["text"].split()) == " ".join(words.split())]
            assert tagged and tagged[0]["type"] == "Span", (passage, essay.slug)
            marked = [s for s in spans if s.get("lang") == passage.lang
                      and "".join(s.itertext()) == words]
            assert marked, (passage, essay.slug)
            assert marked[0].get(XML_LANG) == passage.lang
            assert (marked[0].get("dir") or "") == passage.direction


@built_from("fixture")
def test_fixture_has_welsh_and_arabic_passages(booklet, built):
    passages = [p for e in booklet.essays for p in languages_in(e.blocks)]
    assert {"cy", "ar"} <= {p.lang for p in passages}
    assert [p.direction for p in passages if p.lang == "ar"] == ["rtl"]


def test_right_to_left_text_reads_in_logical_order(pdf, booklet):
    text = " ".join(read_tag_text(pdf).text.split())
    for essay in booklet.essays:
        for passage in languages_in(essay.blocks):
            if passage.direction == "rtl":
                words = plain_text(passage.children)
                assert words in text, words  # as typed, not glyph by glyph from the right
                assert words[::-1] not in text


def test_other_language_passages_are_not_hyphenated_by_english_rules():
    from booklet.render.hyphenation import hyphenate

    assert hyphenate("cymdeithasol gweithwyr", "cy") == "cymdeithasol gweithwyr"  # no pyphen cy
    assert "\u00ad" in hyphenate("relationships", "en-GB")


# The essay title is a heading -----------------------------------------------------------


def test_each_essay_title_is_inside_its_h1(pdf, epub, booklet):
    elements = struct_elements(pdf)
    h1s = [e for e in elements if e["type"] == "H1" and any(p["type"] == "Art" for p in e["parents"])]
    assert len(h1s) == len(booklet.essays)
    for h1, essay in zip(h1s, booklet.essays):
        heading = " ".join(h1["text"].split())
        assert essay.title in heading and essay.author in heading, (heading, essay.title)
        chapter = xhtml(epub, f"{essay.slug}.xhtml")
        (epub_h1,) = chapter.iter(f"{XHTML}h1")
        words = " ".join("".join(epub_h1.itertext()).split())
        assert essay.title in words and essay.author in words, words


# Running heads ----------------------------------------------------------------------------


def running_head_lines(pdf: Path) -> dict[int, int]:
    """{page number: how many lines of text stand in its top margin}."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    lines: dict[int, set] = {}
    for number, page in enumerate(re.findall(r"<page .*?</page>", out, re.S), start=1):
        for y_min, y_max in re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" '
                                       r'yMax="([\d.]+)"', page):
            if float(y_max) <= TOP_MARGIN:
                lines.setdefault(number, set()).add(round(float(y_min)))
    return {n: len(ys) for n, ys in lines.items()}


def test_no_running_head_wraps(pdf):
    lines = running_head_lines(pdf)
    assert lines, "no running heads found"
    assert all(count == 1 for count in lines.values()), lines


# Figures fit their page -------------------------------------------------------------------


def _multiply(a, b):
    """The product of two PDF matrices [a b c d e f] (a applied first)."""
    return [a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3],
            a[2] * b[0] + a[3] * b[2], a[2] * b[1] + a[3] * b[3],
            a[4] * b[0] + a[5] * b[2] + b[4], a[4] * b[1] + a[5] * b[3] + b[5]]


def drawn_figures(pdf: Path) -> list[tuple[int, tuple[float, float, float, float]]]:
    """(page number, (x0, y0, x1, y1)) for each image or form drawn in page content."""
    found = []
    with pikepdf.open(pdf) as doc:
        for number, page in enumerate(doc.pages, start=1):
            xobjects = page.obj.Resources.get("/XObject", {})
            ctm, stack = [1, 0, 0, 1, 0, 0], []
            for operands, operator in pikepdf.parse_content_stream(page):
                op = str(operator)
                if op == "q":
                    stack.append(ctm)
                elif op == "Q":
                    ctm = stack.pop() if stack else ctm
                elif op == "cm":
                    ctm = _multiply([float(Decimal(str(v))) for v in operands], ctm)
                elif op == "Do":
                    xobject = xobjects.get(str(operands[0]))
                    if xobject is None or xobject.get("/Subtype") != "/Image":
                        continue  # forms are WeasyPrint's own pieces (gradients, SVG parts)
                    corners = [(x * ctm[0] + y * ctm[2] + ctm[4], x * ctm[1] + y * ctm[3] + ctm[5])
                               for x, y in ((0, 0), (1, 0), (0, 1), (1, 1))]
                    xs, ys = [c[0] for c in corners], [c[1] for c in corners]
                    found.append((number, (min(xs), min(ys), max(xs), max(ys))))
    return found


def caption_positions(pdf: Path) -> dict[str, tuple[int, float]]:
    """{"Figure 1:" …: (page, top of its line in points from the page's top)}."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    found = {}
    for number, page in enumerate(re.findall(r"<page .*?</page>", out, re.S), start=1):
        words = re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">'
                           r"([^<]*)</word>", page)
        for (y0, y1, word), (_, _, after) in zip(words, words[1:]):
            if word == "Figure" and re.fullmatch(r"\d+:", after):
                found.setdefault(f"Figure {after}", (number, float(y0)))
    return found


def assert_figures_within_their_pages(pdf: Path) -> None:
    with pikepdf.open(pdf) as doc:
        width, height = (float(v) for v in doc.pages[0].mediabox[2:])
    for page, (x0, y0, x1, y1) in drawn_figures(pdf):
        if y1 - y0 > height * 0.9:
            continue  # the cover's full-bleed background, if drawn as an image
        assert 0 <= x0 and x1 <= width and BOTTOM_MARGIN - 1 <= y0 and y1 <= height - TOP_MARGIN + 1, \
            (page, (x0, y0, x1, y1))


def test_raster_figures_lie_within_their_pages(pdf):
    assert_figures_within_their_pages(pdf)


# A student's copy: what a fixture should not carry ------------------------------------------

TALL_PNG_ESSAY = "05-lucja-wroblewska-finch"
LONG_TITLE = ("Counting the hours that nobody counts and the care that nobody sees in a "
              "town where every carer knows another carer and nobody knows the council "
              "officer who decides")  # 168 characters: no colon, no dash


def _tall_png(path: Path, width: int, height: int) -> None:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    for row in range(16):  # sixteen bands, numbered, so a lost one would show
        top = row * height // 16
        draw.rectangle([0, top, width - 1, top + height // 16 - 4], fill=(31, 58, 95) if row % 2 else (201, 211, 224))
        draw.text((10, top + 10), f"row {row + 1}", fill="black")
    image.save(path)


@pytest.fixture(scope="session")
def student_copy(tmp_path_factory):
    """The fixture booklet with a 600 × 1600 px figure, an essay written in Welsh and a
    168-character title with no short_title, built; made once per run and only read."""
    root = once_per_run(tmp_path_factory, "student", _student_copy)
    return root, build_output(root)


def _student_copy(folder: Path) -> None:
    folder.mkdir()
    root = copy_fixture(folder)
    essays = root / "content" / "essays"
    tall = essays / TALL_PNG_ESSAY
    _tall_png(tall / "figure-2.png", 600, 1600)
    text = (tall / "essay.md").read_text(encoding="utf-8")
    text = text.replace("figures:\n", "figures:\n  figure-2:\n    file: figure-2.png\n"
                        "    label: Figure 2\n    caption: Sixteen bands, one per row\n"
                        "    alt: Sixteen horizontal bands, numbered from 1 to 16.\n"
                        "    description: Sixteen bands of alternating colour, each numbered.\n", 1)
    text = text.replace("## Why the numbers matter", "::: figure figure-2\n:::\n\n"
                        "## Why the numbers matter", 1)
    (tall / "essay.md").write_text(text, encoding="utf-8")
    welsh = essays / "01-siobhan-o-dalaigh" / "essay.md"
    text = welsh.read_text(encoding="utf-8")
    (welsh).write_text(text.replace("\nauthor:", "\nlanguage: cy\nauthor:", 1), encoding="utf-8")
    svg = essays / "02-zoe-bronte-kaur" / "figure-1.svg"  # a font this machine has
    svg.write_text(svg.read_text(encoding="utf-8").replace(
        'font-family="Atkinson Hyperlegible, sans-serif"', 'font-family="DejaVu Sans"'),
        encoding="utf-8")
    long = essays / "02-zoe-bronte-kaur" / "essay.md"
    text = long.read_text(encoding="utf-8")
    text = re.sub(r'^title: .*$', f'title: "{LONG_TITLE}"', text, count=1, flags=re.M)
    long.write_text(text, encoding="utf-8")
    result = run_booklet(root, "build")
    assert result.returncode == 0, result.stderr
    keep_output(root, result)


def test_a_long_title_is_shortened_with_a_warning(student_copy):
    root, result = student_copy
    assert "warning B231" in result.stderr and "02-zoe-bronte-kaur/essay.md:2" in result.stderr
    from booklet.content import load_booklet

    essay = load_booklet(root / "content").essays[1]
    assert essay.short_title.endswith("…") and LONG_TITLE.startswith(essay.short_title[:-1])
    assert running_head_lines(root / "build" / "booklet.pdf")
    assert all(n == 1 for n in running_head_lines(root / "build" / "booklet.pdf").values())


def test_a_tall_png_fits_its_page_with_its_caption(student_copy, tmp_path):
    root, _ = student_copy
    pdf = root / "build" / "booklet.pdf"
    assert_figures_within_their_pages(pdf)
    figures = drawn_figures(pdf)
    tall = [(page, box) for page, box in figures if (box[3] - box[1]) > 2 * (box[2] - box[0])]
    assert len(tall) == 1, figures
    page, (x0, y0, x1, y1) = tall[0]
    with pikepdf.open(pdf) as doc:
        height = float(doc.pages[0].mediabox[3])
    assert (y1 - y0) / (x1 - x0) == pytest.approx(1600 / 600, rel=0.01)  # not distorted
    captions = caption_positions(pdf)
    caption_page, caption_top = captions["Figure 2:"]
    assert caption_page == page  # the caption stays with its figure
    assert height - y0 <= caption_top + 1 <= height - BOTTOM_MARGIN  # below it, on the page
    # Looked at as a person would: the page as an image, every band in it.
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", str(page), "-l", str(page), str(pdf),
                    str(tmp_path / "page")], check=True)
    assert list(tmp_path.glob("page*.png"))


def test_a_figure_asking_for_a_system_font_gets_a_shipped_one(student_copy):
    root, _ = student_copy
    used = pdf_font_names(root / "build" / "booklet.pdf")
    shipped = shipped_font_names()
    assert all(_squash(name) in shipped for name in used), used
    assert not any("dejavu" in name.lower() for name in used)


def test_an_essay_in_welsh_says_so_in_both_outputs(student_copy):
    root, _ = student_copy
    elements = struct_elements(root / "build" / "booklet.pdf")
    articles = [e for e in elements if e["type"] == "Art"]
    assert articles[0]["lang"] == "cy" and all(a["lang"] == "" for a in articles[1:])
    references = [e for e in elements if e["type"] == "Sect" and e["parents"]
                  and e["parents"][-1] is articles[0] and e["lang"]]
    assert [r["lang"] for r in references] == ["en-GB"]  # "References" is the booklet's word
    chapter = xhtml(root / "build" / "booklet.epub", "01-siobhan-o-dalaigh.xhtml")
    assert chapter.get("lang") == "cy" and chapter.get(XML_LANG) == "cy"
    assert xhtml(root / "build" / "booklet.epub", "02-zoe-bronte-kaur.xhtml").get("lang") == "en-GB"
    nav = xhtml(root / "build" / "booklet.epub", "nav.xhtml")
    assert [s.get("lang") for s in nav.iter(f"{XHTML}span") if s.get("lang")] == ["cy"]


def test_the_student_copy_passes_the_audit_and_both_validators(student_copy):
    root, _ = student_copy
    audit = run_booklet(root, "check", "pdf", str(root / "build" / "booklet.pdf"))
    assert audit.returncode == 0 and " 0 failures" in audit.stdout, audit.stdout
    validators = run_booklet(ROOT, "check", "epub", str(root / "build" / "booklet.epub"))
    assert validators.returncode == 0, validators.stdout + validators.stderr
    assert "EPUBCheck: 0 messages" in validators.stdout and "Ace: 0 violations" in validators.stdout


# Refusals ---------------------------------------------------------------------------------


def _refused(tmp_path, edit) -> str:
    root = copy_fixture(tmp_path)
    edit(root / "content" / "essays")
    result = run_booklet(root, "build")
    assert result.returncode == 1
    assert not (root / "build" / "booklet.pdf").exists()
    return result.stderr


def test_a_figure_too_tall_to_read_is_refused(tmp_path):
    def edit(essays):
        _tall_png(essays / TALL_PNG_ESSAY / "figure-1.png", 400, 1600)

    stderr = _refused(tmp_path, edit)
    assert re.search(r"05-lucja-wroblewska-finch/essay\.md:\d+: error B226: .*at 37 mm wide, "
                     r"35% of its width", stderr), stderr


def test_an_svg_with_tiny_labels_is_refused(tmp_path):
    def edit(essays):
        svg = essays / "02-zoe-bronte-kaur" / "figure-1.svg"
        svg.write_text(svg.read_text(encoding="utf-8").replace(
            '<g font-size="18" fill="#111111">', '<g font-size="9" fill="#111111">', 1),
            encoding="utf-8")

    stderr = _refused(tmp_path, edit)
    assert "02-zoe-bronte-kaur/essay.md:" in stderr and "error B226" in stderr
    assert "smallest text would print at 6.3 pt" in stderr, stderr


def test_a_character_no_font_has_is_refused_with_its_place_and_name(tmp_path):
    def edit(essays):
        essay = essays / "02-zoe-bronte-kaur" / "essay.md"
        essay.write_text(essay.read_text(encoding="utf-8") + "\nHer note said 漢 ☃.\n",
                         encoding="utf-8")

    stderr = _refused(tmp_path, edit)
    lines = len((copy_fixture(tmp_path / "again") / "content" / "essays" / "02-zoe-bronte-kaur"
                 / "essay.md").read_text(encoding="utf-8").split("\n"))
    assert (f"02-zoe-bronte-kaur/essay.md:{lines + 1}:15: error B250: the character U+6F22 "
            "CJK UNIFIED IDEOGRAPH-6F22 (漢)") in stderr, stderr
    assert "U+2603 SNOWMAN (☃)" in stderr


def test_a_short_title_too_long_for_the_running_head_is_refused(tmp_path):
    def edit(essays):
        essay = essays / "05-lucja-wroblewska-finch" / "essay.md"
        essay.write_text(essay.read_text(encoding="utf-8").replace(
            "\nauthor:", "\nshort_title: Counting the hours that nobody counts, and the care "
            "nobody sees\nauthor:", 1), encoding="utf-8")

    stderr = _refused(tmp_path, edit)
    assert re.search(r"05-lucja-wroblewska-finch/essay\.md:\d+: error B231: the short title", stderr)


@pytest.mark.parametrize("field, value, code", [
    ("language", "Welsh", "B103"),
    ("language", "c y", "B103"),
])
def test_an_essay_language_must_be_a_language_tag(tmp_path, field, value, code):
    def edit(essays):
        essay = essays / "02-zoe-bronte-kaur" / "essay.md"
        essay.write_text(essay.read_text(encoding="utf-8").replace(
            "\nauthor:", f"\n{field}: {value}\nauthor:", 1), encoding="utf-8")

    stderr = _refused(tmp_path, edit)
    assert f"02-zoe-bronte-kaur/essay.md:3: error {code}" in stderr, stderr


def test_a_span_direction_must_be_one_of_three(tmp_path):
    def edit(essays):
        essay = essays / "02-zoe-bronte-kaur" / "essay.md"
        essay.write_text(essay.read_text(encoding="utf-8")
                         + '\nShe wrote <span lang="he" dir="backwards">שלום</span>.\n',
                         encoding="utf-8")

    stderr = _refused(tmp_path, edit)
    assert "dir='backwards' is not a direction" in stderr, stderr


def test_a_character_a_stylesheet_adds_must_be_in_a_font_too(tmp_path):
    root = copy_fixture(tmp_path)
    css = root / "styles" / "print.css"
    css.write_text(css.read_text(encoding="utf-8")
                   + '\n.essay-author::after { content: " \\2603"; }\n', encoding="utf-8")
    result = run_booklet(root, "build")
    assert result.returncode == 1 and not (root / "build" / "booklet.pdf").exists()
    assert "error B251: the character U+2603 SNOWMAN (☃)" in result.stderr, result.stderr
