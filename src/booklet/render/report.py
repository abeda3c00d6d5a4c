"""The editorial report: one HTML page a proof-reader reads beside the booklet.

Per essay it gathers what is otherwise spread over EDITORIAL.md, references.yaml and
the front matter: the recorded changes, the citations that disagree with their entries,
the entries the editor added or keeps uncited, the rest of the Unresolved list, and each
figure's alt text and long description, with links to the same places in the EPUB's
chapters. EDITORIAL.md is read as Markdown by markdown-it-py (already the body's parser),
with raw HTML off, so that nothing the editor typed can become markup in the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown_it import MarkdownIt

from booklet.content.model import Booklet
from booklet.render.csl_style import names
from booklet.render.templates import environment

_MD = MarkdownIt("commonmark", {"html": False})
_ESSAY = re.compile(r"\(`([^`]+)`\)\s*$")


@dataclass
class Record:
    """EDITORIAL.md's lists as HTML fragments: the booklet-wide notes, and per essay its
    Changes and the hand-written part of its Unresolved list."""

    booklet_wide: list[str] = field(default_factory=list)
    changes: dict[str, list[str]] = field(default_factory=dict)
    unresolved: dict[str, list[str]] = field(default_factory=dict)


def read_record(text: str) -> Record:
    tokens = _MD.parse(text)
    record = Record()
    essay, part = None, "booklet"
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.type == "heading_open":
            title = tokens[i + 1].content
            if tok.tag == "h2":
                match = _ESSAY.search(title)
                essay, part = (match.group(1) if match else None), None
            elif tok.tag == "h3" and essay:
                part = {"changes": "changes", "unresolved": "unresolved"}.get(
                    title.strip().lower())
        elif tok.type in ("bullet_list_open", "ordered_list_open") and tok.level == 0:
            items, i = _items(tokens, i)
            if part == "booklet" and essay is None:
                record.booklet_wide += items
            elif essay and part == "changes":
                record.changes.setdefault(essay, []).extend(items)
            elif essay and part == "unresolved" and tok.type == "ordered_list_open":
                # the bullets are the generated list, which the report takes from the content
                record.unresolved.setdefault(essay, []).extend(items)
            continue
        i += 1
    return record


def _items(tokens, i):
    """The HTML of each item of the list opening at tokens[i]; the index after it."""
    close = tokens[i].type.replace("_open", "_close")
    level, items, start = tokens[i].level, [], None
    i += 1
    while not (tokens[i].type == close and tokens[i].level == level):
        if tokens[i].type == "list_item_open" and tokens[i].level == level + 1:
            start = i + 1
        elif tokens[i].type == "list_item_close" and tokens[i].level == level + 1:
            html = _MD.renderer.render(tokens[start:i], _MD.options, {})
            # a tight list item's paragraph is hidden; a loose one's stays a <p>
            items.append(html.strip())
        i += 1
    return items, i + 1


def inline_markdown(text: str) -> str:
    """A record's words (`key`, *italic*) as HTML, raw HTML shown as text."""
    return _MD.renderInline(text)


@dataclass(frozen=True)
class Links:
    """Where the report links to: the EPUB's chapters unpacked beside it, or nowhere."""

    chapters: dict[str, str]  # essay slug -> href of its chapter file, from the report
    note: str  # what the links lead to, said in the report

    def to(self, slug: str, anchor: str = "") -> str:
        href = self.chapters.get(slug, "")
        return f"{href}#{anchor}" if href and anchor else href


def render_report(booklet: Booklet, record: Record, links: Links, made: str) -> str:
    essays = []
    for essay in booklet.essays:
        references = {r.key: r for r in essay.references}
        essays.append(dict(
            essay=essay,
            mismatches=_grouped(f for f in essay.findings if f.code == "B203"),
            added=[(r, [f for f in essay.findings if f.code == "B204" and f.key == r.key])
                   for r in essay.references if r.added_by_editor],
            uncited=[r for r in essay.references if r.uncited],
            changes=record.changes.get(essay.slug, []),
            unresolved=record.unresolved.get(essay.slug, []),
            describe=lambda key, refs=references: _describe(refs[key]),
        ))
    return environment().get_template("report/editorial-report.html.j2").render(
        booklet=booklet, essays=essays, record=record, links=links, made=made,
        markdown=inline_markdown)


def _grouped(findings) -> list[list]:
    """Findings of one citation text and entry together, as EDITORIAL.md lists them."""
    groups: dict[tuple, list] = {}
    for finding in findings:
        groups.setdefault((finding.key, finding.text), []).append(finding)
    return list(groups.values())


def _describe(ref) -> str:
    who = names(ref.authors) or ref.title
    title = f": {ref.title}" if ref.title and ref.authors else ""
    return f"{who} ({ref.year}){title}"
