"""A person's name as others see it: on public pages, in live frames, feeds and e-mails to others.

Never the e-mail address: accounts made without a display name (``createsuperuser``, imports) are
shown as a neutral "Member <number>".
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext, gettext_lazy


def public_name(user) -> str:
    """``user``'s display name, else "Member <id>" (translated).

    "Former user" where there is no account, "Deleted user" once its personal data is erased.
    """
    if user is None or getattr(user, "pk", None) is None:
        return gettext("Former user")
    if getattr(user, "erased_at", None):
        return gettext("Deleted user")
    name = (getattr(user, "display_name", "") or "").strip()
    return name or gettext("Member %(number)s") % {"number": user.pk}


# Characters a display name may not hold: control characters (line breaks, tabs), format characters
# (bidirectional overrides and isolates, zero-width spaces and joiners, the byte-order mark),
# private-use and unassigned code points, surrogates, and line or paragraph separators. A name with
# them could forge a line of an e-mail, reverse the text around it or look like someone else's.
_FORBIDDEN_CATEGORIES = {"Cc", "Cf", "Co", "Cn", "Cs", "Zl", "Zp"}


def normalise_display_name(value: str) -> str:
    """The display name as stored: NFC (one way to write each letter), without surrounding spaces."""
    return unicodedata.normalize("NFC", value or "").strip()


def validate_display_name(value: str) -> None:
    """Refuse control, bidirectional-override and invisible characters, and names not in NFC."""
    if any(unicodedata.category(character) in _FORBIDDEN_CATEGORIES for character in value):
        raise ValidationError(
            gettext_lazy("Use letters, digits, spaces and punctuation only: no line breaks or invisible characters."),
            code="invalid_characters",
        )
    if unicodedata.normalize("NFC", value) != value:
        raise ValidationError(gettext_lazy("Write the name in composed form (NFC)."), code="not_nfc")
