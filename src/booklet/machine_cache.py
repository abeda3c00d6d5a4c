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

import os
import sys
import tempfile
from pathlib import Path

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


def read(kind: str, name: str) -> bytes | None:
    where = folder(kind)
    try:
        return (where / name).read_bytes() if where else None
    except OSError:
        return None


def write(kind: str, name: str, data: bytes) -> None:
    """Kept whole or not at all: written beside, then renamed into place."""
    where = folder(kind)
    if where is None:
        return
    temporary = None
    try:
        handle, temporary = tempfile.mkstemp(dir=where, prefix=f".{name}.")
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, where / name)
    except OSError:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
