"""The web edition (build/web/) as a reader's browser, a link preview and an upload meet
it: the same words and page numbers as the EPUB, citations linked both ways, valid
HTML, and nothing loaded from outside the folder. The checks in a real browser (axe,
reflow, links followed) are in test_web_browser.py."""

from __future__ import annotations

import json
import os
import posixpath
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from booklet.check.readback import epub_spine, web_pages, words
from booklet.render.templates import epub_image_name, web_page_name
from conftest import JVM_FLAGS, ROOT, copy_fixture, once_per_run, run_booklet, with_parts_of
from edition import read_2020_build
from recall import recall

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


@pytest.fixture(scope="session")
def web(built) -> Path:
    return built / "build" / "web"


@pytest.fixture(scope="session")
def pages(web):
    """Every page, parsed strictly: a parse error a browser would silently repair fails."""
    return {p.name: p for p in web_pages(web, strict=True)}


@pytest.fixture(scope="session")
def documents(epub):
    return {d.name: d for d in epub_spine(epub)}


def _essay_pages(pages, booklet):
    return [(essay, pages[web_page_name(essay)]) for essay in booklet.essays]


# The folder ----------------------------------------------------------------------


def test_an_index_and_a_page_per_essay(web, pages, booklet):
    assert list(pages) == ["index.html", *sorted(web_page_name(e) for e in booklet.essays)]
    index = pages["index.html"]
    assert next(index.elements("h1")).text == booklet.title
    assert booklet.introduction_title in "".join(next(
        e for e in index.elements("h2") if e.get("id") == "introduction-title").itertext())
    toc = next(e for e in index.elements("nav") if e.get("id") == "toc")
    hrefs = [a.get("href") for a in toc.iter("a")]
    for essay in booklet.essays:
        assert web_page_name(essay) in hrefs
        for section in essay.sections:
            assert f"{web_page_name(essay)}#{section.anchor}" in hrefs
    assert not (web.parent / f".{web.name}.part").exists()
    assert not [p for p in web.parent.iterdir() if p.name.startswith(".web.")]


def test_every_page_is_marked_with_the_language_and_needs_no_script(pages, booklet):
    for page in pages.values():
        assert page.root.get("lang") == booklet.language, page.name
        assert not list(page.elements("script")), page.name
        for element in page.root.iter():
            assert not any(name.startswith("on") for name in element.attrib), page.name


def test_a_skip_link_leads_to_the_main_text(pages):
    for page in pages.values():
        body = next(page.elements("body"))
        first_link = next(body.iter("a"))
        assert first_link.get("href") == "#main" and first_link.get("class") == "skip-link"
        assert page.main().get("id") == "main"
        # one banner, one main, one contentinfo: the landmarks a screen reader lists
        assert [e.tag for e in body if e.tag in ("header", "main", "footer")] == \
            ["header", "main", "footer"]


def test_the_html_is_valid_to_the_nu_checker(web, tmp_path):
    """The W3C's Nu HTML Checker (vnu.jar from npm, run by Java) on every page and the
    stylesheet: no error and no warning. And it can fail: a broken copy is caught."""
    if shutil.which("java") is None or not VNU.is_file():
        pytest.fail(f"the Nu checker needs Java and {VNU} (make test installs both)")
    broken = tmp_path / "broken"
    shutil.copytree(web, broken)
    page = next(broken.glob("0*.html"), broken / "index.html")
    html = page.read_text(encoding="utf-8")
    page.write_text(html.replace("<main", '<main id="main2"><p id="main">x</p></main><main', 1)
                    .replace("<title>", "<title></title><title>", 1), encoding="utf-8")
    files = [*sorted(web.glob("*.html")), web / "web.css", page]
    # The flags on the command line: JAVA_TOOL_OPTIONS would be announced on stderr,
    # where the checker writes its JSON.
    env = {k: v for k, v in os.environ.items() if k != "JAVA_TOOL_OPTIONS"}
    run = subprocess.run(["java", *JVM_FLAGS.split(), "-jar", str(VNU), "--also-check-css",
                          "--format", "json", "--exit-zero-always", *map(str, files)],
                         capture_output=True, text=True, timeout=300, env=env)
    messages = json.loads(run.stderr or run.stdout)["messages"]
    in_broken = [unquote(urlsplit(m.get("url", "")).path).startswith(str(broken))
                 for m in messages]
    ours = [m for m, bad in zip(messages, in_broken) if not bad]
    assert ours == [], "\n".join(f"{m.get('url')}:{m.get('lastLine')}: {m['type']} "
                                 f"{m['message']}" for m in ours)
    caught = {m["message"] for m, bad in zip(messages, in_broken) if bad}
    assert "Duplicate ID “main”." in caught and "Element “title” must not be empty." in caught


