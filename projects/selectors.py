"""Reads of projects that are more than one line: lists with filters, a project page's context.

List selectors cost a fixed number of queries whatever the data size: related rows are joined or
prefetched, and the image renditions the cards show are prefetched with them.
"""

import calendar
from dataclasses import dataclass
from datetime import date

from django.db.models import DateField, F, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce, TruncDate
from django.utils.translation import gettext_lazy as _
from wagtail.images import get_image_model
from wagtail.models import WorkflowState

from cms.models import HubPage
from cms.permissions import is_site_administrator
from projects.models import (
    Outcome,
    OutcomeMeasurement,
    ProgressUpdate,
    ProgressUpdateImage,
    ProjectGalleryImage,
    ProjectIndexPage,
    ProjectPage,
)

CARD_IMAGE_RENDITION = "fill-480x270"
HERO_IMAGE_RENDITION = "fill-1200x630"
GALLERY_IMAGE_RENDITION = "fill-480x360"
GALLERY_FULL_RENDITION = "max-1600x1200"
UPDATE_IMAGE_RENDITION = "max-800x600"
SORT_NEWEST = "newest"
SORT_UPDATED = "updated"
SORTS = (SORT_NEWEST, SORT_UPDATED)


def _images(*specs: str):
    return get_image_model().objects.prefetch_renditions(*specs)


def _for_cards(queryset: QuerySet[ProjectPage]) -> QuerySet[ProjectPage]:
    """What a project card shows: goals, lead partner and the hero image's card rendition."""
    return queryset.select_related("primary_goal", "lead_partner").prefetch_related(
        "goals", Prefetch("hero_image", queryset=_images(CARD_IMAGE_RENDITION))
    )


def _published() -> QuerySet[ProjectPage]:
    """Live projects without a view restriction (Wagtail's ``public()``), the only ones lists show."""
    return ProjectPage.objects.live().public()


def _sorted(queryset: QuerySet[ProjectPage], sort: str) -> QuerySet[ProjectPage]:
    if sort == SORT_UPDATED:
        return queryset.order_by(
            F("last_reported_at").desc(nulls_last=True), F("latest_revision_created_at").desc(nulls_last=True), "-pk"
        )
    return queryset.order_by(F("first_published_at").desc(nulls_last=True), "-pk")


def _through_ids(field: str, **lookup) -> QuerySet:
    """Project ids from a ParentalManyToMany table, as a subquery: filtering on it adds no duplicate rows."""
    through = getattr(ProjectPage, field).through
    return through.objects.filter(**lookup).values("projectpage_id")


def _serving_goal(goal) -> Q:
    return Q(primary_goal=goal) | Q(pk__in=_through_ids("goals", goal=goal))


def _with_partner(partner) -> Q:
    return Q(lead_partner=partner) | Q(pk__in=_through_ids("partners", partner=partner))


def _index_of(index_or_hub: ProjectIndexPage | HubPage) -> ProjectIndexPage | None:
    if isinstance(index_or_hub, ProjectIndexPage):
        return index_or_hub
    return ProjectIndexPage.objects.child_of(index_or_hub).first()


def project_list(
    index_or_hub: ProjectIndexPage | HubPage,
    *,
    goal=None,
    target=None,
    status: str = "",
    partner=None,
    query: str = "",
    sort: str = SORT_NEWEST,
) -> QuerySet[ProjectPage]:
    """The live, public projects of a hub, filtered and sorted, ready for cards.

    ``goal`` matches the primary or a further goal; ``query`` searches title and summary;
    ``sort`` is ``"newest"`` (first published) or ``"updated"`` (last progress update first,
    projects that never reported last). Unknown sorts fall back to newest.
    """
    index = _index_of(index_or_hub)
    if index is None:
        return ProjectPage.objects.none()
    projects = _published().descendant_of(index)
    if goal is not None:
        projects = projects.filter(_serving_goal(goal))
    if target is not None:
        projects = projects.filter(pk__in=_through_ids("targets", target=target))
    if status:
        projects = projects.filter(status=status)
    if partner is not None:
        projects = projects.filter(_with_partner(partner))
    query = (query or "").strip()
    if query:
        projects = projects.filter(Q(title__icontains=query) | Q(summary__icontains=query))
    return _for_cards(_sorted(projects, sort))


def projects_for_goal(goal) -> QuerySet[ProjectPage]:
    """Live public projects of every hub serving ``goal`` (primary or further), newest first."""
    return _for_cards(_sorted(_published().filter(_serving_goal(goal)), SORT_NEWEST))


def projects_for_partner(partner) -> QuerySet[ProjectPage]:
    """Live public projects ``partner`` leads or takes part in, newest first."""
    return _for_cards(_sorted(_published().filter(_with_partner(partner)), SORT_NEWEST))


def hub_featured_and_latest(hub: HubPage, limit: int = 3) -> list[ProjectPage]:
    """The projects for the hub's home page: the most recently reported first, then the newest.

    There is no "featured" flag on projects; recent reporting is what shows a hub's work is alive.
    """
    recently_reported = list(project_list(hub, sort=SORT_UPDATED).filter(last_reported_at__isnull=False)[:limit])
    if len(recently_reported) >= limit:
        return recently_reported
    seen = [project.pk for project in recently_reported]
    newest = project_list(hub, sort=SORT_NEWEST).exclude(pk__in=seen)[: limit - len(recently_reported)]
    return recently_reported + list(newest)


