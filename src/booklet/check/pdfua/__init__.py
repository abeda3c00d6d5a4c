"""PDF/UA-1 audit: the machine-checkable rules of veraPDF's PDF/UA-1 profile and the
structure nesting rules (Annex L) of its ISO 32000-1 Tagged PDF profile, in pikepdf.

    findings = audit("build/booklet.pdf")   # [] when every implemented rule passes

Each finding names the rule by the profile's clause-test id (e.g. "7.18.5-1"), where it is
(page, structure path, object) and what is wrong. RULES holds every rule checked, with a
one-line explanation; SKIPPED every rule of the PDF/UA-1 profile that is not, and why.
"""

from __future__ import annotations

from pathlib import Path

import pikepdf

from booklet.check.pdfua import content, rules_annots, rules_fonts, rules_meta, \
    rules_structure, rules_tables
from booklet.check.pdfua.model import Doc, Finding

__all__ = ["audit", "Finding", "RULES", "SKIPPED"]

_MODULES = (rules_meta, rules_structure, rules_tables, content, rules_annots, rules_fonts)

RULES: dict[str, str] = {}
for _module in _MODULES:
    RULES.update(_module.RULES)

SKIPPED: dict[str, str] = {
    "7.18.6.2-1": "media clips: the booklet has no multimedia (Screen/Rendition) content",
    "7.18.6.2-2": "media clips: the booklet has no multimedia (Screen/Rendition) content",
    "7.20-2": "needs every invocation of each Form XObject matched to its structure "
              "parents; the booklet's forms are drawn once each",
    "7.21.4.2-1": "Type 1 CharSet completeness needs a Type 1 parser; only TrueType is "
                  "embedded",
    "7.21.4.2-2": "CIDSet completeness against the program; WeasyPrint writes no CIDSet",
}


def audit(path: str | Path) -> list[Finding]:
    """Every failure of every rule in RULES, in the order: document, structure, tables,
    content, annotations, fonts."""
    with pikepdf.open(path) as pdf:
        doc = Doc(Path(path), pdf)
        findings: list[Finding] = []
        for module in _MODULES:
            findings.extend(module.check(doc))
        return findings
