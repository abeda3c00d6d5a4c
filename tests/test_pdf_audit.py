"""The PDF/UA audit (booklet.check.pdfua): a good hand-made PDF passes, and each way of
breaking it is reported under exactly the rule(s) the veraPDF profiles give for it."""

from __future__ import annotations

import re
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name, String

from booklet.check.pdf_cli import main as cli_main
from booklet.check.pdfua import RULES, SKIPPED, Finding, audit
from booklet.check.pdfua.nesting import NESTING, violations
from conftest import ROOT
from pdf_fixtures import CUT_OFF, UNDECODABLE, add, add_form, content, edit, elem, font, \
    good_pdf, metadata_stream, move, replace_content, set_content, to_unicode, xmp

# veraPDF's profiles, in ../shared/ beside the project (as ../shared/source/, tests/edition.py)
PROFILES = ROOT.parent / "shared" / "reference" / "verapdf-profiles"


@pytest.fixture(scope="session")
def good(tmp_path_factory) -> Path:
    return good_pdf(tmp_path_factory.mktemp("pdfua") / "good.pdf")


@pytest.fixture(scope="session")
def good_type0(tmp_path_factory) -> Path:
    return good_pdf(tmp_path_factory.mktemp("pdfua") / "good-type0.pdf", type0=True)


def rules(path: Path) -> set[str]:
    return {f.rule for f in audit(path)}


def test_good_pdfs_pass(good, good_type0):
    assert audit(good) == []
    assert audit(good_type0) == []


# -- one break, one rule -----------------------------------------------------------------
# Each case is a change to the good PDF and the exact set of rule ids it must produce.
# Where the profiles state one requirement twice (PDF/UA 7.2 and Annex L both forbid LI
# outside L), both ids are expected.

CASES = []


def case(*expected: str, type0: bool = False):
    def register(change):
        CASES.append(pytest.param(change, set(expected), type0, id=change.__name__))
        return change
    return register


def catalog_lang_removed(pdf):
    del pdf.Root.Lang


# 5, 6.2, 7.1: catalog and metadata

@case("5-1")
def no_pdfua_identification(pdf):
    pdf.Root.Metadata = metadata_stream(pdf, xmp(part=None))


@case("5-2")
def pdfua_part_2(pdf):
    pdf.Root.Metadata = metadata_stream(pdf, xmp(part="2"))


@case("5-3")
def part_with_other_prefix(pdf):
    pdf.Root.Metadata = metadata_stream(pdf, xmp(prefix="ua"))


@case("5-4")
def amd_with_other_prefix(pdf):
    data = xmp(amd="2020").replace(b"<pdfuaid:amd>2020</pdfuaid:amd>",
                                   b'<ua:amd xmlns:ua="http://www.aiim.org/pdfua/ns/id/">'
                                   b"2020</ua:amd>")
    pdf.Root.Metadata = metadata_stream(pdf, data)


@case("5-5")
def corr_with_other_prefix(pdf):
    data = xmp(corr="1").replace(b"<pdfuaid:corr>1</pdfuaid:corr>",
                                 b'<ua:corr xmlns:ua="http://www.aiim.org/pdfua/ns/id/">'
                                 b"1</ua:corr>")
    pdf.Root.Metadata = metadata_stream(pdf, data)


@case("6.2-1")
def marked_false(pdf):
    pdf.Root.MarkInfo.Marked = False


@case("6.2-1")
def no_markinfo(pdf):
    del pdf.Root.MarkInfo


@case("7.1-4")
def suspects_true(pdf):
    pdf.Root.MarkInfo.Suspects = True


@case("7.1-8")
def no_metadata(pdf):
    del pdf.Root.Metadata


@case("7.1-9")
def no_dc_title(pdf):
    pdf.Root.Metadata = metadata_stream(pdf, xmp(title=None))


@case("7.1-10")
def display_doc_title_false(pdf):
    pdf.Root.ViewerPreferences.DisplayDocTitle = False


@case("7.1-10")
def no_viewer_preferences(pdf):
    del pdf.Root.ViewerPreferences


@case("7.1-11", "7.1-3", "7.18.5-1")
def untagged(pdf):
    """Without a tree nothing is tagged: the content and the link annotation fail too."""
    del pdf.Root.StructTreeRoot


# 7.1: role mapping and parents

@case("7.1-5", "Annex_L-1")
def unmapped_type(pdf):
    elem(pdf, "Figure").S = Name("/Picture")


@case()
def mapped_type(pdf):
    elem(pdf, "Figure").S = Name("/Picture")
    pdf.Root.StructTreeRoot.RoleMap = Dictionary(Picture=Name("/Image"), Image=Name.Figure)


@case("7.1-5", "7.1-6", "Annex_L-1")
def circular_role_map(pdf):
    elem(pdf, "Figure").S = Name("/Picture")
    pdf.Root.StructTreeRoot.RoleMap = Dictionary(Picture=Name("/Image"),
                                                 Image=Name("/Picture"))


@case("7.1-7")
def standard_type_remapped(pdf):
    pdf.Root.StructTreeRoot.RoleMap = Dictionary(P=Name.Span)


@case("7.1-12")
def element_without_parent(pdf):
    del elem(pdf, "P").P


# 7.1-1…3: tagged content, artifacts

@case("7.1-3")
def text_outside_marked_content(pdf):
    set_content(pdf, content(pdf) + b"BT /F1 9 Tf 300 30 Td (2) Tj ET\n")


@case("7.1-3")
def path_outside_marked_content(pdf):
    set_content(pdf, content(pdf) + b"0 0 0 RG 10 10 m 100 10 l S\n")


@case("7.1-3")
def mcid_missing_from_parent_tree(pdf):
    set_content(pdf, content(pdf) + b"/Span <</MCID 7>> BDC BT /F1 9 Tf 300 30 Td (2) Tj ET "
                                    b"EMC\n")


@case("7.1-3")
def mcid_of_detached_element(pdf):
    """Margin boxes in WeasyPrint: marked content whose element hangs outside the tree."""
    page = pdf.pages[0].obj
    loose = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Span, K=7, Pg=page))
    pdf.Root.StructTreeRoot.ParentTree.Nums[1].append(loose)
    set_content(pdf, content(pdf) + b"/Span <</MCID 7>> BDC BT /F1 9 Tf 300 30 Td (2) Tj ET "
                                    b"EMC\n")


