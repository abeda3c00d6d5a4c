"""The house style prints what an entry gives, and adds no role or doubled punctuation."""

from __future__ import annotations

from booklet.content.model import Reference
from booklet.render.style import reference_parts


def entry(**fields) -> str:
    fields.setdefault("authors", ("Smith, J.",))
    fields.setdefault("year", "2019")
    return "".join(text for _, text in reference_parts(Reference(key="k", anchor="a", **fields)))


def test_an_accessed_date_is_never_dropped():
    assert entry(title="T", container="J", volume="3", accessed="30 April 2020") == (
        "Smith, J. (2019) ‘T’, J, 3. (Accessed: 30 April 2020).")
    assert entry(title="T", url="https://example.org/", accessed="1 May 2020").endswith(
        "Available at: https://example.org/ (Accessed: 1 May 2020).")


def test_an_article_without_its_journal_is_still_an_article():
    parts = reference_parts(Reference(key="k", anchor="a", authors=("Byrne, J.",), year="2019",
                                      title="Relationship-Based Social Work", type="article",
                                      volume="33", issue="2", pages="217–232"))
    assert "".join(t for _, t in parts) == (
        "Byrne, J. (2019) ‘Relationship-Based Social Work’, 33(2), pp. 217–232.")
    assert not [p for p in parts if p[0] == "work"], "an article's title is not italic"


def test_editors_are_printed_as_given_with_pages_after_the_publisher():
    assert entry(title="Ecological systems theory", editors="R. Vasta. eds.",
                 container="Six theories", publisher="JKP", place="London",
                 pages="187–249") == (
        "Smith, J. (2019) ‘Ecological systems theory’, in R. Vasta. eds. Six theories. "
        "London: JKP, pp. 187–249.")
    assert "(ed.)" not in entry(title="T", editors="Worsely, A. et al.", container="B")


def test_a_title_ending_in_a_question_mark_takes_no_more_punctuation():
    assert entry(title="What is Social Work?", publisher="Learning Matters Ltd",
                 place="Exeter") == (
        "Smith, J. (2019) What is Social Work? Exeter: Learning Matters Ltd.")
    assert entry(title="How do they talk?", container="J", volume="13") == (
        "Smith, J. (2019) ‘How do they talk?’ J, 13.")


def test_place_and_section_stand_where_the_author_put_them():
    assert entry(title="Why", container="Community Care", place="London",
                 url="https://example.org/") == (
        "Smith, J. (2019) ‘Why’, London: Community Care. Available at: https://example.org/.")
    assert entry(title="Is there?", section="Editorial", container="J", volume="29") == (
        "Smith, J. (2019) ‘Is there?’ Editorial. J, 29.")


def test_an_entry_with_only_authors_and_year_ends_with_a_full_stop():
    assert entry(authors=("Wilkinson", "Pickett"), year="2010") == "Wilkinson and Pickett (2010)."
