"""Project lists for pages of lower apps (goal pages, partner pages, a hub's home page).

goals, partners and cms never import projects: their templates load these tags instead, so the
dependency points from projects down to them.
"""

from django import template

from projects import selectors

register = template.Library()

GOAL_PROJECTS_MAX = 12
PARTNER_PROJECTS_MAX = 24


@register.inclusion_tag("projects/includes/goal_projects.html", takes_context=True)
def goal_projects(context, goal):
    """Live projects of every hub that serve ``goal``: at most twelve, with the total count and a feed link."""
    projects = selectors.projects_for_goal(goal)
    shown = list(projects[:GOAL_PROJECTS_MAX])
    count = len(shown) if len(shown) < GOAL_PROJECTS_MAX else projects.count()
    return {
        "request": context.get("request"),
        "goal": goal,
        "projects": shown,
        "count": count,
        "card_rendition": selectors.CARD_IMAGE_RENDITION,
    }


@register.inclusion_tag("projects/includes/partner_projects.html", takes_context=True)
def partner_projects(context, partner, hub):
    """The live projects of ``hub`` that ``partner`` leads or takes part in."""
    projects = list(selectors.projects_for_partner(partner).descendant_of(hub)[:PARTNER_PROJECTS_MAX])
    return {"request": context.get("request"), "partner": partner, "projects": projects}


@register.inclusion_tag("projects/includes/hub_projects.html", takes_context=True)
def hub_projects(context, hub):
    """The featured and latest projects for a hub's home page."""
    return {
        "request": context.get("request"),
        "hub": hub,
        "projects": selectors.hub_featured_and_latest(hub),
        "card_rendition": selectors.CARD_IMAGE_RENDITION,
    }