@case("7.1-3")
def image_outside_marked_content(pdf):
    image = pdf.make_stream(b"\x00", Type=Name.XObject, Subtype=Name.Image, Width=1,
                            Height=1, ColorSpace=Name.DeviceGray, BitsPerComponent=8)
    pdf.pages[0].Resources.XObject = Dictionary(Im1=image)
    set_content(pdf, content(pdf) + b"q 10 0 0 10 300 300 cm /Im1 Do Q\n")


@case()
def form_xobject_inside_tagged_content(pdf):
    add_form(pdf, b"BT /F1 9 Tf 0 0 Td (2) Tj ET")
    replace_content(pdf, b"re f EMC", b"re f /Fm1 Do EMC")


@case("7.1-3")
def form_xobject_outside_marked_content(pdf):
    add_form(pdf, b"BT /F1 9 Tf 0 0 Td (2) Tj ET")
    set_content(pdf, content(pdf) + b"/Fm1 Do\n")


# Content that cannot be read may be untagged: that it cannot be read is the finding,
# even where it is painted inside tagged content.

@case("7.1-3")
def form_content_that_cannot_be_decoded(pdf):
    add_form(pdf, **UNDECODABLE)
    replace_content(pdf, b"re f EMC", b"re f /Fm1 Do EMC")


@case("7.1-3")
def form_content_cut_off(pdf):
    add_form(pdf, **CUT_OFF)
    replace_content(pdf, b"re f EMC", b"re f /Fm1 Do EMC")


@case("7.1-3")
def form_that_paints_itself(pdf):
    """What it draws cannot be read to the end, so not told tagged either."""
    add_form(pdf, b"BT /F1 9 Tf 0 0 Td (2) Tj ET /Fm1 Do")
    replace_content(pdf, b"re f EMC", b"re f /Fm1 Do EMC")


@case("7.1-3")
def page_content_that_cannot_be_decoded(pdf):
    pdf.pages[0].Contents.write(UNDECODABLE["data"], filter=UNDECODABLE["Filter"])


@case("7.1-3")
def page_content_cut_off(pdf):
    set_content(pdf, content(pdf) + b"/P <</MCID 1>> BDC BT /F1 9 Tf 0 0 Td (cut off")


@case("7.20-1")
def reference_xobject(pdf):
    form = pdf.make_stream(b"0 0 10 10 re f", Type=Name.XObject, Subtype=Name.Form,
                           BBox=Array([0, 0, 10, 10]),
                           Ref=Dictionary(F=String("other.pdf"), Page=0))
    pdf.pages[0].Resources.XObject = Dictionary(Fm1=form)
    set_content(pdf, content(pdf) + b"/Artifact BMC /Fm1 Do EMC\n")


@case("7.1-1")
def artifact_inside_tagged_content(pdf):
    replace_content(pdf, b"re f EMC", b"re f /Artifact BMC 0 0 m 5 5 l S EMC EMC")


@case("7.1-2")
def tagged_content_inside_artifact(pdf):
    replace_content(pdf, b"/H1 <</MCID 0>> BDC", b"/Artifact BMC /H1 <</MCID 0>> BDC")
    set_content(pdf, content(pdf) + b"EMC\n")


# 7.2: natural language

@case("7.2-2", "7.2-33", "7.2-34", "7.2-22", "7.2-24")
def no_language_anywhere(pdf):
    """Outline, XMP x-default title, page text, Figure Alt and link Contents all lose it."""
    catalog_lang_removed(pdf)


@case("7.2-2", "7.2-33")
def language_only_on_document_element(pdf):
    """An element's Lang covers what it holds, but not the outline or the XMP."""
    catalog_lang_removed(pdf)
    elem(pdf, "Document").Lang = String("en-GB")


@case("7.2-2", "7.2-33", "7.2-34", "7.2-22", "7.2-24", "7.2-21", "7.2-23")
def actual_text_and_expansion_without_language(pdf):
    catalog_lang_removed(pdf)
    elem(pdf, "H1").ActualText = String("Accessible booklet")
    elem(pdf, "P").E = String("Read the guide")


@case("7.2-2", "7.2-33", "7.2-30", "7.2-31", "7.2-32")
def span_marked_content_without_language(pdf):
    catalog_lang_removed(pdf)
    elem(pdf, "Document").Lang = String("en-GB")
    set_content(pdf, content(pdf) + b"/Artifact BMC /Span <</ActualText (x) /Alt (y) /E (z)>> "
                                    b"BDC 0 0 m 1 1 l S EMC EMC\n")


@case("7.2-2", "7.2-33")
def span_marked_content_with_its_own_language(pdf):
    catalog_lang_removed(pdf)
    elem(pdf, "Document").Lang = String("en-GB")
    set_content(pdf, content(pdf) + b"/Artifact BMC /Span <</ActualText (x) /Lang (en)>> "
                                    b"BDC 0 0 m 1 1 l S EMC EMC\n")


@case("7.2-29")
def catalog_lang_not_a_tag(pdf):
    pdf.Root.Lang = String("english (UK)")


@case("7.2-29")
def element_lang_not_a_tag(pdf):
    elem(pdf, "P").Lang = String("en_GB")


@case("7.2-29")
def marked_content_lang_not_a_tag(pdf):
    replace_content(pdf, b"/P <</MCID 1>>", b"/P <</MCID 1 /Lang (en GB)>>")


@case("7.2-2", "7.2-33", "7.2-34", "7.2-22", "7.2-24", "7.2-25")
def form_field_tooltip_without_language(pdf):
    catalog_lang_removed(pdf)
    field = pdf.make_indirect(Dictionary(FT=Name.Tx, T=String("name"), TU=String("Your name")))
    pdf.Root.AcroForm = Dictionary(Fields=Array([field]))


# 7.2: lists, TOC

@case("7.2-17", "Annex_L-58")
def list_item_outside_list(pdf):
    move(pdf, elem(pdf, "LI"), elem(pdf, "Document"))


