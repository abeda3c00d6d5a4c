"""What rendering compiles from the program itself, kept on this machine between builds
(booklet/machine_cache.py says where and why): the templates as Python code (Jinja's
own bytecode cache) and the parsed patterns of a hyphenation dictionary (pyphen's).

A one-essay edit rendered for half a second before its layout could begin; parsing
the hyphenation patterns took 0.12 s of it and compiling the templates 0.05 s.
"""

from __future__ import annotations

import hashlib
import marshal
from pathlib import Path

from booklet import machine_cache


def template_cache():
    """Jinja's bytecode cache for the booklet's templates, or None."""
    import jinja2

    folder = machine_cache.folder(f"templates-jinja{jinja2.__version__}")
    # Jinja checks each template's source against the checksum it compiled, and writes
    # each file whole before renaming it into place.
    return jinja2.FileSystemBytecodeCache(str(folder)) if folder else None


def load_patterns(path: Path) -> None:
    """Put the dictionary at `path` among those pyphen has parsed (pyphen.hdcache), from
    the cache when it holds this dictionary, else parsed and then kept."""
    import pyphen

    if path in pyphen.hdcache:
        return
    kind = f"hyphenation-pyphen{pyphen.__version__}"
    # marshal, as Python's own .pyc files: the fastest to read back (a third of JSON's
    # time), and it can build nothing but plain values.
    name = (f"{path.stem}-{hashlib.sha256(path.read_bytes()).hexdigest()[:32]}"
            f"-{machine_cache.PYTHON}.marshal")
    kept = machine_cache.read(kind, name)
    if kept is not None:
        try:
            patterns = marshal.loads(kept)
            if isinstance(patterns, dict) and patterns:
                parsed = pyphen.HyphDict.__new__(pyphen.HyphDict)
                parsed.patterns, parsed.cache = patterns, {}
                parsed.maxlen = max(len(tag) for tag in patterns)
                pyphen.hdcache[path] = parsed
                return
        except (ValueError, EOFError, TypeError):
            pass  # unreadable: parsed again below
    parsed = pyphen.hdcache[path] = pyphen.HyphDict(path)
    # A dictionary with nonstandard breaks (values that are not plain numbers) is not
    # kept: marshal would lose what they carry.
    if all(type(v) is int for _, values in parsed.patterns.values() for v in values):
        machine_cache.write(kind, name, marshal.dumps(parsed.patterns))
