"""content -> render -> write: the whole build, one way through."""

from __future__ import annotations

import contextlib
import functools
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from booklet.errors import BookletError, Problem
from booklet.freshness import (Stamps, content_key, edition_time, input_key,
                               page_starts_key, sources)
from booklet.parallel import Task, jobs_wanted, run_tasks, start
from booklet.project import Project
from booklet.write.output import atomic_outputs


@dataclass(frozen=True)
class PrintEdition:
    """A PDF laid out from the print HTML with its own stylesheet."""

    name: str  # as on the command line: booklet build NAME
    label: str  # for the editor: what the stage line says
    stylesheet: str  # in styles/
    sheet_pages: int  # pages are padded to a multiple of this (4: a folded sheet)


# The standard edition comes first: its layout also gives the EPUB its page starts.
PRINT_EDITIONS = (
    PrintEdition("pdf", "standard A5 edition", "print.css", 4),
    PrintEdition("large-print", "large print A4 edition", "large-print.css", 2),
)
# The print shop's is laid out like them, and finished for the press (#14).
PRINT_SHOP = PrintEdition("print-shop", "print shop edition", "print-shop.css", 4)
# The web edition comes last: it offers the PDFs and the EPUB as downloads.
FORMATS = (*(e.name for e in PRINT_EDITIONS), "epub", "print-shop", "home-print", "web")
# What an output is made from, built first when out of date: the home-printed booklet
# is imposed from the standard PDF's pages (#14); the web edition copies the standard
# and large-print PDFs and the EPUB, so its copies are of this build (#15).
NEEDS = {"home-print": ("pdf",), "web": ("pdf", "large-print", "epub")}


class Progress:
    """One line per stage with its time, so the editor sees what a build is doing."""

    def __init__(self, quiet: bool = False):
        self.quiet = quiet

    @contextlib.contextmanager
    def stage(self, name: str):
        started = time.perf_counter()
        detail: list[str] = []
        yield detail
        self._line(name, time.perf_counter() - started, detail)

    def said(self, name: str, took: float, detail: str) -> None:
        """A stage done elsewhere (in another process, or by an earlier build), which
        took `took` seconds here."""
        self._line(name, took, [detail])

    def _line(self, name: str, took: float, detail: list[str]) -> None:
        if not self.quiet:
            # One write of the whole line: stages that end at once in two processes
            # (the two PDFs) wrote into each other's line when print wrote the text and
            # its newline apart (as it does unbuffered, PYTHONUNBUFFERED).
            line = f"{name:<8}{took:6.2f} s  {'; '.join(detail)}".rstrip()
            sys.stdout.write(line + "\n")
            sys.stdout.flush()


def build(project: Project, formats: tuple[str, ...] = FORMATS,
          progress: Progress | None = None, crop_marks: bool = False) -> dict[str, bool]:
    """Build the wanted outputs; {format: True if written, False if already up to date}."""
    progress = progress or Progress(quiet=True)
    try:
        plan = _Plan(project, formats, crop_marks)
    except OSError:
        _load_content(project, progress)  # an unreadable content file: its coded error
        raise
    checked = plan.stamps.content_checked(content_key(plan.found))
    if checked is not None and not plan.to_lay_out and \
            not plan.stale(plan.keys_with(plan.starts)):
        # Nothing to make, and the content is what a build loaded cleanly: what loading
        # it said then is said again, without loading it (a no-op make took 0.36 s,
        # most of it loading content that could only load the same way).
        _warn(checked["warnings"])
        progress.said("content", 0.0, f"{checked['summary']} (unchanged since the last build)")
        return {name: False for name in plan.wanted}
    # The laid-out parts kept between builds (build/parts/): this build's new ones are
    # kept only once its outputs are written, like the stamps.
    from booklet.write.print.part_cache import PartCache

    parts_cache = PartCache(project.build / "parts")
    # With layout to do, the content is loaded and rendered beside WeasyPrint's import.
    ready = _Ready(plan, project, parts_cache) if plan.to_lay_out else None
    try:
        if ready is None:
            booklet, print_parts = _load_content(project, progress), None
        else:
            booklet, print_parts = ready.wait(progress)
        return _build(project, plan, booklet, print_parts, parts_cache, progress, crop_marks)
    finally:
        if ready is not None:
            ready.cancel()