@case("7.2-18", "7.2-20", "Annex_L-421", "Annex_L-901")
def list_body_inside_span(pdf):
    item = elem(pdf, "LI")
    move(pdf, elem(pdf, "LBody"), add(pdf, "Span", item))


@case("7.2-19", "Annex_L-856")
def list_contains_paragraph(pdf):
    add(pdf, "P", elem(pdf, "L"))


@case("7.2-20", "Annex_L-896")
def list_item_contains_paragraph(pdf):
    add(pdf, "P", elem(pdf, "LI"))


@case()
def list_item_inside_nonstruct(pdf):
    """NonStruct is looked through, both ways (veraPDF's parentStandardType, kids)."""
    lst = elem(pdf, "L")
    move(pdf, elem(pdf, "LI"), add(pdf, "NonStruct", lst))


@case("7.2-40")
def list_caption_not_first(pdf):
    add(pdf, "Caption", elem(pdf, "L"))


@case()
def list_caption_first(pdf):
    add(pdf, "Caption", elem(pdf, "L"), index=0)


@case("7.2-26", "Annex_L-45")
def toc_item_outside_toc(pdf):
    add(pdf, "TOCI", elem(pdf, "Document"))


@case("7.2-27", "Annex_L-141")
def toc_contains_paragraph(pdf):
    toc = add(pdf, "TOC", elem(pdf, "Document"))
    add(pdf, "TOCI", toc)
    add(pdf, "P", toc)


@case("7.2-28", "Annex_L-172")
def toc_caption_not_first(pdf):
    toc = add(pdf, "TOC", elem(pdf, "Document"))
    add(pdf, "TOCI", toc)
    add(pdf, "Caption", toc)


# 7.3, 7.7, 7.9: figures, formulas, notes

@case("7.3-1")
def figure_without_alt(pdf):
    del elem(pdf, "Figure").Alt


@case("7.3-1")
def figure_with_empty_alt(pdf):
    elem(pdf, "Figure").Alt = String("")


@case()
def figure_with_actual_text_only(pdf):
    figure = elem(pdf, "Figure")
    del figure.Alt
    figure.ActualText = String("")


@case("7.7-1")
def formula_without_alt(pdf):
    add(pdf, "Formula", elem(pdf, "Document"))


@case("7.9-1")
def note_without_id(pdf):
    add(pdf, "Note", elem(pdf, "Document"))


@case("7.9-2")
def notes_sharing_an_id(pdf):
    doc = elem(pdf, "Document")
    add(pdf, "Note", doc, ID=String("n1"))
    add(pdf, "Note", doc, ID=String("n1"))


# 7.4: headings

@case("7.4.2-1")
def first_heading_not_h1(pdf):
    elem(pdf, "H1").S = Name.H2


@case("7.4.2-1")
def heading_level_skipped(pdf):
    elem(pdf, "H2").S = Name.H3


@case()
def heading_levels_going_back_up(pdf):
    add(pdf, "H3", elem(pdf, "Document"))
    add(pdf, "H1", elem(pdf, "Document"))
    add(pdf, "H2", elem(pdf, "Document"))


@case("7.4.4-2", "7.4.4-3")
def h_and_hn_mixed(pdf):
    elem(pdf, "H2").S = Name.H


@case("7.4.4-1", "Annex_L-46")
def two_h_kids(pdf):
    elem(pdf, "H1").S = Name.H
    elem(pdf, "H2").S = Name.H


# Annex L (ISO 32000-1 Tagged): a few in a real file; all of them in test_nesting_table_*

@case("Annex_L-2")
def two_documents(pdf):
    root = pdf.Root.StructTreeRoot
    root.K.append(pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document,
                                               P=root)))


@case("Annex_L-10")
def paragraph_at_root(pdf):
    root = pdf.Root.StructTreeRoot
    root.K.append(pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.P, P=root)))


@case("Annex_L-68")
def content_directly_in_document(pdf):
    doc = elem(pdf, "Document")
    doc.K.append(7)
    pdf.Root.StructTreeRoot.ParentTree.Nums[1].append(doc)
    set_content(pdf, content(pdf) + b"/P <</MCID 7>> BDC 0 0 m 1 1 l S EMC\n")


@case("Annex_L-246")
def paragraph_in_paragraph(pdf):
    add(pdf, "P", elem(pdf, "P"))


# 7.2 and 7.5: tables

def add_table(pdf, *sections):
    """A Table in the Document. Each section is a list of rows, or (group, rows) to put the
    rows in a THead/TBody/TFoot; a row is a list of cells 'TD', 'TH scope=Column',
    'TD rowspan=2 colspan=2', 'TH id=h1', 'TD headers=h1,h2'."""
    table = add(pdf, "Table", elem(pdf, "Document"))
    for section in sections:
        group, rows = section if isinstance(section, tuple) else (None, section)
        holder = add(pdf, group, table) if group else table
        for row in rows:
            tr = add(pdf, "TR", holder)
            for spec in row:
                kind, *options = spec.split()
                attrs, extra = {}, {}
                for option in options:
                    k, v = option.split("=")
                    if k in ("rowspan", "colspan"):
                        attrs["RowSpan" if k == "rowspan" else "ColSpan"] = int(v)
                    elif k == "scope":
                        attrs["Scope"] = Name("/" + v)
                    elif k == "headers":
                        attrs["Headers"] = Array([String(h) for h in v.split(",")])
                    elif k == "id":
                        extra["ID"] = String(v)
                if attrs:
                    extra["A"] = Dictionary(O=Name.Table, **attrs)
                add(pdf, kind, tr, **extra)
    return table


HEAD = ["TH scope=Column", "TH scope=Column"]
ROW = ["TD", "TD"]


@case()
def good_table(pdf):
    add_table(pdf, ("THead", [HEAD]), ("TBody", [ROW, ROW]))


@case()
def table_with_headers_and_ids(pdf):
    add_table(pdf, [["TH id=a", "TH id=b"], ["TD headers=a", "TD headers=b"]])


@case("7.2-3", "Annex_L-987")
def table_contains_paragraph(pdf):
    add(pdf, "P", add_table(pdf, [HEAD, ROW]))


