"""Forms for events: registration (public) and the coordinators' event form (admin)."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from events.models import OSLO, Event
from events.services import NEEDS_MAX_CHARS


class RegistrationForm(forms.Form):
    """The questions the event asks (dietary and accessibility needs), both optional."""

    dietary_needs = forms.CharField(
        label=_("Dietary needs"),
        required=False,
        max_length=NEEDS_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Allergies, vegetarian, halal … Leave empty if none."),
    )
    accessibility_needs = forms.CharField(
        label=_("Accessibility needs"),
        required=False,
        max_length=NEEDS_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sign language interpreter, seat near the front, a companion … Leave empty if none."),
    )

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        if not event.ask_dietary_needs:
            del self.fields["dietary_needs"]
        if not event.ask_accessibility_needs:
            del self.fields["accessibility_needs"]
        self.retention_days = settings.EVENT_PERSONAL_DATA_RETENTION_DAYS


class OsloDateTimeField(forms.DateTimeField):
    """A date and time typed in Norwegian time (``datetime-local``), whatever the server's zone."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"])
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if hasattr(value, "astimezone") and value.tzinfo is not None:
            value = value.astimezone(OSLO).replace(tzinfo=None)
        return super().prepare_value(value)

    def to_python(self, value):
        result = super().to_python(value)
        if result is not None:
            result = result.replace(tzinfo=None).replace(tzinfo=OSLO)
        return result


class EventForm(forms.ModelForm):
    """The coordinators' form; ``hub`` limits the projects and partners that can be chosen."""

    starts_at = OsloDateTimeField(label=_("Starts (Norwegian time)"))
    ends_at = OsloDateTimeField(label=_("Ends (Norwegian time)"))
    online_url = forms.URLField(label=_("Online link"), required=False, assume_scheme="https", max_length=200)

    class Meta:
        model = Event
        fields = [
            "title",
            "kind",
            "description",
            "starts_at",
            "ends_at",
            "address",
            "step_free_access",
            "hearing_loop",
            "accessible_toilet",
            "accessibility_notes",
            "online_url",
            "goals",
            "partners",
            "project",
            "capacity",
            "ask_dietary_needs",
            "ask_accessibility_needs",
            "status",
        ]
        widgets = {"goals": forms.CheckboxSelectMultiple, "partners": forms.CheckboxSelectMultiple}

    def __init__(self, *args, hub, **kwargs):
        super().__init__(*args, **kwargs)
        from partners.models import Partner, PartnershipStatus
        from projects.models import ProjectPage

        self.hub = hub
        self.fields["partners"].queryset = Partner.objects.filter(
            partnerships__hub=hub, partnerships__status=PartnershipStatus.APPROVED
        ).order_by("name")
        self.fields["project"].queryset = ProjectPage.objects.descendant_of(hub).order_by("title")
        self.fields["goals"].queryset = self.fields["goals"].queryset.order_by("number")
