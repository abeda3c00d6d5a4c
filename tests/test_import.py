"""`booklet import` on Word files as office suites write them.

The four 2020 essays were saved as .docx by LibreOffice from the source text
(tests/fixtures/docx/make_docx.py); each is imported, measured against the hand-made
content/ (body words, citations, reference fields: tests/import_measures.py), its TODOs
filled from the report's own list, and then it must validate and build. A document of
our own carries a table, a footnote, a picture and lists; five files Word itself saved
come from mammoth's test data.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, SOURCE, copy_fixture, copy_project, once_per_run, run_booklet
from edition import requires_2020
from import_measures import (body_recall, entry_map, load_entries, not_listed_keys,
                             score_citations, score_fields, source_body)

DOCX = ROOT / "tests" / "fixtures" / "docx"
ESSAYS_2020 = {  # docx -> (content folder, author)
    "2020-01-holly-clarke.docx": ("01-holly-clarke", "Holly Clarke"),
    "2020-02-omar-mohamed.docx": ("02-omar-mohamed", "Omar Mohamed"),
    "2020-03-charlotte-pitt.docx": ("03-charlotte-pitt", "Charlotte Pitt"),
    "2020-04-verity-clarke.docx": ("04-verity-clarke", "Verity Clarke"),
}
# Floors, measured on these files (see the commit): every citation the author's list has
# an entry for is linked, none wrongly; nine reference fields in ten are right.
MIN_LINKED_SHARE = 0.9
MIN_FIELDS_SHARE = 0.9


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def fill_todos(folder: Path) -> list[str]:
    """Write every TODO the folder's IMPORT.md lists, and only those; returns them."""
    report = (folder / "IMPORT.md").read_text(encoding="utf-8")
    section = report.split("## TODO: fields to write", 1)[1].split("\n## ", 1)[0]
    filled = []
    for file, line, name in re.findall(r"^- ([\w.]+):(\d+): (\w+):", section, re.M):
        path = folder / file
        lines = path.read_text(encoding="utf-8").split("\n")
        n = int(line) - 1
        assert "TODO:" in lines[n], (file, line, lines[n])
        value = "2012" if name == "issued" else f"Written by the editor: the {name}."
        if '"TODO:' in lines[n]:  # a field's value
            lines[n] = re.sub(r'"TODO:[^"]*"', f'"{value}"', lines[n])
        else:  # a caption line in the text: "Table 1: TODO: …"
            lines[n] = re.sub(r"TODO:.*$", value, lines[n])
        path.write_text("\n".join(lines), encoding="utf-8")
        filled.append(f"{file}:{line}:{name}")
    return filled


@pytest.fixture(scope="session")
def imported_2020(tmp_path_factory) -> Path:
    """A project whose essays are the four 2020 Word files, imported; made once per run
    and only read."""
    def make(folder: Path) -> None:
        folder.mkdir()
        root = copy_project(folder)
        shutil.rmtree(root / "content" / "essays")
        (root / "content" / "essays").mkdir()
        for name in ESSAYS_2020:
            result = run_booklet(root, "import", str(DOCX / name))
            assert result.returncode == 0, result.stderr
            assert "## TODO: fields to write" in result.stdout  # the report is printed too

    return once_per_run(tmp_path_factory, "imported-2020", make)


@requires_2020
@pytest.mark.parametrize("docx", list(ESSAYS_2020))
def test_2020_essay_measures(imported_2020, docx):
    folder, author = ESSAYS_2020[docx]
    got = imported_2020 / "content" / "essays" / folder
    hand = ROOT / "content" / "essays" / folder
    source = next(SOURCE.glob("000_*.txt")).read_text(encoding="utf-8")

    recall, extra = body_recall(source_body(source, author), got / "essay.md")
    assert recall == 1.0 and extra == 0, (recall, extra)  # the body's words are the source's

    hand_entries, got_entries = load_entries(hand / "references.yaml"), \
        load_entries(got / "references.yaml")
    mapping = entry_map(got_entries, hand_entries)
    assert len(mapping) == len(got_entries)  # every imported entry is one of the author's
    cites = score_citations(hand / "essay.md", got / "essay.md", mapping,
                            not_listed_keys(hand_entries))
    assert cites.wrong == 0 and cites.extra == 0, cites.details
    assert cites.correct / cites.linkable >= MIN_LINKED_SHARE, cites.details
    right, total, wrong = score_fields(got_entries, hand_entries, mapping)
    assert right / total >= MIN_FIELDS_SHARE, wrong

    # every citation not linked is listed, at its line; so is every mismatch
    report = (got / "IMPORT.md").read_text(encoding="utf-8")
    lines = (got / "essay.md").read_text(encoding="utf-8").split("\n")
    unlinked = _listed(report, "## Citations left unlinked")
    assert len(unlinked) == cites.unlinked + cites.no_entry
    for text, line in unlinked + _listed(report, "## Citations linked despite a mismatch"):
        assert text in lines[line - 1], (text, line)


