"""Reads of projects that are more than one line: lists with filters, a project page's context.

List selectors cost a fixed number of queries whatever the data size: related rows are joined or
prefetched, and the image renditions the cards show are prefetched with them. Which pages are
private comes from the versioned cache (``cms.restrictions``), not a query per list.
"""

import calendar
import hashlib
import os
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    CharField,
    Count,
    DateField,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce, Substr, TruncDate
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.images import get_image_model
from wagtail.models import Page, WorkflowState

from cms import dependency
from cms.admin.access import coordinated_hubs
from cms.models import HubPage
from cms.restrictions import published_q
from cms.versioned_cache import versioned
from goals.models import Goal, Target
from goals.selectors import goals_in_order
from indicators.models import Indicator
from partners.models import Partner, PartnerIndexPage, Partnership, PartnershipStatus
from projects.models import (
    Outcome,
    OutcomeMeasurement,
    ProgressUpdate,
    ProgressUpdateImage,
    ProjectGalleryImage,
    ProjectIndexPage,
    ProjectPage,
    ReportingFreshness,
)

CARD_IMAGE_RENDITION = "fill-480x270"
HERO_IMAGE_RENDITION = "fill-1200x630"
GALLERY_IMAGE_RENDITION = "fill-480x360"
GALLERY_FULL_RENDITION = "max-1600x1200"
UPDATE_IMAGE_RENDITION = "max-800x600"
SORT_NEWEST = "newest"
SORT_UPDATED = "updated"
SORTS = (SORT_NEWEST, SORT_UPDATED)
HUB_PROJECTS_COUNT = 6
_NEWEST_FIRST = (F("first_published_at").desc(nulls_last=True), "-pk")


def goal_catalogue() -> list[Goal]:
    """The 17 goals by number, from the versioned cache (every list and project page shows some)."""
    return versioned("goals", lambda: list(goals_in_order()), depends_on=[dependency.SITE])


def target_catalogue() -> list[Target]:
    """Every target in order, with what lists and facts show (code, goal, order), from the versioned cache."""
    return versioned(
        "targets",
        lambda: list(Target.objects.order_by("sort_key").only("pk", "code", "goal_id", "sort_key")),
        depends_on=[dependency.SITE],
    )


def _renditions(*specs: str) -> Prefetch:
    """Prefetch the renditions ``specs`` of images: ``{% image %}`` then asks no more."""
    rendition_model = get_image_model().get_rendition_model()
    return Prefetch("renditions", queryset=rendition_model.objects.filter(filter_spec__in=specs))


def _for_cards(queryset: QuerySet[ProjectPage]) -> QuerySet[ProjectPage]:
    """What a project card shows: the primary goal, the lead partner and the hero image's card rendition.

    The image is joined and its card rendition prefetched: one query more for the whole list.
    """
    return queryset.select_related("primary_goal", "lead_partner", "hero_image").prefetch_related(
        Prefetch("hero_image__renditions", queryset=_renditions(CARD_IMAGE_RENDITION).queryset)
    )


def _published() -> QuerySet[ProjectPage]:
    """Live projects without a view restriction (what Wagtail's ``public()`` gives) and without an
    unpublished page above them (Wagtail would not serve them), the only ones lists and feeds show."""
    return ProjectPage.objects.filter(published_q())


def _sorted(queryset: QuerySet[ProjectPage], sort: str) -> QuerySet[ProjectPage]:
    if sort == SORT_UPDATED:
        return queryset.order_by(
            F("last_reported_at").desc(nulls_last=True), F("latest_revision_created_at").desc(nulls_last=True), "-pk"
        )
    return queryset.order_by(*_NEWEST_FIRST)


def _through_ids(field: str, **lookup) -> QuerySet:
    """Project ids from a ParentalManyToMany table, as a subquery: filtering on it adds no duplicate rows."""
    through = getattr(ProjectPage, field).through
    return through.objects.filter(**lookup).values("projectpage_id")


def _serving_goal(goal) -> Q:
    return Q(primary_goal=goal) | Q(pk__in=_through_ids("goals", goal=goal))