# The words and the page numbers ------------------------------------------------------


def _without(root, cls: str):
    """A copy of the tree without the elements of class `cls` (their tails kept)."""
    import copy

    root = copy.deepcopy(root)
    for parent in list(root.iter()):
        children = list(parent)
        for index, child in enumerate(children):
            if cls not in (child.get("class") or "").split():
                continue
            if index:
                children[index - 1].tail = (children[index - 1].tail or "") + (child.tail or "")
            else:
                parent.text = (parent.text or "") + (child.tail or "")
            parent.remove(child)
    return root


def test_every_essay_word_is_on_its_page_as_in_the_epub(pages, documents, booklet):
    """The EPUB read-back, on the web pages: each essay's words, references included,
    are the EPUB's, in order; only the numbered links back to each citation are added."""
    for essay, page in _essay_pages(pages, booklet):
        epub_words = words(documents[f"{essay.slug}.xhtml"].text())
        main = _without(page.main(), "backlinks")
        web_words = words(" ".join(main.itertext()))
        assert recall(epub_words, web_words) == 1.0, essay.author
        assert web_words == epub_words, essay.author


def test_the_introduction_is_on_the_index_as_in_the_epub(pages, documents):
    intro = documents["introduction.xhtml"].text()
    section = next(e for e in pages["index.html"].elements("section")
                   if e.get("id") == "introduction")
    assert words(" ".join(section.itertext())) == words(intro)


@read_2020_build
def test_every_source_word_reaches_the_web_edition(pages, source_essays, booklet):
    for essay, page in _essay_pages(pages, booklet):
        score = recall(words(source_essays[essay.author]), words(page.text()))
        print(f"web recall {essay.author}: {score:.4f}")
        assert score == 1.0, essay.author


def _words_after_markers(root, marker_of) -> dict[str, list[str]]:
    """{page label: the five words after its marker}, the marker found by `marker_of`."""
    import copy

    root = copy.deepcopy(root)
    for element in root.iter():
        label = marker_of(element)
        if label:
            element.text = f" pagemarker{label} "
    text = words(" ".join(root.itertext()))
    return {w[len("pagemarker"):]: text[i + 1:i + 6] for i, w in enumerate(text)
            if w.startswith("pagemarker")}


def test_print_page_numbers_fall_where_they_do_in_the_epub(pages, documents, booklet, built):
    """Each page of the PDF begins at the same words on the web as in the EPUB's
    page-list, on the page that holds them; the index lists them all."""
    stamps = json.loads((built / "build" / ".stamps.json").read_text(encoding="utf-8"))
    labels = [start["label"] for start in stamps["layout"]["pages"]]
    assert labels, "the print layout numbers no page"
    epub_type = "{http://www.idpf.org/2007/ops}type"
    expected = {}
    for doc in documents.values():
        expected.update(_words_after_markers(
            doc.root, lambda e: e.get("id", "")[5:] if e.get(epub_type) == "pagebreak" else ""))
    got, where = {}, {}
    for page in pages.values():
        found = _words_after_markers(
            page.root, lambda e: e.get("data-page") if e.get("class") == "page-marker" else "")
        got.update(found)
        where.update({label: page.name for label in found})
    assert sorted(got, key=int) == sorted(expected, key=int) == sorted(labels, key=int)
    assert got == expected
    page_list = next(e for e in pages["index.html"].elements("nav") if e.get("id") == "page-list")
    listed = {a.text: a.get("href") for a in page_list.iter("a")}
    assert list(listed) == labels
    for label, href in listed.items():
        name = where[label]
        assert href == ("" if name == "index.html" else name) + f"#page-{label}"
        marker = next(e for e in pages[name].root.iter() if e.get("id") == f"page-{label}")
        assert marker.get("class") == "page-marker" and not "".join(marker.itertext())


# Citations, references, figures ------------------------------------------------------


