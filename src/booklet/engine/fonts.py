"""Only the shipped fonts: WeasyPrint may draw no character from a system font.

WeasyPrint's FontConfiguration loads the machine's fontconfig setup, so a character
the booklet's fonts lack is quietly drawn from DejaVu or whatever the build machine
has, and the PDF differs from machine to machine. `shipped_fonts_only()` makes the
FontConfiguration from a private fontconfig file instead (FONTCONFIG_FILE is read each
time fontconfig loads a configuration): it knows no font directory at all, so the
faces declared by @font-face in styles/fonts.css are the only ones there are, and any
family asked for by name (in an SVG figure, say) falls back to them in their order.

`unshipped_characters` then reads every laid-out line: a character no shipped font
has would print as an empty box, so it stops the build (B251). Characters from
content/ never get this far (the content stage refuses them with file and line,
B250); this catches what a template or a stylesheet adds.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import tempfile
import weakref
from pathlib import Path

def private_config(families: tuple[str, ...]) -> str:
    """A fontconfig file with no font directories, so no system font; and the shipped
    families appended to every request, in order, so that a family nothing ships (an
    SVG figure's "Arial", a generic "sans-serif") falls back to ours, as print.css does."""
    from xml.sax.saxutils import escape

    strings = "".join(f"<string>{escape(f)}</string>" for f in families)
    return ('<?xml version="1.0"?>\n'
            '<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
            "<!-- booklet: no font directories, no system fonts; only @font-face faces. -->\n"
            '<fontconfig><match target="pattern">'
            f'<edit name="family" mode="append_last">{strings}</edit>'
            "</match></fontconfig>\n")


@contextlib.contextmanager
def _fontconfig_file(path: Path):
    old = os.environ.get("FONTCONFIG_FILE")
    os.environ["FONTCONFIG_FILE"] = str(path)
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("FONTCONFIG_FILE", None)
        else:
            os.environ["FONTCONFIG_FILE"] = old


def shipped_font_configuration(families: tuple[str, ...]):
    """A WeasyPrint FontConfiguration that holds no font until @font-face adds one."""
    from weasyprint.text.fonts import FontConfiguration

    with tempfile.TemporaryDirectory(prefix="booklet-fontconfig-") as folder:
        config = Path(folder) / "fonts.conf"
        config.write_text(private_config(families), encoding="utf-8")
        with _fontconfig_file(config):
            made = FontConfiguration()
    _MADE.add(made)
    return made


# WeasyPrint copies each @font-face font into a folder of its own (its `_folder`) and
# removes it when the FontConfiguration is collected; the command leaves without
# collecting (cli.run), so the folders still there are removed at exit. (A forked
# task's go with the scratch folder its parent removes: parallel.py.)
_MADE: weakref.WeakSet = weakref.WeakSet()


@atexit.register
def _remove_font_folders() -> None:
    for made in list(_MADE):
        folder = getattr(made, "_folder", None)
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)


def unshipped_characters(document, typefaces) -> list[tuple[str, str]]:
    """(character, the line it is in) for each laid-out character no shipped font has."""
    from weasyprint.formatting_structure import boxes

    found: dict[str, str] = {}

    def walk(box):
        if isinstance(box, boxes.TextBox):
            for char in box.text or "":
                if char not in found and not typefaces.has(char):
                    found[char] = box.text.strip()
        for child in getattr(box, "children", ()):
            walk(child)

    for page in document.pages:
        walk(page._page_box)
    return list(found.items())
