"""The one CMap reader (booklet.check.cmap), as the tag-text reader and the type-size
measure use it through a font's ToUnicode CMap."""

from __future__ import annotations

import pikepdf
import pytest
from pikepdf import Dictionary, Name

from booklet.check.cmap import ToUnicode

CMAP = b"""/CIDInit /ProcSet findresource begin 12 dict begin begincmap
1 begincodespacerange <0000> <FFFF> endcodespacerange
1 beginbfchar <0003> <0020> endbfchar
2 beginbfrange
<0010> <0012> <0061>
<0020> <0021> [<00660069> <D835DC9C>]
endbfrange
endcmap CMapName currentdict /CMap defineresource pop end end"""


def _font(pdf: pikepdf.Pdf, stream: pikepdf.Stream) -> Dictionary:
    return Dictionary(Type=Name.Font, Subtype=Name.Type0, BaseFont=Name("/Sample"),
                      ToUnicode=stream)


def test_chars_ranges_and_array_destinations_are_read():
    """A range counts up from its start; an array gives each code its own text (here a
    ligature and a character outside the BMP, as a surrogate pair)."""
    pdf = pikepdf.new()
    text = ToUnicode(_font(pdf, pdf.make_stream(CMAP)))
    codes = bytes.fromhex("0010 0011 0012 0003 0020 0021 0099".replace(" ", ""))
    assert text.text(codes) == "abc fi\U0001d49c"  # 0099 is mapped to nothing


def test_a_to_unicode_cmap_that_cannot_be_read_is_refused():
    pdf = pikepdf.new()
    stream = pdf.make_stream(b"not deflate data", Filter=Name.FlateDecode)
    with pytest.raises(ValueError, match="font /Sample: the ToUnicode CMap cannot be read"):
        ToUnicode(_font(pdf, stream))
