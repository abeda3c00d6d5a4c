"""Editions are units: one module declares an edition, and the pipeline, freshness,
`booklet build NAME`, `make NAME` and the help all take it with no change elsewhere.

The edition here lives in a module of the test's own (a plain-text list of the essays),
named to booklet by BOOKLET_EDITIONS, as an edition developed outside the package is.
"""

from __future__ import annotations

import os
import textwrap

import pytest

from booklet.editions import all_editions, edition, names, with_needs
from conftest import copy_fixture, run_booklet, run_make, with_make

PLAIN_TEXT = textwrap.dedent('''
    """A test-only edition: build/booklet.txt, the booklet's title and its essays."""

    from booklet.editions import Edition


    def write(writing):
        booklet = writing.booklet
        lines = [booklet.title, ""] + [f"{e.title} by {e.author}" for e in booklet.essays]
        writing.path.write_text("\\n".join(lines) + "\\n", encoding="utf-8")
        return f"{len(booklet.essays)} essays listed"


    EDITION = Edition(name="plain-text", output="booklet.txt", order=70, stage="text",
                      write=write, summary="the essays' titles, as plain text",
                      sources=("styles/plain-text.css",))
''')


@pytest.fixture
def with_edition(tmp_path):
    """A project copy, and the environment in which booklet knows the plain-text edition."""
    (tmp_path / "modules").mkdir()
    (tmp_path / "modules" / "plain_text_edition.py").write_text(PLAIN_TEXT, encoding="utf-8")
    root = copy_fixture(tmp_path / "project")
    (root / "styles" / "plain-text.css").write_text("/* read by nothing but its edition */\n",
                                                    encoding="utf-8")
    path = os.pathsep.join(filter(None, [str(tmp_path / "modules"),
                                         os.environ.get("PYTHONPATH")]))
    return root, {"PYTHONPATH": path, "BOOKLET_EDITIONS": "plain_text_edition"}


def test_a_new_edition_is_listed_built_and_kept_fresh(with_edition):
    root, env = with_edition
    listed = run_booklet(root, "editions", env=env)
    assert listed.returncode == 0, listed.stderr
    assert "plain-text" in listed.stdout and "build/booklet.txt" in listed.stdout
    helped = run_booklet(root, "build", "--help", env=env)
    assert "plain-text" in helped.stdout

    first = run_booklet(root, "build", "plain-text", env=env)
    assert first.returncode == 0, first.stderr
    assert "wrote build/booklet.txt" in first.stdout
    assert "essays listed" in first.stdout  # its own stage line
    text = (root / "build" / "booklet.txt").read_text(encoding="utf-8")
    essay = sorted((root / "content" / "essays").iterdir())[0] / "essay.md"
    assert text.count(" by ") == len([p for p in (root / "content" / "essays").iterdir()
                                      if p.is_dir()])

    again = run_booklet(root, "build", "plain-text", env=env)
    assert "build/booklet.txt is up to date" in again.stdout, again.stdout
    # Another edition's stylesheet is not among its sources: still up to date.
    epub_css = root / "styles" / "epub.css"
    epub_css.write_text(epub_css.read_text(encoding="utf-8") + "\np { }\n", encoding="utf-8")
    assert "is up to date" in run_booklet(root, "build", "plain-text", env=env).stdout
    # Its own source is: written again.
    own = root / "styles" / "plain-text.css"
    own.write_text(own.read_text(encoding="utf-8") + "/* changed */\n", encoding="utf-8")
    assert "wrote build/booklet.txt" in run_booklet(root, "build", "plain-text", env=env).stdout
    # And the content: a new title is in the file.
    source = essay.read_text(encoding="utf-8")
    old_title = next(line for line in source.splitlines() if line.startswith("title:"))
    essay.write_text(source.replace(old_title, "title: A title of its own", 1), encoding="utf-8")
    edited = run_booklet(root, "build", "plain-text", env=env)
    assert "wrote build/booklet.txt" in edited.stdout, edited.stderr
    assert "A title of its own by" in (root / "build" / "booklet.txt").read_text(encoding="utf-8")


def test_a_new_edition_is_a_make_target(with_edition):
    root, env = with_edition
    with_make(root)
    made = run_make(root, "plain-text", env=env)
    assert made.returncode == 0, made.stdout + made.stderr
    assert "wrote build/booklet.txt" in made.stdout
    assert "is up to date" in run_make(root, "plain-text", env=env).stdout
    unknown = run_make(root, "no-such-edition", env=env)
    assert unknown.returncode != 0
    assert "build takes any of:" in unknown.stderr and "plain-text" in unknown.stderr


def test_every_edition_is_named_once_and_needs_what_comes_before_it():
    seen = set()
    for e in all_editions():
        assert e.name not in seen
        assert set(e.needs) | set(e.reads) <= seen, e.name
        assert edition(e.name) is e
        seen.add(e.name)
    assert names() == tuple(e.name for e in all_editions())
    # What an edition needs is built with it, before it.
    needed = [e.name for e in with_needs(["web"])]
    assert needed[-1] == "web" and set(edition("web").needs) <= set(needed)


def test_booklet_check_checks_every_edition_that_has_a_validator(tmp_path):
    """With nothing built, each such edition's file is named as missing: the command
    goes through the editions, not a list of files."""
    root = copy_fixture(tmp_path / "project")
    result = run_booklet(root, "check")
    assert result.returncode == 1
    checked = [e for e in all_editions() if e.check]
    assert len(checked) >= 4  # the three PDFs with the audit, the EPUB with its validators
    for e in checked:
        assert f"booklet check {e.check} build/{e.output}" in result.stdout
        assert f"build/{e.output} does not exist" in result.stderr
    for e in all_editions():
        if not e.check:
            assert f"build/{e.output}" not in result.stdout + result.stderr