def _with_partner(partner) -> Q:
    return Q(lead_partner=partner) | Q(pk__in=_through_ids("partners", partner=partner))


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
    # Projects live only under a hub's project list, so the hub's descendants are the list's.
    projects = _published().descendant_of(index_or_hub)
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


def hub_indicator_choices(hub: HubPage) -> QuerySet[Indicator] | None:
    """The hub's indicators a project may say it aims to move, by name; None when the hub has none."""
    indicators = Indicator.objects.filter(hub=hub).order_by("name", "code")
    return indicators if indicators.exists() else None


def projects_for_indicator(indicator, hub: HubPage) -> QuerySet[ProjectPage]:
    """Live public projects of ``hub`` that aim to move ``indicator``, newest first."""
    return _for_cards(
        _sorted(
            _published().descendant_of(hub).filter(pk__in=_through_ids("indicators", indicator=indicator)), SORT_NEWEST
        )
    )


def projects_for_partner(partner) -> QuerySet[ProjectPage]:
    """Live public projects ``partner`` leads or takes part in, newest first."""
    return _for_cards(_sorted(_published().filter(_with_partner(partner)), SORT_NEWEST))


def hub_featured_and_latest(hub: HubPage, limit: int = HUB_PROJECTS_COUNT) -> list[ProjectPage]:
    """The projects for the hub's home page: those its coordinators feature, then the newest others.

    At most ``limit`` in all, each once; the newest first within each group. One query and the
    card renditions.
    """
    return list(project_list(hub).order_by("-featured", *_NEWEST_FIRST)[:limit])


def reporting_thresholds(index_id: int) -> tuple[int, int] | None:
    """A project list's (``reporting_due_months``, ``reporting_overdue_months``), None if ``index_id``
    is no project list; from the versioned cache, as every project page of the hub asks."""
    return versioned(
        f"reporting-thresholds:{index_id}",
        lambda: (
            ProjectIndexPage.objects.filter(pk=index_id)
            .values_list("reporting_due_months", "reporting_overdue_months")
            .first()
        ),
        depends_on=[dependency.page(index_id)],
    )


def _months_before(day: date, months: int) -> date:
    """The same day ``months`` earlier, clamped to the month's end (31 March − 1 month = 28/29 February)."""
    total = day.year * 12 + day.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def overdue_projects_for_coordinator(user, today: date) -> QuerySet[ProjectPage]:
    """Live projects in the hubs ``user`` coordinates whose reporting is overdue, oldest report first.

    Agrees with ``ProjectPage.reporting_freshness``: the last report (or else the first
    publication) is at least the index's ``reporting_overdue_months`` ago. Each index has its own
    threshold, so the cut-off date is computed per index (two queries in all).
    """
    hubs = coordinated_hubs(user)
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


