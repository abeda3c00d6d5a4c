"""The `booklet` command."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from booklet.errors import BookletError


def run() -> None:
    """The command's entry point (`booklet …`, `python -m booklet …`): `main`, then out.

    A build leaves a large heap (WeasyPrint, its fonts, the laid-out parts), and tearing
    it down object by object took a tenth of a second after every build, which nothing
    needs: the outputs are closed and moved into place by then. So the exit handlers run
    (one removes WeasyPrint's font folders: engine/fonts.py), the streams are flushed and
    the process ends. An exception not caught in `main` ends it the usual way.
    """
    import atexit
    import os

    code = main()
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (booklet build | head)
            code = code or 1
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="booklet", description=__doc__)
    parser.add_argument("--root", type=Path, default=Path.cwd(),
                        help="the project folder (holding content/ and styles/)")
    parser.add_argument("--version", action=_Version, nargs=0,
                        help="show booklet's version and exit")
    commands = parser.add_subparsers(dest="command", required=True)
    from booklet.editions import names

    editions = ", ".join(names())
    build = commands.add_parser("build", help="build the editions into build/")
    build.add_argument("formats", nargs="*", metavar="EDITION",
                       help=f"what to build: {editions} (default: all; `booklet editions` "
                            "says what each is)")
    build.add_argument("--crop-marks", action="store_true",
                       help="give the print shop's PDF crop marks outside its bleed")
    build.add_argument("-q", "--quiet", action="store_true",
                       help="print only problems, not a line per stage")
    watch = commands.add_parser("watch", help="build, then rebuild on every save until Ctrl+C")
    watch.add_argument("formats", nargs="*", metavar="EDITION",
                       help=f"what to rebuild: {editions} (default: all)")
    watch.add_argument("--serve", nargs="?", type=int, const=8000, metavar="PORT",
                       help="also show build/ at http://127.0.0.1:PORT/ (default 8000), the "
                            "web edition's pages reloading after each rebuild")
    commands.add_parser("editions", help="list the editions, each with its file in build/")
    commands.add_parser("validate", help="check content/ without building anything")
    commands.add_parser("editorial", help="rewrite the generated Unresolved lists in "
                                          "content/EDITORIAL.md from the content")
    commands.add_parser("migrate-references", help="rewrite each essay's references.yaml "
                        "from the 2020 field names into CSL-YAML, keeping every comment")
    commands.add_parser("report", help="write build/editorial-report.html: every change, "
                                       "unresolved item, added or uncited entry and figure")
    edition = commands.add_parser(
        "new-edition", help="start next year's booklet: a new identifier and year in "
                            "content/booklet.yaml")
    edition.add_argument("year", help="the new edition's year, e.g. 2027")
    check = commands.add_parser("check", help="check the built outputs with the real "
                                "validators (every edition's in build/, or one FILE)")
    check.add_argument("kind", nargs="?", choices=["pdf", "epub"],
                       help="the kind of FILE: pdf (the PDF/UA-1 audit) or epub (EPUBCheck "
                            "and Ace)")
    check.add_argument("file", nargs="?", type=Path)
    imp = commands.add_parser(
        "import", help="make a new essay folder in content/essays/ from a student's Word "
                       "file (.docx), with a report of what is left to do")
    imp.add_argument("docx", type=Path, metavar="STUDENT.docx")
    imp.add_argument("--force", action="store_true",
                     help="replace the essay folder if it exists (and everything in it)")
    imp.add_argument("--title", help="the essay's title, if the document does not give it")
    imp.add_argument("--author", help="the author's name, if the document does not give it")
    imp.add_argument("--affiliation", help="the author's university, if the document does "
                                           "not give it")
    imp.add_argument("--folder", metavar="NAME",
                     help="the folder's name in content/essays/ (default: the next number "
                          "and the author's name, e.g. 05-sam-jones)")
    explain = commands.add_parser("explain", help="what an error code means, how to fix it")
    explain.add_argument("code", nargs="?", help="a code such as B101 (default: list them all)")
    args = parser.parse_args(argv)
    if args.command == "explain":
        from booklet.explain import main as run_explain

        return run_explain(args.code)
    if args.command == "editions":
        return _list_editions()
    if args.command in ("build", "watch") and set(args.formats) - set(names()):
        parser.error(f"{args.command} takes any of: {editions}")
    if args.command == "check" and (args.kind is None) != (args.file is None):
        parser.error("check takes a kind and a FILE (booklet check pdf build/booklet.pdf), "
                     "or nothing to check every edition in build/")

    from booklet.project import Project

    project = Project(args.root.resolve())
    if args.command == "check":
        if args.kind is None:
            return _check_all(project)
        return _check(args.kind, args.file, project.root)
    if args.command == "import":
        return _import(args, project)
    try:
        if args.command == "validate":
            from booklet.content import load_booklet

            booklet = load_booklet(project.content)
            for warning in booklet.warnings:
                print(warning, file=sys.stderr)
            print(f"content is valid: {len(booklet.essays)} essays")
            for essay in booklet.essays:
                for finding in essay.findings:
                    if finding.check:  # unrecorded ones were warned above
                        print(f"  recorded {finding.code}: {_where(finding)}: "
                              f"{finding.message}")
                for ref in essay.references:
                    if ref.uncited:
                        print(f"  kept uncited: {essay.slug} {ref.key}: {ref.uncited}")
        elif args.command == "watch":
            from booklet.watch import watch as run_watch

            return run_watch(project, tuple(args.formats) or names(), serve=args.serve)
        elif args.command == "editorial":
            from booklet.content.editorial import write_editorial

            for line in write_editorial(project.content):
                print(line)
        elif args.command == "migrate-references":
            from booklet.content.references.migrate import migrate_content

            for line in migrate_content(project.content):
                print(line)
        elif args.command == "report":
            from booklet.write.report import write_report

            for line in write_report(project):
                print(line)
        elif args.command == "new-edition":
            from booklet.content.new_edition import new_edition

            for line in new_edition(project.content / "booklet.yaml", args.year):
                print(line)
        elif args.command == "build":
            from booklet.editions import edition
            from booklet.pipeline import Progress, build as run_build

            for name, written in run_build(project, tuple(args.formats) or None,
                                           Progress(args.quiet),
                                           crop_marks=args.crop_marks).items():
                path = project.output(name).relative_to(project.root)
                shown = f"{path}/" if edition(name).is_folder else path
                print(f"wrote {shown}" if written else f"{shown} is up to date")
    except BookletError as exc:
        print(exc, file=sys.stderr)
        if args.command == "new-edition":
            print("booklet: booklet.yaml was not changed.", file=sys.stderr)
        else:
            print("booklet: the build stopped; nothing in build/ was replaced.", file=sys.stderr)
        return 1
    return 0


def _where(finding) -> str:
    from booklet.errors import _display

    where = _display(finding.path)
    if finding.line:
        where += f":{finding.line}" + (f":{finding.column}" if finding.column else "")
    return where


def _import(args, project) -> int:
    from booklet.importer.folder import import_docx

    try:
        result = import_docx(args.docx, project.content, force=args.force, title=args.title,
                             author=args.author, affiliation=args.affiliation,
                             folder=args.folder)
    except BookletError as exc:
        print(exc, file=sys.stderr)
        print("booklet: nothing was imported; content/ was not changed.", file=sys.stderr)
        return 1
    print(result.report)
    where = result.folder.relative_to(project.root) if result.folder.is_relative_to(
        project.root) else result.folder
    files = ["essay.md"] + (["references.yaml"] if result.entries else []) + ["IMPORT.md"]
    files += [f.file for f in result.figures]
    print(f"wrote {where}/ ({', '.join(files)})")
    print(f"next: work through {where}/IMPORT.md, then run .venv/bin/booklet validate")
    return 0


def _list_editions() -> int:
    from booklet.editions import all_editions

    editions = all_editions()
    width = max(len(e.name) for e in editions)
    for e in editions:
        print(f"{e.name:<{width}}  build/{e.output:<24} {e.summary}")
    return 0


def _check_all(project) -> int:
    """Every edition's output in build/ through its validator (Edition.check)."""
    from booklet.editions import all_editions

    failed = 0
    for e in all_editions():
        if e.check is None:
            continue
        path = project.output(e.name)
        print(f"booklet check {e.check} {path.relative_to(project.root)}", flush=True)
        failed += _check(e.check, path, project.root) != 0
    return 1 if failed else 0


def _check(kind: str, path: Path, root: Path) -> int:
    if not path.is_file():
        print(f"booklet check: {path} does not exist; build it first (make)", file=sys.stderr)
        return 1
    if kind == "pdf":
        from booklet.check.pdf_cli import main as check_pdf

        return check_pdf(str(path))
    from booklet.check.epub import ToolMissing, check_epub

    try:
        return check_epub(path, root)
    except ToolMissing as exc:
        print(f"booklet check: {exc}", file=sys.stderr)
        return 1


class _Version(argparse.Action):
    # Looked up when asked for, not on every command (importlib.metadata: 15 ms).
    def __call__(self, parser, namespace, values, option_string=None):
        print(_version())
        parser.exit()


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"booklet {version('booklet')}"
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "booklet (version unknown: not installed)"