def _load_content(project: Project, progress: Progress):
    """The booklet, its warnings said; always loaded: content errors must never go unseen."""
    from booklet.content import load_booklet

    with progress.stage("content") as said:
        booklet = load_booklet(project.content)
        _warn(booklet.warnings)
        said.append(_summary(booklet))
    return booklet


def _warn(warnings) -> None:
    for warning in warnings:
        print(warning, file=sys.stderr)


def _summary(booklet) -> str:
    return (f"{len(booklet.essays)} essays, "
            f"{sum(len(e.references) for e in booklet.essays)} references")


class _Plan:
    """What this build must make, from the stamps of the last (freshness.py): known
    before the content is loaded, so that the layout's preparation can begin at once."""

    def __init__(self, project: Project, formats: tuple[str, ...], crop_marks: bool):
        self.targets = {name: project.output(name) for name in FORMATS}  # build/booklet.pdf …
        formats = (*formats, *(need for name in formats for need in NEEDS.get(name, ())))
        self.wanted = [name for name in FORMATS if name in formats]
        self.stamps = stamps = Stamps(project.build)
        self.found = found = sources(project.root)
        self.timestamp = timestamp = edition_time(project, found, stamps)

        keys = {e.name: input_key(e.name, found, timestamp) for e in PRINT_EDITIONS}
        # The print shop's own layout (with or without marks) and the home-printed booklet
        # give nothing that another output needs (#14).
        keys["print-shop"] = input_key("print-shop", found, timestamp,
                                       "crop-marks" if crop_marks else "")
        keys["home-print"] = input_key("home-print", found, timestamp)
        self.keys = keys

        # The standard edition is laid out when its PDF is out of date, and also when the
        # EPUB needs page starts that are not kept for this layout.
        self.starts = starts = stamps.page_starts(keys["pdf"])
        fresh = {name for name in ("pdf", "large-print", "print-shop", "home-print")
                 if self.fresh(name)}
        self.to_lay_out = [e for e in (*PRINT_EDITIONS, PRINT_SHOP)
                           if (e.name in self.wanted and e.name not in fresh)
                           or (e.name == "pdf" and starts is None
                               and ("epub" in self.wanted or "web" in self.wanted))]

    def fresh(self, name: str, key: str | None = None) -> bool:
        return self.stamps.fresh(name, key or self.keys[name], self.targets[name])

    def keys_with(self, starts) -> dict[str, str]:
        """Every output's key, the EPUB's and the web edition's with these page starts
        (none known: those two have no key, and are out of date)."""
        return {**self.keys, **(self.late_keys(starts) if starts is not None else {})}

    def stale(self, keys: dict[str, str]) -> list[str]:
        """The wanted outputs out of date, by their `keys` (keys_with)."""
        return [name for name in self.wanted
                if name not in keys or not self.fresh(name, keys[name])]

    def late_keys(self, starts) -> dict[str, str]:
        """The EPUB's and the web edition's keys, which hold the page starts."""
        found, timestamp, keys = self.found, self.timestamp, self.keys
        epub = input_key("epub", found, timestamp, page_starts_key(starts))
        # The web edition: its own sources, the page starts, and the downloads it copies
        # (by their keys, which fix their bytes).
        return {"epub": epub, "web": input_key("web", found, timestamp, "\n".join(
            [page_starts_key(starts), keys["pdf"], keys["large-print"], epub]))}


