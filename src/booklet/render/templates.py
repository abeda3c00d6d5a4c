"""One Jinja2 environment; one function per output."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from urllib.parse import quote

import jinja2

from booklet.content.model import Booklet, Essay, Figure
from booklet.render.anchors import paragraph_anchors
from booklet.render.compiled import template_cache
from booklet.render.print_parts import FRONT_DATE, PrintParts, page_mark
from booklet.render.cover import cover_alt, cover_credit
from booklet.render.hyphenation import hyphenate
from booklet.render.csl_style import names, parts_for
from booklet.typefaces import Typefaces, about


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("booklet", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        bytecode_cache=template_cache(),  # compiled once per machine (render/compiled.py)
    )
    return env


def _reference_parts(booklet: Booklet):
    """The entries in the CSL style booklet.yaml names (render/csl_style.py)."""
    return parts_for(booklet.reference_style, booklet.language)


def format_references(booklet: Booklet) -> None:
    """Format every entry now, once, so that each edition's rendering (in its own
    process, parallel.py) finds it formatted and the build can keep them all."""
    reference_parts = _reference_parts(booklet)
    for essay in booklet.essays:
        for entry in essay.references:
            reference_parts(entry)


# The markers print.css (WeasyPrint's default) gives nested bulleted lists: disc,
# circle, square. They are drawn from the fonts like any other character.
LIST_MARKERS = ("•", "◦", "▪")


def set_in(families: tuple[str, ...]) -> str:
    """The colophon's sentence naming the families the booklet is actually set in."""
    if not families:
        return ""
    first, *others = families
    said = about(first)
    text = f"Set in {first}" + (f", {said}" if said else "")
    if others:
        listed = ", ".join(others[:-1]) + " and " + others[-1] if len(others) > 1 else others[0]
        text += f", with {listed} for the characters it lacks"
    return text + "."


def printed_characters(html: str) -> str:
    """Every character the print HTML shows: its text and its list markers."""
    import lxml.html

    tree = lxml.html.document_fromstring(html)
    for hidden in tree.xpath("//head | //script | //style"):
        hidden.getparent().remove(hidden)
    markers = "".join(LIST_MARKERS[min(len(ul.xpath("ancestor::ul")), 2)]
                      for ul in tree.xpath("//ul[not(contains(@class, 'toc') or "
                                           "contains(@class, 'reference-list'))]"))
    return tree.text_content() + markers


def render_print(booklet: Booklet, timestamp: str, typefaces: Typefaces | None = None,
                 toc_pages: dict[str, int] | None = None) -> str:
    """One HTML document for the whole printed booklet.

    With `typefaces` (the shipped fonts) the colophon names the families its text is
    drawn from; the layout checks it named them all (engine/layout.py). `toc_pages` (essay
    anchor -> page) are the contents' page numbers, known once the essays are laid out.
    """
    return _render_print(booklet, timestamp, colophon_sentence(booklet, timestamp, typefaces),
                         toc_pages=toc_pages)


def colophon_sentence(booklet: Booklet, timestamp: str, typefaces: Typefaces | None,
                      essays: tuple[str, ...] | None = None) -> str:
    """The colophon's "Set in …", from every character the whole booklet prints.
    `essays`: the essays' part HTML, if made already (they never show the sentence)."""
    if typefaces is None:
        return ""
    if essays is None:
        shown = printed_characters(_render_print(booklet, timestamp, ""))
    else:  # the same characters, part by part: the front, the essays, the back
        shown = "".join(printed_characters(html) for html in (
            _render_print(booklet, timestamp, "", part="front"), *essays,
            _render_print(booklet, timestamp, "", part="back")))
    shown += "".join(_svg_text(f.path) for e in booklet.essays for f in e.figures
                     if f.path.suffix.lower() == ".svg")
    return set_in(typefaces.families_used(shown))


def render_print_parts(booklet: Booklet, timestamp: str,
                       typefaces: Typefaces | None = None) -> PrintParts:
    # An essay's HTML does not hold the colophon's sentence: made first, it gives the
    # sentence most of its characters without rendering the booklet a second time.
    essays = tuple(_render_print(booklet, timestamp, "", part="essay", essay=essay)
                   for essay in booklet.essays)
    sentence = colophon_sentence(booklet, timestamp, typefaces, essays)
    marks = {essay.anchor: page_mark(n) for n, essay in enumerate(booklet.essays)}
    return PrintParts(booklet, timestamp, sentence, essays,
                      _render_print(booklet, timestamp, sentence, part="back"),
                      _render_print(booklet, FRONT_DATE, sentence, part="front",
                                    toc_pages=marks))


def _svg_text(path) -> str:
    """The words an SVG figure draws: its labels are set in the shipped fonts too."""
    import xml.etree.ElementTree as ET

    root = ET.parse(path).getroot()
    skip = {e for tag in ("title", "desc") for e in root.iter(f"{{http://www.w3.org/2000/svg}}{tag}")}
    return "".join("".join(e.itertext()) for e in root.iter(
        "{http://www.w3.org/2000/svg}text") if e not in skip)


