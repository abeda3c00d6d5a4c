"""Soft hyphens for print: pyphen en-GB, long lowercase words only.

Only words of eight letters or more are worth breaking. Capitalised words are left
whole because in running text they are mostly names, and compounds already joined by
a hyphen break at that hyphen. Headings, citations, links, URLs and DOIs never reach
this function (the templates pass them through untouched).
"""

from __future__ import annotations

import re
from functools import cache

import pyphen

SOFT_HYPHEN = "\u00ad"
MIN_LETTERS = 8
_WORD = re.compile(r"(?<![\w\-‐’'])[a-z]{%d,}(?![\w\-‐’'])" % MIN_LETTERS)


@cache
def _dictionary(language: str) -> pyphen.Pyphen:
    # At least three letters stay on each side of a break: "re-" alone reads badly.
    return pyphen.Pyphen(lang=language.replace("-", "_"), left=3, right=3)


def hyphenate(text: str, language: str) -> str:
    dictionary = _dictionary(language)
    return _WORD.sub(lambda m: dictionary.inserted(m.group(0), hyphen=SOFT_HYPHEN), text)
