"""The type-size measurement (booklet.check.type_sizes) on PDFs whose sizes are known.

The booklet's own floor tests (test_pdf_booklet.py) rely on it; here it meets a PDF
WeasyPrint draws from an SVG scaled to a known width, and a hand-made PDF with every
transformation the measurement follows.
"""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name

from booklet.check.type_sizes import below, glyph_runs, smallest_by_kind

# Drawn at 300 pt wide: user units print at half their size.
SVG = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 600 300" width="600" height="300">
  <rect width="600" height="300" fill="#FFFFFF"/>
  <text x="300" y="80" font-size="30" text-anchor="middle">Centred</text>
  <text x="10" y="150" font-size="20">Start</text>
  <text x="590" y="220" font-size="24" text-anchor="end">End</text>
  <text transform="rotate(-90 40 290)" x="40" y="290" font-size="36">Up</text>
</svg>"""


def test_svg_labels_are_measured_at_their_printed_size(tmp_path):
    weasyprint = pytest.importorskip("weasyprint")
    (tmp_path / "labels.svg").write_text(SVG, encoding="utf-8")
    html = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title>
        <style>@page { size: A5; margin: 20mm } body { font-size: 12pt }
        img { width: 300pt }</style></head>
        <body><p>Body text</p><img src="labels.svg" alt="Four labels"></body></html>"""
    out = tmp_path / "labels.pdf"
    weasyprint.HTML(string=html, base_url=str(tmp_path) + "/").write_pdf(
        out, pdf_variant="pdf/ua-1")
    sizes = {run.text: round(run.size, 2) for run in glyph_runs(out)}
    # Centred and end-anchored labels are drawn in Form XObjects; start-anchored ones
    # straight on the page; the rotated one still measures its height, not its width.
    assert sizes == {"Body text": 12.0, "Centred": 15.0, "Start": 10.0, "End": 12.0,
                     "Up": 18.0}
    labels = [run for run in glyph_runs(out) if run.kind == "figure label"]
    assert {run.text for run in labels} == {"Centred", "Start", "End", "Up"}
    assert [run.text for run in below(labels, 12)] == ["Start"]


def _made(tmp_path: Path, content: bytes, forms) -> Path:
    """One 400 × 600 pt page; `forms(pdf, form)` returns the page's XObjects, made with
    `form(data, matrix, xobjects)`."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(400, 600))

    def form(data: bytes, matrix: list, xobjects: dict):
        return pdf.make_indirect(pdf.make_stream(
            data, Type=Name.XObject, Subtype=Name.Form, BBox=Array([0, 0, 400, 600]),
            Matrix=Array(matrix), Resources=Dictionary(XObject=Dictionary(xobjects))))

    pdf.pages[0].obj.Resources = Dictionary(XObject=Dictionary(forms(pdf, form)))
    pdf.pages[0].obj.Contents = pdf.make_stream(content)
    out = tmp_path / "made.pdf"
    pdf.save(out)
    return out


def test_every_transformation_on_the_way_to_paper(tmp_path):
    inner = b"BT /F1 10 Tf 3 0 0 3 0 0 Tm (in) Tj ET"
    outer = b"BT /F1 4 Tf 1 0 0 1 0 0 Tm (out) Tj ET q 0.5 0 0 0.5 0 0 cm /Inner Do Q"
    content = (b"/Artifact BMC BT /F1 9 Tf 1 0 0 1 40 560 Tm (head) Tj ET EMC\n"
               b"/Artifact BMC BT /F1 11 Tf 20 40 Td 2 TL T* (folio) Tj ET EMC\n"
               b"/P <</MCID 0>> BDC BT /F1 6 Tf 2 0 0 2 0 300 Tm (a) Tj 0 -20 TD [(b) 50 (c)] TJ"
               b" (d) ' 3 Tr /F1 1 Tf (hidden) Tj 0 Tr ET EMC\n"
               b"/Figure <</MCID 1>> BDC q 2 0 0 2 0 0 cm /Outer Do Q EMC\n"
               b"BT /F1 12 Tf 0 1 -1 0 200 300 Tm (turned) Tj ET")

    def forms(pdf, form):
        outer_form = form(outer, [1.5, 0, 0, 1.5, 10, 10],
                          {"/Inner": form(inner, [1, 0, 0, 1, 0, 0], {})})
        return {"/Outer": outer_form}

    runs = glyph_runs(_made(tmp_path, content, forms))
    assert [(run.kind, run.size) for run in runs] == [
        ("running head", 9.0),  # above the page's middle
        ("folio", 11.0),
        ("body", 12.0),  # 6 pt × Tm 2; Td, TD, T* and ' move text, never scale it;
        # the 1 pt text in rendering mode 3 is not drawn, so not measured
        ("figure label", 4 * 1.5 * 2),  # Tf × form /Matrix × cm
        ("figure label", 10 * 3 * 0.5 * 1.5 * 2),  # and a form painted by a form
        ("untagged", 12.0),  # turned a quarter: still 12 pt high
    ]
    smallest = smallest_by_kind(runs)
    assert list(smallest) == ["body", "running head", "folio", "figure label", "untagged"]
    assert smallest["figure label"].size == 12.0
    assert [run.kind for run in below(runs, 12)] == ["running head", "folio"]


def test_a_form_that_paints_itself_is_refused(tmp_path):
    def forms(pdf, form):
        loop = form(b"/Loop Do", [1, 0, 0, 1, 0, 0], {})
        loop.Resources.XObject["/Loop"] = loop
        return {"/Loop": loop}

    with pytest.raises(ValueError, match="paints itself"):
        glyph_runs(_made(tmp_path, b"/Loop Do", forms))
