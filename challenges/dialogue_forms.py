"""The market dialogue's forms (meetings, slot series, booking, summary). They only collect and shape
input; ``challenges.dialogue`` decides."""

from django import forms
from django.utils.translation import gettext_lazy as _

from challenges.models import SLOT_MINUTES_MAX, SLOT_MINUTES_MIN, SLOTS_MAX
from cms.forms import MARKDOWN_HELP, MarkdownPreviewMixin
from cms.validators import validate_organisation_number
from events.forms import OsloDateTimeField


class DialogueMeetingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4}), help_text=MARKDOWN_HELP
    )
    starts_at = OsloDateTimeField(label=_("Starts (Norwegian time)"))
    ends_at = OsloDateTimeField(label=_("Ends (Norwegian time)"))
    address = forms.CharField(label=_("Place"), max_length=300, required=False)
    online_url = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")
    capacity = forms.IntegerField(
        label=_("Capacity"), min_value=1, required=False, help_text=_("Empty means no limit.")
    )


class SlotSeriesForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, initial=_("One-to-one meetings"))
    starts_at = OsloDateTimeField(label=_("The first meeting starts (Norwegian time)"))
    slot_minutes = forms.IntegerField(
        label=_("Length of each meeting (minutes)"),
        min_value=SLOT_MINUTES_MIN,
        max_value=SLOT_MINUTES_MAX,
        help_text=_("Every meeting in the series has the same length: equal treatment of suppliers."),
    )
    slot_count = forms.IntegerField(label=_("Number of meetings"), min_value=1, max_value=SLOTS_MAX)
    pause_minutes = forms.IntegerField(
        label=_("Pause between meetings (minutes)"), min_value=0, max_value=120, initial=0, required=False
    )
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    online_url = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")
    booking_closes_at = OsloDateTimeField(
        label=_("Booking and cancelling close (Norwegian time)"),
        required=False,
        help_text=_("The same for everyone. Empty: a day before the first meeting."),
    )


class SlotBookingForm(forms.Form):
    slot = forms.TypedChoiceField(label=_("Time"), coerce=int, widget=forms.RadioSelect)
    partner = forms.ModelChoiceField(
        label=_("Book for"),
        queryset=None,
        required=False,
        empty_label=_("Another organisation (give its number below)"),
    )
    organisation_number = forms.CharField(
        label=_("Organisation number"), max_length=11, required=False, validators=[validate_organisation_number]
    )
    organisation_name = forms.CharField(label=_("Organisation name"), max_length=200, required=False)

    def __init__(self, *args, slots=(), partners=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].choices = list(slots)
        self.fields["partner"].queryset = partners
        if partners is not None and not partners.exists():
            del self.fields["partner"]

    def clean(self):
        data = super().clean()
        if not data.get("partner") and not self.errors.get("organisation_number"):
            if not data.get("organisation_number"):
                self.add_error("organisation_number", _("Give your organisation number (nine digits)."))
            if not data.get("organisation_name"):
                self.add_error("organisation_name", _("Give your organisation's name."))
        return data


class DialogueSummaryForm(MarkdownPreviewMixin, forms.Form):
    summary = forms.CharField(
        label=_("Summary of the meetings"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=MARKDOWN_HELP,
    )

    @property
    def summary_preview(self) -> str | None:
        return self.markdown_preview("summary")
