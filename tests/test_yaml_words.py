"""A YAML mistake is said in plain words, at the line the editor must look at.

Each case writes broken front matter, references.yaml or booklet.yaml into a copy of the
project, runs the real command, and checks the sentence and the file:line(:column). The
texts are written here in full, so the cases hold whatever essays content/ holds.
"""

from __future__ import annotations

import re

import pytest

from conftest import run_booklet

# (name, file, YAML lines, line of the mistake in those lines, column or None, message)
CASES = [
    ("tab-indent", "references", [
        "- key: smith2019",
        '  authors: ["Smith, A."]',
        '\tyear: "2019"'], 3, 1,
     "this line is indented with a tab; YAML needs spaces"),
    ("tab-after-colon", "front", [
        'title: "A title"',
        "author:\tA. Writer",
        "affiliation: A University"], 2, 8,
     "this line holds a tab where YAML needs a space"),
    ("colon-in-value", "front", [
        "title: Part one: the start",
        "author: A. Writer",
        "affiliation: A University"], 1, 16,
     "a value holding ': ' must be put in quotes: title: \"Part one: the start\""),
    ("colon-in-reference-title", "references", [
        "- key: smith2019",
        '  authors: ["Smith, A."]',
        '  year: "2019"',
        "  title: Social work: a guide"], 4, 21,
     "a value holding ': ' must be put in quotes: title: \"Social work: a guide\""),
    ("unclosed-quote-closed-by-the-next-field", "front", [
        'title: "Working better together',
        'subtitle: "Beyond two metres apart"',
        "author: A. Writer",
        "affiliation: A University"], 1, 8,
     "a quote opened on line 2 is never closed"),
    ("unclosed-quote-at-the-end", "front", [
        'title: "A title"',
        "author: A. Writer",
        "affiliation: A University",
        'short_title: "A short title'], 4, 14,
     "a quote opened on line 5 is never closed"),
    ("unclosed-quote-in-references", "references", [
        "- key: smith2019",
        '  authors: ["Smith, A."]',
        '  year: "2019',
        '  title: "Social work and social media"',
        "  container: British Journal of Social Work"], 3, 9,
     "a quote opened on line 3 is never closed"),
    ("field-indented-more", "front", [
        'title: "A title"',
        "author: A. Writer",
        "  affiliation: A University"], 3, 3,
     "this line is indented more than the line above it (2 spaces, not 0)"),
    ("reference-field-indented-more", "references", [
        "- key: smith2019",
        '  authors: ["Smith, A."]',
        '  year: "2019"',
        "  container: British Journal of Social Work",
        '   volume: "42"'], 5, 4,
     "this line is indented more than the line above it (3 spaces, not 2)"),
    ("reference-field-indented-less", "references", [
        "- key: smith2019",
        '  authors: ["Smith, A."]',
        '  year: "2019"',
        ' title: "Social work and social media"'], 4, 2,
     "this line is not lined up with the line above it: it is indented by 1 space, "
     "the line above by 2"),
    ("reference-field-after-quoted-value", "references", [
        "- key: smith2019",
        '  authors: ["Smith, A."]',
        '  year: "2019"',
        '    title: "Social work and social media"'], 4, 5,
     "this line is not lined up with the line above it: it is indented by 4 spaces, "
     "the line above by 2"),
    ("list-item-not-aligned", "booklet", [
        "title: Working better together",
        "keywords:",
        "  - social work",
        " - student essays"], 4, 2,
     "this list item is not lined up with the one on line 3: its '-' is indented by "
     "1 space, the other's by 2"),
    ("entry-not-aligned", "references", [
        "- key: smith2019",
        '  authors: ["Smith, A."]',
        '  year: "2019"',
        "",
        " - key: jones2020",
        '  authors: ["Jones, B."]',
        '  year: "2020"'], 5, 2,
     "this list item is not lined up with the one on line 1: its '-' is indented by "
     "1 space, the other's by 0"),
    ("duplicate-field", "front", [
        'title: "A title"',
        "author: A. Writer",
        "affiliation: A University",
        "author: Someone Else"], 4, 1,
     "the field 'author' is given twice (first on line 3)"),
    ("text-after-closing-quote", "front", [
        'title: "Part one" and the rest',
        "author: A. Writer"], 1, 19,
     "text follows the closing quote: a value that begins with a quote must end with it"),
    ("apostrophe-in-single-quotes", "front", [
        "title: 'Social work's future'",
        "author: A. Writer"], 1, 20,
     "the apostrophe here ends the value, which began with a single quote"),
    ("asterisk-at-start", "front", [
        "title: *Italic* words",
        "author: A. Writer"], 1, 8,
     "a value that begins with an asterisk '*' must be put in quotes: "
     "title: \"*Italic* words\""),
    ("bracket-at-start", "front", [
        "title: [Draft] A title",
        "author: A. Writer"], 1, 8,
     "a value that begins with a bracket '[' must be put in quotes: "
     "title: \"[Draft] A title\""),
    ("description-line-less-indented", "booklet", [
        "title: Working better together",
        "description: >-",
        "  Four essays by social work students",
        " answering the question",
        "keywords:",
        "  - social work"], 4, 2,
     "this line is not lined up with the line above it: it is indented by 1 space, "
     "the line above by 2"),
    ("dash-at-start", "front", [
        "title: - a dash first",
        "author: A. Writer"], 1, 8,
     "a value that begins with a dash '- ' must be put in quotes: title: \"- a dash first\""),
    ("list-never-closed", "references", [
        "- key: smith2019",
        '  authors: ["Smith, A.", "Jones, B."',
        '  year: "2019"'], 2, 12,
     "a list opened with '[' on line 2 is never closed with ']'"),
    ("list-missing-comma", "references", [
        "- key: smith2019",
        '  authors: ["Smith, A." "Jones, B."]',
        '  year: "2019"'], 2, 25,
     "two items of this list have no comma between them"),
    ("list-missing-bracket", "references", [
        "- key: smith2019",
        '  authors: "Smith, A.", "Jones, B."]',
        '  year: "2019"'], 2, 23,
     "this value looks like a list but has no opening '['"),
    ("field-without-colon", "front", [
        'title: "A title"',
        "author A. Writer",
        "affiliation: A University"], 2, None,
     "this line has no ':' after a field name"),
    ("no-space-after-colon", "front", [
        'title: "A title"',
        "author:A. Writer",
        "affiliation: A University"], 2, 7,
     "there is no space after the ':' on this line"),
    ("second-document", "references", [
        "- key: smith2019",
        '  authors: ["Smith, A."]',
        '  year: "2019"',
        "---",
        "- key: jones2020"], 4, 1,
     "a line '---' here starts a second document; the file may hold only one"),
]


