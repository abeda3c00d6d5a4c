"""The citation checks wired into the loader, and the record they are checked against:
references.yaml's `unresolved:` and `added_by_editor:`, and EDITORIAL.md's generated
lists. Tiny edits of the fixture booklet, run as the editor
runs them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from booklet.content import load_booklet
from booklet.content.editorial import END, START, record_problems
from conftest import PROJECTS, copy_fixture, run_booklet, with_parts_of
from edition import built_from, requires_2020

ZOE = "content/essays/02-zoe-bronte-kaur"
OKONKWO = ('  unresolved:\n    - cited: "Okonkwo, 2023"\n      check: "The list names three '
           'authors, so Harvard cites the work as “Okonkwo et al., 2023”. Kept as the author '
           'wrote it; ask the author whether the citation should say so."\n')


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _column_of(path: Path, needle: str) -> tuple[int, int]:
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        if needle in line:
            return number, line.index(needle) + 1
    raise AssertionError(f"{needle!r} not in {path}")


@pytest.mark.parametrize("project", list(PROJECTS))
def test_each_booklet_validates_with_its_record_up_to_date(project):
    """The fixture, and the shipped booklet, hold no unrecorded or stale finding, and
    their EDITORIAL.md says what the content says."""
    booklet = load_booklet(PROJECTS[project])
    codes = [w.code for w in booklet.warnings]
    assert not {"B203", "B206", "B207"} & set(codes), [str(w) for w in booklet.warnings]
    assert all(f.check for e in booklet.essays for f in e.findings)


def test_an_unrecorded_mismatch_warns_at_the_citation_with_both_sides(tmp_path):
    root = copy_fixture(tmp_path)
    _edit(root / ZOE / "references.yaml", OKONKWO, "")
    result = run_booklet(root, "validate")
    assert result.returncode == 0, result.stderr
    line, column = _column_of(root / ZOE / "essay.md", "[Okonkwo, 2023]")
    assert (f"{root}/{ZOE}/essay.md:{line}:{column}: warning B203: the citation does not match its "
            "entry 'okonkwo2023': the text says Okonkwo, 2023; the entry is Okonkwo, Reyes "
            "and Whitfield, 2023 (the names differ)") in result.stderr, result.stderr
    assert 'cited: "Okonkwo, 2023"' in result.stderr  # the hint shows what to write
    # and EDITORIAL.md, which recorded it, is now out of date
    assert "warning B207" in result.stderr


def test_a_wrong_year_is_found_wherever_the_citation_stands(tmp_path):
    """A citation in a block quote and in a list item, after letters of several bytes."""
    root = copy_fixture(tmp_path)
    essay = root / ZOE / "essay.md"
    _edit(essay, "\n## ", "\n> Ó dear, ‘quoted’ ([Quinn, 2021](cite:quinn2022)).\n\n"
                          "- one ([Okonkwo et al., 2020](cite:okonkwo2023))\n\n## ")
    stderr = run_booklet(root, "validate").stderr
    for needle, text, entry in (("[Quinn, 2021]", "Quinn, 2021", "Quinn, 2022"),
                                ("[Okonkwo et al., 2020]", "Okonkwo et al., 2020",
                                 "Okonkwo, Reyes and Whitfield, 2023")):
        line, column = _column_of(essay, needle)
        assert re.search(rf"^{root}/{ZOE}/essay.md:{line}:{column}: warning B203: .*the text says "
                         rf"{re.escape(text)}; the entry is {re.escape(entry)} \(the year "
                         r"differs\)$", stderr, re.M), stderr


def test_what_harvard_allows_does_not_warn(tmp_path):
    """et al for three authors, & for and, a possessive, a page, a secondary citation,
    a title for a work without authors: none of them is a finding."""
    root = copy_fixture(tmp_path)
    essay = root / ZOE / "essay.md"
    _edit(essay, "\n## ", "\nAs [Okonkwo et al. (2023, p. 4)](cite:okonkwo2023) and "
                          "[Okonkwo’s et al. (2023)](cite:okonkwo2023) say, and "
                          "([Okonkwo, Reyes & Whitfield 2023 pp. 1–2](cite:okonkwo2023)), "
                          "as Dey (cited in [Okonkwo et al., 2023](cite:okonkwo2023)).\n\n## ")
    booklet = load_booklet(root / "content")
    assert not [str(w) for w in booklet.warnings]
    zoe = next(e for e in booklet.essays if e.slug == "02-zoe-bronte-kaur")
    assert [f.text for f in zoe.findings if f.code == "B203"] == ["Okonkwo, 2023"]


def test_a_recorded_mismatch_does_not_warn_and_is_listed(tmp_path):
    root = copy_fixture(tmp_path)
    result = run_booklet(root, "validate")
    assert result.returncode == 0 and not result.stderr, result.stderr
    line, column = _column_of(root / ZOE / "essay.md", "[Okonkwo, 2023]")
    assert (f"  recorded B203: {root}/{ZOE}/essay.md:{line}:{column}: the text says Okonkwo, 2023; "
            "the entry is Okonkwo, Reyes and Whitfield, 2023") in result.stdout, result.stdout


def test_a_record_the_citations_no_longer_bear_out_is_stale(tmp_path):
    root = copy_fixture(tmp_path)
    refs = root / ZOE / "references.yaml"
    _edit(root / ZOE / "essay.md", "[Okonkwo, 2023]", "[Okonkwo et al., 2023]")
    _edit(refs, OKONKWO, OKONKWO + '    - cited: "Okonkwo, 2032"\n      check: "A typo."\n')
    stderr = run_booklet(root, "validate").stderr
    first, _ = _column_of(refs, '- cited: "Okonkwo, 2023"')
    second, _ = _column_of(refs, '- cited: "Okonkwo, 2032"')
    assert (f"{root}/{ZOE}/references.yaml:{first}: warning B206: the record that "
            "“Okonkwo, 2023” disagrees with 'okonkwo2023' is out of date: no citation of 'okonkwo2023' reads "
            "so any more") in stderr, stderr
    assert f"{root}/{ZOE}/references.yaml:{second}: warning B206:" in stderr
    assert "B203" not in stderr


def test_a_record_of_a_citation_that_now_agrees_is_stale(tmp_path):
    root = copy_fixture(tmp_path)
    refs = root / ZOE / "references.yaml"
    _edit(refs, "  author: [{family: Okonkwo, given: A.}, {family: Reyes, given: M.}, "
          "{family: Whitfield, given: S.}]", "  author: [{family: Okonkwo, given: A.}]")
    stderr = run_booklet(root, "validate").stderr
    assert "the citation now agrees with the entry" in stderr and "warning B206" in stderr


def test_a_citation_of_an_entry_the_editor_added_is_reported_not_warned(tmp_path):
    root = copy_fixture(tmp_path)
    result = run_booklet(root, "validate")
    line, column = _column_of(root / ZOE / "essay.md", "[Quinn, 2022]")
    assert (f"  recorded B204: {root}/{ZOE}/essay.md:{line}:{column}: “Quinn, 2022” cites "
            "'quinn2022', an entry the editor added") in result.stdout, result.stdout
    assert "B204" not in result.stderr
    # An entry from the author's list is no such finding.
    _edit(root / ZOE / "references.yaml", '  added_by_editor: "Find the work and complete '
          'the entry."\n', "")
    booklet = load_booklet(root / "content")
    assert "quinn2022" not in {f.key for e in booklet.essays for f in e.findings}


def test_unresolved_must_be_a_list_of_cited_and_check(tmp_path):
    root = copy_fixture(tmp_path)
    refs = root / ZOE / "references.yaml"
    _edit(refs, OKONKWO, '  unresolved: "Okonkwo, 2023"\n')
    result = run_booklet(root, "validate")
    assert result.returncode == 1 and "error B103: the field 'unresolved' must be a list" \
        in result.stderr, result.stderr
    _edit(refs, '  unresolved: "Okonkwo, 2023"\n',
          '  unresolved:\n    - cited: "Okonkwo, 2023"\n      chekc: "typo"\n')
    result = run_booklet(root, "validate")
    assert result.returncode == 1 and "unknown field 'chekc'" in result.stderr
    assert "the field 'check' is missing" in result.stderr


@built_from("fixture")
def test_warnings_do_not_stop_the_build(built, tmp_path):
    root = with_parts_of(copy_fixture(tmp_path), built)
    _edit(root / ZOE / "references.yaml", OKONKWO, "")
    result = run_booklet(root, "build", "-q")
    assert result.returncode == 0, result.stderr
    assert "warning B203" in result.stderr and "warning B207" in result.stderr
    assert all((root / "build" / name).is_file() for name in ("booklet.pdf", "booklet.epub"))


# EDITORIAL.md's generated lists -----------------------------------------------------------


def _blocks(text: str) -> list[str]:
    return re.findall(re.escape(START) + r".*?" + re.escape(END), text, re.S)


def test_booklet_editorial_rewrites_only_the_generated_lists(tmp_path):
    root = copy_fixture(tmp_path)
    record = root / "content" / "EDITORIAL.md"
    before = record.read_text(encoding="utf-8")
    _edit(root / ZOE / "references.yaml", OKONKWO, "")  # now unrecorded
    assert "warning B207" in run_booklet(root, "validate").stderr
    result = run_booklet(root, "editorial")
    assert result.returncode == 0 and "wrote EDITORIAL.md" in result.stdout, result
    after = record.read_text(encoding="utf-8")
    outside = [re.sub(re.escape(START) + ".*?" + re.escape(END), "", t, flags=re.S)
               for t in (before, after)]
    assert outside[0] == outside[1]  # every hand-written line as it was
    zoe = _blocks(after)[1]
    assert "`okonkwo2023`: the text says Okonkwo, 2023" in zoe
    assert "**Not recorded:**" in zoe  # a finding without a record is said to be one
    assert "warning B207" not in run_booklet(root, "validate").stderr
    again = run_booklet(root, "editorial")
    assert "up to date" in again.stdout and record.read_text(encoding="utf-8") == after


def test_the_generated_list_says_when_nothing_was_found(tmp_path):
    root = copy_fixture(tmp_path)
    refs = root / ZOE / "references.yaml"
    _edit(root / ZOE / "essay.md", "[Okonkwo, 2023]", "[Okonkwo et al., 2023]")
    _edit(refs, OKONKWO, "")
    _edit(refs, '  added_by_editor: "Find the work and complete the entry."\n', "")
    run_booklet(root, "editorial")
    zoe = _blocks((root / "content" / "EDITORIAL.md").read_text(encoding="utf-8"))[1]
    assert "finds no citation that disagrees with its entry" in zoe and "`" not in \
        zoe.replace(START, "")


def test_editorial_gives_a_new_essay_its_section_and_keeps_windows_line_ends(tmp_path):
    root = copy_fixture(tmp_path)
    record = root / "content" / "EDITORIAL.md"
    text = record.read_text(encoding="utf-8")
    # The Zoë section gone (a new essay the editor has not written up yet), CRLF line ends.
    start = text.index("## Zoë")
    text = text[:start] + text[text.index("## Łucja"):]
    record.write_bytes(text.replace("\n", "\r\n").encode())
    problems = record_problems(record, text, load_booklet(root / "content").essays)
    assert [p.code for p in problems] == ["B207"]
    run_booklet(root, "editorial")
    data = record.read_bytes()
    assert b"\n" not in data.replace(b"\r\n", b"")
    after = data.decode().replace("\r\n", "\n")
    assert after.startswith(text.rstrip("\n"))
    assert "## Zoë Llŷr-Kaur, Hollins Moor University (`02-zoe-bronte-kaur`)\n\n### Changes" \
        "\n\n### Unresolved\n\n" + START in after


# The 2020 booklet ------------------------------------------------------------------------


@requires_2020
def test_2020_every_finding_is_recorded_and_counted():
    booklet = load_booklet(PROJECTS["shipped"])
    assert not booklet.warnings, [str(w) for w in booklet.warnings]
    counts = {e.slug: (sum(f.code == "B203" for f in e.findings),
                       sum(f.code == "B204" for f in e.findings)) for e in booklet.essays}
    # (citations whose names or year disagree, citations of entries the editor added)
    assert counts == {"01-holly-clarke": (3, 0), "02-omar-mohamed": (5, 0),
                      "03-charlotte-pitt": (3, 2), "04-verity-clarke": (1, 0)}
