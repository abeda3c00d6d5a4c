"""Which structure types may contain which: the Annex L rules of ISO 32000-1 (veraPDF's
ISO-32000-1-Tagged profile), restated as one table.

For each parent type the table lists, in the profile's order, the kid types it may NOT
have. The profile numbers these rules consecutively per parent, so a rule's id is the
parent's first number plus the position in its list: "Document": (45, "TOCI H<=1 …") means
Annex_L-45 "Document shall not contain TOCI", Annex_L-46 "Document shall contain at most
one H", and so on. Tokens:

    Type      the parent shall not contain a kid of this standard type
    Type<=1   the parent shall contain at most one
    Hn        any of H1…H6 (as a parent row: every H1…H6 element)
    #         the parent shall not hold content items (MCIDs, marked-content or object
              references) directly

Kid types are counted as veraPDF does: after /RoleMap, with NonStruct kids replaced by
their own kids. Annex_L-1 ("every element maps to a standard type") is checked in
rules_structure.py.
"""

from __future__ import annotations

import re

# Transcribed from ISO-32000-1-Tagged.xml; tests/test_pdf_audit.py compares it with the
# profile, found in the shared reference files beside the project (shared/reference/).
FORBIDDEN_KIDS: dict[str, tuple[int, str]] = {
    "StructTreeRoot": (2, """
        Document<=1 Part Art Div Sect TOC TOCI BlockQuote P Note Code Hn H Lbl
        Span Quote Link Reference Annot Form Ruby RB RT RP Warichu WT WP Index L
        LI LBody BibEntry Table TR TH TD THead TBody TFoot Caption Figure
        Formula #
    """),
    "Document": (45, """
        TOCI H<=1 Lbl Span Quote Reference Ruby RB RT RP Warichu WT WP LI LBody
        BibEntry TR TH TD THead TBody TFoot Caption #
    """),
    "Part": (69, """
        Span Quote Ruby RB RT RP Warichu WT WP LI LBody TR TH TD THead TBody
        TFoot #
    """),
    "Div": (87, """
        #
    """),
    "Art": (88, """
        Document Art TOCI H<=1 Span Quote Reference Ruby RB RT RP Warichu WT WP
        LI LBody BibEntry TR TH TD THead TBody TFoot #
    """),
    "Sect": (112, """
        Document TOCI H<=1 Span Quote Reference Ruby RB RT RP Warichu WT WP LI
        LBody BibEntry TR TH TD THead TBody TFoot #
    """),
    "TOC": (135, """
        Document Part Art Div Sect BlockQuote P Note Code Hn H Lbl Span Quote
        Link Reference Annot Form Ruby RB RT RP Warichu WT WP Index L LI LBody
        BibEntry Table TR TH TD THead TBody TFoot Caption Figure Formula #
    """),
    "TOCI": (176, """
        Document Part Art Sect TOCI BlockQuote Note Code Hn H Span Quote Link
        Annot Form Ruby RB RT RP Warichu WT WP Index L LI LBody BibEntry Table
        TR TH TD THead TBody TFoot Caption Figure Formula #
    """),
    "BlockQuote": (214, """
        TOCI BlockQuote H<=1 Span Quote Ruby RB RT RP Warichu WT WP LI LBody
        BibEntry TR TH TD THead TBody TFoot Caption<=1
    """),
    "Private": (236, """
        H<=1 Caption<=1
    """),
    "P": (238, """
        Document Part Art Div Sect TOC TOCI BlockQuote P Hn H RB RT RP WT WP
        Index LI LBody Table TR TH TD THead TBody TFoot Caption
    """),
    "Note": (265, """
        Document TOC TOCI Hn H RB RT RP WT WP LI LBody TR TH TD THead TBody
        TFoot
    """),
    "Code": (283, """
        Document Art Sect TOC TOCI BlockQuote P Code Hn H Lbl Quote Form Ruby RB
        RT RP Warichu WT WP Index L LI LBody Table TR TH TD THead TBody TFoot
        Caption Figure Formula
    """),
    "Hn": (317, """
        Document Part Art<=1 Div Sect<=1 TOC TOCI BlockQuote P Hn H RB RT RP WT
        WP Index L LI LBody Table TR TH TD THead TBody TFoot Caption
    """),
    "H": (345, """
        Document Part Art<=1 Div Sect<=1 TOC TOCI BlockQuote P Hn H RB RT RP WT
        WP Index L LI LBody Table TR TH TD THead TBody TFoot Caption
    """),
    "Lbl": (373, """
        Document Part Art Div Sect TOC TOCI BlockQuote P Hn H Lbl RB RT RP WT WP
        Index L LI LBody Table TR TH TD THead TBody TFoot Caption
    """),
    "Span": (402, """
        Document Part Art Div Sect TOC TOCI BlockQuote P Hn H RB RT RP WT WP
        Index L LI LBody Table TR TH TD THead TBody TFoot Caption
    """),
    "Quote": (430, """
        Document Part Art Div Sect TOC TOCI BlockQuote P Hn H RB RT RP WT WP
        Index L LI LBody Table TR TH TD THead TBody TFoot Caption
    """),
    "Link": (458, """
        Document TOC TOCI Link RB RT RP WT WP Index LI LBody TR TH TD THead
        TBody TFoot
    """),
    "Reference": (476, """
        Document Part Art Div Sect TOC TOCI BlockQuote P Code Hn H Quote
        Reference Form Ruby RB RT RP Warichu WT WP Index L LI LBody Table TR TH
        TD THead TBody TFoot Caption Formula
    """),
    "Annot": (511, """
        Document TOC TOCI Private RB RT RP WT WP Index LI LBody TR TH TD THead
        TBody TFoot
    """),
    "Form": (529, """
        Document Art Sect TOC TOCI BlockQuote P Hn H Span Quote Link Annot Form
        Ruby RB RT RP Warichu WT WP Index LI LBody TR TH TD THead TBody TFoot
        Caption<=1
    """),
    "Ruby": (560, """
        Document Part Art Div Sect TOC TOCI BlockQuote P Note Code Hn H Lbl Span
        Quote Link Reference Annot Form Ruby Warichu WT WP Index L LI LBody
        BibEntry Table TR TH TD THead TBody TFoot Caption Figure Formula
    """),
    "RB": (599, """
        Document Part Art Div Sect TOC TOCI BlockQuote P Note Code Hn H Lbl Ruby
        RB RT RP Warichu WT WP Index L LI LBody BibEntry Table TR TH TD THead
        TBody TFoot Caption Figure Formula
    """),
    "RT": (635, """
        Document Part Art Div Sect TOC TOCI BlockQuote P Note Code Hn H Lbl Ruby
        RB RT RP Warichu WT WP Index L LI LBody BibEntry Table TR TH TD THead
        TBody TFoot Caption Figure Formula
    """),
    "RP": (671, """
        Document Part Art Div Sect TOC TOCI BlockQuote P Note Code Hn H Lbl Ruby
        RB RT RP Warichu WT WP Index L LI LBody BibEntry Table TR TH TD THead
        TBody TFoot Caption Figure Formula
    """),
    "Warichu": (707, """
        Document Part Art Div Sect TOC TOCI BlockQuote P Note Code Hn H Lbl Span
        Quote Link Reference Annot Form Ruby RB RT RP Warichu Index L LI LBody
        BibEntry Table TR TH TD THead TBody TFoot Caption Figure Formula
    """),
    "WT": (747, """
        Document Part Art Div Sect TOC TOCI BlockQuote P Note Code Hn H Lbl Ruby
        RB RT RP Warichu WT WP Index L LI LBody BibEntry Table TR TH TD THead
        TBody TFoot Caption Figure Formula
    """),
    "WP": (783, """
        Document Part Art Div Sect TOC TOCI BlockQuote P Note Code Hn H Lbl Ruby
        RB RT RP Warichu WT WP Index L LI LBody BibEntry Table TR TH TD THead
        TBody TFoot Caption Figure Formula
    """),
    "Index": (819, """
        Document Art TOC TOCI BlockQuote Code Lbl Span Quote Link Form Ruby RB
        RT RP Warichu WT WP Index LI LBody BibEntry TR TH TD THead TBody TFoot #
    """),
    "L": (848, """
        Document Part Art Div Sect TOC TOCI BlockQuote P Note Code Hn H Lbl Span
        Quote Link Reference Annot Form Ruby RB RT RP Warichu WT WP Index LBody
        BibEntry Table TR TH TD THead TBody TFoot Caption<=1 Figure Formula #
    """),
    "LI": (889, """
        Document Part Art Sect TOC TOCI BlockQuote P Note Code Hn H Span Quote
        Link Reference Annot Form Ruby RB RT RP Warichu WT WP Index L LI
        BibEntry Table TR TH TD THead TBody TFoot Caption Figure Formula
    """),
    "LBody": (928, """
        Document TOC TOCI H<=1 Lbl RB RT RP WT WP LI LBody TR TH TD THead TBody
        TFoot Caption<=1
    """),
    "BibEntry": (947, """
        Document Art Sect TOC TOCI BlockQuote Code Hn H Quote Form Ruby RB RT RP
        Warichu WT WP Index L LI LBody BibEntry Table TR TH TD THead TBody TFoot
        Caption Formula
    """),
    "Table": (979, """
        Document Part Art Div Sect TOC TOCI BlockQuote P Note Code Hn H Lbl Span
        Quote Link Reference Annot Form Ruby RB RT RP Warichu WT WP Index L LI
        LBody BibEntry Table TH TD THead<=1 TFoot<=1 Caption<=1 Figure Formula #
    """),
    "TR": (1020, """
        Document Part Art Div Sect TOC TOCI BlockQuote P Note Code Hn H Lbl Span
        Quote Link Reference Annot Form Ruby RB RT RP Warichu WT WP Index L LI
        LBody BibEntry Table TR THead TBody TFoot Caption Figure Formula #
    """),
    "TH": (1061, """
        Document Part TOC TOCI BlockQuote H<=1 RB RT RP WT WP LI LBody TR TH TD
        THead TBody TFoot Caption
    """),
    "TD": (1081, """
        Document Part TOC TOCI BlockQuote H<=1 RB RT RP WT WP LI LBody TR TH TD
        THead TBody TFoot Caption
    """),
    "THead": (1101, """
        Document Part Art Div Sect TOC TOCI BlockQuote P Note Code Hn H Lbl Span
        Quote Link Reference Annot Form Ruby RB RT RP Warichu WT WP Index L LI
        LBody BibEntry Table TH TD THead TBody TFoot Caption Figure Formula #
    """),
    "TBody": (1143, """
        Document Part Art Div Sect TOC TOCI BlockQuote P Note Code Hn H Lbl Span
        Quote Link Reference Annot Form Ruby RB RT RP Warichu WT WP Index L LI
        LBody BibEntry Table TH TD THead TBody TFoot Caption Figure Formula #
    """),
    "TFoot": (1185, """
        Document Part Art Div Sect TOC TOCI BlockQuote P Note Code Hn H Lbl Span
        Quote Link Reference Annot Form Ruby RB RT RP Warichu WT WP Index L LI
        LBody BibEntry Table TH TD THead TBody TFoot Caption Figure Formula #
    """),
    "Caption": (1227, """
        Document TOC TOCI H<=1 RB RT RP WT WP LI LBody TR TH TD THead TBody
        TFoot Caption
    """),
    "Figure": (1245, """
        Document TOC TOCI H<=1 RB RT RP WT WP LI LBody TR TH TD THead TBody
        TFoot Caption<=1
    """),
    "Formula": (1263, """
        Document Art Sect TOC TOCI H<=1 RB RT RP WT WP LI LBody TR TH TD THead
        TBody TFoot Caption<=1
    """),
}


