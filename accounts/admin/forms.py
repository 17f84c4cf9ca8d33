"""Wagtail admin user forms for Dugnad's e-mail-only user.

Wagtail's own forms require a first and last name; Dugnad keeps those columns blank (Wagtail
expects them to exist) and shows people by their display name, so the admin edits that instead.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.users.forms import UserCreationForm as WagtailUserCreationForm
from wagtail.users.forms import UserEditForm as WagtailUserEditForm

PROFILE_FIELDS = {"display_name", "preferred_language"}


class UserCreationForm(WagtailUserCreationForm):
    first_name = None
    last_name = None
    display_name = forms.CharField(label=_("Display name"), max_length=80)

    class Meta(WagtailUserCreationForm.Meta):
        fields = (WagtailUserCreationForm.Meta.fields - {"first_name", "last_name"}) | PROFILE_FIELDS


class UserEditForm(WagtailUserEditForm):
    first_name = None
    last_name = None
    display_name = forms.CharField(label=_("Display name"), max_length=80)

    class Meta(WagtailUserEditForm.Meta):
        fields = (WagtailUserEditForm.Meta.fields - {"first_name", "last_name"}) | PROFILE_FIELDS


class AccountCloseOnRequestForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("The person has asked for their account to be deleted"),
        help_text=_("The account is closed now and its personal data erased after the grace period."),
    )
    remove_comment_text = forms.BooleanField(
        label=_("Also remove the text of their comments"), required=False, help_text=_("Only if they asked for it.")
    )
