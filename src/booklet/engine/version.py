"""The one WeasyPrint this package is written for, checked before anything is laid out.

Every module here replaces or reads a part of WeasyPrint that is not its public API
(the tag builder, the line breaker, the layout's boxes), so each was written against
one release and may be wrong for any other: a new release is refused with what to do,
never laid out on the chance that it works. pyproject.toml pins the same release (a
test holds the two together); moving to another one means reading each module of this
package against its source and changing PINNED.
"""

from __future__ import annotations

from pathlib import Path

from booklet.errors import BookletError, Problem

PINNED = "70.0"


def check_version(installed: str) -> None:
    """Refuse a WeasyPrint other than PINNED (B421): `installed` is its __version__."""
    if installed == PINNED:
        return
    raise BookletError(Problem(
        "B421", f"WeasyPrint {installed} is installed, but booklet lays out pages only with "
        f"WeasyPrint {PINNED}, the release it is written for", _pin_file(), _pin_line(),
        hint=f"run make, which installs WeasyPrint {PINNED} into .venv as pyproject.toml "
             f"pins it (or: .venv/bin/python -m pip install weasyprint=={PINNED})"))


def _pin_file() -> Path:
    return Path(__file__)


def _pin_line() -> int | None:
    try:
        lines = _pin_file().read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    return next((n for n, line in enumerate(lines, 1) if line.startswith("PINNED =")), None)
