"""The import, start to end: a Word file in, a new essay folder and its report out."""

from __future__ import annotations

import io
import json
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from booklet.content.loader import essay_slug
from booklet.errors import BookletError, Problem
from booklet.importer.citations import Linking, link_citations
from booklet.importer.docx import Image, read_docx
from booklet.importer.front import Front, take_front
from booklet.importer.markdown import Block, html_to_body
from booklet.content.references.migrate import csl_fields, csl_yaml
from booklet.importer.references import HEADING, Entry, parse_entries, plain_text

TODO = "TODO:"
_CAPTION = re.compile(r"^(?P<label>(?:Figure|Fig\.?|Image|Diagram|Chart|Table)\s*\d+)\s*"
                      r"[:.–—-]?\s*(?P<caption>.*)$", re.I)
_IMAGE_TYPES = {"image/png": ".png", "image/jpeg": ".jpg", "image/jpg": ".jpg",
                "image/svg+xml": ".svg"}
_CONVERTIBLE = {"image/gif", "image/bmp", "image/tiff", "image/x-ms-bmp", "image/webp"}


@dataclass
class Figure:
    key: str
    file: str
    label: str
    caption: str
    word_alt: str
    notes: list = field(default_factory=list)


@dataclass
class ImportResult:
    folder: Path
    docx: Path
    front: Front
    entries: list[Entry]
    linking: Linking
    figures: list[Figure]
    todos: list[tuple[str, int, str]]  # file, line, what to write
    notes: list[str]  # what the editor should know: conversions, doubts
    uncited: list[str]  # keys no citation was linked to
    words: int
    counts: dict = field(default_factory=dict)
    report: str = ""


def import_docx(docx: Path, content_dir: Path, *, force: bool = False, title: str | None = None,
                author: str | None = None, affiliation: str | None = None,
                folder: str | None = None) -> ImportResult:
    converted = read_docx(docx)
    body = html_to_body(converted.html)
    notes = list(body.notes)
    front, blocks = take_front(body.blocks, converted.properties)
    for name, value in (("title", title), ("author", author), ("affiliation", affiliation)):
        if value:
            setattr(front, name, value.strip())
            front.sources[name] = "given on the command line"
    blocks, reference_texts, ref_notes = _split_references(blocks)
    notes.extend(ref_notes)
    entries = parse_entries(reference_texts)
    blocks, heading_notes = _heading_levels(blocks)
    notes.extend(heading_notes)
    blocks, figures, images = _figures(blocks, converted.images)
    for block in blocks:
        notes.extend(block.notes)
    notes.extend(_style_notes(converted.messages))

    dest = content_dir / "essays" / (folder or _folder_name(content_dir, front, docx))
    if dest.exists() and not force:
        raise BookletError(Problem(
            "B131", f"the essay folder {dest.name} exists already", dest,
            hint="import with --folder NEW-NAME, or with --force to replace the folder and "
                 "everything in it"))
    if folder and (folder.startswith(".") or "/" in folder or "\\" in folder or folder in ("..",)):
        raise BookletError(Problem("B131", f"{folder!r} is not a folder name", dest,
                                   hint="give a plain name such as 05-sam-jones"))

    todos: list[tuple[str, int, str]] = []
    front_lines = _front_matter(front, figures)
    body_lines = _body_lines(blocks, body.footnotes)
    first_line = len(front_lines) + 4  # the two "---" lines and a blank line
    keyed = [e.fields for e in entries]
    body_lines, linking = link_citations(body_lines, keyed, first_line)
    cited = {k for found in linking.linked for k in found.keys}
    uncited = [e.key for e in entries if e.key not in cited]
    reference_lines = _references_yaml(entries)
    essay_text = "---\n" + "\n".join(front_lines) + "\n---\n\n" + "\n".join(body_lines) + "\n"
    todos.extend(_todos("essay.md", essay_text))
    todos.extend(_todos("references.yaml", "\n".join(reference_lines)))
    words = sum(len(plain_text(line).split()) for line in body_lines
                if not line.startswith((":::", "|")))
    result = ImportResult(dest, docx, front, entries, linking, figures, todos, notes, uncited,
                          words)
    from booklet.importer.report import write_report

    result.report = write_report(result)
    _write_folder(dest, content_dir, force, {
        "essay.md": essay_text.encode("utf-8"),
        **({"references.yaml": "\n".join(reference_lines).encode("utf-8")} if entries else {}),
        "IMPORT.md": result.report.encode("utf-8"),
        **images,
    })
    return result


