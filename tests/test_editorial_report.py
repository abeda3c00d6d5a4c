"""`booklet report`: build/editorial-report.html, read as a proof-reader and a validator
read it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import html5lib
import pytest
from lxml import etree

from booklet.content import load_booklet
from booklet.render.report import read_record
from conftest import ROOT, copy_fixture, copy_project, once_per_run, run_booklet
from edition import requires_2020

NS = {"h": "http://www.w3.org/1999/xhtml"}


@pytest.fixture(scope="session")
def reported(built, tmp_path_factory) -> Path:
    """A copy of a built project (conftest.built) with its report written, made once per
    run and only read; returns its root. The report reads the build; it needs no build
    of its own."""
    def make(root: Path) -> None:
        shutil.copytree(built, root, symlinks=True)
        result = run_booklet(root, "report")
        assert result.returncode == 0, result.stderr
        assert "wrote build/editorial-report.html" in result.stdout

    return once_per_run(tmp_path_factory, f"report-{built.name}", make)


def _page(root: Path):
    data = (root / "build" / "editorial-report.html").read_bytes()
    # strict: any parse error of the HTML standard raises, not just a broken tree
    return html5lib.HTMLParser(strict=True, tree=html5lib.getTreeBuilder("lxml")).parse(data)


def _text(node) -> str:
    return " ".join("".join(node.itertext()).split())


def test_the_report_is_valid_html_with_lang_headings_and_a_skip_link(reported):
    page = _page(reported)
    assert page.getroot().get("lang") == "en-GB"
    assert _text(page.find(".//h:title", NS)).startswith("Editorial report: ")
    levels = [int(h.tag[-1]) for h in page.iter() if isinstance(h.tag, str)
              and h.tag.split("}")[-1] in ("h1", "h2", "h3", "h4")]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), levels  # no level skipped
    first_link = page.find(".//h:body//h:a", NS)
    assert first_link.get("href") == "#main" and "Skip" in _text(first_link)
    assert page.find(".//h:main[@id='main']", NS) is not None
    ids = [e.get("id") for e in page.iter() if isinstance(e.tag, str) and e.get("id")]
    assert len(ids) == len(set(ids))


def test_strict_parsing_would_catch_a_broken_page():
    with pytest.raises(html5lib.html5parser.ParseError):
        html5lib.HTMLParser(strict=True).parse(b"<!DOCTYPE html><p>a</div>")


def test_every_finding_entry_figure_and_change_is_in_the_report(reported):
    booklet = load_booklet(reported / "content")
    record = read_record((reported / "content" / "EDITORIAL.md").read_text(encoding="utf-8"))
    page = _page(reported)
    for essay in booklet.essays:
        section = page.find(f".//h:section[@aria-labelledby='{essay.slug}']", NS)
        assert section is not None, essay.slug
        text = _text(section)
        for finding in essay.findings:
            assert finding.message in text if finding.code == "B203" else finding.text in text
            assert " ".join(finding.check.replace("*", "").split()) in text
        for ref in essay.references:
            if ref.added_by_editor:
                assert f"{ref.key}:" in text
            if ref.uncited:
                assert f"Why it stays: {ref.uncited}" in text
        for figure in essay.figures:
            assert figure.alt in text and figure.caption in text
            assert all(" ".join(p.split()) in text for p in figure.description)
        changes = section.xpath(".//h:h3[.='Changes recorded in EDITORIAL.md']"
                                "/following-sibling::h:ol[1]/h:li", namespaces=NS)
        assert len(changes) == len(record.changes.get(essay.slug, [])) > 0, essay.slug


def test_each_link_opens_the_place_in_the_epub_chapter(reported):
    page = _page(reported)
    links = [a.get("href") for a in page.iterfind(".//h:a", NS)
             if a.get("href", "").startswith("editorial-report/")]
    booklet = load_booklet(reported / "content")
    assert len(links) >= sum(len(e.findings) + len(e.figures) + 1 for e in booklet.essays)
    documents = {}
    for href in links:
        parts = urlsplit(href)
        path = reported / "build" / unquote(parts.path)
        assert path.is_file(), href
        if path not in documents:
            documents[path] = etree.parse(str(path))
        if parts.fragment:
            assert documents[path].xpath(f"//*[@id='{parts.fragment}']"), href
    # a citation's link lands on that very citation, in the words the reader has
    for essay in booklet.essays:
        for finding in essay.findings:
            href = next(h for h in links if h.endswith(f"#{finding.anchor}"))
            chapter = documents[reported / "build" / unquote(urlsplit(href).path)]
            target = chapter.xpath(f"//*[@id='{finding.anchor}']")[0]
            assert " ".join("".join(target.itertext()).split()) == finding.text


def test_axe_core_in_chromium_finds_no_violation(reported):
    result = _axe(reported / "build" / "editorial-report.html")
    assert result["violations"] == [], result["violations"]
    assert result["passes"] > 10


def test_axe_would_catch_an_inaccessible_page(tmp_path):
    bad = tmp_path / "bad.html"
    bad.write_text("<!DOCTYPE html><html><head><title>x</title></head><body>"
                   "<img src='a.png'><a href='#'></a></body></html>", encoding="utf-8")
    ids = {v["id"] for v in _axe(bad)["violations"]}
    assert {"html-has-lang", "image-alt", "link-name"} <= ids


def _axe(path: Path) -> dict:
    from test_web_browser import CHROMIUM

    result = subprocess.run(["node", str(ROOT / "tests" / "axe_page.mjs"), str(path)],
                            cwd=ROOT, capture_output=True, text=True, timeout=120,
                            env={**os.environ, "CHROMIUM": CHROMIUM})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_report_is_no_output_of_the_build(reported, tmp_path):
    """Writing it rebuilds nothing, and a build neither needs nor rewrites it."""
    root = tmp_path / "project"
    shutil.copytree(reported, root, symlinks=True)  # the shared copy is only read
    result = run_booklet(root, "build")
    assert "up to date" in result.stdout and "wrote" not in result.stdout, result.stdout
    stamps = (root / "build" / ".stamps.json").read_text(encoding="utf-8")
    assert "editorial-report" not in stamps


def test_without_an_epub_the_report_says_so_and_links_nowhere(tmp_path):
    root = copy_fixture(tmp_path)
    result = run_booklet(root, "report")
    assert result.returncode == 0, result.stderr
    page = _page(root)
    assert "does not exist" in _text(page.find(".//h:p[@class='notice']", NS))
    assert not [a for a in page.iterfind(".//h:a", NS)
                if not a.get("href", "").startswith("#")]
    assert not (root / "build" / "booklet.epub").exists()  # the report builds nothing


def test_an_epub_older_than_the_content_is_said_to_be(tmp_path):
    root = copy_fixture(tmp_path)
    assert run_booklet(root, "build", "epub", "-q").returncode == 0
    run_booklet(root, "report")
    assert "was up to date" in _text(_page(root).find(".//h:p[@class='notice']", NS))
    essay = next((root / "content" / "essays").glob("*/essay.md"))
    essay.write_text(essay.read_text(encoding="utf-8") + "\nOne more sentence.\n",
                     encoding="utf-8")
    run_booklet(root, "report")
    assert "is older than content/" in _text(_page(root).find(".//h:p[@class='notice']", NS))


def test_markup_in_the_record_is_shown_not_obeyed(tmp_path):
    root = copy_fixture(tmp_path)
    record = root / "content" / "EDITORIAL.md"
    record.write_text(record.read_text(encoding="utf-8").replace(
        "### Changes\n1. ", "### Changes\n1. <script>alert(1)</script> <b>bold</b> ", 1),
        encoding="utf-8")
    assert run_booklet(root, "report").returncode == 0
    page = _page(root)
    assert page.find(".//h:script", NS) is None and page.find(".//h:b", NS) is None
    assert "<script>alert(1)</script>" in _text(page.getroot())


@requires_2020
def test_2020_report_lists_every_recorded_mismatch_and_added_entry(tmp_path):
    root = copy_project(tmp_path)
    assert run_booklet(root, "report").returncode == 0
    text = _text(_page(root).getroot())
    for needle in ("best2016: the text says Best et al, 2014", "westwood2012: the text says Westwood 2007",
                   "Cited 2 times, at “Gupta (2015)”, essay.md line 10 column 1 and “Gupta (2015)",
                   "alexander2009: Alexander and Grant (2009)",
                   "Why it stays: In the author’s list but not cited"):
        assert needle in text, needle
