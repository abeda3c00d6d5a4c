"""The essays' bodies as the source extraction gives them, for word-recall tests.

The source (../shared/source/000_*.txt) repeats the competition question before each
essay, then "Author - University", an optional subtitle, the body, and "References".
Its known artefacts (university logo text) are removed here; nothing else is changed.
"""

from __future__ import annotations

import re

LOGO_LINES = re.compile(r"^\**(UNIVERSITY OF|LINCOLN|BIRMINGHAM)\**$")
# Typing errors in the source's words that the editor corrected, as content/EDITORIAL.md
# records them (Holly Clarke, change 5). Punctuation fixes do not change the words.
EDITOR_CORRECTIONS = {"Chan and Negai": "Chan and Ngai"}
BYLINE = re.compile(r"^(?P<author>[^-–]+?) [-–] (?P<affiliation>.+)$")


def essay_bodies(text: str) -> dict[str, str]:
    """{author: body text}; the body runs from after the byline to 'References'."""
    lines = [line.strip() for line in text.splitlines()]
    question = next(line for line in lines if line.startswith("Working better together:")
                    and not line.startswith("“"))
    essays: dict[str, str] = {}
    i = 0
    while i < len(lines):
        if lines[i] == question:
            j = i + 1
            while not lines[j]:
                j += 1
            author = BYLINE.match(lines[j])["author"].strip()
            body = []
            j += 1
            while j < len(lines) and lines[j] != "References":
                if lines[j] and not LOGO_LINES.match(lines[j]):
                    body.append(lines[j])
                j += 1
            text = "\n".join(body)
            for wrong, right in EDITOR_CORRECTIONS.items():
                text = text.replace(wrong, right)
            essays[author] = text
            i = j
        i += 1
    return essays
