"""Does an in-text citation name the work its entry describes? Names and year, compared.

Pure: strings in, a verdict out. The citation is its visible text as the author wrote it
("Best et al, 2014", "Gupta (2015)", "Ferguson 2014 p. 289", "Kadushin and Kadushin,
cited in Trevithick, 2012"); the entry is its authors (each "Surname, I." or one
corporate name) and its year. Tolerated, because Harvard allows them:

- "et al" / "et al." for an entry of three or more authors (or one whose list says "et al.");
- "and" or "&" between names, commas, brackets round the year;
- a possessive ("Bronfenbrenner’s (1992)", "Fraser’s et al.");
- page and paragraph locators ("p.6", "p. 289", "pp. 1–2");
- a secondary citation: only the work after "cited in" is compared with the entry;
- a corporate author cited by its initials ("BASW" for British Association of Social
  Work), or without a leading part ("Fourth World" for ATD Fourth World);
- case, straight or curly apostrophes, and letters after a year ("2001a, b");
- a work with no author, cited by its title or the title's first words ("How to count
  your caring hours, 2025"), as Harvard cites it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Sequence

_CITED_IN = re.compile(r"\bcited\s+in\b", re.I)
_LOCATOR = re.compile(r",?\s*\b(?:pp?|paras?|ch|chap|fig)\.?\s*\d+(?:\s*[-–]\s*\d+)?\b", re.I)
_YEAR = re.compile(r"\b(\d{4})((?:[a-z])(?:\s*,\s*[a-z]\b)*)?(?!\d)|\bn\.\s?d\.", re.I)
_ET_AL = re.compile(r"\bet\.?\s+al\b\.?", re.I)
_SPLIT = re.compile(r"\s*(?:,|&|\band\b)\s*")
_MINOR = {"of", "for", "the", "and", "in", "on", "to", "a", "an", "&"}
_TRAILING = re.compile(r"(?:\s+\b(?:in|on|from|by|see|also|the)\b)+\s*$", re.I)


@dataclass(frozen=True)
class Mismatch:
    text: str  # the citation as written
    entry: str  # the entry's names and year, as a citation would give them
    names: bool  # True if the names agree
    year: bool  # True if the year agrees

    def __str__(self) -> str:
        return f"the text says {self.text}; the entry is {self.entry}"


def match_citation(text: str, authors: Sequence[str], year: str,
                   title: str = "") -> Mismatch | None:
    """None if the citation's names and year agree with the entry's, else a Mismatch.

    An entry without authors is cited by its title, which then stands for the names."""
    cited_names, cited_et_al, cited_years = parse_citation(text)
    entry_names, entry_et_al = entry_surnames(authors)
    if entry_names:
        names_ok = _names_agree(cited_names, cited_et_al, entry_names, entry_et_al)
    else:
        names_ok = _title_agrees(cited_names, cited_et_al, title)
    year_ok = _year_agrees(cited_years, year)
    if names_ok and year_ok:
        return None
    return Mismatch(text=text.strip(), entry=describe_entry(authors, year, title),
                    names=names_ok, year=year_ok)


def parse_citation(text: str) -> tuple[list[str], bool, list[str]]:
    """(names, et_al, years) of the work a citation points at."""
    text = _plain(text)
    parts = _CITED_IN.split(text)
    text = parts[-1]  # a secondary citation: the work that was read
    text = _LOCATOR.sub("", text)
    years: list[str] = []
    first = None
    for match in _YEAR.finditer(text):
        first = match.start() if first is None else first
        if match.group(1):
            letters = re.findall(r"[a-z]", match.group(2) or "", re.I)
            years.extend(match.group(1) + x.lower() for x in letters) if letters else \
                years.append(match.group(1))
        else:
            years.append("n.d.")
    names = text[:first] if first is not None else text
    names = names.replace("(", " ").replace(")", " ")
    et_al = bool(_ET_AL.search(names))
    names = _ET_AL.sub(" ", names)
    names = _TRAILING.sub("", names.strip(" ,;.")).strip(" ,;.")
    names = [_possessive(n.strip()) for n in _SPLIT.split(names) if n.strip(" .")]
    return names, et_al, years


def _possessive(name: str) -> str:
    """Bronfenbrenner's → Bronfenbrenner, Jones' → Jones."""
    return re.sub(r"(?<=s)'$", "", re.sub(r"(?<=\w)'s$", "", name))


def entry_surnames(authors: Sequence[str]) -> tuple[list[str], bool]:
    """(surnames, et_al): "Best, P." → Best; a corporate name stays whole."""
    names, et_al = [], False
    for author in authors:
        author = _plain(author)
        if _ET_AL.search(author):
            et_al = True
            author = _ET_AL.sub(" ", author)
        author = author.strip(" ,.")
        names.append(author.split(",")[0].strip() if "," in author else author)
    return [n for n in names if n], et_al


def describe_entry(authors: Sequence[str], year: str, title: str = "") -> str:
    names, et_al = entry_surnames(authors)
    if not names and title:
        names = [title]
    names = [n.replace("'", "’") for n in names]
    if len(names) <= 1:
        lead = "".join(names)
    else:
        lead = ", ".join(names[:-1]) + " and " + names[-1]
    if et_al:
        lead += " et al."
    return f"{lead}, {year}" if lead else year


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"[’‘`´]", "'", text)
    return re.sub(r"\s+", " ", text).strip()


def _words(name: str) -> list[str]:
    """Lowercase words; a possessive's ending dropped on both sides alike."""
    return [re.sub(r"'s$|'$", "", w) for w in re.findall(r"[\w'-]+", _plain(name).lower())]


