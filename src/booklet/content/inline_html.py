"""The few inline HTML elements an essay may use, and what each becomes in the model.

The whitelist: inside a paragraph, and only there,

    <em>, <i>            -> model.Emphasis (italic, as `*…*`)
    <strong>, <b>        -> model.Strong (bold, as `**…**`)
    <br>, <br/>          -> model.LineBreak
    <sub>, <sup>         -> their words, unmarked: the model has no sub- or superscript
    <abbr title="…">     -> its words; the expansion in `title` is not printed
    <span lang="…">      -> model.Language: its words, in that language

Attributes: `lang` (a BCP 47 tag) on any of them but <br>, and `title` on <abbr>, where it
is required, as `lang` is on <span>; `dir` (rtl, ltr or auto) on <span>. An element with
`lang` becomes a model.Language around what it holds, so the language reaches both
outputs; a right-to-left language (Arabic, Hebrew …) gets dir="rtl" without asking. Every element must be closed in the paragraph that
opens it, in order. Everything else is refused with B240: script, style, iframe, object,
img, a, forms and every other element, any other attribute (on…= event handlers, style=,
class=, href=, src= …), comments, CDATA sections, processing instructions and declarations.
Raw HTML as a block of its own (a line holding only a tag) is refused too.

So that the words of <sub>, <sup>, <abbr> and <span> reach both outputs they are mapped
onto the nodes the templates already know (their text), not onto new node kinds the
templates would silently drop.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# name -> (attributes allowed, attributes required)
ALLOWED_HTML: dict[str, tuple[frozenset, frozenset]] = {
    "em": (frozenset({"lang"}), frozenset()),
    "i": (frozenset({"lang"}), frozenset()),
    "strong": (frozenset({"lang"}), frozenset()),
    "b": (frozenset({"lang"}), frozenset()),
    "sub": (frozenset({"lang"}), frozenset()),
    "sup": (frozenset({"lang"}), frozenset()),
    "abbr": (frozenset({"lang", "title"}), frozenset({"title"})),
    "span": (frozenset({"lang", "dir"}), frozenset({"lang"})),
    "br": (frozenset(), frozenset()),
}
VOID = {"br"}
EMPHASIS = {"em", "i"}
STRONG = {"strong", "b"}
ALLOWED_HTML_NAMES = tuple(ALLOWED_HTML)

LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
DIRECTIONS = ("rtl", "ltr", "auto")
# Languages and scripts written right to left (BCP 47 primary and script subtags).
RTL_LANGUAGES = {"ar", "arc", "ckb", "dv", "fa", "he", "iw", "ks", "ku-arab", "pa-arab",
                 "ps", "sd", "syr", "ug", "ur", "yi"}
RTL_SCRIPTS = {"arab", "hebr", "syrc", "thaa", "nkoo", "adlm", "rohg"}


def direction_of(lang: str) -> str:
    """"rtl" if the language tag names a right-to-left language or script, else ""."""
    parts = lang.lower().split("-")
    script = next((p for p in parts[1:] if len(p) == 4 and p.isalpha()), None)
    if script is not None:
        return "rtl" if script in RTL_SCRIPTS else ""
    return "rtl" if parts[0] in RTL_LANGUAGES else ""
_ATTR = r"""[A-Za-z_:][A-Za-z0-9_.:-]*(?:\s*=\s*(?:[^"'=<>`\x00-\x20]+|'[^']*'|"[^"]*"))?"""
_OPEN = re.compile(rf"^<([A-Za-z][A-Za-z0-9-]*)((?:\s+{_ATTR})*)\s*(/?)>$")
_CLOSE = re.compile(r"^</([A-Za-z][A-Za-z0-9-]*)\s*>$")
_ONE_ATTR = re.compile(
    r"""([A-Za-z_:][A-Za-z0-9_.:-]*)(?:\s*=\s*([^"'=<>`\x00-\x20]+|'[^']*'|"[^"]*"))?""")


@dataclass(frozen=True)
class HtmlTag:
    name: str  # lower case
    closing: bool
    self_closing: bool
    attrs: tuple[tuple[str, str | None], ...]  # (lower-case name, value or None)
    source: str


def parse_tag(source: str) -> HtmlTag | None:
    """An open or close tag; None for a comment, CDATA, declaration or instruction."""
    if m := _CLOSE.match(source):
        return HtmlTag(m.group(1).lower(), True, False, (), source)
    if m := _OPEN.match(source):
        attrs = tuple((a.group(1).lower(), _unquote(a.group(2)))
                      for a in _ONE_ATTR.finditer(m.group(2)))
        return HtmlTag(m.group(1).lower(), False, bool(m.group(3)), attrs, source)
    return None


def _unquote(value: str | None) -> str | None:
    if value is not None and len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def tag_problem(tag: HtmlTag) -> str | None:
    """Why an element may not be used, or None if it is on the whitelist as written."""
    if tag.name not in ALLOWED_HTML:
        return f"the HTML element <{tag.name}> is not accepted"
    if tag.closing:
        return f"</{tag.name}> closes an element that has no end tag" if tag.name in VOID else None
    if tag.self_closing and tag.name not in VOID:
        return f"<{tag.name}/> closes itself; write <{tag.name}>…</{tag.name}>"
    allowed, required = ALLOWED_HTML[tag.name]
    seen = set()
    for name, value in tag.attrs:
        if name.startswith("on"):
            return f"the event-handler attribute {name}= is not accepted"
        if name not in allowed:
            return f"the attribute {name}= is not accepted on <{tag.name}>" + (
                f" (only {', '.join(sorted(allowed))})" if allowed else "")
        if name in seen:
            return f"the attribute {name}= is given twice"
        seen.add(name)
        if not (value or "").strip():
            return f"the attribute {name}= on <{tag.name}> is empty"
        if name == "lang" and not LANGUAGE_TAG.match(value):
            return f"lang={value!r} is not a language tag (e.g. fr, de-CH)"
        if name == "dir" and value.lower() not in DIRECTIONS:
            return f"dir={value!r} is not a direction (rtl, ltr or auto)"
    for name in sorted(required - seen):
        return f"<{tag.name}> needs a {name}= attribute"
    return None
