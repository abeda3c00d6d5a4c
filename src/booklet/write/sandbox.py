"""The only door through which WeasyPrint may read: files under the allowed folders.

Content may come from students' own files and CSS from anyone, so a stylesheet or an
image must never reach the network, another user's files or the machine's secrets.
Every fetch WeasyPrint makes (stylesheets, @import, url() in CSS, @font-face sources,
images, images inside SVG, attachments: see GHSA-35jj-wx47-4w8r) goes through
`SandboxedFetcher.fetch`, which allows only `file:` URLs whose real path (symbolic links
followed) lies under one of the roots: content/, styles/ and the package's templates.
There is no other protocol: a build makes no network request, not even to localhost.

A refusal is recorded in `refused` (one sentence per URL, for the B300 message) and
raised; with fail_on_errors WeasyPrint turns it into FatalURLFetchingError, which stops
the build.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

import tinycss2
import booklet.write.weasyprint_import  # noqa: F401  (first: see its docstring)
from weasyprint.urls import URLFetcher

from booklet.content.figure_files import URL_FUNCTIONS as _URL_FUNCTIONS
from booklet.errors import BookletError, Problem

MAX_RESOURCE_BYTES = 20 * 1024 * 1024  # a font is ~100 kB; a figure is capped at 5 MiB
# WeasyPrint names each raster image in the PDF by a digest of its URL, so resources are
# shown to it under this one fixed root, whatever folder the project was checked out in:
# the same tree then makes the same bytes in any folder. The fetcher maps it back.
PROJECT_URL = "file:///booklet-project/"


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


class SandboxedFetcher(URLFetcher):
    def __init__(self, roots: list[Path], project_root: Path | None = None):
        # fail_on_errors: a refused or missing resource stops the build instead of
        # leaving a hole in the booklet.
        super().__init__(fail_on_errors=True, allowed_protocols={"file"}, allow_redirects=False)
        self.roots = [r.resolve() for r in roots]
        self.project_root = project_root
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        if self.project_root is not None and url.startswith(PROJECT_URL):
            # Joined as a path, then checked like any other: "../" cannot climb out.
            url = (self.project_root.absolute() / unquote(url[len(PROJECT_URL):])).as_uri()
        path, why = allowed_path(url, self.roots)
        if path is None:
            self.refused.append(f"refused to read {_short(url)!r}: {why}")
            raise ResourceRefused(self.refused[-1])
        if path.stat().st_size > MAX_RESOURCE_BYTES:
            self.refused.append(f"refused to read {_short(url)!r}: it is larger than "
                                f"{MAX_RESOURCE_BYTES // 2**20} MiB")
            raise ResourceRefused(self.refused[-1])
        return super().fetch(path.as_uri(), headers)


def _short(url: str, limit: int = 100) -> str:
    return url if len(url) <= limit else url[: limit - 1] + "…"


FONT_TYPES = {".ttf": "font/ttf", ".otf": "font/otf", ".woff": "font/woff",
              ".woff2": "font/woff2"}


def self_contained_stylesheet(path: Path, roots: list[Path]) -> tuple[bytes, list[str]]:
    """The bytes of a stylesheet that goes into the EPUB as it is, and the font files
    (relative to it, e.g. "fonts/X.ttf") that it names and the EPUB must carry.

    Nothing fetches it at build time, so the fetcher never sees it: a reading system
    would follow its url() and @import instead, to the network or to a file the EPUB
    lacks. So the only address it may hold is a font file beside it in styles/, in the
    src of an @font-face rule: the EPUB carries those fonts, and nothing else.
    """
    where, why = allowed_path(path.absolute().as_uri(), [r.resolve() for r in roots])
    if where is None:
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
                fonts.append(_font_file(address, path, node, roots))
                continue
            if kind == "url" or name in ("import", "font-face") or name in _URL_FUNCTIONS:
                shown = "url(…)" if kind == "url" else f"@{name}" if kind == "at-rule" \
                    else f"{name}(…)"
                raise BookletError(Problem(
                    "B300", f"the e-book stylesheet refers to another resource with {shown}",
                    path, node.source_line, node.source_column,
                    hint="the EPUB carries only the fonts its @font-face rules name, from "
                         "styles/fonts/, and no CSS images: delete the rule"))
    return data, list(dict.fromkeys(fonts))


def _string_argument(node) -> str | None:
    strings = [a.value for a in node.arguments or () if getattr(a, "type", "") == "string"]
    return strings[0] if strings else None


def _font_file(address: str, path: Path, node, roots: list[Path]) -> str:
    """A font an @font-face rule of the e-book's stylesheet names: a file in styles/."""
    parts = urlsplit(address)
    where, why = (None, "it is not a file beside the stylesheet") if (
        parts.scheme or parts.netloc or address.startswith("/")) else allowed_path(
        (path.parent / unquote(parts.path)).absolute().as_uri(), [r.resolve() for r in roots])
    if where is None or where.suffix.lower() not in FONT_TYPES:
        raise BookletError(Problem(
            "B300", f"the e-book stylesheet's @font-face names {address!r}: "
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
