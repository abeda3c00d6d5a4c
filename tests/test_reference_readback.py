"""Every word of the 2020 reference lists reaches the reader, in order, in both outputs.

The source (../shared/source/000_*.txt) gives a "References" list after each essay; a list
runs to the next essay's opening question, or to the end of the file. For each entry of
each list, every word of the source entry must appear, in the same order, in the
rendered entry of the EPUB (its XHTML) and of the PDF (its tag tree, as a screen reader
reads it). The only exceptions are the substitutions in SUBSTITUTIONS below: the reference
style, and the corrections content/EDITORIAL.md records. Words the output adds (the
style's "pp.", an editor's note) are allowed; words it loses are not.
"""

from __future__ import annotations

import re
import zipfile
from difflib import SequenceMatcher
from pathlib import Path

import pikepdf
import pytest
from lxml import etree

from booklet.check.tagtext import SOFT_HYPHEN, page_texts
from edition import SOURCE, built_from, requires_2020

pytestmark = requires_2020

# (source text, what the output prints instead, why). Applied in this order to every
# source entry before its words are compared; each must be needed by some entry.
SUBSTITUTIONS = [
    # Recorded corrections (content/EDITORIAL.md).
    ("Available from <https://doi.org/10.101080/02650533.2016.1217> ", "",
     "malformed DOI left out (Holly Clarke, change 35)"),
    ("Available from <https://doi:10.1093/bjsw/bcr181>", "https://doi.org/10.1093/bjsw/bcr181",
     "malformed DOI link repaired (Holly Clarke, change 30)"),
    ("Fourth World, ATD.", "ATD Fourth World",
     "inverted corporate author set as the essay names it (Omar Mohamed, change 17)"),
    ("*CommunityCare*", "Community Care", "missing space (Omar Mohamed, change 19)"),
    ("Volume 46, Issue 6, 1 September, 2016, pp1793-1808, "
     "https://doi-org.libezproxy.dundee.ac.uk/10.1093/bjsw/bcv118*",
     "46(6), 1 September, pp. 1793–1808. https://doi.org/10.1093/bjsw/bcv118",
     "volume(issue), the year not repeated, the library proxy replaced by the DOI "
     "(Verity Clarke, changes 17 and 18)"),
    # The reference style, Cite Them Right Harvard (render/csl_style.py).
    ("Available from", "Available at", "“Available at:” before a URL or a DOI's link"),
    ("Jessica Kingsley Publishers: London", "London: Jessica Kingsley Publishers",
     "Place: Publisher"),
    ("SAGE Publishers: London", "London: SAGE Publishers", "Place: Publisher"),
    # A CSL date is a date, not the author's spelling of it: CTR prints its day as a
    # plain number ("2 June 2020"), never "2nd" or "06" (references.yaml holds 2020-06-02).
    ("Accessed 06 May", "Accessed 6 May", "a day without its leading zero"),
    ("2nd June", "2 June", "a day as a number, not an ordinal"),
    ("4th June", "4 June", "a day as a number, not an ordinal"),
    ("1st June", "1 June", "a day as a number, not an ordinal"),
    # An editor is a CSL name: the style says what the role is, as "(ed.)" for one.
    ("R. Vasta. eds.", "R. Vasta (ed.)", "the editor's role in the style's words"),
]

XHTML_NS = {"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops"}
QUESTION = "Working better together:"
BYLINE = re.compile(r"^(?P<author>[^-–]+?) [-–] (?P<affiliation>.+)$")
ADDED_NOTE = "the author’s reference list gives no entry for this work"


def tokens(text: str) -> list[str]:
    """Words, for comparison: case, apostrophes, soft hyphens and punctuation dropped."""
    text = re.sub(r"[’'‘`\u00ad]", "", text.lower())
    return re.findall(r"[^\W_]+", text)


# The source ---------------------------------------------------------------------


def source_reference_lists(text: str) -> dict[str, list[str]]:
    """{author: [entry, …]} in the source's order, from each essay's "References" line
    to the next essay's opening question or the end of the file."""
    lines = [line.strip() for line in text.splitlines()]
    lists: dict[str, list[str]] = {}
    author, in_list = None, False
    for i, line in enumerate(lines):
        if line.startswith(QUESTION):
            following = next((x for x in lines[i + 1:] if x), "")
            if match := BYLINE.match(following):  # an essay begins: the last list ended
                author, in_list = match["author"].strip(), False
                continue
        if author and line == "References":
            in_list = True
            lists[author] = []
        elif in_list and line:
            lists[author].append(re.sub(r"^- ", "", line))
    return lists


