"""The review's parameters: the period (years or dates) and the language, and the hub in the admin's form."""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cms.admin.access import coordinated_hubs
from reviews.selectors import Period

LANGUAGES = (("nb", _("Norwegian Bokmål")), ("nn", _("Norwegian Nynorsk")), ("en", _("English")))
_YEAR = re.compile(r"^\d{4}$")


def _parse(value: str, *, end: bool) -> datetime.date:
    """A year ("2024": its first or last day) or a date ("2024-03-01")."""
    value = value.strip()
    try:
        if _YEAR.match(value):
            year = int(value)
            day = datetime.date(year, 12, 31) if end else datetime.date(year, 1, 1)
        else:
            day = datetime.date.fromisoformat(value)
    except ValueError:
        raise ValidationError(_("Enter a year such as 2024 or a date such as 2024-03-01."), code="invalid") from None
    if not 1900 <= day.year <= 2100:
        raise ValidationError(_("Enter a year between 1900 and 2100."), code="invalid")
    return day


class ReviewPeriodForm(forms.Form):
    """What the review's addresses take: ``?from=2024&to=2026&lang=nn`` (dates such as 2024-03-01 too)."""

    start = forms.CharField(label=_("From (year or date)"), max_length=10)
    end = forms.CharField(label=_("To (year or date)"), max_length=10)
    lang = forms.ChoiceField(label=_("Language"), choices=LANGUAGES)

    def __init__(self, data=None, **kwargs):
        if data is not None:
            # "from" is a Python keyword, so the fields are named start/end and read from/to.
            data = {"start": data.get("from", ""), "end": data.get("to", ""), "lang": data.get("lang", "")}
        super().__init__(data, **kwargs)

    def clean_start(self) -> datetime.date:
        return _parse(self.cleaned_data["start"], end=False)

    def clean_end(self) -> datetime.date:
        return _parse(self.cleaned_data["end"], end=True)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end of the period is before its start."))
        return cleaned

    @property
    def period(self) -> Period:
        return Period(self.cleaned_data["start"], self.cleaned_data["end"])


class ReviewForm(forms.Form):
    """The admin's form: which hub, which period, which language."""

    hub = forms.ModelChoiceField(label=_("Hub"), queryset=None, empty_label=None)
    start = forms.IntegerField(label=_("From year"), min_value=1900, max_value=2100)
    end = forms.IntegerField(label=_("To year"), min_value=1900, max_value=2100)
    lang = forms.ChoiceField(label=_("Language"), choices=LANGUAGES)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hub"].queryset = coordinated_hubs(user)
        this_year = timezone.localdate().year
        self.fields["start"].initial = this_year - 2
        self.fields["end"].initial = this_year

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end of the period is before its start."))
        return cleaned
