"""Factories for events tests: events written straight with the ORM, registrations through the service."""

import itertools
from datetime import timedelta

from django.utils import timezone

from events.models import Event, EventStatus, Registration, RegistrationStatus
from tests.partners.factories import coordinator_create, hub_create

__all__ = ["coordinator_create", "event_create", "hub_create", "registration_create"]

_sequence = itertools.count(1)


def event_create(hub, *, starts_in=timedelta(days=3), duration=timedelta(hours=2), goals=(), **fields) -> Event:
    """A published event of ``hub`` starting ``starts_in`` from now, saved directly (no service)."""
    number = next(_sequence)
    starts_at = fields.pop("starts_at", None) or timezone.now() + starts_in
    fields.setdefault("title", f"Verksted {number}")
    fields.setdefault("status", EventStatus.PUBLISHED)
    if fields["status"] != EventStatus.DRAFT:
        fields.setdefault("published_at", timezone.now())
    event = Event.objects.create(hub=hub, starts_at=starts_at, ends_at=starts_at + duration, **fields)
    event.goals.set(goals)
    return event


def registration_create(event, user, *, status=RegistrationStatus.REGISTERED, **fields) -> Registration:
    """A registration saved directly (no capacity check): for setting up tests."""
    fields.setdefault("queued_at", timezone.now())
    return Registration.objects.create(event=event, user=user, status=status, **fields)
