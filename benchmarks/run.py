"""`make bench`: how fast booklet builds, against pandoc, in one run on this machine.

Every measurement is a fresh process in a throw-away copy of the project (content,
styles, code, Makefile), so the working tree is never touched and nothing is warm but
the operating system's file cache (a warm-up run fills it before timing). Prints a table
and writes build/bench.json; the targets are checked here, never in a timed test.

    python benchmarks/run.py [--runs 3] [--cold-runs 5] [--times 25] [--no-anthology]
                             [--no-profile]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from anthology import make_anthology
from pandoc_source import booklet_markdown

REPO = Path(__file__).resolve().parent.parent
BIN = REPO / ".venv" / "bin"
COPIED = ("content", "styles", "src", "Makefile", "pyproject.toml")
OUTPUTS = ("booklet.pdf", "booklet.epub")
EPOCH = "1590000000"  # any fixed edition time: the copies are not git repositories

TARGETS = {  # name: (what, limit; None: reported, not a target)
    "cold_vs_pandoc": ("cold build ÷ (pandoc→WeasyPrint PDF + pandoc EPUB)", 1.0),
    "cold_vs_pandoc_a5": ("cold build ÷ pandoc with print.css (A5 PDF/UA-1 + EPUB), "
                          "for information", None),
    "noop_make_s": ("no-op make, median (s)", 0.15),
    "anthology_time_per_page_ratio": ("anthology s/page ÷ booklet s/page", 1.2),
    "anthology_peak_rss_gib": ("anthology peak RSS (GiB)", 1.5),
}


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def timed(cmd: list[str], cwd: Path, env: dict, check: bool = True) -> dict:
    """Run `cmd`; its wall time and the peak RSS of it and its children (wait4)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0), err.seek(0)
        result = {"wall_s": wall, "maxrss_kib": usage.ru_maxrss, "returncode": process.returncode,
                  "stdout": out.read().decode(errors="replace"),
                  "stderr": err.read().decode(errors="replace")}
    if check and result["returncode"] != 0:
        raise SystemExit(f"bench: {' '.join(cmd)} failed in {cwd}:\n{result['stderr'][-3000:]}")
    return result


def stats(values: list[float]) -> dict:
    return {"min": min(values), "median": statistics.median(values), "runs": len(values)}


def copy_project(dest: Path, content: Path | None = None) -> Path:
    """A project copy whose own .venv borrows the real one, stamped as installed."""
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
    return dest


def environment(project: Path) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES")}
    return env | {"PYTHONPATH": str(project / "src"), "SOURCE_DATE_EPOCH": EPOCH}


def pdf_pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def replaced(project: Path, action) -> list[str]:
    """Which outputs `action` (a rebuild) wrote anew: renamed into place = a new inode."""
    build = project / "build"
    before = {name: (build / name).stat().st_ino for name in OUTPUTS}
    action()
    return sorted(n.split(".")[1] for n in OUTPUTS if (build / n).stat().st_ino != before[n])


def append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as stream:
        stream.write(text)


def bench_booklet(project: Path, runs: int) -> dict:
    env = environment(project)
    booklet, make = [str(BIN / "booklet"), "build"], ["make", "--no-print-directory"]
    log("warm-up build (not counted)")
    timed(booklet, project, env)
    result: dict = {"pages": pdf_pages(project / "build" / "booklet.pdf")}

    log(f"(a) cold `make` x{runs}")
    walls = []
    for _ in range(runs):
        shutil.rmtree(project / "build")
        walls.append(timed(make, project, env)["wall_s"])
    result["cold_make"] = stats(walls)

    log("(b) no-op `make` x10")
    runs_noop = [timed(make, project, env) for _ in range(10)]
    result["noop_make"] = stats([r["wall_s"] for r in runs_noop]) | {
        "said": runs_noop[-1]["stdout"].strip()}

    essay = sorted((project / "content" / "essays").iterdir())[1] / "essay.md"
    edits = {  # what an editor or a designer does, and what it should rebuild
        "touch one essay (no change)": (lambda: os.utime(essay), []),
        "edit one essay": (lambda: append(essay, "\nOne more sentence.\n"), ["epub", "pdf"]),
        "edit styles/epub.css": (lambda: append(project / "styles" / "epub.css",
                                                "\nh1 { letter-spacing: 0; }\n"), ["epub"]),
        "edit a print colour": (lambda: append(project / "styles" / "print.css",
                                               "\n.references { color: #111; }\n"), ["pdf"]),
    }
    result["rebuilds"] = {}
    for label, (edit, expected) in edits.items():
        log(f"(c) {label}, then `make` x{runs}")
        walls, wrote = [], None
        for _ in range(runs):
            time.sleep(0.01)  # a later mtime than the last build's outputs
            edit()
            wall: list[float] = []
            wrote = replaced(project, lambda: wall.append(timed(make, project, env)["wall_s"]))
            walls.append(wall[0])
        result["rebuilds"][label] = stats(walls) | {"rebuilt": wrote, "expected": expected}
    return result


