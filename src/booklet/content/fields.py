"""Typed access to front-matter and YAML fields, reporting problems by line."""

from __future__ import annotations

import re
from pathlib import Path

from booklet.content.source import Mapping, forbidden_character
from booklet.errors import Problem


TODO = re.compile(r"^TODO\b")


def _short(text: str, limit: int = 50) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


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
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            # a list, a mapping, or what an explicit tag (!!binary, !!set …) made
            self.problem("B103", f"the field {key!r} must be text", key,
                         hint="write the value as plain text; quote it if it starts with "
                              "a bracket or a special character")
            return ""
        text = str(value).strip()
        if not self._clean(key, text):
            return ""
        if required and not text:
            self.problem("B102", f"the field {key!r} is empty", key)
        return text

    def _clean(self, key: str, text: str) -> bool:
        """False (and a problem) if a YAML escape put a control character in the text.

        A value still starting with TODO is reported (B104) but kept, so that the field
        does not also count as missing: booklet import leaves such placeholders.
        """
        if TODO.match(text):
            self.problem("B104", f"the field {key!r} still holds the placeholder "
                                 f"{_short(text)!r}", key,
                         hint="write the real value in place of the TODO (IMPORT.md in the "
                              "essay's folder lists them all)")
        if (bad := forbidden_character(text)) is None:
            return True
        self.problem("B103", f"the field {key!r} holds the control character U+{ord(bad):04X}",
                     key, hint="remove the escape (such as \\x0b or \\u0000) from the value")
        return False

    def texts(self, key: str, required: bool = False) -> tuple[str, ...]:
        value = self.mapping.get(key)
        if value is None:
            if required:
                self.problem("B102", f"the field {key!r} is missing", None,
                             hint=f"add '{key}: [\"…\"]'")
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or any(
                isinstance(v, bool) or not isinstance(v, (str, int, float)) for v in value):
            self.problem("B103", f"the field {key!r} must be a list of text", key,
                         hint=f'write {key}: ["…", "…"]')
            return ()
        texts = tuple(str(v).strip() for v in value if str(v).strip())
        return texts if all(self._clean(key, t) for t in texts) else ()

    def mapping_of(self, key: str) -> Mapping:
        value = self.mapping.get(key)
        if value is None:
            return Mapping()
        if not isinstance(value, Mapping):
            self.problem("B103", f"the field {key!r} must be a set of 'name: value' fields", key)
            return Mapping()
        return value
