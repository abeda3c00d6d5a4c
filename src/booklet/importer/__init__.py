"""`booklet import`: a student's Word file into a new essay folder, with a report.

Stages, one way through: docx.py reads the Word file (mammoth) into HTML and its
images; markdown.py turns that HTML into the project's Markdown blocks; front.py finds
the title, subtitle and byline; references.py parses the reference list; citations.py
links in-text citations to the parsed entries; report.py writes IMPORT.md; folder.py
puts the essay folder in place. Nothing here is read by a build.
"""
