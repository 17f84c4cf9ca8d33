"""Forms for the public consultation pages and the coordinators' admin."""

from django import forms
from django.utils.translation import gettext_lazy as _

from consultations.models import AccessCode, AgeBand, Consultation, Question, QuestionKind


class CodeEntryForm(forms.Form):
    code = forms.CharField(label=_("Your code"), max_length=20, widget=forms.TextInput(attrs={"autocomplete": "off"}))
    age_band = forms.ChoiceField(label=_("How old are you?"), choices=AgeBand.choices, widget=forms.RadioSelect)


class ConsultationForm(forms.ModelForm):
    class Meta:
        model = Consultation
        fields = ["hub", "project", "title", "intro", "opens_at", "closes_at", "results_policy", "plain_language"]
        widgets = {
            "opens_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "closes_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        }

    def __init__(self, *args, hubs, **kwargs):
        super().__init__(*args, **kwargs)
        from projects.models import ProjectPage

        self.fields["hub"].queryset = hubs
        self.fields["hub"].empty_label = None
        projects = ProjectPage.objects.none()
        for hub in hubs:
            projects |= ProjectPage.objects.descendant_of(hub)
        self.fields["project"].queryset = projects.order_by("title")


class QuestionForm(forms.ModelForm):
    options_text = forms.CharField(
        label=_("Options, one a line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For single choice, multiple choice and ranking."),
    )

    class Meta:
        model = Question
        fields = ["order", "kind", "text", "help_text", "required", "low_label", "high_label"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["order"].required = False
        if not self.instance.pk:
            self.initial["order"] = None
        if self.instance.pk:
            self.fields["options_text"].initial = "\n".join(o.text for o in self.instance.options.all())

    def clean(self):
        cleaned = super().clean()
        lines = [line.strip() for line in (cleaned.get("options_text") or "").splitlines() if line.strip()]
        if cleaned.get("kind") in (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.RANKING) and len(lines) < 2:
            self.add_error("options_text", _("Give at least two options, one a line."))
        cleaned["options"] = lines
        return cleaned


QuestionFormSet = forms.inlineformset_factory(
    Consultation, Question, form=QuestionForm, extra=2, can_delete=True, fk_name="consultation"
)


class AccessCodeForm(forms.ModelForm):
    class Meta:
        model = AccessCode
        fields = ["label", "expires_at", "max_answers"]
        widgets = {"expires_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")}


class SummaryForm(forms.Form):
    summary = forms.CharField(
        label=_("What we heard, what we will do"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Markdown: paragraphs, lists, links, *emphasis*."),
    )
