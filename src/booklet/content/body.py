"""Markdown bodies into block and inline nodes, checked as they are read.

markdown-it-py gives every block token its source lines, so each problem can name
the line an editor must fix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.footnote import footnote_plugin

from booklet.content import literal, model, tables
from booklet.content.inline_html import (ALLOWED_HTML_NAMES, EMPHASIS, STRONG, VOID,
                                         direction_of, parse_tag, tag_problem)
from booklet.content.links import url_problem
from booklet.errors import Problem

MAX_NESTING = 20  # quotes within lists within quotes …: deeper is hostile, not prose

_KEY = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True})  # raw HTML is parsed so it can be checked
    md.use(container_plugin, name="figure")
    md.enable("table")  # GFM pipe tables: see tables.py for what is refused
    md.use(footnote_plugin)  # [^1] marks and their notes: see _notes
    # markdown-it quietly turns [x](javascript:…) and ![x](file:…) into plain text; every
    # link and image must instead reach the checks below, so that they are refused aloud.
    md.validateLink = lambda url: True
    return md


_MD = _parser()


@dataclass
class BodyContext:
    path: Path
    first_line: int  # the line of the body's first line in the file
    anchor_prefix: str
    problems: list[Problem]
    figures: dict = field(default_factory=dict)  # key -> model.Figure
    reference_keys: set | None = field(default_factory=set)  # None: the list is unreadable
    allow_citations: bool = True
    allow_figures: bool = True
    allow_notes: bool = True
    notes: list = field(default_factory=list)  # model.Note, in number order
    tables: int = 0
    quote_depth: int = 0
    placed_figures: list = field(default_factory=list)
    citation_count: int = 0
    heading_anchors: set = field(default_factory=set)
    root: Path | None = None  # content/: local link targets must not lead outside it
    lines: list = field(default_factory=list)  # the body's source lines
    _cursor: tuple = (None, 0)  # (token map, offset): where the last search in a block ended
    _cite_cursor: tuple = (None, 0)  # the same for citations, which are found in order

    def problem(self, code: str, message: str, token_map, hint: str | None = None,
                needle: str | None = None) -> None:
        """Report at the token's first line, or at `needle`'s line and column in it."""
        line = self.first_line + token_map[0] if token_map else None
        column = None
        if needle and token_map:
            line, column = self._locate(needle, token_map)
        self.problems.append(Problem(code, message, self.path, line, column, hint=hint))

    def _locate(self, needle: str, token_map) -> tuple[int, int | None]:
        start, end = token_map[0], max(token_map[1], token_map[0] + 1)
        source = "\n".join(self.lines[start:end])
        key = (start, end)
        offset = self._cursor[1] if self._cursor[0] == key else 0
        found = -1
        for candidate in dict.fromkeys((needle, unquote(needle))):  # hrefs come %-encoded
            found = source.find(candidate, offset)
            if found < 0:
                found = source.find(candidate)
            if found >= 0:
                needle = candidate
                break
        if found < 0:
            return self.first_line + start, None
        self._cursor = (key, found + len(needle))
        line_in_block = source.count("\n", 0, found)
        column = found - (source.rfind("\n", 0, found) + 1) + 1
        return self.first_line + start + line_in_block, column


    def locate_citation(self, href: str, token_map) -> tuple[int, int]:
        """The line and column of the "[" that opens the citation linking to `href`.

        Citations are met in the order they are written, so each search starts where the
        previous one in the same block ended; its own cursor keeps the problems' searches
        (which may go back to a key inside this very citation) undisturbed.
        """
        if not token_map:
            return 0, 0
        start, end = token_map[0], max(token_map[1], token_map[0] + 1)
        source = "\n".join(self.lines[start:end])
        key = (start, end)
        offset = self._cite_cursor[1] if self._cite_cursor[0] == key else 0
        found = -1
        for target in dict.fromkeys((href, unquote(href))):  # hrefs come %-encoded
            found = source.find(f"]({target}", offset)
            if found >= 0:
                break
        if found < 0:
            return self.first_line + start, 0
        self._cite_cursor = (key, found + 2)
        depth, opening = 0, found
        while opening > 0:  # back to the "[" that this "]" closes, over nested brackets
            opening -= 1
            char = source[opening]
            if char == "]" and source[opening - 1:opening] != "\\":
                depth += 1
            elif char == "[" and source[opening - 1:opening] != "\\":
                if depth == 0:
                    break
                depth -= 1
        line_in_block = source.count("\n", 0, opening)
        column = opening - (source.rfind("\n", 0, opening) + 1) + 1
        return self.first_line + start + line_in_block, column


def parse_body(text: str, ctx: BodyContext) -> tuple:
    ctx.lines = text.split("\n")
    env: dict = {}
    tokens = _MD.parse(text, env)
    # At its maxNesting (20 token levels: a list costs two) markdown-it silently drops
    # whatever is nested deeper. Say so rather than lose the words. (Raising the limit
    # instead makes hostile input like "![![![…" several times slower to parse.)
    limit = _MD.options["maxNesting"] - 1
    if deep := next((tok for tok in tokens if tok.level >= limit), None):
        ctx.problem("B240", "quotes and lists are nested too deeply", deep.map,
                    hint="a quotation takes one '>'; check for stray '>' or list markers at "
                         "the start of the line")
        return ()
    blocks, _ = _blocks(tokens, 0, ctx, closing=None, depth=0)
    _unused_notes(env, ctx)
    return tuple(blocks)


def _blocks(tokens, i, ctx: BodyContext, closing: str | None, depth: int):
    blocks = []
    last_level = 1
    while i < len(tokens):
        tok = tokens[i]
        if closing and tok.type == closing:
            return blocks, i + 1
        if depth > MAX_NESTING:
            ctx.problem("B240", f"quotes and lists are nested more than {MAX_NESTING} deep",
                        tok.map, hint="a quotation takes one '>'; check for stray '>' or list "
                                      "markers at the start of the line")
            return blocks, len(tokens)
        t = tok.type
        if t == "paragraph_open":
            inline = tokens[i + 1]
            _paragraph_slips(inline, ctx)
            children = _inlines(inline.children or [], ctx, inline.map)
            _refuse_leaks(children, ctx, inline.map)
            blocks.append(model.Paragraph(children))
            i += 3
        elif t == "table_open":
            caption = None
            if blocks and blocks[-1].kind == "paragraph" and \
                    (caption := tables.split_caption(blocks[-1])) is not None:
                blocks.pop()  # the caption line belongs to the table
            ctx.tables += 1
            table, i = tables.read_table(tokens, i, ctx, caption, _inlines, ctx.tables)
            if table is not None:
                for cell in (*table.head, *(c for row in table.rows for c in row)):
                    _refuse_leaks(cell.children, ctx, tok.map)
                blocks.append(table)
        elif t == "footnote_block_open":
            i = _notes(tokens, i + 1, ctx, depth)
        elif t == "heading_open":
            level = int(tok.tag[1])
            inline = tokens[i + 1]
            if tok.markup in ("=", "-"):
                ctx.problem("B272", "a line of '" + tok.markup * 3 + "' directly under a "
                            "paragraph makes the paragraph a heading", [tok.map[1] - 1, tok.map[1]],
                            hint="leave a blank line above '---' for a break between parts; "
                                 "for a heading write '## ' before its words instead")
            children = _inlines(inline.children or [], ctx, inline.map)
            _refuse_leaks(children, ctx, inline.map)
            if level == 1:
                ctx.problem("B230", "a level-1 heading ('#') in the body", tok.map,
                            hint="the essay's title is its only level-1 heading; use '##' "
                                 "for a section")
            elif level > last_level + 1:
                after = "the title" if last_level == 1 else f"a level-{last_level} heading"
                ctx.problem("B230", f"a level-{level} heading follows {after}, skipping a "
                                    "level", tok.map,
                            hint=f"use {'#' * (last_level + 1)} here")
            last_level = max(level, 2)
            text = _plain(children)
            blocks.append(model.Heading(level, children, _heading_anchor(text, ctx), text))
            i += 3
        elif t == "blockquote_open":
            ctx.quote_depth += 1
            inner, i = _blocks(tokens, i + 1, ctx, "blockquote_close", depth + 1)
            ctx.quote_depth -= 1
            blocks.append(model.Quote(tuple(inner)))
        elif t in ("bullet_list_open", "ordered_list_open"):
            start = int(tok.attrs.get("start", 1) or 1)  # "4." begins at 4, as written
            items, i = _list_items(tokens, i + 1, ctx, t.replace("_open", "_close"), depth)
            blocks.append(model.ListBlock(t.startswith("ordered"), items, start=start))
        elif t == "container_figure_open":
            blocks.append(_figure(tok, ctx))
            _, i = _blocks(tokens, i + 1, ctx, "container_figure_close", depth + 1)
        elif t in ("html_block",):
            first = tok.content.strip().split("\n")[0]
            ctx.problem("B240", f"raw HTML {_shorten(first)!r} as a block of its own", tok.map,
                        hint="write Markdown instead; a figure is placed with '::: figure KEY'; "
                             "inline, only " + ", ".join(f"<{n}>" for n in ALLOWED_HTML_NAMES)
                             + " are accepted, inside a paragraph",
                        needle="<")
            i += 1
        elif t in ("code_block", "fence"):
            ctx.problem("B240", "an indented or fenced block became program code", tok.map,
                        hint="remove the four leading spaces or the ``` fence: the booklet "
                             "has no program code")
            i += 1
        elif t == "hr":
            i += 1  # a thematic break carries no words; the layout separates sections
        else:
            i += 1
    return blocks, i


def _list_items(tokens, i, ctx, closing, depth):
    items = []
    while i < len(tokens) and tokens[i].type != closing:
        if tokens[i].type == "list_item_open":
            inner, i = _blocks(tokens, i + 1, ctx, "list_item_close", depth + 1)
            items.append(tuple(inner))
        else:
            i += 1
    return tuple(items), i + 1


def _figure(tok, ctx: BodyContext):
    parts = tok.info.split()
    key = parts[1] if len(parts) > 1 else ""
    if not ctx.allow_figures:
        ctx.problem("B220", "a figure outside an essay", tok.map)
        return model.Paragraph(())
    figure = ctx.figures.get(key)
    if figure is None:
        known = ", ".join(sorted(ctx.figures)) or "none"
        ctx.problem("B220", f"the figure {key!r} is not declared in the front matter", tok.map,
                    hint=f"declare it under 'figures:' (declared: {known})")
        return model.Paragraph(())
    if key in ctx.placed_figures:
        ctx.problem("B220", f"the figure {key!r} is placed twice", tok.map)
    ctx.placed_figures.append(key)
    return figure


_CLOSES = {"em_close": "em_open", "strong_close": "strong_open", "link_close": "link_open"}


def _inlines(children, ctx: BodyContext, line_map) -> tuple:
    """Nested inline nodes from markdown-it's flat open/close token list.

    Markdown's own openers and closers always pair up; accepted HTML elements (see
    inline_html.py) share the same stack, so an element left open or closed out of
    turn is reported and its words are kept.
    """
    stack: list[tuple[str, object, list]] = [("root", None, [])]
    for tok in children:
        t = tok.type
        out = stack[-1][2]
        if t == "text":
            _append_text(out, tok.content)
        elif t == "softbreak":
            _append_text(out, " ")
        elif t == "hardbreak":
            out.append(model.LineBreak())
        elif t == "footnote_ref":
            out.append(_note_ref(tok, ctx, line_map))
        elif t == "footnote_anchor":
            pass  # the plugin's back-link; the templates make their own
        elif t in ("em_open", "strong_open", "link_open"):
            if len(stack) > MAX_NESTING:
                ctx.problem("B240", "emphasis and links are nested too deeply", line_map,
                            hint="check for runs of stray '*' or '_'")
                return ()
            stack.append((t, tok, []))
        elif t in _CLOSES:
            while stack[-1][0] in ("html", "refused"):  # an HTML element left open inside it
                _report_unclosed(stack, ctx, line_map)
            kind, open_tok, kids = stack.pop()
            node = _close_inline(kind, open_tok, _done(kids), ctx, line_map)
            if isinstance(node, tuple):  # a refused link keeps its words
                for kid in node:
                    _append_node(stack[-1][2], kid)
            else:
                stack[-1][2].append(node)
        elif t == "code_inline":
            ctx.problem("B240", f"`{tok.content}` is marked as program code", line_map,
                        hint="remove the backticks", needle=tok.markup + tok.content)
        elif t == "image":
            _image(tok, ctx, line_map)
        elif t == "html_inline":
            if len(stack) > MAX_NESTING:
                ctx.problem("B240", "emphasis, links and HTML elements are nested too deeply",
                            line_map, hint="check for runs of stray tags")
                return ()
            _html_inline(tok, stack, ctx, line_map)
    while len(stack) > 1:
        _report_unclosed(stack, ctx, line_map)
    return _done(stack[0][2])


def _html_inline(tok, stack, ctx: BodyContext, line_map) -> None:
    tag = parse_tag(tok.content)
    hint = ("use Markdown: *italic*, **bold**, [text](https://…); inline HTML is limited to "
            + ", ".join(f"<{n}>" for n in ALLOWED_HTML_NAMES)
            + ", with lang= (and title= on <abbr>)")
    if tag is None:
        what = "an HTML comment" if tok.content.startswith("<!--") else "raw HTML"
        ctx.problem("B240", f"{what} {_shorten(tok.content)!r} in the text", line_map,
                    hint=hint, needle=tok.content)
        return
    open_here = stack[-1][0] in ("html", "refused") and stack[-1][1].name == tag.name
    if problem := tag_problem(tag):
        if tag.closing and open_here and stack[-1][0] == "refused":
            _report_unclosed(stack, ctx, line_map)  # said already, at its start tag
            return
        ctx.problem("B240", f"{problem}: {_shorten(tok.content)!r}", line_map, hint=hint,
                    needle=tok.content)
        if not tag.closing and not tag.self_closing:
            stack.append(("refused", tag, []))  # so that its end tag raises nothing more
        return
    if tag.name in VOID:
        stack[-1][2].append(model.LineBreak())
    elif not tag.closing:
        stack.append(("html", tag, []))
    elif open_here:
        kind, opened, kids = stack.pop()
        out = stack[-1][2]
        if kind == "refused":  # an accepted name whose start tag was refused: keep the words
            for kid in kids:
                _append_node(out, kid)
            return
        attrs = dict(opened.attrs)
        if tag.name in EMPHASIS:
            kids = [model.Emphasis(_done(kids))]
        elif tag.name in STRONG:
            kids = [model.Strong(_done(kids))]
        # sub, sup, abbr, span: their words (see inline_html.py), in their language if given
        if attrs.get("lang"):
            lang = attrs["lang"]
            direction = (attrs.get("dir") or "").lower() or direction_of(lang)
            out.append(model.Language(lang, _done(kids), direction))
        else:
            for kid in kids:
                _append_node(out, kid)
    else:
        ctx.problem("B240", f"</{tag.name}> closes an element that is not open here", line_map,
                    hint=f"open it with <{tag.name}> before, in the same paragraph, and close "
                         "elements in the reverse order of opening", needle=tok.content)


def _report_unclosed(stack, ctx: BodyContext, line_map) -> None:
    """Close the innermost HTML element: its words stay; an accepted one is reported."""
    kind, tag, kids = stack.pop()
    if kind == "html":
        ctx.problem("B240", f"<{tag.name}> is never closed", line_map,
                    hint=f"add </{tag.name}> where it ends, in the same paragraph",
                    needle=tag.source)
    for kid in kids:
        _append_node(stack[-1][2], kid)


def _image(tok, ctx: BodyContext, line_map) -> None:
    src = tok.attrs.get("src", "")
    hint = ("declare the picture under 'figures:' with alt text and a long description, "
            "keep its file in the essay's folder, and place it with '::: figure KEY'")
    if where := _outside(src, ctx):
        ctx.problem("B300", f"an image {where}", line_map, hint=hint, needle=src)
    elif _split(src).scheme or _split(src).netloc:
        ctx.problem("B300", f"an image fetched from {src!r}: a build never reads the network",
                    line_map, hint=hint, needle=src)
    else:
        alt = "" if tok.content.strip() else ", without alt text"
        ctx.problem("B220", f"an image written as Markdown{alt}", line_map, hint=hint,
                    needle=src)


def _outside(target: str, ctx: BodyContext) -> str | None:
    """How a link or image target leads to a file outside content/, or None."""
    parts = _split(target)
    scheme = parts.scheme.lower()
    if scheme == "file":
        return f"points at a file on this computer ({target!r})"
    if scheme or parts.netloc or not parts.path:
        return None  # a web address, or a fragment: not a file
    path = unquote(parts.path)
    base = ctx.path.parent
    root = ctx.root or base
    try:
        resolved = (base / path).resolve()
    except (OSError, RuntimeError, ValueError):
        resolved = None
    if path.startswith("/") or resolved is None or not resolved.is_relative_to(root):
        return f"leads to a file outside content/ ({target!r})"
    return None


def _split(url: str):
    try:
        return urlsplit(url)
    except ValueError:  # a malformed host: url_problem says so
        return urlsplit("")


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _Pending(list):
    """Text pieces not yet joined: joining once keeps long paragraphs linear."""


def _append_node(out: list, node) -> None:
    if isinstance(node, _Pending):
        for piece in node:
            _append_text(out, piece)
    elif node.kind == "text":
        _append_text(out, node.text)
    else:
        out.append(node)


def _append_text(out: list, text: str) -> None:
    if out and isinstance(out[-1], _Pending):
        out[-1].append(text)
    else:
        out.append(_Pending([text]))


def _done(kids: list) -> tuple:
    """The finished nodes of a frame, pending text joined into Text nodes."""
    return tuple(model.Text("".join(k)) if isinstance(k, _Pending) else k for k in kids)


def _close_inline(kind, tok, kids, ctx: BodyContext, line_map):
    if kind == "em_open":
        return model.Emphasis(kids)
    if kind == "strong_open":
        return model.Strong(kids)
    href = tok.attrs.get("href", "")
    if href.startswith("cite:"):
        return _citation(href, kids, ctx, line_map)
    if where := _outside(href, ctx):
        ctx.problem("B300", f"the link {where}", line_map, needle=href,
                    hint="link only to http(s) pages or mailto: addresses")
        return _unlinked(kids)
    problem = url_problem(href)
    if problem:
        ctx.problem(problem[0], problem[1], line_map, needle=href,
                    hint="link only to http(s) pages or mailto: addresses")
        return _unlinked(kids)
    return model.Link(href, kids)


def _unlinked(kids):
    return kids


def _citation(href: str, kids, ctx: BodyContext, line_map):
    keys = tuple(k.strip() for k in href[len("cite:"):].split(","))
    if not ctx.allow_citations:
        ctx.problem("B200", "a citation outside an essay", line_map, needle=href,
                    hint="only essays have reference lists; write the citation as plain text")
        return _unlinked(kids)
    for n, key in enumerate(keys):
        if not _KEY.match(key):
            ctx.problem("B200", f"the citation key {key!r} is not a valid key", line_map,
                        needle=key,
                        hint="keys are lowercase letters, digits and hyphens, e.g. smith2019")
        elif ctx.reference_keys is not None and key not in ctx.reference_keys:
            ctx.problem("B200", f"unknown citation key {key!r}", line_map, needle=key,
                        hint="add an entry with this key to references.yaml, or correct the "
                             "key (" + _closest(key, ctx.reference_keys) + ")")
        elif key in keys[:n]:
            ctx.problem("B200", f"the citation names {key!r} twice", line_map, needle=key,
                        hint="name each work once: cite:smith2019,jones2020")
    if not _plain(kids).strip():
        ctx.problem("B200", "a citation with no text", line_map,
                    hint="write the citation as the author gave it: [Smith, 2019](cite:smith2019)")
    ctx.citation_count += 1
    line, column = ctx.locate_citation(href, line_map)
    return model.Citation(keys, kids, f"{ctx.anchor_prefix}cite-{ctx.citation_count}",
                          f"{ctx.anchor_prefix}ref-{keys[0]}", line, column)


def _closest(key: str, keys: set) -> str:
    import difflib

    match = difflib.get_close_matches(key, sorted(keys), n=1)
    return f"did you mean {match[0]!r}?" if match else "no similar key exists"


def _heading_anchor(text: str, ctx: BodyContext) -> str:
    base = ctx.anchor_prefix + (re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section")
    anchor, n = base, 2
    while anchor in ctx.heading_anchors:
        anchor, n = f"{base}-{n}", n + 1
    ctx.heading_anchors.add(anchor)
    return anchor


def _plain(nodes) -> str:
    out = []
    for node in nodes:
        if node.kind == "text":
            out.append(node.text)
        elif node.kind in ("break", "noteref"):
            out.append(" ")
        else:
            out.append(_plain(node.children))
    return "".join(out)


plain_text = _plain


# Slips and leaks (see literal.py) ------------------------------------------------


def _paragraph_slips(inline, ctx: BodyContext) -> None:
    """Lines CommonMark reads otherwise than a student meant them."""
    if inline.map is None:  # an inline note ^[…]: it has no lines of its own
        return
    start, end = inline.map
    lines = ctx.lines[start:end]
    if match := literal.HEADING_NO_SPACE.match(lines[0]):
        marks = match.group(1)
        ctx.problem("B272", f"'{marks}' with no space after it is printed as text, not as a "
                            "heading", inline.map,
                    hint=f"write '{marks} ' with a space before the heading's words (or '\\#' "
                         "for a '#' that begins a paragraph)")
    if not any(tok.type == "softbreak" for tok in inline.children or []):
        return
    if ctx.quote_depth or literal.verse_like(lines):
        where = "quotation" if ctx.quote_depth else "paragraph"
        ctx.problem("B272", f"this {where} is written over {len(lines)} lines, which print as "
                            "one run of text", inline.map,
                    hint="for verse or an address, end every line but the last with a "
                         "backslash '\\' to keep the line breaks; for prose, join the lines "
                         "into one")


def _refuse_leaks(children, ctx: BodyContext, line_map) -> None:
    """Markdown left as text in a block's words is refused, never printed."""
    if found := literal.leak(_plain(children)):
        code, what, hint, text = found
        ctx.problem(code, f"{what}: {_shorten(text)!r}", line_map, hint=hint, needle=text)