def _listed(report: str, heading: str) -> list[tuple[str, int]]:
    section = report.split(heading, 1)[1].split("\n## ", 1)[0]
    return [(t, int(n)) for n, t in re.findall(r"^- essay\.md:(\d+): “(.+?)”", section, re.M)]


@requires_2020
def test_2020_essays_after_the_todos_validate_and_build(imported_2020, tmp_path):
    root = tmp_path / "p"
    shutil.copytree(imported_2020, root)
    refused = run_booklet(root, "validate")
    assert refused.returncode == 1
    codes = set(re.findall(r"error (B\d+)", refused.stderr))
    assert codes == {"B104"}, refused.stderr  # only the TODOs stand in the way
    filled = []
    for folder in sorted((root / "content" / "essays").iterdir()):
        filled += fill_todos(folder)
    assert len(filled) == len(re.findall(r"error B104", refused.stderr))
    valid = run_booklet(root, "validate")
    assert valid.returncode == 0, valid.stderr
    built = run_booklet(root, "build")
    assert built.returncode == 0, built.stderr
    text = subprocess.run(["pdftotext", str(root / "build" / "booklet.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    words = " ".join(text.split())
    assert "emergence of a generation who prefer online communication" in words
    assert "Written by the editor: the alt." not in words  # alt text is not printed
    assert "TODO" not in words and "IMPORT" not in words


def test_todo_values_are_refused_where_they_are(tmp_path):
    root = copy_fixture(tmp_path / "p")
    essays = sorted((root / "content" / "essays").iterdir())
    essay = essays[0] / "essay.md"
    text = essay.read_text(encoding="utf-8")
    text = re.sub(r"^author: .*$", 'author: "TODO: the author’s name"', text, count=1, flags=re.M)
    essay.write_text(text, encoding="utf-8")
    figure_essay = next(f / "essay.md" for f in essays
                        if "alt:" in (f / "essay.md").read_text(encoding="utf-8"))
    lines = figure_essay.read_text(encoding="utf-8").split("\n")
    n = next(i for i, line in enumerate(lines) if line.strip().startswith("alt:"))
    lines[n] = re.sub(r"alt: .*", 'alt: "TODO: one sentence"', lines[n])
    figure_essay.write_text("\n".join(lines), encoding="utf-8")

    result = run_booklet(root, "validate")
    assert result.returncode == 1
    author_line = text.split("\n").index('author: "TODO: the author’s name"') + 1
    assert f"{essay.relative_to(root)}:{author_line}: error B104: the field 'author'" \
        in result.stderr
    assert f"{figure_essay.relative_to(root)}:{n + 1}: error B104: the field 'alt'" \
        in result.stderr
    assert "B102" not in result.stderr and "B221" not in result.stderr  # said once, as B104


def test_a_title_that_merely_starts_with_todo_words_is_accepted(tmp_path):
    root = copy_fixture(tmp_path / "p")
    essay = sorted((root / "content" / "essays").iterdir())[0] / "essay.md"
    text = re.sub(r"^title: .*$", 'title: "Todo lists and the social worker"',
                  essay.read_text(encoding="utf-8"), count=1, flags=re.M)
    essay.write_text(text, encoding="utf-8")
    result = run_booklet(root, "validate")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("make", ["missing", "text", "doc", "zip"])
def test_import_refuses_what_is_not_a_word_file(tmp_path, make):
    root = copy_fixture(tmp_path / "p")
    before = _tree(root / "content")
    path = tmp_path / "essay.docx"
    if make == "text":
        path.write_text("Dear editor, here is my essay.", encoding="utf-8")
    elif make == "doc":  # Word 97-2003: an OLE compound file
        path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    elif make == "zip":
        import zipfile

        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("hello.txt", "not a document")
    result = run_booklet(root, "import", str(path))
    assert result.returncode == 1
    assert "error B130" in result.stderr and "Traceback" not in result.stderr
    assert "nothing was imported" in result.stderr
    assert _tree(root / "content") == before
    if make == "doc":
        assert "old Word .doc" in result.stderr


def test_import_never_replaces_a_folder_without_force(tmp_path):
    root = copy_fixture(tmp_path / "p")
    docx = DOCX / "own-table-footnote-image-list.docx"
    first = run_booklet(root, "import", str(docx), "--folder", "06-alex-morgan")
    assert first.returncode == 0, first.stderr
    folder = root / "content" / "essays" / "06-alex-morgan"
    (folder / "essay.md").write_text((folder / "essay.md").read_text(encoding="utf-8")
                                     + "\nThe editor's edit.\n", encoding="utf-8")
    before = _tree(root / "content")
    again = run_booklet(root, "import", str(docx), "--folder", "06-alex-morgan")
    assert again.returncode == 1 and "error B131" in again.stderr
    assert _tree(root / "content") == before
    forced = run_booklet(root, "import", str(docx), "--folder", "06-alex-morgan", "--force")
    assert forced.returncode == 0, forced.stderr
    assert "The editor's edit." not in (folder / "essay.md").read_text(encoding="utf-8")
    leftovers = [p.name for p in (root / "content" / "essays").iterdir()
                 if p.name.startswith(".")]
    assert leftovers == []


def test_own_document_structures(tmp_path):
    """A table, a footnote, a picture with caption and Word alt text, both kinds of list,
    a quotation, bold and italic, a sub-section, and citations in each common form."""
    root = copy_fixture(tmp_path / "p")
    result = run_booklet(root, "import", str(DOCX / "own-table-footnote-image-list.docx"))
    assert result.returncode == 0, result.stderr
    folder = next(p for p in (root / "content" / "essays").iterdir()
                  if p.name.endswith("alex-morgan"))
    essay = (folder / "essay.md").read_text(encoding="utf-8")
    assert folder.name == "06-alex-morgan"  # the next number after the fixture's 05
    front, body = essay.split("\n---\n", 1)
    assert 'title: "Listening first: what carers told us about support"' in front
    assert 'author: "Alex Morgan"' in front and 'affiliation: "University of Northumbria"' in front
    assert 'caption: "Carers who said their worker listened, by area"' in front
    assert "Word’s alt text: “Bar chart of answers”" in front
    assert (folder / "figure-1.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "\n::: figure figure-1\n:::\n" in body
    assert "\n| Area | Carers asked | Said “yes” |\n| --- | --- | --- |\n| North | 120 | 84 |\n" in body
    assert "whether their worker listened[^1] – and" in body
    assert "\n[^1]: The survey ran from March to May 2021; “carer” here means an unpaid family carer.\n" in body
    assert "**Most said yes**, as *Carers UK* has found" in body
    assert "\n- asking before advising;\n- writing down the carer’s own words;\n" in body
    assert "\n1. Ask.\n2. Write it down.\n3. Come back.\n" in body
    assert "\n> “They asked what I needed, and then they did it.”\n" in body
    assert "\n## Introduction\n" in body and "\n### Listening in practice\n" in body
    assert "\n# " not in body and "Figure 1:" not in body  # the caption went to the figure
    for linked in ("([Nolan et al., 2019](cite:nolan2019))",
                   "([Carers UK, 2020](cite:carers-uk2020); [Smith and Jones, 2018](cite:smith2018))",
                   "[Okafor (2017)](cite:okafor2017) argues",
                   "([Okafor 2017, p. 12](cite:okafor2017))",
                   "as quoted by Baines (cited in [Okafor, 2017](cite:okafor2017))"):
        assert linked in body
    report = (folder / "IMPORT.md").read_text(encoding="utf-8")
    assert "4 references in references.yaml, 4 of them parsed cleanly" in report
    assert "6 citations linked, 0 left as typed" in report
    fill_todos(folder)
    valid = run_booklet(root, "validate")
    assert valid.returncode == 0, valid.stderr


def test_own_document_builds_with_its_table_and_footnote(tmp_path):
    """Tables and footnotes reach the outputs once the loader reads them (another
    branch adds both); until then the import's Markdown for them is checked above."""
    from booklet.content import load_booklet
    from booklet.content.body import plain_text

    root = copy_fixture(tmp_path / "p")
    result = run_booklet(root, "import", str(DOCX / "own-table-footnote-image-list.docx"))
    assert result.returncode == 0, result.stderr
    fill_todos(next((root / "content" / "essays").glob("*alex-morgan")))
    booklet = load_booklet(root / "content")
    essay = next(e for e in booklet.essays if e.author == "Alex Morgan")
    literal = [b for b in essay.blocks if b.kind == "paragraph"
               and re.search(r"\| --- \||\[\^1\]", plain_text(b.children))]
    if literal:
        pytest.skip("the loader does not read GFM tables and footnotes yet")
    built = run_booklet(root, "build")
    assert built.returncode == 0, built.stderr


@pytest.mark.parametrize("name,expect", [
    ("footnotes.docx", ["Ouch[^1].[^2]", "[^1]: A tachyon walks into a bar.", "[^2]: Fin."]),
    ("tables.docx", ["Above", "| Top left | Top right |\n| --- | --- |\n| Bottom left | Bottom right |",
                     "Below"]),
    ("simple-list.docx", ["- Apple\n- Banana"]),
    ("tiny-picture.docx", ["::: figure figure-1\n:::"]),
    ("strikethrough.docx", ["Today’s Special: Salmon Sold out"]),
])
def test_word_made_documents(tmp_path, name, expect):
    root = copy_fixture(tmp_path / "p")
    result = run_booklet(root, "import", str(DOCX / "mammoth" / name), "--author", "Sam Jones",
                         "--title", "A test", "--folder", "09-sam-jones")
    assert result.returncode == 0, result.stderr
    folder = root / "content" / "essays" / "09-sam-jones"
    body = (folder / "essay.md").read_text(encoding="utf-8").split("\n---\n", 1)[1]
    for text in expect:
        assert text.replace("’", "'") in body.replace("’", "'"), body
    report = (folder / "IMPORT.md").read_text(encoding="utf-8")
    assert "no 'References' or 'Bibliography' heading" in report
    if name == "strikethrough.docx":
        assert "struck-through text kept as plain text" in report


def test_what_the_document_does_not_say_is_a_todo_the_loader_refuses(tmp_path):
    root = copy_fixture(tmp_path / "p")
    result = run_booklet(root, "import", str(DOCX / "mammoth" / "tables.docx"))
    assert result.returncode == 0, result.stderr
    # Word's File > Properties names the author: taken, with a word of caution
    folder = root / "content" / "essays" / "06-michael-williamson"
    front = (folder / "essay.md").read_text(encoding="utf-8").split("\n---\n", 1)[0]
    assert 'title: "TODO: ' in front and 'author: "Michael Williamson"' in front
    report = (folder / "IMPORT.md").read_text(encoding="utf-8")
    assert "the document’s properties (File > Properties): check that this is the student" \
        in report
    todo_lines = re.findall(r"^- essay\.md:(\d+): (\w+):", report, re.M)
    # …and the table the document gives no "Table 1: …" caption line
    assert [name for _, name in todo_lines] == ["title", "affiliation", "caption"]
    refused = run_booklet(root, "validate")
    assert refused.returncode == 1
    for line, name in todo_lines:
        said = "the caption of Table 1" if name == "caption" else f"the field '{name}'"
        assert f"{folder.relative_to(root)}/essay.md:{line}: error B104: {said}" \
            in refused.stderr
    fill_todos(folder)
    assert run_booklet(root, "validate").returncode == 0
