"""What rendering compiles from the program itself, kept on this machine between builds:
the templates as Python code (Jinja's own bytecode cache) and the parsed patterns of a
hyphenation dictionary (pyphen's).

Both are made from the installed program alone, never from content/ (Python's .pyc
files are the same kind of thing), so they live in the user's cache folder,
$XDG_CACHE_HOME/booklet or else ~/.cache/booklet, a folder per version of Jinja and
pyphen, and never in build/: a refused build leaves build/ as it was. Where that
folder cannot be written, rendering compiles as it always did. A one-essay edit
rendered for half a second before its layout could begin; parsing the hyphenation
patterns took 0.12 s of it and compiling the templates 0.05 s.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path


def _folder(kind: str) -> Path | None:
    """The cache folder for `kind`, made if need be; None if it cannot be."""
    home = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = Path(home) / "booklet" / kind
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder if os.access(folder, os.W_OK) else None


def template_cache():
    """Jinja's bytecode cache for the booklet's templates, or None."""
    import jinja2

    folder = _folder(f"templates-jinja{jinja2.__version__}")
    # Jinja checks each template's source against the checksum it compiled, and writes
    # each file whole before renaming it into place.
    return jinja2.FileSystemBytecodeCache(str(folder)) if folder else None


def load_patterns(path: Path) -> None:
    """Put the dictionary at `path` among those pyphen has parsed (pyphen.hdcache), from
    the cache when it holds this dictionary, else parsed and then kept."""
    import marshal
    import sys

    import pyphen

    if path in pyphen.hdcache:
        return
    folder = _folder(f"hyphenation-pyphen{pyphen.__version__}")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:32]
    # marshal, as Python's own .pyc files: the fastest to read back (a third of JSON's
    # time), and it can build nothing but plain values; its format is Python's own.
    python = f"py{sys.version_info[0]}{sys.version_info[1]}"
    kept = folder / f"{path.stem}-{digest}-{python}.marshal" if folder else None
    if kept is not None:
        try:
            patterns = marshal.loads(kept.read_bytes())
            if isinstance(patterns, dict) and patterns:
                parsed = pyphen.HyphDict.__new__(pyphen.HyphDict)
                parsed.patterns, parsed.cache = patterns, {}
                parsed.maxlen = max(len(tag) for tag in patterns)
                pyphen.hdcache[path] = parsed
                return
        except (OSError, ValueError, EOFError, TypeError):
            pass  # not kept yet, or unreadable: parsed again below
    parsed = pyphen.hdcache[path] = pyphen.HyphDict(path)
    # A dictionary with nonstandard breaks (values that are not plain numbers) is not
    # kept: marshal would lose what they carry.
    if kept is None or any(type(v) is not int for _, values in parsed.patterns.values()
                           for v in values):
        return
    temporary = None
    try:
        handle, temporary = tempfile.mkstemp(dir=kept.parent, prefix=f".{kept.name}.")
        with os.fdopen(handle, "wb") as stream:
            stream.write(marshal.dumps(parsed.patterns))
        os.replace(temporary, kept)
    except OSError:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
