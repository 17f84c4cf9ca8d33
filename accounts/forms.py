"""Forms for the public site: sign-up (through allauth) and the profile page."""

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from accounts.images import ACCEPTED_CONTENT_TYPES
from accounts.models import User
from accounts.names import normalise_display_name, validate_display_name
from accounts.services import AVATAR_MAX_SIDE

DISPLAY_NAME_MAX_LENGTH = User._meta.get_field("display_name").max_length


def _checked_display_name(value: str) -> str:
    """NFC and stripped; refused with control, bidirectional-override or invisible characters."""
    value = normalise_display_name(value)
    validate_display_name(value)
    return value


class SignupForm(AllauthSignupForm):
    """allauth's sign-up form with the display name others will see.

    ``AccountAdapter.save_user`` copies the display name onto the new user.
    """

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=DISPLAY_NAME_MAX_LENGTH,
        help_text=_("The name others see next to what you write. You can change it later."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    field_order = ["email", "display_name", "password1", "password2"]

    def clean_display_name(self):
        return _checked_display_name(self.cleaned_data["display_name"])


class ProfileForm(forms.Form):
    """What a user may change about themselves; ``profile_update`` does the checking and writing."""

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=DISPLAY_NAME_MAX_LENGTH,
        help_text=_("The name others see next to what you write."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    avatar = forms.FileField(
        label=_("New profile picture"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ACCEPTED_CONTENT_TYPES}),
    )
    remove_avatar = forms.BooleanField(label=_("Remove my profile picture"), required=False)

    def clean_display_name(self):
        return _checked_display_name(self.cleaned_data["display_name"])

    preferred_language = forms.ChoiceField(
        label=_("Preferred language"),
        required=False,
        help_text=_("The site switches to this language when you log in."),
    )

    def __init__(self, *args, has_avatar=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["preferred_language"].choices = [("", _("Use my browser's language")), *settings.LANGUAGES]
        # The limit is read here, not at import, so that a changed setting applies at once.
        self.fields["avatar"].help_text = _(
            "JPEG, PNG, WebP or GIF, at most %(size)s. We shrink it to %(side)s × %(side)s pixels "
            "and remove hidden information such as where the photo was taken."
        ) % {"size": filesizeformat(settings.UPLOAD_IMAGE_MAX_BYTES), "side": AVATAR_MAX_SIDE}
        if not has_avatar:
            del self.fields["remove_avatar"]

    def clean_avatar(self):
        # The file is checked by profile_update; an empty optional upload arrives as None.
        return self.cleaned_data.get("avatar") or None


class AccountCloseForm(forms.Form):
    """Closing one's own account: the password confirms it is really them."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    remove_comment_text = forms.BooleanField(
        label=_("Also remove the text of my comments"),
        help_text=_("Without this, your comments stay where they are, signed “Deleted user”."),
        required=False,
    )