@case("7.2-4", "Annex_L-61")
def row_outside_table(pdf):
    add(pdf, "TR", elem(pdf, "Document"))


@case("7.2-5", "Annex_L-64")
def thead_outside_table(pdf):
    add(pdf, "THead", elem(pdf, "Document"))


@case("7.2-6", "Annex_L-65")
def tbody_outside_table(pdf):
    add(pdf, "TBody", elem(pdf, "Document"))


@case("7.2-7", "Annex_L-66")
def tfoot_outside_table(pdf):
    add(pdf, "TFoot", elem(pdf, "Document"))


@case("7.2-8", "Annex_L-62")
def th_outside_row(pdf):
    add(pdf, "TH", elem(pdf, "Document"))


@case("7.2-9", "Annex_L-63")
def td_outside_row(pdf):
    add(pdf, "TD", elem(pdf, "Document"))


@case("7.2-10", "Annex_L-1028")
def row_contains_paragraph(pdf):
    table = add_table(pdf, [HEAD, ROW])
    add(pdf, "P", [k for k in table.K if k.S == "/TR"][1])


@case("7.2-11", "Annex_L-1014")
def two_theads(pdf):
    add_table(pdf, ("THead", [HEAD]), ("THead", [HEAD]), ("TBody", [ROW]))


@case("7.2-12", "Annex_L-1015")
def two_tfoots(pdf):
    add_table(pdf, ("THead", [HEAD]), ("TBody", [ROW]), ("TFoot", [ROW]), ("TFoot", [ROW]))


@case("7.2-13")
def tfoot_without_tbody(pdf):
    add_table(pdf, [HEAD, ROW], ("TFoot", [ROW]))


@case("7.2-14")
def thead_without_tbody(pdf):
    add_table(pdf, ("THead", [HEAD]), [ROW])


@case("7.2-16")
def table_caption_in_the_middle(pdf):
    table = add_table(pdf, [HEAD, ROW])
    add(pdf, "Caption", table, index=1)


@case()
def table_caption_last(pdf):
    add(pdf, "Caption", add_table(pdf, [HEAD, ROW]))


@case("7.2-36", "Annex_L-1109")
def thead_contains_paragraph(pdf):
    add(pdf, "P", add_table(pdf, ("THead", [HEAD]), ("TBody", [ROW])).K[0])


@case("7.2-37", "Annex_L-1151")
def tbody_contains_paragraph(pdf):
    add(pdf, "P", add_table(pdf, ("THead", [HEAD]), ("TBody", [ROW])).K[1])


@case("7.2-38", "Annex_L-1193")
def tfoot_contains_paragraph(pdf):
    add(pdf, "P", add_table(pdf, ("THead", [HEAD]), ("TBody", [ROW]), ("TFoot", [ROW])).K[2])


@case("7.2-39", "Annex_L-1016")
def two_table_captions(pdf):
    table = add_table(pdf, [HEAD, ROW])
    add(pdf, "Caption", table, index=0)
    add(pdf, "Caption", table)


@case("7.2-15")
def overlapping_cells(pdf):
    add_table(pdf, [["TH scope=Column", "TH scope=Column rowspan=2", "TH scope=Column"],
                    ["TD colspan=2", "TD"]])


@case("7.2-41")
def cell_spans_past_last_row(pdf):
    add_table(pdf, [["TH scope=Column", "TH scope=Column rowspan=3"], ["TD", "TD"]])


@case("7.2-42")
def cell_spans_past_last_column(pdf):
    add_table(pdf, [HEAD, ["TD colspan=3"]])


@case("7.2-43")
def short_row(pdf):
    add_table(pdf, [HEAD, ["TD"]])


@case()
def spans_that_fit(pdf):
    add_table(pdf, [["TH scope=Column", "TH scope=Column", "TH scope=Column"],
                    ["TD rowspan=2", "TD colspan=2"], ["TD", "TD"]])


@case("7.5-1")
def header_without_scope(pdf):
    add_table(pdf, [["TH", "TH"], ROW])


@case()
def row_header_with_scope(pdf):
    """One TH lacks Scope, so every TD must find a header: here the row header."""
    add_table(pdf, [["TH", "TH scope=Column"], ["TH scope=Row", "TD"]])


@case("7.5-2")
def headers_naming_unknown_ids(pdf):
    add_table(pdf, [["TH id=a", "TH id=b"], ["TD headers=a", "TD headers=x"]])


# 7.18: annotations

def add_annotation(pdf, subtype: str, element_type: str | None = None, **extra):
    """An annotation on the page; with element_type, in a new element of that type."""
    page = pdf.pages[0].obj
    annot = pdf.make_indirect(Dictionary(Type=Name.Annot, Subtype=Name("/" + subtype),
                                         Rect=Array([300, 300, 320, 320]), **extra))
    page.Annots.append(annot)
    if element_type:
        root = pdf.Root.StructTreeRoot
        key = int(root.ParentTreeNextKey)
        node = add(pdf, element_type, elem(pdf, "Document"),
                   [Dictionary(Type=Name.OBJR, Obj=annot, Pg=page)], Pg=page)
        annot.StructParent = key
        root.ParentTree.Nums.extend([key, node])
        root.ParentTreeNextKey = key + 1
    return annot


@case("7.18.1-1")
def text_annotation_not_tagged(pdf):
    add_annotation(pdf, "Text", Contents=String("A note"))


@case()
def text_annotation_in_annot(pdf):
    add_annotation(pdf, "Text", "Annot", Contents=String("A note"))


@case()
def hidden_text_annotation(pdf):
    add_annotation(pdf, "Text", F=2)


@case()
def annotation_outside_crop_box(pdf):
    add_annotation(pdf, "Text").Rect = Array([900, 900, 920, 920])


@case("7.18.1-2")
def annotation_without_contents(pdf):
    add_annotation(pdf, "Text", "Annot")


@case()
def annotation_with_alt_on_element(pdf):
    add_annotation(pdf, "Text", "Annot")
    elem(pdf, "Annot").Alt = String("A note")


@case("7.18.1-3")
def widget_without_tooltip(pdf):
    widget = add_annotation(pdf, "Widget", "Form", FT=Name.Tx, T=String("name"))
    pdf.Root.AcroForm = Dictionary(Fields=Array([widget]))