def bench_against_pandoc(work: Path, project: Path, runs: int) -> tuple[dict, dict]:
    """pandoc's times, and our cold build's, taken in turns: this machine's speed drifts
    by a third over minutes, so each of our runs is timed next to one of pandoc's."""
    import pypandoc

    folder = work / "pandoc"
    source = booklet_markdown(REPO / "content", folder)
    pandoc = pypandoc.get_pandoc_path()
    env = environment(folder)
    # pandoc's defaults give 18 A4 pages, so also the same essays with the booklet's own
    # print.css (A5, 12 pt Atkinson Hyperlegible): the same page count, like for like.
    shutil.copytree(REPO / "styles", folder / "styles")
    steps = {
        "epub": [pandoc, source.name, "--toc", "-o", "theirs.epub"],
        "html": [pandoc, source.name, "-t", "html5", "--standalone", "--toc", "-o", "theirs.html"],
        "weasyprint_pdf": [str(BIN / "weasyprint"), "-q", "theirs.html", "theirs.pdf"],
        "weasyprint_pdf_ua": [str(BIN / "weasyprint"), "-q", "--pdf-variant", "pdf/ua-1",
                              "theirs.html", "theirs-ua.pdf"],
        "html_a5": [pandoc, source.name, "-t", "html5", "--standalone", "--toc",
                    "--css", "styles/print.css", "-o", "theirs-a5.html"],
        "weasyprint_pdf_a5": [str(BIN / "weasyprint"), "-q", "--pdf-variant", "pdf/ua-1",
                              "theirs-a5.html", "theirs-a5.pdf"],
    }
    log(f"(a) cold `booklet build`, in turns with pandoc's EPUB and HTML → WeasyPrint PDF "
        f"x{runs} (after a warm-up)")
    timed([str(BIN / "booklet"), "build"], project, environment(project))
    for cmd in steps.values():
        timed(cmd, folder, env)
    times: dict[str, list[float]] = {name: [] for name in steps}
    ours, rss = [], []
    for _ in range(runs):
        shutil.rmtree(project / "build")
        run = timed([str(BIN / "booklet"), "build"], project, environment(project))
        ours.append(run["wall_s"]), rss.append(run["maxrss_kib"])
        for name, cmd in steps.items():
            times[name].append(timed(cmd, folder, env)["wall_s"])
    total = [e + h + w for e, h, w in zip(times["epub"], times["html"], times["weasyprint_pdf"])]
    version = subprocess.run([pandoc, "--version"], capture_output=True, text=True).stdout
    total_a5 = [e + h + w for e, h, w in zip(times["epub"], times["html_a5"],
                                             times["weasyprint_pdf_a5"])]
    theirs = {name: stats(values) for name, values in times.items()} | {
        "pdf_and_epub": stats(total), "pages": pdf_pages(folder / "theirs.pdf"),
        "pdf_a5_and_epub": stats(total_a5), "pages_a5": pdf_pages(folder / "theirs-a5.pdf"),
        "pandoc": version.splitlines()[0]}
    return theirs, stats(ours) | {"peak_rss_mib": max(rss) / 1024}


def bench_anthology(work: Path, times: int, runs: int) -> dict:
    content = work / "anthology-content"
    essays = len(make_anthology(REPO / "content", content, times))
    project = copy_project(work / "anthology", content=content)
    env = environment(project)
    walls, rss = [], []
    for n in range(runs):
        log(f"(d) cold build of the {essays}-essay anthology, run {n + 1}/{runs}")
        shutil.rmtree(project / "build", ignore_errors=True)
        run = timed([str(BIN / "booklet"), "build"], project, env)
        walls.append(run["wall_s"]), rss.append(run["maxrss_kib"])
    return {"essays": essays, "pages": pdf_pages(project / "build" / "booklet.pdf"),
            "cold_build": stats(walls), "peak_rss_gib": max(rss) / 2**20}


