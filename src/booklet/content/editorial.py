"""EDITORIAL.md's computed part: each essay's list of citations that disagree with their
entries and of entries the editor added, written from the content so it cannot drift.

The editor writes EDITORIAL.md by hand, except one block per essay, under its
`### Unresolved`, between two markers. `booklet editorial` rewrites those blocks (and
nothing else) from the essays and their references.yaml; the build warns (B207) when a
block is not what the content says, so a stale record is seen, never believed.
"""

from __future__ import annotations

import re
from pathlib import Path

from booklet.content.references.checks import same_text
from booklet.errors import Problem

START = ("<!-- generated: unresolved. `booklet editorial` writes this list from the essay "
         "and its references.yaml (unresolved:, added_by_editor:); edit those, not these "
         "lines. -->")
END = "<!-- end of generated list -->"
_START = re.compile(r"^<!-- generated: unresolved\b.*-->[ \t]*$", re.M)
_END = re.compile(r"^<!-- end of generated list -->[ \t]*$", re.M)
HEADER = ("# Editorial record\n\nWhat the editor changed in the source texts, and what "
          "could not be reconciled. Each essay has a numbered list of **Changes** and of "
          "**Unresolved** items for the next editor.\n")


def generated_list(essay) -> str:
    """The block's Markdown, markers included, for one essay."""
    groups: dict[tuple, list] = {}
    for finding in essay.findings:
        groups.setdefault((finding.code, finding.key, same_text(finding.text)), []).append(finding)
    lines = [START, ""]
    if not groups:
        lines.append("The tool finds no citation that disagrees with its entry, and no "
                     "entry added by the editor.")
    else:
        lines.append("Found by the citation checks, with what the entry’s record says to check:")
        lines.append("")
        for (code, key, _), found in groups.items():
            first = found[0]
            times = f" ({len(found)} citations)" if len(found) > 1 else ""
            check = _sentence(first.check) if first.check else \
                "**Not recorded:** say in the entry what to check."
            if code == "B204":
                lines.append(f"- `{key}`{times}: “{first.text}” cites an entry the editor "
                             f"added; the author’s list has none. {check}")
            else:
                lines.append(f"- `{key}`{times}: {first.message}. {check}")
    lines += ["", END]
    return "\n".join(lines)


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if text[-1:] in ".?!”’)" else text + "."


def _heading(essay) -> re.Pattern:
    return re.compile(r"^## .*\(`" + re.escape(essay.slug) + r"`\)\s*$", re.M)


def rewrite(text: str, essays) -> str:
    """EDITORIAL.md with every essay's block written from the content; all else kept."""
    if not text.strip():
        text = HEADER
    for essay in essays:
        block = generated_list(essay)
        heading = _heading(essay).search(text)
        if heading is None:  # a new essay: a section of its own, at the end
            affiliation = f", {essay.affiliation}" if essay.affiliation else ""
            text = (text.rstrip("\n") + f"\n\n## {essay.author}{affiliation} (`{essay.slug}`)"
                    f"\n\n### Changes\n\n### Unresolved\n\n{block}\n")
            continue
        start, end = heading.end(), _section_end(text, heading.end())
        section = text[start:end]
        begin = _START.search(section)
        stop = _END.search(section, begin.end()) if begin else None
        if begin and stop:
            section = section[:begin.start()] + block + section[stop.end():]
        elif (unresolved := re.search(r"^### Unresolved[ \t]*\n", section, re.M)):
            section = (section[:unresolved.end()] + "\n" + block + "\n\n"
                       + section[unresolved.end():].lstrip("\n"))
        else:
            section = section.rstrip("\n") + f"\n\n### Unresolved\n\n{block}\n\n"
        text = text[:start] + section + text[end:]
    return text if text.endswith("\n") else text + "\n"


def _section_end(text: str, start: int) -> int:
    following = re.compile(r"^## ", re.M).search(text, start)
    return following.start() if following else len(text)


def record_problems(path: Path, text: str, essays) -> list[Problem]:
    """A warning (B207) at the first line where EDITORIAL.md is not what it should say."""
    expected = rewrite(text, essays)
    if expected == text:
        return []
    have, want = text.splitlines(), expected.splitlines()
    line = next((n for n, (a, b) in enumerate(zip(have, want), 1) if a != b),
                min(len(have), len(want)) + 1)
    return [Problem("B207", "EDITORIAL.md's generated Unresolved lists are not what the "
                    "content says", path, line, warning=True,
                    hint="run .venv/bin/booklet editorial: it rewrites only the lists between "
                         "the '<!-- generated: unresolved' markers")]


def write_editorial(content_dir: Path) -> list[str]:
    """`booklet editorial`: rewrite the generated blocks; every other byte stays."""
    from booklet.content.loader import load_booklet
    from booklet.content.source import read_text
    from booklet.write.output import atomic_outputs

    booklet = load_booklet(content_dir)  # an error in the content stops it, said as in a build
    path = content_dir / "EDITORIAL.md"
    before = read_text(path, content_dir) if path.exists() else ""
    after = rewrite(before, booklet.essays)
    said = [str(w) for w in booklet.warnings if w.code != "B207"]  # B207 is what this mends
    if after == before:
        return said + ["EDITORIAL.md is up to date: nothing changed"]
    raw = path.read_bytes() if path.exists() else b""
    if b"\r\n" in raw:  # written on Windows: its line ends stay as they were
        after = after.replace("\n", "\r\n")
    bom = b"\xef\xbb\xbf" if raw.startswith(b"\xef\xbb\xbf") else b""
    with atomic_outputs([path]) as (tmp,):
        tmp.write_bytes(bom + after.encode("utf-8"))
    found = sum(len(e.findings) for e in booklet.essays)
    return said + [f"wrote EDITORIAL.md: the generated lists of {len(booklet.essays)} essays "
                   f"({found} citations found), every other line as it was"]
