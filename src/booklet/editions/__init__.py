"""The booklet's editions: each a module of this package that defines EDITION.

An edition says what it is called, which file of build/ it is, what it alone is made
from, which other outputs it needs, and how it is written (edition.py). Everything
else iterates over them: the pipeline plans, lays out and writes them, freshness keys
them, `booklet build NAME` and `make NAME` take their names, the help lists them. A new
edition is a new module here, with its templates and its stylesheet.

An edition may also live outside the package: BOOKLET_EDITIONS names modules (separated
by commas, importable from the Python path) that define EDITION, for one defined by a
test or developed elsewhere.
"""

from __future__ import annotations

import functools
import importlib
import os

from booklet.editions.edition import Edition, Offered, Options, PrintLayout, Writing

__all__ = ["Edition", "Offered", "Options", "PrintLayout", "Writing", "all_editions",
           "edition", "names", "page_source", "with_needs"]
OUTSIDE = "BOOKLET_EDITIONS"


def all_editions() -> tuple[Edition, ...]:
    """Every edition, in build order."""
    return _found(os.environ.get(OUTSIDE, ""))


@functools.cache
def _found(outside: str) -> tuple[Edition, ...]:
    # The package's own modules, by their files (pkgutil's import costs a no-op build
    # more than reading the folder does).
    modules = [f"{__name__}.{name[:-3]}" for name in sorted(os.listdir(__path__[0]))
               if name.endswith(".py") and name not in ("__init__.py", "edition.py")]
    modules += [name.strip() for name in outside.split(",") if name.strip()]
    found = [importlib.import_module(name).EDITION for name in modules]
    found.sort(key=lambda e: (e.order, e.name))
    _check(found)
    return tuple(found)


def _check(found: list[Edition]) -> None:
    """Each edition named once; each needs and reads editions that come before it;
    one edition gives the page starts, if any marks them."""
    seen: set[str] = set()
    for e in found:
        if e.name in seen:
            raise ValueError(f"two editions are called {e.name!r}")
        later = [n for n in (*e.needs, *e.reads) if n not in seen]
        if later:
            raise ValueError(f"the edition {e.name!r} needs {later}, which must be editions "
                             "that come before it")
        seen.add(e.name)
    givers = [e.name for e in found if e.layout and e.layout.gives_page_starts]
    if len(givers) > 1 or (not givers and any(e.page_starts for e in found)):
        raise ValueError(f"one edition must give the page starts, not {givers}")


def names() -> tuple[str, ...]:
    return tuple(e.name for e in all_editions())


def edition(name: str) -> Edition:
    for e in all_editions():
        if e.name == name:
            return e
    raise KeyError(name)


def with_needs(wanted) -> list[Edition]:
    """The editions `wanted` names and every output they need, in build order."""
    chosen = set(wanted)
    for e in reversed(all_editions()):  # needs come before what needs them
        if e.name in chosen:
            chosen.update(e.needs)
    return [e for e in all_editions() if e.name in chosen]


def page_source() -> Edition | None:
    """The edition whose layout gives the page starts (the standard edition)."""
    return next((e for e in all_editions() if e.layout and e.layout.gives_page_starts), None)
