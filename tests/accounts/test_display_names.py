"""Display names refuse control characters (CR/LF), bidirectional overrides and invisible
characters, and are stored in NFC: on the model field, the profile service and the forms."""

import pytest
from django.core.exceptions import ValidationError

from accounts.forms import ProfileForm, SignupForm
from accounts.names import validate_display_name
from accounts.services import profile_update
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

BAD = {
    "line break": "Kari\r\nBcc: alle@example.org",
    "tab": "Kari\tNordmann",
    "right-to-left override": "Kari \u202egnp.exe",
    "left-to-right isolate": "Kari \u2066Nordmann\u2069",
    "zero-width space": "Ka\u200bri",
    "zero-width joiner": "Kari\u200d",
    "byte-order mark": "\ufeffKari",
    "soft hyphen": "Ka\u00adri",
    "line separator": "Kari\u2028Nordmann",
}
DECOMPOSED = "Bjo\u0308rn A\u030asen"  # "Björn Åsen" written with combining marks
COMPOSED = "Bj\u00f6rn \u00c5sen"


@pytest.mark.parametrize("name", list(BAD))
def test_bad_characters_are_refused_everywhere(name):
    value = BAD[name]
    with pytest.raises(ValidationError) as error:
        validate_display_name(value)
    assert error.value.code == "invalid_characters"
    user = UserFactory(display_name="Kari")
    with pytest.raises(ValidationError) as error:
        profile_update(user=user, display_name=value, avatar=None, remove_avatar=False, preferred_language="")
    assert "display_name" in error.value.error_dict
    user.refresh_from_db()
    assert user.display_name == "Kari"
    user.display_name = value
    with pytest.raises(ValidationError):
        user.full_clean()
    form = ProfileForm(data={"display_name": value})
    assert not form.is_valid() and "display_name" in form.errors
    signup = SignupForm(data={"email": "ny@example.org", "display_name": value, "password1": "x", "password2": "x"})
    assert not signup.is_valid() and "display_name" in signup.errors


def test_names_are_stored_composed():
    user = UserFactory(display_name="Kari")
    profile_update(user=user, display_name=f"  {DECOMPOSED} ", avatar=None, remove_avatar=False, preferred_language="")
    user.refresh_from_db()
    assert user.display_name == COMPOSED
    form = ProfileForm(data={"display_name": DECOMPOSED})
    assert form.is_valid() and form.cleaned_data["display_name"] == COMPOSED
    with pytest.raises(ValidationError) as error:
        validate_display_name(DECOMPOSED)
    assert error.value.code == "not_nfc"


def test_ordinary_names_in_every_script_pass():
    for name in ("Kari Nordmann", "Ærlige Øystein-Åse", "Mohammed al-Sayed", "محمد", "Łukasz O'Brien", "李小龙"):
        validate_display_name(name)
