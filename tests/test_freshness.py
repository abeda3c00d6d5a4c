"""A rebuild redoes only what an edit reaches: each output is replaced only when one of
its own inputs changed. A replaced file is a new file (outputs are renamed into place),
so its inode tells whether it was rewritten."""

from __future__ import annotations

import shutil

import pytest

from conftest import OUTPUTS, ROOT, run_booklet
from edition import built_from

# What an edit rebuilds is the pipeline's doing, not the booklet's: on the fixture booklet
# (whose build every other read-back of the fixture shares), not twice.
pytestmark = built_from("fixture")


def _format(file_name: str) -> str:
    """booklet.pdf -> pdf, booklet-print.pdf -> print-shop: the name booklet build takes."""
    from booklet.editions import names
    from booklet.project import Project

    return {Project(ROOT).output(name).name: name for name in names()}[file_name]


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
        assert not [p for p in (root / "build").iterdir() if ".part" in p.name]
        return replaced, result.stdout

    return root, rebuild


def test_nothing_changed_nothing_rewritten(rebuilt):
    root, rebuild = rebuilt
    replaced, out = rebuild()
    assert replaced == set()
    for name in OUTPUTS:
        shown = f"{name}/" if name == "web" else name  # a folder
        assert f"build/{shown} is up to date" in out


@pytest.mark.parametrize("stylesheet, rule, expected", [
    # The web edition carries copies of the EPUB and PDFs: a new one is a new web.
    ("epub.css", "blockquote { font-style: normal; }", {"epub", "web"}),
    # A print change that moves no page break: the EPUB's page-list, so the EPUB, stays;
    # the large print and print editions are made from the same print stylesheet.
    ("print.css", ".references { color: #1a1a1a; }",
     {"pdf", "large-print", "print-shop", "home-print", "web"}),
    ("large-print.css", ".references { color: #1a1a1a; }", {"large-print", "web"}),
    # Each print edition's own stylesheet reaches that edition alone.
    ("print-shop.css", ".references { color: device-cmyk(0 0 0 0.9); }", {"print-shop"}),
    ("home-print.css", ".cover h1 { color: #111; }", {"home-print"}),
    ("web.css", "blockquote { font-style: normal; }", {"web"}),
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
    assert replaced == {"pdf", "large-print", "epub", "print-shop", "home-print", "web"}


def test_a_damaged_output_is_rebuilt(rebuilt, built):
    root, rebuild = rebuilt
    pdf = root / "build" / "booklet.pdf"
    pdf.write_bytes(pdf.read_bytes()[:1000])  # e.g. a copy cut short
    replaced, _ = rebuild()
    assert replaced == {"pdf"}
    assert pdf.read_bytes() == (built / "build" / "booklet.pdf").read_bytes()


def test_a_web_template_is_read_by_the_web_edition_alone(built):
    """The package is shared by every project, so its templates are not edited here: the
    keys are asked directly, with one web template's digest changed."""
    from booklet import freshness

    found = freshness.sources(built)
    name = "package/templates/web/essay.html.j2"
    assert name in dict(found)
    edited = [(rel, "edited" if rel == name else digest) for rel, digest in found]
    for product in ("pdf", "large-print", "epub"):
        assert freshness.input_key(product, edited, 0) == freshness.input_key(product, found, 0)
    assert freshness.input_key("web", edited, 0) != freshness.input_key("web", found, 0)
    for other in ("package/templates/epub/essay.xhtml.j2", "styles/print.css"):
        changed = [(rel, "edited" if rel == other else digest) for rel, digest in found]
        assert freshness.input_key("web", changed, 0) == freshness.input_key("web", found, 0)


def test_a_damaged_web_folder_is_rebuilt(rebuilt, built):
    root, rebuild = rebuilt
    page = root / "build" / "web" / "index.html"
    page.write_text("<p>cut short", encoding="utf-8")
    replaced, _ = rebuild()
    assert replaced == {"web"}
    assert page.read_bytes() == (built / "build" / "web" / "index.html").read_bytes()


def test_unchanged_content_is_not_loaded_again_yet_says_its_warnings_again(rebuilt):
    # With nothing to make, content that a build loaded cleanly is not loaded again
    # (pipeline.build, freshness.content_key): what loading it said then is said again.
    root, rebuild = rebuilt
    editorial = root / "content" / "EDITORIAL.md"
    editorial.write_text(editorial.read_text(encoding="utf-8").replace(
        "<!-- end of generated list -->", "- a line typed by hand\n\n<!-- end of generated list -->",
        1), encoding="utf-8")
    loaded = run_booklet(root, "build")
    assert loaded.returncode == 0, loaded.stderr
    assert "B207" in loaded.stderr  # EDITORIAL.md's lists are not what the content says
    again = run_booklet(root, "build")
    assert again.returncode == 0
    assert again.stderr == loaded.stderr
    assert "(unchanged since the last build)" in again.stdout
    assert "(unchanged" not in loaded.stdout
    # An edit anywhere the loader reads (here a font's declarations) loads it again.
    fonts = root / "styles" / "fonts.css"
    fonts.write_text(fonts.read_text(encoding="utf-8") + "\n/* an edit */\n", encoding="utf-8")
    edited = run_booklet(root, "build", "epub")
    assert "(unchanged" not in edited.stdout and "B207" in edited.stderr
