"""The EPUB as an e-reader, a screen reader and the validators meet it."""

from __future__ import annotations

import re
import subprocess
import zipfile
from datetime import datetime, timezone

import pytest

from booklet.check.epub import REQUIRED_METADATA, ace, epubcheck
from booklet.check.readback import epub_spine, words
from booklet.check.tagtext import read_tag_text
from conftest import ROOT, run_booklet
from edition import built_from, read_2020_build

EPUB_NS = "{http://www.idpf.org/2007/ops}"


@pytest.fixture(scope="session")
def documents(epub):
    return {d.name: d for d in epub_spine(epub)}


@pytest.fixture(scope="session")
def opf(epub):
    with zipfile.ZipFile(epub) as z:
        return z.read("EPUB/content.opf").decode()


# The validators -----------------------------------------------------------------


def test_epubcheck_reports_nothing(epub):
    findings = epubcheck(epub)
    assert findings == [], "\n".join(map(str, findings))


def test_ace_reports_no_violations_and_no_missing_metadata(epub):
    violations, missing = ace(epub, ROOT)
    assert violations == [], "\n".join(map(str, violations))
    assert missing == []


@built_from("fixture")  # that the validators can fail, on one booklet
def test_validators_catch_a_broken_epub(epub, booklet, tmp_path):
    """The checks above must be able to fail: break a copy and look again."""
    broken = tmp_path / "broken.epub"
    first = f"{booklet.essays[0].slug}.xhtml"
    with zipfile.ZipFile(epub) as src, zipfile.ZipFile(broken, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.endswith(first):
                data = data.replace(b' alt="', b' data-x="').replace(b'lang="en-GB"', b"", 1)
                data = data.replace(b"<h2 ", b"<h4 ", 1).replace(b"</h2>", b"</h4>", 1)
            if info.filename.endswith("content.opf"):
                data = re.sub(rb"<meta property=\"schema:accessibilityHazard\">none</meta>", b"", data)
            dst.writestr(info, data)
    violations, missing = ace(broken, ROOT)
    assert violations and "schema:accessibilityHazard" in missing


@built_from("fixture")  # what booklet check does when Ace fails, on one booklet
def test_check_fails_when_ace_fails(epub):
    """Ace that cannot start its browser has checked nothing: `booklet check epub` must
    fail and say so, with what Ace said (here a shell's false, which is no browser)."""
    result = run_booklet(ROOT, "check", "epub", str(epub),
                         env={"PUPPETEER_EXECUTABLE_PATH": "/bin/false"})
    assert result.returncode == 1
    assert "booklet check: Ace failed (exit status 1): " in result.stderr, result.stderr
    assert "Failed to launch the browser process" in result.stderr


# The book -----------------------------------------------------------------------


def test_reading_order(documents, booklet):
    names = list(documents)
    assert names[:4] == ["cover.xhtml", "title.xhtml", "nav.xhtml", "introduction.xhtml"]
    assert names[4:] == [f"{e.slug}.xhtml" for e in booklet.essays]


def test_package_metadata(opf, booklet, built, pdf):
    assert f'xml:lang="{booklet.language}"' in opf
    assert f"<dc:language>{booklet.language}</dc:language>" in opf
    assert booklet.identifier in opf
    modified = re.search(r'property="dcterms:modified">([^<]+)<', opf).group(1)
    # Both editions state one edition time (booklet.freshness.edition_time).
    import pikepdf
    with pikepdf.open(pdf) as doc:
        stated = str(doc.docinfo["/ModDate"])  # D:YYYYMMDDHHmmSS…
    expected = datetime.strptime(stated[2:16], "%Y%m%d%H%M%S").replace(tzinfo=timezone.utc)
    assert modified == expected.strftime("%Y-%m-%dT%H:%M:%SZ")
    for feature in ("structuralNavigation", "tableOfContents", "alternativeText",
                    "longDescription", "pageNavigation", "printPageNumbers", "readingOrder",
                    "displayTransformability"):
        assert f'<meta property="schema:accessibilityFeature">{feature}</meta>' in opf
    for prop in REQUIRED_METADATA:
        assert f'property="{prop}"' in opf
    assert "EPUB Accessibility 1.1 - WCAG 2.2 Level AA" in opf
    assert "<dc:source>" in opf and 'property="pageBreakSource"' in opf
    assert 'properties="cover-image"' in opf


def test_cover_has_alt_text(documents):
    img = next(documents["cover.xhtml"].elements("img"))
    assert img.get("role") == "doc-cover" and len(img.get("alt")) > 20


@read_2020_build
def test_every_essay_word_is_in_the_epub(documents, source_essays, booklet):
    from recall import recall
    for essay in booklet.essays:
        got = words(documents[f"{essay.slug}.xhtml"].text())
        expected = words(source_essays[essay.author])
        assert recall(expected, got) == 1.0, essay.author


# Navigation ---------------------------------------------------------------------


def _nav(documents, kind):
    nav = documents["nav.xhtml"]
    return next(n for n in nav.elements("nav") if n.get(f"{EPUB_NS}type") == kind)


def test_toc_lists_essays_and_their_sections(documents, booklet):
    toc = _nav(documents, "toc")
    assert toc.get("role") == "doc-toc"
    hrefs = [a.get("href") for a in toc.iter("{http://www.w3.org/1999/xhtml}a")]
    for essay in booklet.essays:
        assert f"{essay.slug}.xhtml" in hrefs
        for section in essay.sections:
            assert f"{essay.slug}.xhtml#{section.anchor}" in hrefs


def test_landmarks(documents):
    types = {a.get(f"{EPUB_NS}type") for a in _nav(documents, "landmarks").iter(
        "{http://www.w3.org/1999/xhtml}a")}
    assert {"cover", "toc", "bodymatter", "bibliography"} <= types


def test_page_list_has_one_entry_per_numbered_pdf_page(documents, pdf):
    pages = read_tag_text(pdf).pages
    numbered = [str(n) for n, page in enumerate(pages, 1) if str(n) in page.artifacts]
    entries = [a.text for a in _nav(documents, "page-list").iter("{http://www.w3.org/1999/xhtml}a")]
    print(f"page-list: {len(entries)} entries for {len(numbered)} numbered PDF pages")
    assert entries == numbered


def test_page_breaks_stand_where_the_pdf_pages_begin(documents, pdf, booklet):
    heads = {f"{e.author} · {e.short_title}" for e in booklet.essays}
    checked = 0
    for doc in documents.values():
        for marker in doc.elements("span"):
            if marker.get("role") != "doc-pagebreak":
                continue
            label = marker.get("aria-label")
            assert marker.get(f"{EPUB_NS}type") == "pagebreak" and marker.get("id") == f"page-{label}"
            following = _next_sibling(doc.root, marker)
            if following is not None and following.tag.endswith("figure"):
                # The page opens with a figure: its caption is on that page.
                caption = words("".join(following.itertext()))
                page_words = " ".join(words(pdf_text_page(pdf, int(label))))
                assert " ".join(caption) in page_words, f"page {label}"
                checked += 1
                continue
            # The words after the marker in the EPUB ...
            # The EPUB's contents lists more than the printed page: match its heading.
            n = 1 if doc.name == "nav.xhtml" else 4
            after = words(_text_after(doc.root, marker))[:n]
            # ... are the first words on that PDF page, under the running head.
            lines = [l for l in pdf_text_page(pdf, int(label)).splitlines()
                     if l.strip() and l.strip() not in heads and l.strip() != label]
            first = _without_repeated_head(words(" ".join(lines)), marker, doc.root)
            if first[:n] != after:
                # A word hyphenated across the page turn belongs to the page it starts
                # on: the marker follows it, and the page opens with its tail.
                before = words(_text_before(doc.root, marker))
                assert before and before[-1].endswith(first[0]) and first[1:n + 1] == after, \
                    f"page {label}: PDF {first[:n + 1]} vs EPUB {after}"
            else:
                assert first[:n] == after
            checked += 1
    numbered = [n for n, page in enumerate(read_tag_text(pdf).pages, 1) if str(n) in page.artifacts]
    assert checked == len(numbered) > 0


def _without_repeated_head(first: list[str], marker, root) -> list[str]:
    """A page that opens inside a table opens with the table's head row, repeated in
    print only (pdftotext reads its cells line by line, so compared as a set of words)."""
    table = next((t for t in root.iter("{http://www.w3.org/1999/xhtml}table")
                  if any(e is marker for e in t.iter())), None)
    head = next((k for k in table if k.tag.endswith("}thead")), None) if table is not None \
        else None
    if head is None:
        return first
    head_words = words("".join(head.itertext()))
    if sorted(first[:len(head_words)]) == sorted(head_words):
        return first[len(head_words):]
    return first


def pdf_text_page(pdf, number):
    return subprocess.run(["pdftotext", "-f", str(number), "-l", str(number), str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout


def _next_sibling(root, element):
    for parent in root.iter():
        children = list(parent)
        if element in children:
            index = children.index(element)
            return children[index + 1] if index + 1 < len(children) else None
    return None


def _around(root, marker):
    """(text before, text after) the marker, in reading order."""
    before, after, seen = [], [], [False]

    def walk(element):
        if element is marker:
            seen[0] = True
        else:
            (after if seen[0] else before).append(element.text or "")
            for child in element:
                walk(child)
        (after if seen[0] else before).append(element.tail or "")

    walk(root)
    return " ".join(before), " ".join(after)


def _text_before(root, marker):
    return _around(root, marker)[0]


def _text_after(root, marker):
    return _around(root, marker)[1]


# Semantics ----------------------------------------------------------------------


def test_chapters_bibliographies_and_citation_roles(documents, booklet):
    for essay in booklet.essays:
        doc = documents[f"{essay.slug}.xhtml"]
        roles = [e.get("role") for e in doc.root.iter() if e.get("role")]
        assert roles.count("doc-chapter") == 1
        assert roles.count("doc-bibliography") == (1 if essay.references else 0)
        citations = [a for a in doc.elements("a") if "citation" in (a.get("class") or "")]
        assert len(citations) == len(essay.citations)
        assert all(a.get("role") == "doc-biblioref" for a in citations)
        entries = [li for li in doc.elements("li") if li.get(f"{EPUB_NS}type") == "biblioentry"]
        assert len(entries) == len(essay.references)
        for entry, ref in zip(entries, essay.references):
            backlinks = [a for a in entry.iter("{http://www.w3.org/1999/xhtml}a")
                         if a.get("role") == "doc-backlink"]
            if ref.cited_by:
                assert backlinks[0].get("href") == f"#{ref.cited_by[0]}"


def test_figure_ties_its_long_description(documents, booklet):
    for essay in booklet.essays:
        doc = documents[f"{essay.slug}.xhtml"]
        for figure in essay.figures:
            element = next(f for f in doc.elements("figure") if f.get("id") == figure.anchor)
            img = next(element.iter("{http://www.w3.org/1999/xhtml}img"))
            caption = next(element.iter("{http://www.w3.org/1999/xhtml}figcaption"))
            assert figure.caption in "".join(caption.itertext())
            described = img.get("aria-details")
            target = next(e for e in doc.root.iter() if e.get("id") == described)
            assert figure.description[0][:60] in "".join(target.itertext())


# Reading-system friendly CSS ------------------------------------------------------


def test_css_leaves_colours_and_sizes_to_the_reader_and_brings_its_font(epub):
    """The booklet's typeface is the default, embedded (OFL); the reader's choice of
    font, size and colours overrides it: no !important, no colour, no absolute unit."""
    with zipfile.ZipFile(epub) as z:
        css = z.read("EPUB/styles/epub.css").decode()
        names = set(z.namelist())
        opf = z.read("EPUB/content.opf").decode()
    body = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    assert "!important" not in body
    assert not re.search(r"\b(color|background|background-color)\s*:", body)
    assert not re.search(r"\d(px|pt|cm|mm|in|pc)\b", body), "absolute units"
    families = re.findall(r"font-family\s*:\s*([^;}]+)", re.sub(r"@font-face\s*{[^}]*}", "", body))
    assert families == ['"Atkinson Hyperlegible Next", sans-serif'], families
    fonts = re.findall(r"url\(([^)]+)\)", body)
    assert len(fonts) == 4
    for font in fonts:
        assert f"EPUB/styles/{font}" in names
        assert f'href="styles/{font}"' in opf and 'media-type="font/ttf"' in opf


def test_figure_is_legible_in_night_mode(booklet):
    """A figure brings its own light ground: no text sits on the reader's dark page."""
    for essay in booklet.essays:
        for figure in essay.figures:
            if figure.path.suffix.lower() != ".svg":
                from PIL import Image  # a raster figure: its corner is its ground
                with Image.open(figure.path) as image:
                    assert min(image.convert("L").getpixel((1, 1)), 255) >= 230, figure.path
                continue
            svg = figure.path.read_text(encoding="utf-8")
            first_shape = re.search(r"<(rect|circle)\b[^>]*>", svg).group(0)
            assert re.search(r'fill="#(f|F)', first_shape), first_shape
