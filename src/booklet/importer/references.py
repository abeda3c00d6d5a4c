"""A reference list as students type it (Harvard, more or less) into structured entries.

Each entry keeps the text it was parsed from, and says what of that text no field took
(`leftover`) and what was repaired on the way (`notes`): the report shows both beside the
fields, so the editor checks only what needs checking.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from booklet.content.links import doi_problem
from booklet.content.references.csl import MONTHS

HEADING = re.compile(r"^\W*(references?|reference list|list of references|bibliography|"
                     r"works cited|sources|literature)\W*$", re.I)
FIELD_ORDER = ("key", "authors", "year", "title", "type", "container", "section", "editors",
               "volume", "issue", "pages", "edition", "publisher", "place", "date", "medium",
               "url", "doi", "accessed")

_STAR = "\ue000"  # a literal asterisk while italics are read
_QUOTES_OPEN = "'\"‘“"
_URL = re.compile(r"<?((?:https?://|www\.)[^\s<>]+)>?")
_AVAILABLE = re.compile(r"\b(?:available|retrieved|online)(?:\s+(?:at|from|on))?\s*:?\s*$", re.I)
_ACCESSED = re.compile(r"[\[(]\s*(?:last\s+)?accessed(?:\s+on)?\s*:?\s*([^\])]+?)\s*[\])]"
                       r"|\baccessed(?:\s+on)?\s*:?\s*(\d{1,2}(?:st|nd|rd|th)?\s+\w+\s+\d{4})",
                       re.I)
_DOI_TEXT = re.compile(r"\bdoi\s*:?\s*(10\.\d{3,9}/\S+)", re.I)
_YEAR_PAREN = re.compile(r"\(\s*(\d{4}[a-z]?|n\.\s?d\.?)\s*\)\.?")
_YEAR_BARE = re.compile(r"(?:^|[.,]\s*|\s)(\d{4}[a-z]?|n\.\s?d\.)\s*[.,]\s")
_ITALIC = re.compile(r"(?<!\\)\*(?!\s)(.+?)(?<![\s\\])\*")
_PAGES = re.compile(r"\b(?:pp?\.?\s*)?(\d+)\s*[-–—]\s*(\d+)\b")
_MONTHS = "|".join(MONTHS)
_DATE = re.compile(rf"\b(\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTHS}))\b(?:,?\s*\d{{4}})?")
_PUBLISHERISH = re.compile(r"\b(Press|Publish\w*|Ltd|Limited|Books|Routledge|Sage|SAGE|"
                           r"Palgrave|Macmillan|Wiley|Blackwell|Penguin|Kingsley|Policy|"
                           r"Learning Matters|Elsevier|Springer|Norton|Polity|Trust|Council|"
                           r"Commissioner|Foundation|Department|Government|Office|Charity|"
                           r"Centre|Center|HMSO|Stationery)\b")
_JOURNALISH = re.compile(r"\b(Journal|Review|Quarterly|News|Magazine|Times|Guardian|"
                         r"Bulletin|Annals|Proceedings|Studies|Practice|Education|Work|"
                         r"Society|Research)\b", re.I)
_SURNAME = (r"(?:(?:van|von|de|der|den|du|da|di|la|le|del|dos|ter|St\.?)\s+)*"
            r"[A-ZÀ-Þ][\w'’-]*(?:\s+[A-ZÀ-Þ][\w'’-]*[a-zà-ÿ][\w'’-]*)?")
_INITIALS = r"(?:[A-ZÀ-Þ]\.?(?:\s*-\s*[A-ZÀ-Þ]\.?)?(?![\w'’])\s*)+"
_PERSON = re.compile(rf"(?P<sur>{_SURNAME})\s*,\s*(?P<ini>{_INITIALS})")
_CORP_REVERSED = re.compile(r"(?P<sur>[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*)\s*,\s*"
                            r"(?P<caps>[A-Z]{2,})\.?$")
_SEPARATOR = re.compile(r"^(?:\s|,|&|\band\b|;)*$")
_ET_AL = re.compile(r",?\s*\bet\.?\s*al\b\.?", re.I)


@dataclass
class Entry:
    raw: str  # the entry as the author wrote it (Markdown marks removed)
    fields: dict = field(default_factory=dict)
    leftover: str = ""  # text no field took
    notes: list = field(default_factory=list)  # repairs made and doubts

    @property
    def clean(self) -> bool:
        return not self.leftover and not self.notes and bool(self.fields.get("year")) \
            and bool(self.fields.get("authors") or self.fields.get("title"))

    @property
    def key(self) -> str:
        return self.fields.get("key", "")


def parse_entries(texts: list[str]) -> list[Entry]:
    entries = [parse_entry(t) for t in texts if plain_text(t).strip()]
    seen: dict[str, int] = {}
    for entry in entries:
        base = entry.fields["key"]
        if base in seen:
            seen[base] += 1
            entry.fields["key"] = f"{base}{chr(ord('a') + seen[base])}"
        else:
            seen[base] = 0
    return entries


def plain_text(markdown: str) -> str:
    text = _links_as_text(markdown)
    text = _ITALIC.sub(r"\1", text)
    text = re.sub(r"(?<!\\)\*\*", "", text)
    return _unescape(text)


def parse_entry(markdown: str) -> Entry:
    text = re.sub(r"^\s*(?:[-*+]|\d+[.)])\s+", "", markdown)  # a list item's marker
    text = _links_as_text(text)
    text = re.sub(r"(?<!\\)\*\*", "", text)  # bold means nothing in a reference
    # Markdown's escapes undone, but for a literal '*', kept apart from italic marks
    text = _unescape(text.replace("\\*", _STAR))
    entry = Entry(raw=text.replace(_STAR, "\\*"))
    fields = entry.fields
    text = _take_links(text, entry)
    text = _take_accessed(text, fields)
    text = _outer_quotes(text)
    authors_text, year, rest = _split_year(text)
    if year:
        fields["year"] = year.replace(" ", "")
    authors = _authors(authors_text, entry)
    if authors:
        fields["authors"] = authors
    rest = _title(rest, entry)
    rest = _details(rest, entry)
    leftover = (re.sub(r"^[\s.,;:*]+|[\s.,;:*]+$", "", rest))
    entry.leftover = leftover if re.search(r"\w", leftover) else ""
    for name in list(fields):
        if isinstance(fields[name], list):
            fields[name] = [a.replace(_STAR, "*") for a in fields[name]]
        elif isinstance(fields[name], str):
            fields[name] = fields[name].replace(_STAR, "*").strip()
            if not fields[name]:
                del fields[name]
    if not year:
        entry.notes.append("no year found")
    if not authors and not fields.get("title"):
        entry.notes.append("neither authors nor a title found")
    fields["key"] = make_key(fields)
    entry.fields = {name: fields[name] for name in FIELD_ORDER if name in fields}
    return entry


def make_key(fields: dict) -> str:
    authors = fields.get("authors") or []
    if authors:
        lead = authors[0].split(",")[0] if "," in authors[0] else authors[0]
        lead = _ET_AL.sub("", lead)
    else:
        words = [w for w in re.findall(r"[\w’']+", fields.get("title", ""))
                 if w.lower() not in ("the", "a", "an")]
        lead = words[0] if words else "entry"
    ascii_lead = unicodedata.normalize("NFKD", lead).encode("ascii", "ignore").decode()
    ascii_lead = re.sub(r"['’]", "", ascii_lead.lower())
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_lead).strip("-") or "entry"
    year = re.sub(r"[^a-z0-9]", "", fields.get("year", "").lower()) or "nd"
    return slug + year


def _unescape(text: str) -> str:
    return re.sub(r"\\([\\`*_\[\]<|])", r"\1", text).replace("&amp;", "&")


def _links_as_text(text: str) -> str:
    def one(m):
        label, href = m.group(1), m.group(2)
        return label if ("://" in label or label.strip() in href) else f"{label} {href}"
    return re.sub(r"(?<!\\)\[([^\]]*)\]\(([^)\s]*)\)", one, text)


def _take_links(text: str, entry: Entry) -> str:
    def repl(match):
        url = match.group(1)
        tail = ""
        while url and url[-1] in ".,;*)>]'’\"”":
            if url[-1] == ")" and url.count("(") >= url.count(")"):
                break
            tail = url[-1] + tail
            url = url[:-1]
        if tail.startswith("."):
            tail = tail[1:]
        _classify_url(url, entry)
        return " " + tail.replace(".", "") + " "

    text = _URL.sub(repl, text)
    # an italic that ended with the link ('*… https://…*') keeps its closing mark
    text = re.sub(r"[\s,;]+\*(?=\s|$|[.,;])", "*", text)
    text = _DOI_TEXT.sub(lambda m: _doi_text(m, entry), text)
    return re.sub(r"\b(?:available|retrieved|online)(?:\s+(?:at|from|on))?\s*:?(?=\s*[\[(]?\s*"
                  r"(?:accessed|$|[.,]))", " ", text, flags=re.I)


def _doi_text(match, entry: Entry) -> str:
    doi = match.group(1).rstrip(".,;")
    entry.fields.setdefault("doi", doi)
    _check_doi(entry)
    return " "


def _classify_url(url: str, entry: Entry) -> None:
    fields = entry.fields
    if url.startswith("www."):
        url = "https://" + url
    host = re.match(r"https?://([^/]*)", url, re.I)
    host = host.group(1).lower() if host else ""
    path = url[url.find(host) + len(host):].lstrip("/") if host else ""
    if host in ("doi.org", "dx.doi.org", "www.doi.org"):
        fields.setdefault("doi", path)
    elif host.startswith("doi:"):
        fields.setdefault("doi", url.split("doi:", 1)[1])
        entry.notes.append(f"the link {url} is a DOI written as a web address; kept as the DOI")
    elif "proxy" in host or host.startswith("doi-org"):
        if path.startswith("10."):
            fields.setdefault("doi", path)
            entry.notes.append(f"the link {url} goes through a university library proxy; "
                               "kept as the DOI")
        else:
            entry.notes.append(f"the link {url} goes through a university library proxy that "
                               "readers cannot use; left out")
        return
    elif "url" not in fields:
        fields["url"] = url
        return
    else:
        entry.notes.append(f"a second link {url} was left out")
        return
    _check_doi(entry)


def _check_doi(entry: Entry) -> None:
    doi = entry.fields.get("doi", "")
    if doi and (problem := doi_problem(doi)):
        entry.notes.append(f"the DOI {doi} looks malformed ({problem[1]})")
    elif doi and re.match(r"10\.\d{6,}/", doi):  # registrants have four or five digits
        entry.notes.append(f"the DOI {doi} looks malformed: its prefix has too many digits; "
                           "look the work up at https://search.crossref.org")


def _take_accessed(text: str, fields: dict) -> str:
    match = _ACCESSED.search(text)
    if not match:
        return text
    fields["accessed"] = (match.group(1) or match.group(2)).strip(" .:")
    return text[: match.start()] + " " + text[match.end():]


def _outer_quotes(text: str) -> str:
    """'Author (2014) Title.' → Author (2014) Title.: quotes round the whole entry."""
    stripped = text.strip()
    if stripped[:1] in _QUOTES_OPEN:
        head = stripped[1:90]
        if _YEAR_PAREN.search(head) or re.search(r"\.\s\d{4}\.\s", head):
            close = re.search(r"[.?!]['’\"”]", stripped[1:])
            if close:
                at = close.start() + 2
                return stripped[1:at] + stripped[at + 1:]
            return stripped[1:]
    return stripped


def _split_year(text: str) -> tuple[str, str, str]:
    title_start = _title_start(text)
    for pattern in (_YEAR_PAREN, _YEAR_BARE):
        match = pattern.search(text)
        if match and match.start() <= title_start:
            return text[: match.start()].strip(" ,."), match.group(1), text[match.end():]
    return "", "", text


def _title_start(text: str) -> int:
    """Where the title starts, at the latest: its opening quote or the first italic."""
    positions = [m.start() for m in re.finditer(r"(?:^|\s)[" + _QUOTES_OPEN + r"*]", text)]
    return positions[0] + 1 if positions else len(text)


def _authors(text: str, entry: Entry) -> list[str]:
    text = text.strip(" ,.;")
    if not text:
        return []
    et_al = bool(_ET_AL.search(text))
    text = _ET_AL.sub("", text).strip(" ,.")
    people, pos = [], 0
    for match in _PERSON.finditer(text):
        if not _SEPARATOR.match(text[pos:match.start()]):
            break
        people.append(f"{match['sur'].strip()}, {_initials(match['ini'])}")
        pos = match.end()
    rest = text[pos:].strip()
    if people and rest:
        corporate = _CORP_REVERSED.match(re.sub(r"^(?:,|&|\band\b|\s)+", "", rest))
        if corporate:
            people.append(f"{corporate['caps']} {corporate['sur']}")
            entry.notes.append(f"“{rest}” read as the corporate author "
                               f"“{corporate['caps']} {corporate['sur']}”")
            rest = ""
    if people and not _SEPARATOR.match(rest):
        entry.notes.append(f"the authors after “{people[-1]}” could not be read: “{rest}”")
    if not people:
        parts = re.split(r"\s+(?:and|&)\s+", text)
        if len(parts) > 1 and all(re.fullmatch(r"[A-Z][A-Z0-9&]+", p.strip(" .")) for p in parts):
            people = [p.strip(" .") for p in parts]
        else:
            people = [text]
            if not re.search(r"[A-Z]", text[:1]):
                entry.notes.append(f"the author “{text}” does not look like a name")
    if et_al and people:
        people[-1] += " et al."
    return people


def _initials(text: str) -> str:
    letters = re.findall(r"[A-ZÀ-Þ](?:\s*-\s*[A-ZÀ-Þ])?", text)
    return " ".join(re.sub(r"\s", "", x) + "." for x in letters)


def _title(rest: str, entry: Entry) -> str:
    fields = entry.fields
    rest = rest.strip(" ,.")
    if rest[:1] in _QUOTES_OPEN:
        body = rest[1:]
        close = re.search(r"[.?!]['’\"”](?=[\s*,.;:]|$)", body)
        if not close:
            candidates = [m for m in re.finditer(r"['’\"”](?=[\s*,.;:]|$)", body)]
            close = candidates[-1] if candidates else None
            end = close.start() if close else len(body)
            after = close.end() if close else len(body)
        else:
            end, after = close.start() + 1, close.end()
        title = body[:end].strip()
        rest = body[after:]
    elif rest.startswith("*"):
        match = _ITALIC.match(rest)
        if not match:
            return rest
        title = match.group(1)
        rest = rest[match.end():]
        fields["_book"] = True
    else:
        match = re.search(r"\.\s|(?=\s\*)", rest)
        title = rest[: match.start() + 1] if match else rest
        rest = rest[match.end():] if match else ""
    title = title.strip()
    if title.endswith(".") and not title.endswith(("et al.", " eds.", " ed.")):
        title = title[:-1]
    if ". In: " in title or ". In " in title:  # 'Chapter. In: Editor. *Book*.' inside the quotes
        title, chapter = re.split(r"\.\s+In:?\s+", title, maxsplit=1)
        rest = f"In: {chapter} {rest}"
    place = re.fullmatch(r"(.+)\.\s+([A-Z][a-z]+)", title.strip())
    if place and rest.strip(" .,").startswith("*"):  # 'Guide. Birmingham.' *Publisher*
        title = place.group(1)
        fields["place"] = place.group(2)
    fields["title"] = title.strip()
    return rest


def _details(rest: str, entry: Entry) -> str:
    fields = entry.fields
    book = fields.pop("_book", False)
    rest = rest.strip(" ,.")
    chapter = re.match(r"In:?\s+(?P<editors>[^*]*?)\s*(?=\*)", rest)
    if chapter:
        fields["editors"] = chapter["editors"].strip(" ,")
        rest = rest[chapter.end():]
    italics = list(_ITALIC.finditer(rest))
    if italics and not book:
        first = italics[0]
        inner = first.group(1).strip(" .,")
        rest = rest[: first.start()] + " " + rest[first.end():]
        _italic_part(inner, rest, entry, chapter=bool(chapter))
    elif italics and book:
        pass
    rest = _ITALIC.sub(lambda m: _medium(m.group(1), fields), rest)
    rest = _numbers(rest, fields)
    place = re.search(r"(?:^|[.,])\s*(?P<a>[A-Z][\w .'’-]{1,40}?)\s*:\s*(?P<b>[A-Z][\w .&'’-]{1,60}?)"
                      r"\s*(?=[.,]|$)", rest)
    if place and "publisher" not in fields:
        _place_publisher(place["a"], place["b"], fields)
        rest = rest[: place.start()] + " " + rest[place.end():]
    return rest


def _italic_part(inner: str, after: str, entry: Entry, chapter: bool) -> None:
    fields = entry.fields
    place = re.fullmatch(r"(?P<a>[^:\d]{2,40}):\s*(?P<b>[^:\d]{2,80})", inner)
    if chapter:
        fields["container"] = inner
        return
    if place and not re.search(r"\d", after) and not _JOURNALISH.search(inner):
        _place_publisher(place["a"], place["b"], fields)
        return
    if re.search(r"\b(PhD|thesis|dissertation|MPhil|MSc|MA)\b", inner, re.I):
        fields["medium"] = inner
        return
    section = re.match(r"(Editorial|Book review|Review|Comment|Letter)\.\s+(.*)", inner)
    if section:
        fields["section"], inner = section.group(1), section.group(2)
    tail = re.search(r",\s*(?=Vol(?:ume|\.)?\s*\d|Issue|\d)", inner)
    if tail:
        _numbers(inner[tail.end():], fields)
        inner = inner[: tail.start()]
    has_details = bool(re.search(r"\d", after)) or bool(tail) or _DATE.search(after)
    if (has_details or _JOURNALISH.search(inner) or fields.get("doi")
            or (fields.get("url") and not _PUBLISHERISH.search(inner))):
        fields["container"] = inner.strip(" ,.")
    else:
        fields["publisher"] = inner.strip(" ,.")


def _medium(inner: str, fields: dict) -> str:
    inner = inner.strip(" .,")
    if len(inner.split()) <= 3 and "medium" not in fields:
        fields["medium"] = inner
        return " "
    return f"*{inner}*"


def _numbers(text: str, fields: dict) -> str:
    date = _DATE.search(text)
    if date and "date" not in fields:
        fields["date"] = date.group(1)
        text = text[: date.start()] + " " + text[date.end():]
    edition = re.search(r"\b(\d+(?:st|nd|rd|th)\s+edn?\.?|\d+(?:st|nd|rd|th) edition)", text)
    if edition:
        fields["edition"] = edition.group(1)
        text = text.replace(edition.group(0), " ")
    pages = list(_PAGES.finditer(text))
    if pages and "pages" not in fields:
        last = pages[-1]
        fields["pages"] = f"{last.group(1)}–{last.group(2)}"
        text = text[: last.start()] + " " + text[last.end():]
    single = re.search(r"\bpp?\.\s*(\d+)\b", text)
    if single and "pages" not in fields:
        fields["pages"] = single.group(1)
        text = text[: single.start()] + " " + text[single.end():]
    for pattern in (r"\bVol(?:ume|\.)?\s*(?P<v>\d+)(?:\s*,?\s*(?:Issue|No\.?|Number)\s*(?P<i>\d+))?",
                    r"\b(?P<v>\d+)\s*\(\s*(?P<i>\d+)\s*\)",
                    r"\b(?P<v>\d+)\s*[:.]\s*(?P<i>\d+)\b",
                    r"\b(?P<v>\d+)\s*,\s*(?P<i>\d+)\b",
                    r"(?:^|[\s,.])(?P<v>\d{1,4})(?P<i>)(?=[\s,.:;]|$)"):
        match = re.search(pattern, text, re.I)
        if match and "volume" not in fields:
            fields["volume"] = match["v"]
            if match["i"]:
                fields["issue"] = match["i"]
            text = text[: match.start()] + " " + text[match.end():]
            break
    issue = re.search(r"\b(?:Issue|No\.?)\s*(\d+)", text, re.I)
    if issue and "issue" not in fields:
        fields["issue"] = issue.group(1)
        text = text[: issue.start()] + " " + text[issue.end():]
    return text


def _place_publisher(a: str, b: str, fields: dict) -> None:
    a, b = a.strip(" .,"), b.strip(" .,")
    if _PUBLISHERISH.search(a) and not _PUBLISHERISH.search(b):
        a, b = b, a  # 'Jessica Kingsley Publishers: London'
    fields["place"], fields["publisher"] = a, b
