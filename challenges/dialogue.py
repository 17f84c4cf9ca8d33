"""Writes to the market dialogue's meetings and one-to-one slots: permission, validation, one
transaction, a log line, and the events (``challenges.events``) sent after the commit.

A dialogue meeting is an ``events`` event of the challenge's hub, made through
``events.services.event_save`` (so its page, registration, capacity and waiting list are the events
app's). A slot series is a row of meetings of the same length; a slot is booked under a row lock on
its series, and the database's unique constraints (one booking per slot, one per organisation and
series) hold even if two bookers slip past the checks at once.
"""

import logging
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from challenges import events
from challenges.models import Challenge, DialogueMeeting, MeetingSlot, SlotBooking, SlotSeries
from challenges.permissions import (
    can_book_slot,
    can_cancel_booking,
    can_manage_dialogue,
    can_publish_dialogue_summary,
    is_booking_owner,
)
from challenges.services import _after_commit, _refuse_scripts, _require_user
from cms.validators import normalise_organisation_number
from partners.models import Partner, PartnerMember

logger = logging.getLogger(__name__)

# When no cut-off is given, booking and cancelling close this long before the first meeting.
DEFAULT_BOOKING_CLOSES_BEFORE = timedelta(hours=24)


def dialogue_meeting_create(
    *,
    actor,
    challenge: Challenge,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    description: str = "",
    address: str = "",
    online_url: str = "",
    capacity: int | None = None,
) -> DialogueMeeting:
    """Announce a dialogue conference for ``challenge``: a published market-dialogue event of its hub,
    with the events app's registration. The challenge's followers are told (if it is published)."""
    from events.models import Event, EventKind, EventStatus
    from events.services import event_save

    _require_user(actor)
    if not can_manage_dialogue(actor, challenge):
        raise PermissionDenied(_("Only the hub's coordinators arrange dialogue meetings."))
    title, description = (title or "").strip(), (description or "").strip()
    _refuse_scripts(title=title, description=description, address=address)
    if not address.strip() and not online_url:
        raise ValidationError({"address": _("Give a place or an online link.")})
    if starts_at and starts_at <= timezone.now():
        raise ValidationError({"starts_at": _("The meeting must start in the future.")})
    event = Event(
        hub=challenge.hub,
        title=title,
        description=description,
        kind=EventKind.MARKET_DIALOGUE,
        starts_at=starts_at,
        ends_at=ends_at,
        address=address.strip(),
        online_url=online_url,
        capacity=capacity,
        status=EventStatus.PUBLISHED,
    )
    with transaction.atomic():
        goals = [challenge.primary_goal] if challenge.primary_goal_id else []
        event_save(actor=actor, event=event, goals=goals)
        meeting = DialogueMeeting.objects.create(challenge=challenge, event=event)
        if challenge.is_published:
            _after_commit(events.dialogue_meeting_announced, meeting=meeting)
    logger.info("Dialogue meeting %s (event %s) for challenge %s by %s", meeting.pk, event.pk, challenge.pk, actor.pk)
    return meeting


def slot_series_create(
    *,
    actor,
    challenge: Challenge,
    title: str,
    starts_at: datetime,
    slot_minutes: int,
    slot_count: int,
    pause_minutes: int = 0,
    place: str = "",
    online_url: str = "",
    booking_closes_at: datetime | None = None,
) -> SlotSeries:
    """A series of ``slot_count`` one-to-one meetings of ``slot_minutes`` each (the same for
    everyone), one after the other with ``pause_minutes`` between. Booking and cancelling close at
    ``booking_closes_at`` (by default a day before the first meeting, or when it is booked: now)."""
    _require_user(actor)
    if not can_manage_dialogue(actor, challenge):
        raise PermissionDenied(_("Only the hub's coordinators make one-to-one meetings."))
    title, place = (title or "").strip(), (place or "").strip()
    _refuse_scripts(title=title, place=place)
    if starts_at is not None and starts_at <= timezone.now():
        raise ValidationError({"starts_at": _("The first meeting must start in the future.")})
    if booking_closes_at is None and starts_at is not None:
        booking_closes_at = max(starts_at - DEFAULT_BOOKING_CLOSES_BEFORE, timezone.now())
    series = SlotSeries(
        challenge=challenge,
        title=title,
        starts_at=starts_at,
        slot_minutes=slot_minutes,
        slot_count=slot_count,
        pause_minutes=pause_minutes or 0,
        place=place,
        online_url=online_url or "",
        booking_closes_at=booking_closes_at,
        created_by=actor,
    )
    series.full_clean()
    step = timedelta(minutes=series.slot_minutes + series.pause_minutes)
    with transaction.atomic():
        series.save()
        MeetingSlot.objects.bulk_create(
            MeetingSlot(series=series, starts_at=series.starts_at + n * step) for n in range(series.slot_count)
        )
    logger.info("Slot series %s (%s slots) for challenge %s by %s", series.pk, slot_count, challenge.pk, actor.pk)
    return series


