"""What a hub's Voluntary Local Review draft says, read in a fixed number of queries.

A review covers a period (whole years or exact dates). It shows only what is public: the hub's
live projects outside view restrictions (``cms.restrictions.published_q``) whose dates overlap the
period, their partners, outcomes and progress updates in the period, and the hub's indicators with
their values in the period's years. Each kind of row is read once for the whole review (projects,
their goals, partners, outcomes, measurements, updates, indicators, series, values, partners of the
annex), so the count does not grow with the data; grouping is done in Python.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from html import unescape

from django.db.models import Prefetch, Q, QuerySet
from django.utils.html import strip_tags
from django.utils.text import Truncator

from cms.models import HubPage
from cms.restrictions import published_q
from goals.models import Goal
from indicators.models import Indicator, Series, Value
from partners.models import Partner, Partnership, PartnershipStatus
from projects.models import Outcome, OutcomeMeasurement, ProgressUpdate, ProjectPage, ProjectStatus
from projects.selectors import goal_catalogue

QUOTE_WORDS = 40
QUOTES_PER_PROJECT = 3


@dataclass(frozen=True)
class Period:
    """The days a review covers, both ends included."""

    start: date
    end: date

    @property
    def whole_years(self) -> bool:
        return (self.start.month, self.start.day, self.end.month, self.end.day) == (1, 1, 12, 31)

    def overlaps(self, start: date | None, end: date | None) -> bool:
        """True if a span with these (possibly open) ends shares a day with the period."""
        return (start is None or start <= self.end) and (end is None or end >= self.start)


@dataclass
class Quote:
    text: str
    partner_name: str
    reported_on: date


@dataclass
class OutcomeProgress:
    title: str
    unit: str
    baseline: Decimal
    target_value: Decimal
    target_date: date
    latest_value: Decimal | None = None
    latest_on: date | None = None

    @property
    def share_of_way(self) -> int | None:
        """How far from baseline to target the latest value is, in percent (None without a value)."""
        if self.latest_value is None or self.target_value == self.baseline:
            return None
        return round((self.latest_value - self.baseline) / (self.target_value - self.baseline) * 100)


@dataclass
class ProjectEntry:
    page: ProjectPage
    status_label: str
    lead_partner_name: str
    partner_names: list[str]
    partner_ids: set[int]
    goal_numbers: list[int]
    outcomes: list[OutcomeProgress] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)


class Direction:
    UP = "up"
    DOWN = "down"
    FLAT = "flat"


@dataclass
class IndicatorEntry:
    indicator: Indicator
    goal_numbers: list[int]
    region_name: str = ""
    first_year: int | None = None
    first_value: Decimal | None = None
    last_year: int | None = None
    last_value: Decimal | None = None
    reference_name: str = ""
    reference_value: Decimal | None = None

    @property
    def direction(self) -> str | None:
        if self.first_value is None or self.last_value is None or self.first_year == self.last_year:
            return None
        if self.last_value > self.first_value:
            return Direction.UP
        if self.last_value < self.first_value:
            return Direction.DOWN
        return Direction.FLAT

    @property
    def improving(self) -> bool | None:
        """Whether the change is progress, when the indicator says which way is better."""
        direction = self.direction
        if direction is None or direction == Direction.FLAT or self.indicator.higher_is_better is None:
            return None
        return (direction == Direction.UP) == self.indicator.higher_is_better

    @property
    def versus_reference(self) -> str | None:
        """ "above", "below" or "equal": the last value against the reference in the same year."""
        if self.last_value is None or self.reference_value is None:
            return None
        if self.last_value > self.reference_value:
            return "above"
        if self.last_value < self.reference_value:
            return "below"
        return "equal"


@dataclass
class GoalSection:
    goal: Goal
    projects: list[ProjectEntry]
    indicators: list[IndicatorEntry]


@dataclass
class AnnexPartner:
    name: str
    kind_label: str
    project_count: int


@dataclass
class Review:
    hub: HubPage
    period: Period
    generated_on: date
    goal_sections: list[GoalSection]
    projects: list[ProjectEntry]
    indicators: list[IndicatorEntry]
    partners: list[AnnexPartner]
    quote_count: int
    status_counts: list[tuple[str, int]]

    @property
    def fictional(self) -> bool:
        return any(entry.indicator.fictional for entry in self.indicators)

    @property
    def active_partner_count(self) -> int:
        return sum(1 for partner in self.partners if partner.project_count)


def plain_excerpt(html: str, words: int = QUOTE_WORDS) -> str:
    """Stored rich text as a short plain-text excerpt: tags dropped, entities decoded, spaces joined."""
    text = " ".join(unescape(strip_tags((html or "").replace("<", " <"))).split())
    return Truncator(text).words(words, truncate="…")


def _projects(hub: HubPage, period: Period) -> QuerySet[ProjectPage]:
    """The hub's public projects whose dates overlap the period (open ends count as overlapping).

    Returned as a query: the other reads use it as a subquery rather than a list of ids, which
    would grow with the data (and meet the database's limit on parameters).
    """
    starts_in_time = Q(start_date__isnull=True) | Q(start_date__lte=period.end)
    ends_in_time = Q(end_date__isnull=True) | Q(end_date__gte=period.start)
    return ProjectPage.objects.filter(published_q()).descendant_of(hub).filter(starts_in_time & ends_in_time)


def _outcomes(projects: QuerySet[ProjectPage], period: Period) -> dict[int, list[OutcomeProgress]]:
    """Each project's outcomes with the latest measurement on or before the period's end."""
    project_ids = projects.values("pk")
    outcomes = list(Outcome.objects.filter(project__in=project_ids).order_by("project_id", "sort_order", "pk"))
    latest: dict[int, OutcomeMeasurement] = {}
    measurements = OutcomeMeasurement.objects.filter(
        outcome__project__in=project_ids, measured_on__lte=period.end
    ).order_by("measured_on", "pk")
    for measurement in measurements:
        latest[measurement.outcome_id] = measurement
    by_project: dict[int, list[OutcomeProgress]] = defaultdict(list)
    for outcome in outcomes:
        measurement = latest.get(outcome.pk)
        by_project[outcome.project_id].append(
            OutcomeProgress(
                title=outcome.title,
                unit=outcome.unit,
                baseline=outcome.baseline,
                target_value=outcome.target_value,
                target_date=outcome.target_date,
                latest_value=measurement.value if measurement else None,
                latest_on=measurement.measured_on if measurement else None,
            )
        )
    return by_project


def _quotes(projects: QuerySet[ProjectPage], period: Period) -> dict[int, list[Quote]]:
    """The newest progress updates of each project in the period, as short attributed excerpts."""
    updates = (
        ProgressUpdate.objects.filter(project__in=projects.values("pk"), reported_on__range=(period.start, period.end))
        .select_related("partner")
        .only("project_id", "reported_on", "text", "partner__name")
        .order_by("-reported_on", "-pk")
    )
    by_project: dict[int, list[Quote]] = defaultdict(list)
    for update in updates:
        quotes = by_project[update.project_id]
        text = plain_excerpt(update.text)
        if len(quotes) < QUOTES_PER_PROJECT and text:
            quotes.append(Quote(text=text, partner_name=update.partner.name, reported_on=update.reported_on))
    return by_project


def _indicators(hub: HubPage, period: Period) -> list[IndicatorEntry]:
    """The hub's indicators with their first and last value in the period's years and the reference."""
    indicators = list(
        Indicator.objects.filter(hub=hub)
        .select_related("perspective")
        .prefetch_related(Prefetch("goals", queryset=Goal.objects.only("pk", "number")))
        .order_by("code")
    )
    series_list = list(Series.objects.filter(indicator__hub=hub).order_by("is_reference", "region_code"))
    values: dict[int, list[Value]] = defaultdict(list)
    for value in Value.objects.filter(
        series__indicator__hub=hub, year__gte=period.start.year, year__lte=period.end.year
    ).order_by("year"):
        values[value.series_id].append(value)
    own: dict[int, Series] = {}
    reference: dict[int, Series] = {}
    for series in series_list:
        chosen = reference if series.is_reference else own
        chosen.setdefault(series.indicator_id, series)
    entries = []
    for indicator in indicators:
        entry = IndicatorEntry(indicator=indicator, goal_numbers=sorted(goal.number for goal in indicator.goals.all()))
        series = own.get(indicator.pk)
        if series is not None:
            entry.region_name = series.region_name or series.region_code
            own_values = values[series.pk]
            if own_values:
                entry.first_year, entry.first_value = own_values[0].year, own_values[0].value
                entry.last_year, entry.last_value = own_values[-1].year, own_values[-1].value
        ref = reference.get(indicator.pk)
        if ref is not None:
            entry.reference_name = ref.region_name or ref.region_code
            same_year = [value for value in values[ref.pk] if value.year == entry.last_year]
            if same_year:
                entry.reference_value = same_year[0].value
        entries.append(entry)
    return entries


def _annex_partners(hub: HubPage, projects: list[ProjectEntry]) -> list[AnnexPartner]:
    """The hub's approved partners, with how many of the review's projects each takes part in."""
    counts: dict[int, int] = defaultdict(int)
    for entry in projects:
        for partner_id in entry.partner_ids:
            counts[partner_id] += 1
    partnerships = (
        Partnership.objects.filter(hub=hub, status=PartnershipStatus.APPROVED)
        .select_related("partner")
        .only("partner__id", "partner__name", "partner__kind")
        .order_by("partner__name")
    )
    return [
        AnnexPartner(
            name=partnership.partner.name,
            kind_label=partnership.partner.get_kind_display(),
            project_count=counts.get(partnership.partner_id, 0),
        )
        for partnership in partnerships
    ]


def review_draft(hub: HubPage, period: Period, *, today: date) -> Review:
    """Everything the review shows, in a fixed number of queries. Call it in the review's language
    only for the labels it keeps (status and kind labels are translated when read)."""
    in_period = _projects(hub, period)
    pages = list(
        in_period.select_related("lead_partner")
        .prefetch_related(
            Prefetch("goals", queryset=Goal.objects.only("pk", "number")),
            Prefetch("partners", queryset=Partner.objects.only("pk", "name").order_by("name")),
        )
        .order_by("title", "pk")
    )
    outcomes = _outcomes(in_period, period)
    quotes = _quotes(in_period, period)
    goal_by_pk = {goal.pk: goal for goal in goal_catalogue()}
    projects = []
    for page in pages:
        partners = list(page.partners.all())
        goal_numbers = {goal_by_pk[page.primary_goal_id].number, *(goal.number for goal in page.goals.all())}
        projects.append(
            ProjectEntry(
                page=page,
                status_label=str(ProjectStatus(page.status).label),
                lead_partner_name=page.lead_partner.name if page.lead_partner else "",
                partner_names=[partner.name for partner in partners],
                partner_ids={partner.pk for partner in partners} | ({page.lead_partner_id} - {None}),
                goal_numbers=sorted(goal_numbers),
                outcomes=outcomes.get(page.pk, []),
                quotes=quotes.get(page.pk, []),
            )
        )
    indicators = _indicators(hub, period)
    sections = []
    for goal in goal_by_pk.values():
        goal_projects = [entry for entry in projects if goal.number in entry.goal_numbers]
        goal_indicators = [entry for entry in indicators if goal.number in entry.goal_numbers]
        if goal_projects or goal_indicators:
            sections.append(GoalSection(goal=goal, projects=goal_projects, indicators=goal_indicators))
    status_counts: dict[str, int] = defaultdict(int)
    for entry in projects:
        status_counts[entry.page.status] += 1
    return Review(
        hub=hub,
        period=period,
        generated_on=today,
        goal_sections=sections,
        projects=projects,
        indicators=indicators,
        partners=_annex_partners(hub, projects),
        quote_count=sum(len(entry.quotes) for entry in projects),
        status_counts=[
            (str(status.label), status_counts[status.value]) for status in ProjectStatus if status_counts[status.value]
        ],
    )
