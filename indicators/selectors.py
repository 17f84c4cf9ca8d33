"""Reads of a hub's indicators for the admin (the public pages have their own)."""

from django.db.models import Count, Max, QuerySet

from indicators.models import Indicator


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
