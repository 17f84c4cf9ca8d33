"""Writes to events and registrations: every view, admin view, command and task goes through these.

Seats are given out under a row lock on the event (``select_for_update`` inside
``transaction.atomic``): two people taking the last seat at once are served one after the other,
so one gets the seat and the other a place on the waiting list. SQLite serialises writes anyway.
A seat that becomes free (a cancellation, a larger capacity) goes to the first on the waiting list,
who is told through ``events.events.registration_promoted``.
"""

import logging
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events import events as signals
from events.models import OSLO, Event, EventStatus, Registration, RegistrationStatus, oslo_day_bounds
from events.permissions import can_cancel_registration, can_edit_event, can_manage_events, can_register

logger = logging.getLogger(__name__)

NEEDS_MAX_CHARS = 1000


def _approved_partner_ids(hub) -> set[int]:
    from partners.models import Partnership, PartnershipStatus

    return set(
        Partnership.objects.filter(hub=hub, status=PartnershipStatus.APPROVED).values_list("partner_id", flat=True)
    )


def event_save(*, actor, event: Event, goals=(), partners=()) -> Event:
    """Create or update ``event`` (an unsaved instance with ``hub`` set, or a changed saved one).

    The project must be in the event's hub, the organising partners approved partners of it. The
    first publication announces the event (``event_published``); cancelling a published one tells
    those registered (``event_cancelled``). A larger capacity moves people up from the waiting list.
    """
    if not (can_edit_event(actor, event) if event.pk else can_manage_events(actor, event.hub)):
        raise PermissionDenied
    errors = {}
    if event.project_id is not None and event.project.get_hub() != event.hub:
        errors["project"] = _("Choose a project of this hub.")
    partners = list(partners)
    if {partner.pk for partner in partners} - _approved_partner_ids(event.hub):
        errors["partners"] = _("Only approved partners of this hub can organise its events.")
    if event.starts_at and event.ends_at and event.ends_at < event.starts_at:
        errors["ends_at"] = _("The event cannot end before it starts.")
    if errors:
        raise ValidationError(errors)
    event.full_clean()
    previous = Event.objects.filter(pk=event.pk).values_list("status", flat=True).first() if event.pk else None
    first_publication = event.status == EventStatus.PUBLISHED and event.published_at is None
    with transaction.atomic():
        if first_publication:
            event.published_at = timezone.now()
        if event.pk is None:
            event.created_by = actor
        event.save()
        event.goals.set(goals)
        event.partners.set(partners)
        promoted = _promote(event) if event.status == EventStatus.PUBLISHED else []
        if first_publication:
            transaction.on_commit(lambda: signals.event_published.send(sender=Event, event=event))
        if previous == EventStatus.PUBLISHED and event.status == EventStatus.CANCELLED:
            transaction.on_commit(lambda: signals.event_cancelled.send(sender=Event, event=event))
    _announce_promoted(promoted)
    logger.info("Event %s saved by %s (%s)", event.pk, getattr(actor, "pk", None), event.status)
    return event


def event_cancel(*, actor, event: Event) -> Event:
    """Cancel ``event``; it stays listed as cancelled."""
    event.status = EventStatus.CANCELLED
    return event_save(actor=actor, event=event, goals=list(event.goals.all()), partners=list(event.partners.all()))


def _seats_taken(event: Event) -> int:
    return event.registrations.filter(status=RegistrationStatus.REGISTERED).count()


def _promote(event: Event) -> list[Registration]:
    """Give free seats to the first on the waiting list. Call with the event's row locked."""
    waiting = event.registrations.filter(status=RegistrationStatus.WAITING).order_by("queued_at", "pk")
    if event.capacity is not None:
        free = event.capacity - _seats_taken(event)
        if free <= 0:
            return []
        waiting = waiting[:free]
    promoted = list(waiting)
    for registration in promoted:
        registration.status = RegistrationStatus.REGISTERED
        registration.save(update_fields=["status"])
    return promoted


def _announce_promoted(promoted: list[Registration]) -> None:
    for registration in promoted:
        transaction.on_commit(
            lambda registration=registration: signals.registration_promoted.send(
                sender=Registration, registration=registration
            )
        )


def _clean_needs(text: str, field: str) -> str:
    text = (text or "").strip()
    if len(text) > NEEDS_MAX_CHARS:
        raise ValidationError({field: _("Write at most %(count)d characters.") % {"count": NEEDS_MAX_CHARS}})
    return text


