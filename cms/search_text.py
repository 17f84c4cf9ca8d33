"""The text that site search indexes and looks for: Norwegian stems, æ/ø/å folded, on both sides.

Wagtail's database search backend cannot stem Norwegian on SQLite (FTS5 has only an English
Porter stemmer) and folds no æ/ø/å on either database. So every indexed model adds, beside its raw
fields (which the Wagtail admin's own search keeps using), a *normalised* copy of its text, and
site search (``sitesearch``) normalises the query the same way before asking the backend:

- words are lower-cased and stemmed with the Snowball Norwegian stemmer (Bokmål and Nynorsk
  endings alike: "bærekraftig" → "bærekraft", "prosjekta" and "prosjektet" → "prosjekt"),
- then folded to ASCII as ``cms.slugs`` does (æ → ae, ø → o, å → a, other accents dropped), so
  "grønn" and "gronn" both become ``gronn``.

The same pipeline runs on SQLite and PostgreSQL (where ``SEARCH_CONFIG`` is ``simple``: a
language configuration would stem the already stemmed words a second time), so search behaves the
same under ``make run`` and in production.
"""

import re
import unicodedata
from functools import lru_cache
from html import unescape

import snowballstemmer
from django.utils.html import strip_tags
from wagtail.search import index

from cms.slugs import _TRANSLITERATION

_WORD = re.compile(r"\w+")
# A search box is for a few words; longer queries are cut rather than sent to the database.
MAX_QUERY_TERMS = 12
_stemmer = snowballstemmer.stemmer("norwegian")


def fold(word: str) -> str:
    """``word`` in ASCII the way Norwegians write addresses (æ → ae, ø → o, å → a, é → e)."""
    decomposed = unicodedata.normalize("NFKD", word.translate(_TRANSLITERATION))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@lru_cache(maxsize=20_000)
def normalise_word(word: str) -> str:
    """The index form of one word: lower-cased, stemmed (Norwegian), folded."""
    return fold(_stemmer.stemWord(word.lower()))


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def normalise_text(text: str) -> str:
    """The index form of a text (HTML tags dropped, entities decoded), words separated by spaces."""
    plain = unescape(strip_tags(text or ""))
    return " ".join(normalise_word(word) for word in words(plain))


def query_terms(query: str) -> list[str]:
    """The distinct index forms of a query's words, in order (at most ``MAX_QUERY_TERMS``)."""
    terms: list[str] = []
    for word in words(query or ""):
        term = normalise_word(word)
        if term and term not in terms:
            terms.append(term)
    return terms[:MAX_QUERY_TERMS]


def _flatten(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return " ".join(_flatten(item) for item in value.values())
    if isinstance(value, (list, tuple)):
        return " ".join(_flatten(item) for item in value)
    if hasattr(value, "all") and callable(value.all):  # a related manager (tags)
        return " ".join(str(item) for item in value.all())
    return str(value)


class NormalisedTitleField(index.SearchField):
    """A second ``title`` search field beside the raw one: the backend indexes every field named
    ``title`` as the title, so the title keeps its weight for the admin's raw queries and for site
    search's normalised ones alike."""

    def get_value(self, obj):
        return normalise_text(_flatten(super().get_value(obj)))


class NormalisedSearchMixin:
    """For an ``index.Indexed`` model: ``search_text_normalised()`` is the normalised copy of every
    other ``SearchField`` of the model. Build ``search_fields`` with ``normalised_search_fields``."""

    def search_text_plain(self) -> str:
        """The text of every search field but the title, as plain text (what a result's excerpt shows)."""
        texts = []
        for field in self.get_search_fields():
            if not isinstance(field, index.SearchField) or field.field_name in {"title", "search_text_normalised"}:
                continue
            texts.append(_flatten(field.get_value(self)))
        return " ".join(unescape(strip_tags(text)) for text in texts if text).strip()

    def search_text_normalised(self) -> str:
        return normalise_text(self.search_text_plain())


def normalised_search_fields(fields) -> list:
    """``fields`` (kept as they are: Wagtail checks that a page keeps ``Page.search_fields``) plus the
    normalised title, when there is a raw one, and the normalised text of the other search fields."""
    result = list(fields)
    titles = [field for field in fields if type(field) is index.SearchField and field.field_name == "title"]
    if titles:
        result.append(NormalisedTitleField("title", boost=titles[0].boost))
    result.append(index.SearchField("search_text_normalised"))
    return result
