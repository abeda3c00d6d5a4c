"""reference_style in booklet.yaml (issue #13, item 5 in part): the reference lists
formatted by a CSL style through citeproc-py instead of the house style."""

from __future__ import annotations

import re
import zipfile

import pytest

from conftest import copy_fixture, run_booklet


def _epub_text(root) -> str:
    with zipfile.ZipFile(root / "build" / "booklet.epub") as epub:
        xhtml = epub.read("EPUB/01-siobhan-o-dalaigh.xhtml").decode("utf-8")
    text = re.sub(r"<[^>]+>", "", xhtml).replace("&amp;", "&")
    return " ".join(text.split())


def _with_style(tmp_path, style: str | None):
    root = copy_fixture(tmp_path / (style or "house"))
    if style:
        meta = root / "content" / "booklet.yaml"
        meta.write_text(meta.read_text(encoding="utf-8") + f"reference_style: {style}\n",
                        encoding="utf-8")
    result = run_booklet(root, "build")
    assert result.returncode == 0, result.stderr
    return root


@pytest.mark.parametrize("style,entry", [
    (None, "Marlowe, J. and Okafor, T. (2024) ‘Respite and resilience among unpaid carers "
           "of adults with dementia’, Journal of Community Care Research, 18(2), pp. 101–119."),
    ("apa", "Marlowe, J., & Okafor, T. (2024). Respite and resilience among unpaid carers of "
            "adults with dementia. Journal of Community Care Research, 18(2), 101–119. "
            "https://doi.org/10.1234/jccr.2024.0182"),
    ("harvard-cite-them-right", "Marlowe, J. and Okafor, T. (2024) ‘Respite and resilience "
                                "among unpaid carers of adults with dementia’, Journal of "
                                "Community Care Research, 18(2), pp. 101–119. Available at: "
                                "https://doi.org/10.1234/jccr.2024.0182."),
])
def test_one_booklet_in_each_style(tmp_path, style, entry):
    root = _with_style(tmp_path, style)
    text = _epub_text(root)
    assert entry in text
    # what the style does not print the booklet still does: the editor's note, and
    # two works of one author and year told apart as the citations tell them
    assert "[Editor’s note: Cited in the essay; the author’s reference list gives no entry " \
           "for this work.]" in text
    assert "2025a" in text and "2025b" in text
    if style == "harvard-cite-them-right":  # in British English (booklet.yaml's language)
        assert "(Accessed: 3 March 2026)" in text
    audit = run_booklet(root, "check", "pdf", str(root / "build" / "booklet.pdf"))
    assert audit.returncode == 0, audit.stdout + audit.stderr


def test_an_unknown_style_is_refused_at_its_line(tmp_path):
    root = copy_fixture(tmp_path / "p")
    meta = root / "content" / "booklet.yaml"
    text = meta.read_text(encoding="utf-8") + "reference_style: harvard-my-university\n"
    meta.write_text(text, encoding="utf-8")
    result = run_booklet(root, "validate")
    assert result.returncode == 1
    line = text.rstrip("\n").count("\n") + 1
    assert f"content/booklet.yaml:{line}: error B103: 'harvard-my-university' is not a " \
           "reference style" in result.stderr
