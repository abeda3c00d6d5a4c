"""content -> render -> write: the whole build, one way through, for every edition.

The pipeline knows no edition by name. It asks editions/ which there are, plans from
the stamps which are out of date, lays out those with a print layout side by side,
and writes each in a task of its own, after the outputs it needs (Edition).
"""

from __future__ import annotations

import contextlib
import functools
import sys
import time
from pathlib import Path

from booklet.editions import Edition, Options, Writing, all_editions, page_source, with_needs
from booklet.errors import BookletError, Problem
from booklet.freshness import (Stamps, content_key, edition_time, input_key, iso_time,
                               page_starts_key, sources)
from booklet.parallel import Task, jobs_wanted, run_tasks, start
from booklet.project import Project
from booklet.write.output import atomic_outputs


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


def build(project: Project, formats: tuple[str, ...] | None = None,
          progress: Progress | None = None, crop_marks: bool = False) -> dict[str, bool]:
    """Build the editions named (every one by default) and what they need;
    {name: True if written, False if already up to date}."""
    progress = progress or Progress(quiet=True)
    options = Options(crop_marks=crop_marks)
    try:
        plan = _Plan(project, formats, options)
    except OSError:
        _load_content(project, progress)  # an unreadable content file: its coded error
        raise
    checked = plan.stamps.content_checked(content_key(plan.found))
    if checked is not None and not plan.to_lay_out and \
            not plan.stale(plan.keys_for(plan.starts)):
        # Nothing to make, and the content is what a build loaded cleanly: what loading
        # it said then is said again, without loading it (a no-op make took 0.36 s,
        # most of it loading content that could only load the same way).
        _warn(checked["warnings"])
        progress.said("content", 0.0, f"{checked['summary']} (unchanged since the last build)")
        return {e.name: False for e in plan.wanted}
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
        return _build(project, plan, booklet, print_parts, parts_cache, progress)
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

    def __init__(self, project: Project, formats: tuple[str, ...] | None, options: Options):
        self.options = options
        self.editions = all_editions()
        self.targets = {e.name: project.output(e.name) for e in self.editions}
        self.wanted = with_needs(formats if formats else [e.name for e in self.editions])
        self.stamps = stamps = Stamps(project.build)
        self.found = found = sources(project.root)
        self.timestamp = edition_time(project, found, stamps)
        self.keys = self.keys_for(None)
        # The edition that gives the page starts is laid out when its own file is out of
        # date, and also when an edition that marks them needs starts not kept.
        self.source = source = page_source()
        self.starts = starts = stamps.page_starts(self.keys[source.name]) if source else None
        marking = any(e.page_starts for e in self.wanted)
        wanted = {e.name for e in self.wanted}
        self.to_lay_out = [e for e in self.editions if e.layout is not None and (
            (e.name in wanted and not self.fresh(e.name))
            or (e is source and starts is None and marking))]

    def keys_for(self, starts) -> dict[str, str]:
        """Every edition's key: a digest of its sources and settings, of the keys of the
        outputs it needs, and for one that marks the page starts, of those starts. With
        no starts known, such an edition (and what needs it) has no key: out of date."""
        keys: dict[str, str] = {}
        for e in self.editions:  # in order: what an edition needs comes before it
            if (e.page_starts and starts is None) or any(n not in keys for n in e.needs):
                continue
            extra = [e.settings(self.options) if e.settings else ""]
            if e.page_starts:
                extra.append(page_starts_key(starts))
            extra += [keys[n] for n in e.needs]
            keys[e.name] = input_key(e.name, self.found, self.timestamp, "\n".join(extra))
        return keys

    def fresh(self, name: str, key: str | None = None) -> bool:
        key = key or self.keys.get(name)
        return key is not None and self.stamps.fresh(name, key, self.targets[name])

    def stale(self, keys: dict[str, str]) -> list[Edition]:
        """The wanted editions out of date, by their `keys` (keys_for)."""
        return [e for e in self.wanted
                if e.name not in keys or not self.fresh(e.name, keys[e.name])]