def _first_essay(project):
    return sorted(p for p in (project / "content" / "essays").iterdir() if p.is_dir())[0]


def _write(project, target: str, lines: list[str]):
    """Write the broken YAML; (the file, the file line of the YAML's first line)."""
    text = "\n".join(lines) + "\n"
    if target == "front":
        path = _first_essay(project) / "essay.md"
        old = path.read_text(encoding="utf-8").split("\n")
        end = old.index("---", 1)  # keep the essay's own body below the front matter
        path.write_text("---\n" + text + "\n".join(old[end:]), encoding="utf-8")
        return path, 2
    path = (_first_essay(project) / "references.yaml" if target == "references"
            else project / "content" / "booklet.yaml")
    path.write_text(text, encoding="utf-8")
    return path, 1


@pytest.mark.parametrize("name, target, lines, line, column, message", CASES,
                         ids=[case[0] for case in CASES])
def test_yaml_mistake_in_plain_words(project, name, target, lines, line, column, message):
    path, first = _write(project, target, lines)
    result = run_booklet(project, "validate")

    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    where = f"{path.relative_to(project)}:{line + first - 1}"
    if column is not None:
        where += f":{column}"
    assert f"{where}: error B101: {message}" in result.stderr, result.stderr
    said = next(s for s in result.stderr.splitlines() if "error B101:" in s)
    assert "malformed YAML" not in said and not re.search(r"<\w+ \w+>|scalar", said), said
    assert "booklet explain B101" in result.stderr
