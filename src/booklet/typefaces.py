"""The fonts shipped in styles/fonts/, as styles/fonts.css declares them.

The printed booklet is set only in these (engine/fonts.py hides every system font from
WeasyPrint), so what they cover is what can be printed. The content stage refuses a
character none of them has (B250) with its file and line; the render stage names in
the colophon the families the booklet's text actually needs; the EPUB cover is drawn
with them. fonts.css declares the families in order of preference, the order of
print.css's font-family: each character is drawn from the first family that has it.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import tinycss2

# Characters that need no glyph: controls, format characters (soft hyphen, joiners,
# direction marks, BOM), variation selectors and line or paragraph separators. HarfBuzz
# and Pango handle them without a font.
_NO_GLYPH_CATEGORIES = {"Cc", "Cf", "Zl", "Zp"}


def needs_glyph(char: str) -> bool:
    return (unicodedata.category(char) not in _NO_GLYPH_CATEGORIES
            and not 0xFE00 <= ord(char) <= 0xFE0F)


def describe(char: str) -> str:
    """'U+0175 LATIN SMALL LETTER W WITH CIRCUMFLEX (ŵ)', as an error names it."""
    name = unicodedata.name(char, "an unnamed character")
    return f"U+{ord(char):04X} {name} ({char})"


@dataclass(frozen=True)
class Face:
    family: str
    weight: str  # "400", "700"
    style: str  # "normal", "italic"
    path: Path


@dataclass(frozen=True)
class Typefaces:
    faces: tuple[Face, ...]
    coverage: dict  # family -> frozenset of code points, in order of preference

    @property
    def families(self) -> tuple[str, ...]:
        return tuple(self.coverage)

    def has(self, char: str) -> bool:
        return not needs_glyph(char) or any(ord(char) in c for c in self.coverage.values())

    def family_for(self, char: str) -> str | None:
        code = ord(char)
        return next((f for f, covered in self.coverage.items() if code in covered), None)

    def families_used(self, text: str) -> tuple[str, ...]:
        """The families `text` is drawn from, in order of preference."""
        used = {self.family_for(c) for c in set(text) if needs_glyph(c) and not c.isspace()}
        return tuple(f for f in self.families if f in used)

    def file_for(self, char: str, weight: str = "400", style: str = "normal") -> Path | None:
        """The file a character is drawn from at this weight and style (PIL's choice)."""
        family = self.family_for(char)
        faces = [f for f in self.faces if f.family == family]
        for face in sorted(faces, key=lambda f: (f.weight != weight, f.style != style)):
            return face.path
        return None


    def width(self, text: str, size_pt: float, weight: str = "400",
              style: str = "normal") -> float:
        """The advance width of `text` in points, unkerned: what a line of it needs."""
        if not self.faces:
            return len(text) * size_pt * 0.55  # no readable font: an average letter
        total = 0.0
        for char in text:
            path = self.file_for(char, weight, style) or self.faces[0].path
            advances, units = _advances(path)
            total += advances.get(ord(char), units / 2) / units * size_pt
        return total


@cache
def _advances(path: Path) -> tuple[dict[int, int], int]:
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        metrics = font["hmtx"].metrics
        return ({code: metrics[glyph][0] for code, glyph in font.getBestCmap().items()},
                font["head"].unitsPerEm)


def load_typefaces(styles_dir: Path) -> Typefaces:
    key = _key(styles_dir)
    if key not in _LOADED:
        _LOADED[key] = _load(key[0])
    return _LOADED[key]


# By fonts.css and every file in fonts/, with their times and sizes: a warm process
# (booklet watch) loads them again after an edit to either.
_LOADED: dict[tuple, Typefaces] = {}


def _key(styles_dir: Path) -> tuple:
    css = styles_dir / "fonts.css"
    stamp = tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size)
                  for p in sorted((styles_dir / "fonts").glob("*")) if p.is_file())
    return css, css.stat().st_mtime_ns if css.exists() else 0, stamp


def declared_faces(css: Path) -> list[Face]:
    """The faces a stylesheet's @font-face rules declare, in order, each with the file
    its src names (beside the stylesheet; a symbolic link resolved to where it leads).
    fonts.css states the booklet's typefaces; the stylesheets the EPUB and the web
    edition ship restate them for their readers, and are held to it by a test."""
    return [Face(rule["font-family"], rule.get("font-weight", "400"),
                 rule.get("font-style", "normal"), (css.parent / rule["src"]).resolve())
            for rule in _font_faces(css)]


# What is said of a family beyond its name: what it was made for, and by whom. The
# colophon says both, the EPUB's accessibility summary what it is for.
ABOUT_FAMILY = {
    "Atkinson Hyperlegible Next": ("designed by the Braille Institute",
                                   "for readers with low vision"),
}


def about(family: str, who: bool = True) -> str:
    """'a typeface designed by … for readers with low vision', or '' for a family
    nothing is said of; without `who`, what it is for alone."""
    if family not in ABOUT_FAMILY:
        return ""
    designed, purpose = ABOUT_FAMILY[family]
    return f"a typeface {designed} {purpose}" if who else f"a typeface {purpose}"


def _load(css: Path) -> Typefaces:
    faces = declared_faces(css)
    coverage: dict[str, set] = {}
    readable: list[Face] = []
    styles = css.parent.resolve()
    for face in faces:
        # Only a regular file inside styles/ is read; any other (a symbolic link out, a
        # missing file) is the sandbox's to refuse when WeasyPrint asks for it (B300).
        if not (face.path.is_relative_to(styles) and face.path.is_file()):
            continue
        try:
            covered = _code_points(face.path)
        except Exception:  # noqa: BLE001 - fontTools raises many kinds for a broken file
            continue  # it covers nothing, so what it should have drawn is refused (B250)
        coverage.setdefault(face.family, set()).update(covered)
        readable.append(face)
    return Typefaces(tuple(readable), {f: frozenset(c) for f, c in coverage.items()})


def _code_points(path: Path) -> frozenset[int]:
    """The characters a font file has (its best character map), read once per file on
    this machine (booklet/machine_cache.py): reading the maps of the 13 shipped files
    took 0.09 s of every build, in each process that checks or sets type."""
    import hashlib
    import io

    import fontTools
    from fontTools.ttLib import TTFont

    from booklet import machine_cache

    data = path.read_bytes()

    def read() -> frozenset[int]:
        with TTFont(io.BytesIO(data), lazy=True) as font:
            return frozenset(font.getBestCmap())

    return machine_cache.kept(f"fonts-fonttools{fontTools.version}",
                              hashlib.sha256(data).hexdigest()[:32], read,
                              lambda value: isinstance(value, frozenset))


def _font_faces(css: Path) -> list[dict]:
    if not css.exists():
        return []
    rules = tinycss2.parse_stylesheet(css.read_text(encoding="utf-8"), skip_comments=True,
                                      skip_whitespace=True)
    out = []
    for rule in rules:
        if rule.type != "at-rule" or rule.lower_at_keyword != "font-face":
            continue
        fields = {}
        for decl in tinycss2.parse_blocks_contents(rule.content, skip_comments=True,
                                                   skip_whitespace=True):
            if decl.type != "declaration":
                continue
            values = [v for v in decl.value if v.type not in ("whitespace", "comment")]
            if not values:
                continue
            value = values[0]
            if decl.lower_name == "src":
                url = next((v for v in values if v.type == "url"), None)
                if url is not None:
                    fields["src"] = url.value
            else:
                fields[decl.lower_name] = value.value if value.type == "string" else value.serialize()
        if "font-family" in fields and "src" in fields:
            out.append(fields)
    return out
