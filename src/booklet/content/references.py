"""An essay's references.yaml into Reference entries."""

from __future__ import annotations

import re
from pathlib import Path

from booklet.content.bibtex import parse_bibtex
from booklet.content.csl import is_csl, parse_csl_json, to_booklet, year_suffixes
from booklet.content.fields import Fields
from booklet.content.links import doi_problem, url_problem
from booklet.content.model import RecordedMismatch
from booklet.content.source import Mapping, Sequence, parse_yaml, read_text
from booklet.errors import BookletError, Problem

_KEY = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_TEXT_FIELDS = ("year", "title", "type", "container", "section", "editors", "volume", "issue",
                "pages", "edition", "publisher", "place", "date", "medium", "url", "doi",
                "accessed", "editor_note", "uncited", "added_by_editor")
TYPES = ("article",)  # the house style tells the rest from the fields
ALLOWED = {"key", "authors", "unresolved", *_TEXT_FIELDS}
UNRESOLVED_FIELDS = {"cited", "check"}
REFERENCE_FILES = ("references.yaml", "references.json", "references.bib")


def load_references(path: Path, problems: list[Problem],
                    root: Path | None = None) -> list[tuple[dict, int]]:
    """Entries as (fields, line) in the author's order; problems are appended."""
    if not path.exists() and not path.is_symlink():
        return []
    text = read_text(path, root)
    if path.suffix.lower() == ".json":
        data, csl = parse_csl_json(text, path), True
    elif path.suffix.lower() == ".bib":
        data, csl = parse_bibtex(text, path), True
    else:
        data = parse_yaml(text, path)
        if isinstance(data, Mapping) and isinstance(data.get("references"), Sequence):
            data = data["references"]  # CSL-YAML as pandoc and Better BibTeX write it
        csl = is_csl(data)
    if data is None:
        return []
    if not isinstance(data, Sequence):
        problems.append(Problem("B101", "references.yaml must be a list of entries ('- key: …')",
                                path, 1))
        raise BookletError([])  # nothing more to say: the caller knows the list is unusable
    entries, seen = [], {}
    for item, line in zip(data, data.item_lines):
        if not isinstance(item, Mapping):
            problems.append(Problem("B101", "an entry is not a set of 'name: value' fields",
                                    path, line))
            continue
        if csl:
            item = to_booklet(item, problems, path)
        fields = Fields(item, path, problems, ALLOWED)
        entry = {name: fields.text(name) for name in _TEXT_FIELDS}
        entry["key"] = key = fields.text("key", required=True)
        entry["authors"] = fields.texts("authors")
        entry["unresolved"] = _unresolved(item, fields, path, problems)
        if key and not _KEY.match(key):
            fields.problem("B103", f"the key {key!r} may hold only lowercase letters, digits "
                                   "and hyphens", "key")
        if key in seen:
            fields.problem("B201", f"the key {key!r} is used twice (first at line {seen[key]})",
                           "key", hint="give each entry its own key, e.g. smith2019a, smith2019b")
        seen.setdefault(key, line)
        if not entry["authors"] and not entry["title"]:
            fields.problem("B102", f"the entry {key!r} has neither authors nor a title", None)
        if not entry["year"]:
            fields.problem("B102", f"the entry {key!r} has no year", None,
                           hint="write year: \"n.d.\" if the work has no date")
        if entry["type"] and entry["type"] not in TYPES:
            fields.problem("B103", f"the type {entry['type']!r} is not one the house style "
                                   "knows", "type",
                           hint="write type: article for an article whose journal is not "
                                "named, or leave type out")
        if entry["url"] and (p := url_problem(entry["url"])):
            fields.problem(p[0], p[1], "url", hint="repair the address, or give the DOI instead")
        if entry["doi"]:
            entry["doi"] = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:\s*)", "", entry["doi"], flags=re.I)
            if p := doi_problem(entry["doi"]):
                fields.problem(p[0], p[1], "doi", hint="write the bare DOI, e.g. 10.1093/bjsw/bcr181")
        entries.append((entry, line))
    if csl:
        year_suffixes([entry for entry, _ in entries])
    return entries


def _unresolved(item: Mapping, fields: Fields, path: Path,
                problems: list[Problem]) -> tuple[RecordedMismatch, ...]:
    """The entry's record of citations known to disagree with it, each with what to check."""
    value = item.get("unresolved")
    if value is None:
        return ()
    hint = ('write it as a list: unresolved:, then on the next lines  - cited: "Best et al, '
            '2014"  and  check: "…what a next editor should check…"')
    if not isinstance(value, Sequence):
        fields.problem("B103", "the field 'unresolved' must be a list of citations", "unresolved",
                       hint=hint)
        return ()
    records = []
    for record, line in zip(value, value.item_lines):
        if not isinstance(record, Mapping):
            problems.append(Problem("B103", "an item of 'unresolved' must be a set of fields "
                                    "(cited: and check:)", path, line, hint=hint))
            continue
        inner = Fields(record, path, problems, UNRESOLVED_FIELDS)
        cited, check = inner.text("cited", required=True), inner.text("check", required=True)
        if cited and check:
            records.append(RecordedMismatch(cited=cited, check=check, line=line))
    return tuple(records)


def reference_file(folder: Path) -> Path:
    """The essay's reference list: references.yaml (the booklet's own format or CSL-YAML),
    references.json (CSL-JSON, as Zotero exports it) or references.bib (BibTeX)."""
    for name in REFERENCE_FILES[1:]:
        if (folder / name).exists():
            return folder / name
    return folder / REFERENCE_FILES[0]
