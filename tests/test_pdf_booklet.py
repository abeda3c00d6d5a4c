"""The PDF booklet read back as a screen reader, a print shop and a PDF/UA checker would."""

from __future__ import annotations

import re
import subprocess
import unicodedata
from collections import Counter

import pikepdf
import pytest

from booklet.check.readback import epub_spine, words
from booklet.check.tagtext import SOFT_HYPHEN, read_tag_text
from booklet.check.type_sizes import below, glyph_runs, smallest_by_kind
from edition import read_2020_build
from recall import recall

A5 = (419.53, 595.28)  # points


@pytest.fixture(scope="session")
def tag_text(pdf):
    return read_tag_text(pdf)


@pytest.fixture(scope="session")
def structure(pdf):
    """(type, element) for every structure element, in tree order, with parents."""
    elements = []
    with pikepdf.open(pdf) as doc:
        def walk(node, parents):
            if not isinstance(node, pikepdf.Dictionary) or node.get("/Type") in ("/MCR", "/OBJR"):
                return
            kind = str(node.get("/S", ""))[1:]
            info = {"type": kind, "parents": parents, "alt": str(node.get("/Alt", "")),
                    "kids": [], "actual": str(node.get("/ActualText", ""))}
            if kind:
                elements.append(info)
                if parents:
                    parents[-1]["kids"].append(info)
            kids = node.get("/K")
            kids = kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
            for kid in kids:
                if isinstance(kid, pikepdf.Dictionary):
                    walk(kid, parents + [info] if kind else parents)
        walk(doc.Root.StructTreeRoot, [])
    return elements


# Reading: the tag tree holds the essays whole -------------------------------------


@read_2020_build
def test_tag_tree_holds_every_essay_in_order(tag_text, source_essays):
    output = words(tag_text.text)
    for author, body in source_essays.items():
        score = recall(words(body), output)
        print(f"tag-tree recall {author}: {score:.4f}")
        assert score >= 0.998, f"{author}: only {score:.2%} of the words are in the tag tree"


@read_2020_build
def test_no_word_reaches_the_reader_in_two_halves(tag_text, source_essays):
    vocabulary = {w for body in source_essays.values() for w in words(body)}
    # A line may end at a compound's own hyphen ("non-" / "judgemental"): read aloud,
    # "non judgemental" is the same; that is no word in two halves.
    compounds = {w for body in source_essays.values()
                 for w in words(" ".join(re.findall(r"\w+(?:[-‐‑]\w+)+", body)))}
    output = words(tag_text.text)
    split = [(a, b) for a, b in zip(output, output[1:])
             if a not in vocabulary and b not in vocabulary and a + b in vocabulary
             and a + b not in compounds]
    assert not split, f"words split in two: {split[:10]}"


def test_no_word_is_split_at_a_line_end(pdf, epub, structure):
    """Clear print: no hyphenation (styles/print.css). Read by poppler, a reader that is
    not ours: a line may end in a hyphen only where the text has one ("relationship-" /
    "based"), and our tag tree needs no /ActualText to join a split word."""
    # Spans with ActualText would be hyphenated lines; right-to-left lines carry one to
    # read in logical order (engine/tagging.py), and are never hyphenated.
    assert not [e["actual"] for e in structure if e["type"] == "Span" and e["actual"]
                and not any(unicodedata.bidirectional(c) in ("R", "AL") for c in e["actual"])]
    text = " ".join(" ".join(doc.text() for doc in epub_spine(epub)).split())
    lines = [line.strip() for line in subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
        check=True).stdout.splitlines() if line.strip()]
    for line, following in zip(lines, lines[1:]):
        assert not line.endswith(SOFT_HYPHEN), line
        if line.endswith("-") and not line.endswith(" -"):
            compound = line.split()[-1] + following.split()[0]
            assert compound.rstrip(".,;:)’”") in text, f"split: {line!r} / {following!r}"


