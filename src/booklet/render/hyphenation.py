"""Soft hyphens for print: pyphen, by the text's language; long lowercase words only.

Each passage is hyphenated by its own language's dictionary (a Welsh passage is not
broken by English rules); a language pyphen has no dictionary for (Welsh, Arabic …)
is not hyphenated at all.

Only words of eight letters or more are worth breaking. Capitalised words are left
whole because in running text they are mostly names, and compounds already joined by
a hyphen break at that hyphen. Headings, citations, links, URLs and DOIs never reach
this function (the templates pass them through untouched).
"""

from __future__ import annotations

import re
from functools import cache

import pyphen

from booklet.render.compiled import load_patterns

SOFT_HYPHEN = "\u00ad"
MIN_LETTERS = 8
_WORD = re.compile(r"(?<![\w\-‐’'])[a-z]{%d,}(?![\w\-‐’'])" % MIN_LETTERS)


@cache
def _dictionary(language: str) -> pyphen.Pyphen | None:
    # pyphen's fallback turns "en-GB" into en_GB and "de-CH-1996" into de_CH, but never
    # one language into another: "cy" finds nothing and stays unhyphenated.
    found = pyphen.language_fallback(language.replace("-", "_"))
    if found is None:
        return None
    load_patterns(pyphen.LANGUAGES[found])  # parsed once per machine (render/compiled.py)
    # At least three letters stay on each side of a break: "re-" alone reads badly.
    return pyphen.Pyphen(lang=found, left=3, right=3)


def hyphenate(text: str, language: str) -> str:
    dictionary = _dictionary(language)
    if dictionary is None:
        return text
    return _WORD.sub(lambda m: dictionary.inserted(m.group(0), hyphen=SOFT_HYPHEN), text)
