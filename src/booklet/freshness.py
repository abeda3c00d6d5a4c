"""Which outputs are already up to date, so a rebuild does only the work an edit needs.

Make decides by modification times, which a `touch`, a git checkout or a copy disturb,
and it cannot tell a change to the e-book's stylesheet from a change to the print one.
So `booklet build` also keeps, in build/.stamps.json, a digest of everything each output
is made from and of the output itself. An output whose inputs and bytes are unchanged is
not rebuilt (make asks booklet every time and leaves this to it). The print layout's page
starts are kept too: the EPUB's page-list needs them, so an EPUB-only change (epub.css,
an EPUB template) needs no layout at all, and a print-only change that moves no page
break leaves the EPUB alone.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import time
from dataclasses import asdict
from importlib import metadata
from pathlib import Path

from booklet.write.output import atomic_outputs
from booklet.write.print.page_start import PageStart

PACKAGE = Path(__file__).resolve().parent
STAMPS = ".stamps.json"
FORMAT = 1  # bump when what a stamp means changes
# The libraries whose version changes the bytes of an output.
LIBRARIES = ("weasyprint", "pydyf", "fonttools", "pikepdf", "pyphen", "jinja2",
             "markdown-it-py", "ebooklib", "lxml", "pillow", "pyyaml")

# What each edition is made from, besides content/ and the code all share: each edition
# says what it alone reads (Edition.sources: its stylesheet and templates) and whose
# sources it reads too (Edition.reads: the large print imports print.css). So the print
# layouts never read the EPUB's or the web edition's stylesheet or templates, and the
# EPUB and the web edition never read the print ones or each other's (they get the
# layout only as page starts). Nothing reads the editorial report's code.
_REPORT = ("package/templates/report/", "package/render/report.py", "package/write/report.py")


def _not_read_by(name: str) -> tuple[str, ...]:
    from booklet.editions import all_editions, edition

    return _skipped(edition(name), all_editions())


@functools.cache
def _skipped(reader, editions) -> tuple[str, ...]:
    read = {reader.name, *reader.reads}
    return _REPORT + tuple(source for other in editions if other.name not in read
                           for source in other.sources)


class Stamps:
    def __init__(self, build_dir: Path):
        self.path = build_dir / STAMPS
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
        self.data = data if isinstance(data, dict) and data.get("format") == FORMAT else {}
        self.data["format"] = FORMAT

    def fresh(self, name: str, key: str, output: Path) -> bool:
        entry = self.data.get(name) or {}
        return entry.get("key") == key and entry.get("output") == _file_digest(output)

    def record(self, name: str, key: str, output: Path) -> None:
        self.data[name] = {"key": key, "output": _file_digest(output)}

    def page_starts(self, layout_key: str) -> list[PageStart] | None:
        """The page starts of the layout made from inputs with this key, if kept."""
        entry = self.data.get("layout") or {}
        if entry.get("key") != layout_key:
            return None
        return [PageStart(**start) for start in entry.get("pages", [])]

    def record_page_starts(self, layout_key: str, starts: list[PageStart]) -> None:
        self.data["layout"] = {"key": layout_key, "pages": [asdict(s) for s in starts]}

    def edition_time(self, content_key: str) -> int:
        """The time this content was first built, remembered; a new content is now."""
        entry = self.data.get("edition") or {}
        if entry.get("content") == content_key and isinstance(entry.get("time"), int):
            return entry["time"]
        now = int(time.time())
        self.data["edition"] = {"content": content_key, "time": now}
        return now

    def content_checked(self, key: str) -> dict | None:
        """What loading the content said, if it loaded cleanly from inputs with this key
        (content_key): its warnings and its summary."""
        entry = self.data.get("content") or {}
        if entry.get("key") == key and isinstance(entry.get("warnings"), list) \
                and isinstance(entry.get("summary"), str):
            return entry
        return None

    def record_content(self, key: str, warnings: list[str], summary: str) -> None:
        self.data["content"] = {"key": key, "warnings": warnings, "summary": summary}

    def save(self) -> None:
        with atomic_outputs([self.path]) as (tmp,):
            tmp.write_text(json.dumps(self.data, indent=1, sort_keys=True), encoding="utf-8")


def _system_library_versions() -> list[tuple[str, str]]:
    """Pango lays the text out and HarfBuzz shapes and subsets it: an upgrade of either
    can move a line or change the font bytes, so their versions are inputs too. Asked
    through ctypes, which costs a millisecond, not WeasyPrint's import."""
    import ctypes

    found = []
    for name, soname, function in (("harfbuzz", "libharfbuzz.so.0", "hb_version_string"),
                                   ("pango", "libpango-1.0.so.0", "pango_version_string"),
                                   ("harfbuzz-subset", "libharfbuzz-subset.so.0", None)):
        try:
            lib = ctypes.CDLL(soname)
            if function is None:
                version = "present"
            else:
                getattr(lib, function).restype = ctypes.c_char_p
                version = getattr(lib, function)().decode()
        except (OSError, AttributeError):
            version = "-"
        found.append((f"system/{name}", version))
    return found


