"""The dashboard's figures: what a hub's public projects, partners, discussions, outcomes and
indicators add up to. Reads only; the views draw them.

**Only public data**: live projects outside every view restriction and below no unpublished page
(``cms.restrictions.published_q``) in the hub's tree; partners with an approved partnership in the
hub (``partners.selectors.approved_partnerships``); comments neither hidden nor deleted
(``discussions.selectors.visible_comments``) in the thread of such a project or in a topic of the
hub's forum when the forum is published and public.

**Cost**: ``hub_figures`` runs a fixed number of queries whatever the data (one per kind of row:
projects, their goal/target/partner links, partnerships, progress updates and comments per month
(``GROUP BY`` month in the database), outcomes with their latest measurement, indicators per goal);
``tests/dashboard/test_queries.py`` counts them at two sizes. Large tables (comments, progress
updates, indicator values) are only ever counted in SQL; the rows read into Python are one per
project, per project link and per outcome.

**Caching**: the figures are kept in the versioned cache (``cms.versioned_cache``) per hub, language
and day, so they are never stale: every save or delete of pages, partners, projects, progress
updates, outcome measurements, comments and indicators replaces the version of ``any``
(``cms.dependency``; indicator imports call ``dependency.changed`` themselves). The day is in
the key because "the last 24 months" and "on track" move with the calendar.

**On track** (``outcome_state``): an outcome promises to move from ``baseline`` to ``target_value``
by ``target_date``. The plan is a straight line from the baseline at the project's start
(``start_date``; if it has none, the day it was first published) to the target at the target date.
The latest measurement is compared with the plan *on the day it was measured*: the share of the
promised change achieved (``(value − baseline) / (target − baseline)``, so it works for targets
below the baseline too) must be at least the share the line expects on that day minus
``ON_TRACK_TOLERANCE`` (10 percentage points of the whole change). A measurement at or beyond the
target is on track. No measurement: "not reported".
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone

from cms.models import HubPage
from cms.restrictions import page_audience, public_q, published_q
from cms.versioned_cache import versioned
from discussions.models import ForumIndexPage
from discussions.selectors import visible_comments
from indicators.models import Indicator
from partners.models import PartnerKind
from partners.selectors import approved_partnerships
from projects.models import Outcome, OutcomeMeasurement, ProgressUpdate, ProjectPage, ProjectStatus
from projects.selectors import goal_catalogue

MONTHS = 24
ON_TRACK_TOLERANCE = Decimal("0.10")
OUTCOME_LINKS = 50  # outcomes listed per state on the page (all are counted, and all are in the CSV)

ON_TRACK = "on_track"
BEHIND = "behind"
NOT_REPORTED = "not_reported"
OUTCOME_STATES = (ON_TRACK, BEHIND, NOT_REPORTED)


@dataclass
class GoalCoverage:
    number: int
    projects_by_status: dict[str, int]
    partners: int
    targets: int

    @property
    def projects(self) -> int:
        return sum(self.projects_by_status.values())


@dataclass
class Month:
    month: datetime.date  # the first day
    started: int = 0
    completed: int = 0
    updates: int = 0
    comments: int = 0


@dataclass
class OutcomeRow:
    title: str
    unit: str
    project_title: str
    project_url: str
    state: str
    baseline: Decimal
    target_value: Decimal
    target_date: datetime.date
    value: Decimal | None
    measured_on: datetime.date | None


@dataclass
class PartnerRow:
    name: str
    slug: str
    kind: str
    participates: bool


@dataclass
class HubFigures:
    hub_id: int
    today: datetime.date
    projects: int
    coverage: list[GoalCoverage]
    # together[a][b]: projects pursuing goal a and goal b (the diagonal: projects with goal a).
    together: list[list[int]]
    months: list[Month]
    partners: list[PartnerRow]
    partners_by_kind: dict[str, int]
    # The first OUTCOME_LINKS outcomes of each state (``outcome_counts`` counts them all; ``outcome_rows`` lists all).
    outcomes: list[OutcomeRow]
    indicators_by_goal: dict[int, int]
    indicators: int
    outcome_counts: dict[str, int] = field(default_factory=dict)

    @property
    def participating(self) -> int:
        return sum(1 for partner in self.partners if partner.participates)

    @property
    def participation_share(self) -> int | None:
        """Per cent of the approved partners that take part in at least one project (None: no partners)."""
        return round(100 * self.participating / len(self.partners)) if self.partners else None

    @property
    def not_participating(self) -> list[PartnerRow]:
        return [partner for partner in self.partners if not partner.participates]


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def last_months(today: datetime.date, count: int = MONTHS) -> list[datetime.date]:
    """The first days of the ``count`` months up to and including ``today``'s, oldest first."""
    year, month = today.year, today.month
    months = []
    for _step in range(count):
        months.append(datetime.date(year, month, 1))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return months[::-1]


