"""An essay's reference list and its citations, at the content stage.

- entries.py: references.yaml (or .json, .bib) into the essay's Reference entries;
- csl.py: every format's items read and validated as CSL, at their lines;
- bibtex.py: a BibTeX or BibLaTeX file into CSL items;
- migrate.py: the 2020 field names rewritten into CSL-YAML (`booklet migrate-references`);
- matching.py: does a citation's text name its entry's authors and year (pure);
- checks.py: every citation checked against its entry and the editor's record of it.

Formatting the entries in a reference style is the render stage's (render/csl_style.py).
"""