def sources(root: Path) -> list[tuple[str, str]]:
    """(name, digest) of every file and library an output may be made from, read once
    per build and shared by the keys of every edition."""
    found = _system_library_versions()
    for library in LIBRARIES:
        try:
            found.append((f"library/{library}", metadata.version(library)))
        except metadata.PackageNotFoundError:
            found.append((f"library/{library}", "-"))
    for label, folder in (("content", root / "content"), ("styles", root / "styles"),
                          ("package", PACKAGE)):
        for path in sorted(folder.rglob("*")):
            rel = f"{label}/{path.relative_to(folder).as_posix()}"
            if "__pycache__" in rel:
                continue
            if path.is_symlink():
                # Never follow a link to hash its target: it may lead out of the project
                # (the build itself refuses it with a clear error).
                found.append((rel, "link:" + os.readlink(path)))
            elif path.is_file():
                found.append((rel, _file_digest(path)))
    return found


def content_key(found: list[tuple[str, str]]) -> str:
    """Of everything loading the content reads or is: content/, styles/ (the fonts it
    checks characters against), the code and the libraries. Loading is a function of
    these alone (no clock, no environment), so content loaded cleanly once loads so
    again while they are unchanged."""
    return hashlib.sha256("".join(f"{rel}\0{value}\n" for rel, value in found).encode()
                          ).hexdigest()


def edition_time(project, found: list[tuple[str, str]], stamps: Stamps) -> int:
    """When this edition was made, as both outputs state it.

    SOURCE_DATE_EPOCH first; else the last commit of content/ when content/ is
    committed as it is (so every clean checkout builds the same bytes); else, for
    uncommitted edits or a project outside git, the time the content was first built
    in this form: an edit moves the date on, a touch or a rebuild does not.
    """
    fixed = project.fixed_time()
    if fixed is not None:
        return fixed
    committed = project.committed_time()
    if committed is not None:
        return committed
    digest = hashlib.sha256()
    for rel, value in found:
        if rel.startswith("content/"):
            digest.update(f"{rel}\0{value}\n".encode())
    return stamps.edition_time(digest.hexdigest())


def iso_time(timestamp: int) -> str:
    """The edition's time as its files state it: 2020-03-17T09:00:00Z."""
    from datetime import datetime, timezone

    return datetime.fromtimestamp(timestamp, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def read_by(name: str, rel: str) -> bool:
    """Whether the edition `name` may be made from the source `rel`."""
    return not rel.startswith(_not_read_by(name))


def input_key(name: str, found: list[tuple[str, str]], timestamp: int,
              extra: str = "") -> str:
    """A digest of every source and setting the edition `name` is made from."""
    skip = _not_read_by(name)
    digest = hashlib.sha256(f"{FORMAT}\n{timestamp}\n{extra}\n".encode())
    for rel, value in found:
        if not rel.startswith(skip):
            digest.update(f"{rel}\0{value}\n".encode())
    return digest.hexdigest()


def page_starts_key(starts: list[PageStart]) -> str:
    return hashlib.sha256(json.dumps([asdict(s) for s in starts]).encode()).hexdigest()


def _file_digest(path: Path) -> str | None:
    if path.is_dir():  # the web edition: every file's name and bytes
        return _folder_digest(path)
    digest = hashlib.sha256()
    try:
        with path.open("rb") as stream:
            while chunk := stream.read(1 << 20):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()


def _folder_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(f"{path.relative_to(folder).as_posix()}\0{_file_digest(path)}\n"
                          .encode())
    return digest.hexdigest()