@case()
def widget_with_tooltip(pdf):
    widget = add_annotation(pdf, "Widget", "Form", FT=Name.Tx, T=String("name"),
                            TU=String("Your name"))
    pdf.Root.AcroForm = Dictionary(Fields=Array([widget]))


@case("7.18.2-1")
def trapnet_annotation(pdf):
    add_annotation(pdf, "TrapNet", "Annot", Contents=String("trap"))


@case("7.18.3-1")
def no_tabs(pdf):
    del pdf.pages[0].obj.Tabs


@case("7.18.3-1")
def tabs_in_row_order(pdf):
    pdf.pages[0].obj.Tabs = Name.R


@case("7.18.4-1")
def widget_not_in_form(pdf):
    widget = add_annotation(pdf, "Widget", FT=Name.Tx, T=String("name"),
                            TU=String("Your name"))
    pdf.Root.AcroForm = Dictionary(Fields=Array([widget]))


@case("7.18.4-2")
def form_with_two_widgets(pdf):
    first = add_annotation(pdf, "Widget", "Form", FT=Name.Tx, T=String("a"), TU=String("A"))
    second = add_annotation(pdf, "Widget", FT=Name.Tx, T=String("b"), TU=String("B"))
    form = elem(pdf, "Form")
    form.K.append(Dictionary(Type=Name.OBJR, Obj=second, Pg=pdf.pages[0].obj))
    second.StructParent = first.StructParent
    pdf.Root.AcroForm = Dictionary(Fields=Array([first, second]))


@case("7.18.5-1")
def link_annotation_not_tagged(pdf):
    del pdf.pages[0].obj.Annots[0].StructParent


@case("7.18.5-1")
def link_annotation_in_span(pdf):
    """What WeasyPrint does for a Link inside a Link: the annotation's parent is a Span."""
    link = elem(pdf, "Link")
    span = add(pdf, "Span", link)
    pdf.Root.StructTreeRoot.ParentTree.Nums[3] = span


@case("7.18.5-2", "7.18.1-2")
def link_without_contents(pdf):
    del pdf.pages[0].obj.Annots[0].Contents


@case("7.18.8-1")
def printer_mark_in_structure(pdf):
    add_annotation(pdf, "PrinterMark", "Annot", Contents=String("crop marks"))


# 7.10, 7.11, 7.15: optional content, embedded files, XFA

@case("7.10-1")
def optional_content_config_without_name(pdf):
    pdf.Root.OCProperties = Dictionary(OCGs=Array(), D=Dictionary())


@case("7.10-2")
def optional_content_config_with_as(pdf):
    pdf.Root.OCProperties = Dictionary(OCGs=Array(), D=Dictionary(Name=String("Default"),
                                                                  AS=Array()))


@case("7.11-1")
def embedded_file_without_uf(pdf):
    spec = pdf.make_indirect(Dictionary(Type=Name.Filespec, F=String("data.csv"),
                                        EF=Dictionary(F=pdf.make_stream(b"a,b"))))
    pdf.Root.Names = Dictionary(EmbeddedFiles=Dictionary(Names=Array([String("data.csv"),
                                                                      spec])))


@case("7.15-1")
def dynamic_xfa(pdf):
    xfa = pdf.make_stream(b"<xdp:xdp><config><acrobat><common><dynamicRender>required"
                          b"</dynamicRender></common></acrobat></config></xdp:xdp>")
    pdf.Root.AcroForm = Dictionary(Fields=Array(), XFA=xfa)


# 7.21: fonts (simple TrueType)

@case("7.21.4.1-1")
def font_not_embedded(pdf):
    del font(pdf).FontDescriptor.FontFile2


@case()
def font_used_only_invisibly(pdf):
    """Text rendering mode 3 is not rendered, so needs no embedded program."""
    del font(pdf).FontDescriptor.FontFile2
    set_content(pdf, b"3 Tr\n" + content(pdf))


@case("7.21.4.1-2")
def glyph_missing_from_program(pdf):
    """'A' is mapped by Differences to a Cyrillic glyph Atkinson Hyperlegible lacks."""
    font(pdf).Encoding = Dictionary(BaseEncoding=Name.WinAnsiEncoding,
                                    Differences=Array([65, Name("/afii10017")]))


@case("7.21.5-1")
def width_differs_from_program(pdf):
    widths = font(pdf).Widths
    widths[ord("A") - 32] = int(widths[ord("A") - 32]) + 50


@case("7.21.6-1")
def non_symbolic_program_with_only_symbol_cmap(pdf):
    from io import BytesIO

    from fontTools.ttLib import TTFont, newTable
    from fontTools.ttLib.tables._c_m_a_p import CmapSubtable

    stream = font(pdf).FontDescriptor.FontFile2
    tt = TTFont(BytesIO(stream.read_bytes()))
    table = CmapSubtable.newSubtable(4)
    table.platformID, table.platEncID, table.language = 3, 0, 0
    table.cmap = dict(tt.getBestCmap())
    tt["cmap"] = newTable("cmap")
    tt["cmap"].tableVersion = 0
    tt["cmap"].tables = [table]
    out = BytesIO()
    tt.save(out)
    stream.write(out.getvalue())
    stream.Length1 = len(out.getvalue())


@case("7.21.6-2")
def non_symbolic_with_standard_encoding(pdf):
    font(pdf).Encoding = Name.StandardEncoding


@case("7.21.6-2")
def differences_with_non_agl_name(pdf):
    font(pdf).Encoding = Dictionary(BaseEncoding=Name.WinAnsiEncoding,
                                    Differences=Array([126, Name("/my.tilde")]))


@case("7.21.6-3", "7.21.6-4", "7.21.4.1-2")
def symbolic_with_encoding(pdf):
    """Symbolic: no (3,0) cmap, so no code finds a glyph either (9.6.6.4)."""
    font(pdf).FontDescriptor.Flags = 4


