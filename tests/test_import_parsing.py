"""The import's pure parts: reference entries, citation linking, HTML to Markdown."""

from __future__ import annotations

import pytest

from booklet.importer.citations import link_citations
from booklet.importer.markdown import html_to_body
from booklet.importer.references import parse_entries, parse_entry


@pytest.mark.parametrize("text,expect", [
    ("Best, P. Manktelow, R. and Taylor, B. (2016) ‘Social work and social media.’ "
     "*British Journal of Social Work*, 42, 1, 1-20. [Accessed 20 April 2020].",
     {"key": "best2016", "authors": ["Best, P.", "Manktelow, R.", "Taylor, B."],
      "year": "2016", "title": "Social work and social media",
      "container": "British Journal of Social Work", "volume": "42", "issue": "1",
      "pages": "1–20", "accessed": "20 April 2020"}),
    ("Brown, L. 2007. ‘A Case Study.’ *Social Policy and Society* 6(3), pp. 321-332.",
     {"key": "brown2007", "authors": ["Brown, L."], "year": "2007", "title": "A Case Study",
      "container": "Social Policy and Society", "volume": "6", "issue": "3",
      "pages": "321–332"}),
    ("Hennessey, R. (2011) ‘Relationship Skills in Social Work.’ *London: Sage*.",
     {"key": "hennessey2011", "authors": ["Hennessey, R."], "year": "2011",
      "title": "Relationship Skills in Social Work", "publisher": "Sage", "place": "London"}),
    ("Ruch, G. 2010. ‘Relationship-based Social Work.’ *Jessica Kingsley Publishers: London*.",
     {"key": "ruch2010", "authors": ["Ruch, G."], "year": "2010",
      "title": "Relationship-based Social Work", "publisher": "Jessica Kingsley Publishers",
      "place": "London"}),
    ("Bronfenbrenner, U. 1992. ‘Ecological systems theory.’ In: R. Vasta. eds. *Six "
     "theories of child development*. Jessica Kingsley Publishers: London, pp. 187–249.",
     {"key": "bronfenbrenner1992", "authors": ["Bronfenbrenner, U."], "year": "1992",
      "title": "Ecological systems theory", "container": "Six theories of child development",
      "editors": "R. Vasta. eds.", "pages": "187–249",
      "publisher": "Jessica Kingsley Publishers", "place": "London"}),
    ("Okafor, N. (2017) *Listening as Practice*. 2nd edn. Bristol: Policy Press.",
     {"key": "okafor2017", "authors": ["Okafor, N."], "year": "2017",
      "title": "Listening as Practice", "edition": "2nd edn.", "publisher": "Policy Press",
      "place": "Bristol"}),
    ("BASW and CWIP. (2019) ‘Guide.’ *British Association of Social Workers*",
     {"key": "basw2019", "authors": ["BASW", "CWIP"], "year": "2019", "title": "Guide",
      "publisher": "British Association of Social Workers"}),
    ("Gupta, A. (2017) ‘Learning.’ *Qualitative Social Work*, 16(4), pp. 449–464. "
     "doi: 10.1177/1473325015620946",
     {"key": "gupta2017", "authors": ["Gupta, A."], "year": "2017", "title": "Learning",
      "container": "Qualitative Social Work", "volume": "16", "issue": "4",
      "pages": "449–464", "doi": "10.1177/1473325015620946"}),
])
def test_reference_forms(text, expect):
    entry = parse_entry(text)
    assert entry.fields == expect
    assert entry.clean, (entry.leftover, entry.notes)


def test_repairs_are_reported_not_hidden():
    proxy = parse_entry("Krumer-Nevo, M (2016). ‘Poverty-Aware Social Work.’ *The British "
                        "Journal of Social Work, Volume 46, Issue 6, 1 September, 2016, "
                        "pp1793-1808, https://doi-org.libezproxy.dundee.ac.uk/10.1093/bjsw/bcv118* "
                        "(Accessed 3 June 2020).")
    assert proxy.fields["doi"] == "10.1093/bjsw/bcv118"
    assert proxy.fields["container"] == "The British Journal of Social Work"
    assert (proxy.fields["volume"], proxy.fields["issue"], proxy.fields["date"]) == \
        ("46", "6", "1 September")
    assert "url" not in proxy.fields and not proxy.clean
    assert any("library proxy" in note for note in proxy.notes)
    doi_url = parse_entry("O’Leary, P. (2013) ‘T.’ *BJSW* 43 135-153. Available from "
                          "<https://doi:10.1093/bjsw/bcr181> [Accessed 27 April 2020].")
    assert doi_url.fields["doi"] == "10.1093/bjsw/bcr181" and not doi_url.clean
    bad = parse_entry("Turner, D. (2016) ‘T.’ *J* 30 (3) 313-327. Available from "
                      "<https://doi.org/10.101080/02650533.2016.1217>")
    assert any("malformed" in note for note in bad.notes)


