"""Every character the booklet prints must be in a font it ships (B250).

A character none of the fonts in styles/fonts/ has would be drawn from whatever the
build machine has, or as an empty box; so it is refused here, where the editor can
find it: the file, the line, the column, and the character's code and name. YAML
comments are skipped, since they are never printed.
"""

from __future__ import annotations

import re
from pathlib import Path

from booklet.errors import Problem
from booklet.typefaces import Typefaces, describe

# A comment in YAML: '#' at a line's start or after a space, outside quotes (roughly:
# a '#' inside a quoted value after a space is rare in this content, and only makes the
# check look at less).
_YAML_COMMENT = re.compile(r"(^|\s)#.*$")


def unprintable(path: Path, text: str, typefaces: Typefaces,
                yaml_lines: int | None = None) -> list[Problem]:
    """Problems for characters in `text` (the file at `path`) no shipped font has.

    `yaml_lines`: how many of the first lines are YAML (all of a .yaml file, the front
    matter of an essay.md), whose comments are not printed.
    """
    # Most files have no such character: each distinct one is looked up once (a
    # 100-essay anthology spent 3 s here looking up every character of every line).
    if all(typefaces.has(char) for char in set(text)):
        return []
    problems: list[Problem] = []
    seen: set[str] = set()
    for number, line in enumerate(text.split("\n"), start=1):
        if yaml_lines is None or number <= yaml_lines:
            line = _YAML_COMMENT.sub("", line)
        for column, char in enumerate(line, start=1):
            if char in seen or typefaces.has(char):
                continue
            seen.add(char)
            problems.append(Problem(
                "B250", f"the character {describe(char)} is in none of the booklet's fonts",
                path, number, column,
                hint="retype it as a character the fonts have (a look-alike pasted from a "
                     "word processor, say), or add an OFL font that has it to styles/fonts/ "
                     "and declare it in styles/fonts.css"))
    return problems
