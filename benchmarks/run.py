"""`make bench`: how fast booklet builds, side by side with its peer, on this machine.

The peer is the obvious alternative: pandoc → WeasyPrint PDF/UA-1 plus pandoc's EPUB,
from the same essays as one Markdown file (pandoc_source.py). Our cold builds and the
peer's are taken in turns, in the same run, so that each ratio compares two things
measured in the same minute on the same machine.

The harness drives only the command line (`booklet build`, `booklet watch`, `make`) in
throw-away copies of the project (content, styles, code, Makefile; the copy's .venv
borrows the real one), with a fixed SOURCE_DATE_EPOCH, so the working tree is never
touched and nothing is assumed about how booklet builds: a cold build starts from a copy
with nothing but what was copied (no build/, no cache of any kind), a warm one from
whatever the last build left. Prints a table and the targets met or missed,
and writes build/bench.json; the targets are checked here, never in a timed test.

    python benchmarks/run.py [--runs 3] [--cold-runs 5] [--watch-edits 5] [--times 25]
                             [--no-make] [--no-watch] [--no-anthology] [--anthology-watch EDITS]
                             [--no-profile] [--wait-idle SECONDS] [--report BENCH.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from anthology import make_anthology
from measure import WatchSession, machine_busy_s, timed
from pandoc_source import booklet_markdown
from report import check_targets, render, stats, summarise

REPO = Path(__file__).resolve().parent.parent
BIN = REPO / ".venv" / "bin"
COPIED = ("content", "styles", "src", "tools", "Makefile", "pyproject.toml")
OUTPUTS = ("booklet.pdf", "booklet.epub")
EPOCH = "1590000000"  # any fixed edition time: the copies are not git repositories
STANDARD = ("pdf", "epub")  # the standard edition: the A5 PDF and the EPUB
WATCH_FIRST_BUILD_TIMEOUT = 600.0
WATCH_EDIT_TIMEOUT = 300.0


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


class Copy:
    """A throw-away copy of the project, and how to make it cold again."""

    def __init__(self, dest: Path, content: Path | None = None):
        dest.mkdir(parents=True)
        for name in COPIED:
            source = content if (name == "content" and content) else REPO / name
            if source.is_dir():
                shutil.copytree(source, dest / name,
                                ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
            else:
                shutil.copy2(source, dest / name)
        venv = dest / ".venv"
        venv.mkdir()
        for part in ("bin", "lib", "lib64", "include", "pyvenv.cfg"):
            if (REPO / ".venv" / part).exists():
                (venv / part).symlink_to(REPO / ".venv" / part)
        (venv / ".installed").touch()
        self.root = dest
        self.pristine = {p.name for p in dest.iterdir()}
        # A cache booklet might keep outside the project goes here, and goes with a reset.
        self.cache = dest.parent / f"{dest.name}-cache"
        self.cache.mkdir()
        env = {k: v for k, v in os.environ.items()
               if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES")}
        self.env = env | {"PYTHONPATH": str(dest / "src"), "SOURCE_DATE_EPOCH": EPOCH,
                          "XDG_CACHE_HOME": str(self.cache),
                          "BOOKLET_NO_INSTALL": "1"}  # make checks the system, never installs
        self.edits = 0

    @property
    def build(self) -> Path:
        return self.root / "build"

    def cold(self) -> None:
        """Back to the copy as made: everything a build left in it goes, and any cache
        under XDG_CACHE_HOME but fontconfig's (the system's, not booklet's)."""
        for entry in self.root.iterdir():
            if entry.name not in self.pristine:
                shutil.rmtree(entry) if entry.is_dir() and not entry.is_symlink() \
                    else entry.unlink()
        for entry in self.cache.iterdir():
            if entry.name != "fontconfig":
                shutil.rmtree(entry) if entry.is_dir() else entry.unlink()

    def run(self, *args: str, check: bool = True) -> dict:
        return timed(list(args), self.root, self.env, check)

    def booklet(self, *args: str) -> dict:
        return self.run(str(BIN / "booklet"), *args)

    def essay(self) -> Path:
        """The essay every one-essay edit changes: the second, as any would do."""
        return sorted(p for p in (self.root / "content" / "essays").iterdir()
                      if p.is_dir())[1] / "essay.md"

    def edit_essay(self) -> None:
        """An editor's change to one essay's text: one more sentence, different each time."""
        self.edits += 1
        append(self.essay(), f"\nThe benchmark adds this sentence, edit {self.edits}.\n")


