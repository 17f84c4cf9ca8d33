"""The forms of the discussions admin: a decision in the moderation queue, the queue's hub filter,
suspending someone and lifting a suspension, locking and pinning a thread."""

from datetime import datetime, time, timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.admin.access import coordinated_hubs
from cms.models import HubPage
from discussions import services

REASON_MAX_LENGTH = services.REASON_MAX_LENGTH
DECISIONS = {"hide", "unhide", "dismiss"}


class CommentDecisionForm(forms.Form):
    """One row's decision: which button was pressed, and why (the service says when a reason is required)."""

    comment = forms.IntegerField(widget=forms.HiddenInput)
    action = forms.ChoiceField(choices=[(action, action) for action in sorted(DECISIONS)])
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("For the moderation log. Required to hide or show a comment."),
    )

    def __init__(self, *args, comment_id: int, **kwargs):
        kwargs.setdefault("auto_id", f"comment-{comment_id}-%s")
        kwargs.setdefault("initial", {"comment": comment_id})
        super().__init__(*args, **kwargs)


class QueueFilterForm(forms.Form):
    hub = forms.ModelChoiceField(label=gettext_lazy("Hub"), queryset=HubPage.objects.none(), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hub"].queryset = coordinated_hubs(user)
        self.fields["hub"].empty_label = _("All your hubs")


class CommenterChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        name = obj.display_name or _("(no name)")
        return f"{name} <{obj.email}>"


PERIOD_CHOICES = [
    ("7", gettext_lazy("7 days")),
    ("30", gettext_lazy("30 days")),
    ("until", gettext_lazy("Until a date")),
]


def commenters_in(hubs) -> QuerySet:
    """People who have written in the discussions of ``hubs``: the people one may suspend there."""
    return (
        get_user_model()
        .objects.filter(discussion_comments__thread__hub__in=hubs)
        .distinct()
        .order_by("display_name", "email")
    )


class SuspensionForm(forms.Form):
    hub = forms.ModelChoiceField(label=gettext_lazy("Hub"), queryset=HubPage.objects.none())
    user = CommenterChoiceField(
        label=gettext_lazy("Person"),
        queryset=get_user_model().objects.none(),
        help_text=gettext_lazy("Someone who has written in the discussions of your hubs."),
    )
    period = forms.ChoiceField(
        label=gettext_lazy("For how long"), choices=PERIOD_CHOICES, widget=forms.RadioSelect, initial="7"
    )
    until = forms.DateField(
        label=gettext_lazy("Last day of the suspension"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=gettext_lazy("Only for “Until a date”. They can comment again the day after."),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("For the moderation log."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        hubs = coordinated_hubs(user)
        self.fields["hub"].queryset = hubs
        self.fields["user"].queryset = commenters_in(hubs)

    def clean(self):
        cleaned = super().clean()
        period, until = cleaned.get("period"), cleaned.get("until")
        now = timezone.now()
        if period == "until":
            if until is None:
                self.add_error("until", _("Choose the last day of the suspension."))
                return cleaned
            if until < timezone.localdate():
                self.add_error("until", _("Choose today or a later day."))
                return cleaned
            next_day = datetime.combine(until + timedelta(days=1), time.min)
            cleaned["ends_at"] = timezone.make_aware(next_day)
        elif period:
            cleaned["ends_at"] = now + timedelta(days=int(period))
        return cleaned


class SuspensionLiftForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Optional. For the moderation log."),
    )


class ThreadModerationForm(forms.Form):
    action = forms.ChoiceField(choices=[(a, a) for a in ("lock", "unlock", "pin", "unpin")])
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, locked: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].help_text = (
            _("Optional. For the moderation log.") if locked else _("Required to lock. For the moderation log.")
        )
