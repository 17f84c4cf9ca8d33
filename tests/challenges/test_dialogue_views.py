"""The market dialogue's pages through HTTP: forms that keep what was typed on an error, booking and
cancelling, the summary on the challenge page, and query counts that do not grow with meetings,
series, slots and bookings."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from challenges import dialogue
from challenges.models import Phase, SlotBooking, SlotSeries
from events.models import OSLO
from tests.accounts.factories import UserFactory
from tests.challenges.dialogue_factories import book_a, book_b, meetings_over, series_create
from tests.challenges.factories import scene_create
from tests.partners.factories import valid_organisation_number

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.DUGNAD_PAGE_CACHE = False


def _local(moment) -> str:
    return timezone.localtime(moment, OSLO).strftime("%Y-%m-%dT%H:%M")


def test_a_coordinator_makes_a_series_and_bad_input_keeps_what_was_typed(client):
    scene = scene_create(phase=Phase.DIALOGUE)
    client.force_login(scene.coordinator)
    url = f"{scene.challenge.url}dialogue/slots/new/"
    starts = (timezone.now() + timedelta(days=7)).replace(second=0, microsecond=0)
    data = {
        "title": "Møter uke 12",
        "starts_at": _local(starts),
        "slot_minutes": "500",
        "slot_count": "6",
        "pause_minutes": "10",
        "place": "Rådhuset, rom 3",
        "online_url": "",
        "booking_closes_at": "",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Møter uke 12" in html and "Rådhuset, rom 3" in html and 'value="6"' in html
    assert "ds-validation-message" in html
    data.update(slot_minutes="30", place="")
    response = client.post(url, data)
    assert response.status_code == 400 and "Give a place or an online link." in response.content.decode()
    assert "Møter uke 12" in response.content.decode()
    data["place"] = "Rådhuset, rom 3"
    response = client.post(url, data)
    assert response.status_code == 302
    series = SlotSeries.objects.get()
    assert response["Location"].endswith(f"dialogue/slots/{series.pk}/")
    assert (series.slot_minutes, series.slot_count, series.pause_minutes) == (30, 6, 10)
    assert series.starts_at == starts


def test_a_coordinator_announces_a_meeting_and_the_page_links_to_its_event(client):
    scene = scene_create(phase=Phase.DIALOGUE)
    client.force_login(scene.coordinator)
    url = f"{scene.challenge.url}dialogue/meetings/new/"
    starts = timezone.now() + timedelta(days=7)
    data = {
        "title": "Dialogkonferanse om skolevei",
        "description": "Velkommen.",
        "starts_at": _local(starts),
        "ends_at": _local(starts - timedelta(hours=1)),
        "address": "Rådhuset",
        "online_url": "",
        "capacity": "30",
    }
    response = client.post(url, data)
    assert response.status_code == 400 and "Dialogkonferanse om skolevei" in response.content.decode()
    data["ends_at"] = _local(starts + timedelta(hours=2))
    assert client.post(url, data).status_code == 302
    event = scene.challenge.dialogue_meetings.get().event
    client.logout()
    html = client.get(scene.challenge.url).content.decode()
    assert f'href="{scene.hub.url}events/{event.pk}/"' in html and "Dialogkonferanse om skolevei" in html
    assert client.get(f"{scene.hub.url}events/{event.pk}/").status_code == 200


def test_a_supplier_books_with_an_organisation_number_and_cancels(client):
    scene = scene_create(phase=Phase.DIALOGUE)
    series = series_create(scene)
    slots = list(series.slots.order_by("starts_at"))
    url = f"{scene.challenge.url}dialogue/slots/{series.pk}/"
    anonymous = client.get(url).content.decode()
    assert 'data-testid="booking-form"' not in anonymous
    client.force_login(scene.b_member)
    response = client.post(url, {"slot": slots[1].pk, "organisation_number": "123", "organisation_name": "Lys AS"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Lys AS" in html and 'value="123"' in html
    assert re.search(rf'name="slot" value="{slots[1].pk}"[^>]*checked', html)
    response = client.post(
        url, {"slot": slots[1].pk, "organisation_number": scene.b_number, "organisation_name": "Lys AS"}
    )
    assert response.status_code == 302
    booking = SlotBooking.objects.get()
    assert (booking.slot, booking.organisation_name, booking.booker) == (slots[1], "Lys AS", scene.b_member)
    page = client.get(url).content.decode()
    assert 'data-testid="own-booking"' in page and 'data-testid="booking-form"' not in page
    assert 'data-testid="own-booking"' in client.get(scene.challenge.url).content.decode()
    # A second booking for the organisation is not offered, and a forged one is refused.
    assert client.post(url, {"slot": slots[2].pk, "organisation_number": scene.b_number}).status_code == 403
    assert client.post(f"{url}cancel/").status_code == 302
    assert not SlotBooking.objects.exists()


def test_a_taken_slot_is_not_offered_and_a_stale_choice_is_explained(client):
    scene = scene_create(phase=Phase.DIALOGUE)
    series = series_create(scene, slot_count=2)
    slots = list(series.slots.order_by("starts_at"))
    book_a(scene, series, 0)
    client.force_login(scene.b_member)
    url = f"{scene.challenge.url}dialogue/slots/{series.pk}/"
    html = client.get(url).content.decode()
    assert f'name="slot" value="{slots[0].pk}"' not in html and f'name="slot" value="{slots[1].pk}"' in html
    response = client.post(
        url, {"slot": slots[0].pk, "organisation_number": scene.b_number, "organisation_name": "Leverandør B AS"}
    )
    assert response.status_code == 400 and "Leverandør B AS" in response.content.decode()


def test_the_summary_is_published_with_a_preview_and_shown_on_the_challenge_page(client):
    scene = scene_create(phase=Phase.DIALOGUE)
    series = meetings_over(series_create(scene))
    client.force_login(scene.coordinator)
    url = f"{scene.challenge.url}dialogue/slots/{series.pk}/summary/"
    response = client.post(url, {"summary": "Fire møter om **lys**.", "preview": "summary"})
    assert response.status_code == 200 and "<strong>lys</strong>" in response.content.decode()
    assert not SlotSeries.objects.get().summary_published
    response = client.post(url, {"summary": "<script>alert(1)</script>"})
    assert response.status_code == 400 and "&lt;script&gt;alert(1)&lt;/script&gt;" in response.content.decode()
    assert client.post(url, {"summary": "Fire møter om **lys**."}).status_code == 302
    client.logout()
    html = client.get(scene.challenge.url).content.decode()
    assert 'data-testid="dialogue-summary"' in html and "<strong>lys</strong>" in html


def _queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def test_the_challenge_page_and_a_series_page_cost_the_same_at_two_sizes(client):
    scene = scene_create(phase=Phase.DIALOGUE)
    series = series_create(scene, slot_count=12)
    book_a(scene, series, 0)
    starts = timezone.now() + timedelta(days=4)
    counter = iter(range(100))

    def grow(n):
        for _i in range(n):
            dialogue.dialogue_meeting_create(
                actor=scene.coordinator,
                challenge=scene.challenge,
                title=f"Møte {next(counter)}",
                starts_at=starts,
                ends_at=starts + timedelta(hours=1),
                address="Rådhuset",
                capacity=10,
            )
            extra = series_create(scene, slot_count=8, starts_in=timedelta(days=5 + next(counter)))
            supplier = UserFactory(verified=True)
            slot = series.slots.filter(booking__isnull=True).first()
            dialogue.slot_book(
                actor=supplier,
                slot=slot,
                organisation_number=valid_organisation_number(900 + next(counter)),
                organisation_name="Leverandør",
            )
            book_b(scene, extra, 0)

    grow(1)
    series_url = f"{scene.challenge.url}dialogue/slots/{series.pk}/"
    sizes = []
    for n in (0, 3):
        grow(n)
        row = []
        for user in (None, scene.a_member, scene.coordinator):
            client.logout()
            if user is not None:
                client.force_login(user)
            row += [_queries(client, scene.challenge.url), _queries(client, series_url)]
        sizes.append(row)
    assert sizes[0] == sizes[1]
    assert SlotSeries.objects.count() == 5 and series.bookings.count() == 5
