"""The content stage: load and validate content/ into the document model."""

__all__ = ["load_booklet"]


def __getattr__(name: str):
    # The loader (YAML, Markdown, the checks) is imported when it is first used: a
    # process that is handed a loaded booklet (pipeline._Ready) needs the model alone.
    if name == "load_booklet":
        from booklet.content.loader import load_booklet

        return load_booklet
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
