"""The write stage: markup into files (WeasyPrint for the PDF, ebooklib for the EPUB)."""
