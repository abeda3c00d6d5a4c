"""An essay's references.yaml into Reference entries."""

from __future__ import annotations

from pathlib import Path

from booklet.content.references.bibtex import parse_bibtex
from booklet.content.references.csl import parse_csl_json, read_item, year_suffixes
from booklet.content.fields import Fields
from booklet.content.model import RecordedMismatch
from booklet.content.source import Mapping, Sequence, parse_yaml, read_text
from booklet.errors import BookletError, Problem

UNRESOLVED_FIELDS = {"cited", "check"}
REFERENCE_FILES = ("references.yaml", "references.json", "references.bib")


def load_references(path: Path, problems: list[Problem],
                    root: Path | None = None) -> list[tuple[dict, int]]:
    """Entries as (fields, line) in the author's order; problems are appended.

    Each format is parsed into CSL items that know their lines (CSL-YAML here, CSL-JSON
    and BibTeX in csl.py and bibtex.py); every item is then read by the one reader,
    content/references/csl.py, so that every format is validated alike."""
    if not path.exists() and not path.is_symlink():
        return []
    text = read_text(path, root)
    if path.suffix.lower() == ".json":
        data = parse_csl_json(text, path)
    elif path.suffix.lower() == ".bib":
        data = parse_bibtex(text, path)
    else:
        data = parse_yaml(text, path)
        if isinstance(data, Mapping) and isinstance(data.get("references"), Sequence):
            data = data["references"]  # CSL-YAML as pandoc and Better BibTeX write it
    if data is None:
        return []
    if not isinstance(data, Sequence):
        problems.append(Problem("B101", f"{path.name} must be a list of entries ('- id: …')",
                                path, 1))
        raise BookletError([])  # nothing more to say: the caller knows the list is unusable
    entries, seen, renamed = [], {}, set()
    for item, line in zip(data, data.item_lines):
        if not isinstance(item, Mapping):
            problems.append(Problem("B101", "an entry is not a set of 'name: value' fields",
                                    path, line))
            continue
        entry = read_item(item, path, problems, renamed)
        entry["unresolved"] = _unresolved(item, Fields(item, path, problems, set(item)), path,
                                          problems)
        key = entry["key"]
        if key and key in seen:
            problems.append(Problem("B201", f"the key {key!r} is used twice (first at line "
                                    f"{seen[key]})", path, item.line_of("id"),
                                    hint="give each entry its own id, e.g. smith2019a, "
                                         "smith2019b"))
        seen.setdefault(key, line)
        entries.append((entry, line))
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
    """The essay's reference list: references.yaml (CSL-YAML),
    references.json (CSL-JSON, as Zotero exports it) or references.bib (BibTeX)."""
    for name in REFERENCE_FILES[1:]:
        if (folder / name).exists():
            return folder / name
    return folder / REFERENCE_FILES[0]
