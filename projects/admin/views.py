"""The coordinators' side of projects in the Wagtail admin: the "Projects overdue" report and the
dashboard panel that points to it.

Editing, reviewing and publishing projects is Wagtail's own page editor and moderation workflow;
who may edit which project follows from the page permissions of each hub's coordinators group.
What Wagtail lacks is a view of reporting: which projects have not posted a progress update for
too long, by the thresholds each hub sets on its ``ProjectIndexPage``. That is what lives here.
"""

import calendar
import datetime
from dataclasses import dataclass

from django.db.models import DateField, Q
from django.db.models.functions import Cast, Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from cms.admin.access import coordinated_hubs, forbidden
from projects.models import ProjectIndexPage, ProjectPage, ReportingFreshness

REPORT_URL_NAME = "projects_admin_overdue"


@dataclass(frozen=True)
class ReportingRow:
    """One project that needs an update, with what the report shows about it."""

    project: ProjectPage
    hub_title: str
    last_update: datetime.date | None
    freshness: str
    freshness_label: str
    lead_partner_name: str
    edit_url: str

    @property
    def overdue(self) -> bool:
        return self.freshness == ReportingFreshness.OVERDUE


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` earlier, clamped to the end of a shorter month.

    A project whose last report is on or before this date is at least ``months`` full months
    old by the rule of ``ProjectPage.reporting_freshness``.
    """
    total = day.year * 12 + (day.month - 1) - months
    year, month = divmod(total, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def can_use_projects_report(user) -> bool:
    """The report is for site administrators and coordinators of some hub (the same circle as the
    partners section of the admin)."""
    return coordinated_hubs(user).exists()


def _indexes_for(user) -> list[ProjectIndexPage]:
    """The project lists of the hubs ``user`` coordinates (every hub for site administrators)."""
    hubs = list(coordinated_hubs(user).only("pk", "path", "depth", "title"))
    if not hubs:
        return []
    under_hubs = Q()
    for hub in hubs:
        under_hubs |= Q(path__startswith=hub.path, depth=hub.depth + 1)
    indexes = list(ProjectIndexPage.objects.filter(under_hubs))
    titles = {hub.path: hub.title for hub in hubs}
    for index in indexes:
        index.hub_title = titles.get(index.path[: -ProjectIndexPage.steplen], "")
    return indexes


def _with_last_update(index: ProjectIndexPage):
    """The index's live projects with ``last_update``: the last report, or the first publication for
    a project that never reported (the date ``ProjectPage.reporting_freshness`` counts from)."""
    return (
        ProjectPage.objects.live()
        .child_of(index)
        .annotate(last_update=Coalesce("last_reported_at", Cast("first_published_at", DateField())))
    )


def reporting_counts(user, today: datetime.date) -> tuple[int, int]:
    """How many projects in the hubs ``user`` coordinates are overdue and how many due: two counts
    per hub, whatever the number of projects (the dashboard asks on every visit)."""
    overdue = due = 0
    for index in _indexes_for(user):
        projects = _with_last_update(index)
        overdue_cutoff = months_before(today, index.reporting_overdue_months)
        due_cutoff = months_before(today, index.reporting_due_months)
        overdue += projects.filter(last_update__lte=overdue_cutoff).count()
        due += projects.filter(last_update__gt=overdue_cutoff, last_update__lte=due_cutoff).count()
    return overdue, due


def projects_needing_update(user, today: datetime.date) -> list[ReportingRow]:
    """Live projects in the hubs ``user`` coordinates whose reporting is due or overdue.

    The database narrows the projects to those whose last report (or first publication, for a
    project that never reported) is older than the hub's "due" threshold; the exact verdict is
    ``ProjectPage.reporting_freshness``, so the report and the project pages never disagree.
    Overdue projects come first, the longest silent at the top.
    """
    rows = []
    for index in _indexes_for(user):
        # One day of slack: first publication is a timestamp, the verdict below is exact.
        cutoff = months_before(today, index.reporting_due_months) + datetime.timedelta(days=1)
        projects = (
            _with_last_update(index)
            .filter(last_update__lte=cutoff)
            .select_related("lead_partner")
            .order_by("last_update", "title")
        )
        for project in projects:
            freshness = project.reporting_freshness(
                today=today, due_months=index.reporting_due_months, overdue_months=index.reporting_overdue_months
            )
            if freshness == ReportingFreshness.UP_TO_DATE:
                continue
            rows.append(
                ReportingRow(
                    project=project,
                    hub_title=index.hub_title,
                    last_update=project.last_reported_at,
                    freshness=freshness,
                    freshness_label=ReportingFreshness(freshness).label,
                    lead_partner_name=project.lead_partner.name if project.lead_partner else "",
                    edit_url=reverse("wagtailadmin_pages:edit", args=[project.pk]),
                )
            )
    rows.sort(key=lambda row: (not row.overdue, row.project.last_update or today, row.project.title))
    return rows


class ProjectsOverdueView(WagtailAdminTemplateMixin, TemplateView):
    """Projects whose progress updates are due or overdue, in the hubs this person coordinates."""

    template_name = "projects/admin/overdue.html"
    page_title = gettext_lazy("Projects overdue")
    header_icon = "warning"

    def dispatch(self, request, *args, **kwargs):
        if not can_use_projects_report(request.user):
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = projects_needing_update(self.request.user, timezone.localdate())
        context.update(
            rows=rows,
            overdue_count=sum(row.overdue for row in rows),
            due_count=sum(not row.overdue for row in rows),
        )
        return context


class ProjectsOverduePanel(Component):
    """The dashboard's panel: how many projects in one's hubs are overdue with their reporting.

    Proposals waiting for review are in Wagtail's own "Awaiting your review" panel already.
    """

    name = "projects_overdue"
    template_name = "projects/admin/dashboard_panel.html"
    order = 95

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        overdue, due = reporting_counts(self.request.user, timezone.localdate())
        context.update(
            overdue_count=overdue,
            due_count=due,
            report_url=reverse(REPORT_URL_NAME),
        )
        return context
