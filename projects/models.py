"""Projects: what a hub's partners do together, tied to the goals and targets they serve.

A project is a Wagtail page (``ProjectPage``) under its hub's ``ProjectIndexPage``, so drafts,
revisions, previews and the moderation workflow come from Wagtail. What partners report over time
(progress updates and measured outcome values) are plain models: they are not edited as part of
the page and must not wait for a publish.
"""

from datetime import date

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from cms import dependency
from cms.blocks import INTRO_RICH_TEXT_FEATURES, BodyBlock
from cms.models import HubSectionMixin
from cms.search_text import NormalisedSearchMixin, normalised_search_fields

DEFAULT_REPORTING_DUE_MONTHS = 6
DEFAULT_REPORTING_OVERDUE_MONTHS = 12


class ProjectStatus(models.TextChoices):
    IDEA = "idea", _("Idea")
    PLANNED = "planned", _("Planned")
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    PAUSED = "paused", _("Paused")
    STOPPED = "stopped", _("Stopped")


class ReportingFreshness(models.TextChoices):
    UP_TO_DATE = "up_to_date", _("Up to date")
    DUE = "due", _("Update due")
    OVERDUE = "overdue", _("Update overdue")


class ProjectIndexPage(HubSectionMixin, RoutablePageMixin, Page):
    """A hub's projects (``<hub>/projects/``): the list with filters, the proposal form, the feed.

    ``HubSectionMixin`` comes first (as on ``PartnerIndexPage``) so that its ``serve`` (the hub's
    language) wraps ``RoutablePageMixin.serve``, which calls the route's view; the other way round
    a route's response would be rendered before the hub's language is switched on.

    It also holds the hub's reporting thresholds: a project whose last progress update is older
    than ``reporting_due_months`` is due, older than ``reporting_overdue_months`` overdue.
    """

    intro = RichTextField(_("introduction"), features=INTRO_RICH_TEXT_FEATURES, blank=True)
    reporting_due_months = models.PositiveSmallIntegerField(
        _("update due after (months)"), default=DEFAULT_REPORTING_DUE_MONTHS
    )
    reporting_overdue_months = models.PositiveSmallIntegerField(
        _("update overdue after (months)"), default=DEFAULT_REPORTING_OVERDUE_MONTHS
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldRowPanel([FieldPanel("reporting_due_months"), FieldPanel("reporting_overdue_months")]),
    ]
    parent_page_types = ["cms.HubPage"]
    subpage_types = ["projects.ProjectPage"]
    max_count_per_parent = 1
    # The label a new hub's menu gives this page, in each language (cms.services.hub_menu_seed).
    menu_label = _("Projects")

    class Meta:
        verbose_name = _("project list")
        verbose_name_plural = _("project lists")

    def clean(self):
        super().clean()
        if self.reporting_overdue_months <= self.reporting_due_months:
            raise ValidationError(
                {"reporting_overdue_months": _("Overdue must come later than due: give more months.")}
            )

    # The views live in projects.views (imported late: it imports forms and services, which import
    # these models). Fixed paths are declared before the one with a parameter.

    @path("", name="list")
    def list_route(self, request):
        from projects import views

        return views.project_index(request, self)

    @path("propose/", name="propose")
    def propose_route(self, request):
        from projects import views

        return views.propose(request, self)

    @path("feed/", name="feed")
    def feed_route(self, request):
        from projects import feeds

        return feeds.HubProjectsFeed()(request, index=self)

    @path("proposals/<int:page_id>/", name="proposal")
    def proposal_route(self, request, page_id):
        from projects import views

        return views.proposal_detail(request, self, page_id)

    @path("proposals/<int:page_id>/edit/", name="proposal_edit")
    def proposal_edit_route(self, request, page_id):
        from projects import views

        return views.proposal_edit(request, self, page_id)


