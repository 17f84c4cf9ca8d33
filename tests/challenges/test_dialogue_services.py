"""The market dialogue's services: meetings as hub events with registration, slot series of equal
length, one booking per organisation and series, the cut-off, two bookers for one slot, and the
summary told to followers once."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from challenges import dialogue, services
from challenges.models import MeetingSlot, Phase, SlotBooking, SlotSeries
from events.models import EventKind, EventStatus, RegistrationStatus
from events.services import registration_create
from notifications.models import EventKind as NotificationKind
from notifications.models import Notification
from tests.accounts.factories import UserFactory
from tests.challenges.dialogue_factories import book_a, book_b, meetings_over, series_create
from tests.challenges.factories import scene_create

pytestmark = pytest.mark.django_db


def _follow(scene):
    services.challenge_follow(actor=scene.citizen, challenge=scene.challenge)
    services.challenge_follow(actor=scene.b_member, challenge=scene.challenge)
    return {scene.citizen.pk, scene.b_member.pk}


def _challenge_notes(subject):
    return list(Notification.objects.filter(kind=NotificationKind.CHALLENGE, data__subject=subject))


def test_a_meeting_is_a_published_dialogue_event_of_the_hub_with_registration(django_capture_on_commit_callbacks):
    scene = scene_create(phase=Phase.DIALOGUE)
    followers = _follow(scene)
    starts = timezone.now() + timedelta(days=5)
    with django_capture_on_commit_callbacks(execute=True):
        meeting = dialogue.dialogue_meeting_create(
            actor=scene.coordinator,
            challenge=scene.challenge,
            title="Dialogkonferanse",
            description="Vi presenterer *behovet*.",
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            address="Rådhuset",
            capacity=1,
        )
    event = meeting.event
    assert (event.hub_id, event.kind, event.status) == (scene.hub.pk, EventKind.MARKET_DIALOGUE, EventStatus.PUBLISHED)
    assert event.published_at is not None and event.created_by == scene.coordinator
    assert list(event.goals.all()) == [scene.challenge.primary_goal]
    # Registration is the events app's: capacity and waiting list.
    assert registration_create(user=scene.a_member, event=event).status == RegistrationStatus.REGISTERED
    assert registration_create(user=scene.b_member, event=event).status == RegistrationStatus.WAITING
    notes = _challenge_notes("meeting")
    assert {n.recipient_id for n in notes} == followers
    assert notes[0].data == {
        "subject": "meeting",
        "title": scene.challenge.title,
        "meeting": "Dialogkonferanse",
        "starts_at": starts.isoformat(),
    }
    assert notes[0].url.endswith(f"{scene.challenge.url}#dialogue")


def test_only_coordinators_announce_meetings_and_bad_input_is_refused():
    scene = scene_create(phase=Phase.DIALOGUE)
    starts = timezone.now() + timedelta(days=5)
    fields = {"title": "Møte", "starts_at": starts, "ends_at": starts + timedelta(hours=1), "address": "Rådhuset"}
    for actor in (scene.a_member, scene.evaluator, scene.other_coordinator, scene.staff):
        with pytest.raises(PermissionDenied):
            dialogue.dialogue_meeting_create(actor=actor, challenge=scene.challenge, **fields)
    with pytest.raises(ValidationError) as error:
        dialogue.dialogue_meeting_create(
            actor=scene.coordinator, challenge=scene.challenge, **{**fields, "address": ""}
        )
    assert "address" in error.value.message_dict
    with pytest.raises(ValidationError):
        dialogue.dialogue_meeting_create(
            actor=scene.coordinator, challenge=scene.challenge, **{**fields, "ends_at": starts - timedelta(hours=1)}
        )
    with pytest.raises(ValidationError):
        dialogue.dialogue_meeting_create(
            actor=scene.coordinator, challenge=scene.challenge, **{**fields, "description": "<script>x</script>"}
        )
    assert not scene.challenge.dialogue_meetings.exists()


def test_every_slot_of_a_series_has_the_same_length():
    scene = scene_create(phase=Phase.DIALOGUE)
    series = series_create(scene, slot_minutes=45, slot_count=5, pause_minutes=15)
    slots = list(series.slots.order_by("starts_at"))
    assert len(slots) == 5
    assert {slot.ends_at - slot.starts_at for slot in slots} == {timedelta(minutes=45)}
    assert [b.starts_at - a.starts_at for a, b in zip(slots, slots[1:], strict=False)] == [timedelta(hours=1)] * 4
    assert series.ends_at == slots[-1].ends_at
    assert series.booking_closes_at == series.starts_at - timedelta(hours=24)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"slot_minutes": 5}, "slot_minutes"),
        ({"slot_minutes": 600}, "slot_minutes"),
        ({"slot_count": 0}, "slot_count"),
        ({"slot_count": 500}, "slot_count"),
        ({"place": ""}, "place"),
        ({"booking_closes_at": "after"}, "booking_closes_at"),
        ({"starts_in": timedelta(hours=-1)}, "starts_at"),
    ],
)
def test_a_series_is_refused_with_the_field_at_fault(fields, field):
    scene = scene_create(phase=Phase.DIALOGUE)
    if fields.get("booking_closes_at") == "after":
        fields["booking_closes_at"] = timezone.now() + timedelta(days=4)
    with pytest.raises(ValidationError) as error:
        series_create(scene, **fields)
    assert field in error.value.message_dict
    assert not SlotSeries.objects.exists() and not MeetingSlot.objects.exists()


def test_one_booking_per_organisation_and_per_slot():
    scene = scene_create(phase=Phase.DIALOGUE)
    series = series_create(scene)
    booking = book_a(scene, series, 0)
    assert (booking.organisation_number, booking.organisation_name) == (
        scene.supplier_a.organisation_number,
        scene.supplier_a.name,
    )
    # A colleague cannot take a second slot for the same organisation, by partner or by number.
    with pytest.raises(ValidationError, match="already booked a meeting in this series"):
        dialogue.slot_book(
            actor=scene.a_colleague, slot=series.slots.order_by("starts_at")[2], partner=scene.supplier_a
        )
    stranger = UserFactory(verified=True)
    with pytest.raises(ValidationError, match="Another person has already booked"):
        dialogue.slot_book(
            actor=stranger,
            slot=series.slots.order_by("starts_at")[2],
            organisation_number=scene.supplier_a.organisation_number,
            organisation_name="Noen andre",
        )
    # B cannot take A's slot; B takes another.
    with pytest.raises(ValidationError) as taken:
        book_b(scene, series, 0)
    assert "slot" in taken.value.message_dict
    book_b(scene, series, 1)
    # Acting for a partner one is not a person of is refused.
    with pytest.raises(PermissionDenied):
        dialogue.slot_book(actor=stranger, slot=series.slots.order_by("starts_at")[3], partner=scene.supplier_a)
    # A bad organisation number is refused with the field named.
    with pytest.raises(ValidationError) as bad:
        dialogue.slot_book(
            actor=stranger, slot=series.slots.order_by("starts_at")[3], organisation_number="123", organisation_name="X"
        )
    assert "organisation_number" in bad.value.message_dict
    assert SlotBooking.objects.filter(series=series).count() == 2
    # Another series is another booking.
    other = series_create(scene, starts_in=timedelta(days=10))
    book_a(scene, other, 0)


def test_the_buyer_side_does_not_book_and_nobody_books_a_draft_challenges_slots():
    scene = scene_create(phase=Phase.DIALOGUE)
    series = series_create(scene)
    slot = series.slots.first()
    for actor in (scene.coordinator, scene.evaluator):
        with pytest.raises(PermissionDenied):
            dialogue.slot_book(actor=actor, slot=slot, organisation_number=scene.b_number, organisation_name="B")
    from challenges.models import Challenge, Publication

    Challenge.objects.filter(pk=scene.challenge.pk).update(publication=Publication.DRAFT)
    with pytest.raises(PermissionDenied):
        book_b(scene, series, 0)


def test_booking_and_cancelling_close_at_the_cut_off():
    scene = scene_create(phase=Phase.DIALOGUE)
    series = series_create(scene)
    booking = book_a(scene, series, 0)
    dialogue.slot_booking_cancel(actor=scene.a_colleague, booking=booking)  # a colleague may cancel
    assert not SlotBooking.objects.exists()
    booking = book_a(scene, series, 1)
    with pytest.raises(PermissionDenied):
        dialogue.slot_booking_cancel(actor=scene.b_member, booking=booking)
    SlotSeries.objects.filter(pk=series.pk).update(booking_closes_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(PermissionDenied):
        dialogue.slot_booking_cancel(actor=scene.a_member, booking=booking)
    with pytest.raises(PermissionDenied):
        book_b(scene, series, 2)
    assert SlotBooking.objects.get() == booking


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_suppliers_booking_the_same_slot_at_once_get_one_booking():
    scene = scene_create(phase=Phase.DIALOGUE)
    series = series_create(scene)
    slot = series.slots.order_by("starts_at").first()
    barrier = threading.Barrier(2)
    outcomes = []

    def book(call):
        try:
            barrier.wait(timeout=10)
            outcomes.append(call())
        except ValidationError as error:
            outcomes.append(error)
        except Exception as error:  # anything else fails the test below
            outcomes.append(("unexpected", error))
        finally:
            connection.close()

    calls = [
        lambda: dialogue.slot_book(actor=scene.a_member, slot=slot, partner=scene.supplier_a),
        lambda: dialogue.slot_book(
            actor=scene.b_member, slot=slot, organisation_number=scene.b_number, organisation_name="Leverandør B AS"
        ),
    ]
    threads = [threading.Thread(target=book, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(outcomes) == 2
    booked = [o for o in outcomes if isinstance(o, SlotBooking)]
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(booked) == 1 and len(refused) == 1, outcomes
    assert "slot" in refused[0].message_dict
    assert SlotBooking.objects.filter(slot=slot).count() == 1


def test_the_summary_comes_after_the_meetings_and_followers_are_told_once(django_capture_on_commit_callbacks):
    scene = scene_create(phase=Phase.DIALOGUE)
    followers = _follow(scene)
    series = series_create(scene)
    with pytest.raises(PermissionDenied):
        dialogue.dialogue_summary_publish(actor=scene.coordinator, series=series, summary="For tidlig.")
    series = meetings_over(series)
    with pytest.raises(PermissionDenied):
        dialogue.dialogue_summary_publish(actor=scene.evaluator, series=series, summary="Ikke min.")
    with pytest.raises(ValidationError) as error:
        dialogue.dialogue_summary_publish(
            actor=scene.coordinator, series=series, summary="<img src=x onerror=alert(1)>"
        )
    assert "summary" in error.value.message_dict
    with django_capture_on_commit_callbacks(execute=True):
        dialogue.dialogue_summary_publish(
            actor=scene.coordinator, series=series, summary="Fire møter. **Lys** var tema."
        )
    with django_capture_on_commit_callbacks(execute=True):
        series = dialogue.dialogue_summary_publish(
            actor=scene.coordinator, series=series, summary="Fire møter, rettet."
        )
    assert series.summary == "Fire møter, rettet." and series.summary_published
    notes = _challenge_notes("summary")
    assert sorted(n.recipient_id for n in notes) == sorted(followers)
    assert notes[0].data == {"subject": "summary", "title": scene.challenge.title, "series": series.title}


def test_the_notification_texts_name_the_challenge():
    from django.utils import translation

    from notifications.emails import notification_text

    with translation.override("en"):
        kind = NotificationKind.CHALLENGE
        meeting = Notification(kind=kind, data={"subject": "meeting", "title": "T", "meeting": "M"})
        summary = Notification(kind=kind, data={"subject": "summary", "title": "T", "series": "S"})
        assert notification_text(meeting) == "A dialogue meeting for the challenge “T”: M"
        assert notification_text(summary) == "The summary of the one-to-one meetings on “T” is published"


def test_a_booking_goes_with_the_bookers_account():
    scene = scene_create(phase=Phase.DIALOGUE)
    series = series_create(scene)
    book_b(scene, series)
    scene.b_member.delete()
    assert not SlotBooking.objects.exists()
