"""Forms for the public project pages: the list's filters, proposing a project, posting a progress update.

The forms check what a person can correct on the spot (required fields, dates in order, targets of
the chosen goals, numbers, no markup); ``projects.services`` still decides and writes.
"""

import json
import re

from django import forms
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext_lazy as _

from accounts.images import ACCEPTED_CONTENT_TYPES, reencode_uploaded_image
from accounts.templatetags.ds_forms import ds_options
from cms.forms import MARKDOWN_HELP, LocalizedDecimalField, MarkdownPreviewMixin
from cms.sanitise import active_content
from goals.models import Goal, Target
from partners.models import Partner
from projects.models import ProjectPage, ProjectStatus
from projects.services import ProposalFields

SORT_CHOICES = (("newest", _("Newest first")), ("updated", _("Recently updated")))
UPDATE_IMAGE_SLOTS = 3
UPDATE_IMAGE_MAX_SIDE = 1600
_HTML_TAG = re.compile(r"<\s*[a-zA-Z/!?]")
PLAIN_TEXT_MESSAGE = _("Write plain text: markup such as <script> or other HTML tags is not allowed.")


def reject_markup(value: str) -> str:
    """Plain-text fields stay plain: a tag is refused with a message rather than silently removed."""
    if value and _HTML_TAG.search(value):
        raise forms.ValidationError(PLAIN_TEXT_MESSAGE, code="markup")
    return value


def _field(name: str):
    return ProjectPage._meta.get_field(name)


class GoalChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Goal) -> str:
        return f"{obj.number}. {obj.short_name}"


class GoalMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Goal) -> str:
        return f"{obj.number}. {obj.short_name}"


class TargetMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Target) -> str:
        return f"{obj.code} {obj.title}"


class PartnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class PartnerMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class IndicatorMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


# Above this many approved partners the list's partner filter is no longer a select (see below).
PARTNER_CHOICES_MAX = 100


class ProjectFilterForm(forms.Form):
    """The project list's filters; an unknown value is ignored rather than an error (links get old)."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("Words in the title or summary."),
        widget=forms.SearchInput(attrs={"autocomplete": "off"}),
    )
    goal = forms.TypedChoiceField(label=_("Goal"), required=False, coerce=int, empty_value=None)
    target = forms.ChoiceField(label=_("Target"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    partner = forms.TypedChoiceField(label=_("Partner"), required=False, coerce=int, empty_value=None)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES)

    def __init__(self, *args, goals=(), targets=(), partners=(), **kwargs):
        """``partners``: the hub's approved partners as (pk, name) pairs."""
        super().__init__(*args, **kwargs)
        self._goals = {goal.number: goal for goal in goals}
        self._targets = {target.code: target for target in targets}
        self._partner_names = dict(partners)
        goal_choices = [(goal.number, f"{goal.number}. {goal.short_name}") for goal in goals]
        self.fields["goal"].choices = [("", _("All goals")), *goal_choices]
        self._target_choices(goals, targets)
        self.fields["status"].choices = [("", _("All statuses")), *ProjectStatus.choices]
        self.fields["partner"].choices = [("", _("All partners")), *partners]
        if len(partners) > PARTNER_CHOICES_MAX:
            # Nobody scrolls a list of thousands (and it made the page 200 KB): the partner
            # directory's search finds the organisation, whose page links to its projects here.
            self.fields["partner"].widget = forms.HiddenInput()

    def _target_choices(self, goals, targets) -> None:
        """Targets grouped under their goals (an ``<optgroup>`` each); with a goal chosen, its own only.

        A target of another goal is then no valid choice, so it is ignored like any stale value.
        The select carries every goal's target codes (``data-targets-by-goal``) so that
        ``static/js/target-filter.js`` narrows it as soon as the goal changes; without JavaScript
        it narrows when the form is sent.
        """
        numbers = {goal.pk: goal.number for goal in goals}
        codes: dict[int, list[str]] = {}
        for target in targets:
            if target.goal_id in numbers:
                codes.setdefault(numbers[target.goal_id], []).append(target.code)
        chosen = self.data.get("goal") if self.is_bound else None
        chosen = int(chosen) if str(chosen or "").isdigit() and int(chosen) in codes else None
        self.fields["target"].choices = [
            ("", _("All targets")),
            *(
                (f"{goal.number}. {goal.short_name}", [(code, code) for code in codes[goal.number]])
                for goal in goals
                if goal.number in codes and chosen in (None, goal.number)
            ),
        ]
        self.fields["target"].widget.attrs["data-targets-by-goal"] = json.dumps(codes, separators=(",", ":"))

    def filters(self) -> dict:
        """The valid filters as keyword arguments for ``selectors.project_list``."""
        self.is_valid()  # cleaned_data keeps the valid fields only
        values = self.cleaned_data
        return {
            "goal": self._goals.get(values.get("goal")),
            "target": self._targets.get(values.get("target")),
            "status": values.get("status") or "",
            "partner": self._chosen_partner(values.get("partner")),
            "query": (values.get("q") or "").strip(),
        }

    def _chosen_partner(self, pk) -> Partner | None:
        """The chosen partner as far as the list needs it (its id to filter by, its name to show)."""
        return Partner(pk=pk, name=self._partner_names[pk]) if pk in self._partner_names else None

    def sort_order(self) -> str:
        self.is_valid()
        return self.cleaned_data.get("sort") or SORT_CHOICES[0][0]


