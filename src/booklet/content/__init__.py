"""The content stage: load and validate content/ into the document model."""

from booklet.content.loader import load_booklet

__all__ = ["load_booklet"]
