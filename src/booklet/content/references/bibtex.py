"""A BibTeX or BibLaTeX file (references.bib, as Better BibTeX exports it) as CSL items.

Read here into the CSL items content/references/csl.py knows, each field keeping its
line, so that a .bib list is validated by the same code as every other format, at its
lines. Only
what reference lists need is read: the usual entry types and fields, braces, and the
LaTeX accents and dashes reference managers write.
"""

from __future__ import annotations

import re
from pathlib import Path

from booklet.content.source import Mapping, Sequence
from booklet.errors import BookletError, Problem

TYPES = {"article": "article-journal", "book": "book", "incollection": "chapter",
         "inbook": "chapter", "inproceedings": "paper-conference", "phdthesis": "thesis",
         "mastersthesis": "thesis", "thesis": "thesis", "techreport": "report",
         "report": "report", "online": "webpage", "misc": "document",
         "unpublished": "manuscript", "booklet": "pamphlet", "manual": "book"}
FIELDS = {"title": "title", "journal": "container-title", "journaltitle": "container-title",
          "booktitle": "container-title", "volume": "volume", "number": "issue",
          "issue": "issue", "pages": "page", "publisher": "publisher",
          "address": "publisher-place", "location": "publisher-place", "edition": "edition",
          "url": "URL", "doi": "DOI", "school": "publisher", "institution": "publisher",
          "type": "genre", "editor_note": "editor_note", "uncited": "uncited",
          "added_by_editor": "added_by_editor"}
_ACCENTS = {"'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303",
            "c": "\u0327", "v": "\u030c", "=": "\u0304", ".": "\u0307", "u": "\u0306",
            "H": "\u030b", "k": "\u0328"}
_LETTERS = {"ss": "ß", "o": "ø", "O": "Ø", "aa": "å", "AA": "Å", "ae": "æ", "AE": "Æ",
            "l": "ł", "L": "Ł", "i": "ı"}


def parse_bibtex(text: str, path: Path) -> Sequence:
    out = Sequence()
    out.line, out.item_lines = 1, []
    pos = 0
    while (at := text.find("@", pos)) >= 0:
        match = re.match(r"@\s*(\w+)\s*([{(])", text[at:])
        if not match:
            pos = at + 1
            continue
        kind = match.group(1).lower()
        start = at + match.end()
        end = _closing(text, start - 1, path)
        pos = end + 1
        if kind in ("comment", "preamble", "string"):
            continue
        item = _entry(kind, text, start, end, path)
        out.append(item)
        out.item_lines.append(item.line)
    return out