class ProjectProposalForm(MarkdownPreviewMixin, forms.Form):
    """A project proposed from the public site, and the proposer's edits while it waits."""

    title = forms.CharField(label=_("Project name"), max_length=255, validators=[reject_markup])
    summary = forms.CharField(
        label=_("Summary"),
        max_length=_field("summary").max_length,
        help_text=_("One or two sentences for lists and feeds."),
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[reject_markup],
    )
    primary_goal = GoalChoiceField(
        label=_("Primary goal"), queryset=Goal.objects.none(), empty_label=_("Choose a goal")
    )
    goals = GoalMultipleChoiceField(
        label=_("Further goals"),
        required=False,
        queryset=Goal.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    targets = TargetMultipleChoiceField(
        label=_("Targets"),
        required=False,
        queryset=Target.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only targets of the goals you chose. Open a goal to see its targets."),
    )
    status = forms.ChoiceField(label=_("Status"), choices=ProjectStatus.choices, initial=ProjectStatus.IDEA)
    start_date = forms.DateField(label=_("Start date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(label=_("End date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    lead_partner = PartnerChoiceField(label=_("Lead partner"), queryset=None, empty_label=_("Choose an organisation"))
    partners = PartnerMultipleChoiceField(
        label=_("Participating partners"),
        required=False,
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Approved partners of this hub that take part."),
    )
    indicators = IndicatorMultipleChoiceField(
        label=_("Indicators this project aims to move"),
        required=False,
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The hub's municipal indicators, if the project is meant to change one of them."),
    )
    location = forms.CharField(label=_("Location"), required=False, max_length=200, validators=[reject_markup])
    contact_name = forms.CharField(
        label=_("Contact person"), required=False, max_length=120, validators=[reject_markup]
    )
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)
    funding_notes = forms.CharField(
        label=_("Funding"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[reject_markup],
    )
    body_text = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=MARKDOWN_HELP,
    )

    @property
    def body_text_preview(self) -> str | None:
        return self.markdown_preview("body_text")

    def __init__(self, *args, goals, targets, lead_partners, partners, indicators=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The hub's indicators (None: the hub has none to offer, and the field is left out).
        if indicators is None:
            del self.fields["indicators"]
        else:
            self.fields["indicators"].queryset = indicators
        self.fields["primary_goal"].queryset = goals
        self.fields["goals"].queryset = goals
        self.fields["targets"].queryset = targets
        self.fields["lead_partner"].queryset = lead_partners
        self.fields["partners"].queryset = partners

    def targets_by_goal(self) -> list[tuple[Goal, list]]:
        """The target checkboxes grouped under their goals, for one <details> per goal."""
        field = self["targets"]
        goals = {goal.pk: goal for goal in self.fields["goals"].queryset}
        targets = {str(target.pk): target.goal_id for target in self.fields["targets"].queryset}
        grouped: dict[int, list] = {}
        for option in ds_options(field):
            grouped.setdefault(targets.get(str(option.data["value"])), []).append(option)
        return [(goals[goal_id], options) for goal_id, options in grouped.items() if goal_id in goals]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date is before the start date."))
        primary = cleaned.get("primary_goal")
        if primary is not None and "targets" in cleaned:
            goal_ids = {primary.pk, *(goal.pk for goal in cleaned.get("goals") or ())}
            stray = [target.code for target in cleaned["targets"] if target.goal_id not in goal_ids]
            if stray:
                self.add_error(
                    "targets",
                    _(
                        "These targets do not belong to the goals you chose: %(codes)s. "
                        "Choose their goals too, or remove them."
                    )
                    % {"codes": ", ".join(stray)},
                )
        return cleaned

    def proposal_fields(self) -> ProposalFields:
        values = self.cleaned_data
        return ProposalFields(
            title=values["title"],
            summary=values["summary"],
            primary_goal=values["primary_goal"],
            goals=list(values.get("goals") or ()),
            targets=list(values.get("targets") or ()),
            status=values["status"],
            start_date=values.get("start_date"),
            end_date=values.get("end_date"),
            lead_partner=values["lead_partner"],
            partners=list(values.get("partners") or ()),
            location=values.get("location", ""),
            contact_name=values.get("contact_name", ""),
            contact_email=values.get("contact_email", ""),
            funding_notes=values.get("funding_notes", ""),
            body_text=values.get("body_text", ""),
            indicators=list(values.get("indicators") or ()),
        )


class ProgressUpdateForm(MarkdownPreviewMixin, forms.Form):
    """A progress update: a date, what happened, optional pictures, one new value per outcome."""

    partner = PartnerChoiceField(label=_("On behalf of"), queryset=None, empty_label=None)
    reported_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    text = forms.CharField(
        label=_("What happened"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=MARKDOWN_HELP,
    )

    @property
    def text_preview(self) -> str | None:
        return self.markdown_preview("text")

    def clean_text(self):
        # Markdown shows HTML as text, but a script pasted here is refused plainly, as in a proposal.
        text = self.cleaned_data["text"]
        found = active_content(text)
        if found:
            raise forms.ValidationError(
                _(
                    "This text contains %(found)s. Scripts and event handlers are not allowed, "
                    "because they could run in the browsers of the people reading it. Remove them and try again."
                )
                % {"found": ", ".join(found)},
                code="active_content",
            )
        return text

    def __init__(self, *args, partners, outcomes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners
        self.outcomes = list(outcomes)
        for outcome in self.outcomes:
            self.fields[f"outcome_{outcome.pk}"] = LocalizedDecimalField(
                label=f"{outcome.title} ({outcome.unit})",
                required=False,
                max_digits=14,
                decimal_places=2,
                help_text=_("Baseline %(baseline)s, target %(target)s by %(date)s. Leave empty if not measured.")
                % {
                    # In the visitor's language, like the numbers they type ("12,5" in Norwegian).
                    "baseline": number_format(outcome.baseline),
                    "target": number_format(outcome.target_value),
                    "date": date_format(outcome.target_date, "SHORT_DATE_FORMAT"),
                },
                error_messages={"invalid": _("Enter a number, for example 12 or 12,5.")},
            )
        for slot in range(1, UPDATE_IMAGE_SLOTS + 1):
            self.fields[f"image_{slot}"] = forms.FileField(
                label=_("Picture %(number)s") % {"number": slot},
                required=False,
                widget=forms.FileInput(attrs={"accept": ACCEPTED_CONTENT_TYPES}),
            )
            self.fields[f"image_{slot}_alt"] = forms.CharField(
                label=_("What picture %(number)s shows") % {"number": slot},
                required=False,
                max_length=250,
                validators=[reject_markup],
                help_text=_("For people who cannot see it."),
            )

    def outcome_fields(self):
        return [self[f"outcome_{outcome.pk}"] for outcome in self.outcomes]

    def image_fields(self):
        return [(self[f"image_{slot}"], self[f"image_{slot}_alt"]) for slot in range(1, UPDATE_IMAGE_SLOTS + 1)]

    def clean(self):
        cleaned = super().clean()
        for slot in range(1, UPDATE_IMAGE_SLOTS + 1):
            upload = cleaned.get(f"image_{slot}")
            if not upload:
                continue
            # Re-encoding proves the file is a picture, strips its metadata and caps its size.
            try:
                cleaned[f"image_{slot}"] = reencode_uploaded_image(upload, max_side=UPDATE_IMAGE_MAX_SIDE)
            except forms.ValidationError as error:
                self.add_error(f"image_{slot}", error)
            if not (cleaned.get(f"image_{slot}_alt") or "").strip():
                self.add_error(f"image_{slot}_alt", _("Describe the picture for people who cannot see it."))
        return cleaned

    def outcome_values(self) -> dict:
        return {
            outcome.pk: self.cleaned_data[f"outcome_{outcome.pk}"]
            for outcome in self.outcomes
            if self.cleaned_data.get(f"outcome_{outcome.pk}") is not None
        }

    def images(self) -> list[tuple]:
        """(re-encoded picture as a ContentFile, alt text) pairs of the pictures given."""
        return [
            (self.cleaned_data[f"image_{slot}"], self.cleaned_data[f"image_{slot}_alt"].strip())
            for slot in range(1, UPDATE_IMAGE_SLOTS + 1)
            if self.cleaned_data.get(f"image_{slot}")
        ]
