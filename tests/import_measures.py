"""How well `booklet import` did on a 2020 essay, measured against the hand-made content.

- body recall: the share of the source's body words (../shared/source, logo lines set
  aside, no editor's correction applied) found in order in the imported essay;
- citations: each hand-marked citation of content/essays/*/essay.md, in order, found
  among the imported links by its words, and its keys compared (through the entries the
  two lists share) — linked correctly, wrongly, or left unlinked;
- reference fields: for each hand-made entry the import also made, the share of fields
  (in either) whose values agree, quotes, dashes and a closing full stop set aside.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

import yaml

from recall import recall
from source_text import BYLINE, LOGO_LINES

_LINK = re.compile(r"(?<!\\)\[([^\]]*)\]\(cite:([^)]*)\)")
SKIP_FIELDS = {"key", "editor_note", "uncited"}


def source_body(text: str, author: str) -> str:
    """The essay's body as the source gives it: byline to 'References', logos removed."""
    lines = [line.strip() for line in text.splitlines()]
    for i, line in enumerate(lines):
        match = BYLINE.match(line)
        if match and match["author"].strip() == author:
            body = []
            for line in lines[i + 1:]:
                if line == "References":
                    break
                if line and not LOGO_LINES.match(line):
                    body.append(line)
            return "\n".join(body)
    raise KeyError(author)


def words(text: str) -> list[str]:
    text = re.sub(r"[’‘]", "'", text)
    text = re.sub(r"[“”]", '"', text)
    return re.findall(r"[\w'-]+", text.lower())


def split_essay(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    return yaml.safe_load(front), body


def readable_body(path: Path) -> str:
    """An essay's words as a reader meets them: subtitle, body, captions in place."""
    front, body = split_essay(path)
    figures = front.get("figures") or {}

    def caption(match):
        spec = figures.get(match.group(1), {})
        return f"{spec.get('label', '')}: {spec.get('caption', '')}"
    body = re.sub(r"^::: figure (\S+)\n:::$", caption, body, flags=re.M)
    body = _LINK.sub(r"\1", body)
    body = re.sub(r"\\(.)", r"\1", body)
    body = re.sub(r"^(#+|>|-|\d+\.)\s", "", body, flags=re.M)
    body = body.replace("*", "")
    return (front.get("subtitle") or "") + "\n" + body


def body_recall(source: str, imported: Path) -> tuple[float, int]:
    """(recall, words the import has that the source does not)."""
    src, out = words(source), words(readable_body(imported))
    matcher = SequenceMatcher(None, src, out, autojunk=False)
    kept = sum(b.size for b in matcher.get_matching_blocks())
    return recall(src, out), len(out) - kept


def citations(path: Path) -> list[tuple[str, tuple[str, ...]]]:
    _, body = split_essay(path)
    return [(m.group(1), tuple(k.strip() for k in m.group(2).split(",")))
            for m in _LINK.finditer(body)]


def _norm_words(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _norm_value(value) -> str:
    if isinstance(value, list):
        value = "; ".join(value)
    value = str(value)
    value = re.sub(r"[’‘]", "'", value)
    value = re.sub(r"[“”]", '"', value)
    value = re.sub(r"[–—]", "-", value)
    value = re.sub(r"\s+", " ", value).strip().rstrip(".")
    return value


def load_entries(path: Path) -> list[dict]:
    """A CSL-YAML list as flat entries to compare: `key` (the id), `authors` and `year`
    as the citation checks read them, every other variable as text."""
    from booklet.content.references.csl import display_name

    def flat(item: dict) -> dict:
        out = {"key": item.get("id", "")}
        for name, value in item.items():
            if name == "author":
                out["authors"] = [display_name(n) for n in value]
            elif name == "issued":
                out["year"] = str(value.get("literal", "")) if isinstance(value, dict) \
                    else str(value)[:4]
            elif name == "editor":
                out[name] = "; ".join(display_name(n) for n in value)
            elif name != "id":
                out[name] = value if isinstance(value, (str, list)) else str(value)
        return out
    return [flat(item) for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []]


def entry_map(imported: list[dict], hand: list[dict]) -> dict[str, str]:
    """imported key -> hand key, for the entries both lists describe."""
    def surname(entry):
        authors = entry.get("authors") or [""]
        return _norm_words(authors[0].split(",")[0])

    mapping = {}
    for entry in imported:
        best, best_score = None, 0.0
        for other in hand:
            title = SequenceMatcher(None, _norm_words(entry.get("title", "")),
                                    _norm_words(other.get("title", ""))).ratio() \
                if entry.get("title") and other.get("title") else 0.0
            score = title + 0.5 * (str(entry.get("year")) == str(other.get("year"))) \
                + 0.5 * (surname(entry) == surname(other) != "")
            if score > best_score:
                best, best_score = other, score
        if best is not None and best_score >= 0.9:
            mapping[entry["key"]] = best["key"]
    return mapping


@dataclass
class CitationScore:
    correct: int = 0
    wrong: int = 0
    unlinked: int = 0
    no_entry: int = 0  # hand citations of works the author's list lacks: cannot be linked
    extra: int = 0  # links the import made where the hand content has none
    details: list = field(default_factory=list)

    @property
    def linkable(self) -> int:
        return self.correct + self.wrong + self.unlinked


def score_citations(hand_essay: Path, imported_essay: Path, mapping: dict[str, str],
                    not_listed: set[str]) -> CitationScore:
    hand, got = citations(hand_essay), citations(imported_essay)
    score = CitationScore()
    cursor = 0
    used = set()
    for text, keys in hand:
        found = None
        window = [j for j in range(cursor, min(cursor + 4, len(got))) if j not in used]
        for j in window:
            if _norm_words(got[j][0]) == _norm_words(text):
                found = j
                break
        else:  # the editor corrected a typing error in the citation ("Negai" → "Ngai")
            for j in window:
                if SequenceMatcher(None, _norm_words(got[j][0]), _norm_words(text)).ratio() >= 0.85:
                    found = j
                    break
        if set(keys) & not_listed:
            score.no_entry += 1
            if found is not None:
                used.add(found)
                cursor = found + 1
            score.details.append(("no entry", text, keys, got[found] if found is not None else None))
            continue
        if found is None:
            score.unlinked += 1
            score.details.append(("unlinked", text, keys, None))
            continue
        used.add(found)
        cursor = found + 1
        mapped = tuple(mapping.get(k, "?" + k) for k in got[found][1])
        if mapped == keys:
            score.correct += 1
        else:
            score.wrong += 1
            score.details.append(("wrong", text, keys, got[found]))
    score.extra = len(got) - len(used)
    return score


def score_fields(imported: list[dict], hand: list[dict], mapping: dict[str, str]
                 ) -> tuple[int, int, list]:
    """(fields right, fields compared, the wrong ones)."""
    by_key = {e["key"]: e for e in hand}
    right = total = 0
    wrong = []
    for entry in imported:
        other = by_key.get(mapping.get(entry["key"], ""))
        if other is None:
            continue
        for name in (set(entry) | set(other)) - SKIP_FIELDS:
            total += 1
            if name in entry and name in other and \
                    _norm_value(entry[name]) == _norm_value(other[name]):
                right += 1
            else:
                wrong.append((entry["key"], name, entry.get(name), other.get(name)))
    return right, total, wrong


def not_listed_keys(hand: list[dict]) -> set[str]:
    """Entries an editor added for citations the author's list lacks (or left without
    an author): no import can link their citations."""
    return {e["key"] for e in hand
            if "gives no entry" in e.get("editor_note", "")
            or "without author" in e.get("editor_note", "")}
