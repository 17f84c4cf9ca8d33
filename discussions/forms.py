"""Forms of the public discussion pages.

They check only what a person can correct on the spot (something written, a reason chosen);
``discussions.services`` decides everything else (length, links, rate, permission) and the views
show its errors on these forms. No field has a ``maxlength``: a browser silently cuts pasted text
at that length, and text must never be lost; the service says how long is too long instead.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from discussions.models import ReportReason

BODY_HELP = _(
    "You can write *emphasis*, **bold**, lists, links and > quotes. Mention someone in the discussion with @name."
)
EMPTY_BODY = _("Write something before you send.")


def _body_field(label):
    return forms.CharField(
        label=label,
        help_text=BODY_HELP,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": EMPTY_BODY},
        strip=False,
    )


class _BodyForm(forms.Form):
    """The text is kept exactly as typed (``strip=False``); only text that is all blank is refused."""

    def clean_body(self):
        body = self.cleaned_data["body"]
        if not body.strip():
            raise forms.ValidationError(EMPTY_BODY, code="required")
        return body


class CommentForm(_BodyForm):
    """A comment, or a reply to the comment ``reply_to``."""

    body = _body_field(_("Your comment"))
    reply_to = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)


class CommentEditForm(_BodyForm):
    body = _body_field(_("Your comment"))


class CommentReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong with this comment?"),
        choices=ReportReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a reason.")},
    )
    note = forms.CharField(
        label=_("Anything the coordinators should know"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ModerationReasonForm(forms.Form):
    """Why a coordinator hides, shows, locks or unlocks: kept in the moderation log."""

    reason = forms.CharField(
        label=_("Reason"),
        help_text=_("Kept in the moderation log with your name."),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why, for the moderation log.")},
    )

    def __init__(self, *args, reason_required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = reason_required


class TopicForm(_BodyForm):
    """A new forum topic: its title and its first comment."""

    title = forms.CharField(
        label=_("Title"),
        help_text=_("Say in a few words what the topic is about."),
        error_messages={"required": _("Give the topic a title.")},
    )
    body = _body_field(_("Your first comment"))
