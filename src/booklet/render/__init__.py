"""The render stage: Jinja2 templates turn the document model into markup."""

__all__ = ["render_epub", "render_print", "render_web"]


def __getattr__(name: str):
    # Jinja2 and the templates are imported when first used: the build's own process
    # needs only the reference entries (csl_style) and the print parts (print_parts).
    if name in __all__:
        from booklet.render import templates

        return getattr(templates, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