def project_page_context(page: ProjectPage, hub: HubPage | None = None, *, preview: bool = False) -> dict:
    """Everything a project page shows beyond the page's own fields, prefetched: a fixed number of
    queries (nine, one for a main image and one for the indicators it names, if any) whatever the size of
    the gallery, the outcomes' history or the updates.

    Returns ``hero_image``, ``gallery_images`` and the updates' pictures with their renditions
    (``HERO_IMAGE_RENDITION``, ``GALLERY_IMAGE_RENDITION``, ``GALLERY_FULL_RENDITION``,
    ``UPDATE_IMAGE_RENDITION``: one query for all), ``outcomes`` (each with ``history``, its
    measured values oldest first), ``progress_updates`` (newest first, each with ``images`` and
    ``measurements``), ``goals`` (the further goals), ``targets``, ``partners`` (participating),
    ``approved_partner_ids`` (those of the lead and participating partners that are approved in
    ``hub``), ``links`` and ``indicators`` (the hub's indicators the project aims to move). The
    page's ``primary_goal`` and ``lead_partner`` are loaded with the others, and its ``partners`` are
    set in memory, so the permission checks ask no more.

    A ``preview`` (a draft shown in the admin) takes goals, targets, partners and links from the
    page in hand, which holds the draft's values, rather than from the database.
    """
    image_model = get_image_model()
    hero = image_model.objects.filter(pk=page.hero_image_id).first() if page.hero_image_id else None
    gallery = list(ProjectGalleryImage.objects.filter(project=page).select_related("image"))
    updates = list(
        ProgressUpdate.objects.filter(project=page)
        .select_related("partner", "author")
        .prefetch_related(
            Prefetch("images", queryset=ProgressUpdateImage.objects.select_related("image").order_by("pk")),
            Prefetch("measurements", queryset=OutcomeMeasurement.objects.select_related("outcome")),
        )
    )
    images = [item.image for item in gallery] + [picture.image for update in updates for picture in update.images.all()]
    if hero is not None:
        images.append(hero)
    prefetch_related_objects(
        images,
        _renditions(HERO_IMAGE_RENDITION, GALLERY_IMAGE_RENDITION, GALLERY_FULL_RENDITION, UPDATE_IMAGE_RENDITION),
    )
    context = {
        "hero_image": hero,
        "gallery_images": gallery,
        "outcomes": _outcomes_with_history(page, updates),
        "progress_updates": updates,
        **(_draft_goals_and_partners(page, hub) if preview else {**_goals_and_targets(page), **_partners(page, hub)}),
        "links": list(page.links.all()),
    }
    indicator_ids = context.pop("indicator_ids", None)
    if indicator_ids is None:  # a draft: its in-memory choice
        indicator_ids = {indicator.pk for indicator in page.indicators.all()}
    context["indicators"] = _indicators(indicator_ids, hub)
    return context


def _outcomes_with_history(page: ProjectPage, updates: list[ProgressUpdate]) -> list[Outcome]:
    """The project's outcomes, each with ``history``: its measured values, oldest first.

    Every measured value is reported with a progress update of the same project
    (``services.progress_update_create`` refuses others), so the updates' values are all of them.
    """
    history = defaultdict(list)
    for update in updates:
        for measurement in update.measurements.all():
            history[measurement.outcome_id].append(measurement)
    outcomes = list(Outcome.objects.filter(project=page))
    for outcome in outcomes:
        outcome.history = sorted(history[outcome.pk], key=lambda measurement: (measurement.measured_on, measurement.pk))
    return outcomes


def _draft_goals_and_partners(page: ProjectPage, hub: HubPage | None) -> dict:
    """What ``_goals_and_targets`` and ``_partners`` give, from a draft's in-memory relations."""
    partners = sorted(page.partners.all(), key=lambda partner: partner.name)
    shown = {partner.pk for partner in partners} | {page.lead_partner_id}
    approved = Partnership.objects.filter(hub=hub, status=PartnershipStatus.APPROVED, partner_id__in=shown)
    return {
        "goals": [goal for goal in page.goals.all() if goal.pk != page.primary_goal_id],
        "targets": sorted(page.targets.all(), key=lambda target: target.sort_key),
        "partners": partners,
        "approved_partner_ids": set(approved.values_list("partner_id", flat=True)),
    }


def _goals_and_targets(page: ProjectPage) -> dict:
    """The primary goal (set on the page), the further goals and the targets: one query for the ids
    in both link tables, the rows from the cached catalogue."""
    kind = CharField()
    links = (
        ProjectPage.goals.through.objects.filter(projectpage_id=page.pk)
        .annotate(kind=Value("goal", output_field=kind))
        .values_list("kind", "goal_id")
        .union(
            ProjectPage.targets.through.objects.filter(projectpage_id=page.pk)
            .annotate(kind=Value("target", output_field=kind))
            .values_list("kind", "target_id"),
            ProjectPage.indicators.through.objects.filter(projectpage_id=page.pk)
            .annotate(kind=Value("indicator", output_field=kind))
            .values_list("kind", "indicator_id"),
            all=True,
        )
    )
    ids = {"goal": set(), "target": set(), "indicator": set()}
    for link_kind, pk in links:
        ids[link_kind].add(pk)
    goals = goal_catalogue()
    for goal in goals:
        if goal.pk == page.primary_goal_id:
            page.primary_goal = goal
    return {
        "goals": [goal for goal in goals if goal.pk in ids["goal"] and goal.pk != page.primary_goal_id],
        "targets": [target for target in target_catalogue() if target.pk in ids["target"]],
        "indicator_ids": ids["indicator"],
    }


