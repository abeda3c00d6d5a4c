"""mammoth's HTML into the project's Markdown, block by block.

One paragraph per line; Word's headings as ## and ###; *italic* and **bold**; lists;
GFM pipe tables; [^1] footnotes; > block quotes; pictures as figure blocks. The words
are kept as typed: quotes, dashes and spaces are not "corrected" here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

_BREAK = "\ue001"  # a line break while spaces are collapsed
_SPACE = re.compile(r"[ \t\r\n\f\v]+")
_ESCAPE = re.compile(r"([\\`*_\[\]<])")
_ENTITY = re.compile(r"&(?=#?\w+;)")


@dataclass
class Node:
    tag: str
    attrs: dict
    children: list = field(default_factory=list)  # Node or str

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)


class _Tree(HTMLParser):
    VOID = {"br", "img", "hr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs))
        self.stack[-1].children.append(node)
        if tag not in self.VOID:
            self.stack.append(node)

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse_html(html: str) -> Node:
    tree = _Tree()
    tree.feed(html)
    tree.close()
    return tree.root


@dataclass
class Block:
    kind: str  # title, subtitle, heading, paragraph, caption, quote, list, table, figure
    markdown: str  # the block as it is written in essay.md
    plain: str = ""  # its words, without markup
    level: int = 0  # a heading's level in the Word file (1 for Heading 1)
    image: str = ""  # a figure's image key (see docx.Converted.images)
    notes: list = field(default_factory=list)  # what the report should say about it


@dataclass
class Body:
    blocks: list[Block]
    footnotes: list[tuple[str, str]]  # (label, Markdown text), in order of reference
    notes: list[str]  # document-wide remarks for the report


class _Inline:
    """Inline HTML into Markdown, with footnote labels shared across the document."""

    def __init__(self, footnote_ids: dict[str, str]):
        self.footnote_ids = footnote_ids  # html id -> label
        self.notes: list[str] = []
        self.images: list[str] = []

    def render(self, node: Node, links_as_text: bool = False) -> str:
        self.links_as_text = links_as_text
        text = _SPACE.sub(" ", self._children(node.children)).strip(" ")
        # a line break (Shift+Enter) becomes Markdown's backslash at the end of a line;
        # one at the start or the end of a paragraph breaks nothing and is dropped
        text = re.sub(rf"^(?:{_BREAK} ?)+|(?: ?{_BREAK})+$", "", text)
        return re.sub(rf" ?{_BREAK} ?", "\\\n", text)

    def _children(self, children) -> str:
        out = []
        for child in _merge_runs(children):
            out.append(_escape(child) if isinstance(child, str) else self._node(child))
        return "".join(out)

    def _node(self, node: Node) -> str:
        tag = node.tag
        if tag in ("em", "i"):
            return _wrap(self._children(node.children), "*")
        if tag in ("strong", "b"):
            return _wrap(self._children(node.children), "**")
        if tag == "br":
            return _BREAK
        if tag == "img":
            self.images.append(node.attrs.get("src", ""))
            return ""
        if tag == "sup" and (label := self._footnote(node)):
            return f"[^{label}]"
        if tag in ("sup", "sub"):
            inner = self._children(node.children).strip()
            return f"<{tag}>{inner}</{tag}>" if inner else ""
        if tag == "a":
            return self._link(node)
        if tag == "s":
            self.notes.append("struck-through text kept as plain text: "
                              f"“{_SPACE.sub(' ', node.text()).strip()}”")
        return self._children(node.children)

    def _footnote(self, sup: Node) -> str | None:
        kids = [c for c in sup.children if not (isinstance(c, str) and not c.strip())]
        if len(kids) == 1 and isinstance(kids[0], Node) and kids[0].tag == "a":
            href = kids[0].attrs.get("href", "")
            if href.startswith("#") and re.match(r"(foot|end)note-", href[1:]):
                return self.footnote_ids.setdefault(href[1:], str(len(self.footnote_ids) + 1))
        return None

    def _link(self, node: Node) -> str:
        href = node.attrs.get("href", "").strip()
        text = self._children(node.children)
        if not href or href.startswith("#"):  # a bookmark inside the document
            return text
        if self.links_as_text:
            plain = _SPACE.sub(" ", node.text()).strip()
            return text if plain in href or "://" in plain else f"{text} ({_escape(href)})"
        if not text.strip():
            return ""
        return f"[{text}]({href.replace(' ', '%20').replace(')', '%29')})"


def _merge_runs(children):
    """Word splits text into runs wherever an edit was made: <em>a</em><em>b</em> → one."""
    merged = []
    for child in children:
        if (isinstance(child, Node) and merged and isinstance(merged[-1], Node)
                and child.tag == merged[-1].tag and child.tag in ("em", "i", "strong", "b")):
            merged[-1] = Node(child.tag, {}, merged[-1].children + child.children)
        else:
            merged.append(child)
    return merged


def _escape(text: str) -> str:
    return _ENTITY.sub("&amp;", _ESCAPE.sub(r"\\\1", text))


def _wrap(inner: str, mark: str) -> str:
    """*…* with the spaces Word leaves inside a run moved outside, where Markdown wants them."""
    stripped = inner.strip(" ")
    if not stripped:
        return inner
    lead = inner[: len(inner) - len(inner.lstrip(" "))]
    trail = inner[len(inner.rstrip(" ")):]
    return f"{lead}{mark}{stripped}{mark}{trail}"


def html_to_body(html: str) -> Body:
    root = parse_html(html)
    footnote_ids: dict[str, str] = {}
    notes: list[str] = []
    blocks: list[Block] = []
    note_lists = []
    for node in root.children:
        if isinstance(node, Node) and node.tag == "ol" and _is_notes(node):
            note_lists.append(node)
    inline = _Inline(footnote_ids)
    for node in root.children:
        if isinstance(node, str):
            if node.strip():
                blocks.append(_paragraph_of(node))
            continue
        if node in note_lists:
            continue
        blocks.extend(_block(node, inline))
    footnotes = _footnotes(note_lists, inline, footnote_ids)
    notes.extend(inline.notes)
    return Body(blocks, footnotes, notes)


def _paragraph_of(text: str) -> Block:
    plain = _SPACE.sub(" ", text).strip()
    return Block("paragraph", _escape(plain), plain)


def _is_notes(node: Node) -> bool:
    items = [c for c in node.children if isinstance(c, Node) and c.tag == "li"]
    return bool(items) and all(re.match(r"(foot|end)note-", c.attrs.get("id", "")) for c in items)


def _block(node: Node, inline: _Inline) -> list[Block]:
    tag = node.tag
    plain = _SPACE.sub(" ", node.text()).strip()
    if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
        if "doc-title" in node.attrs.get("class", ""):
            return [Block("title", inline.render(node), plain)]
        text = inline.render(node)
        if not plain:
            return _images_only(inline)
        return [Block("heading", text.replace("\\\n", " "), plain, level=int(tag[1]))] + \
            _images_only(inline)
    if tag == "p":
        cls = node.attrs.get("class", "")
        text = inline.render(node)
        images = _images_only(inline)
        if not plain:
            return images  # an empty paragraph is Word's way of making space
        kind = ("subtitle" if "doc-subtitle" in cls else "caption" if "caption" in cls
                else "paragraph")
        return [Block(kind, text, plain)] + images
    if tag == "blockquote":
        paras = []
        for child in node.children:
            if isinstance(child, Node):
                text = inline.render(child)
                if text:
                    paras.append("> " + text.replace("\\\n", "\\\n> "))
            elif child.strip():
                paras.append("> " + _escape(child.strip()))
        return ([Block("quote", "\n>\n".join(paras), plain)] if paras else []) + \
            _images_only(inline)
    if tag in ("ul", "ol"):
        lines = _list_lines(node, inline, 0)
        return [Block("list", "\n".join(lines), plain)] + _images_only(inline)
    if tag == "table":
        return [_table(node, inline)] + _images_only(inline)
    if tag == "hr":
        return []
    # anything else mammoth may produce (a div, a bare run): its words as a paragraph
    text = inline.render(node)
    return ([Block("paragraph", text, plain)] if plain else []) + _images_only(inline)


def _images_only(inline: _Inline) -> list[Block]:
    found = [Block("figure", "", "", image=src) for src in inline.images if src]
    inline.images = []
    return found


def _list_lines(node: Node, inline: _Inline, depth: int) -> list[str]:
    lines = []
    ordered = node.tag == "ol"
    n = 0
    for item in node.children:
        if not isinstance(item, Node) or item.tag != "li":
            continue
        n += 1
        marker = f"{n}. " if ordered else "- "
        own = Node("li", {}, [c for c in item.children
                              if not (isinstance(c, Node) and c.tag in ("ul", "ol"))])
        parts = []
        for child in own.children:
            if isinstance(child, Node) and child.tag == "p":
                parts.append(inline.render(child))
        text = " ".join(p for p in parts if p) if parts else inline.render(own)
        indent = "   " * depth if ordered else "  " * depth
        lines.append(indent + marker + text.replace("\\\n", " "))
        for child in item.children:
            if isinstance(child, Node) and child.tag in ("ul", "ol"):
                lines.extend(_list_lines(child, inline, depth + 1))
    return lines


def _table(node: Node, inline: _Inline) -> Block:
    rows = []
    notes = []
    for tr in _descendants(node, "tr"):
        cells = []
        for cell in tr.children:
            if not isinstance(cell, Node) or cell.tag not in ("td", "th"):
                continue
            parts = [inline.render(c) if isinstance(c, Node) else _escape(c.strip())
                     for c in cell.children]
            text = " ".join(p for p in parts if p).replace("\\\n", " ").replace("|", "\\|")
            cells.append(text)
            span = int(cell.attrs.get("colspan", "1") or 1)
            if span > 1:
                notes.append(f"a cell spanning {span} columns (“{text}”) was split into "
                             f"{span} cells: check the table")
                cells.extend([""] * (span - 1))
            if int(cell.attrs.get("rowspan", "1") or 1) > 1:
                notes.append(f"a cell spanning rows (“{text}”) appears in its first row "
                             "only: check the table")
        rows.append(cells)
    width = max((len(r) for r in rows), default=1)
    rows = [r + [""] * (width - len(r)) for r in rows] or [[""]]
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + " --- |" * width]
    lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
    return Block("table", "\n".join(lines), _SPACE.sub(" ", node.text()).strip(), notes=notes)


def _descendants(node: Node, tag: str):
    for child in node.children:
        if isinstance(child, Node):
            if child.tag == tag:
                yield child
            elif child.tag != "table":  # a table inside a cell is reported, not flattened
                yield from _descendants(child, tag)


def _footnotes(note_lists, inline: _Inline, ids: dict[str, str]) -> list[tuple[str, str]]:
    found = {}
    for ol in note_lists:
        for li in ol.children:
            if not isinstance(li, Node) or li.tag != "li":
                continue
            _drop_backlinks(li)
            paras = [inline.render(c) for c in li.children if isinstance(c, Node)]
            text = " ".join(p for p in paras if p).replace("\\\n", " ")
            label = ids.setdefault(li.attrs.get("id", ""), str(len(ids) + 1))
            found[label] = text
    return sorted(found.items(), key=lambda item: int(item[0]))


def _drop_backlinks(node: Node) -> None:
    node.children = [c for c in node.children
                     if not (isinstance(c, Node) and c.tag == "a"
                             and re.match(r"#(foot|end)note-ref-", c.attrs.get("href", "")))]
    for child in node.children:
        if isinstance(child, Node):
            _drop_backlinks(child)


def render_inline_text(node_html: str) -> str:
    """For tests: one fragment of HTML as Markdown."""
    return _Inline({}).render(parse_html(node_html))
