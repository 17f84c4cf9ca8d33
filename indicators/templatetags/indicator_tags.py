"""Indicators for pages of lower apps: the goal page (goals never imports indicators; its template
loads these tags, so the dependency points from indicators down to goals)."""

from django import template

from indicators import selectors

register = template.Library()


@register.inclusion_tag("indicators/includes/goal_indicators.html")
def goal_indicators(goal):
    """Each live, public hub's indicators classified under ``goal``, with their latest value and trend."""
    return {"goal": goal, "hubs": selectors.indicators_for_goal(goal)}
