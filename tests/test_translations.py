"""Everything a user reads is translatable, and the three catalogues are complete and current."""

import re
from pathlib import Path

import allauth
import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils.translation import gettext, override, pgettext

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
# Nynorsk for third-party apps that ship none (django-allauth); see locale_third_party/README.md.
THIRD_PARTY_LOCALE_DIR = Path(settings.BASE_DIR) / "locale_third_party"
ALLAUTH_NB = Path(allauth.__file__).parent / "locale" / "nb" / "LC_MESSAGES" / "django.po"
# The parts of allauth Dugnad uses: accounts, their templates and e-mails, and the shared layouts.
ALLAUTH_PARTS = ("account/", "core/", "templates/account/", "templates/allauth/")
LANGUAGES = [code for code, _name in settings.LANGUAGES]
# What makemessages must not read: tests, dependencies, generated and third-party files.
NOT_SOURCE = {
    ".git",
    ".venv",
    "node_modules",
    "var",
    "static",
    "tests",
    "locale",
    "locale_third_party",
    ".ruff_cache",
    ".pytest_cache",
}
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|\{[a-z_]*\}")


def _catalogue(locale_dir: Path, language: str, domain: str = "django") -> polib.POFile:
    return polib.pofile(str(locale_dir / language / "LC_MESSAGES" / f"{domain}.po"))


def _msgids(catalogue: polib.POFile) -> set[tuple[str, str]]:
    return {(entry.msgctxt or "", entry.msgid) for entry in catalogue if not entry.obsolete}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalogue_is_complete(language):
    catalogue = _catalogue(LOCALE_DIR, language)

    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert len(catalogue) > 0
    assert not untranslated, f"{language}: untranslated: {untranslated[:20]}"
    assert not fuzzy, f"{language}: fuzzy: {fuzzy[:20]}"


def _translations_with_sources(entry: polib.POEntry) -> list[tuple[str, str]]:
    """(translation, the English it translates): nb and nn have two forms, singular (0) and plural (1)."""
    if not entry.msgid_plural:
        return [(entry.msgstr, entry.msgid)]
    return [(text, entry.msgid if form == 0 else entry.msgid_plural) for form, text in entry.msgstr_plural.items()]


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_every_placeholder(language):
    for entry in _catalogue(LOCALE_DIR, language).translated_entries():
        for translation, source in _translations_with_sources(entry):
            assert sorted(PLACEHOLDER.findall(translation)) == sorted(PLACEHOLDER.findall(source)), (
                f"{language}: {source!r} -> {translation!r}"
            )


def test_the_catalogues_hold_every_string_in_the_source(settings, tmp_path, monkeypatch):
    """Extract the strings afresh (GNU gettext) and compare them with the committed catalogues.

    makemessages writes next to the nearest ``locale`` folder, so it runs in a scratch folder that
    links to the sources and has a locale folder of its own; the real catalogues are not touched.
    """
    source_root = Path(settings.BASE_DIR)
    scratch = tmp_path / "source"
    scratch.mkdir()
    for child in source_root.iterdir():
        if child.name not in NOT_SOURCE:
            (scratch / child.name).symlink_to(child)
    (scratch / "locale").mkdir()
    monkeypatch.chdir(scratch)
    settings.LOCALE_PATHS = [scratch / "locale"]
    call_command("makemessages", locale=["nb"], symlinks=True, verbosity=0)

    fresh = _msgids(_catalogue(scratch / "locale", "nb"))
    for language in LANGUAGES:
        committed = _msgids(_catalogue(LOCALE_DIR, language))
        missing = sorted(msgid for _context, msgid in fresh - committed)
        stale = sorted(msgid for _context, msgid in committed - fresh)
        assert not missing, f"{language}: strings in the source but not in the catalogue (make makemessages): {missing}"
        assert not stale, f"{language}: strings in the catalogue no longer in the source: {stale}"


def _allauth_entries() -> list[polib.POEntry]:
    """allauth's Bokmål entries used by the parts of allauth Dugnad has installed."""
    return [
        entry
        for entry in polib.pofile(str(ALLAUTH_NB))
        if not entry.obsolete and any(path.startswith(ALLAUTH_PARTS) for path, _line in entry.occurrences)
    ]


@pytest.mark.parametrize("domain", ["django", "djangojs"])
@pytest.mark.parametrize("language", ["nb", "nn"])
def test_the_third_party_catalogue_is_complete(language, domain):
    catalogue = _catalogue(THIRD_PARTY_LOCALE_DIR, language, domain)

    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert catalogue.metadata["Language"] == language
    assert len(catalogue) > 0
    assert not untranslated, f"untranslated: {untranslated[:20]}"
    assert not fuzzy, f"fuzzy: {fuzzy[:20]}"


@pytest.mark.parametrize("domain", ["django", "djangojs"])
@pytest.mark.parametrize("language", ["nb", "nn"])
def test_the_third_party_translations_keep_every_placeholder(language, domain):
    # Also %d, %s and %(name)r, which allauth and Django use, and the HTML tags in their messages.
    placeholder = re.compile(rf"{PLACEHOLDER.pattern}|%\([a-z_0-9]+\)[rsd]|%[sd]|<[^>]+>")
    for entry in _catalogue(THIRD_PARTY_LOCALE_DIR, language, domain).translated_entries():
        for translation, source in _translations_with_sources(entry):
            assert sorted(set(placeholder.findall(translation))) == sorted(set(placeholder.findall(source))), (
                f"{language}: {source!r} -> {translation!r}"
            )


# Nynorsk (allauth ships none) and Bokmål (corrections to allauth's own, e.g. "Bekreftelsese-post").
THIRD_PARTY_LANGUAGES = ["nb", "nn"]


@pytest.mark.parametrize("language", THIRD_PARTY_LANGUAGES)
def test_the_third_party_catalogue_covers_every_allauth_string(language):
    """An allauth upgrade that adds strings fails here; locale_third_party/README.md says what to do."""
    wanted = {(entry.msgctxt or "", entry.msgid, entry.msgid_plural or "") for entry in _allauth_entries()}
    catalogue = _catalogue(THIRD_PARTY_LOCALE_DIR, language)
    held = {(entry.msgctxt or "", entry.msgid, entry.msgid_plural or "") for entry in catalogue if not entry.obsolete}

    missing = sorted(msgid for _context, msgid, _plural in wanted - held)
    assert len(wanted) > 100
    assert not missing, f"{language}: allauth strings not translated (see locale_third_party/README.md): {missing}"


def test_allauth_pages_are_in_nynorsk():
    """Nynorsk pages show the override catalogue, not allauth's Bokmål (needs the compiled .mo file)."""
    bokmal = {entry.msgid: entry.msgstr for entry in _allauth_entries() if not entry.msgctxt}
    already = "Already have an account? Then please %(link)ssign in%(end_link)s."  # account/signup.html
    with override("nn"):
        assert gettext("Sign Up") == "Registrer deg"
        assert gettext(already) == "Har du allereie ein konto? Då kan du %(link)slogge inn%(end_link)s."
        assert gettext("Forgot your password?") == "Gløymt passordet?"
        assert gettext("Forgot your password?") != bokmal["Forgot your password?"]
        assert pgettext("field label", "Login") == "Innlogging"
