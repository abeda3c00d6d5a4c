"""The C parser (libyaml) reads content/ YAML exactly as the Python one does: the same
values and the same line of every field, which the editor's messages name."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from booklet.content import source
from conftest import FIXTURE, ROOT

FILES = sorted([*(ROOT / "content").rglob("*.yaml"), *(FIXTURE / "content").rglob("*.yaml"),
                *(ROOT / "content").rglob("essay.md"), *(FIXTURE / "content").rglob("essay.md")])


def _yaml_text(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    return text.split("\n---\n", 1)[0][4:] if path.suffix == ".md" else text


def _shape(value):
    """A value with every line it carries, for comparing two parses."""
    if isinstance(value, source.Mapping):
        return ("map", value.line, tuple((k, value.key_lines[k], _shape(v))
                                         for k, v in value.items()))
    if isinstance(value, source.Sequence):
        return ("seq", value.line, tuple(value.item_lines), tuple(_shape(v) for v in value))
    return value


@pytest.mark.skipif(source._FastLineLoader is None, reason="PyYAML has no libyaml here")
@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_c_parser_gives_the_same_values_and_lines(path):
    text = _yaml_text(path)
    fast = source._parse_fast(text, 2)
    assert fast is not None
    slow = source._LineLoader(text)
    slow.line_offset = 1
    try:
        expected = slow.get_single_data()
    finally:
        slow.dispose()
    assert _shape(fast[0]) == _shape(expected)


def test_text_the_python_reader_refuses_is_left_to_it():
    assert source._parse_fast("title: a\x07b\n", 1) is None
    assert source._parse_fast("title: [unclosed\n", 1) is None
    assert source._parse_fast("author:\tA. Writer\n", 1) is None  # libyaml would take it
    with pytest.raises(yaml.YAMLError):
        yaml.load("title: [unclosed\n", Loader=source._LineLoader)