def registration_create(*, user, event: Event, dietary_needs: str = "", accessibility_needs: str = "") -> Registration:
    """Register ``user``: a seat while there is one, else a place on the waiting list.

    Needs are kept only when the event asks for them. Registering again after cancelling takes a
    new place at the end of the queue.
    """
    dietary_needs = _clean_needs(dietary_needs, "dietary_needs") if event.ask_dietary_needs else ""
    accessibility_needs = (
        _clean_needs(accessibility_needs, "accessibility_needs") if event.ask_accessibility_needs else ""
    )
    with transaction.atomic():
        locked = Event.objects.select_for_update().select_related("hub").get(pk=event.pk)
        if not can_register(user, locked):
            raise PermissionDenied(_("Registration for this event is closed."))
        registration = Registration.objects.filter(event=locked, user=user).first()
        if registration is not None and registration.status != RegistrationStatus.CANCELLED:
            raise ValidationError(_("You are already registered for this event."))
        full = locked.capacity is not None and _seats_taken(locked) >= locked.capacity
        registration = registration or Registration(event=locked, user=user)
        registration.status = RegistrationStatus.WAITING if full else RegistrationStatus.REGISTERED
        registration.dietary_needs = dietary_needs
        registration.accessibility_needs = accessibility_needs
        registration.queued_at = timezone.now()
        registration.cancelled_at = None
        registration.reminded_at = None
        registration.full_clean(validate_unique=False)
        registration.save()
    logger.info("Registration %s for event %s: %s", registration.pk, event.pk, registration.status)
    return registration


def registration_cancel(*, user, registration: Registration) -> Registration:
    """Cancel one's own registration; a freed seat goes to the first on the waiting list."""
    with transaction.atomic():
        locked_event = Event.objects.select_for_update().get(pk=registration.event_id)
        registration = Registration.objects.select_related("event").get(pk=registration.pk)
        if not can_cancel_registration(user, registration):
            raise PermissionDenied
        held_seat = registration.status == RegistrationStatus.REGISTERED
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = timezone.now()
        registration.dietary_needs = ""
        registration.accessibility_needs = ""
        registration.save()
        promoted = _promote(locked_event) if held_seat and locked_event.status == EventStatus.PUBLISHED else []
        _announce_promoted(promoted)
    return registration


def reminders_send(*, day: date | None = None) -> int:
    """Mark the reminders due for the published events starting on ``day`` (by default tomorrow, in
    Norway) and announce them (``reminders_due``); notifications e-mails them as each person
    prefers. Idempotent: a registration is reminded once (``reminded_at``). Returns how many."""
    if day is None:
        day = timezone.localtime(timezone.now(), OSLO).date() + timedelta(days=1)
    start, end = oslo_day_bounds(day)
    now = timezone.now()
    count = 0
    events = Event.objects.filter(status=EventStatus.PUBLISHED, starts_at__gte=start, starts_at__lt=end)
    for event in events:
        with transaction.atomic():
            due = list(
                Registration.objects.select_for_update()
                .filter(event=event, status=RegistrationStatus.REGISTERED, reminded_at__isnull=True)
                .values_list("pk", flat=True)
            )
            if not due:
                continue
            Registration.objects.filter(pk__in=due).update(reminded_at=now)
            transaction.on_commit(
                lambda event=event, due=due: signals.reminders_due.send(sender=Event, event=event, registration_ids=due)
            )
            count += len(due)
    logger.info("Event reminders for %s: %s", day, count)
    return count


def personal_data_purge(*, now: datetime | None = None) -> int:
    """Delete the registrations (names, needs) of events that ended more than
    ``EVENT_PERSONAL_DATA_RETENTION_DAYS`` ago, keeping only how many had a seat. Returns how many
    registrations were deleted."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.EVENT_PERSONAL_DATA_RETENTION_DAYS)
    deleted = 0
    for event in Event.objects.filter(ends_at__lt=cutoff, personal_data_purged_at__isnull=True):
        with transaction.atomic():
            event.attended_count = _seats_taken(event)
            event.personal_data_purged_at = now
            event.save(update_fields=["attended_count", "personal_data_purged_at"])
            deleted += event.registrations.all().delete()[0]
    logger.info("Event registrations purged: %s", deleted)
    return deleted


def registrations_erase_for(*, user) -> int:
    """Delete a person's registrations (their account is being erased); seats they held in events
    still to come go to the first on the waiting list. Returns how many were deleted."""
    now = timezone.now()
    event_ids = list(
        Registration.objects.filter(user=user, status=RegistrationStatus.REGISTERED, event__ends_at__gt=now)
        .values_list("event_id", flat=True)
        .distinct()
    )
    with transaction.atomic():
        locked = list(Event.objects.select_for_update().filter(pk__in=event_ids).order_by("pk"))
        deleted = Registration.objects.filter(user=user).delete()[0]
        for event in locked:
            if event.status == EventStatus.PUBLISHED:
                _announce_promoted(_promote(event))
    return deleted
