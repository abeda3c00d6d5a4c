"""In-text citations found in the imported Markdown and linked to the parsed entries.

The forms students write: "(Author, 2019)", "(Author et al, 2019; Other and Another,
2008)", "Author (2019)", "(Author 2019, p. 12)", "(X, cited in Author, 2019)". Whether a
citation names an entry is content/references/matching.py's judgement (the same one the
reference audit makes); this module only finds the citations and picks the entry:

- names and year agree with exactly one entry: linked;
- the names agree and the year does not, or the year agrees and the first name is a
  near spelling (Negai for Ngai, ISFW for IFSW): linked to that closest entry, and
  reported as a mismatch for the editor to settle;
- anything else (no entry, two equally good ones): left as typed, and listed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from booklet.content.references.matching import (_initials, _plain, _words, entry_surnames,
                                            match_citation, parse_citation)

_YEAR = r"(?:1[5-9]|20)\d{2}[a-z]?(?:\s*,\s*[a-z]\b)*|n\.\s?d\."
_HAS_YEAR = re.compile(rf"\b(?:{_YEAR})")
_GROUP = re.compile(r"\(((?:[^()]|\([^()]*\))*)\)")
_LINK = re.compile(r"(?<!\\)\[[^\]]*\]\([^)]*\)|\[\^[^\]]+\]|<[^>]+>|https?://\S+")
_ONLY_YEAR = re.compile(rf"^\s*(?:{_YEAR})(?:\s*[,:]\s*(?:pp?\.|paras?\.?|ch\.)?\s*\d+"
                        r"(?:\s*[-–]\s*\d+)?)?\s*$")
_SPLIT = re.compile(r"\s*;\s*|(?<=[0-9a-z])\s*\.\s+(?=[A-Z])")
_PREFIX = re.compile(r"^(?:e\.g\.,?|i\.e\.,?|see(?:\s+also)?|cf\.|for example,?|as in)\s+", re.I)
_CITED_IN = re.compile(r"^(?P<lead>.*?\bcited\s+in:?\s+)(?P<rest>.+)$", re.I | re.S)
_CONNECTORS = {"and", "&", "et", "al", "al.", "of", "for", "the", "van", "von", "de", "der",
               "den", "du", "da", "di", "le", "la", "on"}
_SENTENCE_WORDS = {"The", "A", "An", "In", "On", "As", "For", "This", "These", "Those",
                   "Furthermore", "However", "Moreover", "Although", "And", "But", "Also",
                   "Thus", "Therefore", "Similarly", "Indeed", "While", "Whilst", "When", "If",
                   "Yet", "So", "Both", "According", "Like", "Unlike", "Following", "Whereas",
                   "Here", "There", "It", "Then", "Later", "Earlier", "By", "From", "With"}
_PARTICLES = {"van", "von", "de", "der", "den", "du", "da", "di", "le", "la"}
_TOKEN = re.compile(r"[\w'’.-]+|[,&]")


@dataclass
class Found:
    text: str  # the citation as written (Markdown)
    keys: tuple[str, ...]
    line: int  # the line in essay.md's body
    mismatch: str = ""  # what disagrees, for the report


@dataclass
class Linking:
    linked: list[Found] = field(default_factory=list)
    unlinked: list[tuple[str, int, str]] = field(default_factory=list)  # text, line, why


def link_citations(lines: list[str], entries: list[dict], first_line: int = 1) -> tuple[list[str], Linking]:
    """The lines with citations linked; `entries` are fields dicts (key, authors, year)."""
    result = Linking()
    out = []
    for n, line in enumerate(lines):
        if line.startswith(":::") or line.lstrip().startswith("#"):
            out.append(line)
            continue
        pieces, pos = [], 0
        for skip in _LINK.finditer(line):
            pieces.append(_link_segment(line[pos:skip.start()], entries, first_line + n, result))
            pieces.append(skip.group(0))
            pos = skip.end()
        pieces.append(_link_segment(line[pos:], entries, first_line + n, result))
        out.append("".join(pieces))
    return out, result


def _link_segment(text: str, entries, line: int, result: Linking) -> str:
    out, pos = [], 0
    for group in _GROUP.finditer(text):
        inner = group.group(1)
        if not _HAS_YEAR.search(inner):
            continue
        if _ONLY_YEAR.match(inner):
            start, replacement = _narrative(text, group, entries, line, result)
            if replacement is None:
                continue
            out.append(text[pos:start])
            out.append(replacement)
        else:
            out.append(text[pos:group.start()])
            out.append("(" + _parenthetical(inner, entries, line, result) + ")")
        pos = group.end()
    out.append(text[pos:])
    return "".join(out)


def _narrative(text: str, group, entries, line: int, result: Linking):
    """'Gupta and Lloyd-Jones (2014)': the names are the words before the bracket."""
    before = text[: group.start()]
    if before and not before[-1].isspace():
        return 0, None
    starts = _name_starts(before.rstrip())
    if not starts:
        if re.search(r"\w", before[-30:]):
            lead = " ".join(before.split()[-5:])  # enough words to find it by
            result.unlinked.append((f"{lead} {group.group(0)}", line,
                                    "a year in brackets with no author before it"))
        return 0, None
    year_text = group.group(1)
    best = None
    for start in starts:  # shortest phrase first
        names = before[start:].rstrip()
        choice = _choose(f"{names} {year_text}", entries)
        # a tie goes to the longer phrase: "Gupta, Blumhardt & Fourth World" over its end
        if best is None or choice[0] >= best[0][0] and (choice[0] > best[0][0] or choice[1]):
            best = (choice, start)
    (score, keys, mismatch), start = best
    written = text[start: group.end()]
    if not keys:
        shortest = before[starts[0]:].rstrip() + " " + group.group(0)
        result.unlinked.append((shortest, line, mismatch))
        return 0, None
    result.linked.append(Found(written, keys, line, mismatch))
    return start, f"[{written}](cite:{','.join(keys)})"


def _parenthetical(inner: str, entries, line: int, result: Linking) -> str:
    out, pos = [], 0
    for sep in list(_SPLIT.finditer(inner)) + [None]:
        end = sep.start() if sep else len(inner)
        part = inner[pos:end]
        out.append(_one_part(part, entries, line, result))
        if sep:
            out.append(sep.group(0))
            pos = sep.end()
    return "".join(out)


def _one_part(part: str, entries, line: int, result: Linking) -> str:
    lead_space = part[: len(part) - len(part.lstrip())]
    core = part.strip()
    trail = ""
    while core.endswith((".", ",")) and not re.search(r"\bal\.$|\bp\.$", core):
        trail = core[-1] + trail
        core = core[:-1].rstrip()
    prefix = ""
    if (cited := _CITED_IN.match(core)):
        prefix, core = cited["lead"], cited["rest"]
    elif (pre := _PREFIX.match(core)):
        prefix, core = pre.group(0), core[pre.end():]
    if not _HAS_YEAR.search(core) or not re.match(r"[A-ZÀ-Þ]|(?:van|von|de|du|da|di|le|la)\s", core):
        if _HAS_YEAR.search(core) and re.search(r"[A-Z]", core):
            result.unlinked.append((core, line, "not read as a citation"))
        return part
    # the names end where the year begins; words before the names stay outside the link
    # (inside brackets every name before the year is the citation's: "Alexander and
    # Grant 2009" is not "Grant 2009")
    year_at = _HAS_YEAR.search(core).start()
    starts = _name_starts(core[:year_at].rstrip(" ,"))
    start = starts[-1] if starts else 0
    score, keys, mismatch = _choose(core[start:], entries)
    written = core[start:]
    if not keys:
        result.unlinked.append((written, line, mismatch))
        return part
    prefix += core[:start]
    result.linked.append(Found(written, keys, line, mismatch))
    return f"{lead_space}{prefix}[{written}](cite:{','.join(keys)}){trail}"


def _name_starts(text: str) -> list[int]:
    """Where a run of name words ending `text` may start, nearest first: each start is
    a capitalised word ('Furthermore, Gupta and Lloyd-Jones' gives Lloyd-Jones, Gupta,
    Furthermore)."""
    tokens = list(_TOKEN.finditer(text))
    starts = []
    for token in reversed(tokens):
        word = token.group(0)
        if word in _SENTENCE_WORDS:
            continue  # 'The', 'Furthermore': capitalised, but never a name's start
        if word[0].isupper():
            starts.append(token.start())
        elif word in _PARTICLES and starts:  # 'van Spijker': the particle is the name's
            starts.append(token.start())
        elif word.lower() in _CONNECTORS or word in (",", "&"):
            continue
        else:
            break
    return starts


def _choose(citation: str, entries) -> tuple[int, tuple[str, ...], str]:
    """(score, keys, what disagrees or why none): 3 agrees, 2 a year differs, 1 a name
    is spelled differently, 0 no entry."""
    names, _, years = parse_citation(citation)
    if not names:
        return 0, (), "no author's name before the year"
    if len(years) > 1:  # 'Smith, 2001a, b': one entry per year
        keys, notes, worst = [], [], 3
        name_part = citation[: _HAS_YEAR.search(citation).start()]
        for year in years:
            score, found, note = _choose(f"{name_part} {year}", entries)
            if not found:
                return 0, (), note
            keys.extend(found)
            worst = min(worst, score)
            if note:
                notes.append(note)
        return worst, tuple(keys), "; ".join(notes)
    scored = []
    for entry in entries:
        authors, year = entry.get("authors") or [], entry.get("year", "")
        if not authors or not year or str(year).startswith("TODO"):
            continue
        verdict = match_citation(citation, authors, str(year))
        if verdict is None:
            scored.append((3, entry, ""))
        elif verdict.names:
            scored.append((2, entry, f"the year differs: {verdict}"))
        elif verdict.year and _near_name(names[0], entry_surnames(authors)[0]):
            scored.append((1, entry, f"a name differs: {verdict}"))
    if not scored:
        return 0, (), "no entry in the reference list has these names and this year"
    top = max(s for s, _, _ in scored)
    best = [item for item in scored if item[0] == top]
    if len(best) > 1 and top == 2:  # nearest year first
        target = int(re.sub(r"\D", "", years[0]) or 0) if years else 0
        best.sort(key=lambda item: abs(int(re.sub(r"\D", "", str(item[1]["year"]))[:4] or 0)
                                       - target))
        if abs(int(re.sub(r"\D", "", str(best[0][1]["year"]))[:4] or 0) - target) == \
                abs(int(re.sub(r"\D", "", str(best[1][1]["year"]))[:4] or 0) - target):
            return 0, (), "two entries are equally close: " + ", ".join(
                item[1]["key"] for item in best)
    elif len(best) > 1:
        return 0, (), "more than one entry fits: " + ", ".join(item[1]["key"] for item in best)
    score, entry, note = best[0]
    return score, (entry["key"],), note


def _near_name(cited: str, surnames: list[str]) -> bool:
    if not surnames:
        return False
    entry = surnames[0]
    a, b = " ".join(_words(cited)), " ".join(_words(entry))
    if a == b or SequenceMatcher(None, a, b).ratio() >= 0.8:
        return True
    # initials against initials: IFSW cited, ISFW listed (or the name written out)
    ia = _plain(cited) if _plain(cited).isupper() else _initials(cited)
    ib = _plain(entry) if _plain(entry).isupper() else _initials(entry)
    return len(ia) >= 3 and len(ib) >= 3 and sorted(ia) == sorted(ib)

