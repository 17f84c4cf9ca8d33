"""Indicators for pages of lower apps: the goal page (goals never imports indicators; its template
loads these tags, so the dependency points from indicators down to goals)."""

from django import template
from django.template.loader import render_to_string

from cms.fragments import cached_fragment
from indicators import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def goal_indicators(context, goal):
    """Each live, public hub's indicators classified under ``goal``, with their latest value and trend.

    The same for everyone: rendered once per change to the goal's indicators (``cms.fragments``)."""
    return cached_fragment(
        context.get("request"),
        f"goal-indicators:{goal.number}",
        lambda: render_to_string(
            "indicators/includes/goal_indicators.html", {"goal": goal, "hubs": selectors.indicators_for_goal(goal)}
        ),
        depends_on=(f"goal:{goal.number}",),
    )