def _indicators(ids, hub: HubPage | None) -> list[Indicator]:
    """The hub's indicators among ``ids``, by name, each given ``hub`` for its address: one query, none
    for a project that names no indicator."""
    if not ids or hub is None:
        return []
    indicators = list(Indicator.objects.filter(pk__in=list(ids), hub=hub).order_by("name", "code"))
    for indicator in indicators:
        indicator.hub = hub
    return indicators


def _partners(page: ProjectPage, hub: HubPage | None) -> dict:
    """The lead (set on the page) and participating partners in one query, each marked if approved in ``hub``."""
    participating = ProjectPage.partners.through.objects.filter(projectpage_id=page.pk)
    partners = Partner.objects.filter(
        Q(pk=page.lead_partner_id) | Q(pk__in=participating.values("partner_id"))
    ).annotate(
        participating=Exists(participating.filter(partner_id=OuterRef("pk"))),
        approved_in_hub=Exists(
            Partnership.objects.filter(partner_id=OuterRef("pk"), hub=hub, status=PartnershipStatus.APPROVED)
        ),
    )
    partners = list(partners.order_by("name"))
    for partner in partners:
        if partner.pk == page.lead_partner_id:
            page.lead_partner = partner
    participants = [partner for partner in partners if partner.participating]
    page.partners = participants  # in memory only (modelcluster): what the permission checks read
    return {
        "partners": participants,
        "approved_partner_ids": {partner.pk for partner in partners if hub is not None and partner.approved_in_hub},
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


def proposals_awaiting_review(page_ids) -> set[int]:
    """Those of these projects whose review waits for a coordinator: a workflow in progress (not
    waiting for the proposer's changes), what Wagtail's "Awaiting your review" dashboard lists."""
    ids = [str(pk) for pk in page_ids]
    if not ids:
        return set()
    states = WorkflowState.objects.filter(
        status=WorkflowState.STATUS_IN_PROGRESS,
        base_content_type=ContentType.objects.get_for_model(Page),
        object_id__in=ids,
    )
    return {int(pk) for pk in states.values_list("object_id", flat=True)}


def proposal_status(page: ProjectPage) -> ProposalStatus | None:
    """Where a proposal stands in review (None for projects that were not proposed from the site).

    The comment is the coordinator's, from the step that requested changes (or approved).
    """
    if page.proposed_by_id is None:
        return None
    state = WorkflowState.objects.for_instance(page).select_related("current_task_state").order_by("-pk").first()
    return _proposal_status_from(page, state)


def _proposal_status_from(page: ProjectPage, state: WorkflowState | None) -> ProposalStatus | None:
    """``proposal_status`` given the page's latest workflow state (None if it never entered one)."""
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


def partnership_apply_url(hub: HubPage | None, request=None) -> str:
    """Where a visitor applies for partnership in ``hub``: its partner directory's ``apply/`` route,
    or "" if the hub has no live directory."""
    if hub is None:
        return ""
    directory = PartnerIndexPage.objects.child_of(hub).live().first()
    return f"{directory.get_url(request)}apply/" if directory is not None else ""


@dataclass
class PartnerWork:
    """What "My organisations" shows of its partners' projects (``partner_work``).

    ``proposals``: proposed from the site, newest change first, each with ``status`` (a
    ``ProposalStatus``), ``hub_title`` and ``review_url`` (the proposer's page of it).
    ``projects``: live, each with ``freshness``, ``freshness_label``, ``hub_title``, ``page_url`` and
    ``update_url``. ``reports_due``: those of ``projects`` whose progress update is due or
    overdue, overdue and oldest first.
    """

    proposals: list
    projects: list
    reports_due: list


def partner_work(partner_ids, *, today: date, request=None) -> PartnerWork:
    """The projects and proposals that the partners ``partner_ids`` lead or take part in.

    Four queries whatever their number (the pages, their workflow states, their project lists
    with the reporting thresholds, their hubs); URLs are built from the lists' URLs without more.
    Freshness is ``ProjectPage.reporting_freshness`` with each list's thresholds, as on the
    project page and in the coordinators' overdue report.
    """
    partner_ids = list(partner_ids)
    if not partner_ids:
        return PartnerWork([], [], [])
    involved = Q(lead_partner_id__in=partner_ids) | Q(pk__in=_through_ids("partners", partner_id__in=partner_ids))
    pages = list(
        ProjectPage.objects.filter(involved)
        .filter(Q(live=True) | Q(proposed_by__isnull=False))
        .select_related("lead_partner")
        .order_by(F("latest_revision_created_at").desc(nulls_last=True), "-pk")
    )
    if not pages:
        return PartnerWork([], [], [])
    steplen = ProjectPage.steplen
    indexes = {
        index.path: index for index in ProjectIndexPage.objects.filter(path__in={p.path[:-steplen] for p in pages})
    }
    hub_titles = dict(Page.objects.filter(path__in={path[:-steplen] for path in indexes}).values_list("path", "title"))
    proposed = [page for page in pages if page.proposed_by_id is not None]
    states = {}
    if proposed:
        latest = WorkflowState.objects.filter(
            base_content_type=proposed[0].get_base_content_type(), object_id__in=[str(p.pk) for p in proposed]
        ).select_related("current_task_state")
        for state in latest.order_by("pk"):
            states[state.object_id] = state  # the newest wins
    proposals, projects = [], []
    for page in pages:
        index = indexes.get(page.path[:-steplen])
        if index is None:
            continue
        page.hub_title = hub_titles.get(index.path[:-steplen], "")
        index_url = index.get_url(request)
        if page.proposed_by_id is not None:
            page.status_of_proposal = _proposal_status_from(page, states.get(str(page.pk)))
            page.review_url = f"{index_url}proposals/{page.pk}/" if index_url else ""
            proposals.append(page)
        if page.live:
            page.freshness = page.reporting_freshness(
                today=today, due_months=index.reporting_due_months, overdue_months=index.reporting_overdue_months
            )
            page.freshness_label = ReportingFreshness(page.freshness).label
            page.page_url = page.get_url(request)
            page.update_url = reverse("project_update_new", args=[page.pk])
            projects.append(page)
    urgency = {ReportingFreshness.OVERDUE: 0, ReportingFreshness.DUE: 1}
    due = [page for page in projects if page.freshness in urgency]
    due.sort(key=lambda page: (urgency[page.freshness], page.last_reported_at or date.min, page.pk))
    return PartnerWork(proposals, projects, due)


@dataclass
class HubOverview:
    """A hub with its numbers and where a visitor takes the next step, for the front page and the
    hub page (``hub_overviews``)."""

    hub: HubPage
    partner_count: int = 0
    project_count: int = 0
    goals: list[Goal] = field(default_factory=list)
    projects_url: str = ""
    propose_url: str = ""
    apply_url: str = ""

    @property
    def goal_count(self) -> int:
        return len(self.goals)


def _shared_tree_prefix(paths) -> str:
    """The tree path of the nearest page above (or at) every page of ``paths``."""
    shared = os.path.commonprefix(list(paths))
    return shared[: len(shared) - len(shared) % Page.steplen]


def _hub_numbers(hubs: list[HubPage]) -> dict[int, tuple[int, int, frozenset[int]]]:
    """Each hub's number of approved partners, of published projects and the ids of the goals those
    projects serve, counted in the database by the hub's part of each project's tree path: a few
    rows whatever the number of projects. From the versioned cache, so only a write in one of
    ``hubs`` computes it again (the front page of 356 hubs took seconds)."""

    def compute():
        paths_by_length: dict[int, dict[str, int]] = defaultdict(dict)
        for hub in hubs:
            paths_by_length[len(hub.path)][hub.path] = hub.pk
        partners = (
            Partnership.objects.filter(hub__in=hubs, status=PartnershipStatus.APPROVED)
            .values_list("hub_id")
            .annotate(count=Count("partner_id", distinct=True))
            .order_by()
        )
        partner_counts = dict(partners)
        goal_ids: dict[int, set[int]] = defaultdict(set)
        counts: dict[int, int] = defaultdict(int)
        for length, hub_pks in paths_by_length.items():
            # The range of the tree the hubs share keeps the path index in use (one hub: its own).
            shared = _shared_tree_prefix(hub_pks)
            projects = (
                _published()
                .filter(path__startswith=shared)
                .annotate(hub_path=Substr("path", 1, length))
                .filter(hub_path__in=list(hub_pks))
            )
            for hub_path, count in projects.values_list("hub_path").annotate(count=Count("pk")).order_by():
                counts[hub_pks[hub_path]] = count
            primary = projects.exclude(primary_goal=None).values_list("hub_path", "primary_goal_id").distinct()
            further = (
                ProjectPage.goals.through.objects.filter(projectpage__in=projects.values("pk"))
                .annotate(hub_path=Substr("projectpage__path", 1, length))
                .values_list("hub_path", "goal_id")
                .distinct()
            )
            for hub_path, goal_id in [*primary.order_by(), *further.order_by()]:
                goal_ids[hub_pks[hub_path]].add(goal_id)
        return {
            hub.pk: (partner_counts.get(hub.pk, 0), counts.get(hub.pk, 0), frozenset(goal_ids.get(hub.pk, ())))
            for hub in hubs
        }

    hub_pks = ",".join(str(pk) for pk in sorted(hub.pk for hub in hubs))
    name = "hub-numbers:" + hashlib.sha256(hub_pks.encode()).hexdigest()[:32]
    return versioned(name, compute, depends_on=[dependency.hub(hub.pk) for hub in hubs])


def hub_overviews(hubs, request=None) -> list[HubOverview]:
    """Each of ``hubs`` with its approved partners, its published projects, the goals those projects
    serve (primary or further) and the addresses of its project list, proposal form and partnership
    application, in a fixed number of queries whatever the number of hubs and projects."""
    hubs = list(hubs)
    overviews = {hub.pk: HubOverview(hub=hub) for hub in hubs}
    if not hubs:
        return []
    goals = goal_catalogue()
    for hub_pk, (partner_count, project_count, goal_ids) in _hub_numbers(hubs).items():
        overviews[hub_pk].partner_count = partner_count
        overviews[hub_pk].project_count = project_count
        overviews[hub_pk].goals = [goal for goal in goals if goal.pk in goal_ids]
    hub_paths = {hub.path: hub for hub in hubs}

    # The hubs' children, found by the tree path the hubs share (one index range, where 356 ORed
    # prefixes took longer than the page); those of other pages at that depth are skipped below.
    shared = _shared_tree_prefix(hub_paths)
    child_depths = {hub.depth + 1 for hub in hubs}
    for model, attribute in ((ProjectIndexPage, "projects_url"), (PartnerIndexPage, "apply_url")):
        for index in model.objects.live().filter(path__startswith=shared, depth__in=child_depths).order_by("path"):
            hub = hub_paths.get(index.path[: -Page.steplen])
            overview = overviews[hub.pk] if hub is not None else None
            if overview is not None and not getattr(overview, attribute):
                url = index.get_url(request) or ""
                setattr(overview, attribute, f"{url}apply/" if model is PartnerIndexPage else url)
    for overview in overviews.values():
        if overview.projects_url:
            overview.propose_url = f"{overview.projects_url}propose/"
    return [overviews[hub.pk] for hub in hubs]


def latest_projects(root: Page, limit: int = HUB_PROJECTS_COUNT) -> list[ProjectPage]:
    """The newest published projects anywhere below ``root`` (the front page: across hubs), for cards."""
    return list(_for_cards(_sorted(_published().descendant_of(root), SORT_NEWEST))[:limit])
