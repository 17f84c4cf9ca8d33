"""The UN Sustainable Development Goals catalogue: 17 goals, their targets and their indicators.

The rows come from files shipped in the repository (`goals/data/sdg/`, loaded by `goals.loading`),
not from editors, so these models carry no editing workflow.
"""

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

GOAL_NUMBERS = range(1, 18)

hex_colour_validator = RegexValidator(r"^#[0-9A-F]{6}$", _("Enter a colour as #RRGGBB with capital letters."))


def catalogue_language() -> str:
    """Which stored language to show for the active Django language: "en", "nn" or "nb".

    Any other language the site might add before the data has it gets Bokmål, the site's default.
    """
    language = (get_language() or "").lower()
    if language == "en" or language.startswith("en-"):
        return "en"
    if language == "nn" or language.startswith("nn-"):
        return "nn"
    return "nb"


def goal_number_of(code: str) -> int:
    """The goal a target or indicator code belongs to: 11 for "11.6" and for "11.6.1"."""
    return int(code.split(".", 1)[0])


class LocalisedTitles(models.Model):
    """Picks `<field>_en`, `<field>_nn` or `<field>_nb` by the active language; see `catalogue_language`.

    A Nynorsk text may be empty (the Nynorsk files may lack a row): Nynorsk readers then get Bokmål.

    An abstract model rather than a plain mixin so that migrations do not import it as a base.
    """

    class Meta:
        abstract = True

    def _localised(self, field: str) -> str:
        return getattr(self, f"{field}_{catalogue_language()}") or getattr(self, f"{field}_nb")

    @property
    def title(self) -> str:
        return self._localised("title")


class Goal(LocalisedTitles):
    number = models.PositiveSmallIntegerField(
        _("number"), unique=True, validators=[MinValueValidator(1), MaxValueValidator(17)]
    )
    short_name_en = models.CharField(_("short name (English)"), max_length=100)
    short_name_nb = models.CharField(_("short name (Bokmål)"), max_length=100)
    short_name_nn = models.CharField(_("short name (Nynorsk)"), max_length=100, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=300)
    title_nb = models.CharField(_("title (Bokmål)"), max_length=300)
    title_nn = models.CharField(_("title (Nynorsk)"), max_length=300, blank=True)
    colour = models.CharField(
        _("colour"), max_length=7, validators=[hex_colour_validator], help_text=_("The goal's official colour.")
    )
    text_colour = models.CharField(
        _("text colour"),
        max_length=7,
        validators=[hex_colour_validator],
        help_text=_("Text colour on the goal's colour, chosen for a WCAG AA contrast of at least 4.5:1."),
    )

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(condition=models.Q(number__gte=1, number__lte=17), name="goals_goal_number_1_to_17"),
        ]

    def __str__(self):
        return f"{self.number}. {self.short_name}"

    def get_absolute_url(self):
        return reverse("goal_detail", kwargs={"number": self.number})

    @property
    def short_name(self) -> str:
        return self._localised("short_name")

    @property
    def css_class(self) -> str:
        """The class in static/css/goals.css that paints an element in this goal's colours (no inline styles: CSP)."""
        return f"goal-colour-{self.number}"


class Target(LocalisedTitles):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="targets", verbose_name=_("goal"))
    code = models.CharField(_("code"), max_length=8, unique=True, help_text=_("For example 11.6 or 1.a."))
    title_en = models.TextField(_("title (English)"))
    title_nb = models.TextField(_("title (Bokmål)"))
    title_nn = models.TextField(_("title (Nynorsk)"), blank=True)
    sort_key = models.PositiveIntegerField(
        _("sort key"), editable=False, help_text=_("Puts numbered targets before lettered ones: 1.1 … 1.5, 1.a, 1.b.")
    )

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["sort_key"]

    def __str__(self):
        return self.code

    def get_absolute_url(self):
        # From the code, not self.goal, so that a list of targets costs no query per row.
        return reverse("goal_detail", kwargs={"number": goal_number_of(self.code)}) + f"#{self.anchor}"

    @property
    def anchor(self) -> str:
        """Fragment id on the goal's page; dots would need escaping in CSS selectors, so dashes."""
        return "target-" + self.code.replace(".", "-")


class Indicator(LocalisedTitles):
    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("target"))
    code = models.CharField(_("code"), max_length=12, unique=True, help_text=_("For example 11.6.1."))
    title_en = models.TextField(_("title (English)"))
    title_nb = models.TextField(_("title (Bokmål)"))
    title_nn = models.TextField(_("title (Nynorsk)"), blank=True)
    sort_key = models.PositiveIntegerField(_("sort key"), editable=False)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["sort_key"]

    def __str__(self):
        return self.code

    def get_absolute_url(self):
        return reverse("goal_detail", kwargs={"number": goal_number_of(self.code)}) + f"#{self.anchor}"

    @property
    def anchor(self) -> str:
        return "indicator-" + self.code.replace(".", "-")