def _build(project: Project, plan: _Plan, booklet, print_parts, parts_cache,
           progress: Progress) -> dict[str, bool]:
    targets, stamps, starts = plan.targets, plan.stamps, plan.starts
    # Work that needs no layout (the EPUB's documents and cover) is done during the
    # layout, on a core it leaves idle, for each edition that will be written: its
    # page-list alone waits for the layout.
    early = plan.keys_for(starts) if starts is not None else {}
    side = [Task(e.name, functools.partial(_render, e, booklet, project))
            for e in plan.wanted if e.render is not None
            and (e.name not in early or not plan.fresh(e.name, early[e.name]))]
    layouts, rendered = _lay_out(plan.to_lay_out, booklet, print_parts, project, plan.found,
                                 parts_cache, progress, side) if plan.to_lay_out else ({}, {})
    if plan.source is not None and plan.source.name in layouts:
        starts = list(layouts[plan.source.name].starts)
    keys = plan.keys_for(starts)
    stale = plan.stale(keys)
    try:
        with atomic_outputs([targets[e.name] for e in stale],
                            folders={targets[e.name] for e in stale if e.is_folder}
                            ) as temporaries:
            paths = {e.name: path for e, path in zip(stale, temporaries)}
            if paths and not layouts:
                # Formatted by the content process when there was layout to do; here
                # otherwise, so that every writing task finds them done.
                _format_references(booklet, project)
            outputs = {**targets, **paths}
            run_tasks([_writing_task(e, Writing(
                e, booklet, project, paths[e.name], plan.timestamp, plan.options,
                layouts.get(e.name), starts, rendered.get(e.name), outputs), progress,
                tuple(n for n in e.needs if n in paths)) for e in stale])
        for e in stale:
            stamps.record(e.name, keys[e.name], targets[e.name])
        parts_cache.commit()
        if starts is not None:
            stamps.record_page_starts(keys[plan.source.name], starts)
        stamps.record_content(content_key(plan.found), [str(w) for w in booklet.warnings],
                              _summary(booklet))
        stamps.save()
        _keep_references(project)
    except OSError as exc:  # a full disk, a read-only build/ …: the editor's machine, not content
        raise BookletError(Problem("B400", f"writing an output failed ({exc.strerror or exc})",
                                   Path(exc.filename) if exc.filename else project.build,
                                   hint="check there is free space and build/ is writable"
                                   )) from None
    return {e.name: e in stale for e in plan.wanted}


def _writing_task(edition: Edition, writing: Writing, progress: Progress,
                  needs: tuple[str, ...]) -> Task:
    """The task that writes one edition's temporary, after those of the outputs it needs
    that this build writes (parallel.py spreads the tasks over the cores)."""
    def run(done: dict) -> None:
        with progress.stage(edition.stage) as said:
            said.append(edition.write(writing))

    return Task(edition.name, run, needs)


def _render(edition: Edition, booklet, project: Project, done: dict | None = None):
    return edition.render(booklet, project)


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


class _Ready:
    """What the layout starts from, made on both cores: the content is loaded, the
    references formatted and the parts rendered in a process of its own, while this
    one imports WeasyPrint and warms each edition's fonts (engine.warm_up). Neither
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
        from booklet import engine
        from booklet.render import csl_style
        from booklet.render.print_parts import PrintParts
        from booklet.write.print.layout import warm_up_job

        try:
            engine.load()
            for edition, many_parts in self.editions:
                # The booklet's language is not known yet: any will do to open the fonts.
                job = warm_up_job(self.project, edition.layout.stylesheet, "en")
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
        return booklet, PrintParts(booklet, iso_time(self.timestamp), set_in, essays, back,
                                   front)

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
    parts = render_print_parts(booklet, iso_time(timestamp), load_typefaces(project.styles))
    return (booklet, took, (parts.set_in, parts.essays, parts.back, parts.front_marked),
            csl_style.kept_now())


def _lay_out(editions: list[Edition], booklet, print_parts, project: Project, found,
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
                {e.name: edition_steps(print_parts, booklet, project, e.name,
                                       e.layout.stylesheet, e.layout.sheet_pages,
                                       e.identifier(booklet), found, parts_cache)
                 for e in editions}, work.lay_out_parts)
            said.append("; ".join(f"{e.layout.label}: {layouts[e.name].pages} pages, "
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


def is_current(project: Project, name: str) -> bool:
    """True if the edition `name`'s file is what a build of content/ now would make: the
    question `build` asks, without building or recording anything."""
    plan = _Plan(project, (name,), Options())
    key = plan.keys_for(plan.starts).get(name)
    return key is not None and plan.fresh(name, key)
