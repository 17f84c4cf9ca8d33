"""A hub's municipal indicators, classified the KS/SSB way.

KS and Statistics Norway's model for measuring a municipality's status on the goals is not a new
indicator set but a way to classify the indicators a municipality already has: which goals and
targets (and which dimension of sustainability) an indicator speaks to, the perspective it is used
from, and whether it is fit for that purpose. An indicator holds one or more series of yearly
values: the municipality's own and, optionally, reference series (the county, the country).
"""

import re

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

region_code_validator = RegexValidator(
    r"^[0-9A-Za-z]{1,12}$", _("Enter a region code of letters and digits, such as 1507 or 0 for the whole country.")
)


URL_SAFE_CODE = re.compile(r"[\w-]+")


class Dimension(models.TextChoices):
    """The three dimensions of sustainability."""

    SOCIAL = "social", _("social")
    ECONOMIC = "economic", _("economic")
    ENVIRONMENTAL = "environmental", _("environmental")


class Quality(models.TextChoices):
    """Whether an indicator is fit for the purpose it is used for (KS/SSB); empty until assessed."""

    FIT = "fit", _("fit for purpose")
    PARTLY_FIT = "partly_fit", _("partly fit for purpose")
    NOT_FIT = "not_fit", _("not fit for purpose")


class Perspective(models.Model):
    """A point of view an indicator is used from ("the municipality as a service provider", ...).

    Each hub edits its own list.
    """

    hub = models.ForeignKey("cms.HubPage", on_delete=models.CASCADE, related_name="indicator_perspectives")
    name = models.CharField(_("name"), max_length=120)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("perspective")
        verbose_name_plural = _("perspectives")
        ordering = ["hub", "sort_order", "name"]
        constraints = [models.UniqueConstraint(fields=["hub", "name"], name="indicators_perspective_unique_name")]

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    """One measure a hub's municipality follows, identified in the hub by its code."""

    hub = models.ForeignKey("cms.HubPage", on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("code"), max_length=40, help_text=_("The code in the source, for example KOSTRA's."))
    name = models.CharField(_("name"), max_length=250)
    unit = models.CharField(_("unit"), max_length=60, blank=True, help_text=_("For example %, kg per person."))
    source = models.CharField(
        _("source"), max_length=250, blank=True, help_text=_("For example Statistics Norway, table 12345.")
    )
    description = models.TextField(_("description"), max_length=2000, blank=True)
    fictional = models.BooleanField(
        _("fictional"), default=False, help_text=_("Demonstration data: the indicator's pages say it is made up.")
    )
    higher_is_better = models.BooleanField(
        _("higher is better"), null=True, blank=True, help_text=_("Which way is progress? Leave empty if neither.")
    )
    # The KS/SSB classification.
    goals = models.ManyToManyField(
        "goals.Goal", verbose_name=_("goals"), blank=True, related_name="municipal_indicators"
    )
    targets = models.ManyToManyField(
        "goals.Target", verbose_name=_("targets"), blank=True, related_name="municipal_indicators"
    )
    dimension = models.CharField(_("sustainability dimension"), max_length=16, choices=Dimension.choices, blank=True)
    perspective = models.ForeignKey(
        Perspective,
        verbose_name=_("perspective"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="indicators",
    )
    quality = models.CharField(_("quality"), max_length=16, choices=Quality.choices, blank=True)
    quality_reason = models.TextField(_("reason for the quality assessment"), max_length=1000, blank=True)
    un_indicators = models.ManyToManyField(
        "goals.Indicator",
        verbose_name=_("UN global indicators"),
        blank=True,
        related_name="municipal_indicators",
        help_text=_("The UN's global indicators this one matches, if any."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["hub", "code"]
        constraints = [models.UniqueConstraint(fields=["hub", "code"], name="indicators_indicator_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        """``<hub>/indicators/<code>/`` (a hub route): give lists their hub (``select_related`` or the one
        they know) so that this asks nothing."""
        hub_url = self.hub.url
        return f"{hub_url}indicators/{self.url_key}/" if hub_url else ""

    @property
    def url_key(self) -> str:
        """The indicator's part of its address: its code, or ``_<id>`` for a code Wagtail's page
        addresses cannot carry (they allow letters, digits, ``_`` and ``-`` only)."""
        return self.code if URL_SAFE_CODE.fullmatch(self.code) else f"_{self.pk}"


class Series(models.Model):
    """An indicator's yearly values for one region: the hub's municipality, or a reference."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="series")
    region_code = models.CharField(_("region code"), max_length=12, validators=[region_code_validator])
    region_name = models.CharField(_("region"), max_length=120, blank=True)
    is_reference = models.BooleanField(
        _("reference"), default=False, help_text=_("A series to compare with, such as the county's or the country's.")
    )

    class Meta:
        verbose_name = _("series")
        verbose_name_plural = _("series")
        ordering = ["indicator", "is_reference", "region_code"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "region_code"], name="indicators_series_unique_region")
        ]

    def __str__(self) -> str:
        return self.region_name or self.region_code


class Value(models.Model):
    """One year's figure in a series."""

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="values")
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=4)

    class Meta:
        verbose_name = _("value")
        verbose_name_plural = _("values")
        ordering = ["series", "year"]
        constraints = [models.UniqueConstraint(fields=["series", "year"], name="indicators_value_unique_year")]

    def __str__(self) -> str:
        return f"{self.year}: {self.value}"
