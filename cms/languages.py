"""Texts that editors give in more than one language: pick the one for the language being shown."""

from django.utils import translation


def current_language() -> str:
    """The active language's base code (``nb``, ``nn``, ``en``)."""
    return (translation.get_language() or "").split("-")[0]


def in_language(base: str, translations: dict[str, str], *, language: str | None = None) -> str:
    """``translations[language]`` if the editors gave one, else ``base`` (the text in the page's own language).

    ``language`` defaults to the active one. Empty translations count as missing.
    """
    language = language or current_language()
    return translations.get(language) or base