def test_an_entry_without_author_or_year_is_not_clean():
    entry = parse_entry("‘Social Work Skills and Knowledge.’ *Berkshire: Open University Press*.")
    assert "year" not in entry.fields and "authors" not in entry.fields
    assert entry.fields["title"] == "Social Work Skills and Knowledge"
    assert not entry.clean and "no year found" in entry.notes


def test_two_works_of_one_author_and_year_get_their_own_keys():
    entries = parse_entries(["Smith, J. (2001) ‘One.’ *J*, 1, 1-2.",
                             "Smith, J. (2001) ‘Two.’ *J*, 1, 3-4."])
    assert [e.key for e in entries] == ["smith2001", "smith2001b"]


ENTRIES = [
    {"key": "mishna2019", "authors": ["Mishna, F.", "Sanders, J.", "Fantus, S."], "year": "2019"},
    {"key": "chan2019", "authors": ["Chan, C.", "Ngai, S."], "year": "2019"},
    {"key": "tregeagle2008", "authors": ["Tregeagle, S.", "Darcy, M."], "year": "2008"},
    {"key": "gupta2017", "authors": ["Gupta, A."], "year": "2017"},
    {"key": "gupta2016", "authors": ["Gupta, A.", "Lloyd-Jones, E."], "year": "2016"},
    {"key": "ferguson2014", "authors": ["Ferguson, H."], "year": "2014"},
    {"key": "trevithick2012", "authors": ["Trevithick, P."], "year": "2012"},
    {"key": "van-spijker2014", "authors": ["van Spijker, B.", "van Straten, A.", "Kerkhof, A."],
     "year": "2014"},
]


@pytest.mark.parametrize("line,linked", [
    ("as argued (Mishna et al, 2019).", "as argued ([Mishna et al, 2019](cite:mishna2019))."),
    ("(Chan and Ngai, 2019; Tregeagle and Darcy, 2008)",
     "([Chan and Ngai, 2019](cite:chan2019); [Tregeagle and Darcy, 2008](cite:tregeagle2008))"),
    ("(Chan and Ngai, 2019. Tregeagle and Darcy, 2008)",  # as typed: the full stop stays
     "([Chan and Ngai, 2019](cite:chan2019). [Tregeagle and Darcy, 2008](cite:tregeagle2008))"),
    ("Furthermore, Gupta and Lloyd-Jones (2016) argue",
     "Furthermore, [Gupta and Lloyd-Jones (2016)](cite:gupta2016) argue"),
    ("triumphed (Ferguson 2014 p. 289).", "triumphed ([Ferguson 2014 p. 289](cite:ferguson2014))."),
    ("workers (Kadushin and Kadushin, cited in Trevithick, 2012).",
     "workers (Kadushin and Kadushin, cited in [Trevithick, 2012](cite:trevithick2012))."),
    ("effect”(van Spijker et al 2014) reaching", "effect”([van Spijker et al 2014](cite:van-spijker2014)) reaching"),
    ("(Helen Keller) and (in 2019) and [a link](https://example.org/2019)",
     "(Helen Keller) and (in 2019) and [a link](https://example.org/2019)"),
])
def test_citations_linked(line, linked):
    out, result = link_citations([line], ENTRIES)
    assert out == [linked]
    assert all(not f.mismatch for f in result.linked)


def test_mismatches_are_linked_to_the_closest_entry_and_reported():
    out, result = link_citations(["Gupta (2015) and (Chan and Negai, 2019)"], ENTRIES, 7)
    assert out == ["[Gupta (2015)](cite:gupta2017) and ([Chan and Negai, 2019](cite:chan2019))"]
    assert [(f.text, f.line, f.mismatch.split(":")[0]) for f in result.linked] == [
        ("Gupta (2015)", 7, "the year differs"), ("Chan and Negai, 2019", 7, "a name differs")]


def test_what_cannot_be_matched_is_left_as_typed_and_listed():
    line = "(Alexander and Grant 2009, p.6) and the Marmot Review in 2010 (2020)"
    out, result = link_citations([line], ENTRIES)
    assert out == [line]
    assert [t for t, _, _ in result.unlinked] == [
        "Alexander and Grant 2009, p.6", "the Marmot Review in 2010 (2020)"]


def test_html_to_markdown_keeps_the_words_as_typed():
    body = html_to_body(
        "<h2>Part – one</h2><p>It’s <em>very </em><em>much</em> “so” — <strong>yes</strong> "
        "a*b [c] &lt;d&gt;<br />next</p><blockquote><p>Alone<br />Together</p></blockquote>")
    assert [b.markdown for b in body.blocks] == [
        "Part – one",
        "It’s *very much* “so” — **yes** a\\*b \\[c\\] \\<d>\\\nnext",
        "> Alone\\\n> Together"]
    assert body.blocks[0].kind == "heading" and body.blocks[0].level == 2
