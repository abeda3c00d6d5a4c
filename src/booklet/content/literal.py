"""Markdown that would reach the reader as text, and the slips that cause it.

A student's Word file, turned into Markdown, brings slips that CommonMark reads its own
way: a link whose address holds a space stays as `[text](…)` text, `**bold **` keeps
its asterisks, a note mark without its note stays `[^1]`. Whatever markdown-it leaves
as text is printed as is, so every block's plain text is looked at here, once, before
anything is rendered: a leak is refused at the block's line with what to do, never
printed. Slips that markdown-it turns into something else (a setext heading, a joined
verse) are caught in body.py, where the tokens say so.
"""

from __future__ import annotations

import re

# (pattern, code, what, hint), the most specific first: one finding per block is enough.
LEAKS = (
    (re.compile(r"\[[^\]\n]*\]\([^)\s]*\s[^)]*\)"), "B272",
     "a link whose address holds a space is printed as text",
     "write each space in the address as %20 (or remove it): [text](https://…/a%20b)"),
    (re.compile(r"\[\^[^\]\s]*\]"), "B271",
     "a note mark with no note is printed as text",
     "write the note on a line of its own after the paragraph: '[^1]: The note's text.', "
     "with the same label as the mark"),
    (re.compile(r"\]\("), "B272", "link markup is printed as text",
     "a link is [words](https://…) with nothing between ']' and '('; check both brackets"),
    (re.compile(r"^\s*\|.*\|"), "B272", "a table row is printed as text",
     "a table needs its caption line, its head row, and under it a line of dashes such "
     "as '| --- | --- |'; see content/README.md, 'Tables'"),
    (re.compile(r"\*\*|__"), "B272", "bold markup is printed as text",
     "'**' must touch the words it marks: **word**, not ** word ** (and never inside a "
     "word's letters)"),
    (re.compile(r"(?<![\w*\\])\*[^*\n]+\*(?!\*)"), "B272",
     "italic markup is printed as text",
     "'*' must touch the words it marks: *word*, not *word * or * word*"),
    (re.compile(r"^\s*(={2,}|-{2,})\s*$"), "B272",
     "a line of '=' or '-' is printed as text",
     "leave a blank line before and after '---' for a break between parts; write '##' "
     "before a heading"),
)


def leak(text: str):
    """(code, what, hint, the text found) for the first Markdown left in `text`, or None."""
    for pattern, code, what, hint in LEAKS:
        if match := pattern.search(text):
            return code, what, hint, match.group(0).strip()
    return None


HEADING_NO_SPACE = re.compile(r"^\s{0,3}(#{1,6})(?=[^#\s])")
SHORT_LINE = 40  # characters: verse, an address or a list, not a paragraph wrapped by hand


def verse_like(lines: list[str]) -> bool:
    """Three or more short lines: written as lines, and CommonMark would join them."""
    lines = [ln.strip() for ln in lines if ln.strip()]
    return len(lines) >= 3 and all(len(ln) <= SHORT_LINE for ln in lines)


TITLE_MARKUP = re.compile(r"\*|(?<!\w)_[^_\s][^_]*_(?!\w)|(?<!\w)__|\[[^\]]*\]\(")
