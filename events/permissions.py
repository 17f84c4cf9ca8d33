"""Who may do what with events and registrations: the one place these rules live.

Events are made, edited and cancelled by the hub's coordinators and the site administrators
(``cms.permissions.is_hub_coordinator`` counts both); they alone see drafts and the registration
list. Published and cancelled events are public. Anyone logged in may register for a published
event until it starts, and cancel their own registration until it ends.
"""

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from cms.models import HubPage
from cms.permissions import is_hub_coordinator
from events.models import Event, EventStatus, Registration, RegistrationStatus

AnyUser = AbstractBaseUser | AnonymousUser | None


def _active(user: AnyUser) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def can_manage_events(user: AnyUser, hub: HubPage) -> bool:
    """Create events in ``hub``."""
    return is_hub_coordinator(user, hub)


def can_edit_event(user: AnyUser, event: Event) -> bool:
    """Edit, publish or cancel ``event``."""
    return is_hub_coordinator(user, event.hub)


def can_view_event(user: AnyUser, event: Event) -> bool:
    """Published and cancelled events are public; drafts only for those who edit them."""
    return event.status != EventStatus.DRAFT or can_edit_event(user, event)


def can_see_registrations(user: AnyUser, event: Event) -> bool:
    """The list of who registered (names, e-mail addresses, needs) and its CSV."""
    return can_edit_event(user, event)


def registration_open(event: Event) -> bool:
    """Registration is open for a published event until it starts."""
    return event.status == EventStatus.PUBLISHED and timezone.now() < event.starts_at


def can_register(user: AnyUser, event: Event) -> bool:
    return _active(user) and registration_open(event)


def can_cancel_registration(user: AnyUser, registration: Registration) -> bool:
    """Only one's own, while it holds a seat or a place in the queue and the event has not ended."""
    return (
        _active(user)
        and registration.user_id == user.pk
        and registration.status != RegistrationStatus.CANCELLED
        and timezone.now() < registration.event.ends_at
    )