@pytest.fixture(scope="module")
def source_text() -> str:
    path = next(SOURCE.glob("000_*.txt"), None)
    if path is None:
        pytest.skip(f"the source texts are not at {SOURCE}")
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def source_lists(source_text) -> dict[str, list[str]]:
    return source_reference_lists(source_text)


def substituted(entry: str, used: set[int] | None = None) -> str:
    for number, (before, after, _why) in enumerate(SUBSTITUTIONS):
        if before in entry:
            entry = entry.replace(before, after)
            if used is not None:
                used.add(number)
    return entry


# The outputs --------------------------------------------------------------------


def epub_reference_lists(path: Path, booklet) -> dict[str, list[str]]:
    """{author: [entry text, …]} from each essay's bibliography section in the EPUB."""
    lists = {}
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        for essay in booklet.essays:
            name = next(n for n in names if n.endswith(f"/{essay.slug}.xhtml"))
            root = etree.fromstring(z.read(name))
            items = root.xpath("//x:section[@role='doc-bibliography']"
                               "//x:li[@epub:type='biblioentry']", namespaces=XHTML_NS)
            lists[essay.author] = ["".join(li.itertext()) for li in items]
    return lists


def _kids(node) -> list:
    kids = node.get("/K")
    if isinstance(kids, pikepdf.Array):
        return list(kids)
    return [kids] if kids is not None else []


def pdf_reference_lists(path: Path) -> dict[str, list[str]]:
    """{author: [entry text, …]} from the PDF's structure tree: in each Art (an essay,
    whose H1 holds its title and then its author, each a Span), the Sect headed "References", its L, one LI per entry. The
    text is what assistive technology reads (ActualText, else the marked content)."""
    with pikepdf.open(path) as pdf:
        pages = page_texts(pdf)
        index = {page.obj.objgen: number for number, page in enumerate(pdf.pages)}

        def page_of(node, page):
            return index.get(node.Pg.objgen, page) if "/Pg" in node else page

        def segments(node, page, out):
            if isinstance(node, int):
                if page is not None:
                    out.append(pages[page].by_mcid.get(node, ""))
                return
            if not isinstance(node, pikepdf.Dictionary):
                return
            page = page_of(node, page)
            if node.get("/Type") == "/MCR":
                out.append(pages[index[node.Pg.objgen]].by_mcid.get(int(node.MCID), ""))
            elif node.get("/Type") == "/OBJR":
                return
            elif "/ActualText" in node:
                out.append(str(node.ActualText))
            else:
                for kid in _kids(node):
                    segments(kid if not isinstance(kid, int) else int(kid), page, out)

        def text(node, page) -> str:
            out: list[str] = []
            segments(node, page, out)
            joined: list[str] = []
            for segment in filter(None, out):
                if joined and joined[-1].endswith(SOFT_HYPHEN):
                    joined[-1] = joined[-1][:-1] + segment
                else:
                    joined.append(segment)
            return " ".join(joined)

        lists: dict[str, list[str]] = {}

        def walk(node, page):
            if not isinstance(node, pikepdf.Dictionary):
                return
            page = page_of(node, page)
            if node.get("/S") == "/Art":
                children = [k for k in _kids(node) if isinstance(k, pikepdf.Dictionary)]
                h1 = next((k for k in children if k.get("/S") == "/H1"), None)
                spans = [k for k in _kids(h1) if isinstance(k, pikepdf.Dictionary)
                         and k.get("/S") == "/Span"] if h1 is not None else []
                named = spans[-1] if spans else h1
                author = text(named, page_of(h1, page)).strip() if h1 is not None else ""
                for sect in (k for k in children if k.get("/S") == "/Sect"):
                    sect_page = page_of(sect, page)
                    parts = [k for k in _kids(sect) if isinstance(k, pikepdf.Dictionary)]
                    if not any(k.get("/S") == "/H2" and text(k, page_of(k, sect_page)).strip()
                               == "References" for k in parts):
                        continue
                    for lst in (k for k in parts if k.get("/S") == "/L"):
                        lst_page = page_of(lst, sect_page)
                        lists[author] = [text(li, page_of(li, lst_page)) for li in _kids(lst)
                                         if isinstance(li, pikepdf.Dictionary)
                                         and li.get("/S") == "/LI"]
                return
            for kid in _kids(node):
                walk(kid, page)

        walk(pdf.Root.StructTreeRoot, None)
    return lists


