"""Forms of the indicators admin: the import, the classification, a perspective."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from goals.models import Goal, Target
from goals.models import Indicator as UnIndicator
from indicators.models import Dimension, Indicator, Perspective, Quality
from indicators.services import IMPORT_MAX_BYTES


class HubChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.title


class IndicatorsImportForm(forms.Form):
    hub = HubChoiceField(label=_("Hub"), queryset=None, empty_label=None)
    file = forms.FileField(
        label=_("File (CSV or JSON-stat)"),
        required=False,
        help_text=_("At most %(size)s MB.") % {"size": IMPORT_MAX_BYTES // (1024 * 1024)},
    )
    # Set by the confirmation after a clean check: the file the server kept (never a path).
    upload = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("file") and not cleaned.get("upload") and "file" not in self.errors:
            self.add_error("file", _("Choose a file."))
        return cleaned

    def __init__(self, *args, hubs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hub"].queryset = hubs
        only = list(hubs[:2])
        if len(only) == 1:
            self.fields["hub"].initial = only[0].pk
            self.fields["hub"].widget = forms.HiddenInput()


class GoalMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Goal) -> str:
        return f"{obj.number}. {obj.short_name}"


class CodedMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.code} {obj.title}"


class ProgressDirectionSelect(forms.NullBooleanSelect):
    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("unknown", _("Neither")), ("true", _("Higher is better")), ("false", _("Lower is better"))]


class IndicatorClassifyForm(forms.Form):
    goals = GoalMultipleChoiceField(
        label=_("Goals"), required=False, queryset=Goal.objects.all(), widget=forms.CheckboxSelectMultiple
    )
    targets = CodedMultipleChoiceField(
        label=_("Targets"),
        required=False,
        queryset=Target.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Targets of the chosen goals. After choosing other goals, save to see their targets."),
    )
    un_indicators = CodedMultipleChoiceField(
        label=_("UN global indicators"),
        required=False,
        queryset=UnIndicator.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The UN's indicators of the chosen targets, if one matches this indicator."),
    )
    dimension = forms.ChoiceField(
        label=_("Sustainability dimension"), required=False, choices=[("", "—"), *Dimension.choices]
    )
    perspective = forms.ModelChoiceField(
        label=_("Perspective"), required=False, queryset=Perspective.objects.none(), empty_label="—"
    )
    quality = forms.ChoiceField(
        label=_("Quality"),
        required=False,
        choices=[("", _("Not assessed")), *Quality.choices],
        help_text=_("Is the indicator fit for the purpose it is used for here?"),
    )
    quality_reason = forms.CharField(
        label=_("Reason for the quality assessment"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when the indicator is only partly fit or not fit."),
    )
    higher_is_better = forms.NullBooleanField(
        label=_("Which way is progress?"),
        required=False,
        widget=ProgressDirectionSelect(),
    )
    description = forms.CharField(
        label=_("Description"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, indicator: Indicator, **kwargs):
        super().__init__(*args, **kwargs)
        goal_ids = set(indicator.goals.values_list("pk", flat=True))
        if self.data:
            goal_ids |= {int(value) for value in self.data.getlist("goals") if str(value).isdigit()}
        target_ids = set(indicator.targets.values_list("pk", flat=True))
        self.fields["targets"].queryset = Target.objects.filter(Q(goal__in=goal_ids) | Q(pk__in=target_ids)).order_by(
            "sort_key"
        )
        self.fields["un_indicators"].queryset = UnIndicator.objects.filter(
            Q(target__in=target_ids)
            | Q(target__in=[int(v) for v in self.data.getlist("targets") if str(v).isdigit()] if self.data else [])
            | Q(pk__in=indicator.un_indicators.values("pk"))
        ).order_by("sort_key")
        self.fields["perspective"].queryset = Perspective.objects.filter(hub_id=indicator.hub_id)


class PerspectiveForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    sort_order = forms.IntegerField(label=_("Order"), min_value=0, max_value=32767, required=False)