def append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as stream:
        stream.write(text)


def lean(run: dict) -> dict:
    """A timed run without its output, for bench.json."""
    return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in run.items()
            if k not in ("stdout", "stderr")}


def pdf_pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def inode(path: Path) -> int | None:
    return path.stat().st_ino if path.exists() else None


class Peer:
    """pandoc → WeasyPrint PDF/UA-1 plus pandoc EPUB, in a folder of its own; also the
    same with the booklet's print.css (A5, its typeface: the same page size, like for like)."""

    def __init__(self, work: Path):
        import pypandoc

        self.folder = work / "peer"
        source = booklet_markdown(REPO / "content", self.folder).name
        shutil.copytree(REPO / "styles", self.folder / "styles")
        self.pandoc = pypandoc.get_pandoc_path()
        self.version = subprocess.run([self.pandoc, "--version"], capture_output=True,
                                      text=True).stdout.splitlines()[0]
        self.env = {k: v for k, v in os.environ.items()} | {"SOURCE_DATE_EPOCH": EPOCH}
        weasyprint = [str(BIN / "weasyprint"), "-q", "--pdf-variant", "pdf/ua-1"]
        html = [self.pandoc, source, "-t", "html5", "--standalone", "--toc"]
        self.steps = {
            "epub": [self.pandoc, source, "--toc", "-o", "theirs.epub"],
            "html": [*html, "-o", "theirs.html"],
            "weasyprint_pdf_ua": [*weasyprint, "theirs.html", "theirs.pdf"],
            "html_a5": [*html, "--css", "styles/print.css", "-o", "theirs-a5.html"],
            "weasyprint_pdf_a5": [*weasyprint, "theirs-a5.html", "theirs-a5.pdf"],
        }

    def run(self) -> dict[str, dict]:
        return {name: timed(cmd, self.folder, self.env) for name, cmd in self.steps.items()}


def bench_paired(work: Path, project: Copy, runs: int) -> dict:
    """Cold builds of the standard edition and of every edition, each followed by a
    one-essay edit and rebuild, in turns with the peer; the order alternates by run."""
    peer = Peer(work)
    log("warm-up: one cold build of each kind, and the peer once (not counted)")
    project.cold()
    project.booklet("build", *STANDARD)
    pages = {"standard": pdf_pages(project.build / "booklet.pdf")}
    project.cold()
    # What every edition is, as the build says it ("wrote build/booklet.pdf"): build/
    # may also hold what booklet keeps for itself (stamps, a cache).
    said = project.booklet("build")["stdout"]
    outputs = sorted(line.split(maxsplit=1)[1].removeprefix("build/").rstrip("/")
                     for line in said.splitlines() if line.startswith("wrote "))
    peer.run()
    pages |= {"peer": pdf_pages(peer.folder / "theirs.pdf"),
              "peer_a5": pdf_pages(peer.folder / "theirs-a5.pdf")}

    series = {edition: {"cold": [], "edit": [], "edit_rewrote_pdf": []}
              for edition in ("standard", "all")}
    peer_runs: dict[str, list[dict]] = {name: [] for name in peer.steps}

    def ours(edition: str) -> None:
        args = ("build", *STANDARD) if edition == "standard" else ("build",)
        project.cold()
        series[edition]["cold"].append(lean(project.booklet(*args)))
        before = inode(project.build / "booklet.pdf")
        project.edit_essay()
        series[edition]["edit"].append(lean(project.booklet(*args)))
        series[edition]["edit_rewrote_pdf"].append(inode(project.build / "booklet.pdf") != before)

    def theirs() -> None:
        for name, run in peer.run().items():
            peer_runs[name].append(lean(run))

    blocks = [lambda: ours("standard"), theirs, lambda: ours("all")]
    for n in range(runs):
        log(f"paired run {n + 1}/{runs}: cold standard edition + edit, the peer, "
            f"cold every edition + edit ({'in' if n % 2 == 0 else 'reverse'} order)")
        for block in (blocks if n % 2 == 0 else blocks[::-1]):
            block()

    total = lambda names: [sum(peer_runs[s][i]["wall_s"] for s in names)  # noqa: E731
                           for i in range(runs)]
    pdf_and_epub = total(("epub", "html", "weasyprint_pdf_ua"))
    pdf_a5_and_epub = total(("epub", "html_a5", "weasyprint_pdf_a5"))
    return {"runs": runs, "pages": pages, "outputs": outputs, **series,
            "summary": {f"{edition}_{kind}": summarise(series[edition][kind])
                        for edition in series for kind in ("cold", "edit")},
            "peer": {"pandoc": peer.version, "runs": peer_runs,
                     "summary": {name: summarise(r) for name, r in peer_runs.items()},
                     "pdf_and_epub": [{"wall_s": w} for w in pdf_and_epub],
                     "pdf_and_epub_stats": stats(pdf_and_epub),
                     "pdf_a5_and_epub": [{"wall_s": w} for w in pdf_a5_and_epub],
                     "pdf_a5_and_epub_stats": stats(pdf_a5_and_epub)}}


