"""Table rules (7.2 table structure, 7.5 headers). The booklet has no tables today; these
run only when a Table element is present.

The grid is laid out as veraPDF lays it out: rows are the TRs (directly under Table or in
THead/TBody/TFoot); the height is counted down the first cell of each row (with its
RowSpan), the width across the first row (with ColSpans); each cell then takes the first
free column of its row. A cell that runs past the grid, overlaps another, or a row left
with holes makes the table irregular, and header checks need a regular grid.
"""

from __future__ import annotations

import pikepdf

from booklet.check.pdfua.model import Doc, Finding, Node, text, where

RULES = {
    "7.2-3": "Table may contain only TR, THead, TBody, TFoot and Caption",
    "7.2-4": "TR shall be in Table, THead, TBody or TFoot",
    "7.2-5": "THead shall be in Table",
    "7.2-6": "TBody shall be in Table",
    "7.2-7": "TFoot shall be in Table",
    "7.2-8": "TH shall be in TR",
    "7.2-9": "TD shall be in TR",
    "7.2-10": "TR may contain only TH and TD",
    "7.2-11": "Table shall have at most one THead",
    "7.2-12": "Table shall have at most one TFoot",
    "7.2-13": "A Table with TFoot shall have TBody",
    "7.2-14": "A Table with THead shall have TBody",
    "7.2-15": "Table cells shall not overlap",
    "7.2-16": "A Table Caption shall be its first or last kid",
    "7.2-36": "THead may contain only TR",
    "7.2-37": "TBody may contain only TR",
    "7.2-38": "TFoot may contain only TR",
    "7.2-39": "Table shall have at most one Caption",
    "7.2-41": "Table columns shall all have the same number of rows (with RowSpan)",
    "7.2-42": "Table rows shall not run past the table's width (with ColSpan)",
    "7.2-43": "Table rows shall all have the same number of columns (with ColSpan)",
    "7.5-1": "Each TD shall have a header: TH with Scope, or Headers naming TH IDs",
    "7.5-2": "TD /Headers shall name only IDs of TH cells in the table",
}

_PARENTS = {"TR": ("7.2-4", {"Table", "THead", "TBody", "TFoot"}),
            "THead": ("7.2-5", {"Table"}), "TBody": ("7.2-6", {"Table"}),
            "TFoot": ("7.2-7", {"Table"}), "TH": ("7.2-8", {"TR"}), "TD": ("7.2-9", {"TR"})}
_ONLY_TR = {"THead": "7.2-36", "TBody": "7.2-37", "TFoot": "7.2-38"}


def check(doc: Doc):
    for node in doc.nodes:
        std, at = node.std, where(node.page, node.path)
        if std in _PARENTS:
            rule, allowed = _PARENTS[std]
            if node.parent_std not in allowed:
                yield Finding(rule, at, f"{std} is in {node.parent_std or 'the tree root'}")
        kids = node.kid_types
        if std in _ONLY_TR and any(k != "TR" for k in kids):
            yield Finding(_ONLY_TR[std], at, f"{std} contains {_others(kids, {'TR'})}")
        if std == "TR" and any(k not in ("TH", "TD") for k in kids):
            yield Finding("7.2-10", at, f"TR contains {_others(kids, {'TH', 'TD'})}")
        if std == "Table":
            yield from _table(doc, node, at, kids)


def _others(kids, allowed) -> str:
    return ", ".join(sorted({k for k in kids if k not in allowed}))


def _table(doc: Doc, node: Node, at: str, kids: list[str]):
    allowed = {"TR", "THead", "TBody", "TFoot", "Caption"}
    if any(k not in allowed for k in kids):
        yield Finding("7.2-3", at, f"Table contains {_others(kids, allowed)}")
    for kid, rule in (("THead", "7.2-11"), ("TFoot", "7.2-12"), ("Caption", "7.2-39")):
        if kids.count(kid) > 1:
            yield Finding(rule, at, f"Table has {kids.count(kid)} {kid}")
    if "TBody" not in kids:
        if "TFoot" in kids:
            yield Finding("7.2-13", at, "Table has TFoot but no TBody")
        if "THead" in kids:
            yield Finding("7.2-14", at, "Table has THead but no TBody")
    if "Caption" in kids[1:-1]:
        yield Finding("7.2-16", at, "Table Caption is neither its first nor its last kid")
    yield from _grid(doc, node, at)


def _significant(node: Node) -> list[Node]:
    """Kids, with NonStruct kids replaced by theirs."""
    out = []
    for kid in node.kids:
        out.extend(_significant(kid) if kid.std == "NonStruct" else [kid])
    return out