def _render_print(booklet: Booklet, timestamp: str, set_in_sentence: str, part: str = "",
                  essay: Essay | None = None, toc_pages: dict[str, int] | None = None) -> str:
    entries = {r.anchor: r for essay in booklet.essays for r in essay.references}

    def link_description(anchor: str) -> str:
        # What a screen reader announces for a citation link (PDF/UA 7.18.5).
        entry = entries[anchor]
        who = names(entry.authors) or entry.title
        return f"Go to the reference list entry: {who} ({entry.year})"

    anchors = paragraph_anchors(booklet)
    template = "print/part.html.j2" if part else "print/booklet.html.j2"
    return environment().get_template(template).render(
        anchor_of=lambda block: anchors[id(block)],
        link_description=link_description,
        hyphenate=lambda text, lang=None: hyphenate(text, lang or booklet.language),
        booklet=booklet,
        reference_parts=_reference_parts(booklet),
        authors=names(tuple(e.author for e in booklet.essays)),
        cover_credit=cover_credit(booklet),
        timestamp=timestamp,
        set_in=set_in_sentence,
        epub=False,
        web=False,
        part=part,
        essay=essay,
        toc_pages=toc_pages or {},
        stand_ins=part == "front",
        # relative to the project folder, which is the print HTML's base (engine/layout.py)
        figure_src=lambda figure: "content/" + quote(figure.source),
    )


@dataclass(frozen=True)
class Document:
    """One XHTML document of the EPUB."""

    name: str  # file name inside the EPUB, e.g. "01-holly-clarke.xhtml"
    title: str
    xhtml: str
    essay: Essay | None = None
    properties: tuple[str, ...] = ()  # OPF manifest properties, e.g. ("nav",)


def epub_image_name(figure: Figure, essay: Essay) -> str:
    # Named by the figure's key, never its file name, which may hold spaces or any
    # letter (EPUBCheck warns on those, and some reading systems fail on them).
    return f"images/{essay.slug}-{figure.key}{figure.path.suffix.lower()}"


def render_epub(booklet: Booklet) -> list[Document]:
    """The EPUB's content documents in reading order (the nav is the writer's)."""
    env = environment()
    # Reading systems hyphenate for their own line length; soft hyphens would only
    # get in the way of search and text-to-speech.
    anchors = paragraph_anchors(booklet)
    common = dict(booklet=booklet, epub=True, web=False, hyphenate=lambda text, lang=None: text,
                  reference_parts=_reference_parts(booklet),
                  anchor_of=lambda block: anchors[id(block)], page_language=booklet.language,
                  page_direction="")
    docs = [
        Document("cover.xhtml", "Cover",
                 env.get_template("epub/cover.xhtml.j2").render(
                     **common, figure_src=None, cover_alt=cover_alt(booklet))),
        Document("title.xhtml", booklet.title,
                 env.get_template("epub/title.xhtml.j2").render(**common, figure_src=None)),
        Document("nav.xhtml", "Contents",
                 env.get_template("epub/nav.xhtml.j2").render(**common, figure_src=None),
                 properties=("nav",)),
        Document("introduction.xhtml", booklet.introduction_title,
                 env.get_template("epub/introduction.xhtml.j2").render(**common, figure_src=None)),
    ]
    for essay in booklet.essays:
        xhtml = env.get_template("epub/essay.xhtml.j2").render(
            **{**common, "page_language": essay.language or booklet.language,
               "page_direction": essay.direction}, essay=essay,
            figure_src=lambda figure, essay=essay: epub_image_name(figure, essay))
        docs.append(Document(f"{essay.slug}.xhtml", essay.author, xhtml, essay))
    return docs


@dataclass(frozen=True)
class Download:
    """A file of another edition the web edition offers, beside its pages."""

    href: str  # its name in the web folder, e.g. "booklet.pdf"
    label: str  # "The printed booklet (PDF)"
    detail: str  # "A5, tagged for screen readers, 1.2 MB"
    media_type: str


def web_page_name(essay: Essay) -> str:
    return f"{essay.slug}.html"


def render_web(booklet: Booklet, downloads: list[Download]) -> list[Document]:
    """The web edition's pages: the index (title, introduction, contents), then one
    page per essay. The same blocks and ids as the EPUB, so the print page numbers
    land in the same places."""
    env = environment()
    anchors = paragraph_anchors(booklet)
    common = dict(booklet=booklet, epub=False, web=True, hyphenate=lambda text, lang=None: text,
                  reference_parts=_reference_parts(booklet),
                  anchor_of=lambda block: anchors[id(block)], downloads=downloads,
                  cover_alt=cover_alt(booklet))
    docs = [Document("index.html", booklet.title, env.get_template("web/index.html.j2").render(
        **common, figure_src=None, canonical_name="", og_type="website",
        og_title=booklet.title, description=booklet.description or booklet.subtitle
        or booklet.title))]
    for number, essay in enumerate(booklet.essays):
        about = essay.subtitle or essay.title
        by = essay.author + (f" ({essay.affiliation})" if essay.affiliation else "")
        html = env.get_template("web/essay.html.j2").render(
            **common, essay=essay, canonical_name=web_page_name(essay), og_type="article",
            og_title=f"{essay.author}: {essay.short_title}",
            description=f"{about}: an essay by {by} in {booklet.title}.",
            previous=booklet.essays[number - 1] if number else None,
            next=booklet.essays[number + 1] if number + 1 < len(booklet.essays) else None,
            figure_src=lambda figure, essay=essay: epub_image_name(figure, essay))
        docs.append(Document(web_page_name(essay), essay.author, html, essay))
    return docs
