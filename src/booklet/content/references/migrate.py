"""references.yaml from the booklet's own 2020 format into CSL-YAML (`booklet
migrate-references`), keeping every comment, every blank line and every editor's field.

The file is rewritten line by line, not loaded and dumped again, so that what an editor
wrote around the fields stays where it was: only the lines of renamed fields change.
An entry's values are read with YAML (so quoting and escapes mean what they always
meant); the new lines are written in the form content/README.md shows.

`csl_fields` is also what `booklet import` writes its entries with (importer/folder.py).
"""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import yaml

from booklet.content.references.csl import MONTHS, OLD_FIELDS

_ENTRY = re.compile(r"^- (\w+):")
_FIELD = re.compile(r"^  (\w+):(.*)$")
_COMMENT = re.compile(r"\s+#(?![^\"']*[\"']\s*$).*$")  # a comment after a value


def needs_migration(text: str) -> bool:
    return any(_ENTRY.match(line) and _ENTRY.match(line).group(1) == "key"
               for line in text.split("\n"))


def migrate_text(text: str) -> str:
    """The old file's text as CSL-YAML; a CSL-YAML text comes back as it is."""
    if not needs_migration(text):
        return text
    lines = text.split("\n")
    out: list[str] = []
    block: list[str] = []
    for line in lines:
        if _ENTRY.match(line):
            out.extend(_entry(block))
            block = [line]
        elif block and (line.startswith((" ", "\t")) or not line.strip()):
            block.append(line)
        elif block:
            out.extend(_entry(block))
            block = []
            out.append(line)
        else:
            out.append(line)
    out.extend(_entry(block))
    return "\n".join(out)


def _entry(block: list[str]) -> list[str]:
    """One entry's lines, its renamed fields rewritten, all else kept."""
    if not block:
        return []
    trailing = []
    while block and not block[-1].strip():  # blank lines after the entry stay after it
        trailing.insert(0, block.pop())
    data = yaml.safe_load("\n".join(block))[0]
    fields = csl_fields(data)
    # The entry's lines, grouped by the field each belongs to (a field's continuation
    # lines and the comments before it go with it).
    groups: list[tuple[str | None, list[str]]] = []
    pending: list[str] = []
    for number, line in enumerate(block):
        text = "  " + line[2:] if number == 0 else line
        match = _FIELD.match(text)
        if match:
            groups.append((match.group(1), pending + [text]))
            pending = []
        elif groups and not text.lstrip().startswith("#") and text.strip():
            groups[-1][1].append(text)
        else:
            pending.append(text)
    out: list[str] = []
    done: set[str] = set()
    for name, group in groups:
        comments = [g for g in group if g.lstrip().startswith("#")
                    and not _FIELD.match(g)]
        first = next(g for g in group if _FIELD.match(g))
        after = _COMMENT.search(first[first.index(":") + 1:])
        comment = after.group(0) if after else ""
        out.extend(comments)
        if name not in OLD_NAMES:  # a CSL name already, or an editor's field: as it was
            out.extend(g for g in group if g not in comments)
            continue
        for new in OLD_FIELDS.get(name, ()):
            if new in fields and new not in done:
                out.append(f"  {new}: {csl_yaml(fields[new])}{comment}")
                comment = ""
                done.add(new)
                if new == "id" and "type" not in data:
                    out.append(f"  type: {fields['type']}")
                    done.add("type")
        if comment:  # the field is gone (a date merged into issued): its comment stays
            out.append("  " + comment.strip())
    out.extend(pending)
    out[0] = "- " + out[0][2:]
    return out + trailing


OLD_NAMES = set(OLD_FIELDS)
# The old fields whose value is copied as it is into their one CSL variable.
_AS_TEXT = ("container", "pages", "place", "url", "doi")


def csl_fields(old: dict) -> dict:
    """The CSL variables of one entry in the old format: a dict of name → value."""
    out: dict = {"id": old.get("key", "")}
    out["type"] = csl_type(old)
    if old.get("authors"):
        out["author"] = [parse_name(a) for a in old["authors"]]
    if old.get("year"):
        out["issued"] = _issued(str(old["year"]), str(old.get("date") or ""))
    for name, value in old.items():
        if name in _AS_TEXT and value not in (None, ""):
            out[OLD_FIELDS[name][0]] = str(value)
    if old.get("editors"):
        out["editor"] = parse_names(str(old["editors"]))
    if old.get("accessed"):
        out["accessed"] = _day(str(old["accessed"]))
    if old.get("edition"):
        number = re.fullmatch(r"(\d+)(?:st|nd|rd|th)\s+(?:edn|ed|edition)\.?", str(old["edition"]))
        out["edition"] = number.group(1) if number else str(old["edition"])
    if old.get("medium"):  # a thesis's or a report's kind; else the medium ("Web")
        out["genre" if out["type"] in ("thesis", "report") else "medium"] = str(old["medium"])
    return out


