from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from projects import selectors as project_selectors


class EmbedOptionsForm(forms.Form):
    """What the share dialog lets one choose: a goal (or all) and the embed's language."""

    goal = forms.TypedChoiceField(label=_("Goal"), required=False, coerce=int, empty_value=None)
    lang = forms.ChoiceField(label=_("Language"), choices=())

    def __init__(self, *args, hub_language: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].choices = [("", _("All goals"))] + [
            (goal.number, f"{goal.number}. {goal.short_name}") for goal in project_selectors.goal_catalogue()
        ]
        self.fields["lang"].choices = list(settings.LANGUAGES)
        self.fields["lang"].initial = hub_language
