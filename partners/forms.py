"""Forms for the public partner pages: applying, the organisation's profile, invitations, the directory filter.

The forms check what a person can correct on the spot (format, required fields, a duplicate
organisation number); the services in ``partners.services`` still decide and write.
"""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.rich_text import expand_db_html

from accounts.images import ACCEPTED_CONTENT_TYPES
from cms.forms import MARKDOWN_HELP, LocalizedDecimalField, MarkdownPreviewMixin
from cms.markdown import html_to_markdown, markdown_html
from goals.models import Goal
from goals.selectors import goals_in_order
from partners.models import Partner, PartnerKind, PartnerRole, PartnershipStatus
from partners.selectors import partner_by_organisation_number
from partners.services import LOGO_MAX_SIDE
from partners.validators import normalise_organisation_number, validate_organisation_number

# The 2030 Agenda's five areas ("the five Ps"): the goal checkboxes are grouped by them.
GOAL_GROUPS = (
    (_("People"), range(1, 7)),
    (_("Prosperity"), range(7, 12)),
    (_("Planet"), range(12, 16)),
    (_("Peace"), range(16, 17)),
    (_("Partnership"), range(17, 18)),
)
FOCUS_THEMES_MAX = 20
FOCUS_THEME_MAX_LENGTH = 100


def _field(name: str):
    return Partner._meta.get_field(name)


class GoalChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Goal) -> str:
        return f"{obj.number}. {obj.short_name}"


