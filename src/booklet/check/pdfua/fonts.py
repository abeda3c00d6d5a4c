"""Fonts as far as the audit needs them: codes, CIDs, Unicode, and the embedded program.

Only what 7.21 asks is modelled: how a shown string splits into character codes, which
Unicode each code maps to (ToUnicode, or a standard encoding), and for embedded TrueType
programs (all that WeasyPrint writes) which glyph a code selects and how wide it is.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cached_property

import pikepdf
from fontTools.ttLib import TTFont  # here, so that a broken install is not a broken font

from booklet.check.cmap import CMap, decode_unicode
from booklet.check.pdfua.model import name

# ISO 32000-1:2008, 9.7.5.2, Table 118: CMaps a reader must know, so need not be embedded.
PREDEFINED_CMAPS = frozenset("""
    GB-EUC-H GB-EUC-V GBpc-EUC-H GBpc-EUC-V GBK-EUC-H GBK-EUC-V GBKp-EUC-H GBKp-EUC-V
    GBK2K-H GBK2K-V UniGB-UCS2-H UniGB-UCS2-V UniGB-UTF16-H UniGB-UTF16-V
    B5pc-H B5pc-V HKscs-B5-H HKscs-B5-V ETen-B5-H ETen-B5-V ETenms-B5-H ETenms-B5-V
    CNS-EUC-H CNS-EUC-V UniCNS-UCS2-H UniCNS-UCS2-V UniCNS-UTF16-H UniCNS-UTF16-V
    83pv-RKSJ-H 90ms-RKSJ-H 90ms-RKSJ-V 90msp-RKSJ-H 90msp-RKSJ-V 90pv-RKSJ-H
    Add-RKSJ-H Add-RKSJ-V EUC-H EUC-V Ext-RKSJ-H Ext-RKSJ-V H V
    UniJIS-UCS2-H UniJIS-UCS2-V UniJIS-UCS2-HW-H UniJIS-UCS2-HW-V UniJIS-UTF16-H UniJIS-UTF16-V
    KSC-EUC-H KSC-EUC-V KSCms-UHC-H KSCms-UHC-V KSCms-UHC-HW-H KSCms-UHC-HW-V KSCpc-EUC-H
    UniKS-UCS2-H UniKS-UCS2-V UniKS-UTF16-H UniKS-UTF16-V Identity-H Identity-V
""".split())

# Character collections whose CIDs readers can map to Unicode without a ToUnicode (7.21.7).
KNOWN_ORDERINGS = {"GB1", "CNS1", "Japan1", "Korea1"}
STANDARD_ENCODINGS = {"StandardEncoding", "MacRomanEncoding", "WinAnsiEncoding",
                      "MacExpertEncoding"}

@dataclass(frozen=True)
class Read:
    """What a font's stream was read into, or why it could not be."""

    value: object = None
    error: str | None = None

    @classmethod
    def of(cls, stream: pikepdf.Stream, parse) -> Read:
        try:
            data = stream.read_bytes()
        except pikepdf.PdfError as exc:
            return cls(error=str(exc))
        try:
            return cls(parse(data))
        except Exception as exc:  # noqa: BLE001 - fontTools raises many kinds for a broken file
            return cls(error=f"{type(exc).__name__}: {exc}")


def _true_type(data: bytes):
    """A TrueType program with the tables the rules read loaded now, so that a broken
    one is found here (fontTools reads lazily, and raises whatever it meets)."""
    program = TTFont(io.BytesIO(data), lazy=True)
    for tag in ("head", "maxp", "hmtx"):
        if tag in program:
            program[tag]  # noqa: B018 - decompiles the table
    if "cmap" in program:
        for table in program["cmap"].tables:
            table.cmap  # noqa: B018 - decompiles the subtable
    program.getGlyphOrder()
    return program


