"""One cold `booklet build` (PDF and EPUB) under pyinstrument, in a fresh process.

    python benchmarks/profile_build.py PROJECT_ROOT REPORT.txt [SUMMARY.json [FORMAT...]]

The profiler starts before booklet is imported, so imports are in the profile. Writes
the pyinstrument text report (call tree, then a flat "self time" list) to REPORT.txt,
headed by a breakdown of the wall time into stages, and the breakdown as JSON.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from pyinstrument import Profiler

# A sample is charged to the first rule (in this order) that matches any frame of its
# stack: (category, function name or None for any, substring of the file path).
RULES = [
    ("imports", "_find_and_load", "importlib._bootstrap"),
    ("font loading (FontConfiguration, @font-face)", None, "weasyprint/text/fonts.py"),
    ("PDF writing: fonts (subsetting, embedding)", None, "weasyprint/pdf/fonts.py"),
    ("PDF writing: fonts (subsetting, embedding)", None, "fontTools/"),
    ("PDF writing: drawing pages", None, "weasyprint/draw"),
    ("PDF writing: PDF/UA tags", None, "weasyprint/pdf/tags.py"),
    ("PDF writing: other", "write_pdf", "weasyprint/document.py"),
    ("PDF post-processing (pikepdf)", None, "pikepdf/"),
    ("WeasyPrint layout", None, "weasyprint/layout/"),
    ("WeasyPrint box tree", None, "weasyprint/formatting_structure/"),
    ("WeasyPrint CSS (parse, cascade, computed style)", None, "weasyprint/css/"),
    ("WeasyPrint HTML parsing", "__init__", "weasyprint/__init__.py"),
    ("WeasyPrint other", None, "weasyprint/"),
    ("EPUB writing (ebooklib)", None, "booklet/write/epub/"),
    ("EPUB writing (ebooklib)", None, "ebooklib/"),
    ("render: print HTML (Jinja2)", "render_print", "booklet/render/"),
    ("render: EPUB XHTML (Jinja2)", "render_epub", "booklet/render/"),
    ("render: other", None, "booklet/render/"),
    ("content parsing (load_booklet)", None, "booklet/content/"),
    ("edition timestamp (git log)", "timestamp", "booklet/project.py"),
]


def categorise(frame_records) -> dict[str, float]:
    totals: dict[str, float] = {}
    for stack, seconds in frame_records:
        frames = []
        for ident in stack:
            parts = ident.split("\x00")
            frames.append((parts[0], parts[1] if len(parts) > 1 else ""))
        category = "other (CLI, interpreter, profiler)"
        for name, func, path in RULES:
            if any((func is None or f == func) and path in p for f, p in frames):
                category = name
                break
        totals[category] = totals.get(category, 0.0) + seconds
    return dict(sorted(totals.items(), key=lambda kv: -kv[1]))


def main() -> int:
    root, report = Path(sys.argv[1]), Path(sys.argv[2])
    summary_path = Path(sys.argv[3]) if len(sys.argv) > 3 and sys.argv[3] != "-" else None
    formats = sys.argv[4:]
    profiler = Profiler(interval=0.001, async_mode="disabled")
    start = time.perf_counter()
    profiler.start()
    from booklet.cli import main as booklet_main  # imported under the profiler
    status = booklet_main(["--root", str(root), "build", *formats])
    profiler.stop()
    wall = time.perf_counter() - start
    session = profiler.last_session
    stages = categorise(session.frame_records)
    sampled = sum(stages.values())
    what = " + ".join(f.upper() for f in formats) or "PDF + EPUB"
    lines = [f"cold `booklet build {' '.join(formats)}` of {root} ({what}): {wall:.2f} s wall, "
             f"{sampled:.2f} s sampled, exit status {status}", "",
             "Where the time goes (each sample charged to its first matching stage):"]
    lines += [f"  {secs:7.2f} s  {100 * secs / sampled:5.1f} %  {name}"
              for name, secs in stages.items()]
    text = "\n".join(lines) + "\n\n"
    text += "=== call tree ===\n" + profiler.output_text(unicode=True, color=False)
    text += "\n=== flat: functions by self time ===\n" + profiler.output_text(
        unicode=True, color=False, flat=True)
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(text, encoding="utf-8")
    if summary_path:
        summary_path.write_text(json.dumps({"wall_s": wall, "sampled_s": sampled,
                                            "stages_s": stages}, indent=1))
    return status


if __name__ == "__main__":
    sys.exit(main())
