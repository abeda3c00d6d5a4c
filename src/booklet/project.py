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

    def output(self, name: str) -> Path:
        """The file (or folder) in build/ of the edition `name` (booklet build NAME)."""
        from booklet.editions import edition

        return edition(name).path(self.build)

    def readable_roots(self) -> list[Path]:
        """The only folders a build may read resources from."""
        return [self.content, self.styles, Path(__file__).parent / "templates"]

    def fixed_time(self) -> int | None:
        """SOURCE_DATE_EPOCH, if set: the edition time a packager or a test fixes."""
        if value := os.environ.get("SOURCE_DATE_EPOCH", "").strip():
            if not value.isdigit():
                from booklet.errors import BookletError, Problem

                raise BookletError(Problem(
                    "B410", f"the environment's SOURCE_DATE_EPOCH is {value!r}, not a count "
                    "of seconds", hint="set it to whole seconds since 1970 (date +%s), or unset it"))
            return int(value)
        return None

    def committed_time(self) -> int | None:
        """The time of the last commit that changed content/, if content/ is in git and
        has no uncommitted change (an edit, a new or a deleted file); otherwise None.

        Every clean checkout of one commit then dates its booklet alike.
        """
        def git(*args: str) -> str | None:
            try:
                out = subprocess.run(["git", *args], cwd=self.root, capture_output=True,
                                     text=True, timeout=10)
            except (OSError, subprocess.SubprocessError):
                return None
            return out.stdout if out.returncode == 0 else None

        status = git("status", "--porcelain", "--untracked-files=all", "--", "content")
        if status is None or status.strip():
            return None
        stamp = (git("log", "-1", "--format=%ct", "--", "content") or "").strip()
        return int(stamp) if stamp.isdigit() else None
