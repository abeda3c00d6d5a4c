"""Reading content files: UTF-8 text, front matter and YAML that remember their lines."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from booklet.content.yaml_words import plain_words
from booklet.errors import BookletError, Problem

MAX_FILE_BYTES = 1024 * 1024  # a references.yaml is ~5 kB; anything this big is a mistake
# An essay is ~10 kB. Markdown has its own, lower cap: markdown-it needs ~70 µs a byte on
# hostile input such as "![![![…", so this bounds parsing one file to a few seconds.
MAX_MARKDOWN_BYTES = 256 * 1024
# Characters XML 1.0 forbids (so the EPUB would be broken) and that no editor means to
# type: C0 controls other than tab and line ends, and the non-characters U+FFFE/U+FFFF.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# A YAML value can make them with escapes ("\x0b"), and lone surrogates ("\ud800") too.
_FORBIDDEN_IN_VALUES = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def forbidden_character(text: str) -> str | None:
    """The first character of `text` that no XML document may hold, or None."""
    match = _FORBIDDEN_IN_VALUES.search(text)
    return match.group() if match else None


class Mapping(dict):
    """A YAML mapping that knows the line of each of its keys (1-based)."""

    line: int = 0
    key_lines: dict

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class Sequence(list):
    line: int = 0
    item_lines: list


class _LineLoader(yaml.SafeLoader):
    line_offset = 0  # the file line before the YAML text's first line (front matter: 1)


def _construct_mapping(loader, node):
    loader.flatten_mapping(node)
    result = Mapping()
    result.line = node.start_mark.line + 1 + loader.line_offset
    result.key_lines = {}
    key_marks = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, "a list or mapping used as a field name", key_node.start_mark
            ) from None
        if key in result:  # the first one's place, so that the message can name its line
            raise yaml.constructor.ConstructorError(
                None, key_marks[key], f"duplicate key {key!r}", key_node.start_mark
            )
        key_marks[key] = key_node.start_mark
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1 + loader.line_offset
    return result


def _construct_sequence(loader, node):
    result = Sequence(loader.construct_object(n, deep=True) for n in node.value)
    result.line = node.start_mark.line + 1 + loader.line_offset
    result.item_lines = [n.start_mark.line + 1 + loader.line_offset for n in node.value]
    return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
# Scalars stay the strings the editor wrote: "2020-06-04" is not a datetime, volume 010
# is not the octal number 8, and DOI-like 10.1000 is not the float 10.1. Only null and
# booleans keep their YAML meaning (a boolean where text belongs is reported).
_STRING_TAGS = {"tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:int",
                "tag:yaml.org,2002:float"}
_LineLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag not in _STRING_TAGS]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


if getattr(yaml, "__with_libyaml__", False):
    class _FastLineLoader(yaml.CSafeLoader):
        """The same loader on libyaml's C parser, about ten times faster: a 100-essay
        anthology's 1,650 entries took 3.7 s to parse in pure Python. Only for text
        that parses cleanly: any error, any tab and any character PyYAML's reader
        refuses are left to _LineLoader, so the editor's messages stay exactly as they
        were."""

        line_offset = 0

    _FastLineLoader.yaml_constructors = _LineLoader.yaml_constructors
    _FastLineLoader.yaml_implicit_resolvers = _LineLoader.yaml_implicit_resolvers
else:  # pragma: no cover - PyYAML built without libyaml
    _FastLineLoader = None


def _parse_fast(text: str, first_line: int):
    """The YAML's value by the C parser, or None to have the Python one read it."""
    # A tab is left to the Python parser too: libyaml takes "key:\tvalue", which PyYAML
    # refuses, and the editor's YAML must mean the same whichever parser reads it.
    if _FastLineLoader is None or "\t" in text or yaml.reader.Reader.NON_PRINTABLE.search(text):
        return None
    loader = _FastLineLoader(text)
    loader.line_offset = first_line - 1
    try:
        return (loader.get_single_data(),)
    except Exception:  # noqa: BLE001 - the Python loader says what is wrong, and where
        return None
    finally:
        loader.dispose()


