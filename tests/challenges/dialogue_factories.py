"""Dialogue meetings and one-to-one slots on a challenge scene (``tests.challenges.factories``)."""

from datetime import timedelta

from django.utils import timezone

from challenges import dialogue
from challenges.models import SlotSeries


def series_create(scene, *, starts_in=timedelta(days=3), **fields) -> SlotSeries:
    fields.setdefault("title", "En-til-en-møter")
    fields.setdefault("slot_minutes", 30)
    fields.setdefault("slot_count", 4)
    fields.setdefault("place", "Rådhuset, møterom 2")
    return dialogue.slot_series_create(
        actor=scene.coordinator, challenge=scene.challenge, starts_at=timezone.now() + starts_in, **fields
    )


def book_a(scene, series, n=0):
    """Supplier A's person books slot ``n`` for the partner."""
    slot = series.slots.order_by("starts_at")[n]
    return dialogue.slot_book(actor=scene.a_member, slot=slot, partner=scene.supplier_a)


def book_b(scene, series, n=1):
    """Supplier B (not a partner) books slot ``n`` with its organisation number."""
    slot = series.slots.order_by("starts_at")[n]
    return dialogue.slot_book(
        actor=scene.b_member, slot=slot, organisation_number=scene.b_number, organisation_name="Leverandør B AS"
    )


def meetings_over(series) -> SlotSeries:
    """Move the series into the past: booking closed, every meeting ended."""
    shift = series.ends_at - timezone.now() + timedelta(minutes=1)
    SlotSeries.objects.filter(pk=series.pk).update(
        starts_at=series.starts_at - shift, booking_closes_at=series.booking_closes_at - shift
    )
    for slot in series.slots.all():
        slot.starts_at -= shift
        slot.save(update_fields=["starts_at"])
    series.refresh_from_db()
    return series
