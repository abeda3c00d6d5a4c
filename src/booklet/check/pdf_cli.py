"""`booklet check pdf FILE`: the PDF/UA-1 audit, one line per failure."""

from __future__ import annotations

import sys
from collections import Counter

import pikepdf


def main(path: str) -> int:
    """Print each finding and a summary; 1 if anything failed (or the file cannot be read)."""
    from booklet.check.pdfua import RULES, SKIPPED, audit

    try:
        findings = audit(path)
    except (OSError, pikepdf.PdfError) as exc:
        print(f"{path}: cannot be read as a PDF: {exc}", file=sys.stderr)
        return 1
    for finding in findings:
        print(finding)
    failed = Counter(f.rule for f in findings)
    summary = (f"PDF/UA audit: {len(RULES)} rules checked, {len(findings)} failures"
               f" of {len(failed)} rules; {len(SKIPPED)} rules not checked")
    if failed:
        summary += " (" + ", ".join(f"{rule} \u00d7{n}" for rule, n in failed.most_common()) + ")"
    print(summary)
    return 1 if findings else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m booklet.check.pdf_cli FILE.pdf")
    sys.exit(main(sys.argv[1]))
