"""The booklet's house style for reference entries (Harvard, as UK social work uses it).

Entries come from many hands; printing them in one style is the publisher's job.
Returns parts, not HTML, so each output's template decides the markup.
"""

from __future__ import annotations

from booklet.content.model import Reference


def names(authors: tuple[str, ...]) -> str:
    if len(authors) <= 1:
        return "".join(authors)
    return ", ".join(authors[:-1]) + " and " + authors[-1]


def _ends_sentence(text: str) -> bool:
    """True if `text` already closes with its own . ? or ! (a closing quote aside)."""
    return text.rstrip().rstrip("’”")[-1:] in ".?!"


def _pages(pages: str) -> str:
    return ("pp. " if any(c in pages for c in "–-,") else "p. ") + pages


def reference_parts(ref: Reference) -> list[tuple[str, str]]:
    """(kind, text) pairs; kind is 'text', 'work' (italic title) or 'link' (a live URL).

    An article (an entry with a container, or `type: article`) and a chapter (an entry
    with editors) have a quoted title; anything else is a work of its own, in italics.
    The house style adds no role and no punctuation that doubles the source's own: the
    editors are printed as the source gives them, a title that ends in ? or ! takes no
    comma or full stop after it, and every date of access is printed.
    """
    out = _Parts()
    lead = names(ref.authors)
    if lead:
        out.text(f"{lead} ({ref.year}) ")
    chapter = bool(ref.editors)
    article = not chapter and (bool(ref.container) or ref.type == "article")
    quoted = bool(ref.title) and (article or chapter)
    if quoted:
        out.text(f"‘{ref.title}’")
    elif ref.title:
        out.work(ref.title)
    if not lead:
        out.text(f" ({ref.year})")
    if quoted:
        out.comma()
    if chapter:
        out.text(f"in {ref.editors} ")
    if ref.section:  # the part of the container the work is, as the author names it
        out.sentence(ref.section)
        out.full_stop()
    if ref.container:
        if article and ref.place and not ref.publisher:
            out.text(f"{ref.place}: ")  # where the author placed it: “London: Community Care”
        out.work(ref.container)
    details = []
    if ref.volume:
        details.append(ref.volume + (f"({ref.issue})" if ref.issue else ""))
    elif ref.issue:
        details.append(f"no. {ref.issue}")
    if ref.date:
        details.append(ref.date)
    if ref.pages and not chapter:
        details.append(_pages(ref.pages))
    for detail in details:
        out.comma()
        out.text(detail)
    after = [x for x in (ref.edition, ref.medium) if x]
    if ref.publisher:
        after.append(f"{ref.place}: {ref.publisher}" if ref.place else ref.publisher)
    elif ref.place and not (article and ref.container):
        after.append(ref.place)
    if chapter and ref.pages:
        if after:
            after[-1] += ", " + _pages(ref.pages)
        else:
            after.append(_pages(ref.pages))
    for item in after:
        out.sentence(item)
    out.full_stop()
    if ref.doi or ref.url:
        if not ref.doi:
            out.text("Available at: ")
        out.link(ref.doi_url or ref.url)
        out.text(f" (Accessed: {ref.accessed})." if ref.accessed else ".")
    elif ref.accessed:  # no link to give (a malformed one left out): the date still is
        out.text(f"(Accessed: {ref.accessed}).")
    else:
        out.end()
    return out.tidy()


class _Parts:
    """The entry's parts, with the punctuation between them decided in one place."""

    def __init__(self):
        self.parts: list[tuple[str, str]] = []
        self.pending = ""  # punctuation owed before the next part

    def _last(self) -> str:
        return "".join(text for _, text in self.parts)

    def _add(self, kind: str, text: str) -> None:
        if not text:
            return
        if self.pending:
            self.parts.append(("text", self.pending))
            self.pending = ""
        self.parts.append((kind, text))

    def text(self, text: str) -> None:
        self._add("text", text)

    def work(self, text: str) -> None:
        self._add("work", text)

    def link(self, text: str) -> None:
        self._add("link", text)

    def comma(self) -> None:
        """A comma before what follows, unless the last part closes with ? or !."""
        last = self._last().rstrip()
        self.pending = " " if last.rstrip("’”")[-1:] in "?!" else ", "

    def sentence(self, text: str) -> None:
        """`text` as a sentence of its own after what came before."""
        self.full_stop()
        self._add("text", text)

    def full_stop(self) -> None:
        """Close the sentence so far, without doubling its own final punctuation."""
        last = self._last()
        if not last.strip():
            self.pending = ""
            return
        if last.endswith(" "):  # "Authors (Year) " with nothing after it
            self.parts[-1] = (self.parts[-1][0], self.parts[-1][1].rstrip())
            last = last.rstrip()
        self.pending = " " if _ends_sentence(last) else ". "

    def end(self) -> None:
        """The full stop owed, if any, and nothing after it."""
        if self.pending.strip():
            self.parts.append(("text", self.pending.strip()))
        self.pending = ""

    def tidy(self) -> list[tuple[str, str]]:
        """Drop empty parts and a trailing space; keep the order."""
        parts = [p for p in self.parts if p[1]]
        if parts and parts[-1][0] == "text":
            parts[-1] = ("text", parts[-1][1].rstrip())
        return parts
