"""Forms of the partners admin: decisions on a partnership, new terms, and the CSV import."""

from dataclasses import dataclass

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from cms.admin.access import coordinated_hubs
from partners.models import PARTNERSHIP_TRANSITIONS, PartnershipStatus, PartnerTerms
from partners.services import REASON_REQUIRED
from partners.validators import normalise_organisation_number


@dataclass(frozen=True)
class Decision:
    """A decision a coordinator can take, as offered on the partnership page."""

    to_status: str
    label: Promise
    done_message: Promise
    dangerous: bool = False

    @property
    def reason_required(self) -> bool:
        return self.to_status in REASON_REQUIRED


def _decision(from_status: str, to_status: str) -> Decision:
    if to_status == PartnershipStatus.APPROVED and from_status == PartnershipStatus.SUSPENDED:
        return Decision(to_status, _("Reinstate"), _("%(partner)s is reinstated."))
    if to_status == PartnershipStatus.APPROVED:
        return Decision(to_status, _("Approve"), _("%(partner)s is approved."))
    if to_status == PartnershipStatus.REJECTED:
        return Decision(to_status, _("Reject"), _("The application from %(partner)s is rejected."), dangerous=True)
    if to_status == PartnershipStatus.SUSPENDED:
        return Decision(to_status, _("Suspend"), _("%(partner)s is suspended."), dangerous=True)
    return Decision(to_status, _("End partnership"), _("The partnership with %(partner)s has ended."), dangerous=True)


# The order in which decisions are offered: the usual one first.
DECISION_ORDER = [
    PartnershipStatus.APPROVED,
    PartnershipStatus.REJECTED,
    PartnershipStatus.SUSPENDED,
    PartnershipStatus.ENDED,
]


def decisions_for(status: str) -> list[Decision]:
    """The decisions allowed from ``status`` (applying again is the partner's move, not a decision)."""
    allowed = PARTNERSHIP_TRANSITIONS[status]
    return [_decision(status, to_status) for to_status in DECISION_ORDER if to_status in allowed]


class PartnershipDecisionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, decision: Decision, **kwargs):
        super().__init__(*args, **kwargs)
        self.decision = decision
        reason = self.fields["reason"]
        reason.required = decision.reason_required
        reason.help_text = (
            _("Required. The organisation reads it in the e-mail about your decision.")
            if decision.reason_required
            else _("Optional. The organisation reads it in the e-mail about your decision.")
        )


class PartnerTermsForm(WagtailAdminModelForm):
    """A new version of a hub's terms; only the hubs the person coordinates can be chosen."""

    class Meta:
        model = PartnerTerms
        fields = ["hub", "text"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        hubs = coordinated_hubs(self.for_user)
        self.fields["hub"] = forms.ModelChoiceField(
            queryset=hubs,
            label=_("Hub"),
            initial=hubs.first() if hubs.count() == 1 else None,
            help_text=_("The hub whose partners accept these terms when they apply."),
        )


class PartnersImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "The first row names the columns. UTF-8 or Windows-1252, separated by commas or semicolons; "
            "at most 10,000 rows and 5 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
        required=False,
    )
    dry_run = forms.BooleanField(
        label=_("Dry run: check the file without saving anything"),
        required=False,
        initial=True,
    )
    # The token of a file a dry run checked and the server kept (cms.admin.uploads).
    upload = forms.CharField(required=False, widget=forms.HiddenInput, max_length=64)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("file") and not cleaned.get("upload") and "file" not in self.errors:
            self.add_error("file", forms.ValidationError(_("Choose a CSV file."), code="required"))
        return cleaned


class PartnerAdminForm(WagtailAdminModelForm):
    """The site administrators' partner form: an organisation number may be typed with spaces."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        number = self.fields.get("organisation_number")
        if number is not None:
            # Room for "923 609 016"; the model's validators check the normalised number.
            self.fields["organisation_number"] = forms.CharField(
                label=number.label, help_text=number.help_text, required=False, max_length=20
            )

    def clean_organisation_number(self):
        return normalise_organisation_number(self.cleaned_data.get("organisation_number") or "")
