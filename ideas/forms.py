from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.images import ACCEPTED_CONTENT_TYPES
from goals.models import Goal
from ideas.models import ANSWER_MAX_LENGTH, TEXT_MAX_LENGTH, TITLE_MAX_LENGTH, IdeaStatus


class IdeaForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX_LENGTH)
    text = forms.CharField(
        label=_("Your idea"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What should be done, where, and why. You can use *italics*, **bold**, lists and links."),
    )
    goals = forms.ModelMultipleChoiceField(
        label=_("Goals"),
        queryset=Goal.objects.order_by("number"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Which of the Sustainable Development Goals the idea helps."),
    )
    picture = forms.FileField(
        label=_("Picture"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPTED_CONTENT_TYPES}),
    )
    picture_description = forms.CharField(label=_("What the picture shows"), max_length=200, required=False)


class IdeaEditForm(IdeaForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["picture"]
        del self.fields["picture_description"]


class IdeaAnswerForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=IdeaStatus.choices)
    answer = forms.CharField(
        label=_("Answer"),
        max_length=ANSWER_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown on the idea's page. Required for “Not now”: say why."),
    )


class IdeaHideForm(forms.Form):
    reason = forms.CharField(label=_("Reason for hiding"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class IdeaProjectForm(forms.Form):
    lead_partner = forms.ModelChoiceField(label=_("Lead partner"), queryset=None, empty_label=None)
    primary_goal = forms.ModelChoiceField(label=_("Primary goal"), queryset=Goal.objects.order_by("number"))

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_partner"].queryset = partners
