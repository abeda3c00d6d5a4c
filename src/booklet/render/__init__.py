"""The render stage: Jinja2 templates turn the document model into markup."""

from booklet.render.templates import render_epub, render_print, render_web

__all__ = ["render_epub", "render_print", "render_web"]