# Comparison ---------------------------------------------------------------------


def missing_words(source: list[str], rendered: list[str]) -> list[str]:
    """The source words that do not appear, in order, in the rendered words."""
    missing, position = [], 0
    for word in source:
        try:
            position = rendered.index(word, position) + 1
        except ValueError:
            missing.append(word)
    return missing


def _similarity(a: list[str], b: list[str]) -> float:
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def check_lists(source_lists, output_lists, output: str) -> list[str]:
    failures = []
    for author, entries in source_lists.items():
        rendered = output_lists.get(author)
        if rendered is None:
            failures.append(f"{output}: no reference list found for {author}")
            continue
        rendered_tokens = [tokens(r) for r in rendered]
        previous, matched = -1, set()
        for entry in entries:
            wanted = tokens(substituted(entry))
            # The rendered entry that is this one: the most alike, after the last match.
            choices = range(previous + 1, len(rendered))
            if not choices:
                failures.append(f"{output}, {author}: no rendered entry left for: {entry}")
                continue
            best = max(choices, key=lambda i: _similarity(wanted, rendered_tokens[i]))
            previous = best
            matched.add(best)
            if lost := missing_words(wanted, rendered_tokens[best]):
                failures.append(f"{output}, {author}: words lost or out of order: "
                                f"{' '.join(lost)!r}\n    source:   {entry}\n"
                                f"    rendered: {rendered[best]}")
        for i, text in enumerate(rendered):
            if i not in matched and ADDED_NOTE not in text:
                failures.append(f"{output}, {author}: an entry the source list does not have, "
                                f"without an editor's note saying so: {text}")
    return failures


# Tests --------------------------------------------------------------------------


def test_source_lists_are_found(source_lists, source_text):
    assert len(source_lists) == 4, sorted(source_lists)
    assert all(entries for entries in source_lists.values())
    assert sum(len(entries) for entries in source_lists.values()) == 64
    last_line = source_text.rstrip().splitlines()[-1].strip()
    assert list(source_lists.values())[-1][-1] == re.sub(r"^- ", "", last_line)


def test_every_substitution_is_needed(source_lists):
    used: set[int] = set()
    for entries in source_lists.values():
        for entry in entries:
            substituted(entry, used)
    unused = [SUBSTITUTIONS[i][0] for i in range(len(SUBSTITUTIONS)) if i not in used]
    assert not unused, f"substitutions no source entry needs: {unused}"


def _only_2020(built) -> None:
    from edition import is_2020

    if not is_2020(built):
        pytest.skip("this build is not of the 2020 edition: the source lists are not its source")


@built_from("shipped")
def test_every_source_reference_word_reaches_the_epub(epub, booklet, source_lists, built):
    _only_2020(built)
    lists = epub_reference_lists(epub, booklet)
    failures = check_lists(source_lists, lists, "EPUB")
    assert not failures, "\n".join(failures)


@built_from("shipped")
def test_every_source_reference_word_reaches_the_pdf(pdf, source_lists, built):
    _only_2020(built)
    lists = pdf_reference_lists(pdf)
    failures = check_lists(source_lists, lists, "PDF")
    assert not failures, "\n".join(failures)


def test_the_comparison_catches_a_lost_word():
    """The measure itself must fail when a word goes missing or moves."""
    source = tokens("Wilkinson, R. and Pickett, K. (2010) 'The Spirit Level' London: Penguin.")
    assert missing_words(source, tokens("Wilkinson and Pickett (2010).")) == [
        "r", "k", "the", "spirit", "level", "london", "penguin"]
    assert missing_words(source, tokens("Wilkinson, R. and Pickett, K. (2010) The Spirit "
                                        "Level. Penguin, London.")) == ["penguin"]
    assert not missing_words(source, tokens("Wilkinson, R. and Pickett, K. (2010) The Spirit "
                                            "Level. London: Penguin."))