def test_page_furniture_is_artifact_and_not_read(tag_text, booklet):
    text = tag_text.text
    assert ". . ." not in text and "...." not in text
    for essay in booklet.essays:
        head = f"{essay.author} · {essay.short_title}"
        assert head not in text, "a running head reached the tag tree"
    furnished = [p for p in tag_text.pages if p.artifacts]
    assert len(furnished) > len(tag_text.pages) // 2
    for number, page in enumerate(tag_text.pages, 1):
        assert not page.untagged, f"page {number}: text that is neither tagged nor Artifact"
        if page.artifacts:
            assert str(number) in page.artifacts or any(
                a.startswith(tuple(e.author for e in booklet.essays)) for a in page.artifacts)


def test_no_page_ends_in_half_a_word(pdf, tag_text):
    # A word hyphenated over a page turn is hard to read, and text copied or extracted
    # page by page loses it.
    with pikepdf.open(pdf) as doc:
        parents = pikepdf.NumberTree(doc.Root.StructTreeRoot.ParentTree)
        for number, page in enumerate(tag_text.pages):
            if not page.by_mcid:
                continue
            last = parents[number][max(page.by_mcid, key=page.y_by_mcid.get)]
            assert not (last.get("/S") == "/Span" and str(
                last.get("/ActualText", "")).endswith(SOFT_HYPHEN)), \
                f"page {number + 1} ends with a hyphenated word"


# Structure ------------------------------------------------------------------------


def test_one_article_per_essay_opening_with_its_h1(structure, booklet):
    articles = [e for e in structure if e["type"] == "Art"]
    assert len(articles) == len(booklet.essays)
    for article, essay in zip(articles, booklet.essays):
        headings = [e for e in structure if re.fullmatch(r"H\d", e["type"])
                    and any(p is article for p in e["parents"])]
        assert headings[0]["type"] == "H1"
        levels = [int(h["type"][1]) for h in headings]
        assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), levels
        sections = [s for s in essay.sections if s.level == 2]
        # and References, and Notes if the essay has notes
        assert sum(1 for h in headings if h["type"] == "H2") == len(sections) + 1 + bool(essay.notes)


def test_no_nonstruct_and_no_empty_elements(structure):
    kinds = Counter(e["type"] for e in structure)
    assert kinds["NonStruct"] == 0
    assert kinds["Document"] == 1


def test_contents_is_a_toc_with_an_item_per_essay(structure, booklet):
    tocs = [e for e in structure if e["type"] == "TOC"]
    assert len(tocs) == 1
    items = tocs[0]["kids"]
    assert [k["type"] for k in items] == ["TOCI"] * len(booklet.essays)
    for item in items:
        assert [k["type"] for k in item["kids"]] == ["Reference"]
        assert "Link" in [k["type"] for k in item["kids"][0]["kids"]]


def test_reference_lists_are_lists(structure, booklet):
    articles = [e for e in structure if e["type"] == "Art"]
    lists = [e for e in structure if e["type"] == "L" and any(p["type"] == "Art" for p in e["parents"])]
    for article, essay in zip(articles, booklet.essays):
        # An essay may hold lists of its own; its reference list comes last.
        last = [e for e in lists if any(p is article for p in e["parents"])][-1]
        assert len(last["kids"]) == len(essay.references)
    for lst in lists:
        for item in lst["kids"]:
            assert item["type"] == "LI"
            assert [k["type"] for k in item["kids"]] in (["LBody"], ["Lbl", "LBody"])


def test_figure_has_alt_and_is_grouped_with_its_caption(structure, booklet):
    figures = [e for e in structure if e["type"] == "Figure"]
    expected = [f.alt for essay in booklet.essays for f in essay.figures]
    assert [f["alt"] for f in figures] == expected
    for figure in figures:
        siblings = [k["type"] for k in figure["parents"][-1]["kids"]]
        assert figure["parents"][-1]["type"] == "Div" and "Caption" in siblings


