"""Who sees the events section of the Wagtail admin, and which hubs' events.

Coordinators are not given Django model permissions: what they see follows from the hubs they
coordinate (``cms.admin.access.coordinated_hubs``); site administrators see every hub.
"""

from django.shortcuts import get_object_or_404

from cms.admin.access import coordinated_hubs
from cms.models import HubPage
from events.models import Event
from events.permissions import can_edit_event, can_manage_events


def can_use_events_admin(user) -> bool:
    """The section is for site administrators and coordinators of some hub (remembered per request)."""
    cached = getattr(user, "_can_use_events_admin", None)
    if cached is None:
        cached = coordinated_hubs(user).exists()
        if user is not None:
            user._can_use_events_admin = cached
    return cached


def hub_for(user, hub_id) -> HubPage | None:
    """The hub, if this person makes its events; None means "refuse with 403"."""
    hub = get_object_or_404(HubPage, pk=hub_id)
    return hub if can_manage_events(user, hub) else None


def event_for(user, pk: int) -> Event | None:
    event = get_object_or_404(Event.objects.select_related("hub", "project"), pk=pk)
    return event if can_edit_event(user, event) else None
