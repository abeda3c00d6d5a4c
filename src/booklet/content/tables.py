"""Pipe tables into model.Table, refused when no reader could use them.

markdown-it's GFM table rule is forgiving in ways a reader pays for: a row with an extra
cell loses it without a word, a short row is padded with blanks, and `||` (a merged cell
in other Markdown flavours) becomes an empty cell. So each row's source line is counted
here, and a table that cannot be read cell by cell (by a screen reader announcing "row 3,
column 2, Cost") is refused with its line, not printed wrongly.
"""

from __future__ import annotations

import re

from booklet.content import model

MAX_COLUMNS = 6  # more will not fit an A5 text block at a readable size
CAPTION = re.compile(r"^(Table\s+\d+[A-Za-z]?)\s*[:.]\s*")
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")

HINT_CAPTION = ("write the caption on the line directly above the table, e.g. "
                "'Table 1: Hours of respite a week'")


_CONTAINER_MARKS = re.compile(r"^\s*(>\s?)*\s*")  # a table in a quotation or a list item


def row_source(line: str) -> str:
    return _CONTAINER_MARKS.sub("", line).strip()


def source_cells(line: str) -> list[str]:
    """The cells of one source row, as the editor wrote them."""
    row = row_source(line)
    if row.startswith("|"):
        row = row[1:]
    if row.endswith("|") and not row.endswith("\\|"):
        row = row[:-1]
    return _UNESCAPED_PIPE.split(row)


def split_caption(paragraph) -> tuple[str, tuple] | None:
    """("Table 1", caption inlines) if the paragraph is a caption line, else None.

    The label may be written plain or in bold/italics ("**Table 1:** …")."""
    from booklet.content.body import plain_text

    children = list(paragraph.children)
    if not children:
        return None
    first = children[0]
    if first.kind in ("strong", "em"):
        match = CAPTION.match(plain_text(first.children) + " ")
        rest = children[1:]
        if not match:
            return None
        label = match.group(1)
        if rest and rest[0].kind == "text":
            text = re.sub(r"^\s*[:.]?\s*", "", rest[0].text)
            rest = ([model.Text(text)] if text else []) + rest[1:]
        return label, tuple(rest)
    if first.kind != "text":
        return None
    match = CAPTION.match(first.text)
    if not match:
        return None
    text = first.text[match.end():]
    return match.group(1), tuple(([model.Text(text)] if text else []) + children[1:])


def read_table(tokens, i, ctx, caption_paragraph, inlines, number: int):
    """The table whose table_open is tokens[i]: (model.Table or None, index after it)."""
    start = tokens[i]
    rows: list[tuple[list, list]] = []  # (cells, row map)
    cells, row_map, in_head, head_rows = [], None, False, 0
    while i < len(tokens) and tokens[i].type != "table_close":
        tok = tokens[i]
        if tok.type == "thead_open":
            in_head = True
        elif tok.type == "thead_close":
            in_head = False
        elif tok.type == "tr_open":
            cells, row_map = [], tok.map
        elif tok.type in ("th_open", "td_open"):
            style = tok.attrs.get("style", "") or ""
            align = style.split(":", 1)[1] if style.startswith("text-align:") else ""
            inline = tokens[i + 1]
            cells.append((inlines(inline.children or [], ctx, inline.map or row_map), align))
        elif tok.type == "tr_close":
            rows.append((cells, row_map))
            head_rows += in_head
        i += 1
    end = i + 1
    where = start.map
    if caption_paragraph is None:
        ctx.problem("B270", "a table without a caption line", where, hint=HINT_CAPTION)
        return None, end
    label, caption = caption_paragraph
    from booklet.content.body import plain_text

    if plain_text(caption).strip().startswith("TODO"):  # left by booklet import
        ctx.problem("B104", f"the caption of {label} still holds the placeholder "
                            f"{plain_text(caption).strip()[:60]!r}",
                    [where[0] - 1, where[0]] if where else where,  # the caption's line
                    hint="write the table's caption after its label, e.g. 'Table 1: Hours "
                         "of respite a week'")
    problems_before = len(ctx.problems)
    head, *body = rows
    width = len(head[0])
    if width > MAX_COLUMNS:
        ctx.problem("B270", f"{label} has {width} columns; a booklet page holds at most "
                            f"{MAX_COLUMNS}", where,
                    hint="split it into two tables, or turn it round so that the many "
                         "columns become rows")
    if not body:
        ctx.problem("B270", f"{label} has a head row but no rows under it", where,
                    hint="add its rows under the '| --- |' line, or write the words as a "
                         "paragraph")
    for cells, row_map in rows:
        line = ctx.lines[row_map[0]] if row_map else ""
        written = source_cells(line)
        if re.search(r"(?<!\\)\|\|", row_source(line)[1:]):
            ctx.problem("B270", f"{label}: '||' asks for a merged cell, which a pipe table "
                                "cannot have", row_map, needle="||",
                        hint="give every cell its own text (repeat it, or write a dash – for "
                             "a cell with nothing in it)")
        elif len(written) != width:
            ctx.problem("B270", f"{label}: this row has {len(written)} cell{'s' * (len(written) != 1)}, the head row "
                                f"{width}", row_map,
                        hint="give every row as many cells as the head row: count the '|'; "
                             "a '|' inside a cell is written '\\|'")
    corner_empty = not model_text(head[0][0][0]).strip()
    row_headers = corner_empty and width > 1
    for n, (content, _) in enumerate(head[0]):
        if n == 0 and row_headers:
            continue
        if not model_text(content).strip():
            ctx.problem("B270", f"{label}: column {n + 1} has no heading", head[1],
                        hint="name every column in the head row; leave only the first cell "
                             "empty when the first column names the rows")
    if row_headers:
        for cells, row_map in body:
            if cells and not model_text(cells[0][0]).strip():
                ctx.problem("B270", f"{label}: a row has no name in its first cell, which "
                                    "heads the row", row_map,
                            hint="name the row, or give the head row's first cell a heading "
                                 "if the first column holds data")
    if len(ctx.problems) > problems_before:
        return None, end

    def cell(content, align, header, scope):
        return model.TableCell(content, header, scope, align)

    head_cells = tuple(cell(c, a, not (n == 0 and row_headers), "" if n == 0 and row_headers
                            else "col") for n, (c, a) in enumerate(head[0]))
    body_rows = tuple(tuple(cell(c, a, n == 0 and row_headers, "row" if n == 0 and row_headers
                                 else "") for n, (c, a) in enumerate(cells))
                      for cells, _ in body)
    return model.Table(label, caption, head_cells, body_rows, f"{ctx.anchor_prefix}table-{number}",
                       ctx.path, ctx.first_line + where[0] if where else None), end


def model_text(nodes) -> str:
    from booklet.content.body import plain_text

    return plain_text(nodes)
