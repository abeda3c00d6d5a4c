"""Reading content files: UTF-8 text, front matter and YAML that remember their lines."""

from __future__ import annotations

from pathlib import Path

import yaml

from booklet.errors import BookletError, Problem

MAX_FILE_BYTES = 2 * 1024 * 1024  # an essay is ~10 kB; anything this big is a mistake


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
    pass


def _construct_mapping(loader, node):
    loader.flatten_mapping(node)
    result = Mapping()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader, node):
    result = Sequence(loader.construct_object(n, deep=True) for n in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [n.start_mark.line + 1 for n in node.value]
    return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
# Dates stay strings: "2020-06-04" is what the editor wrote, not a datetime.
_LineLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_text(path: Path) -> str:
    """The file's text with a BOM dropped and line ends made \\n."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BookletError(Problem("B100", f"cannot read the file ({exc.strerror})", path,
                                   hint="check the file exists and is readable")) from None
    if len(data) > MAX_FILE_BYTES:
        raise BookletError(Problem("B100", f"the file is {len(data)} bytes; the limit is "
                                   f"{MAX_FILE_BYTES}", path, hint="is this the right file?"))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise BookletError(Problem("B100", f"the file is not UTF-8 (byte 0x{data[exc.start]:02x})",
                                   path, line, hint="save the file as UTF-8")) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_yaml(text: str, path: Path, first_line: int = 1):
    """YAML as Mapping/Sequence/str values; `first_line` is the text's line in the file."""
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + first_line if mark else first_line
        column = mark.column + 1 if mark else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise BookletError(Problem("B101", f"malformed YAML: {problem}", path, line, column,
                                   hint="check indentation, and quote values that contain "
                                        "': ' or start with a quote")) from None


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
