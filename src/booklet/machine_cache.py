"""The user's cache folder, for what booklet derives from its own program and from the
fonts it sets type in, never from content/: the templates compiled, the hyphenation
patterns parsed (render/compiled.py), each font's character map read (typefaces.py).

These are the same for every build on a machine, like Python's own .pyc files, so
they are kept between builds in $XDG_CACHE_HOME/booklet (else ~/.cache/booklet), never
in build/ (a refused build leaves build/ as it was). Each entry is named by a digest of
what it is made from and by the version of the library that made it; an entry that
cannot be read is made again, and where the folder cannot be written nothing is kept.
"""

from __future__ import annotations

import marshal
import os
import sys
import tempfile
from pathlib import Path
from typing import Callable, TypeVar

T = TypeVar("T")
# marshal's format (how entries are written) is Python's own: one per version.
PYTHON = f"py{sys.version_info[0]}{sys.version_info[1]}"


def folder(kind: str) -> Path | None:
    """The cache folder for `kind`, made if need be; None if it cannot be written."""
    home = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    if not os.path.isabs(home):  # no home folder known: keep nothing, never a ./~ folder
        return None
    path = Path(home) / "booklet" / kind
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return path if os.access(path, os.W_OK) else None


def kept(kind: str, name: str, make: Callable[[], T], valid: Callable[[object], bool]) -> T:
    """What `make()` gives, read back from the cache folder for `kind` under `name` (a
    digest of what it is made from) when kept there and `valid`, else made and kept.
    marshal, as Python's .pyc files: fast to read, and it builds plain values only; a
    value it cannot write (an int subclass, say) is returned, not kept."""
    where = folder(kind)
    path = where / f"{name}-{PYTHON}.marshal" if where else None
    if path is not None:
        try:
            value = marshal.loads(path.read_bytes())
            if valid(value):
                return value
        except (OSError, ValueError, EOFError, TypeError):
            pass  # not kept yet, or unreadable: made again
    value = make()
    if path is not None:
        try:
            _write(path, marshal.dumps(value))
        except ValueError:
            pass
    return value


def _write(path: Path, data: bytes) -> None:
    """Kept whole or not at all: written beside, then renamed into place."""
    temporary = None
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except OSError:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