class ProjectPageForm(WagtailAdminPageForm):
    """The admin's form of a project: the indicators on offer (and accepted) are the project's hub's."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("indicators")
        if field is not None:
            page = self.instance if self.instance.pk else self.parent_page
            hub = page.get_hub() if page is not None and hasattr(page, "get_hub") else None
            field.queryset = field.queryset.filter(hub=hub).order_by("name") if hub else field.queryset.none()


class ProjectPage(NormalisedSearchMixin, HubSectionMixin, Page):
    """One project of a hub's partners."""

    summary = models.TextField(_("summary"), max_length=400, help_text=_("One or two sentences for lists and feeds."))
    body = StreamField(BodyBlock(), verbose_name=_("description"), blank=True)
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("main image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hero_image_alt = models.CharField(
        _("alternative text for the main image"),
        max_length=250,
        blank=True,
        help_text=_("What the image shows, for people who cannot see it."),
    )
    primary_goal = models.ForeignKey(
        "goals.Goal", verbose_name=_("primary goal"), on_delete=models.PROTECT, related_name="primary_projects"
    )
    goals = ParentalManyToManyField(
        "goals.Goal", verbose_name=_("further goals"), blank=True, related_name="further_projects"
    )
    targets = ParentalManyToManyField("goals.Target", verbose_name=_("targets"), blank=True, related_name="projects")
    indicators = ParentalManyToManyField(
        "indicators.Indicator",
        verbose_name=_("indicators"),
        blank=True,
        related_name="projects",
        help_text=_("The hub's municipal indicators this project aims to move."),
    )
    status = models.CharField(_("status"), max_length=16, choices=ProjectStatus.choices, default=ProjectStatus.IDEA)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    lead_partner = models.ForeignKey(
        "partners.Partner",
        verbose_name=_("lead partner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_projects",
    )
    partners = ParentalManyToManyField(
        "partners.Partner", verbose_name=_("participating partners"), blank=True, related_name="projects"
    )
    contact_name = models.CharField(_("contact person"), max_length=120, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    funding_notes = models.TextField(_("funding"), max_length=2000, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="proposed_projects",
    )
    last_reported_at = models.DateField(
        _("last progress update"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Kept by the progress-update service, so lists can sort and flag without a query per project."),
    )
    featured = models.BooleanField(
        _("featured"),
        default=False,
        help_text=_("Featured projects are shown first on the hub's home page."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel([FieldPanel("hero_image"), FieldPanel("hero_image_alt")], heading=_("Main image")),
        FieldPanel("body"),
        InlinePanel("gallery_images", label=_("Gallery")),
        MultiFieldPanel(
            [FieldPanel("primary_goal"), FieldPanel("goals"), FieldPanel("targets")], heading=_("Goals and targets")
        ),
        MultiFieldPanel(
            [FieldPanel("status"), FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")])],
            heading=_("Status and dates"),
        ),
        MultiFieldPanel([FieldPanel("lead_partner"), FieldPanel("partners")], heading=_("Partners")),
        FieldPanel("indicators", widget=forms.CheckboxSelectMultiple),
        MultiFieldPanel(
            [FieldPanel("contact_name"), FieldPanel("contact_email"), FieldPanel("location")], heading=_("Contact")
        ),
        FieldPanel("funding_notes"),
        InlinePanel("links", label=_("Links")),
        InlinePanel("outcomes", label=_("Outcomes")),
    ]
    promote_panels = [*Page.promote_panels, FieldPanel("featured")]
    base_form_class = ProjectPageForm
    search_fields = normalised_search_fields(
        [
            *Page.search_fields,
            index.SearchField("summary"),
            index.SearchField("body"),
            index.SearchField("location"),
            index.FilterField("status"),
        ]
    )
    parent_page_types = ["projects.ProjectIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")

    def clean(self):
        super().clean()
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end date is before the start date.")
        if self.hero_image_id and not self.hero_image_alt.strip():
            errors["hero_image_alt"] = _("Describe the main image for people who cannot see it.")
        if errors:
            raise ValidationError(errors)

    def cache_dependencies(self) -> set[str]:
        """What the page shows (``cms.dependency``): itself, its hub's menu and lists, and its own
        thread (the thread block says so); not the hub's other discussions. Its partners' and
        goals' changes replace the page's own key."""
        hub = self.get_hub()
        keys = {dependency.page(self.pk)}
        return keys | {dependency.hub(hub.pk)} if hub is not None else keys | {dependency.SITE}

    def get_context(self, request, *args, **kwargs):
        """The page's context with everything it shows prefetched, and what this visitor may do."""
        from projects import views  # views import selectors and forms, which import these models

        context = super().get_context(request, *args, **kwargs)
        context.update(views.project_page_extra_context(request, self))
        return context

    def reporting_freshness(self, *, today: date, due_months: int, overdue_months: int) -> str:
        """How fresh the project's reporting is; a project that never reported counts from its start."""
        last = self.last_reported_at or (self.first_published_at.date() if self.first_published_at else None)
        if last is None:
            return ReportingFreshness.UP_TO_DATE
        months = (today.year - last.year) * 12 + (today.month - last.month) - (today.day < last.day)
        if months >= overdue_months:
            return ReportingFreshness.OVERDUE
        if months >= due_months:
            return ReportingFreshness.DUE
        return ReportingFreshness.UP_TO_DATE


class ProjectGalleryImage(Orderable):
    project = ParentalKey(ProjectPage, on_delete=models.CASCADE, related_name="gallery_images")
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("image"), on_delete=models.CASCADE, related_name="+"
    )
    alt_text = models.CharField(
        _("alternative text"), max_length=250, help_text=_("What the image shows, for people who cannot see it.")
    )
    caption = models.CharField(_("caption"), max_length=250, blank=True)

    panels = [FieldPanel("image"), FieldPanel("alt_text"), FieldPanel("caption")]


class ProjectLink(Orderable):
    project = ParentalKey(ProjectPage, on_delete=models.CASCADE, related_name="links")
    url = models.URLField(_("web address"))
    title = models.CharField(_("link text"), max_length=200)

    panels = [FieldPanel("title"), FieldPanel("url")]


class Outcome(Orderable):
    """A commitment in the SMART style of the UN partnership register: what, unit, from, to, by when."""

    project = ParentalKey(ProjectPage, on_delete=models.CASCADE, related_name="outcomes")
    title = models.CharField(_("what is measured"), max_length=200)
    unit = models.CharField(_("unit"), max_length=40, help_text=_("For example tonnes CO₂, participants, %."))
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2)
    target_value = models.DecimalField(_("target value"), max_digits=14, decimal_places=2)
    target_date = models.DateField(_("target date"))

    panels = [
        FieldPanel("title"),
        FieldPanel("unit"),
        FieldRowPanel([FieldPanel("baseline"), FieldPanel("target_value"), FieldPanel("target_date")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")

    def __str__(self):
        return f"{self.title} ({self.unit})"


class ProgressUpdate(models.Model):
    """A dated report by one of the project's partners: text, optional pictures, new outcome values."""

    project = models.ForeignKey(ProjectPage, on_delete=models.CASCADE, related_name="progress_updates")
    partner = models.ForeignKey("partners.Partner", on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reported_on = models.DateField(_("date"))
    text = RichTextField(_("what happened"), features=INTRO_RICH_TEXT_FEATURES + ["ol", "ul"])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["-reported_on", "-pk"]

    def __str__(self):
        return f"{self.project} {self.reported_on}"


class ProgressUpdateImage(models.Model):
    update = models.ForeignKey(ProgressUpdate, on_delete=models.CASCADE, related_name="images")
    image = models.ForeignKey("wagtailimages.Image", on_delete=models.CASCADE, related_name="+")
    alt_text = models.CharField(_("alternative text"), max_length=250)

    def __str__(self):
        return self.alt_text


class OutcomeMeasurement(models.Model):
    """A measured value of an outcome, reported with a progress update."""

    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="measurements")
    update = models.ForeignKey(ProgressUpdate, on_delete=models.CASCADE, related_name="measurements")
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    measured_on = models.DateField(_("measured on"))

    class Meta:
        ordering = ["measured_on", "pk"]
        verbose_name = _("measured value")
        verbose_name_plural = _("measured values")

    def __str__(self):
        return f"{self.outcome}: {self.value} ({self.measured_on})"
