"""WeasyPrint's fetches, every one through the sandbox (write/sandbox.py says why).

Every fetch WeasyPrint makes (stylesheets, @import, url() in CSS, @font-face sources,
images, images inside SVG, attachments: see GHSA-35jj-wx47-4w8r) goes through
`SandboxedFetcher.fetch`, which reads only what `allowed_path` allows. A refusal is
recorded in `refused` (one sentence per URL, for the B300 message) and raised; with
fail_on_errors WeasyPrint turns it into FatalURLFetchingError, which `refusals` turns
into the editor's coded error.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from urllib.parse import unquote

import booklet.engine.weasyprint_import  # noqa: F401  (first: see its docstring)
from weasyprint.urls import FatalURLFetchingError, URLFetcher

from booklet.errors import BookletError, Problem
from booklet.write.sandbox import MAX_RESOURCE_BYTES, ResourceRefused, allowed_path

# WeasyPrint names each raster image in the PDF by a digest of its URL, so resources are
# shown to it under this one fixed root, whatever folder the project was checked out in:
# the same tree then makes the same bytes in any folder. The fetcher maps it back.
PROJECT_URL = "file:///booklet-project/"


class SandboxedFetcher(URLFetcher):
    def __init__(self, roots: list[Path], project_root: Path | None = None):
        # fail_on_errors: a refused or missing resource stops the build instead of
        # leaving a hole in the booklet.
        super().__init__(fail_on_errors=True, allowed_protocols={"file"}, allow_redirects=False)
        self.roots = [r.resolve() for r in roots]
        self.project_root = project_root
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        if self.project_root is not None and url.startswith(PROJECT_URL):
            # Joined as a path, then checked like any other: "../" cannot climb out.
            url = (self.project_root.absolute() / unquote(url[len(PROJECT_URL):])).as_uri()
        path, why = allowed_path(url, self.roots)
        if path is None:
            self.refused.append(f"refused to read {_short(url)!r}: {why}")
            raise ResourceRefused(self.refused[-1])
        if path.stat().st_size > MAX_RESOURCE_BYTES:
            self.refused.append(f"refused to read {_short(url)!r}: it is larger than "
                                f"{MAX_RESOURCE_BYTES // 2**20} MiB")
            raise ResourceRefused(self.refused[-1])
        return super().fetch(path.as_uri(), headers)


def _short(url: str, limit: int = 100) -> str:
    return url if len(url) <= limit else url[: limit - 1] + "…"


@contextlib.contextmanager
def refusals(fetcher: SandboxedFetcher, where: Path):
    """A fetch refused inside this block stops the build with B300, naming `where`."""
    hint = "refer only to files in content/ and styles/"
    try:
        yield
    except FatalURLFetchingError as exc:
        raise BookletError(Problem("B300", "; ".join(fetcher.refused) or str(exc), where,
                                   hint=hint)) from None
    # WeasyPrint logs and skips a failed fetch made from inside an SVG figure rather than
    # raising it, so a refusal may come back only in our own record.
    if fetcher.refused:
        raise BookletError(Problem("B300", "; ".join(fetcher.refused), where, hint=hint))
