"""WeasyPrint imported without the library search that is a third of its import.

WeasyPrint 70 opens Pango, HarfBuzz, fontconfig and GObject by trying each library's
Windows and macOS names before the Linux one (weasyprint/text/ffi.py). For every name
it cannot open as given, cffi asks ctypes.util.find_library, which on Linux runs
ldconfig, then gcc and ld, in subprocesses: some twenty of them, about 0.2 s of the
0.55 s import, in every build that lays out a page. The name the dynamic loader opens
is always in WeasyPrint's list (libpango-1.0.so.0 …), so while WeasyPrint imports,
find_library answers "not found" at once and only those names open.

Should that fail on some system (libraries under other names), WeasyPrint is imported
again exactly as it imports itself. Nothing is changed once the import is done.

Every module of the engine imports this one first, so WeasyPrint's version is checked
(version.py) before any of them reaches into it, and before anything is laid out.
"""

from __future__ import annotations

import sys


def load():
    """WeasyPrint, imported (import_weasyprint) and of the release the engine is written
    for (a BookletError otherwise); the module. Importing this module does it."""
    from booklet.engine.version import check_version

    weasyprint = import_weasyprint()
    check_version(str(getattr(weasyprint, "__version__", "unknown")))
    return weasyprint


def import_weasyprint():
    """`import weasyprint`, without the slow search; the module."""
    if "weasyprint" in sys.modules:
        return sys.modules["weasyprint"]
    if not sys.platform.startswith("linux"):
        import weasyprint

        return weasyprint
    import contextlib
    import ctypes.util
    import io

    searching = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        # Where a library does not open, WeasyPrint prints how to install it: not
        # here, where its own import follows (and says it, if that fails too).
        with contextlib.redirect_stdout(io.StringIO()):
            import weasyprint

        return weasyprint
    except OSError:
        # A library WeasyPrint opens only through the search: forget the half-done
        # import and let it search.
        for name in [n for n in sys.modules if n == "weasyprint" or n.startswith("weasyprint.")]:
            del sys.modules[name]
    finally:
        ctypes.util.find_library = searching
    import weasyprint

    return weasyprint


load()
