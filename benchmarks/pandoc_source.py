"""content/ as one plain Markdown file, for the pandoc comparison.

This is "the obvious alternative" to booklet: the same text handed to pandoc as a
single Markdown document. It deliberately does not import booklet, so the comparison
measures pandoc, not our loader. For each essay (in folder order) it writes

    # Author
    *Title – Subtitle*  /  affiliation
    the essay body, with `[text](cite:key)` reduced to `text`
    ## References
    - one bullet per entry in references.yaml (CSL-YAML)

The introduction comes first (our booklet has it too); figures become ordinary
Markdown images (`![Figure 1: caption](figures/…)`), copied next to the Markdown file.

    python benchmarks/pandoc_source.py CONTENT_DIR OUT_DIR   # writes OUT_DIR/booklet.md
"""

from __future__ import annotations

import argparse
import re
import shutil
from pathlib import Path

import yaml

# `[Mishna et al, 2019](cite:mishna2019)` -> `Mishna et al, 2019`; link text may hold
# one level of brackets.
CITE = re.compile(r"\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\(cite:[^)\s]*\)")
FIGURE = re.compile(r"^:::\s*figure\s+(\S+)\s*\n:::\s*$", re.M)


def split_front_matter(text: str) -> tuple[dict, str]:
    if text.startswith("---\n"):
        end = text.index("\n---\n", 4)
        return yaml.safe_load(text[4:end]) or {}, text[end + 5:]
    return {}, text


def strip_citations(body: str) -> str:
    return CITE.sub(lambda m: m.group(1), body)


def _name(name: dict) -> str:
    """A CSL name as the lists print it: 'Best, P.' or the literal."""
    if name.get("literal"):
        return str(name["literal"])
    family = " ".join(str(name[p]) for p in ("non-dropping-particle", "family") if name.get(p))
    return f"{family}, {name['given']}" if name.get("given") else family


def _date(value) -> tuple[str, str]:
    """(year, rest) of a CSL-YAML date: 2016, 2020-01-28, {literal: …} or date-parts."""
    if isinstance(value, dict):
        if value.get("literal"):
            return str(value["literal"]), ""
        parts = [str(p) for p in (value.get("date-parts") or [[""]])[0]]
        return parts[0], "-".join(parts[1:])
    text = str(value or "")
    return text[:4], text[5:]


def format_reference(entry: dict) -> str:
    """One CSL-YAML item, Harvard-ish, as Markdown text (good enough to typeset the same
    words)."""
    parts = []
    authors = [_name(n) for n in entry.get("author") or []]
    year = _date(entry.get("issued"))[0] or "n.d."
    if authors:
        who = ", ".join(authors[:-1]) + " and " + authors[-1] if len(authors) > 1 else authors[0]
        parts.append(f"{who} ({year})")
    else:
        parts.append(f"({year})")
    container = entry.get("container-title")
    if entry.get("title"):
        parts.append(f"*{entry['title']}*." if not container else f"‘{entry['title']}’.")
    if container:
        tail = container
        if entry.get("editor"):
            tail = f"In {' and '.join(_name(n) for n in entry['editor'])} (ed.), {tail}"
        if entry.get("volume"):
            tail += f", {entry['volume']}"
            if entry.get("issue"):
                tail += f"({entry['issue']})"
        if entry.get("page"):
            tail += f", pp. {entry['page']}"
        parts.append(tail + ".")
    for name in ("edition", "genre", "medium"):
        if entry.get(name):
            parts.append(f"{entry[name]}.")
    if entry.get("type") == "article-newspaper" and _date(entry.get("issued"))[1]:
        parts.append(f"{_date(entry['issued'])[1]}.")
    place, publisher = entry.get("publisher-place"), entry.get("publisher")
    if place or publisher:
        parts.append(": ".join(p for p in (place, publisher) if p) + ".")
    if entry.get("DOI"):
        parts.append(f"<https://doi.org/{entry['DOI']}>")
    if entry.get("URL"):
        parts.append(f"Available at: <{entry['URL']}>")
    if entry.get("accessed"):
        parts.append(f"(Accessed: {'-'.join(p for p in _date(entry['accessed']) if p)}).")
    if entry.get("editor_note"):
        parts.append(f"\\[{entry['editor_note']}\\]")
    return " ".join(str(p) for p in parts)


def essay_markdown(folder: Path, figures_out: Path) -> str:
    meta, body = split_front_matter((folder / "essay.md").read_text(encoding="utf-8"))
    figures = meta.get("figures") or {}

    def figure(match: re.Match) -> str:
        key = match.group(1)
        fig = figures.get(key, {})
        name = f"{folder.name}-{fig.get('file', key)}"
        figures_out.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(folder / fig["file"], figures_out / name)
        caption = f"{fig.get('label', key)}: {fig.get('caption', '')}".strip()
        return f"![{caption}](figures/{name})\n\n{fig.get('description', '').strip()}"

    title = meta.get("title", "")
    if meta.get("subtitle"):
        title += f" – {meta['subtitle']}"
    out = [f"# {meta.get('author', folder.name)}", "", f"*{title}*", ""]
    if meta.get("affiliation"):
        out += [meta["affiliation"], ""]
    out.append(strip_citations(FIGURE.sub(figure, body)).strip())
    refs_path = folder / "references.yaml"
    refs = yaml.safe_load(refs_path.read_text(encoding="utf-8")) if refs_path.exists() else None
    if refs:
        out += ["", "## References", ""]
        out += [f"- {format_reference(entry)}" for entry in refs]
    return "\n".join(out) + "\n"


def booklet_markdown(content: Path, out_dir: Path) -> Path:
    """Write OUT_DIR/booklet.md (and OUT_DIR/figures/) from CONTENT; return the .md path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    meta = yaml.safe_load((content / "booklet.yaml").read_text(encoding="utf-8")) or {}
    header = {"title": meta.get("title", "Booklet"), "lang": meta.get("language", "en"),
              "publisher": meta.get("publisher", ""), "date": str(meta.get("year", ""))}
    if meta.get("subtitle"):
        header["subtitle"] = meta["subtitle"]
    chunks = ["---\n" + yaml.safe_dump(header, allow_unicode=True, sort_keys=False) + "---\n"]
    intro_path = content / "introduction.md"
    if intro_path.exists():
        intro_meta, intro = split_front_matter(intro_path.read_text(encoding="utf-8"))
        chunks.append(f"# {intro_meta.get('title', 'Introduction')}\n\n{intro.strip()}\n")
    for folder in sorted(p for p in (content / "essays").iterdir() if p.is_dir()):
        chunks.append(essay_markdown(folder, out_dir / "figures"))
    md = out_dir / "booklet.md"
    md.write_text("\n".join(chunks), encoding="utf-8")
    if "cite:" in md.read_text(encoding="utf-8"):
        raise SystemExit(f"{md}: a cite: link survived; extend CITE in {__file__}")
    return md


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("content", type=Path)
    parser.add_argument("out_dir", type=Path)
    args = parser.parse_args()
    print(booklet_markdown(args.content, args.out_dir))


if __name__ == "__main__":
    main()
