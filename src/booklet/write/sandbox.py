"""The only door through which WeasyPrint may read: files under the allowed folders.

Content may come from students' own files and CSS from anyone, so a stylesheet or an
image must never reach the network, another user's files or the machine's secrets.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher


class ResourceRefused(Exception):
    pass


class SandboxedFetcher(URLFetcher):
    def __init__(self, roots: list[Path]):
        # fail_on_errors: a refused or missing resource stops the build instead of
        # leaving a hole in the booklet.
        super().__init__(fail_on_errors=True, allowed_protocols={"file"})
        self.roots = [r.resolve() for r in roots]
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        path = Path(unquote(parts.path)).resolve() if parts.scheme == "file" else None
        if path is None or parts.netloc not in ("", "localhost") or not any(
                path.is_relative_to(root) for root in self.roots):
            self.refused.append(url)
            raise ResourceRefused(f"refused to fetch {url!r}: only files under "
                                  + ", ".join(str(r) for r in self.roots) + " may be read")
        if not path.is_file():
            self.refused.append(url)
            raise ResourceRefused(f"{url!r} does not exist")
        return super().fetch(path.as_uri(), headers)
