"""Which dependency keys (``cms.dependency``) writes to events replace: the hub's pages (its lists
of events) and the page of the project an event belongs to."""

from cms import dependency
from events.models import Event, Registration


def event_keys(event: Event) -> set[str]:
    keys = {dependency.hub(event.hub_id)}
    if event.project_id is not None:
        keys.add(dependency.page(event.project_id))
    return keys


def _registration(registration: Registration) -> set[str]:
    # An event shows how many places are left.
    event = Event.objects.filter(pk=registration.event_id).only("pk", "hub_id", "project_id").first()
    return event_keys(event) if event is not None else set()


dependency.register(Event, event_keys)
dependency.register(Registration, _registration)