def _build(project: Project, plan: _Plan, booklet, print_parts, parts_cache,
           progress: Progress, crop_marks: bool) -> dict[str, bool]:
    targets, wanted, stamps = plan.targets, plan.wanted, plan.stamps
    timestamp, found, starts = plan.timestamp, plan.found, plan.starts
    # The EPUB's documents and cover are rendered during the layout, on a core it leaves
    # idle, when the EPUB will be written: its page-list alone waits for the layout.
    side = [Task("epub-render", functools.partial(_render_epub, booklet, project))] if (
        "epub" in wanted and (starts is None or not plan.fresh(
            "epub", plan.late_keys(starts)["epub"]))) else []
    layouts, rendered = _lay_out(plan.to_lay_out, booklet, print_parts, project, found,
                                 parts_cache, progress, side) if plan.to_lay_out else ({}, {})
    if "pdf" in layouts:
        starts = list(layouts["pdf"].starts)
    # No page starts: the EPUB is not wanted, and no layout gave them.
    keys = plan.keys_with(starts)
    stale = plan.stale(keys)
    try:
        with atomic_outputs([targets[name] for name in stale],
                            folders={project.web}) as temporaries:
            paths = dict(zip(stale, temporaries))
            run_tasks(_tasks(booklet, project, paths, layouts, timestamp, progress,
                             crop_marks, starts, rendered))
        for name in stale:
            stamps.record(name, keys[name], targets[name])
        parts_cache.commit()
        if starts is not None:
            stamps.record_page_starts(keys["pdf"], starts)
        stamps.record_content(content_key(found), [str(w) for w in booklet.warnings],
                              _summary(booklet))
        stamps.save()
        _keep_references(project)
    except OSError as exc:  # a full disk, a read-only build/ …: the editor's machine, not content
        raise BookletError(Problem("B400", f"writing an output failed ({exc.strerror or exc})",
                                   Path(exc.filename) if exc.filename else project.build,
                                   hint="check there is free space and build/ is writable"
                                   )) from None
    return {name: name in stale for name in wanted}


# The reference entries citeproc-py formatted, kept between builds: the next build
# formats only entries that are new or changed (render/csl_style.py says why).
FORMATTED = ".references.json"


def _format_references(booklet, project: Project) -> None:
    import json

    from booklet.render import csl_style
    from booklet.render.templates import format_references

    try:
        kept = json.loads((project.build / FORMATTED).read_text(encoding="utf-8"))
        kept = kept if isinstance(kept, dict) else {}
    except (OSError, ValueError):
        kept = {}  # none kept yet, or unreadable: every entry is formatted again
    csl_style.keep(kept)
    format_references(booklet)


def _keep_references(project: Project) -> None:
    """After a build that wrote its outputs (never after a refused one)."""
    import json

    from booklet.render import csl_style

    formatted = csl_style.kept_now()
    if not formatted:
        return  # this build formatted nothing: what is kept stays as it is
    path = project.build / FORMATTED
    text = json.dumps(formatted, ensure_ascii=False, sort_keys=True)
    try:
        if path.read_text(encoding="utf-8") == text:
            return
    except OSError:
        pass
    with atomic_outputs([path]) as [temporary]:
        temporary.write_text(text, encoding="utf-8")


# Render and write are imported only when there is work to do: WeasyPrint's import alone
# takes most of a second, and an up-to-date build needs none of it.

def _render_print(booklet, timestamp: int, project: Project) -> str:
    from booklet.render import render_print
    from booklet.typefaces import load_typefaces

    return render_print(booklet, _iso(timestamp), load_typefaces(project.styles))