def _rules() -> dict[str, list[tuple[str, str, int]]]:
    """parent -> [(rule id, kid token, most allowed)]."""
    out = {}
    for parent, (first, tokens) in FORBIDDEN_KIDS.items():
        rows = []
        for offset, token in enumerate(tokens.split()):
            kid, _, limit = token.partition("<=")
            rows.append((f"Annex_L-{first + offset}", kid, int(limit or 0)))
        out[parent] = rows
    return out


NESTING = _rules()
_HN = re.compile(r"H[1-6]")


def row_for(std: str | None) -> str | None:
    """The table row that applies to an element of standard type `std`."""
    if std is None:
        return None
    return "Hn" if _HN.fullmatch(std) else (std if std in NESTING else None)


def describe(parent: str, kid: str, limit: int) -> str:
    if kid == "#":
        return f"{parent} shall not hold content items directly"
    what = "H1-H6" if kid == "Hn" else kid
    return f"{parent} shall contain at most one {what}" if limit else \
        f"{parent} shall not contain {what}"


RULES = {rule: describe(parent, kid, limit)
         for parent, rows in NESTING.items() for rule, kid, limit in rows}


def violations(parent_row: str, kid_types: list[str], has_content_items: bool):
    """(rule id, message) for each Annex L rule a parent breaks, given its kids' types."""
    counts: dict[str, int] = {}
    for t in kid_types:
        t = "Hn" if _HN.fullmatch(t) else t
        counts[t] = counts.get(t, 0) + 1
    for rule, kid, limit in NESTING.get(parent_row, ()):
        if kid == "#":
            if has_content_items:
                yield rule, f"{parent_row} holds content items directly"
        elif counts.get(kid, 0) > limit:
            what = "H1-H6" if kid == "Hn" else kid
            yield rule, f"{parent_row} contains {counts[kid]} {what}" + \
                (" (at most one allowed)" if limit else "")
