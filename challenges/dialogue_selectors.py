"""Reads of the market dialogue's meetings and one-to-one slots. A constant number of queries
whatever the number of meetings, series, slots or bookings; callers check permission first
(``challenges.permissions``), and what a person may see of bookings is decided here only from
``can_see_bookings`` and their own organisation."""

from dataclasses import dataclass, field

from django.db.models import Count, Q

from challenges.models import Challenge, MeetingSlot, SlotBooking, SlotSeries
from challenges.permissions import can_book_slot, can_manage_dialogue, can_see_bookings
from cms.markdown import markdown_html
from partners.models import PartnerMember


def meetings(challenge: Challenge, *, drafts: bool = False) -> list:
    """The challenge's dialogue meetings as their events, soonest first, with ``seats_taken``
    annotated (``Event.seats_left`` reads it). Draft events only for those who may edit them."""
    from events.models import Event, EventStatus, RegistrationStatus

    events = Event.objects.filter(challenge_meeting__challenge=challenge).select_related("hub")
    if not drafts:
        events = events.exclude(status=EventStatus.DRAFT)
    return list(
        events.annotate(
            seats_taken=Count("registrations", filter=Q(registrations__status=RegistrationStatus.REGISTERED))
        ).order_by("starts_at", "pk")
    )


def _owned_bookings(user):
    """Bookings of ``user``'s organisations (theirs, their partners' or with their partners' numbers);
    the rule is ``permissions.is_booking_owner``."""
    memberships = PartnerMember.objects.filter(user=user)
    return SlotBooking.objects.filter(
        Q(booker=user)
        | Q(partner__in=memberships.values("partner_id"))
        | Q(
            organisation_number__in=memberships.exclude(partner__organisation_number="").values(
                "partner__organisation_number"
            )
        )
    )


def own_bookings(user, challenge: Challenge) -> dict[int, SlotBooking]:
    """The bookings of the person's organisations in the challenge's series, by series id."""
    if user is None or not user.is_authenticated:
        return {}
    bookings = _owned_bookings(user).filter(series__challenge=challenge).select_related("slot__series")
    found: dict[int, SlotBooking] = {}
    for booking in bookings.order_by("slot__starts_at", "pk"):
        found.setdefault(booking.series_id, booking)
    return found


def series_list(challenge: Challenge) -> list[SlotSeries]:
    """The challenge's series with ``slots_total`` and ``slots_taken`` counted in the same query."""
    return list(
        SlotSeries.objects.filter(challenge=challenge)
        .annotate(
            slots_total=Count("slots", distinct=True),
            slots_taken=Count("bookings", distinct=True),
        )
        .order_by("starts_at", "pk")
    )


@dataclass
class Dialogue:
    """What the challenge page shows of the dialogue."""

    meetings: list = field(default_factory=list)
    series: list = field(default_factory=list)
    can_manage: bool = False

    def __bool__(self) -> bool:
        return bool(self.meetings or self.series or self.can_manage)


def challenge_dialogue(user, challenge: Challenge) -> Dialogue:
    """The meetings and slot series for the challenge page: free and taken counts for everyone, the
    person's own organisation's booking on its series (``own_booking``). Who else booked is not here."""
    manage = can_manage_dialogue(user, challenge)
    all_series = series_list(challenge)
    own = own_bookings(user, challenge)
    for series in all_series:
        series.challenge = challenge
        series.slots_free = series.slots_total - series.slots_taken
        series.own_booking = own.get(series.pk)
        series.summary_html = markdown_html(series.summary) if series.summary_published else ""
    return Dialogue(meetings=meetings(challenge, drafts=manage), series=all_series, can_manage=manage)


def series_for(challenge: Challenge, series_id: int) -> SlotSeries | None:
    series = SlotSeries.objects.filter(challenge=challenge, pk=series_id).first()
    if series is not None:
        series.challenge = challenge
    return series


@dataclass
class SlotRow:
    slot: MeetingSlot
    taken: bool
    booking: SlotBooking | None  # only for those who may see who booked it
    own: bool


def series_slots(user, series: SlotSeries) -> list[SlotRow]:
    """Every slot of the series, each free or taken; the booking itself only where the person may
    see it (coordinators and evaluators: all; a supplier: their organisation's own)."""
    see_all = can_see_bookings(user, series.challenge)
    own_ids = set()
    if user is not None and user.is_authenticated:
        own_ids = set(_owned_bookings(user).filter(series=series).values_list("pk", flat=True))
    slots = MeetingSlot.objects.filter(series=series).select_related("booking__booker").order_by("starts_at", "pk")
    rows = []
    for slot in slots:
        slot.series = series
        booking = getattr(slot, "booking", None)
        own = booking is not None and booking.pk in own_ids
        shown = booking if (see_all or own) else None
        rows.append(SlotRow(slot=slot, taken=booking is not None, booking=shown, own=own))
    return rows


def may_book(user, series: SlotSeries, rows: list[SlotRow]) -> bool:
    """Booking is offered when the person may book, has no booking in the series and a slot is free."""
    return can_book_slot(user, series) and not any(r.own for r in rows) and any(not r.taken for r in rows)
