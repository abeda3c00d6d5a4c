"""`booklet explain CODE`: what an error code means and how to fix it, in plain words.

errors.CODES keeps each code's one-line summary; this module keeps the longer text an
editor reads when a message is not enough: what went wrong, a typical example, how to
fix it, and where content/README.md (or README.md) says more.
"""

from __future__ import annotations

import sys
import textwrap

from booklet.errors import CODES

# code: (what went wrong, a typical example, how to fix it, where to read more)
EXPLANATIONS: dict[str, tuple[str, str, str, str]] = {
    "B100": (
        "A file in content/ could not be read as plain text.",
        "essay.md was saved by a word processor in another encoding, a file is missing or "
        "is a folder, or an invisible control character came in with text copied from a "
        "PDF.",
        "Open the file in a plain text editor and save it as UTF-8. For a control "
        "character, retype the words at the line and column the message gives.",
        "content/README.md, the opening section (\"All files are UTF-8\")."),
    "B101": (
        "booklet.yaml, references.yaml or an essay's front matter cannot be read.",
        "a tab for indentation, a quote never closed, fields not lined up, or title: "
        "Part one: the start (a ': ' in a value without quotes).",
        "Look at the line given and the one above it. Indent with spaces; put a value in "
        "double quotes if it holds ': ' or begins with a quote, bracket, * & ! @ or `.",
        "content/README.md, \"Writing YAML\"."),
    "B102": (
        "A field the booklet needs is missing, or has nothing after its colon.",
        "an essay.md without 'author:', or a reference entry with no year.",
        "Add the field with its value. A work without a date takes issued: {literal: n.d.}.",
        "content/README.md, \"essay.md\" and \"references.yaml\" (which fields are "
        "required)."),
    "B103": (
        "A field has a name the booklet does not know, or a value of the wrong kind.",
        "autor: for author:, a reference's author as text instead of a list of names, a "
        "2020 field name such as pages: (now page:), or yes where text belongs.",
        "Correct the name (the hint gives it), or write the value as the examples do: "
        "author: [{family: Best, given: P.}]; title: \"Yes\"; booklet migrate-references.",
        "content/README.md, \"essay.md\" and \"references.yaml\"."),
    "B104": (
        "A field still starts with TODO: booklet import left it for you to write, and the "
        "booklet must not print a placeholder.",
        "author: \"TODO: the author's name\" in essay.md, or a figure's alt: \"TODO: one "
        "sentence …\".",
        "Replace the whole value, TODO and all, with the real text. IMPORT.md in the "
        "essay's folder lists every TODO with its line.",
        "README.md, \"Importing an essay from Word\"."),
    "B110": (
        "content/essays/ holds no essay folders, so there is nothing to print.",
        "the folders were moved or renamed, or content/essays/ itself is missing.",
        "Make one folder per essay, e.g. content/essays/01-holly-clarke/, each with its "
        "essay.md and references.yaml.",
        "README.md, \"Adding or replacing an essay\"."),
    "B111": (
        "An essay has front matter but no text after it.",
        "the essay was pasted above the front matter, or deleted by mistake.",
        "Put the essay's text below the second '---' line.",
        "content/README.md, \"essay.md\"."),
    "B112": (
        "A folder in content/essays/ is not an essay: every folder there is read as one.",
        "an 'old versions' or 'drafts' folder beside the essays, or two folders called "
        "'03-charlotte-pitt' and '03 Charlotte Pitt', which give the same name in the "
        "outputs.",
        "Move folders that are not essays out of content/, add the missing essay.md, or "
        "rename one of two clashing folders. Any name works, spaces and accents included.",
        "README.md, \"Adding or replacing an essay\"."),
    "B130": (
        "booklet import could not read the file as a Word document.",
        "an old .doc file, a PDF or a .pages file renamed .docx, a file still open in "
        "Word, or a path with a typing error.",
        "Open the essay in Word or LibreOffice, choose Save As, 'Word Document (.docx)', "
        "and import that file.",
        "README.md, \"Importing an essay from Word\"."),
    "B131": (
        "booklet import stopped rather than replace an essay folder that exists.",
        "importing the same student's file twice, or two students with one name.",
        "Give another name with --folder 06-sam-jones, or add --force to replace the "
        "folder and everything in it (your edits there too).",
        "README.md, \"Importing an essay from Word\"."),
    "B200": (
        "An in-text citation does not lead to an entry of the essay's references.yaml.",
        "a typing error in the key: ([Mishna et al, 2019](cite:misna2019)) where the entry "
        "is mishna2019; a key with capitals or spaces; or a citation with no text.",
        "Correct the key to the entry's key: (the hint names the nearest one), or add the "
        "missing entry to references.yaml with an editor_note, and record it in "
        "EDITORIAL.md.",
        "content/README.md, \"essay.md\" (Citations) and \"references.yaml\"."),
    "B201": (
        "Two entries of one references.yaml have the same key, so a citation could mean "
        "either.",
        "two works by one author in one year, both with id: smith2019.",
        "Give each its own id (smith2019a, smith2019b) and change the citations of the "
        "second work to its new key.",
        "content/README.md, \"references.yaml\"."),
    "B202": (
        "A warning, not an error: an entry of references.yaml is never cited in its essay. "
        "The build goes on.",
        "the author listed a work they did not cite, or a citation's key is misspelt.",
        "Cite the work, correct the citation's key, or keep the entry and say why in it: "
        "uncited: \"In the author's list but not cited; kept as listed.\"",
        "content/README.md, \"references.yaml\" and \"EDITORIAL.md\"."),
    "B203": (
        "A warning: a citation's names or year are not its entry's, and it is not "
        "recorded. The build goes on.",
        "the text says Best et al, 2014; the entry is Best, Manktelow and Taylor, 2016.",
        "Correct a plain slip (and say so in EDITORIAL.md), or record it in the entry: "
        "unresolved: - cited: \"Best et al, 2014\" check: \"…\"; run booklet editorial.",
        "content/README.md, \"references.yaml\" (unresolved)."),
    "B204": (
        "Not a warning: a citation links to an entry the editor added because the author's "
        "list had none for it. booklet validate lists each such citation.",
        "(Alexander and Grant 2009, p.6) cites alexander2009, which has added_by_editor:.",
        "Nothing to fix now. Identify the work and complete the entry when you can; "
        "added_by_editor: says what to check.",
        "content/README.md, \"references.yaml\" (added_by_editor)."),
    "B205": (
        "A warning, not an error: an entry says why it stays uncited (uncited: …), but "
        "the essay now cites it.",
        "a citation was added, or its key corrected, after the reason was written.",
        "Delete the entry's 'uncited:' line: the reason no longer holds.",
        "content/README.md, \"references.yaml\"."),
    "B206": (
        "A warning, not an error: an entry's unresolved: says a citation disagrees with "
        "it, but no citation does any more.",
        "the citation was corrected to agree with the entry, or its words changed.",
        "Delete that item of unresolved: (cited: and check:), then run booklet editorial.",
        "content/README.md, \"references.yaml\" (unresolved)."),
    "B207": (
        "A warning, not an error: the generated lists under Unresolved in EDITORIAL.md "
        "are not what references.yaml and the essays now say.",
        "an unresolved: record was added or deleted, or a citation corrected, since the "
        "lists were last written.",
        "Run .venv/bin/booklet editorial: it rewrites only the generated lists, between "
        "their markers, and leaves every other line of EDITORIAL.md as it was.",
        "content/README.md, \"EDITORIAL.md\"."),
    "B210": (
        "A URL or DOI cannot work as a link.",
        "a space in a URL, a full stop or bracket copied onto its end, a university library "
        "proxy address (ezproxy) readers cannot open, or a DOI with 'doi:' in front.",
        "Copy the address again from the page itself. Write a DOI bare: "
        "doi: 10.1093/bjsw/bcr181.",
        "content/README.md, \"references.yaml\" (url and doi)."),
    "B211": (
        "A link uses something other than a web address (http, https) or an e-mail address "
        "(mailto).",
        "a link to ftp://… or javascript:… in the text or in a reference's url.",
        "Link to the page on the web instead, or remove the link and keep its text.",
        "content/README.md, \"references.yaml\" (url)."),
    "B212": (
        "site_url in booklet.yaml, the web edition's address on the union's site, is not "
        "a whole https address.",
        "site_url: www.example.org/booklet (no https://), an http:// address, or one "
        "ending in ?page=2 or #top.",
        "Write the address of the folder build/web/ is uploaded to, beginning with "
        "https://, e.g. site_url: https://www.example.org/booklet/. Or delete the line.",
        "content/README.md, \"booklet.yaml\" (site_url)."),
    "B220": (
        "A figure is placed but not declared in the front matter, declared but never "
        "placed, or its file cannot be found.",
        "'::: figure figure-2' when the front matter declares only figure-1.",
        "Declare each figure under figures:, place it once with '::: figure NAME' and "
        "':::', and keep its file, by its exact name, in the essay's folder.",
        "content/README.md, \"essay.md\" (Figures)."),
    "B221": (
        "A figure has no alt text or no long description, so a reader who cannot see it "
        "would miss it.",
        "a figure declared with file, label and caption, but without alt: or "
        "description:.",
        "Add alt: (one short sentence saying what the figure is) and description: (in "
        "prose, what a sighted reader takes from it).",
        "content/README.md, \"essay.md\" (the figures: example)."),
    "B222": (
        "A figure's file is not a sound SVG, PNG or JPEG picture, or is far too large.",
        "a JPEG saved with the name .png, an SVG cut short, or a photograph of 10,000 "
        "pixels a side.",
        "Export the figure again from the drawing program, as SVG if you can, and at a "
        "sensible size (300 dpi at the printed size is plenty).",
        "content/README.md, \"essay.md\" (Figures)."),
    "B226": (
        "A figure would be too small to read once fitted to the page with its caption.",
        "a chart 600 pixels wide and 2400 tall, or an SVG with 6-point labels.",
        "Make it less tall for its width (split it into two figures, or lay it out "
        "wider), or make the text in it larger.",
        "content/README.md, \"essay.md\" (Figures)."),
    "B230": (
        "A heading is at a level the body may not use, or skips a level.",
        "'# Introduction' in an essay (the title is the only level-1 heading), or '####' "
        "straight after a '##'.",
        "Make sections '##' and sub-sections '###', one level at a time.",
        "content/README.md, \"essay.md\" (sections)."),
    "B231": (
        "An essay's title is too long for the running head, which must stay one line.",
        "a title of 150 characters and no short_title, or a short_title of 80.",
        "Give the essay a short_title of a few words in its front matter. Without one, "
        "the title is cut at its first colon or dash, then after the last word that fits.",
        "content/README.md, \"essay.md\" (short_title)."),
    "B240": (
        "The text holds HTML or other markup the booklet does not accept.",
        "a <div> or <font> pasted from a web page, a paragraph indented by four spaces "
        "(which Markdown reads as program code), or `backticks`.",
        "Write it in Markdown: *italic*, ## for a section, > for a quotation; remove the "
        "indentation or the backticks.",
        "content/README.md, \"essay.md\"."),
    "B241": (
        "An SVG figure holds something active (a script, an event handler, an animation, "
        "an embedded document or a DOCTYPE); a figure in the booklet must be a still "
        "drawing.",
        "an SVG exported from a web tool with onclick=\"…\" or a <script> inside.",
        "Export the figure again as a plain SVG, or remove those parts from the file.",
        "content/README.md, \"essay.md\" (Figures)."),
    "B270": (
        "A table cannot be printed so that every reader can follow it cell by cell.",
        "no 'Table 1: …' line directly above it, a row with more or fewer cells than the "
        "head row, '||' for a merged cell, more than 6 columns, or a head row alone.",
        "Give every row as many cells as the head row (a dash for an empty cell), split a "
        "wide table in two, and write its caption line right above it.",
        "content/README.md, \"Tables\"."),
    "B271": (
        "A note and its mark do not match up, so a note would be lost or a mark printed.",
        "[^2] in the text with no '[^2]: …' line, a '[^3]: …' line never marked, or a "
        "note in the introduction.",
        "Use the same label in the mark and at the start of its note's line; delete a note "
        "nobody marks.",
        "content/README.md, \"Notes\"."),
    "B272": (
        "Some Markdown would be printed as text, or reads otherwise than meant.",
        "a space in a link's address, ** word **, '##Heading', '---' under a paragraph, "
        "verse lines with no '\\', or *italics* in a title.",
        "Do what the hint says at the line given.",
        "content/README.md, \"Slips that are refused\"."),
    "B273": (
        "A table does not fit the width of the page, even in the small type tables take.",
        "a column holding a long web address or a very long word, in a table of five or "
        "six columns.",
        "Shorten the long words (put an address in a note instead), or split the table.",
        "content/README.md, \"Tables\"."),
    "B250": (
        "A character in the text is in none of the booklet's fonts, so it cannot be "
        "printed in them.",
        "a Chinese word, an emoji, or a look-alike symbol pasted from a word processor.",
        "Retype it, or add an OFL font that has it to styles/fonts/ and declare it in "
        "styles/fonts.css. The message names the character's code and name.",
        "README.md, \"How it is built\" (fonts)."),
    "B251": (
        "A character a template or stylesheet adds (not content/) is in none of the "
        "booklet's fonts.",
        "a list marker or a symbol added to print.css or a template.",
        "Change the template or stylesheet, or add an OFL font that has it to "
        "styles/fonts/ and declare it in styles/fonts.css.",
        "README.md, \"How it is built\" (fonts)."),
    "B300": (
        "Something asked the build to read outside the project: another file on the "
        "computer, a link leading out of content/, or the network.",
        "a figure file given as ../../Downloads/chart.svg or https://…, a symbolic link "
        "to a file elsewhere, or an SVG that loads a picture from the web.",
        "Copy the file into the essay's folder and refer to it by its name alone.",
        "content/README.md, \"essay.md\" (Figures)."),
    "B400": (
        "Writing the PDF or the EPUB into build/ failed. This is about the computer, not "
        "the content.",
        "the disk is full, or build/ cannot be written to.",
        "Free some space or make build/ writable, then run make again. The last good "
        "booklet stays as it was.",
        "README.md, \"What comes out\"."),
    "B410": (
        "A build setting from the environment is malformed: SOURCE_DATE_EPOCH, the "
        "edition's time, must be a count of seconds.",
        "SOURCE_DATE_EPOCH=2020-03-22 instead of SOURCE_DATE_EPOCH=1584835200.",
        "Set it to whole seconds since 1970 (date +%s), or unset it: the edition is then "
        "dated by its content's last commit or first build.",
        "README.md, \"How it is built\"."),
    "B420": (
        "The machine lacks HarfBuzz's font subsetter (libharfbuzz-subset0); without it "
        "the same content would give different PDFs on different machines.",
        "a machine set up by hand rather than by make.",
        "Run make, which installs it or prints the command to run.",
        "README.md, \"booklet\" (the two commands)."),
    "B421": (
        "booklet changes how WeasyPrint tags a PDF and breaks its lines, written for one "
        "release of it; with another the booklet could come out wrong without a word.",
        "WeasyPrint upgraded by hand (pip install -U weasyprint).",
        "Run make, which installs the release pyproject.toml pins into .venv.",
        "README.md, \"How it is built\"."),
    "B430": (
        "The light cover of the booklet to print at home (build/booklet-home-print.pdf) "
        "would run onto a second page, and no line of it may be lost.",
        "a very long title or subtitle in booklet.yaml, or many authors' names.",
        "Shorten the title or the subtitle in booklet.yaml, or make the cover's type "
        "smaller in styles/home-print.css.",
        "README.md, \"Printing the booklet at home\"."),
    "B500": (
        "The print edition and the e-book disagree where they must not. This is a bug in "
        "booklet, not a mistake in the content.",
        "the e-book's page list cannot find the words where a printed page begins.",
        "Report it to whoever maintains booklet, with the content that caused it and the "
        "whole message. The last good booklet stays as it was.",
        "README.md, \"How it is built\"."),
}

_WIDTH = 88


def explanation(code: str) -> str:
    """The text `booklet explain CODE` prints."""
    what, example, fix, more = EXPLANATIONS[code]
    body = [f"{what} For example: {example}", fix, f"Read more: {more}"]
    return "\n".join([f"{code}: {CODES[code]}", ""]
                     + [textwrap.fill(part, _WIDTH) for part in body])


def listing() -> str:
    """Every code with its one-line summary."""
    lines = [f"{code}  {summary}" for code, summary in CODES.items()]
    lines += ["", "Run 'booklet explain CODE' for what a code means and how to fix it."]
    return "\n".join(lines)


def main(code: str | None) -> int:
    """Print the explanation of `code` (or the list of codes); the exit status."""
    if code is None:
        print(listing())
        return 0
    key = code.strip().upper()
    if key not in EXPLANATIONS:
        print(f"booklet explain: {code!r} is not one of booklet's error codes (B100 to "
              f"B500); run 'booklet explain' with no code to list them", file=sys.stderr)
        return 2
    print(explanation(key))
    return 0
