"""What rendering compiles from the program itself, kept on this machine between builds
(booklet/machine_cache.py says where and why): the templates as Python code (Jinja's
own bytecode cache) and the parsed patterns of a hyphenation dictionary (pyphen's).

A one-essay edit rendered for half a second before its layout could begin; parsing
the hyphenation patterns took 0.12 s of it and compiling the templates 0.05 s.
"""

from __future__ import annotations

import hashlib
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
    the cache when it holds this dictionary, else parsed and then kept. (A dictionary
    with nonstandard breaks, whose values marshal cannot write, is parsed every time.)"""
    import pyphen

    if path in pyphen.hdcache:
        return
    patterns = machine_cache.kept(
        f"hyphenation-pyphen{pyphen.__version__}",
        f"{path.stem}-{hashlib.sha256(path.read_bytes()).hexdigest()[:32]}",
        lambda: pyphen.HyphDict(path).patterns,
        lambda value: isinstance(value, dict) and bool(value))
    parsed = pyphen.HyphDict.__new__(pyphen.HyphDict)  # as HyphDict(path) leaves it
    parsed.patterns, parsed.cache = patterns, {}
    parsed.maxlen = max(len(tag) for tag in patterns)
    pyphen.hdcache[path] = parsed
