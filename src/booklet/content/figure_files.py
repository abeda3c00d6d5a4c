"""What a figure file must be before either output may carry it.

The PDF renders figures through the sandboxed fetcher, but the EPUB ships each file as
it is, to be opened by a reading system. So a figure is checked here, once, by reading
it as data and never rendering it:

- SVG is read with expat, event by event (no tree, no recursion, no entity expansion):
  no DOCTYPE (entities can expand into gigabytes or read files), no processing
  instructions (<?xml-stylesheet …?> loads a stylesheet), no script, foreignObject,
  animation or other active elements, no on…= event handlers, and every href, src or
  url(…) points inside the file itself (#id). Nesting is capped.
- PNG and JPEG are opened with Pillow, which reads the header only; the pixel
  dimensions are capped so that decoding cannot exhaust memory.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from xml.parsers import expat

from booklet.errors import Problem

MAX_FIGURE_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000  # 40 megapixels: an A5 page at 600 dpi is 17.5 million
MAX_SIDE = 20_000
MAX_SVG_DEPTH = 64
MAX_SVG_ELEMENTS = 100_000

SVG_NS = "http://www.w3.org/2000/svg"
# Elements that run code, embed other documents or change attributes over time (an
# animation can rewrite an href to javascript:). Compared by local name, any namespace.
ACTIVE_ELEMENTS = {
    "script", "foreignobject", "iframe", "object", "embed", "audio", "video", "canvas",
    "handler", "listener", "animate", "animatemotion", "animatetransform", "animatecolor",
    "set", "discard",
}
LINK_ATTRIBUTES = {"href", "src"}  # xlink:href arrives as (xlink namespace, href)
# CSS functions whose string arguments are URLs (url() itself may also be a bare token).
URL_FUNCTIONS = {"url", "src", "image", "image-set", "-webkit-image-set", "cross-fade"}


class _Refused(Exception):
    def __init__(self, code: str, message: str, hint: str):
        super().__init__(message)
        self.code, self.message, self.hint = code, message, hint
        self.where: tuple[int, int] | None = None


def check_figure_file(path: Path) -> list[Problem]:
    """Problems with the figure file at `path` (which exists and is a regular file)."""
    size = path.stat().st_size
    if size > MAX_FIGURE_BYTES:
        return [Problem("B220", f"the figure file is {size} bytes; the limit is "
                        f"{MAX_FIGURE_BYTES // 2**20} MiB", path,
                        hint="export it smaller, or simplify the drawing")]
    if path.suffix.lower() == ".svg":
        return _check_svg(path)
    return _check_raster(path)


def _check_svg(path: Path) -> list[Problem]:
    data = path.read_bytes()
    parser = expat.ParserCreate(namespace_separator=" ")
    state = {"depth": 0, "elements": 0, "root": None, "style": None}  # style: (where, text)

    def where() -> tuple[int, int]:
        return parser.CurrentLineNumber, parser.CurrentColumnNumber + 1

    def located(handler):
        """The handler, noting where its event starts if it refuses (later is too late)."""
        def run(*args):
            try:
                handler(*args)
            except _Refused as refused:
                refused.where = refused.where or where()
                raise
        return run

    def refuse_doctype(*_):
        raise _Refused("B241", "the SVG has a DOCTYPE", "delete the <!DOCTYPE …> line: an "
                       "SVG needs none, and its entities can expand without bound or read files")

    def refuse_pi(target, _data):
        raise _Refused("B241", f"the SVG has a processing instruction <?{target} …?>",
                       "delete it: it can load a stylesheet from elsewhere")

    def check_reference(value: str, what: str) -> None:
        if not value.strip().startswith("#"):
            raise _Refused("B300", f"the SVG refers to {_short(value)!r} in {what}",
                           "keep the drawing self-contained: embed no images, fonts or "
                           "stylesheets from other files or the network; refer only to "
                           "#ids inside the SVG")

    def check_css(text: str, what: str) -> None:
        for kind, value in _css_references(text):
            if kind == "import":
                raise _Refused("B300", f"the SVG's {what} imports a stylesheet",
                               "keep the styles inside the SVG")
            check_reference(value, what)

    def start(name, attrs):
        state["depth"] += 1
        state["elements"] += 1
        local = name.rsplit(" ", 1)[-1]
        namespace = name.rsplit(" ", 1)[0] if " " in name else ""
        if state["root"] is None:
            state["root"] = local
            if local != "svg" or namespace != SVG_NS:
                raise _Refused("B222", f"the file's root element is <{local}>, not an SVG "
                               "<svg> element", "save the drawing as SVG")
        if state["depth"] > MAX_SVG_DEPTH or state["elements"] > MAX_SVG_ELEMENTS:
            raise _Refused("B222", "the SVG is nested too deeply or has too many elements",
                           f"simplify it (at most {MAX_SVG_DEPTH} levels, "
                           f"{MAX_SVG_ELEMENTS} elements)")
        if local.lower() in ACTIVE_ELEMENTS:
            raise _Refused("B241", f"the SVG holds a <{local}> element",
                           "a figure is a still drawing: remove scripts, embedded documents "
                           "and animation")
        for key, value in attrs.items():
            attr = key.rsplit(" ", 1)[-1].lower()
            if attr.startswith("on"):
                raise _Refused("B241", f"the SVG has an event handler {attr}= on <{local}>",
                               "remove it: a figure runs no code")
            if attr in LINK_ATTRIBUTES:
                check_reference(value, f"{attr}= on <{local}>")
            elif attr == "style" or "(" in value:  # fill="url(#g)", also u\72l( escaped
                check_css(value, f"{attr}= on <{local}>")
        if local == "style":
            state["style"] = (where(), [])

    def end(name):
        state["depth"] -= 1
        if name.rsplit(" ", 1)[-1] == "style" and state["style"]:
            start_at, pieces = state["style"]
            state["style"] = None
            try:  # the whole style sheet at once: a url( may span several text events
                check_css("".join(pieces), "<style> element")
            except _Refused as refused:
                refused.where = start_at
                raise

    def text(data):
        if state["style"]:
            state["style"][1].append(data)

    parser.StartDoctypeDeclHandler = located(refuse_doctype)
    parser.EntityDeclHandler = located(refuse_doctype)
    parser.ProcessingInstructionHandler = located(refuse_pi)
    parser.StartElementHandler = located(start)
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    try:
        parser.Parse(data, True)
    except _Refused as refused:
        line, column = refused.where or where()
        return [Problem(refused.code, refused.message, path, line, column, hint=refused.hint)]
    except expat.ExpatError as exc:
        return [Problem("B222", f"the SVG is not well-formed XML "
                        f"({expat.errors.messages.get(exc.code, exc)})",
                        path, exc.lineno, exc.offset + 1,
                        hint="open it in a drawing program and save it again as plain SVG")]
    except RecursionError:  # pragma: no cover - expat does not recurse; a safety net
        return [Problem("B222", "the SVG is nested too deeply", path)]
    return []


def _css_references(text: str):
    """("import", "") for an @import, ("url", target) for every URL, in CSS `text`.

    Read with tinycss2 (WeasyPrint's CSS tokenizer), so that escapes such as u\\72l( are
    seen as the url( a reading system would see. The walk uses a stack, not recursion.
    """
    import tinycss2

    stack = list(tinycss2.parse_component_value_list(text))
    while stack:
        node = stack.pop()
        kind = node.type
        if kind == "at-keyword" and node.lower_value == "import":
            yield "import", ""
        elif kind == "url":
            yield "url", node.value
        elif kind == "function":
            if node.lower_name in URL_FUNCTIONS:
                for arg in node.arguments:
                    if arg.type == "string":
                        yield "url", arg.value
            stack.extend(node.arguments)
        elif kind in ("() block", "[] block", "{} block"):
            stack.extend(node.content)


def _check_raster(path: Path) -> list[Problem]:
    from PIL import Image  # WeasyPrint's own dependency; imported only when needed

    expected = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG"}[path.suffix.lower()]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as image:  # reads the header; decodes nothing
                found, (width, height) = image.format, image.size
    except Image.DecompressionBombError:
        return [Problem("B222", "the image has far too many pixels to decode safely", path,
                        hint=f"export it at most {MAX_SIDE} pixels a side")]
    except Exception as exc:  # noqa: BLE001 - Pillow raises many kinds for a bad file
        return [Problem("B222", f"the file is not a readable {expected} image "
                        f"({type(exc).__name__})", path,
                        hint=f"export the figure again as {expected}")]
    if found != expected:
        return [Problem("B222", f"the file is a {found} image, but its name says {expected}",
                        path, hint=f"export it as {expected}, or rename it")]
    if width < 1 or height < 1 or max(width, height) > MAX_SIDE or width * height > MAX_PIXELS:
        return [Problem("B222", f"the image is {width}×{height} pixels; the limit is "
                        f"{MAX_SIDE} a side and {MAX_PIXELS // 1_000_000} megapixels", path,
                        hint="export it smaller: 300 dpi at the printed size is plenty")]
    return []


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