def _organisation(actor, partner: Partner | None, organisation_number: str, organisation_name: str):
    """The organisation a supplier books for: a partner they act for (its number and name), or the
    number and name they give."""
    if partner is not None:
        if not PartnerMember.objects.filter(user=actor, partner=partner).exists():
            raise PermissionDenied(_("You do not act for this partner."))
        return partner.organisation_number, partner.name
    return normalise_organisation_number(organisation_number or ""), (organisation_name or "").strip()


def slot_book(
    *,
    actor,
    slot: MeetingSlot,
    partner: Partner | None = None,
    organisation_number: str = "",
    organisation_name: str = "",
) -> SlotBooking:
    """Book ``slot`` for the actor's organisation: one slot per organisation in a series, one
    organisation per slot. The series' row is locked while checking, so two bookers are served one
    after the other; the second is told the slot was just taken."""
    _require_user(actor)
    organisation_number, organisation_name = _organisation(actor, partner, organisation_number, organisation_name)
    _refuse_scripts(organisation_name=organisation_name)
    try:
        with transaction.atomic():
            series = SlotSeries.objects.select_for_update().select_related("challenge__hub").get(pk=slot.series_id)
            if not can_book_slot(actor, series):
                raise PermissionDenied(
                    _("Slots can be booked by suppliers with a verified account until booking closes.")
                )
            booking = SlotBooking(
                slot_id=slot.pk,
                series=series,
                booker=actor,
                partner=partner,
                organisation_number=organisation_number,
                organisation_name=organisation_name,
            )
            booking.full_clean(exclude=["slot", "series", "booker"], validate_unique=False)
            existing = SlotBooking.objects.filter(series=series, organisation_number=organisation_number).first()
            if existing is not None:
                if is_booking_owner(actor, existing):
                    raise ValidationError(_("Your organisation has already booked a meeting in this series."))
                raise ValidationError(_("Another person has already booked a meeting for this organisation number."))
            if SlotBooking.objects.filter(slot_id=slot.pk).exists():
                raise ValidationError({"slot": _("This time has just been taken. Choose another.")})
            booking.save()
    except IntegrityError as error:
        raise ValidationError({"slot": _("This time has just been taken. Choose another.")}) from error
    logger.info("Slot %s booked by %s for %s", slot.pk, actor.pk, organisation_number)
    return booking


def slot_booking_cancel(*, actor, booking: SlotBooking) -> None:
    """Cancel the organisation's booking, until booking closes; the slot is free again."""
    _require_user(actor)
    with transaction.atomic():
        series = SlotSeries.objects.select_for_update().select_related("challenge__hub").get(pk=booking.series_id)
        booking = SlotBooking.objects.filter(pk=booking.pk).first()
        if booking is None:
            return
        booking.series = series
        if not can_cancel_booking(actor, booking):
            raise PermissionDenied(_("Bookings can be cancelled by the organisation until booking closes."))
        booking.delete()
    logger.info("Booking of slot %s cancelled by %s", booking.slot_id, actor.pk)


def dialogue_summary_publish(*, actor, series: SlotSeries, summary: str) -> SlotSeries:
    """Publish (or correct) the summary of a series after its meetings. Followers are told the
    first time only."""
    _require_user(actor)
    series = SlotSeries.objects.select_related("challenge__hub").get(pk=series.pk)
    if not can_publish_dialogue_summary(actor, series):
        raise PermissionDenied(_("The summary is published by the hub's coordinators after the meetings."))
    summary = (summary or "").strip()
    if not summary:
        raise ValidationError({"summary": _("Write the summary.")})
    _refuse_scripts(summary=summary)
    first = series.summary_published_at is None
    series.summary = summary
    series.summary_published_at = series.summary_published_at or timezone.now()
    series.full_clean()
    with transaction.atomic():
        series.save(update_fields=["summary", "summary_published_at"])
        if first and series.challenge.is_published:
            _after_commit(events.dialogue_summary_published, series=series)
    logger.info("Summary of slot series %s published by %s", series.pk, actor.pk)
    return series
