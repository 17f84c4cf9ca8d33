"""Everything a user reads is translatable, and the three catalogues are complete and current."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
LANGUAGES = [code for code, _name in settings.LANGUAGES]
# What makemessages must not read: tests, dependencies, generated and third-party files.
NOT_SOURCE = {".git", ".venv", "node_modules", "var", "static", "tests", "locale", ".ruff_cache", ".pytest_cache"}
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|\{[a-z_]*\}")


def _catalogue(locale_dir: Path, language: str) -> polib.POFile:
    return polib.pofile(str(locale_dir / language / "LC_MESSAGES" / "django.po"))


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


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_every_placeholder(language):
    for entry in _catalogue(LOCALE_DIR, language).translated_entries():
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for translation in translations:
            assert sorted(PLACEHOLDER.findall(translation)) == sorted(PLACEHOLDER.findall(entry.msgid)), (
                f"{language}: {entry.msgid!r} -> {translation!r}"
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
