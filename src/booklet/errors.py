"""Errors an editor can act on: a stable code, the place, the problem and a hint.

Codes are stable so that documentation, tests and editors can rely on them, in the
manner of Standard Ebooks' lint: every code has a one-line explanation here.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

CODES: dict[str, str] = {
    "B100": "a file could not be read (missing, unreadable, too large, not UTF-8, or holding "
            "control characters)",
    "B101": "malformed YAML or front matter",
    "B102": "a required field is missing or empty",
    "B103": "a field has the wrong type or an unknown name, or holds a control character",
    "B104": "a field still holds a TODO placeholder (left by booklet import) to be written",
    "B110": "no essays were found in content/essays/",
    "B111": "an essay has no body text",
    "B112": "a folder in content/essays/ is not an essay: it has no essay.md, or its name "
            "clashes with another folder's",
    "B130": "a Word file cannot be imported: missing, not a .docx, too large or unreadable",
    "B131": "booklet import would replace an essay folder that exists (use --force or "
            "--folder)",
    "B200": "a citation names a key that is not in the essay's references.yaml",
    "B201": "two references share a key",
    "B202": "a reference is never cited (warning)",
    "B203": "a citation's names or year disagree with its entry, and the entry's "
            "unresolved: does not record it (warning)",
    "B204": "a citation cites an entry the editor added (added_by_editor:), not one from "
            "the author's list (reported, never a warning: the field is its record)",
    "B205": "a reference says why it stays uncited, but the essay cites it (warning)",
    "B206": "an entry's unresolved: records a disagreement the citations no longer show "
            "(warning)",
    "B207": "EDITORIAL.md's generated Unresolved lists are not what the content says "
            "(warning)",
    "B210": "a URL or DOI is malformed",
    "B211": "a link uses a scheme other than http, https or mailto",
    "B212": "booklet.yaml's site_url is not the https address of a folder on the web",
    "B220": "a figure is placed but not declared, or its file is missing",
    "B221": "a figure lacks alt text or a long description",
    "B222": "a figure file is not a well-formed SVG, PNG or JPEG, or is too large in pixels or "
            "nesting",
    "B226": "a figure would be unreadable once fitted to the page with its caption (too tall "
            "for its width, or its SVG text too small)",
    "B230": "a heading skips a level or uses a level the body may not use",
    "B231": "a title is too long for the one-line running head: a short_title given is "
            "refused; a derived one is shortened (warning)",
    "B240": "raw HTML or other markup the booklet does not accept",
    "B241": "an SVG figure holds active content: a script, an event handler, foreignObject, "
            "animation, a DOCTYPE or an entity",
    "B270": "a table no reader could use: no caption line, merged or missing cells, too many "
            "columns, or no rows under its head",
    "B271": "a note mark with no note, a note never marked, or a note outside an essay",
    "B272": "Markdown that would be printed as text, or a slip read otherwise than meant",
    "B273": "a table is too wide for the page even in its smallest type",
    "B250": "a character in content/ is in none of the fonts in styles/fonts/",
    "B251": "a character a template or stylesheet prints is in none of the fonts in "
            "styles/fonts/",
    "B300": "a resource outside the project was requested (another file, a link out of "
            "content/, or the network)",
    "B400": "writing an output failed",
    "B410": "a build setting from the environment (SOURCE_DATE_EPOCH) is malformed",
    "B420": "the machine lacks a library the build needs (HarfBuzz's font subsetter)",
    "B421": "the installed WeasyPrint is not the release booklet is written for",
    "B430": "the home-printed booklet's cover does not fit on one page",
    "B500": "the two editions disagree where they must not: a bug in booklet, to be reported",
}

# How the editor runs the command from the project folder (make puts it in .venv).
EXPLAIN_COMMAND = ".venv/bin/booklet explain"


@dataclass
class Problem:
    code: str
    message: str
    path: Path | None = None
    line: int | None = None
    column: int | None = None
    hint: str | None = None
    warning: bool = False

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = _display(self.path)
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            where += ": "
        kind = "warning" if self.warning else "error"
        text = f"{where}{kind} {self.code}: {self.message}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        # Said here, once, so that every message ends the same way wherever it is printed.
        return text + f"\n    more: run {EXPLAIN_COMMAND} {self.code}"


class BookletError(Exception):
    """One or more problems that stop the build."""

    def __init__(self, problems: list[Problem] | Problem):
        self.problems = problems if isinstance(problems, list) else [problems]
        super().__init__("\n".join(str(p) for p in self.problems))


def _display(path: Path) -> str:
    # The path as the editor knows it: a symbolic link is named, not its target.
    for here, there in ((Path(os.path.abspath(path)), Path(os.path.abspath(Path.cwd()))),
                        (path.resolve(), Path.cwd().resolve())):
        try:
            return str(here.relative_to(there))
        except ValueError:
            continue
    return str(path)
