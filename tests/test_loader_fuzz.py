"""Whatever an editor types, the content loader answers with a Booklet or a BookletError.

Random Unicode, Markdown-ish and YAML-ish fragments go into essay.md, references.yaml
and booklet.yaml of a small project; any other exception (a KeyError, a RecursionError,
a TypeError deep in the loader) is a bug that would reach the editor as a traceback.
When the content is accepted, the EPUB documents made from it must be well-formed XML.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from booklet.content import load_booklet
from booklet.content.model import Booklet
from booklet.errors import CODES, BookletError

BOOKLET_YAML = """title: A booklet
publisher: A publisher
year: "2020"
language: en-GB
identifier: urn:uuid:00000000-0000-4000-8000-000000000000
keywords: [one, two]
"""
INTRODUCTION = "---\ntitle: Introduction\n---\n\nSome words to begin.\n"
ESSAY = """---
title: "An essay: with a colon"
author: A. Writer
affiliation: A University
figures:
  figure-1:
    file: figure-1.svg
    label: Figure 1
    caption: A circle
    alt: A dark circle.
    description: |
      One dark circle.
---

The first paragraph cites ([Smith, 2019](cite:smith2019)), links to [a page](https://a.org/).

::: figure figure-1
:::

## A section

> A quotation.

- a list item
"""
REFERENCES = """- id: smith2019
  type: article-journal
  author: [{family: Smith, given: A.}]
  issued: 2019
  title: A work
  URL: https://www.example.org/work
  DOI: 10.1000/xyz
"""
SVG = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" role="img">'
       '<title>A circle</title><circle cx="5" cy="5" r="4"/></svg>')

FRAGMENTS = [
    # Markdown
    "[", "]", "(", ")", "](", "](cite:", "](cite:smith2019", "](cite:smith2019,smith2019)",
    "](javascript:alert(1))", "](file:///etc/passwd)", "](../../../x)", "](http://[x)",
    "](mailto:a@b.c)", "![", "![](figure-1.svg)", ":::", "::: figure figure-1\n:::\n",
    "::: figure nope\n", "<", ">", "> ", ">>>>>>>>>>>>>>>>>>>>>>>>", "#", "## ", "#### ", "*",
    "**", "_", "__", "`", "```\n", "    ", "---", "\n---\n", "- ", "1. ", "\\", "&amp;", "&#0;",
    "&#x0b;", "&#xD800;", "&#xFFFE;",
    "&#x10FFFF;", "\n", "\n\n", "\r\n", "\r", "\t", "\ufeff", "\u2028", "\x85", "\x00",
    "\x0b", "\ud7ff", "\ufffe", "é", "’", "–", "🙂", "\u0301", "[x]: https://a.bc\n",
    # inline HTML
    "<em>", "</em>", "<i>", "</i>", "<b>", "<strong>", "</strong>", "<br>", "<br/>", "</br>",
    "<sub>", "</sup>", "<abbr title=\"x\">", "</abbr>", "<span lang=\"fr\">", "</span>",
    "<span lang=\"!!\">", "<span>", "<script>", "</script>", "<!-- c -->", "<![CDATA[x]]>",
    "<?pi?>", "<!DOCTYPE x>", "<em onclick=x>", "<div>", "<iframe src=x>",
    # SVG
    " href=\"http://x/y\"", " href=\"#a\"", " onload=\"x\"", " fill=\"url(file:///x)\"",
    "<image href=\"x.png\"/>", "<style>@import 'x';</style>", "<foreignObject>", "&a;",
    "<!ENTITY a \"b\">", "<?xml-stylesheet href=\"x\"?>", "<g>", "</g>", "</svg>",
    # YAML
    ": ", "- ", "? ", "{", "}", "[]", "{}", "&a ", "*a", "!!binary ", "!!int ", "!!set ",
    "!!python/object:os.system ", "~", "null", "true", "010", "1e999", "0x1F", "|", ">-",
    "\"", "'", "id: ", "author: ", "issued: ", "URL: ", "DOI: ", "key: ", "figures:", "  file: ",
    "  alt: ", "<<: *a", "%YAML 1.1\n", "...\n",
]

pieces = st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8))
noise = st.lists(pieces, max_size=30).map("".join)
short = st.lists(pieces, max_size=4).map("".join)

# A little grammar, so that examples often get past the first parser and reach the checks
# behind it: YAML lines made of real field names and odd values, Markdown blocks made of
# links, citations and tags with odd targets.
FIELDS = ["id", "type", "author", "issued", "title", "URL", "DOI", "container-title",
          "accessed", "family", "given", "literal", "date-parts", "key", "figures", "file",
          "alt", "description", "caption", "label", "language", "keywords", "identifier",
          "figure-1", "note", "unknown"]
VALUES = ["", "~", "true", "[]", "{}", "[a, b]", "[~]", "{a: b}", "[[a]]", "\"2020\"", "010",
          "1.10", "!!int 7", "!!binary aGk=", "!!set {a}", "&a [x]", "*a", "*b", "|\n  text",
          "http://[x", "https://a.b:99999/", "https://www.example.org/", "javascript:x",
          "file:///etc/passwd", "../../../x.svg", "/etc/passwd", "figure-1.svg", "x.png",
          "10.1000/x", "10.1/x", "en-GB", r'"\x0b"', r'"\ud800"', r'"\0"', r'"\uFFFE"', "!!",
          "\"unclosed", "'q''", "2020-13-40", "[{family: A}]", "[{given: B}]",
          "{date-parts: [[2020, 2]]}", "{date-parts: x}", "{literal: n.d.}", "[{literal: ~}]"]
yaml_value = st.one_of(st.sampled_from(VALUES), short)
yaml_line = st.tuples(
    st.sampled_from(["", "  ", "    ", "- ", "  - ", "? "]),
    st.one_of(st.sampled_from(FIELDS), short),
    st.sampled_from([": ", ":", " : ", ": [", "\n: "]),
    yaml_value,
).map(lambda t: "".join(t) + "\n")
yaml_noise = st.lists(st.one_of(yaml_line, noise.map(lambda x: x + "\n")), max_size=12).map(
    "".join)
TARGETS = ["cite:smith2019", "cite:smith2019,smith2019", "cite:nobody", "cite:", "cite:A B",
           "javascript:alert(1)", "data:text/html,x", "file:///etc/passwd", "../../../secret",
           "/etc/passwd", "#top", "mailto:a@b.c", "mailto:x", "http://127.0.0.1/", "http://[x",
           "https://a.b:x/", "https://www.example.org/", "figure-1.svg", "<>", "%00"]
target = st.one_of(st.sampled_from(TARGETS), short)
link = st.tuples(st.sampled_from(["[", "!["]), short, st.just("]("), target,
                 st.sampled_from([")", " \"t\")", ""])).map("".join)
TAGS = ["<em>", "</em>", "<i>", "</i>", "<b>", "</b>", "<sub>", "</sub>", "<br>", "<br/>",
        "<abbr title=\"x\">", "</abbr>", "<span lang=\"fr\">", "</span>", "<span lang=x!>",
        "<em onclick=x>", "<script>", "<img src=x>", "<!-- x -->", "<a href=x>", "</a>"]
inline = st.one_of(pieces, link, st.sampled_from(TAGS))
block = st.tuples(
    st.sampled_from(["", "> ", ">> ", "- ", "1. ", "## ", "### ", "#### ", "# ", "    ",
                     "::: figure figure-1\n", "::: figure nope\n", "<div>"]),
    st.lists(inline, max_size=12).map("".join),
).map(lambda t: "".join(t) + "\n\n")
markdown = st.lists(block, max_size=8).map("".join)


def _project(root: Path) -> Path:
    content = root / "content"
    if content.exists():
        shutil.rmtree(content)
    essay = content / "essays" / "01-a-writer"
    essay.mkdir(parents=True)
    (content / "booklet.yaml").write_text(BOOKLET_YAML, encoding="utf-8")
    (content / "introduction.md").write_text(INTRODUCTION, encoding="utf-8")
    (essay / "essay.md").write_text(ESSAY, encoding="utf-8")
    (essay / "references.yaml").write_text(REFERENCES, encoding="utf-8")
    (essay / "figure-1.svg").write_text(SVG, encoding="utf-8")
    return content


FILES = {
    "essay": ("essays/01-a-writer/essay.md", ESSAY),
    "references": ("essays/01-a-writer/references.yaml", REFERENCES),
    "booklet": ("booklet.yaml", BOOKLET_YAML),
    "introduction": ("introduction.md", INTRODUCTION),
    "figure": ("essays/01-a-writer/figure-1.svg", SVG),
}

_WORK = Path(tempfile.mkdtemp(prefix="booklet-fuzz-"))
atexit.register(shutil.rmtree, _WORK, ignore_errors=True)


def _load(content: Path) -> Booklet | None:
    try:
        booklet = load_booklet(content)
    except BookletError as exc:
        assert exc.problems, "a BookletError must carry at least one problem"
        for problem in exc.problems:
            assert problem.code in CODES, problem
            str(problem)
        return None
    assert isinstance(booklet, Booklet)
    return booklet


def _check_epub_markup(booklet: Booklet) -> None:
    from booklet.render import render_epub

    for document in render_epub(booklet):
        etree.fromstring(document.xhtml.encode())  # raises if not well-formed


fuzz = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@fuzz
@given(which=st.sampled_from(sorted(FILES)), position=st.floats(0, 1), text=noise)
def test_fragments_inserted_into_a_valid_file(which, position, text):
    content = _project(_WORK)
    name, original = FILES[which]
    at = int(len(original) * position)
    (content / name).write_text(original[:at] + text + original[at:], encoding="utf-8",
                                errors="surrogatepass")
    booklet = _load(content)
    if booklet is not None:
        _check_epub_markup(booklet)


@fuzz
@given(which=st.sampled_from(["essay", "references", "booklet"]), text=noise)
def test_a_file_replaced_by_noise(which, text):
    content = _project(_WORK)
    (content / FILES[which][0]).write_text(text, encoding="utf-8", errors="surrogatepass")
    _load(content)


@fuzz
@given(body=markdown, refs=yaml_noise, meta=yaml_noise, front=yaml_noise)
def test_structured_noise_in_every_file(body, refs, meta, front):
    content = _project(_WORK)
    essay = ESSAY.replace("figures:", front + "figures:", 1) + body
    (content / FILES["essay"][0]).write_text(essay, encoding="utf-8", errors="surrogatepass")
    (content / FILES["references"][0]).write_text(REFERENCES + refs, encoding="utf-8",
                                                  errors="surrogatepass")
    (content / FILES["booklet"][0]).write_text(BOOKLET_YAML + meta, encoding="utf-8",
                                               errors="surrogatepass")
    booklet = _load(content)
    if booklet is not None:
        _check_epub_markup(booklet)


@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=200), which=st.sampled_from(["essay", "references", "figure"]))
def test_random_bytes(data, which):
    content = _project(_WORK)
    (content / FILES[which][0]).write_bytes(data)
    _load(content)


def test_the_fuzzing_project_is_valid():
    booklet = _load(_project(_WORK))
    assert booklet is not None and len(booklet.essays) == 1
    _check_epub_markup(booklet)
