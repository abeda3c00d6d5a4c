"""Font rules (7.21): embedding, CMaps, TrueType encodings, and per-glyph checks.

Only fonts that some text-showing operator uses are checked (as veraPDF does). Glyph
checks (7.21.4.1-2, 7.21.5-1, 7.21.8-1) read embedded TrueType programs (FontFile2, what
WeasyPrint embeds) with fontTools; glyphs of CFF and Type 1 programs are not looked into.
"""

from __future__ import annotations

import pikepdf

from booklet.check.pdfua.fonts import PREDEFINED_CMAPS, FontInfo
from booklet.check.pdfua.model import Doc, Finding, name, where

RULES = {
    "7.21.3.1-1": "A Type 0 font's CIDSystemInfo shall agree with its CMap's (unless Identity)",
    "7.21.3.2-1": "Embedded CIDFontType2 fonts shall have a /CIDToGIDMap",
    "7.21.3.3-1": "CMaps other than the predefined ones shall be embedded",
    "7.21.3.3-2": "An embedded CMap's /WMode shall match the WMode in its stream",
    "7.21.3.3-3": "A CMap shall not use (usecmap) any CMap but a predefined one",
    "7.21.4.1-1": "Fonts used for rendering shall be embedded (Type 3 excepted)",
    "7.21.4.1-2": "Embedded fonts shall define every glyph that is rendered",
    "7.21.5-1": "Glyph widths in the font dictionary shall match the font program (within 1)",
    "7.21.6-1": "A non-symbolic TrueType program shall have a usable (non-symbol) cmap",
    "7.21.6-2": "Non-symbolic TrueType fonts shall use MacRoman or WinAnsi (AGL Differences)",
    "7.21.6-3": "Symbolic TrueType fonts shall have no /Encoding",
    "7.21.6-4": "A symbolic TrueType program's cmap shall have one subtable or (3,0)",
    "7.21.7-1": "Every character code shown shall map to Unicode (ToUnicode or standard)",
    "7.21.7-2": "ToUnicode values shall not be U+0000, U+FEFF or U+FFFE",
    "7.21.8-1": "Text shall not show the .notdef glyph",
}


def check(doc: Doc):
    for use in doc.content.fonts.values():
        info = use.info
        pages = sorted(use.shown)
        first = pages[0] if pages else None
        at = where(first, info.label)
        rendered = any(use.rendered.values())
        yield from _embedding(info, at, rendered)
        yield from _unreadable(info, at, rendered)
        if info.is_type0:
            yield from _cmap_rules(info, at)
        if info.subtype == "TrueType":
            yield from _truetype(info, at)
        yield from _glyphs(info, use)


def _embedding(info: FontInfo, at: str, rendered: bool):
    if not rendered or info.subtype == "Type3":
        return
    if info.is_type0 and info.cidfont is None:
        yield Finding("7.21.4.1-1", at, "Type 0 font has no descendant CIDFont")
    elif info.font_file is None:
        yield Finding("7.21.4.1-1", at, "font program is not embedded")


# What of a font cannot be read: the rule it keeps from being checked, and what goes
# unchecked.
UNREADABLE = {
    "embedded CMap": ("7.21.3.3-2", "the embedded CMap (/Encoding) cannot be read, so "
                                    "neither its codes nor its WMode can be checked"),
    "ToUnicode CMap": ("7.21.7-1", "the ToUnicode CMap cannot be read, so the Unicode of "
                                   "the codes it maps cannot be checked"),
    "CIDToGIDMap": ("7.21.3.2-1", "the CIDToGIDMap stream cannot be read, so which glyph "
                                  "each CID selects cannot be checked"),
    "font program": ("7.21.4.1-2", "the embedded font program (FontFile2) cannot be read, "
                                   "so its glyphs, widths and cmap cannot be checked"),
}


def _unreadable(info: FontInfo, at: str, rendered: bool):
    for what, why in info.unreadable().items():
        rule, message = UNREADABLE[what]
        if what == "font program" and not rendered:
            rule = "7.21.8-1"  # glyphs never rendered still must not be .notdef
        yield Finding(rule, at, f"{message}: {why}")


