"""WeasyPrint, sealed: the one package that imports WeasyPrint or reaches into it.

Every patch of WeasyPrint and every private attribute of its objects is used here and
nowhere else, so an upgrade of WeasyPrint has one place to look. version.py holds the
release this package is written for (PINNED) and refuses any other before anything is
laid out (B421).

What the writers call (write/print/ for the print editions):

- `load()`: WeasyPrint imported quickly (weasyprint_import.py) and its version checked;
- `prepare(job)`, `warm_up(job)`, `lay_out_part(job)`: one part of a print edition,
  a PartJob in, a PartLayout out (plain data: write/print/parts.py);
- `lay_out_whole(html, root, roots, stylesheet, sheet_pages)`: pages laid out in one
  piece, a WholeLayout that says its page count and writes its PDF;
- `srgb_profile()`: the sRGB ICC profile WeasyPrint ships.

The modules behind them:

- weasyprint_import.py, version.py: the import, and the pin;
- layout.py: the layouts above;
- fetcher.py: every fetch through the sandbox (write/sandbox.py);
- fonts.py: only the shipped fonts, and the characters none of them has;
- tagging.py: the PDF's structure tree, built in place of WeasyPrint's;
- hyphen_runs.py, trailing_space.py: two fixes to WeasyPrint's line breaker;
- pages.py: what the laid-out boxes say (page starts, folios, page facts, wide tables).

Names are imported when first asked for: `booklet.engine.version` is read without
importing WeasyPrint.
"""

__all__ = ["PINNED", "check_version", "lay_out_part", "lay_out_whole", "load", "prepare",
           "srgb_profile", "warm_up"]

_WHERE = {"PINNED": "version", "check_version": "version", "load": "weasyprint_import",
          "lay_out_part": "layout", "lay_out_whole": "layout", "prepare": "layout",
          "srgb_profile": "layout", "warm_up": "layout"}


def __getattr__(name: str):
    if name in _WHERE:
        import importlib

        return getattr(importlib.import_module(f"booklet.engine.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'booklet.engine' has no attribute {name!r}")
