"""A rebuild redoes only what an edit reaches: each output is replaced only when one of
its own inputs changed. A replaced file is a new file (outputs are renamed into place),
so its inode tells whether it was rewritten."""

from __future__ import annotations

import shutil

import pytest

from conftest import OUTPUTS, ROOT, run_booklet


def _format(file_name: str) -> str:
    """booklet.pdf -> pdf, booklet-print.pdf -> print-shop: the name booklet build takes."""
    from booklet.pipeline import FORMATS
    from booklet.project import Project

    return {Project(ROOT).output(name).name: name for name in FORMATS}[file_name]


@pytest.fixture
def rebuilt(built, tmp_path):
    """A copy of the built project; edit it, then call the result to rebuild."""
    root = tmp_path / "project"
    shutil.copytree(built, root, symlinks=True)

    def rebuild():
        before = {name: (root / "build" / name).stat().st_ino for name in OUTPUTS}
        result = run_booklet(root, "build")
        assert result.returncode == 0, result.stderr
        replaced = {_format(name) for name, ino in before.items()
                    if (root / "build" / name).stat().st_ino != ino}
        return replaced, result.stdout

    return root, rebuild


def test_nothing_changed_nothing_rewritten(rebuilt):
    root, rebuild = rebuilt
    replaced, out = rebuild()
    assert replaced == set()
    for name in OUTPUTS:
        assert f"build/{name} is up to date" in out


@pytest.mark.parametrize("stylesheet, rule, expected", [
    ("epub.css", "blockquote { font-style: normal; }", {"epub"}),
    # A print change that moves no page break: the EPUB's page-list, so the EPUB, stays;
    # the large print and print editions are made from the same print stylesheet.
    ("print.css", ".references { color: #1a1a1a; }",
     {"pdf", "large-print", "print-shop", "home-print"}),
    ("large-print.css", ".references { color: #1a1a1a; }", {"large-print"}),
    # Each print edition's own stylesheet reaches that edition alone (#14).
    ("print-shop.css", ".references { color: device-cmyk(0 0 0 0.9); }", {"print-shop"}),
    ("home-print.css", ".cover h1 { color: #111; }", {"home-print"}),
])
def test_a_stylesheet_edit_rebuilds_only_its_edition(rebuilt, stylesheet, rule, expected):
    root, rebuild = rebuilt
    with (root / "styles" / stylesheet).open("a", encoding="utf-8") as css:
        css.write(f"\n{rule}\n")
    replaced, _ = rebuild()
    assert replaced == expected


def test_an_essay_edit_rebuilds_both(rebuilt):
    root, rebuild = rebuilt
    essay = sorted((root / "content" / "essays").iterdir())[-1] / "essay.md"
    text = essay.read_text(encoding="utf-8")
    essay.write_text(text.rstrip("\n") + "\n\nOne more sentence.\n", encoding="utf-8")
    replaced, _ = rebuild()
    assert replaced == {"pdf", "large-print", "epub", "print-shop", "home-print"}


def test_a_damaged_output_is_rebuilt(rebuilt, built):
    root, rebuild = rebuilt
    pdf = root / "build" / "booklet.pdf"
    pdf.write_bytes(pdf.read_bytes()[:1000])  # e.g. a copy cut short
    replaced, _ = rebuild()
    assert replaced == {"pdf"}
    assert pdf.read_bytes() == (built / "build" / "booklet.pdf").read_bytes()