def outcome_state(
    *,
    baseline: Decimal,
    target_value: Decimal,
    target_date: datetime.date,
    start: datetime.date | None,
    value: Decimal | None,
    measured_on: datetime.date | None,
) -> str:
    """On track, behind or not reported (see the module's docstring)."""
    if value is None or measured_on is None:
        return NOT_REPORTED
    change = target_value - baseline
    if change == 0:
        return ON_TRACK if value == target_value else BEHIND
    achieved = (value - baseline) / change
    if achieved >= 1:
        return ON_TRACK
    if start is None or start >= target_date:
        expected = Decimal(1) if measured_on >= target_date else Decimal(0)
    else:
        elapsed = (measured_on - start).days / (target_date - start).days
        expected = Decimal(str(min(max(elapsed, 0.0), 1.0)))
    return ON_TRACK if achieved >= expected - ON_TRACK_TOLERANCE else BEHIND


def _per_month(queryset, field: str, month_list: list[datetime.date], *, aware: bool) -> dict[datetime.date, int]:
    """Rows of ``queryset`` per month by ``field``, in one query: a conditional count per month
    (plain comparisons on an indexed column, on SQLite and PostgreSQL alike, where truncating every
    row's date to its month would call a function per row)."""
    bounds = [*month_list, _next_month(month_list[-1])]
    if aware:
        bounds = [timezone.make_aware(datetime.datetime.combine(day, datetime.time.min)) for day in bounds]
    window = {f"{field}__gte": bounds[0], f"{field}__lt": bounds[-1]}
    counts = (
        queryset.filter(**window)
        .order_by()
        .aggregate(
            **{
                f"m{number}": Count(
                    "pk", filter=Q(**{f"{field}__gte": bounds[number], f"{field}__lt": bounds[number + 1]})
                )
                for number in range(len(month_list))
            }
        )
    )
    return {month: counts[f"m{number}"] for number, month in enumerate(month_list)}


def _next_month(day: datetime.date) -> datetime.date:
    return datetime.date(day.year + 1, 1, 1) if day.month == 12 else datetime.date(day.year, day.month + 1, 1)


def _public_projects(hub: HubPage):
    return ProjectPage.objects.filter(published_q(), path__startswith=hub.path, depth__gt=hub.depth)


def _project_url(hub: HubPage, hub_url: str, url_path: str) -> str:
    return hub_url + url_path[len(hub.url_path) :]


