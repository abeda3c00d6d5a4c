"""`booklet watch`: rebuild on every save, in one warm process.

The editor keeps the PDF open and sees it change: each save of a file in content/ or
styles/ rebuilds what that edit reaches (the stamps in build/ decide, as for make), in
this same process, so WeasyPrint's import and the fonts are paid once. A wrong edit
prints its coded error and leaves the last good booklet in build/; the next save that
fixes it builds again. watchfiles (Rust's notify underneath) gives one batch of changes
per save, however many files an editor's save touches.
"""

from __future__ import annotations

import signal
import sys
import time
from pathlib import Path

from booklet.errors import BookletError
from booklet.project import Project


def watch(project: Project, formats: tuple[str, ...], stop_after: int | None = None,
          serve: int | None = None) -> int:
    """Build, then rebuild after each change until interrupted (Ctrl+C).

    `stop_after` ends the loop after that many rebuilds (for tests and benchmarks);
    `serve` is a port to show build/ on, at 127.0.0.1 (serve.py)."""
    from watchfiles import watch as changes

    from booklet.pipeline import Progress, build

    progress = Progress(quiet=True)
    # Stopped by `kill` or a closed terminal as by Ctrl+C, so that the exit handlers run:
    # WeasyPrint's copy of the fonts in /tmp (3 MB) stayed behind otherwise (engine/fonts.py).
    for stopping in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(stopping, _interrupted)
    rebuilt = None
    if serve is not None:
        from booklet.serve import start

        try:
            server, served = start(project.build, serve)
        except OSError as exc:
            print(f"booklet watch: cannot serve on 127.0.0.1:{serve} ({exc.strerror}); "
                  "choose another port with --serve PORT", file=sys.stderr)
            return 1
        rebuilt = served.bump
        port = server.server_address[1]
        where = "web/index.html" if "web" in formats else ""
        print(f"serving build/ at http://127.0.0.1:{port}/{where}", flush=True)
    _once(project, formats, build, progress, "built", rebuilt)
    print(f"watching {project.content.name}/ and {project.styles.name}/ — "
          "press Ctrl+C to stop", flush=True)
    rebuilds, caught_up = 0, False
    try:
        for batch in changes(project.content, project.styles, debounce=200, step=50,
                             rust_timeout=500, yield_on_timeout=True):
            if not batch:
                if not caught_up:
                    # Watching has begun only now: a save made during the first build
                    # is caught by one more build, which does nothing if none was made.
                    _once(project, formats, build, progress, "rebuilt", rebuilt,
                          quiet_if_none=True)
                    caught_up = True
                continue
            names = sorted({_shown(Path(path), project.root) for _, path in batch})
            print(f"changed: {', '.join(names)}", flush=True)
            _once(project, formats, build, progress, "rebuilt", rebuilt)
            rebuilds += 1
            if stop_after is not None and rebuilds >= stop_after:
                break
    except KeyboardInterrupt:
        pass
    return 0


def _interrupted(signum, frame):
    raise KeyboardInterrupt


def _once(project: Project, formats, build, progress, verb: str, rebuilt=None,
          quiet_if_none: bool = False) -> None:
    started = time.perf_counter()
    try:
        written = build(project, formats, progress)
    except BookletError as exc:
        print(exc, file=sys.stderr)
        print("booklet: kept the last good booklet in build/; fix the file and save again.",
              file=sys.stderr, flush=True)
        return
    took = time.perf_counter() - started
    done = [project.output(name).name for name, wrote in written.items() if wrote]
    if done and rebuilt is not None:
        rebuilt()  # pages open from the server reload
    if quiet_if_none and not done:
        return
    print(f"{verb} {', '.join(done) if done else 'nothing (all up to date)'} "
          f"in {took:.2f} s", flush=True)


def _shown(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)
