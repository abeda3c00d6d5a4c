"""A text box that fits but for its trailing space is not broken after its first word."""

from __future__ import annotations

from pathlib import Path

from weasyprint import CSS, HTML
from weasyprint.formatting_structure import boxes

from booklet.engine.trailing_space import hanging_trailing_space

# The project's own font, so the test needs no system fonts and measures what prints.
FONT = (Path(__file__).parent.parent / "styles" / "fonts" / "AtkinsonHyperlegibleNext-Regular.ttf")
CSS_TEXT = (f"@font-face {{ font-family: Booklet; src: url({FONT.as_uri()}) }} "
            "@page { size: A4 } body { font-family: Booklet; font-size: 16px } p { margin: 0 }")
ENTRY = "Jackson, R. (2019) Social Media and Social Service Workers,"


def _lines(html: str, fixed: bool) -> list[str]:
    document = HTML(string=html)
    stylesheets = [CSS(string=CSS_TEXT)]
    if fixed:
        with hanging_trailing_space():
            document = document.render(stylesheets=stylesheets)
    else:
        document = document.render(stylesheets=stylesheets)
    return ["".join(t.text for t in line.descendants() if isinstance(t, boxes.TextBox))
            for line in document.pages[0]._page_box.descendants()
            if isinstance(line, boxes.LineBox)]


def _entry(width: float) -> str:
    return (f'<html lang="en"><body><p style="width: {width}px">{ENTRY} '
            "<cite>The Institute of Research</cite></p></body></html>")


def _width_of_entry() -> float:
    line = _lines(f'<html lang="en"><body><p style="width: 2000px"><span>{ENTRY}</span></p>'
                  "</body></html>", fixed=False)
    assert line == [ENTRY]
    document = HTML(string=f'<html lang="en"><body><p><span>{ENTRY}</span></p></body></html>'
                    ).render(stylesheets=[CSS(string=CSS_TEXT)])
    return next(b.width for b in document.pages[0]._page_box.descendants()
                if isinstance(b, boxes.TextBox))


def test_weasyprint_alone_breaks_after_the_first_word():
    # The bug this fix is for: if WeasyPrint stops having it, the fix can go.
    assert _lines(_entry(_width_of_entry() + 2), fixed=False)[0] == "Jackson,"


def test_the_entry_keeps_its_line_and_the_citation_moves_on():
    lines = _lines(_entry(_width_of_entry() + 2), fixed=True)
    assert lines[0] == ENTRY
    assert lines[1].startswith("The Institute")


def test_a_text_that_really_overflows_still_breaks_at_a_space():
    lines = _lines(_entry(_width_of_entry() - 40), fixed=True)
    assert ENTRY.startswith(lines[0]) and lines[0] != ENTRY  # broken inside the entry
    assert len(lines[0].split()) > 1 and ENTRY[len(lines[0])] == " "  # at a later space
