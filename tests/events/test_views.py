"""A hub's event pages: the list and its filters, the month calendar, the event page with
registration, the iCalendar downloads, the project and hub pages' lists, and their query counts."""

from datetime import datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.models import OSLO, EventKind, EventStatus, Registration, RegistrationStatus
from tests.accounts.factories import UserFactory
from tests.events.factories import event_create, registration_create
from tests.projects.factories import goal, project_create, project_index_create

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    client.get(url)  # fills the versioned cache (site, menus, restrictions)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def test_list_shows_upcoming_and_filters(client, hub):
    event_create(hub, title="Klimaverksted", kind=EventKind.WORKSHOP, goals=[goal(13)])
    event_create(hub, title="Havmøte", kind=EventKind.MEETUP, goals=[goal(14)])
    event_create(hub, title="Gammelt møte", starts_in=timedelta(days=-10))
    event_create(hub, title="Hemmelig utkast", status=EventStatus.DRAFT)
    page = client.get(f"{hub.url}events/").content.decode()
    assert "Klimaverksted" in page and "Havmøte" in page
    assert "Gammelt møte" not in page and "Hemmelig utkast" not in page
    past = client.get(f"{hub.url}events/?when=past").content.decode()
    assert "Gammelt møte" in past and "Klimaverksted" not in past
    by_kind = client.get(f"{hub.url}events/?kind=workshop").content.decode()
    assert "Klimaverksted" in by_kind and "Havmøte" not in by_kind
    by_goal = client.get(f"{hub.url}events/?goal=14").content.decode()
    assert "Havmøte" in by_goal and "Klimaverksted" not in by_goal


def test_calendar_is_a_table_of_the_month(client, hub):
    day = timezone.localtime(timezone.now(), OSLO).date().replace(day=15)
    event_create(hub, title="Midt i måneden", starts_at=datetime.combine(day, time(18), tzinfo=OSLO))
    response = client.get(f"{hub.url}events/calendar/?month={day:%Y-%m}")
    page = response.content.decode()
    assert response.status_code == 200
    assert "<table" in page and 'scope="col"' in page
    assert "Midt i måneden" in page
    assert client.get(f"{hub.url}events/calendar/?month=garbage").status_code == 200


def test_event_page_for_anonymous_has_no_form_token(client, hub):
    event = event_create(hub, title="Åpen dag", address="Kaia 3", step_free_access=True, description="**Velkommen**")
    response = client.get(f"{hub.url}events/{event.pk}/")
    page = response.content.decode()
    assert "<strong>Velkommen</strong>" in page
    assert "Step-free access" in page
    assert "Log in to register" in page
    assert "csrfmiddlewaretoken" not in page


def test_description_is_sanitised(client, hub):
    event = event_create(hub, description="<script>alert(1)</script> [x](javascript:alert(1))")
    page = client.get(f"{hub.url}events/{event.pk}/").content.decode()
    assert "<script>alert" not in page
    assert 'href="javascript' not in page


def test_register_with_needs_then_cancel(client, hub):
    event = event_create(hub, capacity=5, ask_dietary_needs=True)
    user = UserFactory()
    client.force_login(user)
    url = f"{hub.url}events/{event.pk}/"
    page = client.get(url).content.decode()
    assert "We delete them 30 days after the event" in page
    response = client.post(url, {"action": "register", "dietary_needs": "Vegetar"}, follow=True)
    assert "You are registered" in response.content.decode()
    registration = Registration.objects.get(event=event, user=user)
    assert registration.dietary_needs == "Vegetar"
    response = client.post(url, {"action": "cancel"}, follow=True)
    assert "is cancelled" in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED


