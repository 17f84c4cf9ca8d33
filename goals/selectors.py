"""Reads of the SDG catalogue for pages, and for other apps that show goals."""

from django.db.models import Prefetch, QuerySet

from goals.models import GOAL_NUMBERS, Goal, Indicator, Target


def goals_in_order() -> QuerySet[Goal]:
    """All 17 goals by number; one query, nothing related fetched."""
    return Goal.objects.order_by("number")


def goal_with_targets(number: int) -> Goal:
    """The goal with `number`, its targets in order and each target's indicators in order.

    Three queries however many targets the goal has. Raises Goal.DoesNotExist for a number outside
    1-17 without asking the database, which could not hold a number that large anyway.
    """
    if number not in GOAL_NUMBERS:
        raise Goal.DoesNotExist(f"There is no goal {number}.")
    targets = Target.objects.order_by("sort_key").prefetch_related(
        Prefetch("indicators", queryset=Indicator.objects.order_by("sort_key"))
    )
    return Goal.objects.prefetch_related(Prefetch("targets", queryset=targets)).get(number=number)