def csl_type(old: dict) -> str:
    """The CSL type the old house style's reading of the fields meant."""
    if old.get("editors"):
        return "chapter"
    if old.get("date") and old.get("container") and not old.get("volume"):
        return "article-newspaper"  # a day and month, and no volume: a newspaper's
    if old.get("container") or old.get("type") == "article":
        return "webpage" if old.get("url") and not (old.get("volume") or old.get("pages")) \
            else "article-journal"
    if old.get("medium") and re.search(r"thesis|dissertation", str(old["medium"]), re.I):
        return "thesis"
    return "report" if old.get("medium") else "book"


def parse_name(text: str) -> dict:
    """'Best, P.' → {family: Best, given: P.}; a corporate name, a surname alone or a
    name with "et al." is kept as a literal, to be printed as the author wrote it."""
    text = str(text).strip()
    if re.search(r"\bet al\b", text) or "," not in text:
        return {"literal": text}
    family, given = (p.strip() for p in text.split(",", 1))
    return {"family": family, "given": given}


def parse_names(text: str) -> list[dict]:
    """An old editors field ('R. Vasta. eds.', 'Worsely, A. et al.', 'M. Kovačević')."""
    text = re.sub(r"[\s.,]*\(?\beds?\b\.?\)?\.?\s*$", "", text.strip())
    if re.search(r"\bet al\b", text):
        return [{"literal": text}]
    out = []
    for part in re.split(r"\s+(?:and|&)\s+", text):
        if "," in part:
            out.append(parse_name(part))
            continue
        words = part.split()
        initials = [w for w in words if re.fullmatch(r"(?:[A-ZÀ-Þ]\.?-?)+", w)]
        if initials and len(words) > len(initials):
            out.append({"family": " ".join(w for w in words if w not in initials),
                        "given": " ".join(initials)})
        else:
            out.append({"literal": part})
    return out


def _issued(year: str, date: str):
    match = re.fullmatch(r"(\d{4})[a-z]?", year)  # a letter is given again by the booklet
    if not match:
        return {"literal": year}
    day = re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)?\s+(\w+)", date.strip())
    if day and day.group(2).capitalize() in MONTHS:
        return f"{match.group(1)}-{MONTHS.index(day.group(2).capitalize()) + 1:02d}-" \
               f"{int(day.group(1)):02d}"
    return int(match.group(1))


def _day(text: str):
    match = re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)?\s+(\w+),?\s+(\d{4})", text.strip())
    if match and match.group(2).capitalize() in MONTHS:
        return f"{match.group(3)}-{MONTHS.index(match.group(2).capitalize()) + 1:02d}-" \
               f"{int(match.group(1)):02d}"
    return {"literal": text}


_PLAIN = re.compile(r"[A-Za-z0-9À-ž(][^#{}\[\],\"]*")


def csl_yaml(value) -> str:
    """A value as one line of YAML: names and dates in flow style, text plain when it
    can be, else double-quoted."""
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(csl_yaml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {csl_yaml(v)}" for k, v in value.items()) + "}"
    text = str(value)
    if _PLAIN.fullmatch(text) and text == text.strip() and not re.fullmatch(
            r"[\d.eE+-]+|yes|no|true|false|null|on|off|~", text, re.I) \
            and ": " not in text and not text.endswith(":"):
        return text
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return text
    return json.dumps(text, ensure_ascii=False)


def migrate_file(path: Path) -> bool:
    """Rewrite one references.yaml in place; False if it was CSL-YAML already."""
    text = path.read_text(encoding="utf-8")
    new = migrate_text(text)
    if new == text:
        return False
    path.write_text(new, encoding="utf-8")
    return True


def migrate_content(content: Path) -> list[str]:
    """Every essay's references.yaml migrated; a line for each file, saying what it did.
    Nothing is written unless every file migrates and then loads as CSL-YAML."""
    from booklet.content.references.entries import load_references
    from booklet.content.source import parse_yaml, read_text
    from booklet.errors import BookletError

    said, new_texts, unreadable = [], {}, []
    for path in sorted((content / "essays").glob("*/references.yaml")):
        # The loader's own reading first: a YAML mistake is its coded error at the line
        # (B101 with the plain words), never a traceback from inside the rewriting.
        try:
            text = read_text(path, content.parent)
            parse_yaml(text, path)
        except BookletError as exc:
            unreadable.extend(exc.problems)
            continue
        new = migrate_text(text)
        name = path.relative_to(content.parent)
        if new == text:
            said.append(f"{name}: CSL-YAML already, not changed")
            continue
        new_texts[path] = new
        said.append(f"{name}: {new.count(chr(10) + '- id:') + new.startswith('- id:')} "
                    "entries rewritten in CSL-YAML")
    if unreadable:
        raise BookletError(unreadable)
    errors: list = []
    for path, new in new_texts.items():
        problems: list = []
        check = path.with_name(".references-migrated.yaml")
        check.write_text(new, encoding="utf-8")
        try:
            load_references(check, problems)
        except BookletError as exc:
            problems.extend(exc.problems)
        finally:
            check.unlink()
        errors += [dataclasses.replace(p, path=path) for p in problems if not p.warning]
    if errors:
        raise BookletError(errors)
    for path, new in new_texts.items():
        path.write_text(new, encoding="utf-8")
    return said