def test_form_errors_keep_what_was_typed(client, hub):
    event = event_create(hub, ask_dietary_needs=True, ask_accessibility_needs=True)
    client.force_login(UserFactory())
    response = client.post(
        f"{hub.url}events/{event.pk}/",
        {"action": "register", "dietary_needs": "x" * 1001, "accessibility_needs": "Rullestol"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "ds-error-summary" in page
    assert "Rullestol" in page
    assert not Registration.objects.filter(event=event).exists()


def test_full_event_puts_people_on_the_waiting_list(client, hub):
    event = event_create(hub, capacity=1)
    registration_create(event, UserFactory())
    client.force_login(UserFactory())
    response = client.post(f"{hub.url}events/{event.pk}/", {"action": "register"}, follow=True)
    assert "waiting list" in response.content.decode()


def test_registration_is_rate_limited(client, hub, settings):
    settings.DUGNAD_RATE_LIMITS = {**settings.DUGNAD_RATE_LIMITS, "event-registration": (1, 100, 3600)}
    event = event_create(hub)
    client.force_login(UserFactory())
    url = f"{hub.url}events/{event.pk}/"
    client.post(url, {"action": "register"})
    response = client.post(url, {"action": "cancel"})
    assert response.status_code == 429
    assert response["Retry-After"]


def test_registration_closed_after_start(client, hub):
    event = event_create(hub, starts_in=timedelta(minutes=-5))
    client.force_login(UserFactory())
    response = client.post(f"{hub.url}events/{event.pk}/", {"action": "register"}, follow=True)
    assert "Registration is closed" in response.content.decode()
    assert not Registration.objects.exists()


def test_anonymous_post_goes_to_login(client, hub):
    event = event_create(hub)
    response = client.post(f"{hub.url}events/{event.pk}/", {"action": "register"})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_event_ics_download(client, hub):
    event = event_create(hub, title="Verksted, del 1", status=EventStatus.CANCELLED)
    response = client.get(f"{hub.url}events/{event.pk}/ical/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert f'filename="event-{event.pk}.ics"' in response["Content-Disposition"]
    body = response.content.decode()
    assert "SUMMARY:Verksted\\, del 1\r\n" in body
    assert "STATUS:CANCELLED" in body
    assert f"/events/{event.pk}/" in body


def test_hub_and_project_feeds(client, hub):
    project = project_create(project_index_create(hub))
    event_create(hub, title="Prosjektmøte", project=project)
    event_create(hub, title="Hubmøte")
    event_create(hub, title="Utkast", status=EventStatus.DRAFT, project=project)
    hub_feed = client.get(f"{hub.url}events/ical/").content.decode()
    assert "Prosjektmøte" in hub_feed and "Hubmøte" in hub_feed and "Utkast" not in hub_feed
    project_feed = client.get(f"{hub.url}events/project/{project.pk}/ical/").content.decode()
    assert "Prosjektmøte" in project_feed and "Hubmøte" not in project_feed
    assert client.get(f"{hub.url}events/project/999999/ical/").status_code == 404


def test_project_and_hub_pages_list_upcoming_events(client, hub):
    project = project_create(project_index_create(hub))
    event_create(hub, title="Prosjektets lab-dag", project=project)
    event_create(hub, title="Ferdig møte", project=project, starts_in=timedelta(days=-3))
    page = client.get(project.url).content.decode()
    assert "Prosjektets lab-dag" in page and "Ferdig møte" not in page
    assert f"events/project/{project.pk}/ical/" in page
    hub.refresh_from_db()
    assert "Prosjektets lab-dag" in client.get(hub.url).content.decode()


@pytest.mark.parametrize("path", ["events/", "events/calendar/", "events/ical/"])
def test_list_queries_do_not_grow_with_events(client, hub, path):
    for _ in range(2):
        event_create(hub, goals=[goal(13)], capacity=3)
    few = _queries(client, f"{hub.url}{path}")
    for number in range(10):
        event = event_create(hub, goals=[goal(13), goal(14)], capacity=3, starts_in=timedelta(days=1 + number % 5))
        registration_create(event, UserFactory())
    many = _queries(client, f"{hub.url}{path}")
    assert many <= few
