"""Events through the notifications app: new events for followers, a seat from the waiting list, a
cancelled event and the reminder the day before (e-mailed as each person prefers)."""

from datetime import datetime, time, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from events import services
from events.models import OSLO, Event, EventStatus
from notifications.emails import notification_text
from notifications.models import EmailFrequency, EmailPreference, EventKind, Notification
from tests.events.factories import event_create, registration_create
from tests.notifications.factories import citizen_create, follower_create
from tests.projects.factories import project_create, project_index_create

pytestmark = pytest.mark.django_db


def test_a_published_event_tells_followers_of_the_hub_and_project(hub, coordinator, django_capture_on_commit_callbacks):
    project = project_create(project_index_create(hub))
    hub_follower = follower_create(hub)
    project_follower = follower_create(project)
    stranger = citizen_create()
    now = timezone.now()
    event = Event(
        hub=hub,
        project=project,
        title="Lab-dag",
        starts_at=now + timedelta(days=4),
        ends_at=now + timedelta(days=4, hours=2),
        status=EventStatus.PUBLISHED,
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.event_save(actor=coordinator, event=event)
    told = set(Notification.objects.filter(kind=EventKind.NEW_EVENT).values_list("recipient_id", flat=True))
    assert told == {hub_follower.pk, project_follower.pk}
    assert stranger.pk not in told
    notification = Notification.objects.filter(kind=EventKind.NEW_EVENT).first()
    assert notification.url.endswith(f"/events/{event.pk}/")
    assert notification.data["event_id"] == event.pk
    assert notification_text(notification).startswith("New event: “Lab-dag”")


def test_the_first_on_the_waiting_list_is_told_by_email(hub, django_capture_on_commit_callbacks):
    event = event_create(hub, title="Verksted", capacity=1)
    holder = citizen_create()
    seat = registration_create(event, holder)
    waiting_user = citizen_create()
    services.registration_create(user=waiting_user, event=event)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(user=holder, registration=seat)
    notification = Notification.objects.get(recipient=waiting_user, kind=EventKind.EVENT_REGISTRATION)
    assert notification.data["subject"] == "promoted"
    assert "you are now registered" in notification_text(notification)
    assert [message.to for message in mail.outbox] == [[waiting_user.email]]


def test_cancelling_an_event_tells_those_registered(hub, coordinator, django_capture_on_commit_callbacks):
    event = event_create(hub, title="Avlyst møte")
    registered = citizen_create()
    registration_create(event, registered)
    with django_capture_on_commit_callbacks(execute=True):
        services.event_cancel(actor=coordinator, event=event)
    notification = Notification.objects.get(recipient=registered, kind=EventKind.EVENT_REGISTRATION)
    assert "is cancelled" in notification_text(notification)


def test_reminder_the_day_before_respects_email_preferences(hub, django_capture_on_commit_callbacks):
    tomorrow = timezone.localtime(timezone.now(), OSLO).date() + timedelta(days=1)
    event = event_create(hub, title="Morgendagens møte", starts_at=datetime.combine(tomorrow, time(18), tzinfo=OSLO))
    wants_mail = citizen_create()
    no_mail = citizen_create()
    EmailPreference.objects.create(user=no_mail, kind=EventKind.EVENT_REMINDER, frequency=EmailFrequency.NEVER)
    registration_create(event, wants_mail)
    registration_create(event, no_mail)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_event_reminders", date=tomorrow.isoformat())
    assert Notification.objects.filter(kind=EventKind.EVENT_REMINDER).count() == 2
    assert [message.to for message in mail.outbox] == [[wants_mail.email]]
    assert "Morgendagens møte" in mail.outbox[0].subject + mail.outbox[0].body


def test_no_new_event_notification_for_a_draft(hub, coordinator, django_capture_on_commit_callbacks):
    follower_create(hub)
    now = timezone.now()
    event = Event(hub=hub, title="Utkast", starts_at=now + timedelta(days=1), ends_at=now + timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        services.event_save(actor=coordinator, event=event)
    assert not Notification.objects.filter(kind=EventKind.NEW_EVENT).exists()