def bench_make(project: Copy, runs: int) -> dict:
    """`make` as the editor uses it (every edition): a no-op, and after four kinds of
    edit, which of the PDF and the EPUB were written anew (a new inode) against which
    should have been."""
    make = ("make", "--no-print-directory")
    project.cold()
    log("make: a first build (not counted), then a no-op `make` x10")
    project.run(*make)
    noop = [project.run(*make)["wall_s"] for _ in range(10)]
    essay = project.essay()
    edits = {  # what an editor or a designer does, and what it should rebuild
        "touch one essay (no change)": (lambda: os.utime(essay), []),
        "edit one essay": (project.edit_essay, ["epub", "pdf"]),
        "edit styles/epub.css": (lambda: append(project.root / "styles" / "epub.css",
                                                "\nh1 { letter-spacing: 0; }\n"), ["epub"]),
        "edit a print colour": (lambda: append(project.root / "styles" / "print.css",
                                               "\n.references { color: #111; }\n"), ["pdf"]),
    }
    rebuilds = {}
    for label, (edit, expected) in edits.items():
        log(f"make: {label}, then `make` x{runs}")
        timings, wrote = [], []
        for _ in range(runs):
            time.sleep(0.01)  # a later mtime than the last build's outputs
            edit()
            before = {name: inode(project.build / name) for name in OUTPUTS}
            timings.append(lean(project.run(*make)))
            wrote = sorted(name.split(".")[1] for name in OUTPUTS
                           if inode(project.build / name) != before[name])
        rebuilds[label] = summarise(timings) | {"rebuilt": wrote, "expected": expected}
    return {"noop": stats(noop) | {"walls": [round(w, 4) for w in noop]}, "rebuilds": rebuilds}


def bench_watch(project: Copy, formats: tuple[str, ...], edits: int) -> dict:
    """`booklet watch` in a cold copy: its first build, then `edits` one-essay edits,
    each timed from the write to the line saying the rebuild is done."""
    project.cold()
    label = " ".join(("booklet", "watch", *formats))
    log(f"`{label}`: first build, then {edits} one-essay edits")
    session = WatchSession([str(BIN / "booklet"), "watch", *formats], project.root,
                           project.env)
    result: dict = {"command": label, "edits": []}
    try:
        first = session.wait_for({"built", "refused"}, WATCH_FIRST_BUILD_TIMEOUT)
        if first.parsed["kind"] == "refused":
            raise RuntimeError("the first build was refused:\n" + session.tail())
        result["first_build_s"] = first.parsed["seconds"]
        session.wait_for({"watching"}, 30)
        for _ in range(edits):
            # Quiet for longer than watch's own wait for changes (half a second), so that
            # it is watching, and no rebuild of the last edit is still to come.
            session.settle(quiet=1.5, timeout=WATCH_EDIT_TIMEOUT)
            result["edits"].append(session.edit_and_wait(project.edit_essay,
                                                         WATCH_EDIT_TIMEOUT))
    except (TimeoutError, RuntimeError) as problem:
        result["error"] = str(problem).splitlines()[0]
        log(f"`{label}`: {problem}\n{session.tail()}")
    finally:
        result["peak_rss_mib"] = session.close() / 1024
    result["edits"] = [{k: (round(v, 4) if isinstance(v, float) else v) for k, v in e.items()}
                       for e in result["edits"]]
    return result


def bench_anthology(work: Path, times: int, runs: int, watch_edits: int) -> dict:
    content = work / "anthology-content"
    essays = len(make_anthology(REPO / "content", content, times))
    project = Copy(work / "anthology", content=content)
    cold, edit = [], []
    for n in range(runs):
        log(f"anthology ({essays} essays): cold `booklet build pdf epub`, then a one-essay "
            f"edit, run {n + 1}/{runs}")
        project.cold()
        cold.append(lean(project.booklet("build", *STANDARD)))
        project.edit_essay()
        edit.append(lean(project.booklet("build", *STANDARD)))
    result = {"essays": essays, "pages": pdf_pages(project.build / "booklet.pdf"),
              "cold": summarise(cold), "edit": summarise(edit),
              "cold_runs": cold, "edit_runs": edit}
    if watch_edits:
        result["watch"] = bench_watch(project, STANDARD, watch_edits)
    return result