class FontInfo:
    """One font dictionary used by a text-showing operator."""

    def __init__(self, font: pikepdf.Dictionary):
        self.obj = font
        self.subtype = name(font.get("/Subtype")) or "?"
        self.base_font = name(font.get("/BaseFont")) or "?"
        self.is_type0 = self.subtype == "Type0"
        desc = font.get("/DescendantFonts")
        self.cidfont = desc[0] if self.is_type0 and isinstance(desc, pikepdf.Array) \
            and len(desc) and isinstance(desc[0], pikepdf.Dictionary) else None
        target = self.cidfont if self.is_type0 else font
        fd = target.get("/FontDescriptor") if target is not None else None
        self.descriptor = fd if isinstance(fd, pikepdf.Dictionary) else None
        self.encoding = font.get("/Encoding")
        self.encoding_name = name(self.encoding)

    @property
    def label(self) -> str:
        return f"font {self.base_font}"

    @cached_property
    def font_file(self) -> pikepdf.Stream | None:
        if self.descriptor is None:
            return None
        for k in ("/FontFile", "/FontFile2", "/FontFile3"):
            stream = self.descriptor.get(k)
            if isinstance(stream, pikepdf.Stream):
                return stream
        return None

    @property
    def cmap(self) -> CMap | None:
        """For Type 0 fonts: the code-to-CID CMap when it can be read (Identity or embedded)."""
        return self._embedded_cmap.value if self._embedded_cmap else self._predefined_cmap

    @cached_property
    def _predefined_cmap(self) -> CMap | None:
        if not self.is_type0 or self.encoding_name not in ("Identity-H", "Identity-V"):
            return None
        return CMap.identity()

    @cached_property
    def _embedded_cmap(self) -> Read | None:
        if not self.is_type0 or not isinstance(self.encoding, pikepdf.Stream):
            return None
        return Read.of(self.encoding, CMap)

    @property
    def to_unicode(self) -> CMap | None:
        return self._to_unicode.value if self._to_unicode else None

    @cached_property
    def _to_unicode(self) -> Read | None:
        stream = self.obj.get("/ToUnicode")
        return Read.of(stream, CMap) if isinstance(stream, pikepdf.Stream) else None

    def unreadable(self) -> dict[str, str]:
        """The font's streams that the rules read but that cannot be read: what -> why.
        Each keeps rules from being checked, so each is a finding (rules_fonts.py)."""
        parts = {"embedded CMap": self._embedded_cmap, "ToUnicode CMap": self._to_unicode,
                 "CIDToGIDMap": self._cid_to_gid_map, "font program": self._program}
        return {what: read.error for what, read in parts.items()
                if read is not None and read.error is not None}

    def split(self, data: bytes) -> list[bytes] | None:
        """Codes of a shown string; None if the font's encoding cannot be read."""
        if not self.is_type0:
            return [data[i:i + 1] for i in range(len(data))]
        cm = self.cmap
        return cm.split(data) if cm is not None and cm.codespace else None

    def cid(self, code: bytes) -> int | None:
        cm = self.cmap
        if cm is None:
            return None
        value = cm.lookup(code)
        return value if isinstance(value, int) else None

    def unicode(self, code: bytes) -> str | None:
        """The text a code stands for, or None if the font does not say (7.21.7)."""
        tu = self.to_unicode
        if tu is not None:
            dst = tu.lookup(code)
            if dst is not None:
                return decode_unicode(dst)
        if self.is_type0:
            info = self.cidfont.get("/CIDSystemInfo") if self.cidfont is not None else None
            ordering = str(info.get("/Ordering", "")) if isinstance(info, pikepdf.Dictionary) \
                else ""
            # A predefined CMap over a known Adobe collection can be mapped by the reader.
            if ordering in KNOWN_ORDERINGS and self.encoding_name in PREDEFINED_CMAPS \
                    and not self.encoding_name.startswith("Identity"):
                return "\ufffd"
            return None
        if self.subtype == "Type3":
            return None
        return self._simple_unicode(code)

    def _simple_unicode(self, code: bytes) -> str | None:
        """A simple font without ToUnicode: a standard encoding, or glyph names in the AGL."""
        glyph = self.differences.get(code[0])
        if glyph is not None:
            from fontTools import agl

            return agl.toUnicode(glyph) or None
        if self.base_encoding in STANDARD_ENCODINGS:
            return _code_to_text(code[0], self.base_encoding)
        return None

    @property
    def base_encoding(self) -> str | None:
        """The simple font's encoding name, or its /BaseEncoding if /Encoding is a dict."""
        if isinstance(self.encoding, pikepdf.Dictionary):
            return name(self.encoding.get("/BaseEncoding"))
        return self.encoding_name

    @cached_property
    def differences(self) -> dict[int, str]:
        out: dict[int, str] = {}
        enc = self.encoding
        diffs = enc.get("/Differences") if isinstance(enc, pikepdf.Dictionary) else None
        if isinstance(diffs, pikepdf.Array):
            code = 0
            for item in diffs:
                if isinstance(item, int):
                    code = item
                elif isinstance(item, pikepdf.Name):
                    out[code] = str(item)[1:]
                    code += 1
        return out

    @property
    def symbolic(self) -> bool:
        flags = self.descriptor.get("/Flags", 0) if self.descriptor is not None else 0
        return bool(int(flags) & 4)

    @property
    def program(self):
        """The embedded TrueType program (fontTools), or None if not embedded, not
        TrueType, or not readable (then unreadable() says why)."""
        return self._program.value if self._program else None

    @cached_property
    def _program(self) -> Read | None:
        fd = self.descriptor
        stream = fd.get("/FontFile2") if fd is not None else None
        return Read.of(stream, _true_type) if isinstance(stream, pikepdf.Stream) else None

    def cmap_subtables(self) -> list[tuple[int, int]]:
        prog = self.program
        if prog is None or "cmap" not in prog:
            return []
        return [(t.platformID, t.platEncID) for t in prog["cmap"].tables]

    def gid(self, code: bytes) -> int | None:
        """Glyph index a code selects in the embedded TrueType program, None if none."""
        prog = self.program
        if prog is None:
            return None
        if self.is_type0:
            cid = self.cid(code)
            if cid is None:
                return None
            data = self._cid_to_gid
            if data is not None:
                return int.from_bytes(data[2 * cid:2 * cid + 2], "big") \
                    if 2 * cid + 2 <= len(data) else None
            return cid
        return self._simple_gid(code[0])

    @property
    def _cid_to_gid(self) -> bytes | None:
        """The CIDToGIDMap stream's bytes; None for /Identity (or absent, or unreadable)."""
        return self._cid_to_gid_map.value if self._cid_to_gid_map else None

    @cached_property
    def _cid_to_gid_map(self) -> Read | None:
        m = self.cidfont.get("/CIDToGIDMap") if self.cidfont is not None else None
        return Read.of(m, bytes) if isinstance(m, pikepdf.Stream) else None

    def _simple_gid(self, c: int) -> int | None:
        """ISO 32000-1:2008, 9.6.6.4: code -> glyph through the program's cmap subtables."""
        index, tables = self._cmap_lookup
        if not self.symbolic and (3, 1) in tables:
            glyph = self.differences.get(c)
            if glyph is not None:
                from fontTools import agl

                uni = agl.toUnicode(glyph)
            else:
                uni = _code_to_text(c, self.base_encoding)
            if uni and len(uni) == 1 and ord(uni) in tables[(3, 1)]:
                return index.get(tables[(3, 1)][ord(uni)])
        for plat, codes in (((3, 0), (c, 0xF000 + c, 0xF100 + c, 0xF200 + c)),
                            ((1, 0), (c,))):
            table = tables.get(plat)
            if table:
                for candidate in codes:
                    if candidate in table:
                        return index.get(table[candidate])
        return None

    @cached_property
    def _cmap_lookup(self) -> tuple[dict[str, int], dict[tuple[int, int], dict[int, str]]]:
        """Glyph name -> index, and (platform, encoding) -> the cmap subtable's mapping."""
        prog = self.program
        if prog is None or "cmap" not in prog:
            return {}, {}
        index = {g: i for i, g in enumerate(prog.getGlyphOrder())}
        return index, {(t.platformID, t.platEncID): t.cmap for t in prog["cmap"].tables}

    def program_width(self, gid: int) -> float | None:
        prog = self.program
        try:
            glyph = prog.getGlyphOrder()[gid]
            advance = prog["hmtx"][glyph][0]
            return advance * 1000.0 / prog["head"].unitsPerEm
        except (KeyError, IndexError, TypeError):
            return None

    def dict_width(self, code: bytes) -> float | None:
        """The width the font dictionary gives a code (/Widths, or /W and /DW)."""
        if not self.is_type0:
            widths = self.obj.get("/Widths")
            first = int(self.obj.get("/FirstChar", 0))
            if isinstance(widths, pikepdf.Array) and 0 <= code[0] - first < len(widths):
                return float(widths[code[0] - first])
            return None
        cid = self.cid(code)
        if cid is None:
            return None
        return self.cid_widths.get(cid, float(self.cidfont.get("/DW", 1000)))

    @cached_property
    def cid_widths(self) -> dict[int, float]:
        out: dict[int, float] = {}
        w = self.cidfont.get("/W") if self.cidfont is not None else None
        if not isinstance(w, pikepdf.Array):
            return out
        items = list(w)
        i = 0
        while i + 1 < len(items):
            first, nxt = items[i], items[i + 1]
            if isinstance(nxt, pikepdf.Array):
                for off, value in enumerate(nxt):
                    out[int(first) + off] = float(value)
                i += 2
            elif i + 2 < len(items):
                for cid in range(int(first), int(nxt) + 1):
                    out[cid] = float(items[i + 2])
                i += 3
            else:
                break
        return out


def _code_to_text(c: int, encoding: str | None) -> str | None:
    """Text of a one-byte code in a standard simple-font encoding (close enough for 7.21.7)."""
    if encoding == "MacRomanEncoding":
        return bytes([c]).decode("mac_roman")
    if encoding in ("WinAnsiEncoding", "StandardEncoding", "MacExpertEncoding", None):
        try:
            return bytes([c]).decode("cp1252")
        except UnicodeDecodeError:
            return None
    return None
