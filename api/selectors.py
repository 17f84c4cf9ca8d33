"""What the read-only API may show, and the queries behind its lists.

Only public content is ever read here: hubs, project lists and partner directories that are live,
outside every view restriction (``cms.restrictions.public_q``) and not below an unpublished page;
live public projects under them (as ``projects.selectors`` lists them); approved partnerships only.
The page tree's public part (``PublicTree``) comes from the versioned cache, so a list costs a fixed
number of queries whatever its size: one for the rows, one per related table.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html import unescape as unescape_entities

from django.db.models import DateTimeField, Exists, Max, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.html import strip_tags
from wagtail.models import Page

from accounts.urls_absolute import page_absolute_url, site_url
from cms.models import HubPage
from cms.restrictions import public_q
from cms.versioned_cache import versioned
from goals.models import Goal, Indicator, Target
from partners.models import Partner, PartnerIndexPage, Partnership, PartnershipStatus
from projects.models import Outcome, OutcomeMeasurement, ProgressUpdate, ProjectIndexPage, ProjectPage

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
STEPLEN = Page.steplen


def plain_text(html: str) -> str:
    """Stored rich text (Wagtail's HTML) as plain text for the API: tags dropped, entities decoded."""
    return unescape_entities(strip_tags(html or "")).strip()


@dataclass(frozen=True)
class PublicHub:
    id: int
    title: str
    slug: str
    municipality: str
    default_language: str
    introduction: str
    path: str
    url: str
    published_at: datetime | None
    updated_at: datetime
    partner_directory_url: str = ""
    project_list_url: str = ""


@dataclass(frozen=True)
class ProjectList:
    id: int
    hub_id: int
    path: str
    due_months: int
    overdue_months: int


@dataclass(frozen=True)
class PublicTree:
    hubs: dict[int, PublicHub] = field(default_factory=dict)
    project_lists: dict[str, ProjectList] = field(default_factory=dict)  # by tree path


def _hidden_branches() -> tuple[str, ...]:
    """Tree paths of unpublished pages with pages below them: nothing below one is public."""
    return tuple(Page.objects.filter(live=False, numchild__gt=0, depth__gt=1).values_list("path", flat=True))


def public_tree() -> PublicTree:
    """The public hubs with their public project lists and partner directories (versioned cache)."""

    def compute() -> PublicTree:
        hidden = _hidden_branches()

        def visible(page) -> bool:
            return not any(page.path.startswith(path) and page.path != path for path in hidden)

        hubs = [hub for hub in HubPage.objects.live().filter(public_q()).order_by("pk") if visible(hub)]
        by_path = {hub.path: hub for hub in hubs}
        directories = {
            page.path[:-STEPLEN]: page_absolute_url(page)
            for page in PartnerIndexPage.objects.live().filter(public_q())
            if page.path[:-STEPLEN] in by_path and visible(page)
        }
        lists, list_urls = {}, {}
        for page in ProjectIndexPage.objects.live().filter(public_q()):
            hub = by_path.get(page.path[:-STEPLEN])
            if hub is None or not visible(page):
                continue
            lists[page.path] = ProjectList(
                page.pk, hub.pk, page.path, page.reporting_due_months, page.reporting_overdue_months
            )
            list_urls[hub.path] = page_absolute_url(page)
        public = {
            hub.pk: PublicHub(
                id=hub.pk,
                title=hub.title,
                slug=hub.slug,
                municipality=hub.municipality,
                default_language=hub.default_language,
                introduction=plain_text(hub.introduction),
                path=hub.path,
                url=page_absolute_url(hub),
                published_at=hub.first_published_at,
                updated_at=hub.last_published_at or hub.first_published_at or EPOCH,
                partner_directory_url=directories.get(hub.path, ""),
                project_list_url=list_urls.get(hub.path, ""),
            )
            for hub in hubs
        }
        return PublicTree(public, lists)

    return versioned(f"api:public-tree:{site_url()}", compute)


def content_seen_at() -> datetime:
    """When the API first answered under the current content version (versioned cache).

    Every change to public content replaces the version, so nothing the API shows has changed
    since this moment: it is the ``Last-Modified`` of every response. Whole seconds, as HTTP dates.
    """
    return versioned("api:content-seen-at", lambda: timezone.now().replace(microsecond=0))


# --- Projects ----------------------------------------------------------------------------------------


def _latest_update_at():
    latest = ProgressUpdate.objects.filter(project=OuterRef("pk")).order_by("-created_at").values("created_at")[:1]
    return Subquery(latest, output_field=DateTimeField())


def _public_projects(tree: PublicTree, *, hub_id: int | None = None) -> QuerySet[ProjectPage]:
    lists = [item for item in tree.project_lists.values() if hub_id is None or item.hub_id == hub_id]
    under = Q(pk__in=[])
    for item in lists:
        under |= Q(path__startswith=item.path, depth=len(item.path) // STEPLEN + 1)
    return ProjectPage.objects.live().filter(public_q()).filter(under)


def _updated_at(latest_update):
    epoch = Value(EPOCH, output_field=DateTimeField())
    return Greatest(
        Coalesce("last_published_at", "first_published_at", epoch),
        Coalesce(latest_update, epoch),
        output_field=DateTimeField(),
    )


def public_projects(tree: PublicTree, *, hub_id: int | None = None) -> QuerySet[ProjectPage]:
    """Live public projects under the public project lists (of hub ``hub_id`` only, if given), each
    annotated with ``updated_at``: its last publication or its newest progress update, whichever is later."""
    return _public_projects(tree, hub_id=hub_id).annotate(updated_at=_updated_at(_latest_update_at()))


def projects_in_order(tree: PublicTree, ids: list[int]) -> list[ProjectPage]:
    """The public projects of ``ids`` (a page of ``projects_filtered``), in that order: one query."""
    found = {project.pk: project for project in public_projects(tree).filter(pk__in=ids)}
    return [found[pk] for pk in ids if pk in found]


def _through_ids(field_name: str, **lookup) -> QuerySet:
    through = getattr(ProjectPage, field_name).through
    return through.objects.filter(**lookup).values("projectpage_id")


def projects_filtered(
    tree: PublicTree,
    *,
    hub_id: int | None = None,
    goal_id: int | None = None,
    target_id: int | None = None,
    status: str = "",
    partner_id: int | None = None,
    updated_since: datetime | None = None,
) -> QuerySet[ProjectPage]:
    """The ids of ``public_projects`` filtered, as rows ``{"pk", "updated_at"}`` to order and page
    (``projects_in_order`` reads the page's projects); ``goal_id`` matches the primary or a further
    goal, ``partner_id`` the lead or a participating partner.

    ``updated_at`` is computed here by one join with the progress updates grouped by project, not
    by ``public_projects``' subquery per project: ordering by it reads every matching project, and
    at 100,000 projects the subquery per row cost about three times as much (``docs/benchmarks.md``).
    """
    projects = _public_projects(tree, hub_id=hub_id)
    if goal_id is not None:
        projects = projects.filter(Q(primary_goal_id=goal_id) | Q(pk__in=_through_ids("goals", goal_id=goal_id)))
    if target_id is not None:
        projects = projects.filter(pk__in=_through_ids("targets", target_id=target_id))
    if status:
        projects = projects.filter(status=status)
    if partner_id is not None:
        projects = projects.filter(
            Q(lead_partner_id=partner_id) | Q(pk__in=_through_ids("partners", partner_id=partner_id))
        )
    projects = projects.values("pk").annotate(updated_at=_updated_at(Max("progress_updates__created_at")))
    if updated_since is not None:
        projects = projects.filter(updated_at__gte=updated_since)
    return projects


@dataclass
class ProjectDetails:
    """What the API shows of a list of projects beyond their own columns, fetched for all at once."""

    goal_ids: dict[int, list[int]]
    target_ids: dict[int, list[int]]
    partner_ids: dict[int, list[int]]
    outcomes: dict[int, list[Outcome]]
    approved: set[tuple[int, int]]  # (partner id, hub id)


def project_details(projects: list[ProjectPage], tree: PublicTree) -> ProjectDetails:
    """Further goals, targets, partners and outcomes (each with ``history``, its measured values oldest
    first) of ``projects``, and which of their partners are approved in which hub: six queries."""
    ids = [project.pk for project in projects]
    links = {}
    for name, column in (("goals", "goal_id"), ("targets", "target_id"), ("partners", "partner_id")):
        found = defaultdict(list)
        if ids:
            through = getattr(ProjectPage, name).through.objects.filter(projectpage_id__in=ids)
            for project_id, other_id in through.order_by("pk").values_list("projectpage_id", column):
                found[project_id].append(other_id)
        links[name] = found
    outcomes = defaultdict(list)
    history = defaultdict(list)
    partner_ids = {project.lead_partner_id for project in projects if project.lead_partner_id}
    partner_ids |= {pk for values in links["partners"].values() for pk in values}
    approved = set()
    if ids:
        for measurement in OutcomeMeasurement.objects.filter(outcome__project_id__in=ids).order_by("measured_on", "pk"):
            history[measurement.outcome_id].append(measurement)
        for outcome in Outcome.objects.filter(project_id__in=ids).order_by("sort_order", "pk"):
            outcome.history = history[outcome.pk]
            outcomes[outcome.project_id].append(outcome)
    if partner_ids:
        approved = set(
            Partnership.objects.filter(
                partner_id__in=partner_ids, hub_id__in=list(tree.hubs), status=PartnershipStatus.APPROVED
            ).values_list("partner_id", "hub_id")
        )
    return ProjectDetails(links["goals"], links["targets"], links["partners"], outcomes, approved)


def project_list_of(project: ProjectPage, tree: PublicTree) -> ProjectList:
    return tree.project_lists[project.path[:-STEPLEN]]


# --- Partners ----------------------------------------------------------------------------------------


def public_partners(
    tree: PublicTree,
    *,
    hub_id: int | None = None,
    kind: str = "",
    goal_id: int | None = None,
    updated_since: datetime | None = None,
) -> QuerySet[Partner]:
    """Partners with an approved partnership in a public hub (``hub_id``, if given)."""
    hub_ids = [hub_id] if hub_id is not None else list(tree.hubs)
    hub_ids = [pk for pk in hub_ids if pk in tree.hubs]
    approved = Partnership.objects.filter(
        partner_id=OuterRef("pk"), hub_id__in=hub_ids, status=PartnershipStatus.APPROVED
    )
    partners = Partner.objects.filter(Exists(approved))
    if kind:
        partners = partners.filter(kind=kind)
    if goal_id is not None:
        partners = partners.filter(
            Exists(Partner.goals.through.objects.filter(partner_id=OuterRef("pk"), goal_id=goal_id))
        )
    if updated_since is not None:
        partners = partners.filter(updated_at__gte=updated_since)
    return partners


@dataclass
class PartnerDetails:
    goal_ids: dict[int, list[int]]
    hub_ids: dict[int, list[int]]


def partner_details(partners: list[Partner], tree: PublicTree) -> PartnerDetails:
    """The goals of ``partners`` and the public hubs each is approved in: two queries."""
    ids = [partner.pk for partner in partners]
    goals, hubs = defaultdict(list), defaultdict(list)
    if ids:
        for partner_id, goal_id in Partner.goals.through.objects.filter(partner_id__in=ids).values_list(
            "partner_id", "goal_id"
        ):
            goals[partner_id].append(goal_id)
        approved = Partnership.objects.filter(
            partner_id__in=ids, hub_id__in=list(tree.hubs), status=PartnershipStatus.APPROVED
        ).order_by("hub_id")
        for partner_id, hub_id in approved.values_list("partner_id", "hub_id"):
            hubs[partner_id].append(hub_id)
    return PartnerDetails(goals, hubs)


# --- Progress updates --------------------------------------------------------------------------------


def public_progress_updates(
    tree: PublicTree,
    *,
    hub_id: int | None = None,
    project_id: int | None = None,
    partner_id: int | None = None,
    updated_since: datetime | None = None,
) -> QuerySet[ProgressUpdate]:
    """Progress updates of public projects, with the project's tree path for its hub and address."""
    projects = public_projects(tree, hub_id=hub_id)
    if project_id is not None:
        projects = projects.filter(pk=project_id)
    updates = ProgressUpdate.objects.filter(project_id__in=projects.values("pk"))
    if partner_id is not None:
        updates = updates.filter(partner_id=partner_id)
    if updated_since is not None:
        updates = updates.filter(created_at__gte=updated_since)
    return updates.select_related("project").only(
        "pk",
        "reported_on",
        "text",
        "created_at",
        "partner_id",
        "project__id",
        "project__path",
        "project__url_path",
        "project__title",
        "project__slug",
    )


def measurements_of(updates: list[ProgressUpdate]) -> dict[int, list[OutcomeMeasurement]]:
    found = defaultdict(list)
    if updates:
        measured = OutcomeMeasurement.objects.filter(update_id__in=[update.pk for update in updates])
        for measurement in measured.order_by("measured_on", "pk"):
            found[measurement.update_id].append(measurement)
    return found


def approved_pairs(partner_ids: set[int], tree: PublicTree) -> set[tuple[int, int]]:
    """(partner id, hub id) of those partners' approved partnerships in public hubs."""
    if not partner_ids:
        return set()
    return set(
        Partnership.objects.filter(
            partner_id__in=partner_ids, hub_id__in=list(tree.hubs), status=PartnershipStatus.APPROVED
        ).values_list("partner_id", "hub_id")
    )


# --- The goal catalogue ------------------------------------------------------------------------------


def goal_rows() -> list[dict]:
    """The 17 goals as plain data (versioned cache)."""
    return versioned(
        "api:goals",
        lambda: list(
            Goal.objects.order_by("number").values(
                "pk",
                "number",
                "short_name_nb",
                "short_name_nn",
                "short_name_en",
                "title_nb",
                "title_nn",
                "title_en",
                "colour",
            )
        ),
    )


def target_rows() -> list[dict]:
    """Every target in catalogue order as plain data, with its goal's number (versioned cache)."""
    return versioned(
        "api:targets",
        lambda: list(
            Target.objects.order_by("sort_key", "pk").values(
                "pk", "code", "sort_key", "goal__number", "title_nb", "title_nn", "title_en"
            )
        ),
    )


def indicator_rows() -> list[dict]:
    """Every indicator in catalogue order as plain data, with its target's code (versioned cache)."""
    return versioned(
        "api:indicators",
        lambda: list(
            Indicator.objects.order_by("target__sort_key", "sort_key", "pk").values(
                "pk",
                "code",
                "sort_key",
                "target__code",
                "target__sort_key",
                "target__goal__number",
                "title_nb",
                "title_nn",
                "title_en",
            )
        ),
    )
