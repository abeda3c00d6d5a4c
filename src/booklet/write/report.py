"""`booklet report`: build/editorial-report.html, and the EPUB's chapters beside it.

A browser cannot follow a link into a zip file (booklet.epub#…), so the chapters of the
built EPUB are unpacked into build/editorial-report/ and the report links there: the
proof-reader lands on the very words the reader's e-book holds. Both appear whole or not
at all, like every output; neither is one of the stamps' outputs (a report is never a
reason to rebuild the booklet, nor the booklet a reason to rewrite the report).
"""

from __future__ import annotations

import posixpath
import shutil
import tempfile
import zipfile
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote

from booklet.content import load_booklet
from booklet.content.source import read_text
from booklet.errors import BookletError, Problem
from booklet.project import Project
from booklet.render.report import Links, read_record, render_report
from booklet.write.output import atomic_outputs

FOLDER = "editorial-report"
MAX_UNPACKED = 200 * 1024 * 1024  # the booklet's own EPUB is a few MB; more is not ours


def write_report(project: Project) -> list[str]:
    booklet = load_booklet(project.content)
    said = [str(w) for w in booklet.warnings]
    record_path = project.content / "EDITORIAL.md"
    record = read_record(read_text(record_path, project.content) if record_path.exists() else "")
    target = project.build / "editorial-report.html"
    folder = project.build / FOLDER
    try:
        project.build.mkdir(parents=True, exist_ok=True)
        unpacked, chapters = _unpack(project.output("epub"), project.build)
        try:
            links = Links({slug: f"{FOLDER}/{quote(name)}" for slug, name in chapters.items()
                           if any(e.slug == slug for e in booklet.essays)},
                          _note(project, bool(chapters)))
            made = datetime.now(timezone.utc).strftime("%d %B %Y, %H:%M UTC")
            html = render_report(booklet, record, links, made)
            with atomic_outputs([target]) as (tmp,):
                tmp.write_text(html, encoding="utf-8")
                _replace_folder(unpacked, folder)
        finally:
            if unpacked is not None and unpacked.exists():
                shutil.rmtree(unpacked, ignore_errors=True)
    except OSError as exc:
        raise BookletError(Problem("B400", f"writing the report failed ({exc.strerror or exc})",
                                   Path(exc.filename) if exc.filename else project.build,
                                   hint="check there is free space and build/ is writable")
                           ) from None
    lines = [f"wrote {target.relative_to(project.root)}"]
    if chapters:
        lines.append(f"  its links open the EPUB's chapters, unpacked into "
                     f"{folder.relative_to(project.root)}/")
    return said + lines


def _unpack(epub: Path, build: Path) -> tuple[Path | None, dict[str, str]]:
    """The EPUB's files in a new folder in build/, and {slug: chapter path in it}."""
    if not epub.is_file():
        return None, {}
    unpacked = Path(tempfile.mkdtemp(prefix=f".{FOLDER}.", dir=build))
    chapters: dict[str, str] = {}
    try:
        with zipfile.ZipFile(epub) as archive:
            members = [m for m in archive.infolist() if not m.is_dir()]
            if sum(m.file_size for m in members) > MAX_UNPACKED:
                return unpacked, {}
            for member in members:
                name = posixpath.normpath(member.filename)
                if name.startswith(("/", "../")) or name == ".." or "\\" in name:
                    continue  # never written outside the folder
                dest = unpacked / name
                dest.parent.mkdir(parents=True, exist_ok=True)
                dest.write_bytes(archive.read(member))
                if name.endswith(".xhtml"):
                    chapters[posixpath.basename(name)[: -len(".xhtml")]] = name
    except (zipfile.BadZipFile, KeyError):
        return unpacked, {}
    return unpacked, chapters


def _replace_folder(new: Path | None, folder: Path) -> None:
    old = None
    if folder.exists():
        old = folder.with_name(f".{folder.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        folder.rename(old)
    if new is not None:
        new.rename(folder)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _note(project: Project, unpacked: bool) -> str:
    epub = project.output("epub").relative_to(project.root)
    if not unpacked:
        return (f"{epub} does not exist or cannot be read, so this report has no links into "
                "the e-book. Run make, then make report.")
    from booklet.pipeline import is_current

    where = (f"The links open the chapters of {epub}, unpacked into build/{FOLDER}/ when "
             "this report was written, since a browser cannot open a place inside the EPUB "
             "file itself.")
    if is_current(project, "epub"):
        return where + " The EPUB was up to date with content/."
    return (where + f" {epub} is older than content/, so the chapters may not yet show "
            "what this report lists: run make, then make report.")