@case("7.21.7-1", "7.21.6-2", "7.21.4.1-2")
def no_unicode_for_custom_glyph_names(pdf):
    """A glyph name outside the AGL and no ToUnicode: no Unicode (7.21.7-1), a Differences
    name 7.21.6-2 forbids, and no way to the glyph through the (3,1) cmap (7.21.4.1-2)."""
    f = font(pdf)
    del f.ToUnicode
    f.Encoding = Dictionary(BaseEncoding=Name.WinAnsiEncoding,
                            Differences=Array([65, Name("/my.A")]))


@case()
def no_to_unicode_but_winansi(pdf):
    """WinAnsi codes map to Unicode by the encoding alone."""
    del font(pdf).ToUnicode


# A font's stream that cannot be read is reported under the rule it keeps from being
# checked, never taken as absent (a ToUnicode CMap would be, for WinAnsi codes).

@case("7.21.4.1-2")
def font_program_that_is_not_truetype(pdf):
    font(pdf).FontDescriptor.FontFile2.write(b"not a font program")


@case("7.21.4.1-2")
def font_program_cut_short(pdf):
    """The table directory reads; the tables it points at are cut off."""
    stream = font(pdf).FontDescriptor.FontFile2
    stream.write(stream.read_bytes()[:4000])


@case("7.21.8-1")
def unreadable_font_program_used_only_invisibly(pdf):
    font(pdf).FontDescriptor.FontFile2.write(b"not a font program")
    set_content(pdf, b"3 Tr\n" + content(pdf))


@case("7.21.7-1")
def to_unicode_that_cannot_be_decoded(pdf):
    font(pdf).ToUnicode.write(b"not deflate data", filter=Name.FlateDecode)


# 7.21: fonts (Type 0, CIDFontType2, as WeasyPrint writes them)

def _cid_to_unicode(pdf, pairs: dict[bytes, str]):
    font(pdf).ToUnicode = pdf.make_stream(to_unicode(pairs, 2))


def _gid(pdf, ch: str) -> bytes:
    data = font(pdf).ToUnicode.read_bytes()
    code = re.search(rb"<([0-9a-f]{4})> <" + ch.encode("utf-16-be").hex().encode() + rb">",
                     data).group(1)
    return bytes.fromhex(code.decode())


def _embedded_cmap(pdf, body: str = "", **extra) -> pikepdf.Stream:
    text = ("/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> def\n"
            f"/CMapName /Custom-H def /CMapType 1 def {body}\n"
            "1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
            "1 begincidrange <0000> <FFFF> 0 endcidrange\n"
            "endcmap CMapName currentdict /CMap defineresource pop end end")
    info = extra.pop("CIDSystemInfo", Dictionary(Registry=String("Adobe"),
                                                 Ordering=String("Identity"), Supplement=0))
    return pdf.make_stream(text.encode(), Type=Name.CMap, CMapName=Name("/Custom-H"),
                           CIDSystemInfo=info, **extra)


@case(type0=True)
def embedded_identity_cmap(pdf):
    font(pdf).Encoding = _embedded_cmap(pdf)


@case("7.21.3.1-1", type0=True)
def cmap_for_another_collection(pdf):
    font(pdf).Encoding = _embedded_cmap(pdf, CIDSystemInfo=Dictionary(
        Registry=String("Adobe"), Ordering=String("Japan1"), Supplement=6))


@case("7.21.3.2-1", type0=True)
def no_cid_to_gid_map(pdf):
    del font(pdf).DescendantFonts[0].CIDToGIDMap


@case("7.21.3.2-1", type0=True)
def cid_to_gid_map_that_cannot_be_decoded(pdf):
    font(pdf).DescendantFonts[0].CIDToGIDMap = pdf.make_stream(b"not deflate data",
                                                                Filter=Name.FlateDecode)


@case("7.21.3.3-2", type0=True)
def embedded_cmap_that_cannot_be_decoded(pdf):
    cmap = _embedded_cmap(pdf)
    cmap.write(b"not deflate data", filter=Name.FlateDecode)
    font(pdf).Encoding = cmap


@case("7.21.4.1-2", type0=True)
def type0_font_program_that_is_not_truetype(pdf):
    font(pdf).DescendantFonts[0].FontDescriptor.FontFile2.write(b"not a font program")


@case("7.21.3.3-1", type0=True)
def cmap_neither_predefined_nor_embedded(pdf):
    font(pdf).Encoding = Name("/Custom-H")


@case("7.21.3.3-2", type0=True)
def cmap_wmode_mismatch(pdf):
    font(pdf).Encoding = _embedded_cmap(pdf, WMode=1)


@case("7.21.3.3-3", type0=True)
def cmap_uses_custom_cmap(pdf):
    font(pdf).Encoding = _embedded_cmap(pdf, "/Other-H usecmap")


@case("7.21.4.1-1", type0=True)
def cid_font_not_embedded(pdf):
    del font(pdf).DescendantFonts[0].FontDescriptor.FontFile2


@case("7.21.4.1-2", type0=True)
def cid_beyond_the_program(pdf):
    data = font(pdf).ToUnicode.read_bytes()
    pairs = dict((bytes.fromhex(a.decode()), bytes.fromhex(b.decode()).decode("utf-16-be"))
                 for a, b in re.findall(rb"<([0-9a-f]{4})> <([0-9a-f]+)>", data))
    pairs[b"\x0f\xff"] = "?"
    _cid_to_unicode(pdf, pairs)
    set_content(pdf, content(pdf) + b"/Artifact BMC BT /F1 9 Tf 0 0 Td <0fff> Tj ET EMC\n")


@case("7.21.5-1", type0=True)
def cid_width_differs(pdf):
    w = font(pdf).DescendantFonts[0].W
    w[1][0] = int(w[1][0]) + 10


@case("7.21.7-1", type0=True)
def cid_font_without_to_unicode(pdf):
    del font(pdf).ToUnicode


@case("7.21.7-1", type0=True)
def to_unicode_missing_a_code(pdf):
    data = font(pdf).ToUnicode.read_bytes()
    code = _gid(pdf, "A").hex().encode()
    data = re.sub(rb"<" + code + rb"> <[0-9a-f]+>\n", b"", data)
    data = re.sub(rb"\d+ beginbfchar", lambda m: str(int(m.group(0).split()[0]) - 1).encode()
                  + b" beginbfchar", data, count=1)
    font(pdf).ToUnicode = pdf.make_stream(data)