# Notes ----------------------------------------------------------------------------


def _note_ref(tok, ctx: BodyContext, line_map) -> model.NoteRef:
    number, sub = tok.meta["id"] + 1, tok.meta.get("subId", 0)
    if not ctx.allow_notes:
        ctx.problem("B271", "a note outside an essay", line_map, needle="[^",
                    hint="only essays have notes; write the words in the text")
    anchor = f"{ctx.anchor_prefix}noteref-{number}" + (f"-{sub + 1}" if sub else "")
    return model.NoteRef(number, anchor, f"{ctx.anchor_prefix}note-{number}")


def _notes(tokens, i, ctx: BodyContext, depth: int) -> int:
    """The plugin's footnote block (always the last tokens): one model.Note per note."""
    while i < len(tokens) and tokens[i].type != "footnote_block_close":
        tok = tokens[i]
        if tok.type == "footnote_open":
            number = tok.meta["id"] + 1
            where = next((t.map for t in tokens[i + 1:] if t.map), None)
            inner, i = _blocks(tokens, i + 1, ctx, "footnote_close", depth + 1)
            inner = tuple(_autolink(b, ctx, where) for b in inner)
            if not _has_words(inner):
                ctx.problem("B271", f"note {number} has no text", where,
                            hint="write the note's words after '[^label]: '")
            ctx.notes.append(model.Note(number, f"{ctx.anchor_prefix}note-{number}",
                                        f"{ctx.anchor_prefix}noteref-{number}", inner))
        else:
            i += 1
    return i + 1


