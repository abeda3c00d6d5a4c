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
        "Add the field with its value. A work without a date takes year: \"n.d.\".",
        "content/README.md, \"essay.md\" and \"references.yaml\" (which fields are "
        "required)."),
    "B103": (
        "A field has a name the booklet does not know, or a value of the wrong kind.",
        "autor: for author:, authors as one text instead of a list, a figure name with "
        "capitals or spaces, or yes where text belongs.",
        "Correct the name (the hint lists the allowed ones), or write the value as the "
        "examples do: authors: [\"Best, P.\", \"Taylor, B.\"]; title: \"Yes\".",
        "content/README.md, \"essay.md\" and \"references.yaml\"."),
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
        "two works by one author in one year, both with key: smith2019.",
        "Give each its own key (smith2019a, smith2019b) and change the citations of the "
        "second work to its new key.",
        "content/README.md, \"references.yaml\"."),
    "B202": (
        "A warning, not an error: an entry of references.yaml is never cited in its essay. "
        "The build goes on.",
        "the author listed a work they did not cite, or a citation's key is misspelt.",
        "Cite the work, correct the citation's key, or keep the entry and say why in it: "
        "uncited: \"In the author's list but not cited; kept as listed.\"",
        "content/README.md, \"references.yaml\" and \"EDITORIAL.md\"."),
    "B205": (
        "A warning, not an error: an entry says why it stays uncited (uncited: …), but "
        "the essay now cites it.",
        "a citation was added, or its key corrected, after the reason was written.",
        "Delete the entry's 'uncited:' line: the reason no longer holds.",
        "content/README.md, \"references.yaml\"."),
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
        "This machine lacks a library the build needs: HarfBuzz's font subsetter "
        "(libharfbuzz-subset0, 4.1 or newer). Without it the PDF's fonts would be made "
        "another way, and the same content would give different files on different "
        "machines.",
        "a machine set up by hand rather than by make, or a package removed since.",
        "Run make, which installs what the build needs (or says the exact command to run "
        "when it cannot): sudo apt-get install libharfbuzz-subset0.",
        "README.md, \"booklet\" (the two commands)."),
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
