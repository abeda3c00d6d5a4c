"""Reading content streams (booklet.check.pdf_content) for the tag-text reader and the
type-size measure: forms are read where they are painted, and content that cannot be
read is refused, never read as nothing.

The audit's side (a finding under 7.1-3) is in test_pdf_audit.py.
"""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest

from booklet.check.pdf_content import MAX_FORM_DEPTH, UnreadableContent
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


# -- the walk: forms where they are painted --------------------------------------------

def _page(tmp_path: Path, good: Path, page: bytes, *forms: bytes) -> Path:
    """The good PDF's page with content `page`, painting /Fm1…/FmN: form i has content
    forms[i - 1] and may paint form i + 1 (each form's resources are the page's)."""
    def change(pdf):
        set_content(pdf, page)
        made = [add_form(pdf, data) for data in forms]
        pdf.pages[0].Resources.XObject = pikepdf.Dictionary(
            {f"/Fm{i}": form for i, form in enumerate(made, start=1)})

    return edit(good, tmp_path / "walk.pdf", change)


def test_a_form_reads_inside_the_marked_content_around_it(tmp_path, good):
    """Its stray EMC cannot close its caller's sequence, and the sequence it leaves open
    ends with it; it draws in the caller's font until it sets its own."""
    path = _page(tmp_path, good,
                 b"/P <</MCID 0>> BDC BT /F1 9 Tf ET /Fm1 Do BT /F1 9 Tf (after) Tj ET EMC",
                 b"BT (inherited) Tj ET EMC /Artifact BMC BT /F1 9 Tf (furniture) Tj ET")
    [page] = read_tag_text(path).pages
    assert page.by_mcid == {0: "inheritedafter"}
    assert page.artifacts == ["furniture"]
    assert page.untagged == []


def test_forms_nest_up_to_the_limit(tmp_path, good):
    deepest = b"/P <</MCID 0>> BDC BT /F1 9 Tf (deep) Tj ET EMC"
    chain = [b"/Fm%d Do" % (i + 1) for i in range(1, MAX_FORM_DEPTH)] + [deepest]
    assert read_tag_text(_page(tmp_path, good, b"/Fm1 Do", *chain)).pages[0].by_mcid == \
        {0: "deep"}
    deeper = chain[:-1] + [b"/Fm%d Do" % (MAX_FORM_DEPTH + 1), deepest]
    with pytest.raises(UnreadableContent, match=rf"^page 1: Form XObject /Fm{MAX_FORM_DEPTH + 1}"
                                                rf" \(obj \d+ 0\) is nested deeper than "
                                                rf"{MAX_FORM_DEPTH} forms"):
        read_tag_text(_page(tmp_path, good, b"/Fm1 Do", *deeper))


@pytest.mark.parametrize("reader", READERS.values(), ids=READERS)
def test_a_form_that_paints_itself_is_refused(tmp_path, good, reader):
    path = _page(tmp_path, good, b"/Fm1 Do", b"BT /F1 9 Tf (again) Tj ET /Fm1 Do")
    with pytest.raises(UnreadableContent, match=r"^page 1: Form XObject /Fm1 \(obj \d+ 0\) "
                                                r"paints itself"):
        reader(path)


def test_a_form_painted_twice_is_read_twice(tmp_path, good):
    path = _page(tmp_path, good, b"/P <</MCID 0>> BDC /Fm1 Do /Fm1 Do EMC",
                 b"BT /F1 9 Tf (twice) Tj ET")
    assert read_tag_text(path).pages[0].by_mcid == {0: "twicetwice"}
