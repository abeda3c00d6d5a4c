"""The booklet's typefaces are stated once, in styles/fonts.css; every other list of
them (the stylesheets the EPUB and the web edition ship, the print font stack, the
EPUB's accessibility summary) is held to it here or made from it."""

from __future__ import annotations

import tinycss2

from booklet.typefaces import about, declared_faces, load_typefaces
from conftest import ROOT

STYLES = ROOT / "styles"


def _stack(css_name: str, selector: str) -> list[str]:
    """The families of the font-family of `selector`'s rule, in order."""
    rules = tinycss2.parse_stylesheet((STYLES / css_name).read_text(encoding="utf-8"),
                                      skip_comments=True, skip_whitespace=True)
    for rule in rules:
        if rule.type == "qualified-rule" and tinycss2.serialize(rule.prelude).strip() == selector:
            for decl in tinycss2.parse_blocks_contents(rule.content, skip_comments=True,
                                                       skip_whitespace=True):
                if decl.type == "declaration" and decl.lower_name == "font-family":
                    text = tinycss2.serialize(decl.value)
                    return [f.strip().strip('"') for f in text.split(",")]
    raise AssertionError(f"{css_name} has no font-family for {selector}")


def _faces(css_name: str) -> list[tuple]:
    return [(f.family, f.weight, f.style, f.path) for f in declared_faces(STYLES / css_name)]


def test_the_web_edition_declares_every_face_fonts_css_declares():
    assert _faces("web.css") == _faces("fonts.css")


def test_the_epub_declares_only_faces_fonts_css_declares():
    epub = _faces("epub.css")
    assert epub and set(epub) <= set(_faces("fonts.css"))


def test_every_font_stack_is_the_families_of_fonts_css_in_order():
    families = list(load_typefaces(STYLES).families)
    assert families == list(dict.fromkeys(f for f, *_ in _faces("fonts.css")))
    assert _stack("print.css", "html") == families  # no generic family: none exists
    web = _stack("web.css", "html")
    assert web[:len(families)] == families and web[len(families):] == ["system-ui",
                                                                       "sans-serif"]
    epub = _stack("epub.css", "body")
    assert epub[0] == _faces("epub.css")[0][0] and epub[1:] == ["sans-serif"]


def test_the_epub_summary_names_the_family_its_stylesheet_sets():
    from booklet.content import load_booklet
    from booklet.write.epub.book import accessibility_metadata

    booklet = load_booklet(ROOT / "content")

    family = _faces("epub.css")[0][0]
    summary = dict(accessibility_metadata(booklet, 3, family))["schema:accessibilitySummary"]
    assert f"It is set in {family}, {about(family, who=False)}, unless" in summary
    other = dict(accessibility_metadata(booklet, 3, "Some Other Sans"))
    assert "It is set in Some Other Sans, unless" in other["schema:accessibilitySummary"]
    assert family not in other["schema:accessibilitySummary"]
    none = dict(accessibility_metadata(booklet, 3, None))["schema:accessibilitySummary"]
    assert "It is set in" not in none and "the reader’s own font" in none.lower()
