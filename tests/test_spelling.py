"""What a reader of the Norwegian catalogues must never see: typos, Bokmål in Nynorsk, English left in.

These read the *effective* translations as well as the files: allauth's own Bokmål catalogue once
greeted everyone with "Bekreftelsese-post er sendt" until locale_third_party/nb corrected it.
"""

import re
from pathlib import Path

import allauth
import polib
import pytest
from django.conf import settings
from django.utils.translation import gettext, override, pgettext

ROOT = Path(settings.BASE_DIR)
CATALOGUES = {
    "nb": [ROOT / "locale/nb/LC_MESSAGES/django.po", ROOT / "locale_third_party/nb/LC_MESSAGES/django.po"],
    "nn": [ROOT / "locale/nn/LC_MESSAGES/django.po", ROOT / "locale_third_party/nn/LC_MESSAGES/django.po"],
}
ALLAUTH_NB = Path(allauth.__file__).parent / "locale" / "nb" / "LC_MESSAGES" / "django.po"
ALLAUTH_PARTS = ("account/", "core/", "templates/account/", "templates/allauth/")

# "e-post" is written on its own or after a hyphen ("bekreftelses-e-post"), never glued to a word.
GLUED_E_POST = re.compile(r"[^\W\d_]e-post", re.IGNORECASE)
DOUBLED_WORD = re.compile(r"\b([^\W\d_]+)\s+\1\b", re.IGNORECASE)
# Placeholders and markup are not prose.
NOT_PROSE = re.compile(r"%\([a-z_]+\)[sd]|%%\([a-z_]+\)[sd]|\{[a-z_]*\}|<[^>]+>|%[sd]")
# Bokmål words (and Bokmål forms of shared words) that have a different Nynorsk form.
BOKMAL_ONLY = {
    "ikke": "ikkje",
    "hva": "kva",
    "hvordan": "korleis",
    "hvorfor": "kvifor",
    "hvem": "kven",
    "hvor": "kvar",
    "hvis": "viss/om",
    "hvilke": "kva for",
    "hvilken": "kva for",
    "jeg": "eg",
    "være": "vere",
    "noen": "nokon/nokre",
    "noe": "noko",
    "også": "òg",
    "mye": "mykje",
    "ennå": "enno",
    "bare": "berre",
    "fra": "frå",
    "ble": "vart/blei",
    "blitt": "vorte/blitt",
    "mens": "medan",
    "gjøre": "gjere",
    "gjør": "gjer",
    "siden": "sidan/sida",
    "vennligst": "(sløyf)",
    "følgende": "følgjande",
    "bruker": "brukar",
    "brukere": "brukarar",
    "velge": "velje",
    "følge": "følgje",
    "søke": "søkje",
    "dere": "de",
    "deres": "dykkar",
    "adressen": "adressa",
    "lenken": "lenka",
    "filen": "fila",
    "listen": "lista",
    "tjenesten": "tenesta",
    "svarer": "svarar",
}
# Entries whose Norwegian text may equal the English one.
# Names of formats, the same in every language.
FORMAT_NAMES = {"JSON-stat"}
SAME_IN_ENGLISH = re.compile(r"^[\W\d_]*(?:[^\W\d_]+[\W\d_]*){0,1}$")


def _texts(language: str) -> list[tuple[str, str]]:
    """(msgid, translation) for every translation a reader in ``language`` can see."""
    texts = []
    for path in CATALOGUES[language]:
        for entry in polib.pofile(str(path)):
            if entry.obsolete:
                continue
            for text in entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]:
                texts.append((entry.msgid, text))
    # What Django actually serves for allauth's strings, whichever catalogue it comes from.
    with override(language):
        for entry in polib.pofile(str(ALLAUTH_NB)):
            if entry.obsolete or entry.msgid_plural:
                continue
            if not any(path.startswith(ALLAUTH_PARTS) for path, _line in entry.occurrences):
                continue
            served = pgettext(entry.msgctxt, entry.msgid) if entry.msgctxt else gettext(entry.msgid)
            texts.append((entry.msgid, served))
    return texts


def _prose(text: str) -> str:
    return NOT_PROSE.sub(" ", text)


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_no_e_post_is_glued_to_the_word_before(language):
    bad = [text for _msgid, text in _texts(language) if GLUED_E_POST.search(_prose(text))]
    assert not bad, f"{language}: {bad}"


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_no_word_is_written_twice(language):
    bad = [text for _msgid, text in _texts(language) if DOUBLED_WORD.search(_prose(text))]
    assert not bad, f"{language}: {bad}"


def test_nynorsk_has_no_bokmal_words():
    bad = []
    for _msgid, text in _texts("nn"):
        for word in re.findall(r"[^\W\d_]+", _prose(text).lower()):
            if word in BOKMAL_ONLY:
                bad.append(f"{word!r} (nn: {BOKMAL_ONLY[word]}) in {text!r}")
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_no_english_is_left_in(language):
    """A translation identical to its English msgid is English left in, unless it is one word or a name."""
    bad = [
        msgid
        for msgid, text in _texts(language)
        if text == msgid
        and not SAME_IN_ENGLISH.match(_prose(msgid))
        and msgid != "%(label)s (%(count)s)"
        and msgid not in FORMAT_NAMES
    ]
    assert not bad, f"{language}: {bad}"
