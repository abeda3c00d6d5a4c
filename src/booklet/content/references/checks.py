"""Every citation's names and year against its entry, and the editor's record of them.

The comparison is matching.py's; this module says where each finding is and
whether the record holds it. A citation whose text disagrees with its entry is either
recorded in the entry's `unresolved:` (with what a next editor should check) or warned
(B203); a record that no citation bears out any more is stale (B206). A citation of an
entry the editor added (`added_by_editor:`) is a finding too (B204): the field is its
record. Recorded findings do not warn; `booklet validate`, EDITORIAL.md's generated
lists and the editorial report show them all.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from booklet.content import model
from booklet.content.body import plain_text
from booklet.content.references.matching import match_citation
from booklet.errors import Problem


def same_text(text: str) -> str:
    """A citation's text as the record compares it: apostrophes, quotes and spaces as
    YAML and Word leave them must not make a recorded citation look unrecorded."""
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"[’‘`´]", "'", text)
    text = re.sub(r"[“”]", '"', text)
    return re.sub(r"\s+", " ", text).strip()


def check_citations(citations, entries: list[tuple[dict, int]], essay_path: Path,
                    ref_path: Path) -> tuple[tuple[model.Finding, ...], list[Problem]]:
    """(findings, warnings) for one essay; findings in the order of the text."""
    by_key = {entry["key"]: entry for entry, _ in entries}
    records = {key: {same_text(r.cited): r for r in reversed(entry["unresolved"])}
               for key, entry in by_key.items()}
    borne_out: set[tuple[str, str]] = set()
    cited_texts: dict[str, set[str]] = {}
    findings: list[model.Finding] = []
    problems: list[Problem] = []
    for citation in citations:
        text = plain_text(citation.children).strip()
        for key in citation.keys:
            entry = by_key.get(key)
            if entry is None:  # an unknown key: B200 says so already
                continue
            cited_texts.setdefault(key, set()).add(same_text(text))
            where = dict(anchor=citation.anchor, path=essay_path, line=citation.line,
                         column=citation.column)
            if entry["added_by_editor"]:
                findings.append(model.Finding(
                    "B204", key, text, f"“{text}” cites {key!r}, an entry the editor added: "
                    "the author’s list has none", check=entry["added_by_editor"], **where))
            mismatch = match_citation(text, entry["authors"], entry["year"], entry["title"])
            if mismatch is None:
                continue
            differs = ("the names and the year differ" if not (mismatch.names or mismatch.year)
                       else "the year differs" if mismatch.names else "the names differ")
            message = f"{mismatch} ({differs})"
            record = records[key].get(same_text(text))
            if record is not None:
                borne_out.add((key, same_text(record.cited)))
                findings.append(model.Finding("B203", key, text, message, check=record.check,
                                              **where))
                continue
            findings.append(model.Finding("B203", key, text, message, **where))
            problems.append(Problem(
                "B203", f"the citation does not match its entry {key!r}: {message}",
                essay_path, citation.line or None, citation.column or None, warning=True,
                hint=f"correct the citation or the entry if one is plainly wrong (and say so "
                     f"in EDITORIAL.md); else record it in the entry {key!r}: unresolved:, "
                     f"then  - cited: \"{text}\"  and  check: \"…what to check…\""))
    for entry, _ in entries:
        key = entry["key"]
        seen: set[str] = set()
        for record in entry["unresolved"]:
            text = same_text(record.cited)
            if (key, text) in borne_out and text not in seen:
                seen.add(text)
                continue
            if text in seen:
                why = "it is recorded twice in this entry"
            elif text in cited_texts.get(key, ()):
                why = "the citation now agrees with the entry"
            else:
                why = f"no citation of {key!r} reads so any more"
            seen.add(text)
            problems.append(Problem(
                "B206", f"the record that “{record.cited}” disagrees with {key!r} is out of "
                f"date: {why}", ref_path, record.line, warning=True,
                hint="delete this item of 'unresolved:', then run booklet editorial to "
                     "update EDITORIAL.md"))
    return tuple(findings), problems