def _outcome_rows(hub: HubPage, project_ids) -> list[OutcomeRow]:
    """The outcomes of the hub's public projects with their latest measurement and state, in one query."""
    latest = OutcomeMeasurement.objects.filter(outcome=OuterRef("pk")).order_by("-measured_on", "-pk")
    hub_url = hub.url or ""
    outcomes = []
    for outcome in (
        Outcome.objects.filter(project_id__in=project_ids)
        .annotate(
            latest_value=Subquery(latest.values("value")[:1]),
            latest_on=Subquery(latest.values("measured_on")[:1]),
        )
        .values(
            "title",
            "unit",
            "baseline",
            "target_value",
            "target_date",
            "latest_value",
            "latest_on",
            "project__title",
            "project__url_path",
            "project__start_date",
            "project__first_published_at",
        )
        .order_by("project__title", "project_id", "sort_order", "pk")
    ):
        published = outcome["project__first_published_at"]
        start = outcome["project__start_date"] or (timezone.localdate(published) if published else None)
        value = outcome["latest_value"]
        measured_on = outcome["latest_on"]
        if isinstance(measured_on, str):  # SQLite gives a subquery's date as text
            measured_on = datetime.date.fromisoformat(measured_on)
        if value is not None and not isinstance(value, Decimal):
            value = Decimal(str(value))
        outcomes.append(
            OutcomeRow(
                title=outcome["title"],
                unit=outcome["unit"],
                project_title=outcome["project__title"],
                project_url=_project_url(hub, hub_url, outcome["project__url_path"]),
                state=outcome_state(
                    baseline=outcome["baseline"],
                    target_value=outcome["target_value"],
                    target_date=outcome["target_date"],
                    start=start,
                    value=value,
                    measured_on=measured_on,
                ),
                baseline=outcome["baseline"],
                target_value=outcome["target_value"],
                target_date=outcome["target_date"],
                value=value,
                measured_on=measured_on,
            )
        )
    return outcomes


def _compute(hub: HubPage, today: datetime.date) -> HubFigures:
    goal_numbers = {goal.pk: goal.number for goal in goal_catalogue()}
    projects = _public_projects(hub)
    rows = list(
        projects.values_list(
            "pk", "status", "primary_goal_id", "lead_partner_id", "start_date", "end_date", "first_published_at"
        ).order_by()
    )
    project_ids = projects.values("pk")
    goals_of: dict[int, set[int]] = defaultdict(set)
    partners_of: dict[int, set[int]] = defaultdict(set)
    status_of: dict[int, str] = {}
    for pk, status, primary_goal_id, lead_partner_id, *_dates in rows:
        status_of[pk] = status
        if primary_goal_id:
            goals_of[pk].add(goal_numbers[primary_goal_id])
        if lead_partner_id:
            partners_of[pk].add(lead_partner_id)
    for pk, goal_id in ProjectPage.goals.through.objects.filter(projectpage_id__in=project_ids).values_list(
        "projectpage_id", "goal_id"
    ):
        goals_of[pk].add(goal_numbers[goal_id])
    for pk, partner_id in ProjectPage.partners.through.objects.filter(projectpage_id__in=project_ids).values_list(
        "projectpage_id", "partner_id"
    ):
        partners_of[pk].add(partner_id)
    targets_by_goal: dict[int, set[int]] = defaultdict(set)
    for target_id, goal_id in (
        ProjectPage.targets.through.objects.filter(projectpage_id__in=project_ids)
        .values_list("target_id", "target__goal_id")
        .distinct()
    ):
        targets_by_goal[goal_numbers[goal_id]].add(target_id)

    partnerships = list(
        approved_partnerships()
        .filter(hub=hub)
        .values_list("partner_id", "partner__name", "partner__slug", "partner__kind")
        .order_by("partner__name", "partner_id")
    )
    approved = {partner_id for partner_id, *_rest in partnerships}

    # Coverage and goals together.
    by_status: dict[int, Counter] = defaultdict(Counter)
    partners_by_goal: dict[int, set[int]] = defaultdict(set)
    together = [[0] * 17 for _n in range(17)]
    for pk, numbers in goals_of.items():
        for number in numbers:
            by_status[number][status_of[pk]] += 1
            partners_by_goal[number] |= partners_of[pk] & approved
            for other in numbers:
                together[number - 1][other - 1] += 1
    coverage = [
        GoalCoverage(
            number=number,
            projects_by_status={status: by_status[number][status] for status in ProjectStatus.values},
            partners=len(partners_by_goal[number]),
            targets=len(targets_by_goal[number]),
        )
        for number in range(1, 18)
    ]

    # Activity per month.
    month_list = last_months(today)
    months = {month: Month(month) for month in month_list}
    first = month_list[0]
    for _pk, status, _goal, _lead, start_date, end_date, _published in rows:
        if start_date and start_date >= first and month_start(start_date) in months:
            months[month_start(start_date)].started += 1
        if status == ProjectStatus.COMPLETED and end_date and end_date >= first and month_start(end_date) in months:
            months[month_start(end_date)].completed += 1
    for month, count in _per_month(
        ProgressUpdate.objects.filter(project_id__in=project_ids), "reported_on", month_list, aware=False
    ).items():
        months[month].updates = count
    forum_public = ForumIndexPage.objects.filter(published_q(), path__startswith=hub.path).exists()
    in_threads = Q(thread__project_id__in=project_ids)
    if forum_public:
        in_threads |= Q(thread__project__isnull=True, thread__hub_id=hub.pk)
    for month, count in _per_month(visible_comments().filter(in_threads), "created_at", month_list, aware=True).items():
        months[month].comments = count

    # Partners.
    participating = set().union(*partners_of.values()) if partners_of else set()
    partners = [
        PartnerRow(name=name, slug=slug, kind=kind, participates=partner_id in participating)
        for partner_id, name, slug, kind in partnerships
    ]
    partners_by_kind = Counter(partner.kind for partner in partners)

    # Outcomes: every one counted; the first OUTCOME_LINKS of each state kept for the page's links.
    all_outcomes = _outcome_rows(hub, project_ids)
    outcome_counts = Counter(row.state for row in all_outcomes)
    outcomes = []
    for state in OUTCOME_STATES:
        outcomes += [row for row in all_outcomes if row.state == state][:OUTCOME_LINKS]

    # Municipal indicators per goal.
    indicators_by_goal = {
        goal_numbers[goal_id]: count
        for goal_id, count in Indicator.objects.filter(hub=hub, goals__isnull=False)
        .values("goals")
        .annotate(count=Count("pk", distinct=True))
        .values_list("goals", "count")
        .order_by()
    }
    indicators = Indicator.objects.filter(hub=hub).count()

    return HubFigures(
        hub_id=hub.pk,
        today=today,
        projects=len(rows),
        coverage=coverage,
        together=together,
        months=list(months.values()),
        partners=partners,
        partners_by_kind={kind: partners_by_kind[kind] for kind in PartnerKind.values},
        outcomes=outcomes,
        outcome_counts={state: outcome_counts[state] for state in OUTCOME_STATES},
        indicators_by_goal=indicators_by_goal,
        indicators=indicators,
    )


