"""Citation against entry: names and year, with what Harvard tolerates."""

from __future__ import annotations

import pytest

from booklet.content.references.matching import match_citation, parse_citation

BEST = ["Best, P.", "Manktelow, R.", "Taylor, B."]
OLEARY = ["O’Leary, P.", "Tsui, M.", "Ruch, G."]


@pytest.mark.parametrize("text, authors, year", [
    ("Best et al, 2016", BEST, "2016"),
    ("Best, Manktelow and Taylor, 2016", BEST, "2016"),
    ("Gupta (2015)", ["Gupta, A."], "2015"),
    ("Chan and Ngai, 2019", ["Chan, C.", "Ngai, S."], "2019"),
    ("Chan & Ngai 2019", ["Chan, C.", "Ngai, S."], "2019"),
    ("O'leary et al, 2013", OLEARY, "2013"),  # case and a straight apostrophe
    ("van Spijker et al 2014", ["van Spijker, B.", "van Straten, A.", "Kerkhof, A."], "2014"),
    ("De Mesa et al, 2019", ["De Mesa, J.", "Jacinto, L.", "Peláez, A.", "García, M."], "2019"),
    ("Ferguson 2014 p. 289", ["Ferguson, H."], "2014"),
    ("Alexander and Grant 2009, p.6", ["Alexander, C.", "Grant, G."], "2009"),
    ("Fraser’s et al. (2017, p. 1)", ["Fraser, H. et al."], "2017"),
    ("Forrester et al. (2007)", ["Forrester, D. et al."], "2007"),
    ("Bronfenbrenner’s (1992)", ["Bronfenbrenner, U."], "1992"),
    ("Saar-Heiman (2019)", ["Saar-Heiman, Y."], "2019"),
    ("Kadushin and Kadushin, cited in Trevithick, 2012", ["Trevithick, P."], "2012"),
    ("Garbarino and Ganzel (cited in Russell, Harris and Gockel, 2008)",
     ["Russell, M.", "Harris, B.", "Gockel, A."], "2008"),
    ("ATD Fourth World, 2004", ["ATD Fourth World"], "2004"),
    ("BASW and CWIP, 2019", ["BASW", "CWIP"], "2019"),
    ("Gupta, Blumhardt & Fourth World (2018)", ["Gupta, A.", "Blumhardt, H.", "ATD Fourth World"],
     "2018"),
    ("What Works Centre for Children’s Social Care 2020",
     ["What Works Centre for Children's Social Care"], "2020"),
    ("BASW, 2014", ["British Association of Social Work"], "2014"),  # initials
    ("International Federation of Social Workers (2012)", ["IFSW"], "2012"),
    ("Smith and Jones, 2001a, b", ["Smith, A.", "Jones, B."], "2001b"),
    ("Smith, n.d.", ["Smith, A."], "n.d."),
])
def test_these_agree(text, authors, year):
    assert match_citation(text, authors, year) is None


def test_a_wrong_year_says_both_sides():
    mismatch = match_citation("Best et al, 2014", BEST, "2016")
    assert str(mismatch) == ("the text says Best et al, 2014; "
                             "the entry is Best, Manktelow and Taylor, 2016")
    assert mismatch.names and not mismatch.year


@pytest.mark.parametrize("text, authors, year, names, year_ok", [
    ("Carson and Stevenson, 2017", ["Carson, G.", "Stephenson, L."], "2017", False, True),
    ("Ruch et al. 2010, p.1", ["Ruch, G."], "2010", False, True),  # et al for one author
    ("Mishna et al, 2019", ["Mishna, F.", "Sanders, J."], "2019", False, True),  # for two
    ("Perron, 2010", ["Perron, B.", "Taylor, H.", "Glass, J."], "2010", False, True),
    ("International Federation of Social Workers (2012)", ["ISFW"], "2012", False, True),
    ("Marmot Review in 2010 (2020)", ["Institute of Health Equity"], "2020", False, True),
    ("BASW, 2012", ["British Association of Social Work"], "2014", True, False),
    ("Westwood 2007", ["Westwood, J. L."], "2012", True, False),
    ("Smith and Jones, 2001a, b", ["Smith, A.", "Jones, B."], "2001c", True, False),
    ("Gupta and Lloyd-Jones (2014)", ["Gupta, A.", "Lloyd-Jones, E."], "2016", True, False),
    ("Kadushin and Kadushin, cited in Trevithick, 2012", ["Kadushin, A."], "2012", False, True),
])
def test_these_do_not(text, authors, year, names, year_ok):
    mismatch = match_citation(text, authors, year)
    assert mismatch is not None, text
    assert (mismatch.names, mismatch.year) == (names, year_ok)
    assert str(mismatch).startswith(f"the text says {text}; the entry is ")


def test_parse_citation():
    assert parse_citation("Fraser’s et al. (2017, p. 1)") == (["Fraser"], True, ["2017"])
    assert parse_citation("Turner, 2016") == (["Turner"], False, ["2016"])
    assert parse_citation("Smith and Jones, 2001a, b") == (["Smith", "Jones"], False,
                                                            ["2001a", "2001b"])


# The 2020 booklet's findings and their record: tests/test_citation_checks.py.


@pytest.mark.parametrize("text, title", [
    ("How to count your caring hours, 2025", "How to count your caring hours"),
    ("How to count, 2025", "How to count your caring hours"),  # its first words
])
def test_a_work_without_authors_is_cited_by_its_title(text, title):
    assert match_citation(text, [], "2025", title) is None
    mismatch = match_citation("Counting hours, 2025", [], "2025", title)
    assert mismatch is not None and str(mismatch).endswith(f"the entry is {title}, 2025")