def _split_references(blocks: list[Block]) -> tuple[list[Block], list[str], list[str]]:
    """The body before the 'References' heading, and the list's entries after it."""
    notes = []
    for i, block in enumerate(blocks):
        if block.kind in ("heading", "paragraph") and HEADING.match(block.plain) \
                and len(block.plain) < 40:
            after = blocks[i + 1:]
            texts, rest = [], []
            for j, item in enumerate(after):
                if item.kind == "heading":  # an appendix after the list: it stays in the body
                    rest = after[j:]
                    notes.append(f"the heading “{item.plain}” after the reference list and "
                                 "what follows it were kept at the end of the essay: check "
                                 "whether they belong in the booklet")
                    break
                if item.kind == "list":
                    texts.extend(re.sub(r"^\s*(?:-|\d+\.)\s+", "", line)
                                 for line in item.markdown.split("\n"))
                elif item.kind in ("paragraph", "caption", "quote"):
                    texts.append(item.markdown.lstrip("> "))
                else:
                    notes.append(f"a {item.kind} in the reference list was left out: "
                                 f"“{item.plain[:60]}”")
            return blocks[:i] + rest, texts, notes
    notes.append("no 'References' or 'Bibliography' heading was found, so no reference list "
                 "was read: write references.yaml by hand")
    return blocks, [], notes


def _heading_levels(blocks: list[Block]) -> tuple[list[Block], list[str]]:
    """Word's heading levels onto ## and ###, whichever levels the author used."""
    levels = sorted({b.level for b in blocks if b.kind == "heading"})
    mapping = {level: min(2 + n, 3) for n, level in enumerate(levels)}
    notes = []
    if len(levels) > 2:
        notes.append(f"the document uses {len(levels)} levels of heading; the booklet has two "
                     "(## and ###), so the deeper ones became ###: check them")
    for block in blocks:
        if block.kind == "heading":
            block.markdown = "#" * mapping[block.level] + " " + block.markdown
    return blocks, notes


def _figures(blocks: list[Block], images: dict[str, Image]):
    """Each picture a figure file and a '::: figure' block; its caption from the paragraph
    after it (or before it) that starts "Figure N"."""
    out, figures, files = [], [], {}
    used_captions = set()
    for i, block in enumerate(blocks):
        if block.kind != "figure":
            if i not in used_captions:
                out.append(block)
            continue
        image = images.get(block.image)
        n = len(figures) + 1
        key = f"figure-{n}"
        notes = []
        if image is None:
            continue
        ext = _IMAGE_TYPES.get(image.content_type)
        data = image.data
        if ext is None and image.content_type in _CONVERTIBLE:
            data, ext = _to_png(data), ".png"
            notes.append(f"the picture was {image.content_type}; converted to PNG")
        if ext is None:
            ext = "." + (image.content_type.split("/")[-1].replace("x-", "") or "bin")
            notes.append(f"the picture is {image.content_type or 'of an unknown kind'}, which "
                         "the booklet cannot print: export it from Word as PNG and replace "
                         f"{key}{ext} with {key}.png (and change file:)")
        caption, label = "", f"Figure {n}"
        for j in (i + 1, i - 1):
            if 0 <= j < len(blocks) and j not in used_captions and blocks[j].kind in (
                    "caption", "paragraph"):
                match = _CAPTION.match(blocks[j].plain)
                if blocks[j].kind == "caption" or (match and len(blocks[j].plain) < 200):
                    if match:
                        label, caption = match["label"], match["caption"].strip()
                    else:
                        caption = blocks[j].plain
                    used_captions.add(j)
                    if j == i - 1 and out and out[-1] is blocks[j]:
                        out.pop()
                    break
        figures.append(Figure(key, key + ext, label, caption, image.alt, notes))
        files[key + ext] = data
        out.append(Block("figure", f"::: figure {key}\n:::", ""))
    return out, figures, files


def _to_png(data: bytes) -> bytes:
    from PIL import Image as PILImage

    with PILImage.open(io.BytesIO(data)) as picture:
        buffer = io.BytesIO()
        picture.save(buffer, "PNG")
        return buffer.getvalue()


def _style_notes(messages: list[str]) -> list[str]:
    styles = sorted({m.split(":", 1)[1].split("(")[0].strip() for m in messages
                     if m.startswith("Unrecognised paragraph style")})
    other = [m for m in messages if not m.startswith(("Unrecognised paragraph style",
                                                      "Unrecognised run style"))]
    notes = []
    if styles:
        notes.append("Word paragraph styles read as ordinary paragraphs: " + ", ".join(styles))
    notes.extend(f"mammoth: {m}" for m in other)
    return notes


