"""The public forms of challenges. They only collect and shape input; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from challenges.models import Maturity, Phase
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
