"""The public forms of challenges. They only collect and shape input; the services decide."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.templatetags.ds_forms import ds_options
from challenges.models import Maturity, Phase
from cms.forms import MARKDOWN_HELP, MarkdownPreviewMixin
from cms.validators import validate_organisation_number


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(one, initial) for one in data]
        return [single(data, initial)] if data else []


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("Your question"), max_length=4_000, widget=forms.Textarea(attrs={"rows": 4}))
    organisation_number = forms.CharField(
        label=_("Organisation number"),
        max_length=11,
        required=False,
        validators=[validate_organisation_number],
        help_text=_("Nine digits, if you ask for a supplier that is not a partner here."),
    )
    anonymous = forms.BooleanField(label=_("Publish the question without my name"), required=False)


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), max_length=8_000, widget=forms.Textarea(attrs={"rows": 5}))
    anonymise = forms.BooleanField(label=_("Publish without the asker's name"), required=False)


class SubmissionForm(forms.Form):
    partner = forms.ModelChoiceField(
        label=_("Submit for"),
        queryset=None,
        required=False,
        empty_label=_("Another organisation (give its number below)"),
    )
    organisation_number = forms.CharField(
        label=_("Organisation number"), max_length=11, required=False, validators=[validate_organisation_number]
    )
    organisation_name = forms.CharField(label=_("Organisation name"), max_length=200, required=False)
    description = forms.CharField(label=_("Your solution"), max_length=20_000, widget=forms.Textarea(attrs={"rows": 8}))
    maturity = forms.ChoiceField(label=_("Maturity"), choices=Maturity.choices, widget=forms.RadioSelect)
    price_indication = forms.CharField(label=_("Price indication"), max_length=200)
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_("PDF, Word, Excel, OpenDocument or images, at most 10 MB each and five in all."),
    )

    def __init__(self, *args, requirements=(), partners=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners
        if partners is not None and not partners.exists():
            del self.fields["partner"]
        self.requirements = list(requirements)
        for requirement in self.requirements:
            self.fields[f"requirement_{requirement.pk}"] = forms.CharField(
                label=requirement.text,
                max_length=4_000,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_("How your solution meets this requirement."),
            )

    def clean(self):
        data = super().clean()
        if not data.get("partner") and not self.errors.get("organisation_number"):
            if not data.get("organisation_number"):
                self.add_error("organisation_number", _("Give your organisation number (nine digits)."))
            if not data.get("organisation_name"):
                self.add_error("organisation_name", _("Give your organisation's name."))
        return data

    def answers(self) -> dict:
        return {r.pk: self.cleaned_data.get(f"requirement_{r.pk}", "") for r in self.requirements}

    def requirement_fields(self):
        return [self[f"requirement_{r.pk}"] for r in self.requirements]


class DeclarationForm(forms.Form):
    conflict = forms.TypedChoiceField(
        label=_("Impartiality"),
        choices=[("no", _("I am impartial towards this organisation")), ("yes", _("I have a conflict of interest"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class ScoreForm(forms.Form):
    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"score_{criterion.pk}"] = forms.IntegerField(
                label=_("%(criterion)s (weight %(weight)s): score 0–10")
                % {"criterion": criterion.name, "weight": criterion.weight},
                min_value=0,
                max_value=10,
            )
            self.fields[f"why_{criterion.pk}"] = forms.CharField(
                label=_("Justification for %(criterion)s") % {"criterion": criterion.name},
                max_length=4_000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )


class AwardForm(forms.Form):
    submission = forms.ModelChoiceField(label=_("Award to"), queryset=None, widget=forms.RadioSelect, empty_label=None)
    reasons = forms.CharField(
        label=_("Reasons for the decision"), max_length=8_000, widget=forms.Textarea(attrs={"rows": 4})
    )
    summary = forms.CharField(
        label=_("Summary for the public page"), max_length=5_000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, submissions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["submission"].queryset = submissions
        self.fields["submission"].label_from_instance = lambda s: s.organisation_name


class PhaseForm(forms.Form):
    phase = forms.ChoiceField(label=_("Phase"), choices=Phase.choices)


class EvaluatorForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the evaluator"))


class CriteriaForm(forms.Form):
    """One criterion a line, ``name: weight`` (``Quality: 60``)."""

    criteria = forms.CharField(
        label=_("Evaluation criteria"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One a line, a name and its weight: “Quality: 60”. Locked once the deadline has passed."),
    )

    def clean_criteria(self):
        rows = []
        for line in self.cleaned_data["criteria"].splitlines():
            if not line.strip():
                continue
            name, _sep, weight = line.rpartition(":")
            if not name.strip() or not weight.strip().isdigit():
                raise forms.ValidationError(_("Write each line as a name, a colon and a whole number: “Quality: 60”."))
            rows.append((name.strip(), int(weight)))
        if not rows:
            raise forms.ValidationError(_("Give at least one criterion."))
        return rows


# --- The editor (challenges.editor_views) ---------------------------------------------------------


def parse_criteria(text: str) -> list[tuple[str, int]]:
    """``Quality: 60`` lines into (name, weight) pairs; a malformed line is an error."""
    rows = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        name, _sep, weight = line.rpartition(":")
        if not name.strip() or not weight.strip().isdigit():
            raise forms.ValidationError(_("Write each line as a name, a colon and a whole number: “Quality: 60”."))
        rows.append((name.strip(), int(weight)))
    return rows


class GoalChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.number}. {obj.short_name}"


class TargetChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.code} {obj.title}"


class NamedChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class NamedMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


DEADLINE_FORMAT = "%Y-%m-%dT%H:%M"


class ChallengeForm(MarkdownPreviewMixin, forms.Form):
    """A challenge's fields for its coordinators and the owning partner's people. Criteria appear
    only for those who may set them (until the deadline), evaluators only for coordinators."""

    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=400,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One or two sentences for the list of challenges."),
    )
    need = forms.CharField(
        label=_("The need"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=MARKDOWN_HELP,
    )
    owner_unit = forms.CharField(
        label=_("Who has the need"), max_length=200, help_text=_("The municipal unit, such as “Oppvekst og skole”.")
    )
    owner_partner = NamedChoiceField(
        label=_("Owning partner"), queryset=None, required=False, empty_label=_("No partner")
    )
    why = forms.CharField(
        label=_("Why it matters"), max_length=5_000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    primary_goal = GoalChoiceField(
        label=_("Primary goal"), queryset=None, required=False, empty_label=_("Choose a goal")
    )
    targets = TargetChoiceField(
        label=_("Targets"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The targets this need is about. Open a goal to see its targets."),
    )
    indicators = NamedMultipleChoiceField(
        label=_("The hub's indicators"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Municipal indicators a solution should move."),
    )
    budget_min = forms.IntegerField(label=_("Budget from (NOK)"), min_value=0, required=False)
    budget_max = forms.IntegerField(label=_("Budget up to (NOK)"), min_value=0, required=False)
    notice_id = forms.CharField(
        label=_("Notice id"),
        max_length=20,
        required=False,
        help_text=_("The id of the public notice in the national procurement notice database, such as 2026-123456."),
    )
    submission_deadline = forms.DateTimeField(
        label=_("Deadline for solutions"),
        required=False,
        input_formats=[DEADLINE_FORMAT, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DEADLINE_FORMAT),
    )
    requirements = forms.CharField(
        label=_("Functional requirements"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One a line: what a solution must do, not how. Fixed once a solution has answered them."),
    )
    criteria = forms.CharField(
        label=_("Evaluation criteria"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One a line, a name and its weight: “Quality: 60”. Locked once the deadline has passed."),
    )
    evaluators = forms.CharField(
        label=_("Evaluators"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("E-mail addresses of their accounts, one a line. Evaluators see the confidential solutions."),
    )

    def __init__(self, *args, partners, goals, targets, indicators, with_criteria, with_evaluators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_partner"].queryset = partners
        self.fields["primary_goal"].queryset = goals
        self.fields["targets"].queryset = targets
        if indicators is None:
            del self.fields["indicators"]
        else:
            self.fields["indicators"].queryset = indicators
        if not with_criteria:
            del self.fields["criteria"]
        if not with_evaluators:
            del self.fields["evaluators"]
        self.phase_fields = []
        for value, label in Phase.choices:
            name = f"phase_{value}"
            self.fields[name] = forms.DateField(
                label=label, required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
            )
            self.phase_fields.append(name)

    @property
    def need_preview(self) -> str | None:
        return self.markdown_preview("need")

    def phase_bound_fields(self):
        return [self[name] for name in self.phase_fields]

    def targets_by_goal(self) -> list[tuple]:
        """The target checkboxes under their goals, for one <details> per goal."""
        goals = {goal.pk: goal for goal in self.fields["primary_goal"].queryset}
        goal_of = {str(t.pk): t.goal_id for t in self.fields["targets"].queryset}
        grouped: dict[int, list] = {}
        for option in ds_options(self["targets"]):
            grouped.setdefault(goal_of.get(str(option.data["value"])), []).append(option)
        return [(goals[goal_id], options) for goal_id, options in grouped.items() if goal_id in goals]

    def clean_criteria(self):
        return parse_criteria(self.cleaned_data.get("criteria", ""))

    def clean_evaluators(self):
        emails = [line.strip() for line in self.cleaned_data.get("evaluators", "").splitlines() if line.strip()]
        if not emails:
            return []
        query = Q()
        for email in emails:
            query |= Q(email__iexact=email)
        users = {user.email.lower(): user for user in get_user_model().objects.filter(query)}
        missing = [email for email in emails if email.lower() not in users]
        if missing:
            raise forms.ValidationError(
                _("Nobody has an account with these e-mail addresses: %(emails)s") % {"emails": ", ".join(missing)}
            )
        return [users[email.lower()] for email in emails]

    def clean(self):
        data = super().clean()
        low, high = data.get("budget_min"), data.get("budget_max")
        if low is not None and high is not None and high < low:
            self.add_error("budget_max", _("The upper budget must not be below the lower one."))
        return data

    def service_fields(self) -> dict:
        """The cleaned values as the keyword arguments of ``challenge_create``/``challenge_update``."""
        data = self.cleaned_data
        fields = {
            name: data.get(name)
            for name in ("title", "summary", "need", "owner_unit", "owner_partner", "why", "primary_goal")
        }
        fields.update(
            targets=list(data.get("targets") or ()),
            indicators=list(data.get("indicators") or ()),
            budget_min=data.get("budget_min"),
            budget_max=data.get("budget_max"),
            notice_id=data.get("notice_id", ""),
            submission_deadline=data.get("submission_deadline"),
            requirements=[line for line in data.get("requirements", "").splitlines() if line.strip()],
            phase_dates={name.removeprefix("phase_"): data.get(name) for name in self.phase_fields},
        )
        if "criteria" in self.fields:
            fields["criteria"] = data.get("criteria", [])
        if "evaluators" in self.fields:
            fields["evaluators"] = data.get("evaluators", [])
        return fields

    @staticmethod
    def initial_for(challenge) -> dict:
        initial = {
            name: getattr(challenge, name)
            for name in ("title", "summary", "need", "owner_unit", "why", "budget_min", "budget_max", "notice_id")
        }
        initial.update(
            owner_partner=challenge.owner_partner_id,
            primary_goal=challenge.primary_goal_id,
            targets=[t.pk for t in challenge.targets.all()],
            indicators=[i.pk for i in challenge.indicators.all()],
            submission_deadline=timezone.localtime(challenge.submission_deadline)
            if challenge.submission_deadline
            else None,
            requirements="\n".join(r.text for r in challenge.requirements.all()),
            criteria="\n".join(f"{c.name}: {c.weight}" for c in challenge.criteria.all()),
            evaluators="\n".join(e.user.email for e in challenge.evaluators.select_related("user")),
            **{f"phase_{d.phase}": d.starts_on for d in challenge.phase_dates.all()},
        )
        return initial


class DocumentForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=255, required=False, help_text=_("The file's name if left empty.")
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, Word, Excel, PowerPoint or OpenDocument text, at most 20 MB. Documents are public."),
    )


class IdeaChallengeForm(forms.Form):
    owner_unit = forms.CharField(
        label=_("Who has the need"), max_length=200, help_text=_("The municipal unit, such as “Oppvekst og skole”.")
    )