def _folder_name(content_dir: Path, front: Front, docx: Path) -> str:
    numbers = [int(m.group(1)) for p in (content_dir / "essays").glob("*")
               if p.is_dir() and (m := re.match(r"(\d+)", p.name))]
    n = max(numbers, default=0) + 1
    name = front.author if front.author else docx.stem
    return f"{n:02d}-{essay_slug(name)}"


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _front_matter(front: Front, figures: list[Figure]) -> list[str]:
    lines = []

    def field_line(name: str, value: str, todo: str, indent: str = "") -> None:
        if not value:
            value = f"{TODO} {todo}"
        lines.append(f"{indent}{name}: {_q(value)}")

    field_line("title", plain_text(front.title), "the essay’s title, as it should be printed")
    if front.subtitle:
        lines.append(f"subtitle: {_q(plain_text(front.subtitle))}")
    field_line("author", front.author, "the author’s name, as it should be printed")
    field_line("affiliation", front.affiliation,
               "the author’s university (or delete this line if there is none)")
    if figures:
        lines.append("figures:")
    for figure in figures:
        lines.append(f"  {figure.key}:")
        lines.append(f"    file: {figure.file}")
        lines.append(f"    label: {_q(figure.label)}")
        field_line("caption", figure.caption, f"the caption of {figure.label}", "    ")
        word_alt = f" (Word’s alt text: “{figure.word_alt}”)" if figure.word_alt else ""
        field_line("alt", "", f"one sentence saying what {figure.label} shows{word_alt}",
                   "    ")
        field_line("description", "", f"what a sighted reader takes from {figure.label}, "
                   "in prose", "    ")
    return lines


def _todos(name: str, text: str) -> list[tuple[str, int, str]]:
    """(file, line, what) of every placeholder the loader will refuse."""
    found = []
    for n, line in enumerate(text.split("\n"), 1):
        match = re.match(r'^\s*(?:- )?(\w+): "TODO: (.*)"$', line)
        caption = re.match(r"^(Table \d+): TODO: (.*)$", line)
        if match:
            found.append((name, n, f"{match.group(1)}: {match.group(2)}"))
        elif caption:
            found.append((name, n, f"caption: {caption.group(2)} ({caption.group(1)})"))
    return found


_TABLE_CAPTION = re.compile(r"^(\*\*)?Table\s+\d+(\*\*)?\s*[:.]")


def _body_lines(blocks: list[Block], footnotes) -> list[str]:
    lines: list[str] = []
    tables = 0
    previous: Block | None = None
    for block in blocks:
        if block.kind in ("title", "subtitle"):  # a second Title paragraph: a heading
            block.markdown = "## " + block.markdown
        if block.kind == "caption":
            block.kind = "paragraph"
        if block.kind == "table":
            # A table's caption line stands directly above it (content/README.md,
            # "Tables"): the author's "Table 1: …" paragraph, or a placeholder the
            # loader refuses until the editor writes it.
            tables += 1
            if previous is not None and previous.kind == "paragraph" and \
                    _TABLE_CAPTION.match(previous.markdown) and lines:
                lines.extend(block.markdown.split("\n"))
                previous = block
                continue
            block.markdown = (f"Table {tables}: {TODO} a caption saying what the table "
                              f"shows\n" + block.markdown)
        if lines:
            lines.append("")
        lines.extend(block.markdown.split("\n"))
        previous = block
    if footnotes:
        lines.append("")
        for label, text in footnotes:
            lines.append(f"[^{label}]: {text}")
    return lines


def _references_yaml(entries: list[Entry]) -> list[str]:
    lines = ["# Imported by booklet import. Check each entry against the line above it, which",
             "# is the entry as the author wrote it; see IMPORT.md for what needs checking.",
             ""]
    for entry in entries:
        lines.append(f"# as written: {entry.raw}")
        fields = csl_fields(entry.fields)
        if not entry.fields.get("year"):
            fields["issued"] = f"{TODO} the year of this work (the author’s list gives none)"
        if not fields.get("author") and not fields.get("title"):
            fields["title"] = f"{TODO} the title of this work"
        for name in ("title", "volume", "issue", "publisher", "section"):
            if entry.fields.get(name):
                fields[name] = str(entry.fields[name])
        order = ("id", "type", "author", "issued", "title", "container-title", "section",
                 "editor", "volume", "issue", "page", "edition", "publisher",
                 "publisher-place", "genre", "medium", "URL", "DOI", "accessed")
        first = True
        for name in sorted(fields, key=lambda n: order.index(n) if n in order else 99):
            lines.append(("- " if first else "  ") + f"{name}: {csl_yaml(fields[name])}")
            first = False
        lines.append("")
    return lines


def _write_folder(dest: Path, content_dir: Path, force: bool, files: dict[str, bytes]) -> None:
    """All or nothing: the folder is made beside its place and moved in whole."""
    essays = content_dir / "essays"
    try:
        essays.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".import-", dir=essays))
        for name, data in files.items():
            (tmp / name).write_bytes(data)
        if dest.exists():
            if not force:  # made meanwhile
                shutil.rmtree(tmp)
                raise BookletError(Problem("B131", f"the essay folder {dest.name} exists "
                                           "already", dest, hint="import with --force"))
            old = essays / f".replaced-{dest.name}"
            shutil.rmtree(old, ignore_errors=True)
            dest.rename(old)
            tmp.rename(dest)
            shutil.rmtree(old)
        else:
            tmp.rename(dest)
    except OSError as exc:
        raise BookletError(Problem("B400", f"the essay folder could not be written: {exc}",
                                   dest)) from None
