"""Where a booklet project keeps its parts, and when its edition was made."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Project:
    root: Path

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def styles(self) -> Path:
        return self.root / "styles"

    @property
    def build(self) -> Path:
        return self.root / "build"

    @property
    def pdf(self) -> Path:
        return self.build / "booklet.pdf"

    @property
    def epub(self) -> Path:
        return self.build / "booklet.epub"

    def readable_roots(self) -> list[Path]:
        """The only folders a build may read resources from."""
        return [self.content, self.styles, Path(__file__).parent / "templates"]

    def timestamp(self) -> int:
        """The edition's time: SOURCE_DATE_EPOCH, else the last commit of content/.

        Never the clock, so that the same tree always builds the same bytes.
        """
        if value := os.environ.get("SOURCE_DATE_EPOCH", "").strip():
            if not value.isdigit():
                from booklet.errors import BookletError, Problem

                raise BookletError(Problem(
                    "B410", f"the environment's SOURCE_DATE_EPOCH is {value!r}, not a count "
                    "of seconds", hint="set it to whole seconds since 1970 (date +%s), or unset it"))
            return int(value)
        try:
            out = subprocess.run(["git", "log", "-1", "--format=%ct", "--", "content"],
                                 cwd=self.root, capture_output=True, text=True, timeout=10)
            if out.returncode == 0 and out.stdout.strip():
                return int(out.stdout.strip())
        except (OSError, subprocess.SubprocessError, ValueError):
            pass
        files = [p for p in self.content.rglob("*") if p.is_file()]
        return int(max((p.stat().st_mtime for p in files), default=0))