def _iso(timestamp: int) -> str:
    return datetime.fromtimestamp(timestamp, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _identifier(booklet, edition_name: str) -> str:
    # Each edition is a file of its own: its own file identifier.
    return booklet.identifier + ("" if edition_name == "pdf" else f"#{edition_name}")


class _Ready:
    """What the layout starts from, made on both cores: the content is loaded, the
    references formatted and the parts rendered in a process of its own, while this
    one imports WeasyPrint and warms each edition's fonts (write/parts.warm_up). Neither
    needs the other, and one after the other they took 40 % of a cold build; the
    parts are forked from this process once both are done."""

    def __init__(self, plan: _Plan, project: Project, parts_cache):
        self.project = project
        self.timestamp = plan.timestamp
        self.rendering = start(Task("content", functools.partial(_load_and_render, project,
                                                                 plan.timestamp)))
        from booklet.write.print.layout import layout_inputs

        # Warming the fonts pays when many parts are laid out; an edition laid out last
        # with the same styles, code and libraries has its parts kept, and an edit lays
        # out one or two: there, only its stylesheet is prepared.
        self.editions = []
        for edition in plan.to_lay_out:
            inputs = layout_inputs(plan.found, edition.name)
            self.editions.append((edition, parts_cache.laid_out_with(edition.name) != inputs))

    def wait(self, progress: Progress):
        """(the booklet, its PrintParts), once both are done."""
        from booklet.render import csl_style
        from booklet.render.print_parts import PrintParts
        from booklet import engine
        from booklet.write.print.layout import warm_up_job

        try:
            engine.load()
            for edition, many_parts in self.editions:
                # The booklet's language is not known yet: any will do to open the fonts.
                job = warm_up_job(self.project, edition.stylesheet, "en")
                if many_parts:
                    engine.warm_up(job)
                else:
                    engine.prepare(job)
            import booklet.content.model  # noqa: F401  (the booklet comes back as its objects)
        except BookletError:
            self.rendering.result()  # a content error is said first, as ever
            raise
        booklet, took, (set_in, essays, back, front), formatted = self.rendering.result()
        _warn(booklet.warnings)
        progress.said("content", took, _summary(booklet))
        # The entries the other process formatted, known here too: the EPUB's rendering
        # finds them, and the build keeps them (_keep_references).
        csl_style.keep(formatted, used=True)
        return booklet, PrintParts(booklet, _iso(self.timestamp), set_in, essays, back, front)

    def cancel(self) -> None:
        self.rendering.cancel()


def _load_and_render(project: Project, timestamp: int, done: dict):
    """In a process of its own (_Ready): the booklet, how long loading it took, the
    print parts' HTML and the reference entries formatted for it, as plain data."""
    from booklet.content import load_booklet
    from booklet.render import csl_style
    from booklet.render.templates import render_print_parts
    from booklet.typefaces import load_typefaces

    started = time.perf_counter()
    booklet = load_booklet(project.content)
    took = time.perf_counter() - started
    _format_references(booklet, project)
    parts = render_print_parts(booklet, _iso(timestamp), load_typefaces(project.styles))
    return (booklet, took, (parts.set_in, parts.essays, parts.back, parts.front_marked),
            csl_style.kept_now())


def _lay_out(editions: list[PrintEdition], booklet, print_parts, project: Project, found,
             parts_cache, progress: Progress, side: list[Task]) -> tuple[dict, dict]:
    """Every print edition this build needs, joined from its parts (write/print/layout.py);
    the parts not kept in build/parts/ are laid out side by side on every core, those of
    all the editions at once, so that each core always has a part to lay out; and the
    `side` tasks' results, run on a core the layout left idle (_SideWork)."""
    from booklet.write.print.layout import edition_steps, lay_out_side_by_side

    work = _SideWork(side)
    try:
        with progress.stage("layout") as said:
            layouts = lay_out_side_by_side(
                {e.name: edition_steps(print_parts, booklet, project, e.name, e.stylesheet,
                                       e.sheet_pages, _identifier(booklet, e.name), found,
                                       parts_cache) for e in editions}, work.lay_out_parts)
            said.append("; ".join(f"{e.label}: {layouts[e.name].pages} pages, "
                                  f"{layouts[e.name].laid_out} parts laid out, "
                                  f"{layouts[e.name].reused} kept" for e in editions))
        return layouts, work.results()
    finally:
        work.cancel()


class _SideWork:
    """Tasks that need no layout, begun at the first step of the layout that leaves a
    core idle (one edition's front matter or furniture: one part for two cores), or
    after the layout if none does; each in a process of its own (parallel.start)."""

    def __init__(self, tasks: list[Task]):
        self.tasks = tasks
        self.pending: dict = {}

    def lay_out_parts(self, jobs: list) -> list:
        if len(jobs) < jobs_wanted():
            self._start()
        return _lay_out_parts(jobs)

    def _start(self) -> None:
        if not self.pending:
            self.pending = {task.name: start(task) for task in self.tasks}

    def results(self) -> dict:
        self._start()
        return {name: pending.result() for name, pending in self.pending.items()}

    def cancel(self) -> None:
        for pending in self.pending.values():
            pending.cancel()


def _lay_out_parts(jobs: list) -> list:
    """Part layouts, each in a process of its own (parallel.py), in the jobs' order."""
    from booklet.engine import prepare

    for job in jobs:  # each edition's stylesheet and fonts, before the processes fork
        prepare(job)

    if len(jobs) == 1 and jobs_wanted() > 1:
        # One part (an edit's essay, the front matter, the furniture) and a core to
        # spare: it is laid out beside this process, which meanwhile imports what the
        # join needs (pikepdf, 0.06 s the PDF's writing would otherwise begin with).
        laying_out = start(Task("0", functools.partial(_part, jobs[0])))
        try:
            import pikepdf  # noqa: F401
            return [laying_out.result()]
        finally:
            laying_out.cancel()
    # The longest first (by its HTML), so that no long part starts last on a core.
    order = sorted(range(len(jobs)), key=lambda n: -len(jobs[n].html))
    done = run_tasks([Task(str(n), functools.partial(_part, jobs[n])) for n in order])
    return [done[str(n)] for n in range(len(jobs))]


def _part(job, done: dict):
    from booklet.engine import lay_out_part

    return lay_out_part(job)


def _tasks(booklet, project: Project, paths: dict[str, Path], layouts: dict, timestamp: int,
           progress: Progress, crop_marks: bool, starts, rendered: dict) -> list[Task]:
    """The build's writing, for run_tasks to spread over the cores (parallel.py): each
    task writes only its own temporary. The layouts are made already; the home-printed
    booklet is imposed from the standard PDF (#14); the web edition copies the PDFs and
    the EPUB just written (#15)."""
    if not paths:
        return []
    if not layouts and ("epub" in paths or "web" in paths):
        # Formatted here only if no layout did it (_lay_out): each task finds them done.
        _format_references(booklet, project)
    tasks = [Task(name, functools.partial(_write_edition, name, layouts[name], project,
                                          paths[name], progress))
             for name in ("pdf", "large-print") if name in paths]
    if "print-shop" in paths:
        tasks.append(Task("print-shop", lambda done: _write_print_shop(
            layouts["print-shop"], booklet, project, paths["print-shop"], progress,
            crop_marks)))
    if "epub" in paths:
        tasks.append(Task("epub", lambda done: _write_epub(
            booklet, project, starts, paths["epub"], timestamp, progress,
            rendered.get("epub-render"))))
    if "home-print" in paths:
        tasks.append(Task("home-print", lambda done: _write_home_print(
            booklet, project, timestamp, paths, progress),
            ("pdf",) if "pdf" in paths else ()))
    if "web" in paths:  # last: it copies the PDFs and EPUB just written
        tasks.append(Task("web", lambda done: _write_web(
            booklet, project, starts, paths, progress),
            tuple(n for n in ("pdf", "large-print", "epub") if n in paths)))
    return tasks


def _write_edition(name: str, layout, project: Project, path: Path, progress: Progress,
                   done: dict) -> None:
    from booklet.write.print.layout import write_pdf

    with progress.stage("pdf") as said:
        write_pdf(layout, path, layout.identifier)
        said.append(f"{project.output(name).name}: tagged PDF/UA-1")


def _render_epub(booklet, project: Project, done: dict | None = None):
    """The EPUB's documents and its cover image: all of it but the page-list."""
    from booklet.render import render_epub
    from booklet.render.cover import cover_png

    return render_epub(booklet), cover_png(booklet, project.styles)


def _write_epub(booklet, project: Project, starts, path: Path, timestamp: int,
                progress: Progress, rendered=None) -> None:
    from booklet.write.epub.book import write_epub

    with progress.stage("epub") as said:
        documents, cover = rendered or _render_epub(booklet, project)
        write_epub(booklet, documents, starts, cover, path, project.styles, timestamp)
        said.append(f"{len(starts)} print page numbers")


def _write_print_shop(layout, booklet, project: Project, path: Path, progress: Progress,
                      crop_marks: bool) -> None:
    """The print shop's PDF (#14 item 3): one writer in write/, one stylesheet in styles/."""
    from booklet.write.print.shop import write_print_shop

    with progress.stage("shop") as said:
        write_print_shop(layout, path, booklet.identifier, crop_marks)
        said.append(f"{layout.pages} pages, 3 mm bleed, CMYK"
                    + (", crop marks" if crop_marks else ""))


def _write_home_print(booklet, project: Project, timestamp: int, paths: dict[str, Path],
                      progress: Progress) -> None:
    """The home-printed booklet (#14 item 4), imposed from the standard PDF: the one
    this build writes, else the one in build/, which is up to date."""
    from booklet.engine import lay_out_whole
    from booklet.write.print.home import home_cover_html, write_home_print

    with progress.stage("home") as said:
        note = (f"This copy is for printing at home. To read the booklet on screen or "
                f"with a screen reader, use the accessible editions from the "
                f"{booklet.publisher}: {project.pdf.name} (a tagged PDF) and "
                f"{project.epub.name} (an EPUB book).")
        cover = lay_out_whole(home_cover_html(_render_print(booklet, timestamp, project), note),
                        project.root, project.readable_roots(), "home-print.css",
                        sheet_pages=1)
        write_home_print(paths.get("pdf", project.pdf), cover, paths["home-print"],
                         f"{booklet.title}: {booklet.subtitle}",
                         project.content / "booklet.yaml")
        said.append("A4 sheets, both sides, a light cover")


def _write_web(booklet, project: Project, starts, paths: dict[str, Path],
               progress: Progress) -> None:
    from booklet.render import render_web
    from booklet.render.cover import cover_png
    from booklet.write.web import downloads, write_web

    with progress.stage("web") as said:
        # Each download as this build leaves it: just written (a temporary), or kept.
        built = {project.output(name): paths[name] for name in ("pdf", "large-print", "epub")
                 if name in paths}
        files = {path.name: built.get(path, path) for path in project.downloads
                 if built.get(path, path).is_file()}
        cover = cover_png(booklet, project.styles) if booklet.site_url else None
        marked = write_web(booklet, render_web(booklet, downloads(files)), starts,
                           paths["web"], project.styles, files, cover)
        said.append(f"{len(booklet.essays) + 1} pages, {marked} print page numbers")


def epub_is_current(project: Project) -> bool:
    """True if build/booklet.epub is what a build of content/ now would make: the same
    question `build` asks, without building or recording anything."""
    stamps = Stamps(project.build)
    found = sources(project.root)
    timestamp = edition_time(project, found, stamps)
    starts = stamps.page_starts(input_key("pdf", found, timestamp))
    if starts is None:
        return False
    key = input_key("epub", found, timestamp, page_starts_key(starts))
    return stamps.fresh("epub", key, project.epub)

