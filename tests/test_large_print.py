"""The large-print edition: A4, set large rather than enlarged, no italics,
its own contents page numbers, and the same accessible tag tree as the standard one."""

from __future__ import annotations

import re
import subprocess

import pikepdf

from booklet.check.pdfua import audit
from booklet.check.readback import words
from booklet.check.type_sizes import below, glyph_runs, smallest_by_kind
from booklet.check.tagtext import read_tag_text
from recall import recall

A4 = (595.276, 841.89)


def test_every_page_is_a4(large_print):
    with pikepdf.open(large_print) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            box = [float(v) for v in page.MediaBox]
            assert abs(box[2] - A4[0]) < 0.5 and abs(box[3] - A4[1]) < 0.5, number


def test_pdf_ua_audit_finds_nothing(large_print):
    assert audit(large_print) == []


def test_no_italic_type_anywhere(large_print):
    """UKAAF: no italics. What they marked is set in bold, so no italic face is used."""
    fonts = subprocess.run(["pdffonts", str(large_print)], capture_output=True, text=True,
                           check=True).stdout
    names = [line.split()[0] for line in fonts.splitlines()[2:] if line.strip()]
    assert names and not [n for n in names if "italic" in n.lower()], names


def test_it_reads_as_the_standard_edition_does(large_print, pdf):
    """The same words in the same order. A line may end at a compound's own hyphen in one
    edition and not the other ("hand-" / "drawn"): that is one word in both."""
    def read(path):
        return words(re.sub(r"(?<=\w)[-‐] (?=\w)", "-", read_tag_text(path).text))

    large, standard = read(large_print), read(pdf)
    assert recall(standard, large) >= 0.999 and recall(large, standard) >= 0.999


def test_its_contents_give_its_own_page_numbers(large_print, booklet):
    with pikepdf.open(large_print) as pdf:
        dests = dict(pikepdf.NameTree(pdf.Root.Names.Dests).items())
        pages = {p.obj.objgen: n for n, p in enumerate(pdf.pages, 1)}
        starts = [pages[dests[e.anchor][0].objgen] for e in booklet.essays]
    contents = next(n for n in range(1, 6) if "Contents" in _page(large_print, n))
    printed = [int(t) for t in _page(large_print, contents).split() if t.isdigit()]
    if printed[-1] == contents:
        printed.pop()  # the contents page's own folio
    assert printed[-len(starts):] == starts


def _page(pdf, number: int) -> str:
    return subprocess.run(["pdftotext", "-f", str(number), "-l", str(number), str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout


def test_every_text_is_at_least_18_points(large_print):
    """UKAAF: every text at the body size, running heads, folios, captions and figure
    labels included (a figure drawn for 12 pt labels at the A5 width prints at 18 pt on
    the A4 text block, which is 1.5 times as wide)."""
    runs = glyph_runs(large_print)
    smallest = smallest_by_kind(runs)
    print("\nsmallest text of each kind:", *(f"  {run}" for run in smallest.values()), sep="\n")
    assert {"body", "running head", "folio"} <= set(smallest), smallest
    small = below(runs, 18)
    assert not small, "; ".join(str(run) for run in smallest_by_kind(small).values())
