"""`booklet new-edition`: next year's booklet in one documented step.

An e-reader tells one book from another by its identifier, so a new edition needs a new
one, and its year. Both fields are rewritten in place in booklet.yaml, keeping the
editor's comments and every other line as it was. The edition's date follows from the
content (booklet.freshness.edition_time): it moves on when the content changes.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path

from booklet.errors import BookletError, Problem


def new_edition(meta_path: Path, year: str) -> list[str]:
    """Rewrite identifier and year; return what was done, for the editor."""
    if not re.fullmatch(r"\d{4}", year):
        raise BookletError(Problem("B103", f"{year!r} is not a year", meta_path,
                                   hint="give four digits, e.g. booklet new-edition 2027"))
    try:
        text = meta_path.read_text(encoding="utf-8")
    except OSError as exc:
        raise BookletError(Problem("B100", f"cannot read the file ({exc.strerror})", meta_path)
                           ) from None
    identifier = f"urn:uuid:{uuid.uuid4()}"
    done = []
    for field, value in (("identifier", identifier), ("year", f'"{year}"')):
        pattern = re.compile(rf"^{field}:[^\n]*$", re.M)
        if len(pattern.findall(text)) != 1:
            raise BookletError(Problem(
                "B102", f"booklet.yaml needs exactly one '{field}:' line at the left margin",
                meta_path, hint=f"add a line '{field}: …' and run the command again"))
        line = text[:pattern.search(text).start()].count("\n") + 1
        text = pattern.sub(f"{field}: {value}", text)
        done.append(f"{meta_path.name}:{line}: {field} is now {value}")
    meta_path.write_text(text, encoding="utf-8")
    return done + ["Now replace the essays, update title, description and EDITORIAL.md, "
                   "then run make."]
