"""What a build may read, and what a stylesheet shipped to readers may name.

Content may come from students' own files and CSS from anyone, so a stylesheet or an
image must never reach the network, another user's files or the machine's secrets. A
build reads only `file:` URLs whose real path (symbolic links followed) lies under one
of the roots: content/, styles/ and the package's templates (`allowed_path`). There is
no other protocol: a build makes no network request, not even to localhost. WeasyPrint
reads through this door (engine/fetcher.py); the EPUB and the web edition ship their
stylesheet as it is, and `shipped_stylesheet` holds it to the same rule for the readers
who will follow its addresses.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

import tinycss2

from booklet.content.figure_files import URL_FUNCTIONS as _URL_FUNCTIONS
from booklet.errors import BookletError, Problem

MAX_RESOURCE_BYTES = 20 * 1024 * 1024  # a font is ~100 kB; a figure is capped at 5 MiB


class ResourceRefused(Exception):
    pass


def allowed_path(url: str, roots: list[Path]) -> tuple[Path | None, str]:
    """(the local file `url` names, '') if it may be read, else (None, why not)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None, "it is not a valid URL"
    if parts.scheme.lower() != "file":
        shown = f"{parts.scheme}:" if parts.scheme else "a relative address"
        return None, f"it uses {shown}; a build reads no network and no address but a file"
    if parts.netloc not in ("", "localhost"):
        return None, f"it names another machine ({parts.netloc})"
    named = Path(unquote(parts.path))
    try:
        path = named.resolve()
    except (OSError, RuntimeError, ValueError):  # a symbolic link loop, a NUL byte …
        return None, "its path cannot be resolved"
    if not any(path.is_relative_to(root) for root in roots):
        link = f"it leads (through a symbolic link) to {path}, " if any(
            named.absolute().is_relative_to(root) for root in roots) else "it lies "
        return None, link + "outside " + ", ".join(f"{root.name}/" for root in roots)
    if not path.is_file():
        return None, "there is no such file"
    return path, ""


FONT_TYPES = {".ttf": "font/ttf", ".otf": "font/otf", ".woff": "font/woff",
              ".woff2": "font/woff2"}


def shipped_stylesheet(path: Path, roots: list[Path], named: str) -> tuple[bytes, list[str]]:
    """The bytes of a stylesheet an edition ships as it is (the EPUB's, the web
    edition's), and the font files (relative to it, e.g. "fonts/X.ttf") that it names
    and the edition must carry. `named` says whose it is, for the editor: "the e-book
    stylesheet".

    Nothing fetches it at build time, so WeasyPrint's fetcher never sees it: a reading
    system or a browser would follow its url() and @import instead, to the network or
    to a file the edition lacks. So the only address it may hold is a font file beside
    it in styles/, in the src of an @font-face rule: the edition carries those fonts,
    and nothing else.
    """
    where, why = allowed_path(path.absolute().as_uri(), [r.resolve() for r in roots])
    if where is None:  # missing, or a symbolic link out of styles/
        raise BookletError(Problem("B300", f"refused to read {path.name!r}: {why}", path,
                                   hint="keep the stylesheet itself in styles/"))
    data = where.read_bytes()
    rules, _ = tinycss2.parse_stylesheet_bytes(data, skip_comments=True, skip_whitespace=True)
    fonts: list[str] = []
    for rule in rules:
        in_font_face = (getattr(rule, "type", "") == "at-rule"
                        and rule.lower_at_keyword == "font-face")
        for node in walk_css(rule.content if in_font_face else [rule]):
            kind = getattr(node, "type", "")
            name = (getattr(node, "lower_at_keyword", None) if kind == "at-rule"
                    else getattr(node, "lower_name", None) if kind == "function" else None)
            address = (node.value if kind == "url" else
                       _string_argument(node) if name == "url" else None)
            if in_font_face and address is not None:
                fonts.append(_font_file(address, path, node, roots, named))
                continue
            if kind == "url" or name in ("import", "font-face") or name in _URL_FUNCTIONS:
                shown = "url(…)" if kind == "url" else f"@{name}" if kind == "at-rule" \
                    else f"{name}(…)"
                raise BookletError(Problem(
                    "B300", f"{named} refers to another resource with {shown}",
                    path, node.source_line, node.source_column,
                    hint="it may name only the fonts its @font-face rules load, from "
                         "styles/fonts/, which the edition carries, and no CSS images: "
                         "delete the rule"))
    return data, list(dict.fromkeys(fonts))


def _string_argument(node) -> str | None:
    strings = [a.value for a in node.arguments or () if getattr(a, "type", "") == "string"]
    return strings[0] if strings else None


def _font_file(address: str, path: Path, node, roots: list[Path], named: str) -> str:
    """A font an @font-face rule of a shipped stylesheet names: a file in styles/."""
    parts = urlsplit(address)
    where, why = (None, "it is not a file beside the stylesheet") if (
        parts.scheme or parts.netloc or address.startswith("/")) else allowed_path(
        (path.parent / unquote(parts.path)).absolute().as_uri(), [r.resolve() for r in roots])
    if where is None or where.suffix.lower() not in FONT_TYPES:
        raise BookletError(Problem(
            "B300", f"{named}'s @font-face names {address!r}: "
                    f"{why or 'it is not a font file'}", path, node.source_line,
            node.source_column, hint="name a font file in styles/fonts/ by a relative "
                                     "address, e.g. url(fonts/AtkinsonHyperlegibleNext-Regular.ttf)"))
    return unquote(parts.path)


def walk_css(nodes):
    """Every node of a tinycss2 tree, depth first (rules, preludes, blocks, functions)."""
    for node in nodes or ():
        yield node
        for part in ("prelude", "content", "arguments"):
            value = getattr(node, part, None)
            if isinstance(value, list):
                yield from walk_css(value)
