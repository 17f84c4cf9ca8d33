"""The normaliser both the index and the query go through (cms.search_text) and the excerpts."""

from cms.search_text import normalise_text, query_terms
from sitesearch.templatetags.sitesearch_tags import excerpt, highlight


def test_bokmal_forms_share_a_stem():
    assert query_terms("bærekraft") == query_terms("bærekraftig") == query_terms("bærekraftige")


def test_nynorsk_and_bokmal_endings_share_a_stem_as_far_as_the_stemmer_allows():
    assert query_terms("prosjekta") == query_terms("prosjektet") == query_terms("prosjekter") == ["prosjekt"]
    assert query_terms("kommunane") == query_terms("kommunene")


def test_aeoa_are_folded_so_either_spelling_matches():
    assert query_terms("grønn") == query_terms("gronn") == ["gronn"]
    assert query_terms("Ålesund") == query_terms("alesund")
    assert query_terms("bærekraft") == query_terms("baerekraft")


def test_text_is_stripped_of_html_and_entities():
    assert normalise_text("<p>Grønne&nbsp;<b>hender</b></p>") == "gronn hend"


def test_query_terms_are_distinct_and_limited():
    assert query_terms("skole skoler skolen") == ["skol"]
    assert len(query_terms(" ".join(f"ord{n}" for n in range(40)))) == 12
    assert query_terms("  — ! ") == []


def test_highlight_escapes_before_marking():
    marked = highlight('<script>alert("bærekraftig")</script> & grønn', query_terms("bærekraft gronn"))
    assert "<script>" not in marked
    assert "&lt;script&gt;" in marked
    assert "<mark>bærekraftig</mark>" in marked
    assert "<mark>grønn</mark>" in marked
    assert "&amp;" in marked


def test_excerpt_shows_the_words_around_the_first_match():
    text = " ".join(["fyll"] * 100 + ["bærekraftig"] + ["slutt"] * 100)
    shown = excerpt(text, query_terms("bærekraft"))
    assert shown.startswith("… ")
    assert shown.endswith(" …")
    assert "<mark>bærekraftig</mark>" in shown
    assert len(shown.split()) < 50
