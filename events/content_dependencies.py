"""Which dependency keys (``cms.dependency``) writes to events replace: the hub's pages (its lists
of events) and the page of the project an event belongs to."""

from cms import dependency
from cms.content_dependencies import hub_item_keys
from events.models import Event, Registration


def _registration(registration: Registration) -> set[str]:
    # An event shows how many places are left.
    event = Event.objects.filter(pk=registration.event_id).only("pk", "hub_id", "project_id").first()
    return hub_item_keys(event) if event is not None else set()


dependency.register(Event, hub_item_keys)
dependency.register(Registration, _registration)
