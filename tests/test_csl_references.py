"""References from Zotero: CSL-JSON and CSL-YAML lists.

The fixture booklet's first essay has its references.yaml written again as Zotero exports
CSL-JSON (tests/fixtures/csl/01-references.json: author objects, issued date-parts,
container-title, page, URL, DOI, accessed, and the variables Zotero adds that the house
style does not print). Read from either format, the essay's references are the same.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from booklet.content import load_booklet
from booklet.render.csl_style import format_item
from conftest import FIXTURE, ROOT, copy_fixture, run_booklet, with_parts_of
from edition import built_from

CSL_JSON = ROOT / "tests" / "fixtures" / "csl" / "01-references.json"
CSL_BIB = ROOT / "tests" / "fixtures" / "csl" / "01-references.bib"


def _first(root: Path) -> Path:
    return sorted((root / "content" / "essays").iterdir())[0]


def _with_json(tmp_path) -> Path:
    root = copy_fixture(tmp_path / "p")
    (_first(root) / "references.yaml").unlink()
    (_first(root) / "references.json").write_bytes(CSL_JSON.read_bytes())
    return root


def test_csl_json_from_zotero_gives_the_same_references(tmp_path):
    root = _with_json(tmp_path)
    own = load_booklet(FIXTURE / "content").essays[0].references
    zotero = load_booklet(root / "content").essays[0].references
    assert zotero == own
    assert [r.year for r in zotero if r.key.startswith("carers-policy-unit")] == \
        ["2025a", "2025b"]  # the year suffixes a CSL processor would give
    # and each prints the same in both styles: Zotero's given names ("Jane") become the
    # initials the hand-written list has ("J.")
    for style in ("harvard-cite-them-right", "apa"):
        assert [format_item(r.csl, style) for r in zotero] == \
            [format_item(r.csl, style) for r in own], style


@built_from("fixture")
def test_csl_json_builds(built, tmp_path):
    root = with_parts_of(_with_json(tmp_path), built)
    result = run_booklet(root, "build")
    assert result.returncode == 0, result.stderr


def test_csl_yaml_as_pandoc_writes_it(tmp_path):
    root = copy_fixture(tmp_path / "p")
    items = json.loads(CSL_JSON.read_text(encoding="utf-8"))
    (_first(root) / "references.yaml").write_text(
        yaml.safe_dump({"references": items}, allow_unicode=True, sort_keys=False),
        encoding="utf-8")
    own = load_booklet(FIXTURE / "content").essays[0].references
    assert load_booklet(root / "content").essays[0].references == own


def test_csl_json_problems_name_file_and_line(tmp_path):
    root = _with_json(tmp_path)
    path = _first(root) / "references.json"
    text = CSL_JSON.read_text(encoding="utf-8")
    text = text.replace('"id": "hartley2021"', '"id": "Hartley2021"')
    text = re.sub(r'("id": "lindqvist2025",.*?)"issued": \{.*?\}\n', r'\1"x": 1\n', text,
                  count=1, flags=re.S)
    path.write_text(text, encoding="utf-8")
    lines = text.split("\n")
    hartley = next(i for i, l in enumerate(lines) if '"Hartley2021"' in l) + 1
    lindqvist = next(i for i, l in enumerate(lines) if '"lindqvist2025"' in l) + 1
    result = run_booklet(root, "validate")
    assert result.returncode == 1
    rel = path.relative_to(root)
    assert f"{rel}:{hartley}: error B103: the key 'Hartley2021'" in result.stderr
    assert f"{rel}:{lindqvist}: error B102: the entry 'lindqvist2025' has no year" in result.stderr

    path.write_text(CSL_JSON.read_text(encoding="utf-8").replace('"page": "101-119",',
                                                                 '"page": "101-119"'), encoding="utf-8")
    broken = run_booklet(root, "validate")
    assert broken.returncode == 1
    assert re.search(rf"{re.escape(str(rel))}:\d+:\d+: error B101: malformed JSON", broken.stderr)


def test_two_reference_lists_are_refused(tmp_path):
    root = _with_json(tmp_path)
    (_first(root) / "references.yaml").write_bytes(
        (sorted((FIXTURE / "content" / "essays").iterdir())[0] / "references.yaml").read_bytes())
    result = run_booklet(root, "validate")
    assert result.returncode == 1
    assert "error B103: the essay has more than one reference list: references.yaml and " \
        "references.json" in result.stderr


def test_bibtex_as_better_bibtex_exports_it(tmp_path):
    root = copy_fixture(tmp_path / "p")
    (_first(root) / "references.yaml").unlink()
    (_first(root) / "references.bib").write_bytes(CSL_BIB.read_bytes())
    own = load_booklet(FIXTURE / "content").essays[0].references
    assert load_booklet(root / "content").essays[0].references == own  # accents and all


def test_bibtex_problems_name_file_and_line(tmp_path):
    root = copy_fixture(tmp_path / "p")
    (_first(root) / "references.yaml").unlink()
    path = _first(root) / "references.bib"
    text = CSL_BIB.read_text(encoding="utf-8").replace("@book{hartley2021", "@book{Hartley2021")
    text = text.replace("  year = {2025},\n  journal", "  journal", 1)  # lindqvist: no year
    path.write_text(text, encoding="utf-8")
    lines = text.split("\n")
    hartley = next(i for i, l in enumerate(lines) if "Hartley2021" in l) + 1
    lindqvist = next(i for i, l in enumerate(lines) if "lindqvist2025" in l) + 1
    result = run_booklet(root, "validate")
    assert result.returncode == 1
    rel = path.relative_to(root)
    assert f"{rel}:{hartley}: error B103: the key 'Hartley2021'" in result.stderr
    assert f"{rel}:{lindqvist}: error B102: the entry 'lindqvist2025' has no year" in result.stderr
    path.write_text(text.rstrip().rstrip("}"), encoding="utf-8")
    unclosed = run_booklet(root, "validate")
    feeney = next(i for i, l in enumerate(lines) if l.startswith("@misc{feeney2019")) + 1
    assert f"{rel}:{feeney}: error B101: a BibTeX entry is never closed" \
        in unclosed.stderr, unclosed.stderr


def test_an_old_field_name_is_refused_in_every_format(tmp_path):
    """references.yaml's 2020 names (key, authors, year, pages …) are not CSL: in any
    format each is refused once, at its first line, with its CSL name."""
    root = _with_json(tmp_path)
    path = _first(root) / "references.json"
    text = CSL_JSON.read_text(encoding="utf-8").replace('"page": "101-119"',
                                                        '"pages": "101-119"', 1)
    path.write_text(text, encoding="utf-8")
    line = next(i for i, l in enumerate(text.split("\n")) if '"pages"' in l) + 1
    result = run_booklet(root, "validate")
    assert result.returncode == 1
    assert f"{path.relative_to(root)}:{line}: error B103: the field 'pages' is now 'page'" \
        in result.stderr, result.stderr
    assert "booklet migrate-references" in result.stderr


def test_migrate_references_rewrites_the_2020_format(tmp_path):
    """booklet migrate-references: an old list becomes CSL-YAML that loads to the same
    references, every comment and editor's field kept, and a second run changes nothing."""
    from booklet.content.references.migrate import migrate_text

    root = copy_fixture(tmp_path / "p")
    path = _first(root) / "references.yaml"
    old = ("# The author's list, as she gave it.\n"
           "- key: marlowe2024   # the first\n"
           '  authors: ["Marlowe, J.", "Okafor, T."]\n'
           '  year: "2024"\n'
           '  title: "Respite and resilience among unpaid carers of adults with dementia"\n'
           "  container: Journal of Community Care Research\n"
           '  volume: "18"\n  issue: "2"\n  pages: "101–119"\n'
           "  doi: 10.1234/jccr.2024.0182\n"
           "  accessed: 2nd June 2020\n"
           '  editor_note: "Checked."\n'
           "  unresolved:\n"
           '    - cited: "Marlow, 2024"   # as in the text\n'
           '      check: "The name."\n')
    path.write_text(old, encoding="utf-8")
    refused = run_booklet(root, "validate")
    assert refused.returncode == 1 and "the field 'key' is now 'id'" in refused.stderr
    result = run_booklet(root, "migrate-references")
    assert result.returncode == 0, result.stderr
    new = path.read_text(encoding="utf-8")
    assert new.startswith("# The author's list, as she gave it.\n- id: marlowe2024   # the first\n"
                          "  type: article-journal\n"
                          "  author: [{family: Marlowe, given: J.}, {family: Okafor, given: T.}]\n"
                          "  issued: 2024\n"), new
    assert "  DOI: 10.1234/jccr.2024.0182\n  accessed: 2020-06-02\n" in new
    assert '  editor_note: "Checked."\n  unresolved:\n    - cited: "Marlow, 2024"   # as in ' \
        'the text\n' in new
    assert migrate_text(new) == new
    from booklet.content.references.entries import load_references

    problems: list = []
    (ref, _line), = load_references(path, problems)
    assert not problems, problems
    assert (ref["key"], ref["authors"], ref["year"], ref["doi"]) == \
        ("marlowe2024", ("Marlowe, J.", "Okafor, T."), "2024", "10.1234/jccr.2024.0182")
    assert ref["unresolved"][0].cited == "Marlow, 2024" and ref["editor_note"] == "Checked."
    assert run_booklet(root, "migrate-references").stdout.count("CSL-YAML already") == 3


def test_migrate_references_gives_the_loaders_error_at_a_yaml_mistake(tmp_path):
    """A references.yaml in the old format with a YAML mistake: the loader's coded error
    at its line, no traceback, and no file rewritten (not even the good ones)."""
    root = copy_fixture(tmp_path / "p")
    path = _first(root) / "references.yaml"
    old = ("- key: marlowe2024\n"
           '  authors: ["Marlowe, J."]\n'
           '  year: "2024"\n'
           '  title: "Respite: a study\n'  # the quote is never closed
           "  container: Journal of Community Care Research\n")
    path.write_text(old, encoding="utf-8")
    others = {p: p.read_bytes() for p in (root / "content" / "essays").glob("*/references.yaml")}
    result = run_booklet(root, "migrate-references")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert re.search(rf"{re.escape(str(path.relative_to(root)))}:4(:\d+)?: error B101:",
                     result.stderr), result.stderr
    assert {p: p.read_bytes() for p in others} == others
