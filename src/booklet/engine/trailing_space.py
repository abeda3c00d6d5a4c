"""A text that fits but for its trailing space stays on its line.

WeasyPrint 70 measures a text box with its trailing space when it checks whether the
box fits, and when it does not, breaks after the box's first word. So a reference entry
"Jackson, R. (2019) ‘Social Media … Workers’, " followed by <cite> left "Jackson," alone
on its line (p. 11 of the 2020 booklet). CSS Text 3 §4.1.3 lets a space at the end of a
line hang: the fit is judged without it. This fix serves the print design's ragged right
(no stray short lines); it changes nothing when the text fits or really overflows.
"""

from __future__ import annotations

import contextlib
from math import inf


@contextlib.contextmanager
def hanging_trailing_space():
    import weasyprint.layout.inline as inline

    split_first_line = inline.split_first_line

    def hanging(text, style, context, max_width, *args, **kwargs):
        result = split_first_line(text, style, context, max_width, *args, **kwargs)
        resume = result[2]
        if resume is None or max_width is None or not text.endswith(" ") or not text.strip():
            return result
        whole = split_first_line(text, style, context, inf, *args, **kwargs)
        bare = split_first_line(text.rstrip(" "), style, context, inf, *args, **kwargs)
        if whole[2] is None and bare[2] is None and bare[3] <= max_width:
            return whole
        return result

    inline.split_first_line = hanging
    try:
        yield
    finally:
        inline.split_first_line = split_first_line