def test_every_citation_links_to_its_entry_and_every_entry_back(pages, booklet):
    for essay, page in _essay_pages(pages, booklet):
        links = {a.get("id"): a for a in page.elements("a") if a.get("id")}
        items = {li.get("id"): li for li in page.elements("li") if li.get("id")}
        for citation in essay.citations:
            a = links[citation.anchor]
            assert a.get("href") == f"#{citation.target}" and a.get("role") == "doc-biblioref"
            assert citation.target in items
        for ref in essay.references:
            back = [a.get("href") for a in items[ref.anchor].iter("a")
                    if a.get("role") == "doc-backlink"]
            assert back == [f"#{anchor}" for anchor in ref.cited_by], ref.key
            for a in items[ref.anchor].iter("a"):
                if a.get("role") == "doc-backlink":
                    assert a.get("aria-label", "").startswith("Back to"), ref.key


def test_every_url_and_doi_is_a_live_link(pages, booklet):
    hrefs = {a.get("href") for page in pages.values() for a in page.elements("a")}
    wanted = {r.doi_url or r.url for e in booklet.essays for r in e.references if r.doi or r.url}
    assert not wanted - hrefs, sorted(wanted - hrefs)
    for page in pages.values():
        for a in page.elements("a"):
            if a.get("class") == "url":
                assert a.get("href").startswith(("https://", "http://", "mailto:"))


def test_figures_have_alt_text_and_a_long_description(web, pages, booklet):
    for essay, page in _essay_pages(pages, booklet):
        for figure in essay.figures:
            img = next(i for i in page.elements("img")
                       if i.get("src") == epub_image_name(figure, essay))
            assert img.get("alt") == figure.alt
            assert (web / img.get("src")).read_bytes() == figure.path.read_bytes()
            details = next(d for d in page.elements("details")
                           if d.get("id") == img.get("aria-details"))
            summary = next(details.iter("summary"))
            assert figure.label in summary.text
            text = " ".join(words(" ".join(details.itertext())))
            for paragraph in figure.description:
                assert " ".join(words(paragraph)) in text


# Sharing and downloads ---------------------------------------------------------------


def _meta(page, key: str, value: str) -> str | None:
    for meta in page.elements("meta"):
        if meta.get(key) == value:
            return meta.get("content")
    return None


def test_every_page_has_a_title_a_description_and_open_graph_tags(pages, booklet):
    titles = set()
    for page in pages.values():
        title = next(page.elements("title")).text
        assert title and title not in titles, page.name
        titles.add(title)
        assert _meta(page, "name", "description"), page.name
        for prop in ("og:title", "og:description", "og:type", "og:site_name", "og:locale"):
            assert _meta(page, "property", prop), (page.name, prop)
        assert _meta(page, "property", "og:locale") == booklet.language.replace("-", "_")
        # no site_url in booklet.yaml: no address is claimed
        assert not [link for link in page.elements("link") if link.get("rel") == "canonical"]
        assert _meta(page, "property", "og:url") is None
    for essay, page in _essay_pages(pages, booklet):
        assert essay.author in next(page.elements("title")).text
        assert _meta(page, "property", "og:type") == "article"


def test_essays_and_sections_have_stable_fragments(pages, booklet):
    for essay, page in _essay_pages(pages, booklet):
        ids = page.ids()
        assert essay.anchor in ids and f"{essay.anchor}-references" in ids or not essay.references
        for section in essay.sections:
            assert section.anchor in ids
            # made from the heading's words, so an edit elsewhere does not move it
            assert section.anchor.startswith(f"{essay.slug}-")


def test_every_page_offers_the_pdf_and_the_epub(web, pages, built):
    for page in pages.values():
        downloads = next(e for e in page.elements("section") if e.get("class") == "downloads")
        hrefs = [a.get("href") for a in downloads.iter("a")]
        assert hrefs == ["booklet.pdf", "booklet-large-print.pdf", "booklet.epub"], page.name
    for name in ("booklet.pdf", "booklet-large-print.pdf", "booklet.epub"):
        assert (web / name).read_bytes() == (built / "build" / name).read_bytes()


