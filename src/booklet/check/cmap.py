"""CMaps, the tables by which a PDF font's character codes stand for CIDs (its
encoding, for a Type 0 font) or for text (its ToUnicode CMap); one reader for all the
checks: the audit's font rules, the tag-text reader and the type-size measure.

Read from the CMap file's tokens (Adobe Technical Note #5014, and ISO 32000-1, 9.10.3
for ToUnicode): codespace ranges, bf/cid chars and ranges (array destinations too),
usecmap and WMode.
"""

from __future__ import annotations

import re

import pikepdf

_TOKEN = re.compile(rb"%[^\r\n]*|<([0-9A-Fa-f\s]*)>|(\[)|(\])|/([^\s/<>\[\]()%{}]+)"
                    rb"|\((?:\\.|[^\\)])*\)|([^\s/<>\[\]()%{}]+)|[{}]")


class CMap:
    """The parts of a CMap file (ToUnicode or code-to-CID) that the checks use."""

    def __init__(self, data: bytes):
        self.codespace: list[tuple[int, bytes, bytes]] = []  # (length, low, high)
        self.chars: dict[bytes, object] = {}                 # code -> bytes (bf) or int (cid)
        self.ranges: list[tuple[int, int, int, object]] = []  # (length, low, high, start)
        self.usecmap: str | None = None
        self.wmode: int | None = None
        self._parse(data)

    @classmethod
    def identity(cls) -> CMap:
        """Identity-H and Identity-V: two-byte codes, each its own CID."""
        cm = cls(b"")
        cm.codespace = [(2, b"\x00\x00", b"\xff\xff")]
        cm.ranges = [(2, 0, 0xFFFF, 0)]
        return cm

    def _parse(self, data: bytes) -> None:
        toks = []
        for m in _TOKEN.finditer(data):
            hexs, lb, rb, nm, word = m.groups()
            if hexs is not None:
                digits = re.sub(rb"\s", b"", hexs)
                if len(digits) % 2:  # a trailing odd digit counts as if followed by 0
                    digits += b"0"
                toks.append(("hex", bytes.fromhex(digits.decode())))
            elif lb:
                toks.append(("[", None))
            elif rb:
                toks.append(("]", None))
            elif nm is not None:
                toks.append(("name", nm.decode("latin-1")))
            elif word is not None:
                toks.append(("word", word.decode("latin-1")))
        i, n = 0, len(toks)
        while i < n:
            kind, val = toks[i]
            if kind != "word":
                i += 1
                continue
            if val == "begincodespacerange":
                i += 1
                while i + 1 < n and toks[i][0] == "hex":
                    lo, hi = toks[i][1], toks[i + 1][1]
                    self.codespace.append((len(lo), lo, hi))
                    i += 2
            elif val in ("beginbfchar", "begincidchar", "beginnotdefchar"):
                i += 1
                while i + 1 < n and toks[i][0] == "hex":
                    src, dst = toks[i][1], toks[i + 1]
                    if val != "beginnotdefchar":
                        self.chars[src] = dst[1] if dst[0] == "hex" else _int(dst)
                    i += 2
            elif val in ("beginbfrange", "begincidrange", "beginnotdefrange"):
                i += 1
                while i + 2 < n and toks[i][0] == "hex" and toks[i + 1][0] == "hex":
                    lo, hi = toks[i][1], toks[i + 1][1]
                    i += 2
                    if toks[i][0] == "[":  # one destination per code
                        dsts = []
                        i += 1
                        while i < n and toks[i][0] != "]":
                            if toks[i][0] == "hex":
                                dsts.append(toks[i][1])
                            i += 1
                        i += 1
                        start = int.from_bytes(lo, "big")
                        for off, dst in enumerate(dsts):
                            self.chars[(start + off).to_bytes(len(lo), "big")] = dst
                        continue
                    dst = toks[i]
                    i += 1
                    if val != "beginnotdefrange":
                        self.ranges.append((len(lo), int.from_bytes(lo, "big"),
                                            int.from_bytes(hi, "big"),
                                            dst[1] if dst[0] == "hex" else _int(dst)))
            elif val == "usecmap" and i and toks[i - 1][0] == "name":
                self.usecmap = toks[i - 1][1]
                i += 1
            elif val == "def" and i >= 2 and toks[i - 2] == ("name", "WMode"):
                self.wmode = _int(toks[i - 1])
                i += 1
            else:
                i += 1

    def lookup(self, code: bytes):
        """bytes (a ToUnicode destination) or int (a CID) for `code`, or None."""
        hit = self.chars.get(code)
        if hit is not None:
            return hit
        value = int.from_bytes(code, "big")
        for length, lo, hi, start in self.ranges:
            if length == len(code) and lo <= value <= hi:
                if isinstance(start, int):
                    return start + value - lo
                if isinstance(start, bytes):
                    if not start:
                        return start
                    # The last byte(s) count up through the range.
                    total = int.from_bytes(start, "big") + value - lo
                    return total.to_bytes(len(start), "big")
        return None

    def split(self, data: bytes) -> list[bytes]:
        """Split a shown string into codes by the codespace ranges (9.7.6.2)."""
        lengths = {length for length, _, _ in self.codespace}
        if len(lengths) == 1:
            step = lengths.pop()
            return [data[i:i + step] for i in range(0, len(data) - step + 1, step)]
        out, i = [], 0
        while i < len(data):
            for length, lo, hi in sorted(self.codespace):
                chunk = data[i:i + length]
                if len(chunk) == length and all(a <= b <= c for a, b, c in zip(lo, chunk, hi)):
                    out.append(chunk)
                    i += length
                    break
            else:
                out.append(data[i:i + 1])
                i += 1
        return out


def _int(tok) -> int | None:
    try:
        return int(tok[1])
    except (TypeError, ValueError):
        return None


def decode_unicode(dst) -> str:
    """A ToUnicode destination (UTF-16BE bytes) as text."""
    if isinstance(dst, bytes):
        return dst.decode("utf-16-be", "surrogatepass") if len(dst) % 2 == 0 else \
            dst.decode("latin-1")
    return ""


class ToUnicode:
    """The text a font's codes stand for by its ToUnicode CMap, as a screen reader or a
    text extractor gets it: codes are one byte, two for a Type 0 font (what WeasyPrint
    writes: Identity-H), and a code the CMap does not map reads as nothing."""

    def __init__(self, font: pikepdf.Dictionary):
        self.width = 2 if font.get("/Subtype") == "/Type0" else 1
        stream = font.get("/ToUnicode")
        self.cmap = None
        if isinstance(stream, pikepdf.Stream):
            try:
                self.cmap = CMap(stream.read_bytes())
            except pikepdf.PdfError as exc:  # its text would be lost: never read as none
                raise ValueError(f"font {font.get('/BaseFont', '?')}: the ToUnicode CMap "
                                 f"cannot be read: {exc}") from exc

    def text(self, data: bytes) -> str:
        if self.cmap is None:
            return ""
        w = self.width
        return "".join(decode_unicode(self.cmap.lookup(data[i:i + w]))
                       for i in range(0, len(data), w))
