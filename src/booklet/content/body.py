"""Markdown bodies into block and inline nodes, checked as they are read.

markdown-it-py gives every block token its source lines, so each problem can name
the line an editor must fix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from markdown_it import MarkdownIt
from mdit_py_plugins.container import container_plugin

from booklet.content import model
from booklet.content.links import url_problem
from booklet.errors import Problem

MAX_NESTING = 20  # quotes within lists within quotes …: deeper is hostile, not prose

_KEY = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True})  # raw HTML is parsed so it can be refused
    md.use(container_plugin, name="figure")
    return md


_MD = _parser()


@dataclass
class BodyContext:
    path: Path
    first_line: int  # the line of the body's first line in the file
    anchor_prefix: str
    problems: list[Problem]
    figures: dict = field(default_factory=dict)  # key -> model.Figure
    reference_keys: set = field(default_factory=set)
    allow_citations: bool = True
    allow_figures: bool = True
    placed_figures: list = field(default_factory=list)
    citation_count: int = 0
    heading_anchors: set = field(default_factory=set)

    def problem(self, code: str, message: str, token_map, hint: str | None = None) -> None:
        line = self.first_line + token_map[0] if token_map else None
        self.problems.append(Problem(code, message, self.path, line, hint=hint))


def parse_body(text: str, ctx: BodyContext) -> tuple:
    tokens = _MD.parse(text)
    blocks, _ = _blocks(tokens, 0, ctx, closing=None, depth=0)
    return tuple(blocks)


def _blocks(tokens, i, ctx: BodyContext, closing: str | None, depth: int):
    blocks = []
    last_level = 1
    while i < len(tokens):
        tok = tokens[i]
        if closing and tok.type == closing:
            return blocks, i + 1
        if depth > MAX_NESTING:
            ctx.problem("B240", "quotes and lists are nested too deeply", tok.map)
            return blocks, len(tokens)
        t = tok.type
        if t == "paragraph_open":
            inline = tokens[i + 1]
            blocks.append(model.Paragraph(_inlines(inline.children or [], ctx, inline.map)))
            i += 3
        elif t == "heading_open":
            level = int(tok.tag[1])
            inline = tokens[i + 1]
            children = _inlines(inline.children or [], ctx, inline.map)
            if level == 1:
                ctx.problem("B230", "a level-1 heading ('#') in the body", tok.map,
                            hint="the essay's title is its only level-1 heading; use '##' "
                                 "for a section")
            elif level > last_level + 1:
                ctx.problem("B230", f"a level-{level} heading follows a level-{last_level} "
                                    "one, skipping a level", tok.map,
                            hint=f"use {'#' * (last_level + 1)} here")
            last_level = max(level, 2)
            text = _plain(children)
            blocks.append(model.Heading(level, children, _heading_anchor(text, ctx), text))
            i += 3
        elif t == "blockquote_open":
            inner, i = _blocks(tokens, i + 1, ctx, "blockquote_close", depth + 1)
            blocks.append(model.Quote(tuple(inner)))
        elif t in ("bullet_list_open", "ordered_list_open"):
            items, i = _list_items(tokens, i + 1, ctx, t.replace("_open", "_close"), depth)
            blocks.append(model.ListBlock(t.startswith("ordered"), items))
        elif t == "container_figure_open":
            blocks.append(_figure(tok, ctx))
            _, i = _blocks(tokens, i + 1, ctx, "container_figure_close", depth + 1)
        elif t in ("html_block",):
            ctx.problem("B240", "raw HTML in the text", tok.map,
                        hint="write Markdown instead; a figure is placed with '::: figure KEY'")
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


def _inlines(children, ctx: BodyContext, line_map) -> tuple:
    """Nested inline nodes from markdown-it's flat open/close token list."""
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
        elif t in ("em_open", "strong_open", "link_open"):
            if len(stack) > MAX_NESTING:
                ctx.problem("B240", "emphasis and links are nested too deeply", line_map)
                return ()
            stack.append((t, tok, []))
        elif t in ("em_close", "strong_close", "link_close"):
            kind, open_tok, kids = stack.pop()
            node = _close_inline(kind, open_tok, tuple(kids), ctx, line_map)
            if isinstance(node, tuple):  # a refused link keeps its words
                stack[-1][2].extend(node)
            else:
                stack[-1][2].append(node)
        elif t == "code_inline":
            ctx.problem("B240", f"`{tok.content}` is marked as program code", line_map,
                        hint="remove the backticks")
        elif t == "image":
            ctx.problem("B220", "an image written as Markdown", line_map,
                        hint="declare the picture under 'figures:' with alt text and a long "
                             "description, and place it with '::: figure KEY'")
        elif t == "html_inline":
            ctx.problem("B240", f"raw HTML {tok.content!r} in the text", line_map,
                        hint="use Markdown: *italic*, **bold**, [text](https://…)")
    return tuple(stack[0][2])


def _append_text(out: list, text: str) -> None:
    if out and out[-1].kind == "text":
        out[-1] = model.Text(out[-1].text + text)
    else:
        out.append(model.Text(text))


def _close_inline(kind, tok, kids, ctx: BodyContext, line_map):
    if kind == "em_open":
        return model.Emphasis(kids)
    if kind == "strong_open":
        return model.Strong(kids)
    href = tok.attrs.get("href", "")
    if href.startswith("cite:"):
        return _citation(href, kids, ctx, line_map)
    problem = url_problem(href)
    if problem:
        ctx.problem(problem[0], problem[1], line_map,
                    hint="link only to http(s) pages or mailto: addresses")
        return _unlinked(kids)
    return model.Link(href, kids)


def _unlinked(kids):
    return kids


def _citation(href: str, kids, ctx: BodyContext, line_map):
    keys = tuple(k.strip() for k in href[len("cite:"):].split(","))
    if not ctx.allow_citations:
        ctx.problem("B200", "a citation outside an essay", line_map)
        return _unlinked(kids)
    for key in keys:
        if not _KEY.match(key):
            ctx.problem("B200", f"the citation key {key!r} is not a valid key", line_map,
                        hint="keys are lowercase letters, digits and hyphens, e.g. smith2019")
        elif key not in ctx.reference_keys:
            ctx.problem("B200", f"unknown citation key {key!r}", line_map,
                        hint="add an entry with this key to references.yaml, or correct the "
                             "key (" + _closest(key, ctx.reference_keys) + ")")
    if not _plain(kids).strip():
        ctx.problem("B200", "a citation with no text", line_map,
                    hint="write the citation as the author gave it: [Smith, 2019](cite:smith2019)")
    ctx.citation_count += 1
    return model.Citation(keys, kids, f"{ctx.anchor_prefix}cite-{ctx.citation_count}",
                          f"{ctx.anchor_prefix}ref-{keys[0]}")


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
        elif node.kind == "break":
            out.append(" ")
        else:
            out.append(_plain(node.children))
    return "".join(out)


plain_text = _plain