def _months_before(day: date, months: int) -> date:
    """The same day ``months`` earlier, clamped to the month's end (31 March − 1 month = 28/29 February)."""
    total = day.year * 12 + day.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _coordinated_hubs(user) -> QuerySet[HubPage]:
    if is_site_administrator(user):
        return HubPage.objects.all()
    if user is None or not user.is_authenticated or not user.is_active:
        return HubPage.objects.none()
    return HubPage.objects.filter(coordinators_group__in=user.groups.all())


def overdue_projects_for_coordinator(user, today: date) -> QuerySet[ProjectPage]:
    """Live projects in the hubs ``user`` coordinates whose reporting is overdue, oldest report first.

    Agrees with ``ProjectPage.reporting_freshness``: the last report (or else the first
    publication) is at least the index's ``reporting_overdue_months`` ago. Each index has its own
    threshold, so the cut-off date is computed per index (two queries in all).
    """
    hubs = _coordinated_hubs(user)
    indexes = list(ProjectIndexPage.objects.filter(_child_of_any(hubs)))
    if not indexes:
        return ProjectPage.objects.none()
    overdue = Q(pk__in=[])
    for index in indexes:
        cutoff = _months_before(today, index.reporting_overdue_months)
        overdue |= Q(path__startswith=index.path, depth=index.depth + 1, reported_or_published__lte=cutoff)
    projects = ProjectPage.objects.live().annotate(
        reported_or_published=Coalesce("last_reported_at", TruncDate("first_published_at"), output_field=DateField())
    )
    projects = projects.filter(overdue).select_related("lead_partner", "primary_goal")
    return projects.order_by("reported_or_published", "pk")


def _child_of_any(hubs: QuerySet[HubPage]) -> Q:
    paths = list(hubs.values_list("path", "depth"))
    condition = Q(pk__in=[])
    for path, depth in paths:
        condition |= Q(path__startswith=path, depth=depth + 1)
    return condition


def project_page_context(page: ProjectPage) -> dict:
    """Everything a project page shows beyond the page's own fields, prefetched: a fixed number of
    queries whatever the size of the gallery, the outcomes' history or the updates.

    Returns ``hero_image`` (with ``HERO_IMAGE_RENDITION``), ``gallery_images`` (with
    ``GALLERY_IMAGE_RENDITION`` and ``GALLERY_FULL_RENDITION``), ``outcomes`` (each with
    ``measurements`` oldest first), ``progress_updates`` (newest first, each with ``images`` and
    ``measurements``), ``goals``, ``targets``, ``partners`` and ``links``.
    """
    hero = None
    if page.hero_image_id:
        hero = _images(HERO_IMAGE_RENDITION).filter(pk=page.hero_image_id).first()
    gallery = ProjectGalleryImage.objects.filter(project=page).prefetch_related(
        Prefetch("image", queryset=_images(GALLERY_IMAGE_RENDITION, GALLERY_FULL_RENDITION))
    )
    outcomes = Outcome.objects.filter(project=page).prefetch_related(
        Prefetch("measurements", queryset=OutcomeMeasurement.objects.order_by("measured_on", "pk"))
    )
    updates = (
        ProgressUpdate.objects.filter(project=page)
        .select_related("partner", "author")
        .prefetch_related(
            Prefetch(
                "images",
                queryset=ProgressUpdateImage.objects.order_by("pk").prefetch_related(
                    Prefetch("image", queryset=_images(UPDATE_IMAGE_RENDITION))
                ),
            ),
            Prefetch("measurements", queryset=OutcomeMeasurement.objects.select_related("outcome")),
        )
    )
    return {
        "hero_image": hero,
        "gallery_images": list(gallery),
        "outcomes": list(outcomes),
        "progress_updates": list(updates),
        "goals": list(page.goals.all()),
        "targets": list(page.targets.order_by("sort_key")),
        "partners": list(page.partners.order_by("name")),
        "links": list(page.links.all()),
    }


@dataclass(frozen=True)
class ProposalStatus:
    """Where a proposal stands in review, as its proposer sees it on the project page."""

    state: str  # one of the STATE_* constants
    label: str
    comment: str = ""


STATE_WAITING = "waiting"
STATE_CHANGES_REQUESTED = "changes_requested"
STATE_PUBLISHED = "published"
STATE_CANCELLED = "cancelled"


def proposal_status(page: ProjectPage) -> ProposalStatus | None:
    """Where a proposal stands in review (None for projects that were not proposed from the site).

    The comment is the coordinator's, from the step that requested changes (or approved).
    """
    if page.proposed_by_id is None:
        return None
    state = WorkflowState.objects.for_instance(page).select_related("current_task_state").order_by("-pk").first()
    if state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS:
        return ProposalStatus(STATE_WAITING, str(_("Waiting for review by the hub's coordinators")))
    if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        comment = state.current_task_state.comment if state.current_task_state else ""
        return ProposalStatus(STATE_CHANGES_REQUESTED, str(_("Changes requested")), comment or "")
    if page.live:
        approved = state is not None and state.status == WorkflowState.STATUS_APPROVED
        comment = state.current_task_state.comment if approved and state.current_task_state else ""
        return ProposalStatus(STATE_PUBLISHED, str(_("Approved and published")), comment or "")
    if state is not None and state.status == WorkflowState.STATUS_CANCELLED:
        return ProposalStatus(STATE_CANCELLED, str(_("Review stopped; not published")))
    return None
