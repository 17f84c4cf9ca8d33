"""Taking part in an event: a citizen logs in, finds a workshop in the hub's event list and its month
calendar, registers with a dietary need, downloads the event for their calendar, sees that they are
registered, and gets the reminder e-mail the day before. Every page passes axe at 1280 and 375 px
without sideways scrolling."""

import re
from datetime import datetime, time, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from events.models import OSLO, Registration, RegistrationStatus
from tests.accounts.factories import DEFAULT_PASSWORD, UserFactory
from tests.e2e.harness import assert_accessible
from tests.events.factories import event_create
from tests.partners.factories import hub_create
from tests.projects.factories import goal

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WIDE, PHONE = 1280, 375


def _check_at_both_widths(page) -> None:
    for width in (WIDE, PHONE):
        page.set_viewport_size({"width": width, "height": 800})
        assert_accessible(page)
        overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, (width, overflow)
    page.set_viewport_size({"width": WIDE, "height": 800})


def test_a_citizen_registers_for_an_event_and_is_reminded(page, live_asgi_server):
    hub = hub_create(title="Fjordvik", default_language="en")
    day = timezone.localtime(timezone.now(), OSLO).date() + timedelta(days=3)
    event = event_create(
        hub,
        title="Klimaverksted i biblioteket",
        starts_at=datetime.combine(day, time(17), tzinfo=OSLO),
        address="Fjordvik bibliotek, Storgata 1",
        step_free_access=True,
        hearing_loop=True,
        capacity=12,
        ask_dietary_needs=True,
        description="Vi lager en *klimaplan* for nabolaget.",
        goals=[goal(13)],
    )
    event_create(hub, title="Digitalt havmøte", online_url="https://meet.example.org/hav", starts_in=timedelta(days=9))
    citizen = UserFactory(verified=True, email="innbygger@example.org")
    events_url = f"{hub.url}events/"

    page.set_viewport_size({"width": WIDE, "height": 800})
    page.goto(f"/accounts/login/?next={events_url}")
    page.fill("input[name=login]", citizen.email)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.locator("#main form").last.locator("button[type=submit]").first.click()
    page.wait_for_url(re.compile(re.escape(events_url) + "$"))

    # The list: both events, filtered to workshops.
    expect(page.get_by_role("link", name="Klimaverksted i biblioteket")).to_be_visible()
    expect(page.get_by_role("link", name="Digitalt havmøte")).to_be_visible()
    _check_at_both_widths(page)
    page.get_by_label("Kind").select_option("workshop")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("link", name="Digitalt havmøte")).to_have_count(0)
    _check_at_both_widths(page)

    # The month calendar, a table that fits a phone.
    page.goto(f"{events_url}calendar/?month={day:%Y-%m}")
    expect(page.locator("table.event-calendar")).to_be_visible()
    _check_at_both_widths(page)
    page.get_by_role("link", name="Klimaverksted i biblioteket").click()

    # The event page: register with a dietary need.
    expect(page.get_by_role("heading", level=1)).to_have_text("Klimaverksted i biblioteket")
    _check_at_both_widths(page)
    page.get_by_label(re.compile("Dietary needs")).fill("Vegetar, nøtteallergi")
    page.get_by_role("button", name="Register").click()
    expect(page.locator("#registration-status")).to_contain_text("You are registered")
    _check_at_both_widths(page)
    registration = Registration.objects.get(event=event, user=citizen)
    assert registration.status == RegistrationStatus.REGISTERED
    assert registration.dietary_needs == "Vegetar, nøtteallergi"

    # The .ics download.
    ics = page.request.get(page.get_by_role("link", name=re.compile(r"\.ics")).get_attribute("href"))
    assert ics.ok
    assert ics.headers["content-type"].startswith("text/calendar")
    assert ".ics" in ics.headers["content-disposition"]
    body = ics.text()
    assert body.startswith("BEGIN:VCALENDAR\r\n") and "SUMMARY:Klimaverksted i biblioteket\r\n" in body

    # The day before: the reminder, sent by the daily command for the event's day.
    mail.outbox.clear()
    call_command("send_event_reminders", date=day.isoformat())
    reminders = [message for message in mail.outbox if message.to == [citizen.email]]
    assert len(reminders) == 1
    assert "Klimaverksted i biblioteket" in reminders[0].subject + reminders[0].body
