"""Which dependency keys (``cms.dependency``) writes to a hub's indicators replace: the hub's pages,
and the pages of the goals they are classified under (a goal's page lists every hub's indicators)."""

from cms import dependency
from cms.content_dependencies import goal_keys
from indicators.models import Indicator, Perspective, Series, Value


def indicator_keys(indicator_id) -> set[str]:
    hub_id = Indicator.objects.filter(pk=indicator_id).values_list("hub_id", flat=True).first()
    goal_ids = Indicator.goals.through.objects.filter(indicator_id=indicator_id).values_list("goal_id", flat=True)
    return _hub(hub_id) | goal_keys(goal_ids)


def hub_indicators_keys(hub_id) -> set[str]:
    """What a write to any of the hub's indicators may replace (imports write in bulk)."""
    goal_ids = Indicator.goals.through.objects.filter(indicator__hub_id=hub_id).values_list("goal_id", flat=True)
    return _hub(hub_id) | goal_keys(goal_ids)


def _hub(hub_id) -> set[str]:
    return {dependency.hub(hub_id)} if hub_id is not None else {dependency.SITE}


dependency.register(Perspective, lambda perspective: _hub(perspective.hub_id))
dependency.register(Indicator, lambda indicator: indicator_keys(indicator.pk))
dependency.register(Series, lambda series: indicator_keys(series.indicator_id))
dependency.register(
    Value,
    lambda value: indicator_keys(
        Series.objects.filter(pk=value.series_id).values_list("indicator_id", flat=True).first()
    ),
)