def _span(doc: Doc, cell: Node, key: str) -> int:
    value = cell.attribute("Table", key, doc.class_map)
    return int(value) if isinstance(value, int) and int(value) > 0 else 1


def _grid(doc: Doc, table: Node, at: str):
    rows: list[Node] = []
    for kid in _significant(table):
        if kid.std == "TR":
            rows.append(kid)
        elif kid.std in ("THead", "TBody", "TFoot"):
            rows.extend(k for k in _significant(kid) if k.std == "TR")
    cells = [[c for c in _significant(r) if c.std in ("TH", "TD")] for r in rows]
    height, i = 0, 0
    while i < len(rows):
        span = _span(doc, cells[i][0], "/RowSpan") if cells[i] else 1
        height += span if cells[i] else 0
        i += span if cells[i] else 1
    if not height:
        return
    width = sum(_span(doc, c, "/ColSpan") for c in cells[0])
    grid: list[list[Node | None]] = [[None] * width for _ in range(height)]
    origin: dict[int, tuple[int, int, int, int]] = {}
    for r, row in enumerate(cells):
        col = 0
        for cell in row:
            colspan, rowspan = _span(doc, cell, "/ColSpan"), _span(doc, cell, "/RowSpan")
            while r < height and col < width and grid[r][col] is not None:
                col += 1
            if col + colspan > width:
                yield Finding("7.2-42", at, f"row {r + 1} runs past the table's {width} columns")
                return
            if r + rowspan > height:
                yield Finding("7.2-41", at, f"column {col + 1} runs past the table's "
                                            f"{height} rows")
                return
            for rr in range(r, r + rowspan):
                for cc in range(col, col + colspan):
                    if grid[rr][cc] is not None:
                        yield Finding("7.2-15", where(cell.page, cell.path),
                                      f"cell overlaps {grid[rr][cc].path}")
                        return
                    grid[rr][cc] = cell
            origin[id(cell)] = (r, col, rowspan, colspan)
            col += colspan
    for r, line in enumerate(grid):
        holes = line.count(None)
        if holes:
            yield Finding("7.2-43", at, f"row {r + 1} has {width - holes} columns, "
                                        f"the table {width}")
            return
    yield from _headers(doc, grid, origin)


def _headers(doc: Doc, grid, origin):
    """7.5: needed only when some TH lacks a Scope; then every TD must find its header."""
    ths = {id(c): c for line in grid for c in line if c.std == "TH"}
    scope = {k: _scope(doc, c) for k, c in ths.items()}
    if all(scope.values()):
        return
    ids = {text(c.obj.get("/ID")) for c in ths.values()} - {None}
    done = set()
    for line in grid:
        for cell in line:
            if cell.std != "TD" or id(cell) in done:
                continue
            done.add(id(cell))
            headers = cell.attribute("Table", "/Headers", doc.class_map)
            names = [text(h) for h in headers if isinstance(h, pikepdf.String)] \
                if isinstance(headers, pikepdf.Array) else []
            if names and all(n in ids for n in names):
                continue
            if _found_by_position(grid, origin[id(cell)], scope):
                continue
            unknown = [n for n in names if n not in ids]
            at = where(cell.page, cell.path)
            if unknown:
                yield Finding("7.5-2", at, f"TD /Headers names unknown IDs {unknown}")
            else:
                yield Finding("7.5-1", at, "TD has no Headers and no TH with Scope above it "
                                           "or before it")


def _scope(doc: Doc, th: Node) -> str | None:
    value = th.attribute("Table", "/Scope", doc.class_map)
    return str(value)[1:] if isinstance(value, pikepdf.Name) else None


def _found_by_position(grid, place, scope) -> bool:
    """A TH with Scope Column (or Both) above the cell, or Row (or Both) before it; a run
    of TH cells ends at the first non-TH cell past it."""
    r0, c0, rowspan, colspan = place
    searches = [((c, range(r0 - 1, -1, -1)), "Column") for c in range(c0, c0 + colspan)]
    searches += [((r, range(c0 - 1, -1, -1)), "Row") for r in range(r0, r0 + rowspan)]
    for (fixed, steps), wanted in searches:
        seen_th = False
        for s in steps:
            cell = grid[s][fixed] if wanted == "Column" else grid[fixed][s]
            if cell.std == "TH":
                if scope.get(id(cell)) in (wanted, "Both"):
                    return True
                seen_th = True
            elif seen_th:
                break
    return False