@case("7.21.7-2", type0=True)
def to_unicode_maps_to_bom(pdf):
    data = font(pdf).ToUnicode.read_bytes()
    code = _gid(pdf, "A").hex().encode()
    font(pdf).ToUnicode = pdf.make_stream(data.replace(b"<" + code + b"> <0041>",
                                                       b"<" + code + b"> <feff>"))


@case("7.21.8-1", type0=True)
def notdef_shown(pdf):
    data = font(pdf).ToUnicode.read_bytes()
    data = re.sub(rb"(\d+) beginbfchar\n", lambda m: str(int(m.group(1)) + 1).encode() +
                  b" beginbfchar\n<0000> <003f>\n", data, count=1)
    font(pdf).ToUnicode = pdf.make_stream(data)
    set_content(pdf, content(pdf) + b"/Artifact BMC BT /F1 9 Tf 0 0 Td <0000> Tj ET EMC\n")


@pytest.mark.parametrize("change, expected, type0", CASES)
def test_one_break_reports_its_rules(tmp_path, good, good_type0, change, expected, type0):
    path = edit(good_type0 if type0 else good, tmp_path / "case.pdf", change)
    findings = audit(path)
    assert {f.rule for f in findings} == expected, "\n".join(map(str, findings))
    for f in findings:
        assert f.where and f.message, f


# -- breaks made to the file itself ------------------------------------------------------

def test_header_from_the_future(tmp_path, good):
    data = good.read_bytes()
    assert data.startswith(b"%PDF-1.")
    path = tmp_path / "header.pdf"
    path.write_bytes(b"%PDF-1.9" + data[8:])
    assert rules(path) == {"6.1-1"}


def test_encryption_that_forbids_assistive_technology(tmp_path, good):
    with pikepdf.open(good) as pdf:
        pdf.save(tmp_path / "enc.pdf", encryption=pikepdf.Encryption(owner="o", user=""))
    assert rules(tmp_path / "enc.pdf") == set()
    with pikepdf.open(tmp_path / "enc.pdf") as pdf:
        p = int(pdf.encryption.P)
    assert p & 512
    data = (tmp_path / "enc.pdf").read_bytes()
    assert data.count(b"/P " + str(p).encode()) == 1
    # With AES-256 the key does not depend on /P, so clearing bit 10 leaves the file readable.
    cleared = str(p - 512).encode()
    assert len(cleared) == len(str(p))
    (tmp_path / "enc-no-at.pdf").write_bytes(data.replace(b"/P " + str(p).encode(),
                                                          b"/P " + cleared, 1))
    assert rules(tmp_path / "enc-no-at.pdf") == {"7.16-1"}


def test_metadata_stream_of_the_wrong_subtype(tmp_path, good):
    """pikepdf rewrites /Type and /Subtype of the catalog's metadata on save, so the file is
    patched afterwards (same length, so the xref stays right)."""
    data = good.read_bytes()
    assert data.count(b"/Subtype /XML") == 1
    path = tmp_path / "meta.pdf"
    path.write_bytes(data.replace(b"/Subtype /XML", b"/Subtype /XMP"))
    assert rules(path) == {"7.1-8"}


FILE_CASES = {"6.1-1", "7.16-1", "7.1-8"}


# -- where the findings point ------------------------------------------------------------

def test_findings_name_page_and_structure_path(tmp_path, good):
    path = edit(good, tmp_path / "f.pdf", lambda pdf: elem(pdf, "Figure").__delattr__("Alt"))
    [finding] = audit(path)
    assert finding == Finding("7.3-1", "page 1, Document/Figure[1]",
                              "Figure has neither /Alt nor /ActualText")
    assert str(finding) == "7.3-1 page 1, Document/Figure[1]: Figure has neither /Alt nor " \
                           "/ActualText"


def test_untagged_text_is_quoted(tmp_path, good):
    path = edit(good, tmp_path / "u.pdf", lambda pdf: set_content(
        pdf, content(pdf) + b"BT /F1 9 Tf 300 30 Td (Running head) Tj ET\n"))
    [finding] = audit(path)
    assert finding.rule == "7.1-3" and finding.where == "page 1"
    assert "\u201cRunning head\u201d" in finding.message


@pytest.mark.parametrize("broken, wrong", [(UNDECODABLE, "cannot be read: "),
                                           (CUT_OFF, "is damaged (")])
def test_unreadable_form_is_named(tmp_path, good, broken, wrong):
    def paint(pdf):
        form = add_form(pdf, **broken)
        replace_content(pdf, b"re f EMC", b"re f /Fm1 Do EMC")
        return form

    path = edit(good, tmp_path / "form.pdf", paint)
    with pikepdf.open(path) as pdf:
        num, gen = pdf.pages[0].Resources.XObject.Fm1.objgen
    [finding] = audit(path)
    assert (finding.rule, finding.where) == ("7.1-3", "page 1")
    assert finding.message.startswith(f"content stream of Form XObject /Fm1 (obj {num} {gen}) "
                                      f"{wrong}"), finding.message


def test_unreadable_font_program_is_named(tmp_path, good):
    path = edit(good, tmp_path / "font.pdf", font_program_that_is_not_truetype)
    [finding] = audit(path)
    assert (finding.rule, finding.where) == ("7.21.4.1-2",
                                             "page 1, font AtkinsonHyperlegible-Regular")
    assert finding.message.startswith("the embedded font program (FontFile2) cannot be "
                                      "read, so its glyphs, widths and cmap cannot be "
                                      "checked: TTLibError: "), finding.message


def test_link_annotation_finding_names_its_element(tmp_path, good):
    path = edit(good, tmp_path / "l.pdf",
                lambda pdf: pdf.pages[0].obj.Annots[0].__delattr__("Contents"))
    where = {f.rule: f.where for f in audit(path)}
    assert where["7.18.5-2"] == "page 1, Document/P[1]/Link[1]"


# -- the rule lists ----------------------------------------------------------------------

def test_every_rule_has_a_failing_fixture():
    covered = set().union(*(p.values[1] for p in CASES)) | FILE_CASES
    untested = {r for r in RULES if not r.startswith("Annex_L-")} - covered
    assert not untested
    assert not set(SKIPPED) & set(RULES)