class PartnerProfileForm(MarkdownPreviewMixin, forms.Form):
    """An organisation's public profile: used to register a new one and by its administrators to edit it."""

    name = forms.CharField(
        label=capfirst(_field("name").verbose_name),
        max_length=_field("name").max_length,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    kind = forms.ChoiceField(label=_("Kind of organisation"), choices=[("", _("Choose a kind")), *PartnerKind.choices])
    organisation_number = forms.CharField(
        label=_("Organisation number"),
        required=False,
        max_length=20,
        help_text=_field("organisation_number").help_text,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ACCEPTED_CONTENT_TYPES}),
    )
    remove_logo = forms.BooleanField(label=_("Remove the current logo"), required=False)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=MARKDOWN_HELP,
    )
    website = forms.URLField(
        label=_("Website"),
        required=False,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"autocomplete": "url", "placeholder": "https://"}),
    )
    public_email = forms.EmailField(
        label=_("Public contact e-mail"),
        required=False,
        help_text=_("Shown on the organisation's public page."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    municipality = forms.CharField(
        label=_("Postal municipality"), required=False, max_length=_field("municipality").max_length
    )
    latitude = LocalizedDecimalField(
        label=_("Latitude"),
        required=False,
        max_digits=8,
        decimal_places=5,
        min_value=-90,
        max_value=90,
        help_text=_("For the map, for example 62.47225."),
    )
    longitude = LocalizedDecimalField(
        label=_("Longitude"),
        required=False,
        max_digits=8,
        decimal_places=5,
        min_value=-180,
        max_value=180,
        help_text=_("For example 6.15492."),
    )
    goals = GoalChoiceField(
        label=_("Sustainable Development Goals"),
        required=False,
        queryset=goals_in_order(),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "ds-input"}),
        help_text=_("Choose the goals the organisation works on."),
    )
    focus_themes = forms.CharField(
        label=_("Focus themes"),
        required=False,
        max_length=1000,
        help_text=_("Separate themes with commas, for example: circular economy, public health, ocean."),
    )

    def __init__(self, *args, user=None, partner: Partner | None = None, **kwargs):
        self.user = user
        self.partner = partner
        self.existing_partner: Partner | None = None
        super().__init__(*args, **kwargs)
        self.fields["logo"].help_text = _(
            "JPEG, PNG, WebP or GIF, at most %(size)s. We shrink it to at most %(side)s pixels on its longest "
            "side and remove hidden information."
        ) % {"size": filesizeformat(settings.UPLOAD_IMAGE_MAX_BYTES), "side": LOGO_MAX_SIDE}
        if partner is None or not partner.logo_id:
            del self.fields["remove_logo"]

    def goal_groups(self):
        """The goal checkboxes in the 2030 Agenda's five areas, as (label, [checkbox, ...])."""
        checkboxes = list(self["goals"])
        groups = []
        for label, numbers in GOAL_GROUPS:
            members = [box for box in checkboxes if box.data["value"].instance.number in numbers]
            if members:
                groups.append((label, members))
        return groups

    def clean_organisation_number(self):
        number = normalise_organisation_number(self.cleaned_data.get("organisation_number") or "")
        if not number:
            return ""
        validate_organisation_number(number)
        existing = partner_by_organisation_number(number)
        if existing is not None and (self.partner is None or existing.pk != self.partner.pk):
            self.existing_partner = existing
            raise forms.ValidationError(self._duplicate_message(existing), code="duplicate")
        return number

    def _duplicate_message(self, existing: Partner) -> str:
        """Say that the organisation exists, without telling anything that is not public about it."""
        if self.user is not None and existing.members.filter(user=self.user, role=PartnerRole.ADMINISTRATOR).exists():
            return _(
                "%(name)s is already registered, and you are one of its administrators. "
                "Apply with it instead of registering it again."
            ) % {"name": existing.name}
        if existing.partnerships.filter(status=PartnershipStatus.APPROVED).exists():
            return _(
                "This organisation is already registered as %(name)s. Ask its administrators to invite you, "
                "then you can act for it."
            ) % {"name": existing.name}
        return _(
            "An organisation with this organisation number is already registered. Ask its administrators to "
            "invite you, then you can act for it."
        )

    @property
    def description_preview(self) -> str | None:
        return self.markdown_preview("description")

    def clean_description(self):
        # Written in the site's Markdown subset; stored as the sanitised HTML it renders to.
        return markdown_html((self.cleaned_data.get("description") or "").strip())

    def clean_focus_themes(self):
        themes = []
        for theme in (self.cleaned_data.get("focus_themes") or "").split(","):
            theme = " ".join(theme.split())
            if theme and theme.lower() not in {existing.lower() for existing in themes}:
                themes.append(theme)
        if len(themes) > FOCUS_THEMES_MAX:
            raise forms.ValidationError(
                _("Give at most %(count)s focus themes.") % {"count": FOCUS_THEMES_MAX}, code="too_many"
            )
        if any(len(theme) > FOCUS_THEME_MAX_LENGTH for theme in themes):
            raise forms.ValidationError(
                _("A focus theme can have at most %(count)s characters.") % {"count": FOCUS_THEME_MAX_LENGTH},
                code="too_long",
            )
        return themes

    def clean_logo(self):
        # The picture itself is checked (and re-encoded) by the service; an empty upload is None.
        return self.cleaned_data.get("logo") or None

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if (
            kind
            and kind != PartnerKind.CITIZEN_INITIATIVE
            and "organisation_number" in cleaned
            and not cleaned["organisation_number"]
        ):
            self.add_error(
                "organisation_number", _("An organisation number is required, except for citizen initiatives.")
            )
        latitude, longitude = cleaned.get("latitude"), cleaned.get("longitude")
        if "latitude" in cleaned and "longitude" in cleaned and (latitude is None) != (longitude is None):
            self.add_error(
                "longitude" if longitude is None else "latitude", _("Give both latitude and longitude, or neither.")
            )
        return cleaned

    def service_fields(self) -> dict:
        """The cleaned values under the names ``partner_create`` and ``partner_update`` take."""
        data = self.cleaned_data
        return {
            "name": data["name"],
            "kind": data["kind"],
            "organisation_number": data["organisation_number"],
            "website": data["website"],
            "description": data["description"],
            "public_email": data["public_email"],
            "municipality": data["municipality"],
            "latitude": data["latitude"],
            "longitude": data["longitude"],
            "goals": list(data["goals"]),
            "focus_themes": data["focus_themes"],
            "logo_upload": data["logo"],
        }

    @classmethod
    def initial_for(cls, partner: Partner) -> dict:
        """The form's starting values for an existing organisation."""
        return {
            "name": partner.name,
            "kind": partner.kind,
            "organisation_number": partner.organisation_number,
            "website": partner.website,
            "description": html_to_markdown(expand_db_html(partner.description)),
            "public_email": partner.public_email,
            "municipality": partner.municipality,
            "latitude": partner.latitude,
            "longitude": partner.longitude,
            "goals": list(partner.goals.all()),
            "focus_themes": ", ".join(sorted(tag.name for tag in partner.focus_themes.all())),
        }