def test_every_link_annotation_is_tagged_and_described(pdf):
    with pikepdf.open(pdf) as doc:
        parents = pikepdf.NumberTree(doc.Root.StructTreeRoot.ParentTree)
        count = 0
        for page in doc.pages:
            annots = [a for a in page.obj.get("/Annots", []) if a.get("/Subtype") == "/Link"]
            if annots:
                assert page.obj.get("/Tabs") == "/S"
            for annot in annots:
                count += 1
                assert str(annot.get("/Contents", "")).strip()
                assert parents[int(annot.StructParent)].S == "/Link"
                assert not str(annot.Contents).startswith("#"), "describe where it goes"
        assert count > 50


# The document -----------------------------------------------------------------------


def test_document_metadata(pdf, booklet):
    with pikepdf.open(pdf) as doc:
        assert str(doc.Root.Lang) == booklet.language
        assert doc.Root.ViewerPreferences.DisplayDocTitle is True
        assert doc.Root.MarkInfo.Marked is True
        meta = doc.open_metadata()
        assert booklet.title in meta.get("dc:title", "")
        assert meta.get("pdfuaid:part") == "1"
        info = doc.docinfo
        assert all(e.author in str(info.Author) for e in booklet.essays)
        assert str(info.Subject).strip() and str(info.Keywords).strip()


def test_bookmarks_for_every_essay_and_section(pdf, booklet):
    with pikepdf.open(pdf) as doc:
        with doc.open_outline() as outline:
            titles = []

            def walk(items):
                for item in items:
                    titles.append(item.title)
                    walk(item.children)
            walk(outline.root)
    for essay in booklet.essays:
        assert any(t.startswith(essay.author) for t in titles), essay.author
        for section in essay.sections:
            assert section.text in titles


# Print ------------------------------------------------------------------------------


def test_a5_pages_in_multiples_of_four(pdf):
    with pikepdf.open(pdf) as doc:
        assert len(doc.pages) % 4 == 0
        for page in doc.pages:
            width, height = (float(v) for v in page.mediabox[2:])
            assert abs(width - A5[0]) < 1 and abs(height - A5[1]) < 1


def test_only_shipped_fonts_all_embedded(pdf):
    with pikepdf.open(pdf) as doc:
        fonts = set()
        for page in doc.pages:
            for font in page.obj.Resources.get("/Font", {}).values():
                descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
                descriptor = descendant.FontDescriptor
                assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                fonts.add(str(descendant.BaseFont).split("+")[-1])
    # only the shipped families (test_print_fit.py checks each face against styles/fonts/)
    assert fonts and all(f.startswith(("Atkinson-Hyperlegible-Next", "Noto-Sans"))
                         for f in fonts), fonts


def test_each_essay_opens_on_a_right_hand_page(pdf, booklet):
    with pikepdf.open(pdf) as doc:
        names = dict(pikepdf.NameTree(doc.Root.Names.Dests).items())
        pages = {p.obj.objgen: n for n, p in enumerate(doc.pages, 1)}
        for essay in booklet.essays:
            page_number = pages[names[essay.anchor][0].objgen]
            assert page_number % 2 == 1, f"{essay.author} opens on page {page_number}"


CLEAR_PRINT = 12  # points: the clear-print minimum, for every text on the page


@pytest.fixture(scope="session")
def glyphs(pdf):
    return glyph_runs(pdf)


def test_every_text_is_at_least_12_points(glyphs):
    """Body, running heads, folios and the labels inside figures: every painted glyph,
    measured from the page streams and the forms they paint (booklet.check.type_sizes)."""
    smallest = smallest_by_kind(glyphs)
    print("\nsmallest text of each kind:", *(f"  {run}" for run in smallest.values()),
          sep="\n")
    assert {"body", "running head", "folio"} <= set(smallest), smallest
    small = below(glyphs, CLEAR_PRINT)
    assert not small, f"text under {CLEAR_PRINT} pt: " + "; ".join(
        f"{sum(r.kind == run.kind for r in small)} runs of {run.kind}, smallest {run}"
        for run in smallest_by_kind(small).values())