@pytest.mark.parametrize("parent", sorted(NESTING))
def test_nesting_table_every_rule_can_fail(parent):
    """Annex L: for each rule, one kid too many breaks exactly it; one fewer breaks none."""
    for rule, kid, limit in NESTING[parent]:
        if kid == "#":
            assert list(violations(parent, [], True)) == [(rule, f"{parent} holds content "
                                                                 "items directly")]
            continue
        kid_type = "H3" if kid == "Hn" else kid
        assert [r for r, _ in violations(parent, [kid_type] * (limit + 1), False)] == [rule]
        assert list(violations(parent, [kid_type] * limit, False)) == []


def test_rule_lists_match_the_profiles():
    """Every PDF/UA-1 rule is either checked or listed as skipped with a reason, and the
    Annex L table says what ISO-32000-1-Tagged.xml says."""
    ua = PROFILES / "PDFUA-1.xml"
    tagged = PROFILES / "ISO-32000-1-Tagged.xml"
    if not ua.exists() or not tagged.exists():
        pytest.skip(f"the veraPDF profiles are not at {PROFILES}")
    ns = {"v": "http://www.verapdf.org/ValidationProfile"}
    ids = set()
    for rule in ET.parse(ua).getroot().iter(f"{{{ns['v']}}}rule"):
        i = rule.find("v:id", ns)
        ids.add(f"{i.get('clause')}-{i.get('testNumber')}")
    checked = {r for r in RULES if not r.startswith("Annex_L-")}
    assert checked | set(SKIPPED) == ids
    assert all(SKIPPED.values())

    expected = {}
    for rule in ET.parse(tagged).getroot().iter(f"{{{ns['v']}}}rule"):
        i = rule.find("v:id", ns)
        test = " ".join(rule.find("v:test", ns).text.split())
        obj = rule.get("object")
        if obj == "SENonStandard":
            continue
        parent = "StructTreeRoot" if obj == "PDStructTreeRoot" else obj[2:]
        if test.startswith("(/^H[1-6]$/.test(standardType) == false)"):
            parent = "Hn"
        if test.endswith("hasContentItems == false"):
            kid, limit = "#", 0
        else:
            m = re.search(r"elem == '(\w+)'|/\^H\[1-6\]\$/\.test\(elem\)", test)
            kid = m.group(1) or "Hn"
            limit = int(re.search(r"length (?:<=|==) (\d)", test).group(1))
        expected[f"Annex_L-{i.get('testNumber')}"] = (parent, kid, limit)
    ours = {r: (p, k, lim) for p, rows in NESTING.items() for r, k, lim in rows}
    assert ours == expected
    assert "Annex_L-1" in RULES


# -- the command -------------------------------------------------------------------------

def test_cli_passes_a_good_file(good, capsys):
    assert cli_main(str(good)) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and out[0].startswith(f"PDF/UA audit: {len(RULES)} rules checked, "
                                               "0 failures")


def test_cli_fails_on_a_finding(tmp_path, good, capsys):
    path = edit(good, tmp_path / "bad.pdf", lambda pdf: pdf.pages[0].obj.__delattr__("Tabs"))
    assert cli_main(str(path)) == 1
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0] == "7.18.3-1 page 1: page has annotations and /Tabs missing"
    assert "1 failures" in lines[-1] and f"{len(SKIPPED)} rules not checked" in lines[-1]


def test_cli_fails_on_a_file_that_is_not_a_pdf(tmp_path, capsys):
    path = tmp_path / "x.pdf"
    path.write_text("not a pdf")
    assert cli_main(str(path)) == 1


# -- a real WeasyPrint PDF ---------------------------------------------------------------

SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40">'
       '<rect width="40" height="40" fill="#236"/></svg>')


def _weasy(tmp_path: Path, alt: str | None, style: str = "") -> Path:
    weasyprint = pytest.importorskip("weasyprint")
    (tmp_path / "square.svg").write_text(SVG)
    alt_attr = f' alt="{alt}"' if alt is not None else ""
    html = f"""<!doctype html><html lang="en-GB"><head><meta charset="utf-8">
        <title>Audit test</title><style>{style}</style></head><body>
        <h1>A heading</h1><p>A paragraph with <a href="https://example.org/">a link</a>.</p>
        <ul><li>One</li><li>Two</li></ul>
        <img src="square.svg"{alt_attr}></body></html>"""
    out = tmp_path / f"weasy-{alt is not None}-{bool(style)}.pdf"
    weasyprint.HTML(string=html, base_url=str(tmp_path)).write_pdf(out, pdf_variant="pdf/ua-1")
    return out


def test_weasyprint_pdf_is_audited(tmp_path):
    path = _weasy(tmp_path, "A dark blue square")
    start = time.perf_counter()
    findings = audit(path)
    elapsed = time.perf_counter() - start
    print(f"\nWeasyPrint PDF: {len(findings)} findings in {elapsed:.3f}s")
    for f in findings:
        print(" ", f)
    assert isinstance(findings, list) and all(isinstance(f, Finding) for f in findings)
    assert {f.rule for f in findings} <= set(RULES)
    # What WeasyPrint does get right here: metadata, language, the image's alt.
    assert not {f.rule for f in findings} & {"5-1", "5-2", "6.2-1", "7.1-8", "7.1-9",
                                              "7.1-10", "7.1-11", "7.2-34", "7.3-1"}


def test_weasyprint_image_without_alt_is_reported(tmp_path):
    findings = audit(_weasy(tmp_path, None))
    assert "7.3-1" in {f.rule for f in findings}


def test_weasyprint_margin_box_is_reported(tmp_path):
    """WeasyPrint 70 gives margin-box text marked content whose element is not in the tree
    (weasyprint-tagging.md): the running page number must show up as 7.1-3."""
    findings = audit(_weasy(tmp_path, "A square",
                            "@page { @bottom-center { content: 'Page ' counter(page) } }"))
    untagged = [f for f in findings if f.rule == "7.1-3"]
    for f in findings:
        print(" ", f)
    assert untagged and "Page 1" in untagged[0].message