def _initials(name: str) -> str:
    return "".join(w[0] for w in _words(name) if w not in _MINOR).upper()


def _same_name(cited: str, entry: str) -> bool:
    a, b = _words(cited), _words(entry)
    if a and a[0] == "the":
        a = a[1:]
    if b and b[0] == "the":
        b = b[1:]
    if a == b:
        return True
    plain = cited.strip()
    if len(a) == 1 and plain.isupper() and len(plain) >= 2:
        return plain == _initials(entry)  # BASW for British Association of Social Work
    stripped = entry.strip()
    if len(b) == 1 and stripped.isupper() and len(stripped) >= 2:
        return stripped == _initials(cited)  # an entry under initials, cited in full
    return len(a) >= 2 and len(b) > len(a) and b[-len(a):] == a  # Fourth World, ATD


def _names_agree(cited: list[str], cited_et_al: bool, entry: list[str],
                 entry_et_al: bool) -> bool:
    if not cited or not entry:
        return False
    if cited_et_al:
        if len(cited) > len(entry):
            return False
        if not all(_same_name(c, e) for c, e in zip(cited, entry)):
            return False
        return entry_et_al or len(entry) >= 3
    if entry_et_al:
        return False  # the entry has authors the citation does not name
    if len(cited) == len(entry) and all(_same_name(c, e) for c, e in zip(cited, entry)):
        return True
    # a corporate name with "and" or a comma in it, cited whole
    return _same_name(" and ".join(cited), " and ".join(entry))


def _title_agrees(cited: list[str], cited_et_al: bool, title: str) -> bool:
    """A title cited whole or by its first words ("How to count your caring hours")."""
    words = _words(", ".join(cited))
    title_words = _words(title)
    return (bool(words) and not cited_et_al and len(words) <= len(title_words)
            and title_words[:len(words)] == words)


def _year_agrees(cited: list[str], year: str) -> bool:
    year = _plain(year).lower()
    if not cited:
        return False
    if year in cited:
        return True
    # an entry year without its letter matches a citation's "2001a"
    return bool(re.fullmatch(r"\d{4}", year)) and any(c[:4] == year for c in cited)