def _line(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _closing(text: str, open_at: int, path: Path) -> int:
    """Where the bracket opened at `open_at` closes."""
    opener = text[open_at]
    closer = "}" if opener == "{" else ")"
    depth = 0
    for i in range(open_at, len(text)):
        if text[i] == "{" or (opener == "(" and text[i] == "("):
            depth += 1
        elif text[i] == "}" or (opener == "(" and text[i] == ")"):
            depth -= 1
            if depth == 0 and text[i] == closer:
                return i
    raise BookletError(Problem("B101", "a BibTeX entry is never closed", path,
                               _line(text, open_at),
                               hint="every @type{key, …} needs its closing brace"))


def _entry(kind: str, text: str, start: int, end: int, path: Path) -> Mapping:
    item = Mapping()
    item.line, item.key_lines = _line(text, start), {}
    key = re.match(r"\s*([^,\s]+)\s*,", text[start:end])
    if not key:
        raise BookletError(Problem("B101", "a BibTeX entry without its key", path,
                                   _line(text, start), hint="write @article{best2016, …}"))
    item["id"], item.key_lines["id"] = key.group(1), item.line
    item["type"] = TYPES.get(kind, "document")
    item.key_lines["type"] = item.line
    pos = start + key.end()
    fields = {}
    while pos < end:
        field = re.match(r"\s*([\w-]+)\s*=\s*", text[pos:end])
        if not field:
            if text[pos:end].strip(" \t\n,"):
                raise BookletError(Problem("B101", "malformed BibTeX: a field is not "
                                           "name = {value}", path, _line(text, pos)))
            break
        name, line = field.group(1).lower(), _line(text, pos + field.start(1))
        pos += field.end()
        value, pos = _value(text, pos, end, path)
        fields[name] = (value, line)
        pos = _after_comma(text, pos, end)
    for name, (value, line) in fields.items():
        if name in ("author", "editor"):
            _put(item, name, [_name(n) for n in _split_names(value)], line)
        elif name == "year":
            _put(item, "issued", {"date-parts": [[value.strip()]]}, line)
        elif name == "date" and "year" not in fields:
            _put(item, "issued", {"date-parts": [_date_parts(value)]}, line)
        elif name == "urldate":
            _put(item, "accessed", {"date-parts": [_date_parts(value)]}, line)
        elif name in FIELDS:
            _put(item, FIELDS[name], _latex(value), line)
    if kind == "phdthesis" and "genre" not in item:
        _put(item, "genre", "PhD thesis", item.line)
    return item


def _put(item: Mapping, name: str, value, line: int) -> None:
    if name not in item:
        item[name] = value
        item.key_lines[name] = line


def _value(text: str, pos: int, end: int, path: Path) -> tuple[str, int]:
    parts = []
    while True:
        while pos < end and text[pos] in " \t\n":
            pos += 1
        if pos < end and text[pos] == "{":
            close = _closing(text, pos, path)
            parts.append(text[pos + 1:close])
            pos = close + 1
        elif pos < end and text[pos] == '"':
            close = pos + 1
            depth = 0
            while close < end and (text[close] != '"' or depth):
                depth += {"{": 1, "}": -1}.get(text[close], 0)
                close += 1
            parts.append(text[pos + 1:close])
            pos = close + 1
        else:
            bare = re.match(r"[\w.:/-]+", text[pos:end])
            parts.append(bare.group(0) if bare else "")
            pos += bare.end() if bare else 0
        rest = re.match(r"\s*#\s*", text[pos:end])  # "a" # {b}: concatenation
        if not rest:
            return "".join(parts), pos
        pos += rest.end()


def _after_comma(text: str, pos: int, end: int) -> int:
    match = re.match(r"\s*,?", text[pos:end])
    return pos + match.end()


def _split_names(value: str) -> list[str]:
    names, depth, current = [], 0, ""
    for word in re.split(r"(\s+and\s+|[{}])", value):
        if word == "{":
            depth += 1
        elif word == "}":
            depth -= 1
        if depth == 0 and re.fullmatch(r"\s+and\s+", word):
            names.append(current)
            current = ""
        else:
            current += word
    names.append(current)
    return [n.strip() for n in names if n.strip()]


def _name(name: str) -> dict:
    if name.startswith("{") and name.endswith("}") and name.count("{") == 1:
        return {"literal": _latex(name)}
    plain = _latex(name)
    if "," in plain:
        family, given = plain.split(",", 1)
        return {"family": family.strip(), "given": given.strip()}
    words = plain.split()
    if len(words) == 1:
        return {"family": words[0]}
    particles = [w for w in words[:-1] if w.islower()]
    given = [w for w in words[:-1] if not w.islower()]
    return {"family": " ".join(particles + [words[-1]]), "given": " ".join(given)}


def _date_parts(value: str) -> list:
    return [int(p) if p.isdigit() else p for p in re.split(r"-", value.strip())[:3]]


def _latex(value: str) -> str:
    """LaTeX as text: accents, \\&, dashes, braces and ~ as a space."""
    def accent(match):
        mark, letter = match.group(1), match.group(2) or match.group(3)
        return letter + _ACCENTS.get(mark, "")
    text = re.sub(r"\\([\'`^\"~=.])\s*(?:\{(\w)\}|(\w))", accent, value)
    text = re.sub(r"\\([cvuHk])\s*(?:\{(\w)\}|\s(\w))", accent, text)
    text = re.sub(r"\\(ss|aa|AA|ae|AE|o|O|l|L|i)\b", lambda m: _LETTERS[m.group(1)], text)
    text = re.sub(r"\\([&%$#_])", r"\1", text)
    text = text.replace("---", "—").replace("--", "–").replace("~", " ")
    text = re.sub(r"[{}]", "", text)
    import unicodedata

    return unicodedata.normalize("NFC", re.sub(r"\s+", " ", text)).strip()
