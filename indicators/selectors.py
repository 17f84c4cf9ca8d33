"""Reads of a hub's indicators: the admin's list, and for the public pages lists with their latest value and trend, one
indicator with its series, the goal pages' indicators of every public hub.

Every selector costs a fixed number of queries whatever the number of indicators, series and
values: related rows are prefetched, and the indicators' hub is the one the caller knows (so
``get_absolute_url`` asks nothing more).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from cms.charts.lines import format_number
from cms.models import HubPage
from cms.restrictions import published_q
from goals.models import Goal
from indicators.models import Indicator, Series, Value

TREND_UP = "up"
TREND_DOWN = "down"
TREND_FLAT = "flat"


@dataclass(frozen=True)
class Trend:
    """Which way the own series moved from its last-but-one value to its last, and whether that is progress."""

    direction: str  # TREND_UP, TREND_DOWN or TREND_FLAT
    better: bool | None  # None when the indicator says neither way is better, or it did not move
    previous_year: int
    previous: Decimal

    @property
    def label(self) -> str:
        words = {TREND_UP: _("rising"), TREND_DOWN: _("falling"), TREND_FLAT: _("unchanged")}
        return str(words[self.direction])

    @property
    def judgement(self) -> str:
        if self.better is None:
            return ""
        return str(_("better") if self.better else _("worse"))

    @property
    def arrow(self) -> str:
        return {TREND_UP: "↑", TREND_DOWN: "↓", TREND_FLAT: "→"}[self.direction]


def _with_series(queryset: QuerySet[Indicator]) -> QuerySet[Indicator]:
    """The classification and every series with its values: five queries for any number of indicators."""
    return queryset.select_related("perspective").prefetch_related(
        "goals",
        "targets",
        Prefetch(
            "series",
            queryset=Series.objects.order_by("is_reference", "region_code").prefetch_related(
                Prefetch("values", queryset=Value.objects.order_by("year"))
            ),
        ),
    )


def own_series(indicator: Indicator, municipality_number: str = "") -> Series | None:
    """The municipality's own series of a prefetched indicator: the one for the hub's municipality
    number, else the first that is no reference."""
    series = list(indicator.series.all())
    own = [one for one in series if not one.is_reference]
    for one in own:
        if municipality_number and one.region_code == municipality_number:
            return one
    return own[0] if own else None


def latest_and_trend(indicator: Indicator, series: Series | None) -> tuple[Value | None, Trend | None]:
    """The last value of ``series`` (prefetched) and its trend against the value before it."""
    values = list(series.values.all()) if series is not None else []
    if not values:
        return None, None
    latest = values[-1]
    if len(values) < 2:
        return latest, None
    previous = values[-2]
    if latest.value > previous.value:
        direction = TREND_UP
    elif latest.value < previous.value:
        direction = TREND_DOWN
    else:
        direction = TREND_FLAT
    better = None
    if indicator.higher_is_better is not None and direction != TREND_FLAT:
        better = (direction == TREND_UP) == indicator.higher_is_better
    return latest, Trend(direction, better, previous.year, previous.value)


def _annotate(indicators: Iterable[Indicator], hub: HubPage) -> list[Indicator]:
    """Give each indicator its hub (no query for its address), own series, latest value and trend."""
    result = []
    for indicator in indicators:
        indicator.hub = hub
        indicator.own = own_series(indicator, hub.municipality_number)
        indicator.latest, indicator.trend = latest_and_trend(indicator, indicator.own)
        indicator.latest_display = format_number(indicator.latest.value) if indicator.latest else ""
        result.append(indicator)
    return result


def hub_indicators(hub: HubPage, *, goal: Goal | None = None) -> list[Indicator]:
    """The hub's indicators (those classified under ``goal`` if given), by code, each with ``own``,
    ``latest`` and ``trend``."""
    indicators = Indicator.objects.filter(hub=hub)
    if goal is not None:
        indicators = indicators.filter(goals=goal)
    return _annotate(_with_series(indicators.order_by("code")), hub)


@dataclass
class GoalGroup:
    goal: Goal | None  # None: not classified under any goal yet
    indicators: list[Indicator]


def grouped_by_goal(indicators: list[Indicator]) -> list[GoalGroup]:
    """Indicators under each of their goals (one may appear under several), goals in order, then
    those without a goal."""
    groups: dict[int | None, GoalGroup] = {}
    for indicator in indicators:
        goals = list(indicator.goals.all())
        for goal in goals or [None]:
            key = goal.number if goal is not None else None
            groups.setdefault(key, GoalGroup(goal, [])).indicators.append(indicator)
    return sorted(groups.values(), key=lambda group: (group.goal is None, group.goal.number if group.goal else 0))


def hub_indicator(hub: HubPage, key: str) -> Indicator | None:
    """One of the hub's indicators by its address key (``Indicator.url_key``: the code, or ``_<id>``),
    with its classification, series and values, or None."""
    lookup = Q(code=key)
    if key.startswith("_") and key[1:].isdigit():
        lookup |= Q(pk=int(key[1:]))
    candidates = list(
        _with_series(Indicator.objects.filter(lookup, hub=hub)).prefetch_related(
            "targets__goal", "un_indicators__target"
        )
    )
    # A code that is the key wins over an id (a code cannot look like another indicator's "_<id>" key).
    indicator = next((one for one in candidates if one.code == key), None) or next(iter(candidates), None)
    if indicator is None:
        return None
    return _annotate([indicator], hub)[0]


def indicators_for_goal(goal: Goal) -> list[tuple[HubPage, list[Indicator]]]:
    """For a goal page: each live, public hub's indicators classified under ``goal``, hubs by title.

    Three queries more than the indicators' own: the hubs, and the prefetched classification and series.
    """
    hubs = {hub.pk: hub for hub in HubPage.objects.filter(published_q()).defer_streamfields()}
    if not hubs:
        return []
    indicators = _with_series(Indicator.objects.filter(goals=goal, hub_id__in=list(hubs)).order_by("hub_id", "code"))
    by_hub: dict[int, list[Indicator]] = {}
    for indicator in indicators:
        hub = hubs[indicator.hub_id]
        by_hub.setdefault(hub.pk, []).extend(_annotate([indicator], hub))
    return sorted(((hubs[pk], rows) for pk, rows in by_hub.items()), key=lambda pair: pair[0].title.lower())


def admin_indicator_list(hubs) -> QuerySet[Indicator]:
    """The indicators of ``hubs`` with their last year and how far they are classified, in one query."""
    return (
        Indicator.objects.filter(hub__in=hubs)
        .select_related("hub", "perspective")
        .annotate(
            last_year=Max("series__values__year"),
            goal_count=Count("goals", distinct=True),
        )
        .order_by("hub__title", "code")
    )