class TermsAcceptanceMixin(forms.Form):
    """A required "I accept the terms" box when the hub has terms, tied to the version the person read."""

    accept_terms = forms.BooleanField(label=_("I have read and accept the partner terms"), required=False)
    terms_version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def setup_terms(self, terms) -> None:
        self.terms = terms
        if terms is None:
            del self.fields["accept_terms"]
            del self.fields["terms_version"]
        else:
            self.fields["accept_terms"].required = True
            self.fields["accept_terms"].error_messages["required"] = _("You must accept the partner terms to apply.")
            self.fields["terms_version"].initial = terms.pk

    def clean(self):
        cleaned = super().clean()
        if self.terms is not None and cleaned.get("terms_version") != self.terms.pk:
            self.add_error(
                "accept_terms" if "accept_terms" not in self.errors else None,
                forms.ValidationError(
                    _("The partner terms have changed since you opened this page. Read the new terms and accept them."),
                    code="terms_changed",
                ),
            )
        return cleaned


class NewPartnerApplicationForm(TermsAcceptanceMixin, PartnerProfileForm):
    """Register a new organisation and apply with it in one go."""

    def __init__(self, *args, terms=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_terms(terms)

    @property
    def existing_partner_administered(self) -> bool:
        return (
            self.existing_partner is not None
            and self.user is not None
            and self.existing_partner.members.filter(user=self.user, role=PartnerRole.ADMINISTRATOR).exists()
        )


class ExistingPartnerApplicationForm(TermsAcceptanceMixin, forms.Form):
    """Apply with an organisation the person already administers."""

    partner = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Partner.objects.none(),
        widget=forms.RadioSelect(attrs={"class": "ds-input"}),
        empty_label=None,
        error_messages={"required": _("Choose the organisation to apply with.")},
    )

    def __init__(self, *args, partners=None, statuses=None, terms=None, **kwargs):
        super().__init__(*args, **kwargs)
        statuses = statuses or {}
        field = self.fields["partner"]
        field.queryset = partners if partners is not None else Partner.objects.none()
        field.label_from_instance = lambda partner: (
            _("%(name)s (earlier application %(status)s)")
            % {"name": partner.name, "status": statuses[partner.pk].lower()}
            if partner.pk in statuses
            else partner.name
        )
        self.setup_terms(terms)


class MemberInviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    role = forms.ChoiceField(label=_("Role"), choices=PartnerRole.choices, initial=PartnerRole.MEMBER)


class DirectoryFilterForm(forms.Form):
    """The directory's filters; an unknown value is ignored rather than an error."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("Name, description, municipality or focus theme."),
        widget=forms.SearchInput(attrs={"autocomplete": "off"}),
    )
    kind = forms.ChoiceField(label=_("Kind of organisation"), required=False)
    goal = forms.TypedChoiceField(label=_("Goal"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, goals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds")), *PartnerKind.choices]
        self.fields["goal"].choices = [("", _("All goals")), *((goal.number, str(goal)) for goal in goals)]

    def filters(self) -> dict:
        """The valid filters as keyword arguments for ``selectors.directory_partners``."""
        self.is_valid()  # cleaned_data keeps the valid fields only
        values = self.cleaned_data
        return {"query": values.get("q") or "", "kind": values.get("kind") or "", "goal_number": values.get("goal")}
