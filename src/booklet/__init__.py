"""booklet: accessible print and e-book editions from essays in Markdown.

The pipeline runs in four stages, one package each, and data flows one way:
content (load and validate) -> render (templates) -> write (PDF, EPUB) -> check.
"""

__version__ = "0.1.0"