def profile(work: Path, name: str, content: Path | None = None) -> dict:
    project = copy_project(work / f"profile-{name}", content=content)
    report = REPO / "build" / f"profile-{name}.txt"
    summary = work / f"profile-{name}.json"
    log(f"pyinstrument profile of a cold build ({name}) → {report.relative_to(REPO)}")
    timed([str(BIN / "python"), str(Path(__file__).parent / "profile_build.py"), str(project),
           str(report), str(summary)], project, environment(project))
    data = json.loads(summary.read_text())
    data["stages_s"] = dict(list(data["stages_s"].items())[:8])
    return data | {"report": str(report.relative_to(REPO))}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="runs of each timing (default 3)")
    parser.add_argument("--cold-runs", type=int, default=5,
                        help="cold builds, ours and pandoc's in turns (default 5)")
    parser.add_argument("--times", type=int, default=25,
                        help="each essay this many times in the anthology (default 25)")
    parser.add_argument("--anthology-runs", type=int, default=1)
    parser.add_argument("--no-anthology", action="store_true")
    parser.add_argument("--no-profile", action="store_true")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="booklet-bench-"))
    try:
        results = {"machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                               "system": platform.platform()}}
        project = copy_project(work / "booklet")
        # The headline first, before the rebuild timings below edit the project.
        results["pandoc"], cold = bench_against_pandoc(work, project, args.cold_runs)
        results["booklet"] = bench_booklet(project, args.runs) | {"cold_build": cold}
        if not args.no_anthology:
            results["anthology"] = bench_anthology(work, args.times, args.anthology_runs)
        if not args.no_profile:
            results["profile"] = profile(work, "booklet")
    finally:
        shutil.rmtree(work, ignore_errors=True)

    results["targets"] = check_targets(results)
    out = REPO / "build" / "bench.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print_report(results)
    print(f"\nwritten: {out.relative_to(REPO)}")
    return 0


def check_targets(results: dict) -> dict:
    ours = results["booklet"]
    values = {"cold_vs_pandoc": ours["cold_build"]["median"]
              / results["pandoc"]["pdf_and_epub"]["median"],
              "noop_make_s": ours["noop_make"]["median"]}
    # Not a target, the fair comparison: the same A5 pages from the same stylesheet.
    values["cold_vs_pandoc_a5"] = (ours["cold_build"]["median"]
                                   / results["pandoc"]["pdf_a5_and_epub"]["median"])
    if "anthology" in results:
        small = ours["cold_build"]["median"] / ours["pages"]
        big = results["anthology"]["cold_build"]["median"] / results["anthology"]["pages"]
        values["anthology_time_per_page_ratio"] = big / small
        values["anthology_peak_rss_gib"] = results["anthology"]["peak_rss_gib"]
    targets = {name: {"what": TARGETS[name][0], "value": round(value, 3),
                      "limit": TARGETS[name][1],
                      "met": None if TARGETS[name][1] is None else value <= TARGETS[name][1]}
               for name, value in values.items()}
    for label, rebuild in ours["rebuilds"].items():
        targets[f"rebuild: {label}"] = {"what": f"{label}: rebuilds only what depends on it",
                                        "value": rebuild["rebuilt"], "limit": rebuild["expected"],
                                        "met": rebuild["rebuilt"] == rebuild["expected"]}
    return targets


def print_report(results: dict) -> None:
    ours, theirs = results["booklet"], results["pandoc"]
    s = lambda d: f"{d['min']:.2f} / {d['median']:.2f}"  # noqa: E731
    rows = [("measurement", "min / median s", "note"),
            ("(a) cold `booklet build` (PDF + EPUB)", s(ours["cold_build"]),
             f"{ours['pages']} pages, peak {ours['cold_build']['peak_rss_mib']:.0f} MiB"),
            ("(a) cold `make`", s(ours["cold_make"]), ""),
            ("pandoc EPUB", s(theirs["epub"]), theirs["pandoc"]),
            ("pandoc HTML → WeasyPrint PDF", f"{theirs['html']['median'] + theirs['weasyprint_pdf']['median']:.2f} (median)",
             f"{theirs['pages']} pages, untagged"),
            ("pandoc HTML → WeasyPrint PDF/UA-1", f"{theirs['html']['median'] + theirs['weasyprint_pdf_ua']['median']:.2f} (median)", ""),
            ("pandoc PDF + EPUB", s(theirs["pdf_and_epub"]), "the headline's divisor"),
            ("pandoc + print.css → WeasyPrint PDF/UA-1",
             f"{theirs['html_a5']['median'] + theirs['weasyprint_pdf_a5']['median']:.2f} (median)",
             f"{theirs['pages_a5']} pages A5, like for like"),
            ("pandoc A5 PDF + EPUB", s(theirs["pdf_a5_and_epub"]), ""),
            ("(b) no-op `make`", f"{ours['noop_make']['min']:.3f} / {ours['noop_make']['median']:.3f}", "")]
    for label, rebuild in ours["rebuilds"].items():
        rows.append((f"(c) {label}, `make`", s(rebuild),
                     "rebuilt: " + (", ".join(rebuild["rebuilt"]) or "nothing")))
    if "anthology" in results:
        big = results["anthology"]
        rows.append((f"(d) {big['essays']}-essay anthology, cold build", s(big["cold_build"]),
                     f"{big['pages']} pages, peak {big['peak_rss_gib']:.2f} GiB"))
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    for n, row in enumerate(rows):
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))
    print("\ntargets:")
    for target in results["targets"].values():
        mark = {True: "met", False: "MISSED", None: "info"}[target["met"]]
        limit = "" if target["limit"] is None else f" (target {target['limit']})"
        print(f"  [{mark}] {target['what']}: {target['value']}{limit}")
    if "profile" in results:
        print(f"\nwhere a cold build's time goes ({results['profile']['report']}):")
        for stage, seconds in results["profile"]["stages_s"].items():
            print(f"  {seconds:6.2f} s  {stage}")


if __name__ == "__main__":
    sys.exit(main())
