"""The line breaker never sets a third hyphenated line in a row, across page turns too,
and never ends a page with half a word.

A narrow column of long words, every syllable a soft hyphen, makes ladders everywhere;
small pages put many of them across a page turn."""

from __future__ import annotations

from pathlib import Path

import pytest
from weasyprint import CSS, HTML

from booklet.engine.hyphen_runs import (SOFT_HYPHEN, _is_hyphenated, _lines, hyphen_ladder_limit,
                                       page_lines)

WORDS = ["rep\xadre\xadsen\xadta\xadtion", "in\xadter\xadnat\xadion\xadal", "con\xadsid\xader\xadable",
         "pro\xadfes\xadsion\xadal\xadism", "in\xadcom\xadpre\xadhen\xadsi\xadble"]
# The project's own font, so the test needs no system fonts.
FONT = (Path(__file__).parent.parent / "styles" / "fonts" / "AtkinsonHyperlegibleNext-Regular.ttf")
CSS_TEXT = (f"@font-face {{ font-family: Booklet; src: url({FONT.as_uri()}) }} "
            "@page { size: 60mm 40mm; margin: 5mm } p { width: 33mm; hyphens: manual; "
            "font-family: Booklet; font-size: 10pt; line-height: 1.4; margin: 0 }")


def _longest_run(document) -> int:
    longest = run = 0
    current = None
    for block, last, _ in _lines(document):  # in reading order, over page turns
        if block is not current:
            run, current = 0, block
        run = run + 1 if _is_hyphenated(last) else 0
        longest = max(longest, run)
    return longest


def _render(limited: bool):
    text = " ".join(WORDS * 12)
    html = HTML(string=f'<html lang="en"><body><p>{text}</p><p>{text[::-1]}</p></body></html>')
    stylesheet = CSS(string=CSS_TEXT)
    if not limited:
        return html.render(stylesheets=[stylesheet])
    with hyphen_ladder_limit():
        return html.render(stylesheets=[stylesheet])


def test_without_the_limit_this_text_makes_ladders():
    assert _render(limited=False) and _longest_run(_render(limited=False)) > 2


def test_with_the_limit_no_line_is_a_third_hyphen_in_a_row():
    document = _render(limited=True)
    assert len(document.pages) > 3
    assert 0 < _longest_run(document) <= 2


@pytest.mark.parametrize("limited", [False, True])
def test_the_limit_loses_no_letter(limited):
    document = _render(limited)
    text = "".join(box.text for page in document.pages
                   for box in page._page_box.descendants() if hasattr(box, "text"))
    words = " ".join(WORDS * 12).replace(SOFT_HYPHEN, "")
    letters = lambda s: "".join(c for c in s if c.isalpha())  # noqa: E731
    assert letters(text.replace(SOFT_HYPHEN, "")).startswith(letters(words))


def _page_end_hyphens(document) -> int:
    """Pages whose last line ends in a hyphen while its block goes on overleaf."""
    pages = [list(page_lines(page)) for page in document.pages]
    return sum(1 for page, overleaf in zip(pages, pages[1:]) if page and overleaf
               and page[-1][0] is overleaf[0][0] and _is_hyphenated(page[-1][1]))


def test_without_the_limit_pages_end_in_half_a_word():
    assert _page_end_hyphens(_render(limited=False)) > 0


def test_with_the_limit_no_page_ends_in_half_a_word():
    assert _page_end_hyphens(_render(limited=True)) == 0