def hub_figures(hub: HubPage, *, language: str, today: datetime.date | None = None) -> HubFigures:
    """The dashboard's figures for ``hub``, from the versioned cache (never stale; see the module)."""
    today = today or timezone.localdate()
    return versioned(f"dashboard:{hub.pk}:{language}:{today.isoformat()}", lambda: _compute(hub, today))


def outcome_rows(hub: HubPage, *, today: datetime.date | None = None) -> list[OutcomeRow]:
    """Every outcome of the hub's public projects (the CSV download), from the versioned cache."""
    today = today or timezone.localdate()
    return versioned(
        f"dashboard-outcomes:{hub.pk}:{today.isoformat()}",
        lambda: _outcome_rows(hub, _public_projects(hub).values("pk")),
    )


def public_hubs() -> list[HubPage]:
    """Live hubs everyone may see (no view restriction, no unpublished page above), by title."""
    return [
        hub for hub in HubPage.objects.live().filter(public_q()).order_by("title", "pk") if page_audience(hub).public
    ]


def comparison(*, language: str, today: datetime.date | None = None) -> list[tuple[HubPage, HubFigures]]:
    """Every public hub with its figures, for the comparison page (cached as a whole, like a hub's)."""
    today = today or timezone.localdate()

    def compute():
        return [(hub, hub_figures(hub, language=language, today=today)) for hub in public_hubs()]

    return versioned(f"dashboard-comparison:{language}:{today.isoformat()}", compute)
