"""A person's event registrations, for the data export and account erasure (``accounts.personal_data``);
``prune`` deletes registrations some days after their event (``EVENT_PERSONAL_DATA_RETENTION_DAYS``)."""

from events.models import Registration
from events.services import personal_data_purge, registrations_erase_for


def _iso(value):
    return value.isoformat() if value else None


def export(user) -> dict:
    registrations = Registration.objects.filter(user=user).select_related("event__hub").order_by("created_at", "pk")
    return {
        "registrations": [
            {
                "event": registration.event.title,
                "hub": registration.event.hub.title,
                "starts_at": _iso(registration.event.starts_at),
                "status": registration.status,
                "dietary_needs": registration.dietary_needs,
                "accessibility_needs": registration.accessibility_needs,
                "registered_at": _iso(registration.created_at),
                "cancelled_at": _iso(registration.cancelled_at),
            }
            for registration in registrations
        ]
    }


def erase(user, *, remove_comment_text: bool) -> None:
    registrations_erase_for(user=user)


def prune(now) -> int:
    return personal_data_purge(now=now)
