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


def _end(text: str) -> str:
    """Close a sentence without doubling its own final punctuation."""
    return text if text[-1:] in ".?!" else text + "."


def reference_parts(ref: Reference) -> list[tuple[str, str]]:
    """(kind, text) pairs; kind is 'text', 'work' (italic title) or 'link' (a live URL)."""
    parts: list[tuple[str, str]] = []
    lead = names(ref.authors)
    if lead:
        parts.append(("text", f"{lead} ({ref.year}) "))
    if ref.container or ref.editors:
        if ref.title:
            parts.append(("text", f"‘{ref.title}’, "))
        if ref.editors:
            parts.append(("text", f"in {ref.editors} (ed.) "))
        parts.append(("work", ref.container or ref.title))
    elif ref.title:
        parts.append(("work", ref.title))
    if not lead:
        parts.append(("text", f" ({ref.year})"))
    details = []
    if ref.volume:
        details.append(ref.volume + (f"({ref.issue})" if ref.issue else ""))
    elif ref.issue:
        details.append(f"no. {ref.issue}")
    if ref.date:
        details.append(ref.date)
    if ref.pages:
        prefix = "pp." if any(c in ref.pages for c in "–-,") else "p."
        details.append(f"{prefix} {ref.pages}")
    text = "".join(", " + d for d in details)
    after = [x for x in (ref.edition, ref.medium) if x]
    if ref.publisher:
        after.append(f"{ref.place}: {ref.publisher}" if ref.place else ref.publisher)
    elif ref.place:
        after.append(ref.place)
    text += "".join(". " + a for a in after)
    if text:
        parts.append(("text", _end(text) + " "))
    elif parts and parts[-1][0] == "text":
        parts[-1] = ("text", _end(parts[-1][1].rstrip()) + " ")
    else:
        parts.append(("text", ". "))
    if ref.doi:
        parts.append(("link", ref.doi_url))
    elif ref.url:
        parts.append(("text", "Available at: "))
        parts.append(("link", ref.url))
    if ref.accessed and (ref.url or ref.doi):
        parts.append(("text", f" (Accessed: {ref.accessed})."))
    elif ref.doi or ref.url:
        parts.append(("text", "."))
    return _tidy(parts)


def _tidy(parts):
    """Drop empty parts and a trailing space; keep the order."""
    parts = [p for p in parts if p[1]]
    if parts and parts[-1][0] == "text":
        parts[-1] = ("text", parts[-1][1].rstrip())
    return parts
