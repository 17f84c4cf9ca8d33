"""Events for pages of lower apps: the project page and the hub page (projects and cms never import
events; their templates load these tags, so the dependency points from events down)."""

from django import template

from events import selectors

register = template.Library()


@register.inclusion_tag("events/includes/project_events.html")
def project_events(project):
    """The project's upcoming published events, soonest first, and its iCalendar feed."""
    hub = project.get_hub()
    return {
        "project": project,
        "events": selectors.project_upcoming_events(project),
        "ical_url": f"{hub.url}events/project/{project.pk}/ical/" if hub is not None else "",
    }


@register.inclusion_tag("events/includes/hub_events.html")
def hub_events(hub):
    """A short "next events" list for the hub's home page."""
    return {"hub": hub, "events": selectors.hub_next_events(hub), "events_url": f"{hub.url}events/"}
