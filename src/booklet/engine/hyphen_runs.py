"""At most two hyphenated lines in a row: a ladder of hyphens is hard to read.

WeasyPrint has no `hyphenate-limit-lines`, so we give it one. Inside
`hyphen_ladder_limit()`, the line breaker counts the hyphenated lines of each block as it
lays them out, and lays out the line after two of them from its text without soft
hyphens, so that line cannot end in one. Line breaking is greedy and deterministic, so
the count for a block that goes on over a page turn is kept by where the block resumes.

That gives the limit in one layout. (The first way was to find each third hyphen after
layout, unhyphenate it in the document tree and lay out again: a second full layout, a
fifth of a cold build, for two ladders in the whole booklet.) The same lookahead keeps a
hyphenated line from ending a page.
"""

from __future__ import annotations

import contextlib

import booklet.engine.weasyprint_import  # noqa: F401  (first: see its docstring)
from weasyprint.formatting_structure import boxes

SOFT_HYPHEN = "\u00ad"
MAX_RUN = 2


def _lines(document):
    """(block element, last text box, line box) for every line, in reading order."""
    for page in document.pages:
        yield from page_lines(page)


def page_lines(page):
    """(block element, last text box, line box) for every line of one page."""
    def walk(box, block):
        if isinstance(box, boxes.LineBox):
            texts = [b for b in box.descendants() if isinstance(b, boxes.TextBox)]
            yield block, (texts[-1] if texts else None), box
            return
        if isinstance(box, boxes.BlockBox) and box.element is not None:
            block = box.element
        for child in getattr(box, "children", ()):
            yield from walk(child, block)

    for child in page._page_box.children:
        if not isinstance(child, boxes.MarginBox):
            yield from walk(child, None)


def _is_hyphenated(text_box) -> bool:
    if text_box is None or not text_box.text:
        return False
    return text_box.text.endswith(SOFT_HYPHEN + text_box.style["hyphenate_character"])


_state = {"forbid": False, "runs": {}}  # runs: (line box, where it resumes) -> run so far


def _freeze(skip_stack):
    if skip_stack is None:
        return None
    return tuple(sorted((key, _freeze(value)) for key, value in skip_stack.items()))


def _line_ends_hyphenated(line) -> bool:
    texts = [b for b in line.descendants() if isinstance(b, boxes.TextBox)]
    return _is_hyphenated(texts[-1] if texts else None)


def _ends_page(ahead: list, lay_next, overflows, widows: int) -> bool:
    """Whether the first line in `ahead` will be the last of its page.

    WeasyPrint breaks before the first line that overflows the page, then moves lines
    back over the turn until `widows` lines go to the next page. So lay out (into
    `ahead`) up to `widows` lines to find an overflow, and as many again to count
    what follows it.
    """
    def extend(count: int) -> None:
        while len(ahead) < count and ahead[-1][1] is not None:
            if (laid := lay_next()) is None:
                return
            ahead.append(laid)

    extend(widows + 1)
    first_over = next((i for i, (line, _, _) in enumerate(ahead) if i and overflows(line)), None)
    if first_over is None:
        return False  # the page turn, if any, comes after more than `widows` lines
    extend(first_over + widows)
    overleaf = len(ahead) - first_over  # lines after the turn that we know of
    moved_back = max(0, widows - overleaf) if ahead[-1][1] is None else 0
    return first_over - 1 - moved_back == 0


def _original_offset(text: str, offset: int) -> int:
    """The UTF-8 offset in `text` of UTF-8 offset `offset` in `text` less its soft hyphens."""
    seen = position = 0
    for char in text:
        if seen >= offset:
            break
        size = len(char.encode())
        position += size
        if char != SOFT_HYPHEN:
            seen += size
    return position


@contextlib.contextmanager
def hyphen_ladder_limit():
    """Lay out no third hyphenated line in a row in the documents rendered inside."""
    import weasyprint.layout.block as block
    import weasyprint.layout.inline as inline

    iter_line_boxes, split_first_line = block.iter_line_boxes, inline.split_first_line

    def limited_lines(context, box, position_y, bottom_space, skip_stack, containing_block,
                      absolute_boxes, fixed_boxes, first_letter_style, first_line_style):
        runs = _state["runs"]
        run = runs.get((id(box), _freeze(skip_stack)), 0) if skip_stack else 0

        def lines_from(y, start, first_of_call):
            styles = (first_letter_style, first_line_style) if first_of_call else (None, None)
            return iter_line_boxes(context, box, y, bottom_space, start, containing_block,
                                   absolute_boxes, fixed_boxes, *styles)

        def take(lines, forbid):
            outer, _state["forbid"] = _state["forbid"], forbid
            try:
                return next(lines, None)
            finally:
                _state["forbid"] = outer

        def discard(*laid_out):
            for line, _ in filter(None, laid_out):
                block.remove_placeholders(context, line.children, absolute_boxes, fixed_boxes)

        def lay(lines, run_before):
            """(line, resume_at, run after it), or None at the end of the block."""
            got = take(lines, run_before >= MAX_RUN)
            if got is None:
                return None
            return (*got, run_before + 1 if _line_ends_hyphenated(got[0]) else 0)

        def overflows(line) -> bool:
            return context.overflows_page(bottom_space, line.position_y + line.height)

        widows = max(1, box.style["widows"])
        start, first = skip_stack, True
        lines = lines_from(position_y, start, first)
        ahead: list = []  # lines laid out but not yet given to WeasyPrint, this one first
        retried = False
        while True:
            if not ahead:
                if (laid := lay(lines, run)) is None:
                    return
                ahead.append(laid)
            line, resume_at, run_after = ahead[0]
            if _line_ends_hyphenated(line) and not retried and resume_at is not None and \
                    _ends_page(ahead, lambda: lay(lines, ahead[-1][2]), overflows, widows):
                # This line would end the page with half a word, hard to read and lost
                # to text copied page by page: lay it out again without hyphens.
                for laid in ahead:
                    block.remove_placeholders(context, laid[0].children, absolute_boxes,
                                              fixed_boxes)
                lines = lines_from(line.position_y, start, first)
                laid = take(lines, True)
                if laid is None:
                    return
                ahead, retried = [(*laid, 0)], True
                continue
            ahead.pop(0)
            run, retried = run_after, False
            if resume_at is not None:
                runs[(id(box), _freeze(resume_at))] = run
            yield line, resume_at
            start, first = resume_at, False

    def unhyphenated_line(text, *args, **kwargs):
        if not _state["forbid"] or SOFT_HYPHEN not in text:
            return split_first_line(text, *args, **kwargs)
        layout, length, resume, width, height, baseline = split_first_line(
            text.replace(SOFT_HYPHEN, ""), *args, **kwargs)
        # WeasyPrint resumes the next line by offsets into the text it passed in.
        return (layout, _original_offset(text, length),
                None if resume is None else _original_offset(text, resume),
                width, height, baseline)

    block.iter_line_boxes, inline.split_first_line = limited_lines, unhyphenated_line
    _state["runs"] = {}
    try:
        yield
    finally:
        block.iter_line_boxes, inline.split_first_line = iter_line_boxes, split_first_line
        _state["runs"] = {}
