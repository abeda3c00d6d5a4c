"""content/ as one plain Markdown file, for the pandoc comparison.

This is "the obvious alternative" to booklet: the same text handed to pandoc as a
single Markdown document. It deliberately does not import booklet, so the comparison
measures pandoc, not our loader. For each essay (in folder order) it writes

    # Author
    *Title – Subtitle*  /  affiliation
    the essay body, with `[text](cite:key)` reduced to `text`
    ## References
    - one bullet per entry in references.yaml

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


def format_reference(entry: dict) -> str:
    """One entry, Harvard-ish, as Markdown text (good enough to typeset the same words)."""
    parts = []
    authors = entry.get("authors") or []
    if authors:
        who = ", ".join(authors[:-1]) + " and " + authors[-1] if len(authors) > 1 else authors[0]
        parts.append(f"{who} ({entry.get('year', 'n.d.')})")
    else:
        parts.append(f"({entry.get('year', 'n.d.')})")
    if entry.get("title"):
        parts.append(f"*{entry['title']}*." if not entry.get("container")
                     else f"‘{entry['title']}’.")
    if entry.get("container"):
        tail = entry["container"]
        if entry.get("editors"):
            tail = f"In {entry['editors']} (ed.), {tail}"
        if entry.get("volume"):
            tail += f", {entry['volume']}"
            if entry.get("issue"):
                tail += f"({entry['issue']})"
        if entry.get("pages"):
            tail += f", pp. {entry['pages']}"
        parts.append(tail + ".")
    for name in ("edition", "medium", "date"):
        if entry.get(name):
            parts.append(f"{entry[name]}.")
    if entry.get("place") or entry.get("publisher"):
        parts.append(": ".join(p for p in (entry.get("place"), entry.get("publisher")) if p) + ".")
    if entry.get("doi"):
        parts.append(f"<https://doi.org/{entry['doi']}>")
    if entry.get("url"):
        parts.append(f"Available at: <{entry['url']}>")
    if entry.get("accessed"):
        parts.append(f"(Accessed: {entry['accessed']}).")
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
