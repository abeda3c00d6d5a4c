"""IMPORT.md: what the import did, and everything the editor still has to do.

The editor works down this list; `booklet validate` is the gate. Each kind of item has a
time in minutes (below) so that the report can say roughly how much work is left.
"""

from __future__ import annotations

from booklet.content.references.csl import display_name
from booklet.content.references.migrate import csl_fields

# Minutes an editor needs per item, measured on the 2020 essays by hand:
MINUTES = {
    "todo": 1,  # type a name or a title
    "figure": 10,  # write alt text and a long description
    "unlinked": 2,  # find the entry (or add one with an editor's note) and link it
    "mismatch": 2,  # settle a name or year and record it in EDITORIAL.md
    "reference": 3,  # check an entry's fields against its raw text
    "uncited": 1,  # find its citation, or say why it stays uncited
}
READ_WORDS_PER_MINUTE = 250  # reading the essay through against the Word file


def estimate(result) -> tuple[int, dict[str, int]]:
    figures = len(result.figures)
    counts = {
        "todo": sum(1 for t in result.todos if not t[2].startswith(("alt:", "description:"))),
        "figure": figures,
        "unlinked": len(result.linking.unlinked),
        "mismatch": sum(1 for f in result.linking.linked if f.mismatch),
        "reference": sum(1 for e in result.entries if not e.clean),
        "uncited": len(result.uncited),
    }
    minutes = sum(MINUTES[k] * n for k, n in counts.items())
    minutes += -(-result.words // READ_WORDS_PER_MINUTE)
    return minutes, counts


def write_report(result) -> str:
    minutes, counts = estimate(result)
    result.counts = counts
    f = result.front
    out = [f"# Import of {result.docx.name}", "",
           f"`booklet import` made this folder ({result.folder.name}) from the Word file "
           f"{result.docx.name}. Work down this list, then run `.venv/bin/booklet validate`: "
           "it refuses the essay until every TODO is written. This file is for the editor; "
           "the booklet never prints it. Delete it when you are done, or keep it as a record.",
           "", "## Estimate", "",
           f"About {minutes} minutes of editing are left: "
           f"{counts['todo']} fields to write, {counts['figure']} figure descriptions, "
           f"{counts['unlinked']} citations to link by hand, {counts['mismatch']} mismatches "
           f"to settle, {counts['reference']} references to check, {counts['uncited']} "
           f"entries never cited, and a read-through of {result.words} words against the "
           f"Word file ({READ_WORDS_PER_MINUTE} words a minute).",
           "", "## What was converted", ""]
    for name in ("title", "subtitle", "author", "affiliation"):
        value = getattr(f, name)
        where = f.sources.get(name, "")
        out.append(f"- {name}: " + (f"“{value}” (from {where})" if value else "not found"))
    out.append(f"- the body: {result.words} words")
    out.append(f"- {len(result.entries)} references in references.yaml, "
               f"{sum(1 for e in result.entries if e.clean)} of them parsed cleanly")
    out.append(f"- {len(result.linking.linked)} citations linked, "
               f"{len(result.linking.unlinked)} left as typed")
    out.append(f"- {len(result.figures)} figures")
    for figure in result.figures:
        out.append(f"  - {figure.key}: {figure.file}, “{figure.label}”"
                   + (f", caption “{figure.caption}”" if figure.caption else ", no caption found"))
        out.extend(f"    - {note}" for note in figure.notes)
    if result.notes:
        out += ["", "## Notes on the conversion", ""]
        out.extend(f"- {note}" for note in result.notes)
    out += ["", "## TODO: fields to write", ""]
    if result.todos:
        out.append("Replace each value starting with TODO; the loader refuses them (B104).")
        out.append("")
        out.extend(f"- {file}:{line}: {what}" for file, line, what in result.todos)
    else:
        out.append("None.")
    out += ["", "## Citations left unlinked", ""]
    if result.linking.unlinked:
        out.append("Each is left as the author typed it. Find its entry and link it "
                   "(`[Smith, 2019](cite:smith2019)`), or add an entry with an editor_note "
                   "and record it in EDITORIAL.md (see content/README.md).")
        out.append("")
        out.extend(f"- essay.md:{line}: “{text}”: {why}"
                   for text, line, why in result.linking.unlinked)
    else:
        out.append("None.")
    out += ["", "## Citations linked despite a mismatch", ""]
    mismatched = [found for found in result.linking.linked if found.mismatch]
    if mismatched:
        out.append("Each was linked to the closest entry. Check it, keep the author’s wording, "
                   "and record the mismatch under Unresolved in EDITORIAL.md.")
        out.append("")
        out.extend(f"- essay.md:{found.line}: “{found.text}” → {', '.join(found.keys)}: "
                   f"{found.mismatch}" for found in mismatched)
    else:
        out.append("None.")
    out += ["", "## References that did not parse cleanly", ""]
    unclean = [e for e in result.entries if not e.clean]
    if unclean:
        out.append("The entry as written, then the fields it became. Correct references.yaml "
                   "where they differ.")
        for entry in unclean:
            out += ["", f"### {entry.key}", "", f"As written: {entry.raw}", ""]
            for name, value in csl_fields(entry.fields).items():  # as references.yaml has them
                if name == "id":
                    continue
                if isinstance(value, list):
                    value = "; ".join(display_name(n) for n in value)
                elif isinstance(value, dict):
                    value = value.get("literal", "")
                out.append(f"- {name}: {value}")
            if entry.leftover:
                out.append(f"- **not placed in any field:** {entry.leftover}")
            out.extend(f"- **check:** {note}" for note in entry.notes)
    else:
        out.append("None.")
    out += ["", "## Entries never cited", ""]
    if result.uncited:
        out.append("No citation was linked to these. Look for a citation left unlinked above; "
                   "if the essay really never cites one, say why in the entry with "
                   "`uncited: \"…\"`.")
        out.append("")
        out.extend(f"- {key}" for key in result.uncited)
    else:
        out.append("None.")
    return "\n".join(out) + "\n"