def profile(work: Path) -> dict:
    project = Copy(work / "profile")
    report = REPO / "build" / "profile-booklet.txt"
    summary = work / "profile.json"
    log(f"pyinstrument profile of a cold standard build → {report.relative_to(REPO)}")
    project.run(str(BIN / "python"), str(Path(__file__).parent / "profile_build.py"),
                str(project.root), str(report), str(summary), *STANDARD)
    data = json.loads(summary.read_text())
    data["stages_s"] = dict(list(data["stages_s"].items())[:8])
    return data | {"report": str(report.relative_to(REPO))}


def wait_for_idle(longest: float, window: float = 5.0, threshold: float = 0.5) -> None:
    """Wait until a `window` passes with other work under `threshold` cores, or `longest`."""
    deadline = time.perf_counter() + longest
    while time.perf_counter() < deadline:
        before = machine_busy_s()
        time.sleep(window)
        load = (machine_busy_s() - before) / window
        if load < threshold:
            return
        log(f"waiting for a quieter machine: other work keeps {load:.2f} cores busy")
    log(f"the machine stayed busy for {longest:.0f} s; measuring anyway")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cold-runs", type=int, default=5,
                        help="paired runs: cold builds + edits, ours and the peer's in turns "
                             "(default 5)")
    parser.add_argument("--runs", type=int, default=3,
                        help="runs of each `make` rebuild after an edit (default 3)")
    parser.add_argument("--watch-edits", type=int, default=5,
                        help="one-essay edits timed in each `booklet watch` (default 5)")
    parser.add_argument("--times", type=int, default=25,
                        help="each essay this many times in the anthology (default 25)")
    parser.add_argument("--anthology-runs", type=int, default=1)
    parser.add_argument("--anthology-watch", type=int, default=0, metavar="EDITS",
                        help="also time EDITS one-essay edits of the anthology in "
                             "`booklet watch pdf epub` (default 0: not)")
    parser.add_argument("--no-make", action="store_true", help="skip the no-op and `make` "
                        "rebuild measurements")
    parser.add_argument("--no-watch", action="store_true")
    parser.add_argument("--no-watch-all", action="store_true",
                        help="time `booklet watch pdf epub` only, not every edition's watch")
    parser.add_argument("--no-anthology", action="store_true")
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument("--wait-idle", type=float, default=0, metavar="SECONDS",
                        help="first wait, at most SECONDS, until other work keeps less than "
                             "half a core busy (default 0: start at once)")
    parser.add_argument("--report", type=Path, metavar="BENCH.json",
                        help="measure nothing: print the table and targets of an earlier run")
    args = parser.parse_args()
    if args.report:
        results = json.loads(args.report.read_text(encoding="utf-8"))
        results["targets"] = check_targets(results)
        print(render(results))
        return 0

    if args.wait_idle:
        wait_for_idle(args.wait_idle)
    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="booklet-bench-"))
    results: dict = {"machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                                 "system": platform.platform()},
                     "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    try:
        project = Copy(work / "booklet")
        results["paired"] = bench_paired(work, project, args.cold_runs)
        if not args.no_make:
            results["make"] = bench_make(project, args.runs)
        if not args.no_watch:
            results["watch"] = {"standard": bench_watch(project, STANDARD, args.watch_edits)}
            if not args.no_watch_all:
                results["watch"]["all"] = bench_watch(project, (), args.watch_edits)
        if not args.no_anthology:
            results["anthology"] = bench_anthology(work, args.times, args.anthology_runs,
                                                   args.anthology_watch)
        if not args.no_profile:
            results["profile"] = profile(work)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    results["bench_s"] = time.perf_counter() - started
    out = REPO / "build" / "bench.json"
    out.parent.mkdir(exist_ok=True)
    write = lambda: out.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n",  # noqa: E731
                                   encoding="utf-8")
    write()  # the measurements are kept even if working out the targets fails
    results["targets"] = check_targets(results)
    write()
    print(render(results))
    print(f"\nwritten: {out.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