def _has_words(blocks) -> bool:
    for b in blocks:
        if b.kind == "paragraph" and _plain(b.children).strip() or b.kind == "table":
            return True
        if b.kind == "quote" and _has_words(b.blocks) or \
                b.kind == "list" and any(_has_words(item) for item in b.items):
            return True
    return False


def _unused_notes(env: dict, ctx: BodyContext) -> None:
    """A note written but never marked: the plugin drops it without a word."""
    for key, index in env.get("footnotes", {}).get("refs", {}).items():
        if index != -1:
            continue
        label = key[1:]  # the plugin keys labels as ":label"
        line = next((n for n, text in enumerate(ctx.lines)
                     if text.lstrip().startswith(f"[^{label}]:")), 0)
        ctx.problem("B271", f"the note [^{label}] is never marked in the text", [line, line + 1],
                    hint=f"put the mark [^{label}] in the text where the note belongs, or "
                         "delete the note")


_BARE_URL = re.compile(r"https?://[^\s<>]+[^\s<>.,;:!?)\]'\"’”]")


def _autolink(block, ctx: BodyContext, where):
    """A web address written bare in a note becomes a live link: a note that is only a
    URL must still lead somewhere."""
    if block.kind != "paragraph":
        return block
    return model.Paragraph(_autolink_inlines(block.children, ctx, where))


def _autolink_inlines(nodes, ctx: BodyContext, where) -> tuple:
    out = []
    for node in nodes:
        if node.kind == "text":
            pos = 0
            for match in _BARE_URL.finditer(node.text):
                if match.start() > pos:
                    out.append(model.Text(node.text[pos:match.start()]))
                url = match.group(0)
                if problem := url_problem(url):
                    ctx.problem(problem[0], problem[1], where, needle=url)
                    out.append(model.Text(url))
                else:
                    out.append(model.Link(url, (model.Text(url),)))
                pos = match.end()
            if pos < len(node.text):
                out.append(model.Text(node.text[pos:]))
        elif node.kind in ("em", "strong"):
            out.append(type(node)(_autolink_inlines(node.children, ctx, where)))
        else:
            out.append(node)
    return tuple(out)
