"""The print editions' machinery: each edition laid out in parts, joined, and finished.

- parts.py: a part (front matter, an essay, the back matter, a blank page, the page
  furniture) as plain data, what the engine lays out (engine/layout.py);
- layout.py: an edition's parts arranged into a booklet, laid out side by side with
  the other editions' (a generator per edition), and joined when its PDF is written;
- part_cache.py: laid-out parts kept in build/parts/ between builds;
- join.py: the parts joined into one tagged PDF, with pikepdf;
- page_start.py: where a numbered page begins (the EPUB's page-list), and a page's place;
- tables.py: a table too wide for the page, refused with its line;
- shop.py: the print shop's PDF finished toward PDF/X-4;
- home.py: the standard edition's pages imposed two to an A4 sheet, to print at home.
"""