def test_measurement_reads_every_figure_label(glyphs, booklet):
    """The size check sees the text of every SVG figure, centred labels included: all the
    words of the figures' <text> elements, and nothing else, are measured as labels."""
    from xml.etree import ElementTree

    drawn = "".join(run.text for run in glyphs if run.kind == "figure label")
    expected = ""
    for essay in booklet.essays:
        for figure in essay.figures:
            if figure.path.suffix.lower() != ".svg":
                continue  # a raster figure's words are pixels
            tree = ElementTree.parse(figure.path)
            for text in tree.iter("{http://www.w3.org/2000/svg}text"):
                label = re.sub(r"\s+", "", "".join(text.itertext()))
                assert label in drawn, f"{figure.path.name}: label {label!r} not measured"
                expected += label
    assert len(re.sub(r"\s+", "", drawn)) == len(expected)
    if expected:
        assert all(run.text.strip() for run in glyphs if run.kind == "figure label")


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_text_colours_have_contrast_of_at_least_4_5():
    from conftest import ROOT

    css = (ROOT / "styles" / "print.css").read_text(encoding="utf-8")
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    cover_ground = re.search(r"\.cover \{[^}]*background: #([0-9a-fA-F]{6})", css).group(1)
    for rule in re.finditer(r"([^{}]+)\{([^{}]*)\}", css):
        selector, body = rule.group(1), rule.group(2)
        for colour in re.findall(r"(?<!-)color: #([0-9a-fA-F]{3,6})", body):
            colour = "".join(c * 2 for c in colour) if len(colour) == 3 else colour
            ground = cover_ground if ".cover" in selector else "ffffff"
            assert _contrast(colour, ground) >= 4.5, f"{selector.strip()}: #{colour} on #{ground}"


def test_figures_stand_where_discussed_or_on_the_next_page(pdf, booklet):
    with pikepdf.open(pdf) as doc:
        names = dict(pikepdf.NameTree(doc.Root.Names.Dests).items())
        pages = {p.obj.objgen: n for n, p in enumerate(doc.pages, 1)}
    for essay in booklet.essays:
        opening = pages[names[essay.anchor][0].objgen]  # labels repeat from essay to essay
        for figure in essay.figures:
            figure_page = pages[names[figure.anchor][0].objgen]
            mentioned = next(n for n in range(opening, len(pages) + 1)
                             if figure.label in _page(pdf, n) and n != figure_page
                             or n == figure_page)
            assert figure_page - mentioned in (0, 1), (figure.label, mentioned, figure_page)


def _page(pdf, number):
    import subprocess

    return subprocess.run(["pdftotext", "-f", str(number), "-l", str(number), str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout


def test_links_say_where_they_go_never_an_id(pdf):
    """A screen reader announces a link's /Contents (PDF/UA-1 7.18.5). Every annotation of
    a contents entry or citation (one per line or inline part) says where it leads and
    on which page; WeasyPrint's default is the target's id."""
    with pikepdf.open(pdf) as doc:
        dests = dict(pikepdf.NameTree(doc.Root.Names.Dests).items())
        pages = {p.obj.objgen: n for n, p in enumerate(doc.pages, 1)}
        internal = 0
        for page in doc.pages:
            for annot in page.obj.get("/Annots", []):
                if annot.get("/Subtype") != "/Link":
                    continue
                said = str(annot.get("/Contents", ""))
                assert said and said not in dests, f"a link describes itself as {said!r}"
                if "/Dest" in annot:
                    target = pages[dests[str(annot.Dest)][0].objgen]
                    assert said.endswith(f", page {target}"), said
                    internal += 1
                else:
                    assert said.startswith(("http", "mailto:")) or " " in said, said
        assert internal > 0