def test_nothing_is_loaded_from_outside_the_folder(web, pages):
    """Every address a page loads from (stylesheet, images) and every url() of the
    stylesheet is a file in the folder, named relative to it."""
    import tinycss2

    def inside(base: str, url: str) -> Path:
        parts = urlsplit(url)
        assert not parts.scheme and not parts.netloc, url
        rel = posixpath.normpath(posixpath.join(posixpath.dirname(base), unquote(parts.path)))
        assert not rel.startswith(("/", "..")), url
        assert (web / rel).is_file(), url
        return web / rel

    for page in pages.values():
        for element in page.root.iter():
            if element.tag in ("link", "img", "source", "video", "audio", "iframe", "embed"):
                for attr in ("href", "src", "srcset"):
                    if element.get(attr) and element.get("rel") != "canonical":
                        inside(page.name, element.get(attr))
        for a in page.elements("a"):
            href = a.get("href")
            if not href.startswith(("https://", "http://", "mailto:")) and urlsplit(href).path:
                inside(page.name, href)
    css = (web / "web.css").read_text(encoding="utf-8")
    rules = tinycss2.parse_stylesheet(css, skip_comments=True)
    urls = re.findall(r"url\(([^)]+)\)", css)
    fonts = [inside("web.css", u.strip("'\"")) for u in urls]
    assert len(fonts) >= 4 and all(f.suffix == ".ttf" for f in fonts)
    # The licences travel with the fonts: Atkinson's and Noto's.
    assert (web / "fonts" / "OFL.txt").is_file() and (web / "fonts" / "OFL-Noto.txt").is_file()
    assert any(r.type == "at-rule" and r.lower_at_keyword == "font-face" for r in rules)


# Built with a site address, and a large-print PDF beside ------------------------------


@pytest.fixture(scope="session")
def published(made, tmp_path_factory):
    """The fixture booklet with site_url in booklet.yaml, built as the web edition alone
    (with the laid-out parts of conftest.made, none of its outputs); made once per run
    and only read."""
    def make(root: Path) -> None:
        with_parts_of(copy_fixture(root), made)
        meta = root / "content" / "booklet.yaml"
        meta.write_text(meta.read_text(encoding="utf-8")
                        + "site_url: https://www.example.org/caring\n", encoding="utf-8")
        result = run_booklet(root, "build", "web")
        assert result.returncode == 0, result.stderr

    return once_per_run(tmp_path_factory, "published", make)


def test_a_site_address_gives_canonical_links_and_a_preview_image(published):
    web = published / "build" / "web"
    pages = {p.name: p for p in web_pages(web)}
    for name, page in pages.items():
        canonical = [link.get("href") for link in page.elements("link")
                     if link.get("rel") == "canonical"]
        address = "https://www.example.org/caring/" + ("" if name == "index.html" else name)
        assert canonical == [address]
        assert _meta(page, "property", "og:url") == address
        assert _meta(page, "property", "og:image") == \
            "https://www.example.org/caring/images/cover.png"
        assert _meta(page, "property", "og:image:alt")
    assert (web / "images" / "cover.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_build_web_also_builds_its_downloads_and_links_the_large_print(published):
    build = published / "build"
    web = build / "web"
    for name in ("booklet.pdf", "booklet-large-print.pdf", "booklet.epub"):
        assert (web / name).read_bytes() == (build / name).read_bytes(), name
    index = web_pages(web)[0]
    downloads = next(e for e in index.elements("section") if e.get("class") == "downloads")
    assert [a.get("href") for a in downloads.iter("a")] == [
        "booklet.pdf", "booklet-large-print.pdf", "booklet.epub"]


@pytest.mark.parametrize("value, said", [
    ("http://www.example.org/booklet/", "does not begin with https://"),
    ("www.example.org/booklet", "is not a web address"),
    ("https://www.example.org/booklet/?page=2", "has a ?query or #fragment"),
    ("https://localhost/booklet/", "is not a web address"),
])
def test_a_site_address_must_be_https(tmp_path, value, said):
    root = copy_fixture(tmp_path)
    meta = root / "content" / "booklet.yaml"
    text = meta.read_text(encoding="utf-8")
    meta.write_text(text + f"site_url: {value}\n", encoding="utf-8")
    line = len(text.splitlines()) + 1
    result = run_booklet(root, "validate")
    assert result.returncode == 1
    assert f"booklet.yaml:{line}: error B212: the site_url {value!r} {said}" in result.stderr
    assert "hint: give the address of the folder" in result.stderr
