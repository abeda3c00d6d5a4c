"""Typed access to front-matter and YAML fields, reporting problems by line."""

from __future__ import annotations

from pathlib import Path

from booklet.content.source import Mapping
from booklet.errors import Problem


class Fields:
    """Reads fields of one YAML mapping; problems are collected, not raised."""

    def __init__(self, mapping: Mapping, path: Path, problems: list[Problem], allowed: set[str]):
        self.mapping = mapping
        self.path = path
        self.problems = problems
        for key in mapping:
            if key not in allowed:
                self.problem("B103", f"unknown field {key!r}", key,
                             hint="allowed fields: " + ", ".join(sorted(allowed)))

    def line(self, key: str) -> int:
        return self.mapping.line_of(key)

    def problem(self, code: str, message: str, key: str | None = None, hint: str | None = None,
                warning: bool = False) -> None:
        line = self.mapping.line_of(key) if key else self.mapping.line
        self.problems.append(Problem(code, message, self.path, line, hint=hint, warning=warning))

    def text(self, key: str, required: bool = False) -> str:
        value = self.mapping.get(key)
        if value is None:
            if required:
                self.problem("B102", f"the field {key!r} is missing", None,
                             hint=f"add '{key}: …'")
            return ""
        if isinstance(value, bool) or isinstance(value, (Mapping, list)):
            self.problem("B103", f"the field {key!r} must be text", key)
            return ""
        text = str(value).strip()
        if required and not text:
            self.problem("B102", f"the field {key!r} is empty", key)
        return text

    def texts(self, key: str, required: bool = False) -> tuple[str, ...]:
        value = self.mapping.get(key)
        if value is None:
            if required:
                self.problem("B102", f"the field {key!r} is missing", None,
                             hint=f"add '{key}: [\"…\"]'")
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or any(isinstance(v, (Mapping, list)) for v in value):
            self.problem("B103", f"the field {key!r} must be a list of text", key)
            return ()
        return tuple(str(v).strip() for v in value if str(v).strip())

    def mapping_of(self, key: str) -> Mapping:
        value = self.mapping.get(key)
        if value is None:
            return Mapping()
        if not isinstance(value, Mapping):
            self.problem("B103", f"the field {key!r} must be a set of 'name: value' fields", key)
            return Mapping()
        return value
