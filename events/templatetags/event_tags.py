"""Events for pages of lower apps: the project page and the hub page (projects and cms never import
events; their templates load these tags, so the dependency points from events down)."""

from django import template

from cms import dependency
from cms.versioned_cache import versioned
from events import selectors

# The lists change with time alone (an event ends): kept at most as long as the anonymous page cache.
LIST_TIMEOUT = 10 * 60

register = template.Library()


@register.inclusion_tag("events/includes/project_events.html")
def project_events(project):
    """The project's upcoming published events, soonest first, and its iCalendar feed."""
    hub = project.get_hub()
    return {
        "project": project,
        "events": versioned(
            f"events:project:{project.pk}",
            lambda: selectors.project_upcoming_events(project),
            depends_on=[dependency.page(project.pk)],
            timeout=LIST_TIMEOUT,
        ),
        "ical_url": f"{hub.url}events/project/{project.pk}/ical/" if hub is not None else "",
    }


@register.inclusion_tag("events/includes/hub_events.html")
def hub_events(hub):
    """A short "next events" list for the hub's home page."""
    events = versioned(
        f"events:hub:{hub.pk}",
        lambda: selectors.hub_next_events(hub),
        depends_on=[dependency.hub(hub.pk)],
        timeout=LIST_TIMEOUT,
    )
    return {"hub": hub, "events": events, "events_url": f"{hub.url}events/"}