def _cmap_rules(info: FontInfo, at: str):
    enc, cid = info.encoding, info.cidfont
    if isinstance(cid, pikepdf.Dictionary) and cid.get("/Subtype") == "/CIDFontType2" \
            and info.font_file is not None and "/CIDToGIDMap" not in cid:
        yield Finding("7.21.3.2-1", at, "embedded CIDFontType2 has no /CIDToGIDMap")
    if isinstance(enc, pikepdf.Name):
        if info.encoding_name not in PREDEFINED_CMAPS:
            yield Finding("7.21.3.3-1", at, f"CMap {info.encoding_name} is neither "
                                            "predefined nor embedded")
        return
    if not isinstance(enc, pikepdf.Stream):
        return
    cmap = info.cmap  # None when the stream cannot be read: _unreadable says so
    if cmap is not None and int(enc.get("/WMode", 0)) != (cmap.wmode or 0):
        yield Finding("7.21.3.3-2", at, f"CMap /WMode {int(enc.get('/WMode', 0))} but "
                                        f"{cmap.wmode or 0} in the CMap stream")
    refs = [cmap.usecmap] if cmap is not None and cmap.usecmap else []
    used = enc.get("/UseCMap")
    if isinstance(used, pikepdf.Stream):
        refs.append("an embedded CMap")
    elif isinstance(used, pikepdf.Name):
        refs.append(name(used))
    for ref in refs:
        if ref not in PREDEFINED_CMAPS:
            yield Finding("7.21.3.3-3", at, f"CMap uses {ref}")
            break
    mine = enc.get("/CIDSystemInfo")
    theirs = cid.get("/CIDSystemInfo") if isinstance(cid, pikepdf.Dictionary) else None
    if isinstance(mine, pikepdf.Dictionary) and isinstance(theirs, pikepdf.Dictionary):
        same = all(str(mine.get(k, "")) == str(theirs.get(k, "")) and theirs.get(k) is not None
                   for k in ("/Registry", "/Ordering"))
        if not same or int(theirs.get("/Supplement", 0)) > int(mine.get("/Supplement", 0)):
            yield Finding("7.21.3.1-1", at, "CIDFont CIDSystemInfo "
                          f"{_csi(theirs)} does not fit the CMap's {_csi(mine)}")
    elif not isinstance(mine, pikepdf.Dictionary):
        yield Finding("7.21.3.1-1", at, "embedded CMap has no /CIDSystemInfo")


def _csi(d) -> str:
    return f"{d.get('/Registry', '?')}-{d.get('/Ordering', '?')}-{d.get('/Supplement', '?')}"


def _truetype(info: FontInfo, at: str):
    tables = info.cmap_subtables() if info.program is not None else None
    if info.symbolic:
        if info.encoding is not None:
            yield Finding("7.21.6-3", at, "symbolic TrueType font has an /Encoding")
        if tables is not None and len(tables) != 1 and (3, 0) not in tables:
            yield Finding("7.21.6-4", at, f"symbolic TrueType cmap subtables {tables} "
                                          "(need exactly one, or (3,0))")
        return
    if tables is not None and len(tables) <= (1 if (3, 0) in tables else 0):
        yield Finding("7.21.6-1", at, f"non-symbolic TrueType cmap subtables {tables}")
    if info.base_encoding not in ("MacRomanEncoding", "WinAnsiEncoding"):
        yield Finding("7.21.6-2", at, f"non-symbolic TrueType font has encoding "
                                      f"{info.base_encoding or 'none'}")
    elif info.differences:
        from fontTools import agl

        bad = sorted({g for g in info.differences.values() if g not in agl.LEGACY_AGL2UV})
        if bad or (tables is not None and (3, 1) not in tables):
            yield Finding("7.21.6-2", at, "Differences need AGL names and a (3,1) cmap" +
                          (f"; not in the AGL: {', '.join(bad[:5])}" if bad else ""))


def _glyphs(info: FontInfo, use):
    first_page: dict[bytes, int] = {}
    rendered: set[bytes] = set()
    for page in sorted(use.shown):
        codes = info.split(bytes(use.shown[page]))
        # None: a predefined CMap other than Identity (not modelled here), or one that
        # cannot be read (_unreadable says so)
        if codes is None:
            return
        for code in codes:
            first_page.setdefault(code, page)
        if page in use.rendered:
            rendered.update(info.split(bytes(use.rendered[page])) or ())
    bad: dict[str, list[bytes]] = {}
    prog = info.program
    glyph_count = prog["maxp"].numGlyphs if prog is not None and "maxp" in prog else None
    if "CIDToGIDMap" in info.unreadable():
        glyph_count = None  # which glyph a CID selects cannot be told: _unreadable says so
    for code in first_page:
        uni = info.unicode(code)
        if uni is None:
            bad.setdefault("7.21.7-1", []).append(code)
        elif any(ch in uni for ch in "\x00\ufeff\ufffe"):
            bad.setdefault("7.21.7-2", []).append(code)
        if info.is_type0 and info.cid(code) == 0:
            bad.setdefault("7.21.8-1", []).append(code)
            continue
        if glyph_count is None:
            continue
        gid = info.gid(code)
        if gid == 0 and not info.is_type0:
            bad.setdefault("7.21.8-1", []).append(code)
        elif code in rendered:
            if gid is None or gid >= glyph_count:
                bad.setdefault("7.21.4.1-2", []).append(code)
            else:
                mine, theirs = info.dict_width(code), info.program_width(gid)
                if mine is not None and theirs is not None and abs(mine - theirs) > 1:
                    bad.setdefault("7.21.5-1", []).append(code)
    messages = {
        "7.21.7-1": "no Unicode mapping for",
        "7.21.7-2": "ToUnicode maps to U+0000, U+FEFF or U+FFFE for",
        "7.21.8-1": "the .notdef glyph is shown for",
        "7.21.4.1-2": "the embedded program has no glyph for",
        "7.21.5-1": "dictionary width differs from the program's for",
    }
    for rule, codes in bad.items():
        codes.sort(key=lambda c: first_page[c])
        sample = " ".join("<" + c.hex() + ">" for c in codes[:6])
        more = f" (+{len(codes) - 6} more)" if len(codes) > 6 else ""
        yield Finding(rule, where(first_page[codes[0]], info.label),
                      f"{messages[rule]} {len(codes)} code(s) {sample}{more}")
