"""Reading content streams (booklet.check.pdf_content) for the tag-text reader and the
type-size measure: content that cannot be read is refused, never read as nothing.

The audit's side (a finding under 7.1-3) is in test_pdf_audit.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from booklet.check.pdf_content import UnreadableContent
from booklet.check.tagtext import read_tag_text
from booklet.check.type_sizes import glyph_runs
from pdf_fixtures import CUT_OFF, UNDECODABLE, add_form, content, edit, good_pdf, \
    replace_content, set_content

READERS = {"tag text": read_tag_text, "type sizes": glyph_runs}
BROKEN = {"undecodable": (UNDECODABLE, "cannot be read: "),
          "cut off": (CUT_OFF, r"is damaged \(")}


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> Path:
    return good_pdf(tmp_path_factory.mktemp("content") / "good.pdf")


@pytest.mark.parametrize("reader", READERS.values(), ids=READERS)
def test_the_good_pdf_is_read(good, reader):
    assert reader(good)


@pytest.mark.parametrize("broken, wrong", BROKEN.values(), ids=BROKEN)
@pytest.mark.parametrize("reader", READERS.values(), ids=READERS)
def test_an_unreadable_form_is_refused(tmp_path, good, reader, broken, wrong):
    def paint(pdf):
        add_form(pdf, **broken)
        replace_content(pdf, b"re f EMC", b"re f /Fm1 Do EMC")

    path = edit(good, tmp_path / "form.pdf", paint)
    with pytest.raises(UnreadableContent, match=r"^page 1: content stream of Form XObject "
                                                 rf"/Fm1 \(obj \d+ 0\) {wrong}"):
        reader(path)


@pytest.mark.parametrize("reader", READERS.values(), ids=READERS)
def test_an_unreadable_page_is_refused(tmp_path, good, reader):
    path = edit(good, tmp_path / "page.pdf",
                lambda pdf: set_content(pdf, content(pdf) + CUT_OFF["data"]))
    with pytest.raises(UnreadableContent, match=r"^page 1: content stream is damaged \("):
        reader(path)
