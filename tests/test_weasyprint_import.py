"""WeasyPrint imported without its library search (engine/weasyprint_import.py): the
same libraries, no ldconfig or gcc run, and WeasyPrint's own way where that fails."""

from __future__ import annotations

import subprocess
import sys

# Run in a fresh interpreter: this test process may have imported WeasyPrint already.
COUNT_SUBPROCESSES = """
import subprocess
started = []
opening = subprocess.Popen.__init__
def counted(self, args, *rest, **options):
    started.append(args)
    opening(self, args, *rest, **options)
subprocess.Popen.__init__ = counted
"""
LIBRARIES = """
import ctypes.util
from weasyprint.text import ffi
print(sorted(name for name in ("gobject", "pango", "harfbuzz", "harfbuzz_subset",
                               "fontconfig", "pangoft2") if getattr(ffi, name) is not None))
print(ctypes.util.find_library.__module__)
"""


def _python(code: str) -> list[str]:
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_the_same_libraries_open_and_no_program_is_run_to_find_them():
    quick = _python(COUNT_SUBPROCESSES + "import booklet.engine.weasyprint_import\n"
                    "print(len(started))\n" + LIBRARIES)
    plain = _python(COUNT_SUBPROCESSES + "import weasyprint\nprint(len(started))\n" + LIBRARIES)
    assert int(plain[0]) > 0  # WeasyPrint's own import runs ldconfig and gcc …
    assert quick[0] == "0"  # … this one nothing
    assert quick[1:] == plain[1:]  # the same libraries, and find_library as it was
    assert "'pango'" in quick[1] and "'harfbuzz_subset'" in quick[1]
    assert quick[2] == "ctypes.util"


def test_a_library_found_only_by_the_search_is_found_by_weasyprints_own_import():
    # A system whose Pango opens only by the name find_library gives: the quick import
    # fails, and WeasyPrint is imported again as it imports itself.
    refuse_pango_unsearched = """
import ctypes.util, cffi.api
loading = cffi.api._load_backend_lib
def load(backend, name, flags):
    if name == "libpango-1.0.so.0" and ctypes.util.find_library.__module__ != "ctypes.util":
        raise OSError("not here: " + name)
    return loading(backend, name, flags)
cffi.api._load_backend_lib = load
import booklet.engine.weasyprint_import
"""
    found = _python(refuse_pango_unsearched + LIBRARIES)
    assert len(found) == 2, found  # and no "could not import" from the first attempt
    assert "'pango'" in found[0]
    assert found[1] == "ctypes.util"
