"""Which edition content/ holds: the checks that prove the 2020 booklet against
../shared/source/ only make sense when content/ is that booklet.

Next year's editor replaces the essays; the pipeline's own tests must then still pass,
and the 2020 read-backs are skipped with a reason instead of failing on essays they
were never about.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT.parent / "shared" / "source"
# The 2020 booklet's identifier (content/booklet.yaml); a new edition gets a new one.
IDENTIFIER_2020 = "urn:uuid:27f19b05-426f-560a-9489-d6728061ddfe"


def content_identifier(root: Path = ROOT) -> str:
    try:
        meta = yaml.safe_load((root / "content" / "booklet.yaml").read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return ""
    return str(meta.get("identifier", "")) if isinstance(meta, dict) else ""


def is_2020(root: Path = ROOT) -> bool:
    return content_identifier(root) == IDENTIFIER_2020


# Marks a test of the 2020 edition: tests/conftest.py skips it, with the reason, when
# content/ is another edition. One that reads a build runs on the shipped one alone
# (read_2020_build).
requires_2020 = pytest.mark.edition_2020


def built_from(*names: str):
    """A test of the session build (`built`, tests/conftest.py) run on these of its
    booklets alone ("shipped", "fixture"): one about what a booklet holds runs on the
    booklet that holds it, rather than skip on the other."""
    return pytest.mark.parametrize("built", names, indirect=True)


def read_2020_build(test):
    """A read-back of the 2020 edition's build against ../shared/source/: on the shipped
    booklet's build, and skipped, with the reason, when content/ is another edition."""
    return requires_2020(built_from("shipped")(test))

NOT_2020 = (f"content/ is not the 2020 edition (identifier {content_identifier() or 'none'!r}): "
            "the read-backs against ../shared/source/ are about that edition only")
