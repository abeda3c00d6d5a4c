"""What booklet derives from its program and its fonts, kept in the user's cache folder
(booklet/machine_cache.py): the hyphenation patterns and the templates' code
(render/compiled.py), each font's character map (typefaces.py). Kept or not, the
booklet must come out the same."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import FIXTURE, ROOT

# Every word of a booklet's essays hyphenated, in a fresh interpreter.
HYPHENATED = """
import sys, re
from pathlib import Path
from booklet.content import load_booklet
from booklet.render.hyphenation import hyphenate
words = set()
for content in sys.argv[1:]:
    language = load_booklet(Path(content)).language
    for essay in sorted(Path(content).glob("essays/*/essay.md")):
        words |= set(re.findall(r"[a-z]{8,}", essay.read_text(encoding="utf-8")))
print("\\n".join(hyphenate(word, language) for word in sorted(words)))
"""


def _run(code: str, cache: Path, *args: str) -> str:
    result = subprocess.run([sys.executable, "-c", code, *args], capture_output=True,
                            text=True, timeout=300, env={"XDG_CACHE_HOME": str(cache),
                                                         "PATH": "/usr/bin:/bin",
                                                         "HOME": str(cache)})
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_kept_patterns_hyphenate_every_word_as_pyphens_own_parse(tmp_path):
    cache = tmp_path / "cache"
    contents = (str(ROOT / "content"), str(FIXTURE / "content"))
    parsed = _run(HYPHENATED, cache, *contents)  # parses, and keeps the patterns
    [kept] = (cache / "booklet").glob("hyphenation-*/*.marshal")
    again = _run(HYPHENATED, cache, *contents)  # reads them back
    assert parsed == again
    assert len(parsed.splitlines()) > 500 and "\u00ad" in parsed
    # A damaged file is parsed again (and kept anew), never trusted.
    kept.write_bytes(b"not marshal data")
    assert _run(HYPHENATED, cache, *contents) == parsed
    assert kept.read_bytes() != b"not marshal data"


def test_a_cache_folder_that_cannot_be_written_changes_nothing(tmp_path):
    (tmp_path / "cache").write_text("a file where the folder would be")
    contents = (str(ROOT / "content"),)
    assert _run(HYPHENATED, tmp_path / "cache", *contents) == _run(
        HYPHENATED, tmp_path / "other", *contents)


RENDERED = """
import sys
from pathlib import Path
from booklet.content import load_booklet
from booklet.render.templates import render_print_parts
parts = render_print_parts(load_booklet(Path(sys.argv[1])), "2026-12-01T00:00:00Z")
print(parts.front_marked + "".join(parts.essays) + parts.back)
"""


def test_the_templates_kept_compiled_render_the_same(tmp_path):
    cache = tmp_path / "cache"
    first = _run(RENDERED, cache, str(FIXTURE / "content"))
    assert list((cache / "booklet").glob("templates-*/__jinja2_*.cache"))
    assert _run(RENDERED, cache, str(FIXTURE / "content")) == first


CODE_POINTS = """
import sys
from pathlib import Path
from booklet.typefaces import _code_points
for path in sorted(Path(sys.argv[1]).glob("*.ttf")):
    print(path.name, len(_code_points(path)), hash(tuple(sorted(_code_points(path)))))
"""


def test_kept_character_maps_are_the_fonts_own(tmp_path):
    # booklet/typefaces.py keeps each font file's character map (machine_cache): the
    # coverage every B250 check and the colophon rely on must be the font's own.
    from fontTools.ttLib import TTFont

    cache = tmp_path / "cache"
    fonts = ROOT / "styles" / "fonts"
    first = _run(CODE_POINTS, cache, str(fonts))
    kept = sorted((cache / "booklet").glob("fonts-*/*.marshal"))
    assert len(kept) == len(list(fonts.glob("*.ttf")))
    assert _run(CODE_POINTS, cache, str(fonts)) == first
    for line in first.splitlines():
        name, count, _ = line.split()
        with TTFont(fonts / name, lazy=True) as font:
            assert int(count) == len(font.getBestCmap()), name
    for entry in kept:
        entry.write_bytes(b"\x00")  # damaged: read from the fonts again
    assert _run(CODE_POINTS, cache, str(fonts)) == first


def test_without_a_home_folder_nothing_is_kept_and_the_booklet_is_the_same(tmp_path):
    # No HOME and no XDG_CACHE_HOME (a bare service account): nothing is kept, not even
    # in a folder named "~" where the build runs.
    code = ("import os, sys\nos.environ.pop('HOME', None)\nos.environ.pop('XDG_CACHE_HOME', None)\n"
            "import pwd\npwd.getpwuid = lambda uid: (_ for _ in ()).throw(KeyError(uid))\n"
            + HYPHENATED)
    result = subprocess.run([sys.executable, "-c", code, str(ROOT / "content")], cwd=tmp_path,
                            capture_output=True, text=True, timeout=300,
                            env={"PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    assert result.stdout == _run(HYPHENATED, tmp_path / "cache", str(ROOT / "content"))
    assert list(tmp_path.iterdir()) == [tmp_path / "cache"]