def read_text(path: Path, root: Path | None = None, limit: int | None = None) -> str:
    """The file's text with a BOM dropped and line ends made \\n.

    With `root`, the file (after following symbolic links) must lie inside it. At most
    `limit` bytes are read (MAX_MARKDOWN_BYTES for .md files, else MAX_FILE_BYTES).
    """
    if limit is None:
        limit = MAX_MARKDOWN_BYTES if path.suffix.lower() == ".md" else MAX_FILE_BYTES
    if root is not None:
        inside_or_refuse(path, root)
    try:
        if path.exists() and not path.is_file():
            raise BookletError(Problem("B100", "this is not a regular file", path,
                                       hint="replace it with a plain text file"))
        with path.open("rb") as stream:
            data = stream.read(limit + 1)  # never more, however big the file is
    except OSError as exc:
        raise BookletError(Problem("B100", f"cannot read the file ({exc.strerror or exc})", path,
                                   hint="check the file exists and is readable")) from None
    if len(data) > limit:
        raise BookletError(Problem("B100", f"the file is larger than the limit of "
                                   f"{limit // 1024} KiB", path, hint="is this the right file?"))
    data = data.removeprefix(b"\xef\xbb\xbf")  # a byte order mark some editors write
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        column = len(data[line_start:exc.start].decode("utf-8", "replace")) + 1
        raise BookletError(Problem("B100", f"the file is not UTF-8 (byte 0x{data[exc.start]:02x})",
                                   path, line, column,
                                   hint="save the file as UTF-8 (in most editors: Save As, "
                                        "Encoding: UTF-8)")) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if bad := _FORBIDDEN.search(text):
        line = text.count("\n", 0, bad.start()) + 1
        column = bad.start() - text.rfind("\n", 0, bad.start())
        raise BookletError(Problem("B100", f"the file holds the control character "
                                   f"U+{ord(bad.group()):04X}", path, line, column,
                                   hint="delete it; it is invisible in most editors, so retype "
                                        "the words around it"))
    return text


def inside_or_refuse(path: Path, root: Path) -> Path:
    """`path` with symbolic links resolved; a B300 problem if that lies outside `root`."""
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError, ValueError):  # a symbolic link loop, a NUL byte …
        resolved = None
    if resolved is None or not resolved.is_relative_to(root.resolve()):
        raise BookletError(Problem("B300", f"{path.name!r} leads outside content/"
                                   + (f" (to {resolved})" if resolved else ""), path,
                                   hint="replace the symbolic link with the file itself"))
    return resolved


def parse_yaml(text: str, path: Path, first_line: int = 1):
    """YAML as Mapping/Sequence/str values; `first_line` is the text's line in the file."""
    loader = None
    try:
        if (parsed := _parse_fast(text, first_line)) is not None:
            return parsed[0]
        loader = _LineLoader(text)  # the reader refuses unprintable characters at once
        loader.line_offset = first_line - 1
        return loader.get_single_data()
    except RecursionError:
        raise BookletError(Problem("B101", "malformed YAML: lists or mappings nested too deeply",
                                   path, first_line, hint="a field holds text or a short list, "
                                   "never deeply nested brackets")) from None
    except yaml.YAMLError as exc:
        if words := plain_words(exc, text, first_line):
            raise BookletError(Problem("B101", words.message, path, words.line, words.column,
                                       hint=words.hint)) from None
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + first_line if mark else first_line
        column = mark.column + 1 if mark else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise BookletError(Problem("B101", f"malformed YAML: {problem}", path, line, column,
                                   hint="check indentation, and quote values that contain "
                                        "': ' or start with a quote")) from None
    except Exception as exc:  # noqa: BLE001 - PyYAML's constructors for explicit tags
        # (!!int with 5,000 digits, an empty !!int, a bad !!binary …) raise ValueError,
        # IndexError, TypeError …: all mean a value the editor wrote cannot be read.
        raise BookletError(Problem("B101", f"malformed YAML: a value cannot be read "
                                   f"({type(exc).__name__}: {exc})", path, first_line,
                                   hint="write values as plain text, without '!!' tags"
                                   )) from None
    finally:
        if loader is not None:
            loader.dispose()


def split_front_matter(text: str, path: Path):
    """(front matter Mapping, body text, line of the body's first line)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise BookletError(Problem("B101", "the file does not start with front matter", path, 1,
                                   hint="begin the file with a line '---', the YAML fields, "
                                        "and another line '---'"))
    for end in range(1, len(lines)):
        if lines[end].strip() == "---":
            break
    else:
        raise BookletError(Problem("B101", "the front matter is never closed", path, 1,
                                   hint="add a line '---' after the last field"))
    meta = parse_yaml("\n".join(lines[1:end]), path, first_line=2)
    if not isinstance(meta, Mapping):
        raise BookletError(Problem("B101", "the front matter is not a set of 'name: value' "
                                   "fields", path, 2))
    return meta, "\n".join(lines[end + 1:]), end + 2
