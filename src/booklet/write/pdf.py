"""Print HTML into the PDF booklet with WeasyPrint."""

from __future__ import annotations

import hashlib
from pathlib import Path

from booklet.errors import BookletError, Problem
from booklet.write.output import atomic_output
from booklet.write.sandbox import SandboxedFetcher


def write_pdf(html: str, target: Path, styles_dir: Path, roots: list[Path], identifier: str) -> None:
    from weasyprint import CSS, HTML  # imported here: it is the slowest import by far
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import FatalURLFetchingError

    fetcher = SandboxedFetcher(roots)
    fonts = FontConfiguration()
    try:
        stylesheet = CSS(filename=str(styles_dir / "print.css"), url_fetcher=fetcher,
                         font_config=fonts)
        document = HTML(string=html, base_url=styles_dir.as_uri() + "/",
                        url_fetcher=fetcher).render(stylesheets=[stylesheet], font_config=fonts)
        with atomic_output(target) as tmp:
            document.write_pdf(
                tmp, pdf_variant="pdf/ua-1",
                # The same edition always gets the same file identifier.
                pdf_identifier=hashlib.sha256(identifier.encode()).hexdigest()[:32].encode(),
            )
    except FatalURLFetchingError as exc:
        raise BookletError(Problem("B300", "; ".join(fetcher.refused) or str(exc), target,
                                   hint="refer only to files in content/ and styles/")) from None
