"""The EPUB: the rendered XHTML documents into an EPUB 3 container with ebooklib.

- book.py: the package (metadata, accessibility metadata, fonts, figures, spine);
- pages.py: the print edition's page numbers as page-break markers and a page-list
  (the web edition places its markers with it too);
- container.py: the zip finished so the same tree always gives the same bytes.
"""
